#include "domain/person.h"

#include <gtest/gtest.h>

#include "common/time_format.h"

namespace liaison::domain {
namespace {

TEST(PersonTest, AgeCountsWholeYears) {
  Person person;
  person.birth_date = *ParseDate("2010-06-15");
  EXPECT_EQ(person.AgeInYears(*ParseDate("2026-06-14")), 15);
  EXPECT_EQ(person.AgeInYears(*ParseDate("2026-06-15")), 16);
  EXPECT_EQ(person.IsChild(*ParseDate("2028-06-14")), true);
  EXPECT_EQ(person.IsChild(*ParseDate("2028-06-15")), false);
  Person unknown;
  EXPECT_FALSE(unknown.IsChild(*ParseDate("2026-01-01")).has_value());
}

TEST(PersonTest, ValidationNamesTheField) {
  Person person;
  person.birth_date = *ParseDate("2030-01-01");
  Status status = ValidatePerson(person, *ParseDate("2026-11-26"));
  EXPECT_EQ(status.field(), "/birth_date");
  person.birth_date.reset();
  person.given_name = std::string("A\x01", 2);
  EXPECT_EQ(ValidatePerson(person, *ParseDate("2026-11-26")).field(), "/given_name");
}

TEST(PersonTest, SexAcceptsContractSpellings) {
  EXPECT_EQ(SexFromText("F"), Sex::kFemale);
  EXPECT_EQ(SexFromText("Male"), Sex::kMale);
  EXPECT_EQ(SexFromText("unknown"), Sex::kUnknown);
  EXPECT_FALSE(SexFromText("x").has_value());
}

}  // namespace
}  // namespace liaison::domain
