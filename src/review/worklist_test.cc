#include "review/worklist.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "common/time_format.h"

namespace liaison::review {
namespace {

using recognition::FindingLevel;
using recognition::OverallLevel;

Timestamp At(std::string_view text) { return *ParseTimestamp(text); }

WorklistItem Item(std::string id, OverallLevel level, std::optional<std::int64_t> age,
                  std::string_view arrival) {
  WorklistItem item;
  item.attendance_id = std::move(id);
  item.site = "RSY01";
  item.arrival = At(arrival);
  item.age_days = age;
  item.level = level;
  item.person_key = "local:RSY01:L1";
  return item;
}

TEST(WorklistTest, JsonMembersComeInContractOrder) {
  WorklistItem item = Item("A1", OverallLevel::kConsider, 120, "2026-03-14T21:05:00Z");
  item.findings.push_back({"CG89-B1",
                           FindingLevel::kConsider,
                           "bruising",
                           "Bruise \"quoted\"",
                           "NICE CG89 1.2.1",
                           {"injuries[0].type=bruise"}});
  EXPECT_EQ(WorklistItemJson(item),
            R"({"attendance_id":"A1","site":"RSY01","arrival":"2026-03-14T21:05:00.000000Z",)"
            R"("age_days":120,"level":"consider","findings":[{"rule":"CG89-B1","level":"consider",)"
            R"("category":"bruising","reason":"Bruise \"quoted\"","source":"NICE CG89 1.2.1",)"
            R"("evidence":["injuries[0].type=bruise"]}],"person_key":"local:RSY01:L1"})");
}

TEST(WorklistTest, UnknownAgeIsLeftOutAndTheLineParsesBack) {
  WorklistItem item = Item("A2", OverallLevel::kReview, std::nullopt, "2026-01-01T00:00:00Z");
  item.findings.push_back({"FA-1", FindingLevel::kReview, "frequent_attendance", "r", "s", {}});
  item.findings.push_back({"DOC-1", FindingLevel::kAudit, "documentation", "r", "s", {"x"}});
  std::string line = WorklistItemJson(item);
  EXPECT_EQ(line.find("age_days"), std::string::npos);
  Result<WorklistItem> back = ParseWorklistItemJson(line);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(WorklistItemJson(*back), line);
  EXPECT_FALSE(back->age_days.has_value());
  EXPECT_EQ(back->findings[1].level, FindingLevel::kAudit);
}

// The line is written by hand: quotes, backslashes, control characters and non-ASCII text in
// any member must come back unchanged through a real JSON parser.
TEST(WorklistTest, AwkwardTextRoundTrips) {
  WorklistItem item = Item("A\"4\\", OverallLevel::kSuspect, 0, "2026-01-01T00:00:00Z");
  item.person_key = "local:RSY01:\x01\x1f\t\n";
  item.findings.push_back({"R\b1",
                           FindingLevel::kSuspect,
                           "bruising",
                           "caf\xc3\xa9 \f \\ \"",
                           "s/\x7f",
                           {"notes:\"bruise\"", "", "\r"}});
  item.findings.push_back({"R2", FindingLevel::kAudit, "documentation", "", "", {}});
  std::string line = WorklistItemJson(item);
  Result<WorklistItem> back = ParseWorklistItemJson(line);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->attendance_id, item.attendance_id);
  EXPECT_EQ(back->person_key, item.person_key);
  ASSERT_EQ(back->findings.size(), 2u);
  EXPECT_EQ(back->findings[0].rule, item.findings[0].rule);
  EXPECT_EQ(back->findings[0].reason, item.findings[0].reason);
  EXPECT_EQ(back->findings[0].source, item.findings[0].source);
  EXPECT_EQ(back->findings[0].evidence, item.findings[0].evidence);
  EXPECT_TRUE(back->findings[1].evidence.empty());
  EXPECT_EQ(WorklistItemJson(*back), line);
}

TEST(WorklistTest, MalformedLinesAreRefusedNamingTheMember) {
  EXPECT_FALSE(ParseWorklistItemJson("not json").ok());
  WorklistItem item = Item("A3", OverallLevel::kSuspect, 1, "2026-01-01T00:00:00Z");
  std::string line = WorklistItemJson(item);
  std::string bad_level = line;
  bad_level.replace(bad_level.find("suspect"), 7, "maybe!!");
  EXPECT_EQ(ParseWorklistItemJson(bad_level).status().reason(), "invalid_level");
}

TEST(WorklistTest, SortKeyOrdersByLevelThenYoungestThenArrivalThenId) {
  std::vector<WorklistItem> expected = {
      Item("s-young", OverallLevel::kSuspect, 10, "2026-05-01T00:00:00Z"),
      Item("s-old", OverallLevel::kSuspect, 4000, "2026-01-01T00:00:00Z"),
      Item("s-unknown", OverallLevel::kSuspect, std::nullopt, "2025-01-01T00:00:00Z"),
      Item("c-0-early", OverallLevel::kConsider, 0, "2026-01-01T00:00:00Z"),
      Item("c-0-late-a", OverallLevel::kConsider, 0, "2026-01-02T00:00:00Z"),
      Item("c-0-late-b", OverallLevel::kConsider, 0, "2026-01-02T00:00:00Z"),
      Item("p-adult", OverallLevel::kPrompt, 12000, "2026-01-01T00:00:00Z"),
      Item("r-unknown-early", OverallLevel::kReview, std::nullopt, "2026-01-01T00:00:00Z"),
      Item("r-unknown-late", OverallLevel::kReview, std::nullopt, "2026-02-01T00:00:00Z"),
  };
  std::vector<WorklistItem> shuffled = expected;
  std::reverse(shuffled.begin(), shuffled.end());
  std::swap(shuffled[1], shuffled[5]);
  std::sort(shuffled.begin(), shuffled.end(), [](const WorklistItem& a, const WorklistItem& b) {
    return WorklistSortKey(a) < WorklistSortKey(b);
  });
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(shuffled[i].attendance_id, expected[i].attendance_id) << i;
  }
}

TEST(WorklistTest, PersonKeyPrefersAVerifiedNhsNumber) {
  domain::Attendance attendance;
  attendance.site = "RSY01";
  attendance.attendance_id = "A";
  EXPECT_EQ(PersonKeyOf(attendance), std::nullopt);
  attendance.patient.local_id = "L9";
  EXPECT_EQ(PersonKeyOf(attendance), "local:RSY01:L9");
  attendance.patient.nhs_number = domain::RecordedNhsNumber{"9990000018", false};
  EXPECT_EQ(PersonKeyOf(attendance), "local:RSY01:L9");  // unverified: never used for matching
  attendance.patient.nhs_number = domain::RecordedNhsNumber{"9990000018", true};
  EXPECT_EQ(PersonKeyOf(attendance), "nhs:9990000018");
}

TEST(WorklistTest, LevelSlugsRoundTrip) {
  for (OverallLevel level : {OverallLevel::kNone, OverallLevel::kReview, OverallLevel::kPrompt,
                             OverallLevel::kConsider, OverallLevel::kSuspect}) {
    EXPECT_EQ(*ParseOverallLevel(LevelSlug(level)), level);
    EXPECT_EQ(LevelSlug(level), recognition::OverallLevelSlug(level));
  }
  EXPECT_EQ(*ParseFindingLevel("audit"), FindingLevel::kAudit);
  EXPECT_FALSE(ParseFindingLevel("none").ok());
}

}  // namespace
}  // namespace liaison::review
