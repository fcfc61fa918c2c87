#include "linkage/comparison.h"

#include "linkage/similarity.h"

namespace liaison::linkage {
namespace {

constexpr std::string_view kNhsLevels[] = {"null", "exact", "different"};
constexpr std::string_view kGivenLevels[] = {"null",    "exact",    "swapped",  "nickname",
                                             "jw_0.92", "jw_0.88",  "phonetic", "other_given",
                                             "jw_0.70", "different"};
constexpr std::string_view kFamilyLevels[] = {"null",    "exact",    "token",    "jw_0.92",
                                              "jw_0.88", "phonetic", "different"};
constexpr std::string_view kBirthLevels[] = {
    "null",      "exact",           "exact_estimated",       "day_month_swapped",
    "one_digit", "same_year_month", "within_year_estimated", "different"};
constexpr std::string_view kSexLevels[] = {"null", "same", "different"};
constexpr std::string_view kPostcodeLevels[] = {"null",     "exact", "history",  "sector",
                                                "district", "area",  "different"};

bool HasToken(std::string_view tokens, std::string_view token) {
  if (token.empty()) return false;
  std::size_t start = 0;
  while (start < tokens.size()) {
    std::size_t end = tokens.find(' ', start);
    if (end == std::string_view::npos) end = tokens.size();
    if (tokens.substr(start, end - start) == token) return true;
    start = end + 1;
  }
  return false;
}

bool ShareToken(std::string_view a, std::string_view b) {
  if (a.find(' ') == std::string_view::npos && b.find(' ') == std::string_view::npos) return false;
  std::size_t start = 0;
  while (start < a.size()) {
    std::size_t end = a.find(' ', start);
    if (end == std::string_view::npos) end = a.size();
    if (end - start >= 2 && HasToken(b, a.substr(start, end - start))) return true;
    start = end + 1;
  }
  return false;
}

bool NamesAlike(std::string_view a, std::string_view b) {
  return !a.empty() && !b.empty() && (a == b || JaroWinkler(a, b) >= 0.92);
}

int CompareNhs(const Features& a, const Features& b) {
  if (a.nhs_number == 0 || b.nhs_number == 0) return nhs_level::kNull;
  return a.nhs_number == b.nhs_number ? nhs_level::kExact : nhs_level::kDifferent;
}

// A forename/surname swap: each name alike the other field's. The first letters must agree
// first, a cheap test that spares two Jaro-Winkler calls on almost every non-matching pair.
bool Swapped(const Features& a, const Features& b) {
  if (a.family.empty() || b.family.empty() || a.family == b.family) return false;
  if (a.given[0] != b.family[0] || a.family[0] != b.given[0]) return false;
  return NamesAlike(a.given, b.family) && NamesAlike(a.family, b.given);
}

int CompareGiven(const Features& a, const Features& b, bool& swapped) {
  swapped = false;
  if (a.given.empty() || b.given.empty()) return given_level::kNull;
  if (a.given == b.given) return given_level::kExact;
  if (Swapped(a, b)) {
    swapped = true;
    return given_level::kSwapped;
  }
  if (ShareGroup(a.given_groups, b.given_groups)) return given_level::kNickname;
  double similarity = JaroWinkler(a.given, b.given);
  if (similarity >= 0.92) return given_level::kJw92;
  if (similarity >= 0.88) return given_level::kJw88;
  if (!a.given_phonetic.empty() && a.given_phonetic == b.given_phonetic) {
    return given_level::kPhonetic;
  }
  if ((!b.other_given.empty() && HasToken(b.other_given, a.given)) ||
      (!a.other_given.empty() && HasToken(a.other_given, b.given))) {
    return given_level::kOtherGiven;
  }
  if (similarity >= 0.70) return given_level::kJw70;
  return given_level::kDifferent;
}

int CompareFamily(const Features& a, const Features& b) {
  if (a.family.empty() || b.family.empty()) return family_level::kNull;
  if (a.family == b.family) return family_level::kExact;
  if (ShareToken(a.family, b.family)) return family_level::kToken;
  double similarity = JaroWinkler(a.family, b.family);
  if (similarity >= 0.92) return family_level::kJw92;
  if (similarity >= 0.88) return family_level::kJw88;
  if (!a.family_phonetic.empty() && a.family_phonetic == b.family_phonetic) {
    return family_level::kPhonetic;
  }
  return family_level::kDifferent;
}

// YYYYMMDD as eight characters, for the one-digit test.
void DateDigits(const Features& f, char out[8]) {
  int y = f.birth_year;
  for (int i = 3; i >= 0; --i) {
    out[i] = static_cast<char>('0' + y % 10);
    y /= 10;
  }
  out[4] = static_cast<char>('0' + f.birth_month / 10);
  out[5] = static_cast<char>('0' + f.birth_month % 10);
  out[6] = static_cast<char>('0' + f.birth_day / 10);
  out[7] = static_cast<char>('0' + f.birth_day % 10);
}

int CompareBirth(const Features& a, const Features& b) {
  if (a.birth_days == kNoDate || b.birth_days == kNoDate) return birth_level::kNull;
  bool estimated = a.birth_estimated || b.birth_estimated;
  if (a.birth_days == b.birth_days) {
    return estimated ? birth_level::kExactEstimated : birth_level::kExact;
  }
  if (a.birth_year == b.birth_year && a.birth_month == b.birth_day &&
      a.birth_day == b.birth_month) {
    return birth_level::kDayMonthSwapped;
  }
  char x[8];
  char y[8];
  DateDigits(a, x);
  DateDigits(b, y);
  if (OneEditApart(std::string_view(x, 8), std::string_view(y, 8))) return birth_level::kOneDigit;
  if (a.birth_year == b.birth_year && a.birth_month == b.birth_month) {
    return birth_level::kSameYearMonth;
  }
  int gap = a.birth_days > b.birth_days ? a.birth_days - b.birth_days : b.birth_days - a.birth_days;
  if (estimated && gap <= 366) return birth_level::kWithinYearEstimated;
  return birth_level::kDifferent;
}

int CompareSex(const Features& a, const Features& b) {
  if (a.sex == domain::Sex::kUnknown || b.sex == domain::Sex::kUnknown) return sex_level::kNull;
  return a.sex == b.sex ? sex_level::kSame : sex_level::kDifferent;
}

int ComparePostcode(const Features& a, const Features& b) {
  if (a.postcodes.empty() || b.postcodes.empty()) return postcode_level::kNull;
  const Postcode& x = a.postcodes.front();
  const Postcode& y = b.postcodes.front();
  if (x.full == y.full) return postcode_level::kExact;
  for (const Postcode& p : a.postcodes) {
    for (const Postcode& q : b.postcodes) {
      if (p.full == q.full) return postcode_level::kHistory;
    }
  }
  if (x.sector() == y.sector()) return postcode_level::kSector;
  if (x.district() == y.district()) return postcode_level::kDistrict;
  if (x.area() == y.area()) return postcode_level::kArea;
  return postcode_level::kDifferent;
}

constexpr std::array<int, kFieldCount> kCounts = {3, 10, 7, 8, 3, 7};

}  // namespace

std::string_view FieldName(Field field) {
  switch (field) {
    case Field::kNhsNumber:
      return "nhs_number";
    case Field::kGivenName:
      return "given_name";
    case Field::kFamilyName:
      return "family_name";
    case Field::kBirthDate:
      return "birth_date";
    case Field::kSex:
      return "sex";
    case Field::kPostcode:
      return "postcode";
  }
  return "unknown";
}

std::span<const std::string_view> LevelNames(Field field) {
  switch (field) {
    case Field::kNhsNumber:
      return kNhsLevels;
    case Field::kGivenName:
      return kGivenLevels;
    case Field::kFamilyName:
      return kFamilyLevels;
    case Field::kBirthDate:
      return kBirthLevels;
    case Field::kSex:
      return kSexLevels;
    case Field::kPostcode:
      return kPostcodeLevels;
  }
  return {};
}

int LevelCount(Field field) { return kCounts[static_cast<int>(field)]; }

Gamma Compare(const Features& a, const Features& b) {
  Gamma gamma{};
  bool swapped = false;
  gamma[0] = static_cast<std::uint8_t>(CompareNhs(a, b));
  gamma[1] = static_cast<std::uint8_t>(CompareGiven(a, b, swapped));
  gamma[2] =
      swapped ? std::uint8_t{family_level::kNull} : static_cast<std::uint8_t>(CompareFamily(a, b));
  gamma[3] = static_cast<std::uint8_t>(CompareBirth(a, b));
  gamma[4] = static_cast<std::uint8_t>(CompareSex(a, b));
  gamma[5] = static_cast<std::uint8_t>(ComparePostcode(a, b));
  return gamma;
}

std::uint32_t PatternOf(const Gamma& gamma) {
  std::uint32_t pattern = 0;
  for (int f = 0; f < kFieldCount; ++f) {
    pattern = pattern * static_cast<std::uint32_t>(kCounts[f]) + gamma[f];
  }
  return pattern;
}

std::uint32_t PatternCount() {
  std::uint32_t count = 1;
  for (int c : kCounts) count *= static_cast<std::uint32_t>(c);
  return count;
}

Gamma GammaOfPattern(std::uint32_t pattern) {
  Gamma gamma{};
  for (int f = kFieldCount - 1; f >= 0; --f) {
    gamma[f] = static_cast<std::uint8_t>(pattern % static_cast<std::uint32_t>(kCounts[f]));
    pattern /= static_cast<std::uint32_t>(kCounts[f]);
  }
  return gamma;
}

}  // namespace liaison::linkage
