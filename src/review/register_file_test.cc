#include "review/register_file.h"

#include <sstream>

#include <gtest/gtest.h>

#include "common/time_format.h"

namespace liaison::review {
namespace {

Result<RegisterIndex> Read(const std::string& text) {
  std::istringstream in(text);
  return ReadRegisterCsv(in);
}

constexpr const char* kHeader =
    "id,nhs_number,given_name,status,end_date,responsible_org,mother_nhs_number\n";

TEST(RegisterFileTest, FindsPeopleByVerifiedNumberWithTheirStatus) {
  Result<RegisterIndex> index = Read(std::string(kHeader) +
                                     "R1,999 000 0018,A,cp_plan,,LA-NORTH,\n"
                                     "R2,9990000026,B,looked_after,,LA-SOUTH,\n"
                                     "R3,9990000034,C,cp_plan,2026-01-01,LA-EAST,\n"
                                     "R4,1234567890,D,cp_plan,,LA-EAST,\n"
                                     "R5,9990000026,E,child_in_need,,LA-WEST,\n"
                                     "R6,,F,mystery,,LA-WEST,\n");
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  ASSERT_TRUE(index->Find("9990000018").has_value());
  EXPECT_EQ(index->Find("9990000018")->status, "cp_plan");
  EXPECT_EQ(index->Find("9990000018")->responsible_org, "LA-NORTH");
  EXPECT_EQ(index->Find("9990000026")->status, "looked_after");      // the first entry wins
  EXPECT_EQ(index->Find("9990000034")->status, "previous_cp_plan");  // an ended plan
  EXPECT_FALSE(index->Find("1234567890").has_value());               // invalid: never matched
  EXPECT_EQ(index->entries(), 3);
  EXPECT_EQ(index->skipped(), 1);  // the unknown status; R4 can still be linked on demographics
}

TEST(RegisterFileTest, AnUnbornPlanIsFoundByTheMothersNumber) {
  Result<RegisterIndex> index = Read(std::string(kHeader) +
                                     "R1,,,unborn_cp_plan,,LA-NORTH,9990000018\n"
                                     "R2,,,unborn_cp_plan,,LA-NORTH,9990000026\n"
                                     "R3,9990000026,,child_in_need,,LA-SOUTH,\n");
  ASSERT_TRUE(index.ok());
  EXPECT_EQ(index->Find("9990000018")->status, "unborn_cp_plan");
  EXPECT_EQ(index->Find("9990000026")->status, "child_in_need");  // her own entry wins
}

// A child attending without a verified NHS number is linked on demographics, as at the point
// of care, but only an automatic match counts: a sibling or a near miss does not.
TEST(RegisterFileTest, AChildWithoutAVerifiedNumberIsLinkedOnDemographics) {
  Result<RegisterIndex> index = Read(
      "id,nhs_number,given_name,family_name,birth_date,sex,postcode,status,end_date,"
      "responsible_org\n"
      "R1,9990000018,Amelia,Hartley,2019-03-14,female,XA1 2BC,cp_plan,,LA-NORTH\n"
      "R2,,Oliver,Hartley,2016-07-02,male,XA1 2BC,looked_after,,LA-NORTH\n"
      "R3,1234567890,Isla,Brennan,2021-11-30,female,XB9 9ZZ,child_in_need,,LA-SOUTH\n");
  ASSERT_TRUE(index.ok()) << index.status().ToString();
  linkage::PersonRecord amelia;
  amelia.given_name = "AMELIA";
  amelia.family_name = "Hartley";
  amelia.birth_date = *ParseDate("2019-03-14");
  amelia.sex = domain::Sex::kFemale;
  amelia.postcode = "XA1 2BC";
  ASSERT_TRUE(index->FindByDemographics(amelia).has_value());
  EXPECT_EQ(index->FindByDemographics(amelia)->status, "cp_plan");

  linkage::PersonRecord oliver = amelia;  // an entry without any NHS number
  oliver.given_name = "Oliver";
  oliver.birth_date = *ParseDate("2016-07-02");
  oliver.sex = domain::Sex::kMale;
  ASSERT_TRUE(index->FindByDemographics(oliver).has_value());
  EXPECT_EQ(index->FindByDemographics(oliver)->status, "looked_after");

  linkage::PersonRecord isla;  // an entry whose number is invalid
  isla.given_name = "Isla";
  isla.family_name = "Brennan";
  isla.birth_date = *ParseDate("2021-11-30");
  isla.sex = domain::Sex::kFemale;
  isla.postcode = "XB9 9ZZ";
  ASSERT_TRUE(index->FindByDemographics(isla).has_value());
  EXPECT_EQ(index->FindByDemographics(isla)->status, "child_in_need");

  linkage::PersonRecord sibling = amelia;  // same family and address, another child
  sibling.given_name = "Freya";
  sibling.birth_date = *ParseDate("2022-05-09");
  EXPECT_FALSE(index->FindByDemographics(sibling).has_value());
  EXPECT_FALSE(index->FindByDemographics(linkage::PersonRecord{}).has_value());
}

TEST(RegisterFileTest, AHeaderWithoutTheKeyColumnsIsRefused) {
  Result<RegisterIndex> index = Read("id,given_name,status\nR1,A,cp_plan\n");
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().reason(), "missing_column");
  EXPECT_EQ(index.status().field(), "nhs_number");
  EXPECT_EQ(Read("").status().reason(), "invalid_header");
}

}  // namespace
}  // namespace liaison::review
