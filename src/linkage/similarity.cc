#include "linkage/similarity.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace liaison::linkage {

double JaroWinkler(std::string_view a, std::string_view b) {
  constexpr std::size_t kMax = 64;
  a = a.substr(0, std::min(a.size(), kMax));
  b = b.substr(0, std::min(b.size(), kMax));
  if (a.empty() || b.empty()) return 0.0;
  if (a == b) return 1.0;
  if (a.size() > b.size()) std::swap(a, b);
  const std::size_t window = std::max<std::size_t>(b.size() / 2, 1) - 1;
  std::uint64_t matched_b = 0;  // bit j: b[j] is matched
  std::array<char, kMax> a_matches{};
  std::size_t matches = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::size_t low = i > window ? i - window : 0;
    std::size_t high = std::min(i + window + 1, b.size());
    for (std::size_t j = low; j < high; ++j) {
      if ((matched_b >> j & 1u) == 0 && a[i] == b[j]) {
        matched_b |= std::uint64_t{1} << j;
        a_matches[matches++] = a[i];
        break;
      }
    }
  }
  if (matches == 0) return 0.0;
  std::size_t transpositions = 0;
  std::size_t k = 0;
  for (std::size_t j = 0; j < b.size(); ++j) {
    if (matched_b >> j & 1u) {
      if (b[j] != a_matches[k]) ++transpositions;
      ++k;
    }
  }
  const double m = static_cast<double>(matches);
  const double jaro = (m / static_cast<double>(a.size()) + m / static_cast<double>(b.size()) +
                       (m - static_cast<double>(transpositions) / 2.0) / m) /
                      3.0;
  std::size_t prefix = 0;
  while (prefix < 4 && prefix < a.size() && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

bool OneEditApart(std::string_view a, std::string_view b) {
  if (a.size() != b.size() || a == b) return false;
  std::size_t first = 0;
  while (a[first] == b[first]) ++first;
  if (a.substr(first + 1) == b.substr(first + 1)) return true;  // one substitution
  return first + 1 < a.size() && a[first] == b[first + 1] && a[first + 1] == b[first] &&
         a.substr(first + 2) == b.substr(first + 2);  // one adjacent transposition
}

}  // namespace liaison::linkage
