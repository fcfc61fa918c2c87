#include "linkage/comparison.h"

#include <gtest/gtest.h>

#include "linkage/nicknames.h"

namespace liaison::linkage {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

PersonRecord Base() {
  PersonRecord r;
  r.nhs_number = "9434765919";
  r.given_name = "Olivia";
  r.family_name = "Smith";
  r.birth_date = year_month_day{year(2019), month(3), day(4)};
  r.sex = domain::Sex::kFemale;
  r.postcode = "XA1 2AB";
  return r;
}

Gamma CompareRecords(const PersonRecord& a, const PersonRecord& b) {
  return Compare(Standardise(a, NicknameTable::Default()),
                 Standardise(b, NicknameTable::Default()));
}

int Level(const PersonRecord& a, const PersonRecord& b, Field field) {
  return CompareRecords(a, b)[static_cast<int>(field)];
}

TEST(ComparisonTest, IdenticalRecordsAreExactEverywhere) {
  Gamma g = CompareRecords(Base(), Base());
  EXPECT_EQ(g[0], nhs_level::kExact);
  EXPECT_EQ(g[1], given_level::kExact);
  EXPECT_EQ(g[2], family_level::kExact);
  EXPECT_EQ(g[3], birth_level::kExact);
  EXPECT_EQ(g[4], sex_level::kSame);
  EXPECT_EQ(g[5], postcode_level::kExact);
}

TEST(ComparisonTest, MissingValuesAreNull) {
  PersonRecord empty;
  Gamma g = CompareRecords(Base(), empty);
  for (int f = 0; f < kFieldCount; ++f) EXPECT_EQ(g[f], 0) << f;
}

TEST(ComparisonTest, NhsNumberLevels) {
  PersonRecord other = Base();
  other.nhs_number = "4010232137";  // valid, different
  EXPECT_EQ(Level(Base(), other, Field::kNhsNumber), nhs_level::kDifferent);
  other.nhs_number = "9434765918";  // invalid: treated as absent, never as a conflict
  EXPECT_EQ(Level(Base(), other, Field::kNhsNumber), nhs_level::kNull);
  // A mistyped number (two digits transposed) fails its check: absent, not a conflict.
  other.nhs_number = "4934765919";
  EXPECT_EQ(Level(Base(), other, Field::kNhsNumber), nhs_level::kNull);
}

TEST(ComparisonTest, GivenNameLevels) {
  PersonRecord other = Base();
  auto level = [&](std::string given) {
    other.given_name = given;
    return Level(Base(), other, Field::kGivenName);
  };
  EXPECT_EQ(level("OLIVIA"), given_level::kExact);
  EXPECT_EQ(level("Liv"), given_level::kNickname);
  EXPECT_EQ(level("Olivai"), given_level::kJw92);
  EXPECT_EQ(level("Oliveah"), given_level::kJw88);
  EXPECT_EQ(level("Baby"), given_level::kNull);
  EXPECT_EQ(level("Zebedee"), given_level::kDifferent);
  PersonRecord with_middle = Base();
  with_middle.given_name = "Rose Olivia";
  EXPECT_EQ(Level(Base(), with_middle, Field::kGivenName), given_level::kOtherGiven);
}

TEST(ComparisonTest, ForenameSurnameSwapIsOneLevel) {
  PersonRecord swapped = Base();
  swapped.given_name = "Smith";
  swapped.family_name = "Olivia";
  Gamma g = CompareRecords(Base(), swapped);
  EXPECT_EQ(g[1], given_level::kSwapped);
  EXPECT_EQ(g[2], family_level::kNull);  // counted once, on the given name
}

TEST(ComparisonTest, FamilyNameLevels) {
  PersonRecord other = Base();
  auto level = [&](std::string family) {
    other.family_name = family;
    return Level(Base(), other, Field::kFamilyName);
  };
  EXPECT_EQ(level("smith"), family_level::kExact);
  EXPECT_EQ(level("Smith-Jones"), family_level::kToken);
  EXPECT_EQ(level("Smiht"), family_level::kJw92);
  EXPECT_EQ(level("Jones"), family_level::kDifferent);
}

TEST(ComparisonTest, BirthDateLevelsIncludingDayMonthSwap) {
  PersonRecord other = Base();
  auto level = [&](int y, unsigned m, unsigned d) {
    other.birth_date = year_month_day{year(y), month(m), day(d)};
    return Level(Base(), other, Field::kBirthDate);
  };
  EXPECT_EQ(level(2019, 3, 4), birth_level::kExact);
  EXPECT_EQ(level(2019, 4, 3), birth_level::kDayMonthSwapped);
  EXPECT_EQ(level(2019, 3, 5), birth_level::kOneDigit);
  EXPECT_EQ(level(2019, 3, 27), birth_level::kSameYearMonth);
  EXPECT_EQ(level(2015, 8, 20), birth_level::kDifferent);
  // 1 January on either side: exact counts less, and a near year is its own level.
  PersonRecord estimated = Base();
  estimated.birth_date = year_month_day{year(2019), month(1), day(1)};
  EXPECT_EQ(Level(estimated, estimated, Field::kBirthDate), birth_level::kExactEstimated);
  EXPECT_EQ(Level(Base(), estimated, Field::kBirthDate), birth_level::kWithinYearEstimated);
}

TEST(ComparisonTest, SexAndPostcodeLevels) {
  PersonRecord other = Base();
  other.sex = domain::Sex::kMale;
  EXPECT_EQ(Level(Base(), other, Field::kSex), sex_level::kDifferent);
  other.sex = domain::Sex::kUnknown;
  EXPECT_EQ(Level(Base(), other, Field::kSex), sex_level::kNull);

  auto level = [&](std::string postcode, std::vector<std::string> history = {}) {
    other.postcode = postcode;
    other.earlier_postcodes = history;
    return Level(Base(), other, Field::kPostcode);
  };
  EXPECT_EQ(level("xa12ab"), postcode_level::kExact);
  EXPECT_EQ(level("XB9 9ZZ", {"XA1 2AB"}), postcode_level::kHistory);
  EXPECT_EQ(level("XA1 2ZZ"), postcode_level::kSector);
  EXPECT_EQ(level("XA1 7ZZ"), postcode_level::kDistrict);
  EXPECT_EQ(level("XA9 7ZZ"), postcode_level::kArea);
  EXPECT_EQ(level("XB9 7ZZ"), postcode_level::kDifferent);
}

TEST(ComparisonTest, PatternsRoundTrip) {
  Gamma g = CompareRecords(Base(), Base());
  EXPECT_EQ(GammaOfPattern(PatternOf(g)), g);
  Gamma last{2, 9, 6, 7, 2, 6};
  EXPECT_EQ(PatternOf(last), PatternCount() - 1);
  EXPECT_EQ(GammaOfPattern(PatternOf(last)), last);
}

}  // namespace
}  // namespace liaison::linkage
