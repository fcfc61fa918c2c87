#include "review/register_file.h"

#include <sstream>

#include <gtest/gtest.h>

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
  EXPECT_EQ(index->skipped(), 2);  // the invalid number and the unknown status
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

TEST(RegisterFileTest, AHeaderWithoutTheKeyColumnsIsRefused) {
  Result<RegisterIndex> index = Read("id,given_name,status\nR1,A,cp_plan\n");
  ASSERT_FALSE(index.ok());
  EXPECT_EQ(index.status().reason(), "missing_column");
  EXPECT_EQ(index.status().field(), "nhs_number");
  EXPECT_EQ(Read("").status().reason(), "invalid_header");
}

}  // namespace
}  // namespace liaison::review
