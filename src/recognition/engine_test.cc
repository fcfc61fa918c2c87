// Every rule with a positive and a negative case, including negation and the explanation
// downgrade. Attendances are written as contract JSON and decoded by the ingest decoder.
#include "recognition/engine.h"

#include <chrono>
#include <set>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/time_format.h"
#include "ingest/attendance_json.h"

namespace liaison::recognition {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

const Engine& DefaultEngine() {
  static const std::unique_ptr<Engine> engine = [] {
    Result<std::unique_ptr<Engine>> loaded = Engine::LoadDefault();
    LIAISON_CHECK(loaded.ok());
    return std::move(*loaded);
  }();
  return *engine;
}

constexpr std::chrono::year_month_day kArrivalDate{std::chrono::year(2026), std::chrono::month(6),
                                                   std::chrono::day(1)};

std::string BirthDateForAge(std::int64_t days) {
  return FormatDate(std::chrono::sys_days(kArrivalDate) - std::chrono::days(days));
}

// An attendance of a patient `age_days` old (or of unknown age when negative) arriving on
// 2026-06-01, with `extra` members appended (",\"notes\":\"...\"").
std::string Attendance(std::int64_t age_days, std::string_view extra = "",
                       std::string_view id = "A1",
                       std::string_view arrival = "2026-06-01T10:00:00Z") {
  std::string patient =
      age_days < 0 ? "{}" : R"({"birth_date":")" + BirthDateForAge(age_days) + R"("})";
  return R"({"attendance_id":")" + std::string(id) + R"(","site":"RSY01","arrival":")" +
         std::string(arrival) + R"(","patient":)" + patient + std::string(extra) + "}";
}

domain::Attendance Decode(const std::string& json) {
  Result<ingest::DecodedAttendance> decoded = ingest::DecodeAttendanceJson(json);
  LIAISON_CHECK(decoded.ok());
  return decoded->attendance;
}

Assessment AssessWith(const Engine& engine, const std::string& json,
                      const std::vector<std::string>& history = {},
                      std::optional<SocialCareStatus> social_care = std::nullopt) {
  domain::Attendance attendance = Decode(json);
  std::vector<domain::Attendance> earlier;
  for (const std::string& item : history) earlier.push_back(Decode(item));
  return engine.Assess({attendance, earlier, std::move(social_care)});
}

Assessment Assess(const std::string& json, const std::vector<std::string>& history = {},
                  std::optional<SocialCareStatus> social_care = std::nullopt) {
  return AssessWith(DefaultEngine(), json, history, std::move(social_care));
}

const Finding* Find(const Assessment& assessment, std::string_view rule) {
  for (const Finding& finding : assessment.findings) {
    if (finding.rule == rule) return &finding;
  }
  return nullptr;
}

// The level `rule` gave, or nullopt when it did not fire.
std::optional<FindingLevel> LevelOf(const Assessment& assessment, std::string_view rule) {
  const Finding* finding = Find(assessment, rule);
  return finding ? std::optional(finding->level) : std::nullopt;
}

constexpr std::int64_t kInfant = 90;    // 3 months
constexpr std::int64_t kToddler = 700;  // about 2 years
constexpr std::int64_t kSchool = 3000;  // about 8 years
constexpr std::int64_t kTeen = 5200;    // about 14 years
constexpr std::int64_t kSeventeen = 6300;
constexpr std::int64_t kAdult = 12000;

TEST(EngineTest, LoadsTheShippedCatalogueAndConcepts) {
  EXPECT_EQ(DefaultEngine().concepts_version(), "liaison-concepts-v1");
  EXPECT_GE(RuleCatalogue().size(), 40u);
}

TEST(EngineTest, NoFindingsGivesNoneWithTheContractNote) {
  Assessment a = Assess(Attendance(kAdult, R"(,"presenting_complaint":"sore throat")"));
  EXPECT_EQ(a.level, OverallLevel::kNone);
  EXPECT_TRUE(a.findings.empty());
  EXPECT_EQ(AssessmentNote(a.level),
            "No alerting features were found in the recorded information. This is not an "
            "all-clear.");
}

TEST(EngineTest, BruiseInANonMobileInfantIsSuspect) {
  Assessment a = Assess(Attendance(
      kInfant,
      R"(,"mobility":"not_independently_mobile","injuries":[{"type":"bruise","site":"shin"}])"));
  EXPECT_EQ(LevelOf(a, "CG89-BR-NIM"), FindingLevel::kSuspect);
  EXPECT_EQ(a.level, OverallLevel::kSuspect);
}

}  // namespace
}  // namespace liaison::recognition
