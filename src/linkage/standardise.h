// Standardisation: turns a PersonRecord into the comparable features the linker scores,
// once per record. Folds case and diacritics, nulls placeholder names (BABY, UNKNOWN, TWIN 1,
// B/O ...), treats 1 January birth dates as estimated, validates NHS numbers (an invalid one is
// absent), normalises postcodes to "OUTWARD INWARD" and keeps the address history, and
// computes phonetic keys and nickname groups. Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "linkage/nicknames.h"
#include "linkage/record.h"

namespace liaison::linkage {

inline constexpr std::int32_t kNoDate = INT32_MIN;

// A normalised UK postcode: "SW1A 1AA". The district is the outward code, the sector adds
// the first inward character, the area is the outward code's leading letters.
struct Postcode {
  std::string full;
  std::uint8_t outward_length = 0;
  std::uint8_t area_length = 0;

  std::string_view district() const { return std::string_view(full).substr(0, outward_length); }
  std::string_view sector() const { return std::string_view(full).substr(0, outward_length + 2u); }
  std::string_view area() const { return std::string_view(full).substr(0, area_length); }
};

// The features of one record. Empty strings, kNoDate and kUnknown mean "absent".
struct Features {
  std::uint64_t nhs_number = 0;       // ten digits as a number; 0 when absent or invalid
  bool nhs_number_invalid = false;    // a number was recorded but failed validation
  std::string given;                  // first given name token, folded
  std::string other_given;            // further given name tokens, space separated
  std::string family;                 // folded tokens joined by single spaces
  std::string given_phonetic;         // NYSIIS
  std::string family_phonetic;        // NYSIIS of the whole family name
  NicknameGroups given_groups;        // nickname groups of `given`
  std::int32_t birth_days = kNoDate;  // days since 1970-01-01
  std::int16_t birth_year = 0;
  std::uint8_t birth_month = 0;
  std::uint8_t birth_day = 0;
  bool birth_estimated = false;  // 1 January: often a year-only date
  domain::Sex sex = domain::Sex::kUnknown;
  std::vector<Postcode> postcodes;  // current first, then history; duplicates removed
};

// Upper-case ASCII letters, digits and single spaces: diacritics folded (É -> E, Ł -> L,
// ß -> SS), apostrophes dropped, hyphens and other punctuation turned into spaces, trimmed.
std::string FoldText(std::string_view text);

// True when a (folded) given-name token only stands in for a name: BABY, UNKNOWN, TWIN, ...
bool IsPlaceholderGivenToken(std::string_view folded_token);

// "sw1a1aa", " SW1A 1AA " -> "SW1A 1AA"; nullopt when it is not a UK postcode shape.
std::optional<Postcode> NormalisePostcode(std::string_view text);

// The NHS number as a number when it has ten digits (spaces and hyphens allowed) and a valid
// check digit; 0 otherwise.
std::uint64_t ValidNhsNumber(std::string_view text);

Features Standardise(const PersonRecord& record, const NicknameTable& nicknames);

}  // namespace liaison::linkage
