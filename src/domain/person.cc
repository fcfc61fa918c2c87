#include "domain/person.h"

#include <cctype>
#include <cstddef>

#include "domain/organisation.h"

namespace liaison::domain {

std::string_view SexSlug(Sex sex) {
  switch (sex) {
    case Sex::kFemale:
      return "female";
    case Sex::kMale:
      return "male";
    case Sex::kOther:
      return "other";
    case Sex::kUnknown:
      return "unknown";
  }
  return "unknown";
}

namespace {

// True when `text` lowercased (as std::tolower does) is `lower`, without copying it: sex is
// read from every row of every feed.
bool LowercaseEquals(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) != lower[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<Sex> SexFromText(std::string_view text) {
  if (LowercaseEquals(text, "female") || LowercaseEquals(text, "f")) return Sex::kFemale;
  if (LowercaseEquals(text, "male") || LowercaseEquals(text, "m")) return Sex::kMale;
  if (LowercaseEquals(text, "other")) return Sex::kOther;
  if (LowercaseEquals(text, "unknown")) return Sex::kUnknown;
  return std::nullopt;
}

std::optional<int> Person::AgeInYears(std::chrono::year_month_day on) const {
  if (!birth_date) return std::nullopt;
  int years = static_cast<int>(on.year()) - static_cast<int>(birth_date->year());
  if (std::chrono::month_day(on.month(), on.day()) <
      std::chrono::month_day(birth_date->month(), birth_date->day())) {
    --years;
  }
  return years;
}

std::optional<bool> Person::IsChild(std::chrono::year_month_day on) const {
  std::optional<int> age = AgeInYears(on);
  if (!age) return std::nullopt;
  return *age < 18;
}

Status ValidatePerson(const Person& person, std::chrono::year_month_day today) {
  if (!person.given_name.empty()) RETURN_IF_ERROR(ValidateName(person.given_name, "/given_name"));
  if (!person.family_name.empty()) {
    RETURN_IF_ERROR(ValidateName(person.family_name, "/family_name"));
  }
  if (person.birth_date) {
    if (!person.birth_date->ok()) {
      return InvalidArgument("invalid_date", "the birth date does not exist", "/birth_date");
    }
    if (*person.birth_date > today) {
      return InvalidArgument("invalid_date", "the birth date is in the future", "/birth_date");
    }
    if (person.birth_date->year() < std::chrono::year(1880)) {
      return InvalidArgument("invalid_date", "the birth date is before 1880", "/birth_date");
    }
  }
  if (person.postcode.size() > 10) {
    return InvalidArgument("invalid_postcode", "a postcode has at most 10 characters", "/postcode");
  }
  return Status::Ok();
}

}  // namespace liaison::domain
