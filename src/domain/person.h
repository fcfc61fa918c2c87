// Person: the demographics Liaison keeps for a child or an adult. Value type.
// Debug output never includes the name, NHS number or date of birth.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/strong_id.h"
#include "domain/nhs_number.h"

namespace liaison::domain {

struct PersonTag;
using PersonId = StrongId<PersonTag>;

enum class Sex { kFemale, kMale, kOther, kUnknown };
std::string_view SexSlug(Sex sex);
// "female", "male", "other", "unknown"; case-insensitive; "F" and "M" accepted.
std::optional<Sex> SexFromText(std::string_view text);

struct Person {
  PersonId id;
  std::optional<NhsNumber> nhs_number;  // verified numbers only
  std::string given_name;
  std::string family_name;
  std::optional<std::chrono::year_month_day> birth_date;
  Sex sex = Sex::kUnknown;
  std::string postcode;

  // Whole years of age on `on`, or nullopt when the birth date is unknown.
  std::optional<int> AgeInYears(std::chrono::year_month_day on) const;
  // Under 18 on `on`. An unknown birth date is not assumed to be a child or an adult.
  std::optional<bool> IsChild(std::chrono::year_month_day on) const;
};

// Checks the invariants a stored person must satisfy; `today` bounds the birth date.
Status ValidatePerson(const Person& person, std::chrono::year_month_day today);

}  // namespace liaison::domain
