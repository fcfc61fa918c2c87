#include "review/sweep.h"

#include <algorithm>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "review/worklist.h"

namespace liaison::review {
namespace {

using recognition::FindingLevel;
using recognition::OverallLevel;

// A stand-in for the recognition engine: "bruise" in the presenting complaint is a consider
// finding; any history is a review finding whose evidence lists the earlier attendances, so
// tests can see exactly which history each attendance got.
class FakeEngine final : public recognition::Engine {
 public:
  const std::string& concepts_version() const override { return version_; }

  recognition::Assessment Assess(const recognition::AssessInput& input) const override {
    std::vector<recognition::PastAttendance> history;
    for (const domain::Attendance& earlier : input.history) history.push_back(Summarise(earlier));
    recognition::PastAttendance unused;
    return Assess({input.attendance, history, input.social_care}, unused);
  }

  recognition::Assessment Assess(const recognition::SummarisedAssessInput& input,
                                 recognition::PastAttendance& summary) const override {
    recognition::Assessment assessment;
    const domain::Attendance& a = input.attendance;
    summary = Summarise(a);
    if (a.presenting_complaint && a.presenting_complaint->find("bruise") != std::string::npos) {
      assessment.findings.push_back(
          {"FAKE-BRUISE", FindingLevel::kConsider, "bruising", "bruise", "test", {}});
      assessment.level = OverallLevel::kConsider;
    }
    if (input.social_care) {
      assessment.findings.push_back({"FAKE-CSC",
                                     FindingLevel::kReview,
                                     "known_to_social_care",
                                     "on the register",
                                     "test",
                                     {input.social_care->status}});
      assessment.level = std::max(assessment.level, OverallLevel::kReview);
    }
    if (!input.history.empty()) {
      std::vector<std::string> ids;
      for (const recognition::PastAttendance& earlier : input.history) {
        ids.push_back(earlier.attendance_id);
      }
      assessment.findings.push_back({"FAKE-HISTORY", FindingLevel::kReview, "frequent_attendance",
                                     "seen before", "test", ids});
      assessment.level = std::max(assessment.level, OverallLevel::kReview);
    }
    return assessment;
  }

  recognition::PastAttendance Summarise(const domain::Attendance& a) const override {
    return {a.arrival, a.site, a.attendance_id, false, false};
  }

 private:
  std::string version_ = "fake";
};

struct Row {
  Row(std::string id_, std::string arrival_, std::string local_id_ = "L1", std::string nhs_ = "",
      std::string complaint_ = "", std::string site_ = "S1", std::string birth_ = "2025-01-01")
      : id(std::move(id_)),
        arrival(std::move(arrival_)),
        local_id(std::move(local_id_)),
        nhs(std::move(nhs_)),
        complaint(std::move(complaint_)),
        site(std::move(site_)),
        birth(std::move(birth_)) {}

  std::string id;
  std::string arrival;
  std::string local_id;
  std::string nhs;
  std::string complaint;
  std::string site;
  std::string birth;
};

std::string Ndjson(const Row& row) {
  std::string patient = R"("local_id":")" + row.local_id + "\"";
  if (!row.nhs.empty()) patient += R"(,"nhs_number":")" + row.nhs + "\"";
  if (!row.birth.empty()) patient += R"(,"birth_date":")" + row.birth + "\"";
  std::string line = R"({"attendance_id":")" + row.id + R"(","site":")" + row.site +
                     R"(","arrival":")" + row.arrival + R"(","patient":{)" + patient + "}";
  if (!row.complaint.empty()) line += R"(,"presenting_complaint":")" + row.complaint + "\"";
  return line + "}\n";
}

std::string Feed(const std::vector<Row>& rows) {
  std::string text;
  for (const Row& row : rows) text += Ndjson(row);
  return text;
}

struct Outcome {
  Result<SweepResult> result;
  std::vector<std::string> lines;
  std::vector<std::string> issues;
};

Outcome Sweep(const std::string& text, SweepOptions options = {}) {
  FakeEngine engine;
  Outcome outcome{SweepResult{}, {}, {}};
  SweepCallbacks callbacks;
  callbacks.on_issue = [&](const ingest::RowIssue& issue) {
    outcome.issues.push_back(ingest::FormatIssue(issue));
  };
  callbacks.on_item = [&](std::string_view line) {
    outcome.lines.emplace_back(line);
    return Status::Ok();
  };
  std::istringstream in(text);
  outcome.result = RunSweep(in, ingest::FeedFormat::kNdjson, engine, options, callbacks);
  return outcome;
}

std::vector<std::string> Ids(const Outcome& outcome) {
  std::vector<std::string> ids;
  for (const std::string& line : outcome.lines) {
    Result<WorklistItem> item = ParseWorklistItemJson(line);
    EXPECT_TRUE(item.ok()) << line;
    if (item.ok()) ids.push_back(item->attendance_id);
  }
  return ids;
}

// The earlier attendances the engine saw for `id`, or "-" when it was not on the worklist
// with history.
std::string HistoryOf(const Outcome& outcome, std::string_view id) {
  for (const std::string& line : outcome.lines) {
    Result<WorklistItem> item = ParseWorklistItemJson(line);
    if (!item.ok() || item->attendance_id != id) continue;
    for (const recognition::Finding& finding : item->findings) {
      if (finding.rule != "FAKE-HISTORY") continue;
      std::string joined;
      for (const std::string& earlier : finding.evidence)
        joined += (joined.empty() ? "" : ",") + earlier;
      return joined;
    }
  }
  return "-";
}

TEST(SweepTest, WorklistHasFlaggedAttendancesInContractOrder) {
  std::vector<Row> rows = {
      {"quiet", "2026-01-01T10:00:00Z", "Q1"},
      {"adult-bruise", "2026-01-02T10:00:00Z", "A1", "", "bruise to arm", "S1", "1990-01-01"},
      {"baby-bruise", "2026-01-03T10:00:00Z", "B1", "", "bruise to ear", "S1", "2025-12-01"},
      {"no-dob-bruise", "2026-01-01T09:00:00Z", "N1", "", "bruise", "S1", ""},
      {"baby-again", "2026-01-04T10:00:00Z", "B1"},
  };
  Outcome outcome = Sweep(Feed(rows));
  ASSERT_TRUE(outcome.result.ok()) << outcome.result.status().ToString();
  // Consider before review; within consider the youngest first and unknown age last.
  EXPECT_EQ(Ids(outcome), (std::vector<std::string>{"baby-bruise", "adult-bruise", "no-dob-bruise",
                                                    "baby-again"}));
  EXPECT_EQ(outcome.result->feed, (ingest::FeedSummary{5, 5, 0, 0}));
  EXPECT_EQ(outcome.result->assessed, 5);
  EXPECT_EQ(outcome.result->on_worklist, 4);
  EXPECT_EQ(HistoryOf(outcome, "baby-again"), "baby-bruise");
  Result<WorklistItem> first = ParseWorklistItemJson(outcome.lines[0]);
  EXPECT_EQ(first->age_days, 33);
  EXPECT_EQ(first->person_key, "local:S1:B1");
}

// British Summer Time began at 01:00 UTC on 29 March 2026 and ended at 01:00 UTC on
// 25 October 2026: the range is of London dates, not UTC dates.
TEST(SweepTest, DateRangeIsInclusiveInLondonDatesAcrossClockChanges) {
  std::vector<Row> rows = {
      {"spring-before", "2026-03-28T23:59:59Z", "P1", "", "bruise"},  // London 28 Mar
      {"spring-first", "2026-03-29T00:00:00Z", "P2", "", "bruise"},   // London 29 Mar 00:00 GMT
      {"spring-last", "2026-03-29T22:59:59Z", "P3", "", "bruise"},    // London 29 Mar 23:59 BST
      {"spring-after", "2026-03-29T23:00:00Z", "P4", "", "bruise"},   // London 30 Mar 00:00 BST
      {"autumn-before", "2026-10-23T23:00:00Z", "P5", "", "bruise"},  // London 24 Oct 00:00 BST
      {"autumn-first", "2026-10-24T23:00:00Z", "P6", "", "bruise"},   // London 25 Oct 00:00 BST
      {"autumn-last", "2026-10-25T23:59:59Z", "P7", "", "bruise"},    // London 25 Oct 23:59 GMT
      {"autumn-after", "2026-10-26T00:00:00Z", "P8", "", "bruise"},   // London 26 Oct
  };
  SweepOptions spring;
  spring.from = std::chrono::year_month_day(std::chrono::year(2026), std::chrono::March,
                                            std::chrono::day(29));
  spring.to = spring.from;
  Outcome in_spring = Sweep(Feed(rows), spring);
  ASSERT_TRUE(in_spring.result.ok());
  std::vector<std::string> ids = Ids(in_spring);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"spring-first", "spring-last"}));
  EXPECT_EQ(in_spring.result->assessed, 2);

  SweepOptions autumn;
  autumn.from = std::chrono::year_month_day(std::chrono::year(2026), std::chrono::October,
                                            std::chrono::day(25));
  autumn.to = autumn.from;
  Outcome in_autumn = Sweep(Feed(rows), autumn);
  ASSERT_TRUE(in_autumn.result.ok());
  ids = Ids(in_autumn);
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids, (std::vector<std::string>{"autumn-first", "autumn-last"}));
}

TEST(SweepTest, AttendancesBeforeTheRangeStillCountAsHistory) {
  std::vector<Row> rows = {
      {"old", "2026-01-01T10:00:00Z", "P1"},
      {"in-range", "2026-02-01T10:00:00Z", "P1"},
  };
  SweepOptions options;
  options.from = std::chrono::year_month_day(std::chrono::year(2026), std::chrono::February,
                                             std::chrono::day(1));
  Outcome outcome = Sweep(Feed(rows), options);
  ASSERT_TRUE(outcome.result.ok());
  EXPECT_EQ(Ids(outcome), std::vector<std::string>{"in-range"});
  EXPECT_EQ(HistoryOf(outcome, "in-range"), "old");
}

TEST(SweepTest, HistoryOlderThanTheWindowIsForgotten) {
  std::vector<Row> rows = {
      {"d0", "2026-01-01T10:00:00Z", "P1"},    {"once", "2026-01-01T11:00:00Z", "P2"},
      {"d20", "2026-01-21T10:00:00Z", "P1"},   {"d45", "2026-02-15T10:00:00Z", "P1"},
      {"d50", "2026-02-20T09:00:00Z", "P1"},   {"d100", "2026-04-11T10:00:00Z", "P1"},
      {"later", "2026-04-11T12:00:00Z", "P2"},
  };
  SweepOptions options;
  options.history_days = 30;
  Outcome outcome = Sweep(Feed(rows), options);
  ASSERT_TRUE(outcome.result.ok());
  EXPECT_EQ(HistoryOf(outcome, "d20"), "d0");
  EXPECT_EQ(HistoryOf(outcome, "d45"), "d20");  // d0 is 45 days back
  EXPECT_EQ(HistoryOf(outcome, "d50"), "d20,d45");
  EXPECT_EQ(HistoryOf(outcome, "d100"), "-");  // nothing within 30 days
  EXPECT_EQ(HistoryOf(outcome, "later"), "-");
  // P2 (and later P1) had nothing left in the window and were dropped from memory.
  EXPECT_GE(outcome.result->history_evictions, 2);

  options.history_days = 0;
  Outcome no_history = Sweep(Feed(rows), options);
  ASSERT_TRUE(no_history.result.ok());
  EXPECT_TRUE(no_history.lines.empty());
}

TEST(SweepTest, AVerifiedNhsNumberJoinsSitesAndLocalIdsDoNot) {
  std::vector<Row> rows = {
      {"nhs-a", "2026-01-01T10:00:00Z", "X1", "9990000018", "", "S1"},
      {"nhs-b", "2026-01-02T10:00:00Z", "Y7", "999 000 0018", "", "S2"},
      {"local-s1", "2026-01-01T10:00:00Z", "L5", "", "", "S1"},
      {"local-s2", "2026-01-02T10:00:00Z", "L5", "", "", "S2"},
      {"invalid-a", "2026-01-01T10:00:00Z", "M1", "1234567890", "", "S1"},
      {"invalid-b", "2026-01-02T10:00:00Z", "M2", "1234567890", "", "S1"},
      {"local-s1-again", "2026-01-03T10:00:00Z", "L5", "", "", "S1"},
  };
  Outcome outcome = Sweep(Feed(rows));
  ASSERT_TRUE(outcome.result.ok());
  EXPECT_EQ(HistoryOf(outcome, "nhs-b"), "nhs-a");
  EXPECT_EQ(HistoryOf(outcome, "local-s2"), "-");   // same local id, another site
  EXPECT_EQ(HistoryOf(outcome, "invalid-b"), "-");  // an invalid number is never matched
  EXPECT_EQ(HistoryOf(outcome, "local-s1-again"), "local-s1");
  Result<WorklistItem> joined = ParseWorklistItemJson(outcome.lines[0]);
  ASSERT_TRUE(joined.ok());
  EXPECT_EQ(joined->person_key.substr(0, 4), "nhs:");
  EXPECT_EQ(outcome.result->feed.warnings, 2);  // each row with the invalid number
}

// A synthetic NHS number with a valid check digit, from a 9-digit stem (stems whose check
// digit would be 10 are stepped past).
std::string ValidNhsNumber(int stem) {
  for (;; ++stem) {
    std::string digits = std::to_string(900000000 + stem);
    int sum = 0;
    for (int i = 0; i < 9; ++i) sum += (digits[i] - '0') * (10 - i);
    int check = 11 - sum % 11;
    if (check == 10) continue;
    return digits + static_cast<char>('0' + (check == 11 ? 0 : check));
  }
}

// A year of attendances of 40 people, some flagged, with repeat visits; a third of the people
// have a verified NHS number on some of their rows, so both kinds of person key are joined.
std::vector<Row> ManyRows() {
  std::vector<Row> rows;
  std::mt19937 random(11);
  for (int i = 0; i < 600; ++i) {
    Row row("A" + std::to_string(i), "");
    int day = static_cast<int>(random() % 365);
    int minute = static_cast<int>(random() % 1440);
    auto at = std::chrono::sys_days(std::chrono::year(2026) / 1 / 1) + std::chrono::days(day) +
              std::chrono::minutes(minute);
    row.arrival = FormatTimestamp(std::chrono::time_point_cast<std::chrono::microseconds>(at));
    const int person = static_cast<int>(random() % 40);
    row.local_id = "P" + std::to_string(person);
    if (person % 3 == 0 && random() % 2 == 0) row.nhs = ValidNhsNumber(person * 7919);
    if (random() % 5 == 0) row.complaint = "bruise";
    row.birth = random() % 7 == 0 ? "" : "2020-0" + std::to_string(1 + random() % 9) + "-01";
    rows.push_back(row);
  }
  return rows;
}

TEST(SweepTest, UnorderedInputIsSortedOnDiskAndGivesTheSameWorklist) {
  std::vector<Row> rows = ManyRows();
  std::vector<Row> ordered = rows;
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Row& a, const Row& b) { return a.arrival < b.arrival; });
  SweepOptions reference_options;
  reference_options.workers = 1;
  reference_options.order = InputOrder::kExpectOrdered;
  reference_options.history_days = 60;
  Outcome reference = Sweep(Feed(ordered), reference_options);
  ASSERT_TRUE(reference.result.ok());
  ASSERT_FALSE(reference.result->out_of_order);
  EXPECT_EQ(reference.result->sorted_runs, 0);
  ASSERT_GT(reference.lines.size(), 100u);

  for (int workers : {1, 2, 5}) {
    SweepOptions options;
    options.workers = workers;
    options.history_days = 60;
    options.sort_budget_bytes = 4096;  // a few dozen records per run: it must spill
    options.worklist_budget_bytes = 2048;
    Outcome sorted = Sweep(Feed(rows), options);
    ASSERT_TRUE(sorted.result.ok()) << sorted.result.status().ToString();
    EXPECT_GT(sorted.result->sorted_runs, 5) << workers;
    EXPECT_EQ(sorted.lines, reference.lines) << workers;
  }
}

// An ordered NDJSON file is read by partition (each worker decodes its own people's rows):
// the worklist is the one a sorted run gives, whatever the number of workers.
TEST(SweepTest, AnOrderedFileReadByPartitionGivesTheSortedRunsWorklist) {
  std::vector<Row> ordered = ManyRows();
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const Row& a, const Row& b) { return a.arrival < b.arrival; });
  SweepOptions sorted_options;
  sorted_options.workers = 1;
  sorted_options.history_days = 60;
  Outcome sorted = Sweep(Feed(ordered), sorted_options);
  ASSERT_TRUE(sorted.result.ok());
  ASSERT_GT(sorted.lines.size(), 100u);
  for (int workers : {1, 2, 5}) {
    SweepOptions options = sorted_options;
    options.workers = workers;
    options.order = InputOrder::kExpectOrdered;
    Outcome outcome = Sweep(Feed(ordered), options);
    ASSERT_TRUE(outcome.result.ok()) << outcome.result.status().ToString();
    ASSERT_FALSE(outcome.result->out_of_order) << workers;
    EXPECT_EQ(outcome.result->feed, sorted.result->feed) << workers;
    EXPECT_EQ(outcome.result->assessed, sorted.result->assessed) << workers;
    EXPECT_EQ(outcome.lines, sorted.lines) << workers;
  }
}

TEST(SweepTest, ExpectOrderedStopsAtTheFirstAttendanceOutOfOrder) {
  std::vector<Row> rows = {
      {"a", "2026-01-02T10:00:00Z", "P1", "", "bruise"},
      {"b", "2026-01-03T10:00:00Z", "P2", "", "bruise"},
      {"c", "2026-01-01T10:00:00Z", "P3", "", "bruise"},
      {"d", "2026-01-04T10:00:00Z", "P4", "", "bruise"},
  };
  SweepOptions options;
  options.workers = 1;
  options.order = InputOrder::kExpectOrdered;
  Outcome outcome = Sweep(Feed(rows), options);
  ASSERT_TRUE(outcome.result.ok());
  EXPECT_TRUE(outcome.result->out_of_order);
  // Issues are reported a block at a time; none of this block's were, so a restart reports
  // them all.
  EXPECT_EQ(outcome.result->last_line_read, 0);
  EXPECT_TRUE(outcome.lines.empty());
}

// With several workers, each worker's rows are its people's whole histories, so only their
// order matters: a shuffled year is out of order for every worker.
TEST(SweepTest, ExpectOrderedStopsWhenAWorkersRowsAreOutOfOrder) {
  SweepOptions options;
  options.workers = 2;
  options.order = InputOrder::kExpectOrdered;
  Outcome outcome = Sweep(Feed(ManyRows()), options);
  ASSERT_TRUE(outcome.result.ok());
  EXPECT_TRUE(outcome.result->out_of_order);
  EXPECT_TRUE(outcome.lines.empty());
}

TEST(SweepTest, RejectedRowsAreReportedByLineAndTheRestIsSwept) {
  std::string text = Ndjson({"a", "2026-01-02T10:00:00Z", "P1", "", "bruise"}) +
                     R"({"attendance_id":"b","site":"S1","arrival":"yesterday","patient":{}})" +
                     "\nnot json\n" + Ndjson({"c", "2026-01-01T10:00:00Z", "P3", "", "bruise"});
  Outcome outcome = Sweep(text);
  ASSERT_TRUE(outcome.result.ok());
  EXPECT_EQ(outcome.result->feed, (ingest::FeedSummary{4, 2, 2, 0}));
  EXPECT_EQ(outcome.issues, (std::vector<std::string>{"line 2: /arrival: invalid_datetime",
                                                      "line 3: (row): invalid_json"}));
  EXPECT_EQ(Ids(outcome), (std::vector<std::string>{"c", "a"}));  // same age: by arrival

  // A restart after out_of_order does not report the rows already reported.
  SweepOptions restart;
  restart.issues_reported_through_line = 2;
  Outcome again = Sweep(text, restart);
  EXPECT_EQ(again.issues, std::vector<std::string>{"line 3: (row): invalid_json"});
}

TEST(SweepTest, ASinkFailureStopsTheSweep) {
  FakeEngine engine;
  SweepCallbacks callbacks;
  callbacks.on_item = [](std::string_view) { return Unavailable("write_failed", "disk full"); };
  std::istringstream in(Feed({{"a", "2026-01-02T10:00:00Z", "P1", "", "bruise"}}));
  Result<SweepResult> result = RunSweep(in, ingest::FeedFormat::kNdjson, engine, {}, callbacks);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().reason(), "write_failed");
}

TEST(SweepTest, TheRegisterReachesTheEngineByVerifiedNhsNumberOnly) {
  std::istringstream register_csv(
      "id,nhs_number,status,responsible_org\nR1,9990000018,cp_plan,LA\n");
  Result<RegisterIndex> index = ReadRegisterCsv(register_csv);
  ASSERT_TRUE(index.ok());
  SweepOptions options;
  options.social_care_register = &*index;
  std::vector<Row> rows = {
      {"on-plan", "2026-01-01T10:00:00Z", "X1", "9990000018", "", "S1"},
      {"not-on-plan", "2026-01-01T11:00:00Z", "X2", "9990000026", "", "S1"},
  };
  Outcome outcome = Sweep(Feed(rows), options);
  ASSERT_TRUE(outcome.result.ok());
  ASSERT_EQ(Ids(outcome), std::vector<std::string>{"on-plan"});
  EXPECT_NE(outcome.lines[0].find(R"("evidence":["cp_plan"])"), std::string::npos);
  EXPECT_TRUE(Sweep(Feed(rows)).lines.empty());  // no register, no finding
}

TEST(SweepTest, BadOptionsAreRefused) {
  SweepOptions options;
  options.history_days = -1;
  EXPECT_EQ(ValidateSweepOptions(options).reason(), "invalid_history_days");
  options = {};
  options.workers = 0;
  EXPECT_EQ(ValidateSweepOptions(options).reason(), "invalid_threads");
  options = {};
  options.decode_threads = 0;
  EXPECT_EQ(ValidateSweepOptions(options).field(), "--decode-threads");
  options = {};
  options.from =
      std::chrono::year_month_day(std::chrono::year(2026), std::chrono::May, std::chrono::day(2));
  options.to =
      std::chrono::year_month_day(std::chrono::year(2026), std::chrono::May, std::chrono::day(1));
  EXPECT_EQ(ValidateSweepOptions(options).reason(), "invalid_range");
}

}  // namespace
}  // namespace liaison::review
