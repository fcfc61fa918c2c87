// String similarity for names: Jaro-Winkler over bytes (names are folded to ASCII first).
// Pure functions; thread-safe.
#pragma once

#include <string_view>

namespace liaison::linkage {

// Jaro-Winkler similarity in [0, 1], prefix scale 0.1 over up to 4 characters. Strings longer
// than 64 bytes are compared on their first 64.
double JaroWinkler(std::string_view a, std::string_view b);

// True when the strings differ by one substitution or one adjacent transposition (same length).
bool OneEditApart(std::string_view a, std::string_view b);

}  // namespace liaison::linkage
