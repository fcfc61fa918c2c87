#include "ingest/register_csv.h"

#include <sstream>

#include <gtest/gtest.h>

namespace liaison::ingest {
namespace {

class CollectingVisitor final : public RegisterVisitor {
 public:
  Result<std::optional<RowIssue>> OnRow(RegisterRow row) override {
    rows.push_back(std::move(row));
    return std::optional<RowIssue>();
  }
  void OnIssue(const RowIssue& issue) override { issues.push_back(FormatIssue(issue)); }
  std::vector<RegisterRow> rows;
  std::vector<std::string> issues;
};

Result<FeedSummary> Read(const std::string& text, CollectingVisitor& visitor) {
  std::istringstream in(text);
  return ReadRegisterCsv(in, visitor);
}

TEST(RegisterCsvTest, ReadsTheGeneratorsColumnsByHeaderName) {
  CollectingVisitor visitor;
  Result<FeedSummary> summary =
      Read(RegisterCsvHeader() +
               "R1,943 476 5919,Ava,Nowak,2020-03-04,F,XA1 2AB,cp_plan,neglect,2026-01-02,,"
               "LA-NORTH,01632 960001,01632 960501,\"Worker, Sam\",\n"
               "R2,,,Nowak,,unknown,XA1 2AB,unborn_cp_plan,physical,2026-05-01,2026-12-01,"
               "LA-NORTH,a,b,c,9999999999\n",
           visitor);
  ASSERT_TRUE(summary.ok()) << summary.status().ToString();
  EXPECT_EQ(*summary, (FeedSummary{2, 2, 0, 0}));
  ASSERT_EQ(visitor.rows.size(), 2u);
  const domain::RegisterEntry& child = visitor.rows[0].entry;
  EXPECT_EQ(child.local_id, "R1");
  EXPECT_EQ(child.nhs_number->digits(), "9434765919");
  EXPECT_EQ(child.sex, domain::Sex::kFemale);
  EXPECT_EQ(child.status, domain::RegisterStatus::kCpPlan);
  EXPECT_EQ(child.allocated_worker, "Worker, Sam");
  EXPECT_FALSE(child.end_date.has_value());
  const domain::RegisterEntry& unborn = visitor.rows[1].entry;
  EXPECT_EQ(unborn.status, domain::RegisterStatus::kUnbornCpPlan);
  EXPECT_EQ(unborn.mother_nhs_number->digits(), "9999999999");
  EXPECT_FALSE(unborn.nhs_number.has_value());
  EXPECT_EQ(visitor.rows[1].line, 3);
}

TEST(RegisterCsvTest, EveryBadRowNamesItsLineAndFieldAndTheRestLoads) {
  CollectingVisitor visitor;
  Result<FeedSummary> summary = Read(
      "id,status,nhs_number,family_name,birth_date,sex,start_date,end_date,action\n"
      "A,cp_plan,9434765919,,,,,,\n"       // fine
      "B,on_plan,9434765919,,,,,,\n"       // bad status
      "C,cp_plan,,Nowak,2020-02-30,,,,\n"  // bad date
      "D,cp_plan,9434765919,,,X,,,\n"      // bad sex
      "E,cp_plan,9434765919,,,,2026-02-01,2026-01-01,\n"
      ",cp_plan,9434765919,,,,,,\n"                  // no id
      "F,cp_plan,,,,,,,\n"                           // nothing to match on
      "G,cp_plan,1234567890,Nowak,2020-01-01,,,,\n"  // invalid number: warning only
      "H,,,,,,,,delete\n"                            // delete needs only the id
      "I,cp_plan,9434765919,,,,,,remove\n"
      "J,cp_plan\n",
      visitor);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(*summary, (FeedSummary{11, 3, 8, 1}));
  EXPECT_EQ(visitor.issues,
            (std::vector<std::string>{
                "line 3: status: invalid_status", "line 4: birth_date: invalid_date",
                "line 5: sex: invalid_sex", "line 6: end_date: before_start_date",
                "line 7: id: missing_id", "line 8: nhs_number: no_identifying_details",
                "line 9: nhs_number: invalid_nhs_number", "line 11: action: invalid_action",
                "line 12: (row): wrong_field_count"}));
  ASSERT_EQ(visitor.rows.size(), 3u);
  EXPECT_FALSE(visitor.rows[1].entry.nhs_number.has_value());
  EXPECT_EQ(visitor.rows[1].entry.data_quality,
            "nhs_number: invalid_nhs_number (treated as absent)");
  EXPECT_EQ(visitor.rows[2].action, RegisterAction::kDelete);
}

TEST(RegisterCsvTest, NoIssueEverEchoesAnNhsNumber) {
  CollectingVisitor visitor;
  ASSERT_TRUE(
      Read("id,status,nhs_number,mother_nhs_number\nA,unborn_cp_plan,1234567890,1234567891\n",
           visitor)
          .ok());
  for (const std::string& issue : visitor.issues) {
    EXPECT_EQ(issue.find("123456789"), std::string::npos) << issue;
  }
  EXPECT_EQ(visitor.issues.size(), 1u);  // rejected: no identifying details once both are absent
}

TEST(RegisterCsvTest, AHeaderWithoutIdOrWithATwiceNamedColumnStopsTheRun) {
  CollectingVisitor visitor;
  Result<FeedSummary> missing = Read("nhs_number,status\n9434765919,cp_plan\n", visitor);
  EXPECT_EQ(missing.status().reason(), "missing_column");
  EXPECT_EQ(missing.status().field(), "id");
  EXPECT_EQ(Read("id,status,id\n", visitor).status().reason(), "duplicate_column");
  EXPECT_EQ(*Read("", visitor), FeedSummary{});
}

}  // namespace
}  // namespace liaison::ingest
