// Comparisons: each field pair gets an ordered level (null, exact, fuzzy levels, else), the γ
// vector of Fellegi-Sunter. Level 0 is always "null" (either side absent): no evidence.
// Pure functions over standardised Features; thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "linkage/standardise.h"

namespace liaison::linkage {

enum class Field : std::uint8_t {
  kNhsNumber,
  kGivenName,
  kFamilyName,
  kBirthDate,
  kSex,
  kPostcode
};
inline constexpr int kFieldCount = 6;
inline constexpr int kMaxLevels = 10;

// Level numbers, per field. Strongest evidence first after null.
namespace nhs_level {
// No "one digit apart" level: the modulus-11 check catches every single substitution and
// adjacent transposition, so a typo never yields another valid number; it fails the check
// and the number counts as absent.
inline constexpr int kNull = 0, kExact = 1, kDifferent = 2;
}  // namespace nhs_level
namespace given_level {
inline constexpr int kNull = 0, kExact = 1, kSwapped = 2, kNickname = 3, kJw92 = 4, kJw88 = 5,
                     kPhonetic = 6, kOtherGiven = 7, kJw70 = 8, kDifferent = 9;
}
namespace family_level {
inline constexpr int kNull = 0, kExact = 1, kToken = 2, kJw92 = 3, kJw88 = 4, kPhonetic = 5,
                     kDifferent = 6;
}
namespace birth_level {
inline constexpr int kNull = 0, kExact = 1, kExactEstimated = 2, kDayMonthSwapped = 3,
                     kOneDigit = 4, kSameYearMonth = 5, kWithinYearEstimated = 6, kDifferent = 7;
}
namespace sex_level {
inline constexpr int kNull = 0, kSame = 1, kDifferent = 2;
}
namespace postcode_level {
inline constexpr int kNull = 0, kExact = 1, kHistory = 2, kSector = 3, kDistrict = 4, kArea = 5,
                     kDifferent = 6;
}

using Gamma = std::array<std::uint8_t, kFieldCount>;

// "nhs_number", "given_name", ... (the model file's names).
std::string_view FieldName(Field field);
// Level names of a field, index = level ("null", "exact", ...).
std::span<const std::string_view> LevelNames(Field field);
int LevelCount(Field field);

// Compares query `a` with register entry `b`. Symmetric except that swaps are reported on
// the given-name field (the family field is then null, so the swap is counted once).
Gamma Compare(const Features& a, const Features& b);

// A number in [0, PatternCount()) for a γ vector, for counting distinct patterns in training.
std::uint32_t PatternOf(const Gamma& gamma);
std::uint32_t PatternCount();
Gamma GammaOfPattern(std::uint32_t pattern);

}  // namespace liaison::linkage
