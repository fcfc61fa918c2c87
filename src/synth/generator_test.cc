#include "synth/generator.h"

#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "domain/nhs_number.h"
#include "domain/working_day_calendar.h"
#include "ingest/feed_reader.h"
#include "synth/population.h"

namespace liaison::synth {
namespace {

GeneratorOptions Small(std::uint64_t seed, std::int64_t count = 3000) {
  GeneratorOptions options;
  options.seed = seed;
  options.attendances = count;
  // A higher planted rate so that a small run covers every scenario family.
  options.child_concern_rate = 0.08;
  options.adult_concern_rate = 0.05;
  return options;
}

std::string Generate(const GeneratorOptions& options, ingest::FeedFormat format,
                     std::string* truth = nullptr) {
  std::ostringstream out;
  std::ostringstream truth_out;
  Status status = WriteAttendances(options, format, out, truth ? &truth_out : nullptr);
  EXPECT_TRUE(status.ok()) << status.ToString();
  if (truth) *truth = truth_out.str();
  return out.str();
}

TEST(GeneratorTest, SameSeedGivesTheSameBytes) {
  for (ingest::FeedFormat format : {ingest::FeedFormat::kNdjson, ingest::FeedFormat::kCsv}) {
    std::string truth_a, truth_b;
    std::string a = Generate(Small(42), format, &truth_a);
    std::string b = Generate(Small(42), format, &truth_b);
    EXPECT_EQ(a, b);
    EXPECT_EQ(truth_a, truth_b);
    EXPECT_NE(a, Generate(Small(43), format));
  }
}

// Accepts every row, collecting what the checks below need.
class Collector final : public ingest::FeedVisitor {
 public:
  Status OnAttendance(std::int64_t, domain::Attendance&& attendance) override {
    if (!attendances.empty()) {
      EXPECT_LE(attendances.back().arrival, attendance.arrival);
    }
    attendances.push_back(std::move(attendance));
    return Status::Ok();
  }
  void OnIssue(const ingest::RowIssue& issue) override {
    if (issue.kind == ingest::IssueKind::kRejected) rejected.push_back(ingest::FormatIssue(issue));
    if (issue.kind == ingest::IssueKind::kWarning) warning_reasons.insert(issue.reason);
  }
  std::vector<domain::Attendance> attendances;
  std::vector<std::string> rejected;
  std::set<std::string> warning_reasons;
};

TEST(GeneratorTest, EveryRowPassesTheDecoderInBothFormats) {
  for (ingest::FeedFormat format : {ingest::FeedFormat::kNdjson, ingest::FeedFormat::kCsv}) {
    std::istringstream in(Generate(Small(7), format));
    Collector collector;
    Result<ingest::FeedSummary> summary = ingest::ReadFeed(in, format, collector);
    ASSERT_TRUE(summary.ok());
    EXPECT_EQ(summary->read, 3000);
    EXPECT_EQ(summary->accepted, 3000);
    EXPECT_TRUE(collector.rejected.empty()) << collector.rejected.front();
    // The only warnings are the deliberately mistyped NHS numbers.
    for (const std::string& reason : collector.warning_reasons) {
      EXPECT_EQ(reason, "unverified_nhs_number");
    }
  }
}

TEST(GeneratorTest, TruthLinesCorrespondToAttendances) {
  std::string truth;
  std::string feed = Generate(Small(9), ingest::FeedFormat::kNdjson, &truth);
  std::istringstream feed_in(feed);
  Collector collector;
  ASSERT_TRUE(ingest::ReadFeed(feed_in, ingest::FeedFormat::kNdjson, collector).ok());
  std::istringstream truth_in(truth);
  std::string line;
  std::getline(truth_in, line);
  EXPECT_EQ(line + "\n", TruthCsvHeader());
  std::set<std::string> scenarios, levels, forms;
  std::size_t row = 0;
  int children = 0;
  for (; std::getline(truth_in, line); ++row) {
    ASSERT_LT(row, collector.attendances.size());
    std::vector<std::string> cells;
    std::stringstream split(line);
    for (std::string cell; std::getline(split, cell, ',');) cells.push_back(cell);
    ASSERT_GE(cells.size(), 8u) << line;
    EXPECT_EQ(cells[0], collector.attendances[row].attendance_id);
    scenarios.insert(cells[4]);
    levels.insert(cells[5]);
    forms.insert(cells[6]);
    if (cells.size() == 9 && !cells[8].empty() && std::stoll(cells[8]) < 18 * 365) ++children;
  }
  EXPECT_EQ(row, collector.attendances.size());
  for (std::string_view expected :
       {"routine", "bruise_non_mobile_infant", "fracture_under_18_months", "ten4_facesp_bruise",
        "adult_domestic_abuse", "adult_mental_health_crisis", "self_harm_adolescent"}) {
    EXPECT_TRUE(scenarios.contains(std::string(expected))) << expected;
  }
  EXPECT_EQ(levels, (std::set<std::string>{"none", "review", "prompt", "consider", "suspect"}));
  EXPECT_TRUE(forms.contains("codes_only"));
  EXPECT_TRUE(forms.contains("free_text_only"));
  // About a quarter of attendances are children.
  EXPECT_GT(children, 3000 * 0.18);
  EXPECT_LT(children, 3000 * 0.40);
}

// The two infant presentations planted for PIBIS and CG89-ALTE carry what those rules read:
// an infant's age, a complaint, no history of trauma; for PIBIS, afebrile observations that
// score at least 3 without the skin examination.
TEST(GeneratorTest, PibisAndBrueInfantsCarryWhatTheirRulesRead) {
  GeneratorOptions options = Small(21, 6000);
  options.child_concern_rate = 0.45;
  std::string truth;
  std::istringstream feed_in(Generate(options, ingest::FeedFormat::kNdjson, &truth));
  Collector collector;
  ASSERT_TRUE(ingest::ReadFeed(feed_in, ingest::FeedFormat::kNdjson, collector).ok());
  std::istringstream truth_in(truth);
  std::string line;
  std::getline(truth_in, line);  // the header
  int brue = 0, pibis = 0;
  for (std::size_t row = 0; std::getline(truth_in, line); ++row) {
    ASSERT_LT(row, collector.attendances.size());
    std::vector<std::string> cells;
    std::stringstream split(line);
    for (std::string cell; std::getline(split, cell, ',');) cells.push_back(cell);
    ASSERT_EQ(cells.size(), 9u) << row;
    const std::string& scenario = cells[4];
    if (scenario != "brue_infant" && scenario != "pibis_well_infant") continue;
    const domain::Attendance& a = collector.attendances[row];
    const std::int64_t age_days = std::stoll(cells[8]);
    EXPECT_LT(age_days, 365) << row;
    EXPECT_TRUE(a.presenting_complaint.has_value()) << row;
    EXPECT_FALSE(a.injury.mechanism || a.injury.datetime || a.injury.intent) << row;
    EXPECT_NE(a.explanation, domain::Explanation::kSuitable) << row;
    if (scenario == "brue_infant") {
      ++brue;
      EXPECT_TRUE(cells[5] == "consider" || cells[5] == "suspect") << row;
      continue;
    }
    ++pibis;
    EXPECT_EQ(cells[5], "consider") << row;
    EXPECT_GE(age_days, 91) << row;
    ASSERT_TRUE(a.observations.temperature_c && a.observations.head_circumference_centile &&
                a.observations.haemoglobin_g_dl)
        << row;
    EXPECT_LT(*a.observations.temperature_c, 38.3) << row;
    EXPECT_GT(*a.observations.head_circumference_centile, 85) << row;
    EXPECT_LT(*a.observations.haemoglobin_g_dl, 11.2) << row;
  }
  EXPECT_GT(brue, 10);
  EXPECT_GT(pibis, 10);
}

TEST(GeneratorTest, ArrivalsStayInThePeriodInLondonTime) {
  GeneratorOptions options = Small(3, 500);
  options.from = std::chrono::year(2026) / std::chrono::March / 28;
  options.to = std::chrono::year(2026) / std::chrono::March / 30;  // spans the clock change
  std::istringstream in(Generate(options, ingest::FeedFormat::kNdjson));
  Collector collector;
  ASSERT_TRUE(ingest::ReadFeed(in, ingest::FeedFormat::kNdjson, collector).ok());
  ASSERT_EQ(collector.attendances.size(), 500u);
  for (const domain::Attendance& a : collector.attendances) {
    std::chrono::sys_days day{domain::LondonDate(a.arrival)};
    EXPECT_GE(day, std::chrono::sys_days(options.from));
    EXPECT_LE(day, std::chrono::sys_days(options.to));
  }
}

TEST(GeneratorTest, SyntheticNhsNumbersAreValidDistinctAndStartWithNine) {
  std::set<std::string> seen;
  for (std::uint64_t key : {0ULL, 1ULL, 8ULL, 9ULL, 12345ULL, 899999ULL}) {
    std::string number = SyntheticNhsNumber(key, true);
    EXPECT_TRUE(number.starts_with("999")) << number;
    EXPECT_TRUE(domain::NhsNumber::Parse(number).ok()) << number;
    EXPECT_TRUE(seen.insert(number).second);
  }
  for (std::uint64_t key = 0; key < 2000; ++key) {
    std::string number = SyntheticNhsNumber(key * 44999 + 17, false);
    EXPECT_EQ(number[0], '9');
    EXPECT_TRUE(domain::NhsNumber::Parse(number).ok()) << number;
    EXPECT_TRUE(seen.insert(number).second) << number;
  }
}

TEST(GeneratorTest, RegisterComesFromTheSamePopulation) {
  GeneratorOptions options = Small(11, 20000);
  std::ostringstream register_out;
  ASSERT_TRUE(WriteRegister(options, register_out).ok());
  std::string text = register_out.str();
  EXPECT_TRUE(
      text.starts_with("id,nhs_number,given_name,family_name,birth_date,sex,postcode,"
                       "status,plan_category,start_date,end_date,responsible_org,"));
  EXPECT_NE(text.find(",cp_plan,"), std::string::npos);
  EXPECT_NE(text.find(",looked_after,"), std::string::npos);
  // Register children attend: their truth rows carry their status.
  std::string truth;
  Generate(options, ingest::FeedFormat::kNdjson, &truth);
  EXPECT_NE(truth.find(",cp_plan,"), std::string::npos);
  std::ostringstream again;
  ASSERT_TRUE(WriteRegister(options, again).ok());
  EXPECT_EQ(again.str(), text);
}

TEST(GeneratorTest, RejectsBadOptions) {
  GeneratorOptions options;
  options.attendances = 0;
  EXPECT_EQ(ValidateOptions(options).reason(), "invalid_count");
  options.attendances = 1;
  options.from = std::chrono::year(2027) / 1 / 1;
  EXPECT_EQ(ValidateOptions(options).reason(), "invalid_period");
}

}  // namespace
}  // namespace liaison::synth
