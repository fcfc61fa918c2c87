// Every rule with a positive and a negative case, including negation and the explanation
// downgrade. Attendances are written as contract JSON and decoded by the ingest decoder.
#include "recognition/engine.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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
  EXPECT_EQ(DefaultEngine().concepts_version(), "liaison-concepts-v2.1");
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

// --- bruising ---------------------------------------------------------------------------

TEST(EngineTest, BruiseInANonMobileChildNeverDowngrades) {
  // The explanation was recorded as suitable, and the level stays suspect.
  Assessment a = Assess(Attendance(
      kToddler,
      R"(,"mobility":"not_independently_mobile","explanation":"suitable","injuries":[{"type":"bruise","site":"shin"}])"));
  EXPECT_EQ(LevelOf(a, "CG89-BR-NIM"), FindingLevel::kSuspect);
  Assessment mobile = Assess(Attendance(
      kToddler,
      R"(,"mobility":"independently_mobile","injuries":[{"type":"bruise","site":"shin"}])"));
  EXPECT_EQ(LevelOf(mobile, "CG89-BR-NIM"), std::nullopt);
}

TEST(EngineTest, MobilityProxyAppliesBelowTheConfiguredAgeAndSaysSo) {
  Assessment young = Assess(Attendance(150, R"(,"notes":"Small bruise to shin.")"));
  const Finding* finding = Find(young, "CG89-BR-NIM");
  ASSERT_NE(finding, nullptr);
  EXPECT_THAT(finding->reason, HasSubstr("age proxy"));
  EXPECT_THAT(finding->evidence, Contains("age_days=150 (mobility not recorded)"));
  EXPECT_THAT(finding->evidence, Contains("notes:\"bruise to shin\""));
  Assessment older = Assess(Attendance(200, R"(,"notes":"Small bruise to shin.")"));
  EXPECT_EQ(LevelOf(older, "CG89-BR-NIM"), std::nullopt);
  // A trust may move the cut-off.
  EngineOptions options;
  options.not_mobile_proxy_days = 250;
  Result<std::unique_ptr<Engine>> engine = Engine::LoadDefault(options);
  ASSERT_TRUE(engine.ok());
  Assessment moved = AssessWith(**engine, Attendance(200, R"(,"notes":"Small bruise to shin.")"));
  EXPECT_EQ(LevelOf(moved, "CG89-BR-NIM"), FindingLevel::kSuspect);
}

TEST(EngineTest, NegatedBruisingDoesNotFire) {
  for (std::string_view notes :
       {"No bruising seen.", "nil bruising", "Skin: no bruises or petechiae",
        "Checked for bruising - none.", "bruising: nil", "Denies bruising."}) {
    Assessment a = Assess(Attendance(kInfant, R"(,"notes":")" + std::string(notes) + "\""));
    EXPECT_EQ(LevelOf(a, "CG89-BR-NIM"), std::nullopt) << notes;
  }
}

TEST(EngineTest, ClauseBoundaryEndsNegation) {
  Assessment a = Assess(Attendance(kToddler, R"(,"notes":"no fever but bruise to ear")"));
  const Finding* finding = Find(a, "TEN4FACESP");
  ASSERT_NE(finding, nullptr);
  EXPECT_THAT(finding->evidence, Contains("notes:\"bruise to ear\""));
  Assessment sentence = Assess(Attendance(kToddler, R"(,"notes":"No fever. Bruise to ear.")"));
  EXPECT_TRUE(LevelOf(sentence, "TEN4FACESP").has_value());
}

TEST(EngineTest, PatternedBruiseIsSuspectEvenWithAnExplanation) {
  Assessment a = Assess(Attendance(
      kSchool,
      R"(,"explanation":"suitable","injuries":[{"type":"bruise","site":"arm","pattern":"hand print"}])"));
  const Finding* finding = Find(a, "CG89-BR-PATTERN");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->level, FindingLevel::kSuspect);
  EXPECT_THAT(finding->evidence, Contains("injuries[0].pattern=hand"));
  Assessment plain = Assess(
      Attendance(kSchool, R"(,"injuries":[{"type":"bruise","site":"arm","pattern":"round"}])"));
  EXPECT_EQ(LevelOf(plain, "CG89-BR-PATTERN"), std::nullopt);
}

TEST(EngineTest, PatternedBruiseInCg89sOwnWordsFromFreeText) {
  for (std::string_view notes : {"Bruising in the shape of a hand on the back.",
                                 "Linear bruises in the shape of a belt across the buttocks.",
                                 "Hand-shaped bruise to left cheek.",
                                 "Bruising in the shape of teeth marks on the forearm."}) {
    Assessment a = Assess(Attendance(kSchool, R"(,"notes":")" + std::string(notes) + "\""));
    EXPECT_EQ(LevelOf(a, "CG89-BR-PATTERN"), FindingLevel::kSuspect) << notes;
  }
  // Negated, or a shape that is not a mark's.
  for (std::string_view notes :
       {"No bruising in the shape of a hand.", "Rash in the shape of a ring on the arm."}) {
    Assessment a = Assess(Attendance(kSchool, R"(,"notes":")" + std::string(notes) + "\""));
    EXPECT_EQ(LevelOf(a, "CG89-BR-PATTERN"), std::nullopt) << notes;
  }
}

TEST(EngineTest, ContusionCodesAreBruising) {
  // ICD-10 S30.0, contusion of lower back and pelvis, in a non-mobile infant.
  Assessment a = Assess(Attendance(
      kInfant,
      R"(,"mobility":"not_independently_mobile","diagnoses":[{"system":"ICD-10","code":"S30.0"}])"));
  const Finding* finding = Find(a, "CG89-BR-NIM");
  ASSERT_NE(finding, nullptr);
  EXPECT_THAT(finding->evidence, Contains("diagnoses[0].code=S30.0"));
  // The display text names the site: contusion of the thorax is a TEN-4-FACES region.
  Assessment thorax = Assess(Attendance(
      kToddler,
      R"(,"mobility":"independently_mobile","diagnoses":[{"system":"ICD-10","code":"S20.2","display":"Contusion of thorax"}])"));
  EXPECT_EQ(LevelOf(thorax, "TEN4FACESP"), FindingLevel::kConsider);
  // S00.4 is a superficial injury of the ear (an abrasion as often as a bruise): not bruising.
  Assessment ear = Assess(Attendance(
      kInfant,
      R"(,"mobility":"not_independently_mobile","diagnoses":[{"system":"ICD-10","code":"S00.4"}])"));
  EXPECT_EQ(LevelOf(ear, "CG89-BR-NIM"), std::nullopt);
}

TEST(EngineTest, Ten4FacesRegionDowngradesWithoutARecordedExplanation) {
  std::string injuries =
      R"(,"mobility":"independently_mobile","injuries":[{"type":"bruise","site":"Left ear lobe"}])";
  Assessment not_recorded = Assess(Attendance(kToddler, injuries));
  const Finding* finding = Find(not_recorded, "TEN4FACESP");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->level, FindingLevel::kConsider);
  EXPECT_THAT(finding->reason, HasSubstr("not recorded"));
  EXPECT_THAT(finding->evidence, Contains("injuries[0].site=ear"));
  std::string unsuitable = injuries;
  unsuitable.insert(unsuitable.find(",\"injuries\""), R"(,"explanation":"unsuitable")");
  EXPECT_EQ(LevelOf(Assess(Attendance(kToddler, unsuitable)), "TEN4FACESP"),
            FindingLevel::kSuspect);
  std::string suitable = injuries;
  suitable.insert(suitable.find(",\"injuries\""), R"(,"explanation":"suitable")");
  EXPECT_EQ(LevelOf(Assess(Attendance(kToddler, suitable)), "TEN4FACESP"), std::nullopt);
  // Not a TEN-4-FACES region, and over 4: no finding.
  EXPECT_EQ(
      LevelOf(
          Assess(Attendance(
              kToddler,
              R"(,"mobility":"independently_mobile","injuries":[{"type":"bruise","site":"shin"}])")),
          "TEN4FACESP"),
      std::nullopt);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, injuries)), "TEN4FACESP"), std::nullopt);
}

TEST(EngineTest, AnInconsistentHistoryMakesTheExplanationUnsuitable) {
  // Not recorded in the field, but the notes or the Escape screen say it does not fit.
  Assessment notes = Assess(Attendance(
      kToddler,
      R"(,"mobility":"independently_mobile","notes":"Bruising to ear noted at triage. History implausible for this injury.")"));
  const Finding* finding = Find(notes, "TEN4FACESP");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->level, FindingLevel::kSuspect);
  EXPECT_THAT(finding->evidence, Contains("notes:\"History implausible for this injury\""));
  Assessment screened = Assess(Attendance(
      kSchool,
      R"(,"screening":{"history_consistent":false},"injuries":[{"type":"fracture","site":"forearm"}])"));
  EXPECT_EQ(LevelOf(screened, "CG89-FX"), FindingLevel::kSuspect);
  // A recorded suitable explanation still wins over nothing.
  Assessment consistent = Assess(Attendance(
      kSchool,
      R"(,"screening":{"history_consistent":true},"injuries":[{"type":"fracture","site":"forearm"}])"));
  EXPECT_EQ(LevelOf(consistent, "CG89-FX"), FindingLevel::kConsider);
  Assessment negated =
      Assess(Attendance(kSchool, R"(,"notes":"Fracture of radius. History not inconsistent.")"));
  EXPECT_EQ(LevelOf(negated, "CG89-FX"), FindingLevel::kConsider);
}

TEST(EngineTest, MultipleBruisesWithAnAbsentExplanation) {
  Assessment a = Assess(Attendance(
      kSchool, R"(,"explanation":"absent","injuries":[{"type":"bruise","site":"arm","count":4}])"));
  EXPECT_EQ(LevelOf(a, "CG89-BR-MULTI"), FindingLevel::kSuspect);
  Assessment one = Assess(Attendance(
      kSchool, R"(,"explanation":"absent","injuries":[{"type":"bruise","site":"arm"}])"));
  EXPECT_EQ(LevelOf(one, "CG89-BR-MULTI"), std::nullopt);
}

// --- bites, wounds, burns, cold -----------------------------------------------------------

TEST(EngineTest, HumanBite) {
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kSchool, R"(,"injuries":[{"type":"bite_human","site":"arm"}])")),
              "CG89-BITE-HUMAN"),
      FindingLevel::kSuspect);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"notes":"no bite marks")")), "CG89-BITE-HUMAN"),
            std::nullopt);
}

TEST(EngineTest, AnimalBiteNeedsASupervisionConcern) {
  Assessment a =
      Assess(Attendance(kSchool, R"(,"notes":"Dog bite to hand, left alone with the dog")"));
  EXPECT_EQ(LevelOf(a, "CG89-BITE-ANIMAL"), FindingLevel::kConsider);
  Assessment supervised = Assess(Attendance(kSchool, R"(,"notes":"Dog bite to hand in the park")"));
  EXPECT_EQ(LevelOf(supervised, "CG89-BITE-ANIMAL"), std::nullopt);
}

TEST(EngineTest, SelfInflictedWoundsAreSelfHarmNotTheWoundRule) {
  Assessment a = Assess(Attendance(
      kTeen,
      R"(,"injury":{"intent":"self_inflicted"},"explanation":"unsuitable","injuries":[{"type":"laceration","site":"chest","count":3}])"));
  EXPECT_EQ(LevelOf(a, "CG89-WOUND"), std::nullopt);
  EXPECT_EQ(LevelOf(a, "CG89-SELFHARM-CYP"), FindingLevel::kConsider);
}

TEST(EngineTest, WoundOnAProtectedSite) {
  Assessment a =
      Assess(Attendance(kSchool, R"(,"injuries":[{"type":"abrasion","site":"lower back"}])"));
  EXPECT_EQ(LevelOf(a, "CG89-WOUND"), FindingLevel::kConsider);
  Assessment knee =
      Assess(Attendance(kSchool, R"(,"injuries":[{"type":"abrasion","site":"knee"}])"));
  EXPECT_EQ(LevelOf(knee, "CG89-WOUND"), std::nullopt);
}

TEST(EngineTest, BurnAtASuspiciousSiteIsSuspectWithoutAnExplanation) {
  Assessment a =
      Assess(Attendance(kToddler, R"(,"injuries":[{"type":"burn","site":"sole of foot"}])"));
  EXPECT_EQ(LevelOf(a, "CG89-BURN"), FindingLevel::kSuspect);
  Assessment immersion = Assess(Attendance(
      kToddler,
      R"(,"explanation":"suitable","injuries":[{"type":"scald","site":"leg","pattern":"glove and stocking"}])"));
  EXPECT_EQ(LevelOf(immersion, "CG89-BURN"), FindingLevel::kSuspect);
  // Elsewhere, the explanation decides: not recorded is consider, suitable is nothing.
  Assessment text = Assess(Attendance(
      kSchool,
      R"(,"notes":"Scald with sharply delineated borders, glove and stocking distribution.")"));
  const Finding* immersion_text = Find(text, "CG89-BURN");
  ASSERT_NE(immersion_text, nullptr);
  EXPECT_EQ(immersion_text->level, FindingLevel::kSuspect);
  // "iron" or "hand" near a burn in free text is not read as a shape.
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kSchool, R"(,"notes":"Burn to hand from hair straightener iron")")),
              "CG89-BURN"),
      FindingLevel::kConsider);
  Assessment hand = Assess(Attendance(kSchool, R"(,"injuries":[{"type":"burn","site":"palm"}])"));
  EXPECT_EQ(LevelOf(hand, "CG89-BURN"), FindingLevel::kConsider);
  Assessment explained = Assess(Attendance(
      kSchool, R"(,"explanation":"suitable","injuries":[{"type":"burn","site":"palm"}])"));
  EXPECT_EQ(LevelOf(explained, "CG89-BURN"), std::nullopt);
}

TEST(EngineTest, ColdInjury) {
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kSchool, R"(,"diagnoses":[{"system":"ICD-10","code":"T68"}])")),
              "CG89-COLD"),
      FindingLevel::kConsider);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"notes":"not hypothermic")")), "CG89-COLD"),
            std::nullopt);
}

// --- fractures, head, eye, spine, viscera, mouth --------------------------------------------

TEST(EngineTest, FractureDowngradesWithoutAnExplanationButNotInAnInfantsRibs) {
  Assessment forearm = Assess(Attendance(
      kSchool,
      R"(,"diagnoses":[{"system":"ICD-10","code":"S52.5","display":"Fracture of lower end of radius"}])"));
  const Finding* finding = Find(forearm, "CG89-FX");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->level, FindingLevel::kConsider);
  EXPECT_THAT(finding->evidence, Contains("diagnoses[0].code=S52.5"));
  Assessment ribs = Assess(Attendance(
      250,
      R"(,"mobility":"independently_mobile","diagnoses":[{"system":"ICD-10","code":"S22.3"}])"));
  EXPECT_EQ(LevelOf(ribs, "CG89-FX"), FindingLevel::kSuspect);
  Assessment none = Assess(Attendance(kSchool, R"(,"notes":"X-ray: no evidence of fracture")"));
  EXPECT_EQ(LevelOf(none, "CG89-FX"), std::nullopt);
  Assessment fragile = Assess(
      Attendance(kSchool, R"(,"notes":"Known osteogenesis imperfecta. Fracture of tibia.")"));
  EXPECT_EQ(LevelOf(fragile, "CG89-FX"), std::nullopt);
}

TEST(EngineTest, FemoralFractureIsAnAuditItemThatDoesNotRaiseTheLevel) {
  Assessment a = Assess(Attendance(
      kSchool, R"(,"explanation":"suitable","diagnoses":[{"system":"ICD-10","code":"S72.3"}])"));
  EXPECT_EQ(LevelOf(a, "NG38-FEMUR"), FindingLevel::kAudit);
  EXPECT_EQ(a.level, OverallLevel::kNone);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"notes":"no femoral fracture")")), "NG38-FEMUR"),
            std::nullopt);
}

TEST(EngineTest, IntracranialInjuryUnderThreeNeverDowngrades) {
  Assessment a = Assess(Attendance(
      kToddler,
      R"(,"diagnoses":[{"system":"ICD-10","code":"S06.5","display":"Traumatic subdural haemorrhage"}])"));
  const Finding* finding = Find(a, "CG89-ICI");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->level, FindingLevel::kSuspect);
  EXPECT_EQ(finding->category, "head_injury");
  EXPECT_THAT(finding->evidence, Contains("diagnoses[0].code=S06.5"));
  Assessment crash = Assess(Attendance(
      kToddler,
      R"(,"injury":{"mechanism":"road traffic collision"},"diagnoses":[{"system":"ICD-10","code":"S06.5"}])"));
  EXPECT_EQ(LevelOf(crash, "CG89-ICI"), std::nullopt);
}

// An infant `age_days` old with `extra` members, for PIBIS.
std::string PibisInfant(std::int64_t age_days, std::string_view extra) {
  return Attendance(age_days, R"(,"mobility":"not_independently_mobile")" + std::string(extra));
}

TEST(EngineTest, PibisOfTwoOrMoreIsConsiderAndNamesWhatWasNotRecorded) {
  Assessment a = Assess(PibisInfant(
      150,
      R"(,"presenting_complaint":"Vomiting","observations":{"temperature_c":37.1,"head_circumference_centile":90})"));
  const Finding* finding = Find(a, "PIBIS");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->level, FindingLevel::kConsider);
  EXPECT_EQ(finding->category, "head_injury");
  // Age 3 months or more and a head circumference above the 85th centile; the skin and the
  // haemoglobin are unknown, so the score is a floor.
  EXPECT_THAT(finding->reason, HasSubstr("Score at least 2 of 5"));
  EXPECT_THAT(finding->reason, HasSubstr("recommends neuroimaging"));
  EXPECT_THAT(finding->reason, HasSubstr("Not recorded: the skin examination"));
  EXPECT_THAT(finding->reason, HasSubstr("the haemoglobin"));
  EXPECT_THAT(finding->evidence, Contains("presenting_complaint:\"Vomiting\""));
  EXPECT_THAT(finding->evidence, Contains("observations.head_circumference_centile=90"));
  EXPECT_THAT(finding->evidence, Contains("age_days=150"));

  // Every item recorded: an irritable infant with a bruise and a low haemoglobin scores 4.
  Assessment full = Assess(PibisInfant(
      200,
      R"(,"notes":"Irritable. Small bruise to shin.","observations":{"temperature_c":36.9,"head_circumference_centile":50,"haemoglobin_g_dl":10.4})"));
  const Finding* scored = Find(full, "PIBIS");
  ASSERT_NE(scored, nullptr);
  EXPECT_THAT(scored->reason, HasSubstr("Score 4 of 5"));
  EXPECT_THAT(scored->reason, ::testing::Not(HasSubstr("Not recorded")));
  EXPECT_THAT(scored->evidence, Contains("observations.haemoglobin_g_dl=10.4"));
}

TEST(EngineTest, PibisBelowTwoWithItemsMissingIsAnAuditNeverALowRiskResult) {
  Assessment a = Assess(PibisInfant(200, R"(,"presenting_complaint":"Seizure")"));
  const Finding* finding = Find(a, "PIBIS");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->level, FindingLevel::kAudit);
  EXPECT_EQ(finding->category, "documentation");
  EXPECT_THAT(finding->reason, HasSubstr("not a low-risk result"));
  EXPECT_THAT(finding->reason, HasSubstr("temperature was not recorded"));
  // Normal measurements still leave the skin examination unknown: still not low risk.
  Assessment measured = Assess(PibisInfant(
      200,
      R"(,"presenting_complaint":"Seizure","observations":{"temperature_c":37,"head_circumference_centile":50,"haemoglobin_g_dl":12.5})"));
  EXPECT_EQ(LevelOf(measured, "PIBIS"), FindingLevel::kAudit);
  EXPECT_EQ(measured.level, OverallLevel::kNone);
}

TEST(EngineTest, PibisOnlyForAfebrileInfantsWithoutTraumaAndWithAnEntrySymptom) {
  std::string observations = R"(,"observations":{"head_circumference_centile":95})";
  EXPECT_TRUE(LevelOf(Assess(PibisInfant(150, R"(,"notes":"Drowsy.")" + observations)), "PIBIS")
                  .has_value());
  // Febrile; a history of trauma; older than 364 days or younger than 30; no entry symptom;
  // vomiting with diarrhoea; a negated symptom; a brain injury already found.
  for (
      std::string extra : {
          std::string(
              R"(,"notes":"Drowsy.","observations":{"temperature_c":38.6,"head_circumference_centile":95})"),
          R"(,"notes":"Drowsy.","injury":{"mechanism":"Rolled off the bed"})" + observations,
          R"(,"notes":"Drowsy.","explanation":"suitable")" + observations,
          R"(,"notes":"Cough and wheeze.")" + observations,
          R"(,"notes":"Vomiting and diarrhoea since yesterday.")" + observations,
          R"(,"notes":"No vomiting, no seizures.")" + observations,
          R"(,"notes":"Drowsy. CT: subdural haemorrhage.")" + observations,
      }) {
    EXPECT_EQ(LevelOf(Assess(PibisInfant(150, extra)), "PIBIS"), std::nullopt) << extra;
  }
  EXPECT_EQ(LevelOf(Assess(PibisInfant(400, R"(,"notes":"Drowsy.")" + observations)), "PIBIS"),
            std::nullopt);
  EXPECT_EQ(LevelOf(Assess(PibisInfant(20, R"(,"notes":"Drowsy.")" + observations)), "PIBIS"),
            std::nullopt);
}

TEST(EngineTest, ApparentLifeThreateningEvent) {
  Assessment a = Assess(Attendance(60, R"(,"presenting_complaint":"BRUE at home, now well")"));
  const Finding* finding = Find(a, "CG89-ALTE");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->level, FindingLevel::kConsider);
  EXPECT_EQ(finding->category, "fabricated_illness");
  EXPECT_THAT(finding->evidence, Contains("age_days=60"));
  // With bleeding from the nose or mouth: suspect.
  Assessment bleeding =
      Assess(Attendance(60, R"(,"notes":"Apparent life-threatening event. Blood from the nose.")"));
  EXPECT_EQ(LevelOf(bleeding, "CG89-ALTE"), FindingLevel::kSuspect);
  Assessment coded = Assess(Attendance(
      60,
      R"(,"diagnoses":[{"system":"ICD-10","code":"R68.13"},{"system":"ICD-10","code":"R04.0"}])"));
  EXPECT_EQ(LevelOf(coded, "CG89-ALTE"), FindingLevel::kSuspect);
  // Negated bleeding keeps it at consider; a negated event, or a word that only starts with
  // the letters, gives nothing.
  Assessment dry = Assess(Attendance(60, R"(,"notes":"ALTE. No blood from nose or mouth.")"));
  EXPECT_EQ(LevelOf(dry, "CG89-ALTE"), FindingLevel::kConsider);
  EXPECT_EQ(
      LevelOf(Assess(Attendance(60, R"(,"notes":"Not an ALTE: choked on a feed.")")), "CG89-ALTE"),
      std::nullopt);
  EXPECT_EQ(LevelOf(Assess(Attendance(60, R"(,"notes":"Alternative feed advised.")")), "CG89-ALTE"),
            std::nullopt);
}

TEST(EngineTest, RetinalHaemorrhageAndEyeInjury) {
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"injuries":[{"type":"retinal_haemorrhage"}])")),
                    "CG89-EYE"),
            FindingLevel::kSuspect);
  EXPECT_EQ(LevelOf(Assess(Attendance(
                        kSchool,
                        R"(,"explanation":"suitable","injuries":[{"type":"eye","site":"eye"}])")),
                    "CG89-EYE"),
            std::nullopt);
}

TEST(EngineTest, SpinalInjury) {
  EXPECT_EQ(
      LevelOf(Assess(Attendance(
                  kSchool,
                  R"(,"explanation":"unsuitable","injuries":[{"type":"spinal","site":"back"}])")),
              "CG89-SPINE"),
      FindingLevel::kSuspect);
  EXPECT_EQ(
      LevelOf(Assess(Attendance(
                  kSchool,
                  R"(,"notes":"fall from height","injuries":[{"type":"spinal","site":"back"}])")),
              "CG89-SPINE"),
      std::nullopt);
}

TEST(EngineTest, VisceralInjuryWithADelayIsSuspect) {
  Assessment a = Assess(Attendance(
      kSchool,
      R"(,"injury":{"datetime":"2026-05-29T10:00:00Z"},"injuries":[{"type":"visceral","site":"abdomen"}])"));
  const Finding* finding = Find(a, "CG89-VISCERA");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->level, FindingLevel::kSuspect);
  Assessment same_day = Assess(Attendance(
      kSchool,
      R"(,"explanation":"suitable","injury":{"datetime":"2026-06-01T08:00:00Z"},"injuries":[{"type":"visceral","site":"abdomen"}])"));
  EXPECT_EQ(LevelOf(same_day, "CG89-VISCERA"), std::nullopt);
}

TEST(EngineTest, OralInjury) {
  EXPECT_EQ(LevelOf(Assess(Attendance(kInfant, R"(,"notes":"torn frenulum")")), "CG89-ORAL"),
            FindingLevel::kSuspect);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"notes":"torn frenulum")")), "CG89-ORAL"),
            FindingLevel::kConsider);
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kSchool, R"(,"explanation":"suitable","notes":"torn frenulum")")),
              "CG89-ORAL"),
      std::nullopt);
}

TEST(EngineTest, OralInjuryInOtherWordsAndFromCodes) {
  for (std::string_view notes :
       {"Torn upper frenulum.", "Upper lip frenulum torn.", "Frenulum tears noted",
        "Bruised gums and torn lingual frenulum.", "Palatal laceration on examination."}) {
    Assessment a = Assess(Attendance(kToddler, R"(,"notes":")" + std::string(notes) + "\""));
    EXPECT_EQ(LevelOf(a, "CG89-ORAL"), FindingLevel::kConsider) << notes;
  }
  for (std::string_view code : {"S00.5", "S01.5", "S02.5", "S03.2"}) {
    Assessment a = Assess(Attendance(
        kToddler, R"(,"diagnoses":[{"system":"ICD-10","code":")" + std::string(code) + "\"}]"));
    const Finding* finding = Find(a, "CG89-ORAL");
    ASSERT_NE(finding, nullptr) << code;
    EXPECT_EQ(finding->category, "oral_injury");
  }
  // A fractured tooth is an oral injury, not a fracture (fracture.tsv's exclusions), whether
  // coded or written; another fracture written beside it still is one.
  Assessment tooth = Assess(Attendance(
      kToddler,
      R"(,"diagnoses":[{"system":"ICD-10","code":"S02.5","display":"Fracture of tooth"}])"));
  EXPECT_EQ(LevelOf(tooth, "CG89-FX"), std::nullopt);
  EXPECT_NE(Find(tooth, "CG89-ORAL"), nullptr);
  EXPECT_EQ(LevelOf(Assess(Attendance(kToddler, R"(,"notes":"Fractured front teeth after fall")")),
                    "CG89-FX"),
            std::nullopt);
  EXPECT_NE(LevelOf(Assess(Attendance(kToddler, R"(,"notes":"Fractured tooth. Fractured ulna.")")),
                    "CG89-FX"),
            std::nullopt);
  // Negated, or the frenulum examined and intact.
  for (std::string_view notes : {"No frenulum tear seen.", "Frenulum intact.", "Frenulum not torn.",
                                 "Mouth: no torn frenulum, gums normal"}) {
    Assessment a = Assess(Attendance(kToddler, R"(,"notes":")" + std::string(notes) + "\""));
    EXPECT_EQ(LevelOf(a, "CG89-ORAL"), std::nullopt) << notes;
  }
}

// --- poisoning --------------------------------------------------------------------------

TEST(EngineTest, PoisoningWithAnIllicitDrugInAYoungChild) {
  Assessment a = Assess(Attendance(
      kToddler, R"(,"mobility":"independently_mobile","notes":"Ingestion of methadone at home")"));
  EXPECT_EQ(LevelOf(a, "CG89-POISON"), FindingLevel::kSuspect);
  Assessment paracetamol = Assess(Attendance(
      kToddler,
      R"(,"mobility":"independently_mobile","explanation":"suitable","notes":"Ingestion of paracetamol")"));
  EXPECT_EQ(LevelOf(paracetamol, "CG89-POISON"), std::nullopt);
  Assessment denied = Assess(Attendance(kToddler, R"(,"notes":"No ingestion suspected")"));
  EXPECT_EQ(LevelOf(denied, "CG89-POISON"), std::nullopt);
}

TEST(EngineTest, PoisoningNamedInFreeTextAfterIngested) {
  for (const char* notes : {"Ingested iron tablets.", "Ingested paracetamol.",
                            "Ingested cannabis edible. History implausible for this injury."}) {
    Assessment a = Assess(Attendance(
        kToddler, std::string(R"(,"mobility":"independently_mobile","notes":")") + notes + "\""));
    EXPECT_TRUE(LevelOf(a, "CG89-POISON").has_value()) << notes;
  }
  // A swallowed foreign body is not a poisoning.
  Assessment coin = Assess(Attendance(kToddler, R"(,"notes":"Ingested a coin")"));
  EXPECT_EQ(LevelOf(coin, "CG89-POISON"), std::nullopt);
}

TEST(EngineTest, RepeatedIngestionFromHistory) {
  std::string now = Attendance(kToddler, R"(,"notes":"ingestion of bleach")");
  std::string before =
      Attendance(kToddler - 60, R"(,"notes":"swallowed tablets")", "A0", "2026-04-01T10:00:00Z");
  const Finding* finding = nullptr;
  Assessment a = Assess(now, {before});
  finding = Find(a, "CG89-POISON-REPEAT");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->level, FindingLevel::kConsider);
  EXPECT_THAT(finding->evidence, Contains("history[0].arrival=2026-04-01"));
  // Two years earlier is outside the window.
  std::string old = Attendance(10, R"(,"notes":"swallowed tablets")", "A0", "2024-04-01T10:00:00Z");
  EXPECT_EQ(LevelOf(Assess(now, {old}), "CG89-POISON-REPEAT"), std::nullopt);
}

// --- sexual abuse -----------------------------------------------------------------------

TEST(EngineTest, StiByAge) {
  std::string gonorrhoea = R"(,"diagnoses":[{"system":"ICD-10","code":"A54.0"}])";
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, gonorrhoea)), "CG89-STI-U13"),
            FindingLevel::kSuspect);
  EXPECT_EQ(LevelOf(Assess(Attendance(kTeen, gonorrhoea)), "CG89-STI-U13"), std::nullopt);
  EXPECT_EQ(LevelOf(Assess(Attendance(kTeen, gonorrhoea)), "CG89-STI-OTHER"),
            FindingLevel::kConsider);
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kSchool, R"(,"notes":"anogenital warts")")), "CG89-STI-OTHER"),
      FindingLevel::kConsider);
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kSchool, R"(,"notes":"negative for chlamydia")")), "CG89-STI-U13"),
      std::nullopt);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSeventeen, gonorrhoea)), "CG89-STI-OTHER"), std::nullopt);
}

TEST(EngineTest, PregnancyByAge) {
  std::string pregnant = R"(,"notes":"positive pregnancy test")";
  EXPECT_EQ(LevelOf(Assess(Attendance(4500, pregnant)), "CG89-PREG-U13"), FindingLevel::kSuspect);
  EXPECT_EQ(LevelOf(Assess(Attendance(kTeen, pregnant)), "CG89-PREG-13-17"),
            FindingLevel::kConsider);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSeventeen, pregnant)), "CG89-PREG-13-17"), std::nullopt);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSeventeen, R"(,"notes":"pregnant; much older partner")")),
                    "CG89-PREG-13-17"),
            FindingLevel::kConsider);
  EXPECT_EQ(LevelOf(Assess(Attendance(4500, R"(,"notes":"not pregnant")")), "CG89-PREG-U13"),
            std::nullopt);
  // A routine test is not a pregnancy.
  EXPECT_EQ(
      LevelOf(Assess(Attendance(4500, R"(,"notes":"urine pregnancy test done")")), "CG89-PREG-U13"),
      std::nullopt);
  EXPECT_EQ(LevelOf(Assess(Attendance(4500, R"(,"notes":"HIV test requested")")), "CG89-STI-U13"),
            std::nullopt);
}

TEST(EngineTest, AnogenitalInjuryAndReportedAbuse) {
  EXPECT_EQ(LevelOf(Assess(Attendance(
                        kSchool, R"(,"explanation":"absent","injuries":[{"type":"anogenital"}])")),
                    "CG89-ANOGENITAL"),
            FindingLevel::kSuspect);
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kSchool,
                                R"(,"explanation":"suitable","injuries":[{"type":"anogenital"}])")),
              "CG89-ANOGENITAL"),
      std::nullopt);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"notes":"Disclosed sexual abuse to teacher")")),
                    "CG89-SEXUAL"),
            FindingLevel::kSuspect);
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kSchool, R"(,"notes":"denies sexual assault")")), "CG89-SEXUAL"),
      std::nullopt);
}

// --- neglect, FII, emotional abuse, self-harm, substances ----------------------------------

TEST(EngineTest, NeglectSupervisionAndDelay) {
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"notes":"severe infestation with head lice")")),
                    "CG89-NEGLECT"),
            FindingLevel::kConsider);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"notes":"no head lice")")), "CG89-NEGLECT"),
            std::nullopt);
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kSchool, R"(,"notes":"found home alone")")), "CG89-SUPERVISION"),
      FindingLevel::kConsider);
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kSchool, R"(,"notes":"supervised by mum")")), "CG89-SUPERVISION"),
      std::nullopt);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"screening":{"delay_in_seeking_help":true})")),
                    "CG89-DELAY"),
            FindingLevel::kConsider);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"screening":{"delay_in_seeking_help":false})")),
                    "CG89-DELAY"),
            std::nullopt);
}

TEST(EngineTest, FabricatedIllness) {
  EXPECT_EQ(
      LevelOf(
          Assess(Attendance(
              kSchool, R"(,"notes":"seizures only witnessed by mother; perplexing presentation")")),
          "CG89-FII"),
      FindingLevel::kConsider);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"notes":"seizure witnessed by school staff")")),
                    "CG89-FII"),
            std::nullopt);
}

TEST(EngineTest, ExposureToDomesticAbuseInAChild) {
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kSchool, R"(,"notes":"witnessed domestic violence at home")")),
              "CG89-EMOTIONAL"),
      FindingLevel::kConsider);
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kAdult, R"(,"concerns":["domestic_abuse"])")), "CG89-EMOTIONAL"),
      std::nullopt);
}

TEST(EngineTest, SelfHarmInAYoungPerson) {
  Assessment a = Assess(Attendance(kTeen, R"(,"injury":{"intent":"self_inflicted"})"));
  const Finding* finding = Find(a, "CG89-SELFHARM-CYP");
  ASSERT_NE(finding, nullptr);
  EXPECT_THAT(finding->evidence, Contains("injury.intent=self_inflicted"));
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kTeen, R"(,"notes":"denies self harm")")), "CG89-SELFHARM-CYP"),
      std::nullopt);
}

TEST(EngineTest, SubstancesInAChild) {
  EXPECT_EQ(LevelOf(Assess(Attendance(kTeen, R"(,"substances":["alcohol"])")), "CYP-SUBSTANCE"),
            FindingLevel::kReview);
  EXPECT_EQ(LevelOf(Assess(Attendance(kAdult, R"(,"substances":["alcohol"])")), "CYP-SUBSTANCE"),
            std::nullopt);
}

// --- coding and Escape ------------------------------------------------------------------

TEST(EngineTest, AssaultOnAnInfantIsSuspect) {
  EXPECT_EQ(LevelOf(Assess(Attendance(kInfant, R"(,"injury":{"intent":"assault"})")), "MVR-CODE"),
            FindingLevel::kSuspect);
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kSchool, R"(,"diagnoses":[{"system":"ICD-10","code":"Y20"}])")),
              "MVR-CODE"),
      FindingLevel::kConsider);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"notes":"Denies assault.")")), "MVR-CODE"),
            std::nullopt);
}

TEST(EngineTest, SafeguardingConcernCode) {
  Assessment a = Assess(Attendance(kSchool, R"(,"safeguarding_concern_codes":["700254002"])"));
  const Finding* finding = Find(a, "SG-CODE");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->category, "sexual_abuse");
  EXPECT_THAT(finding->evidence, Contains("safeguarding_concern_codes[0]=700254002"));
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kSchool, R"(,"safeguarding_concern_codes":["12345"])")), "SG-CODE"),
      std::nullopt);
}

TEST(EngineTest, EscapeAnswersAndMissingScreening) {
  Assessment a = Assess(Attendance(
      kSchool, R"(,"screening":{"history_consistent":false,"interaction_appropriate":false})"));
  EXPECT_EQ(LevelOf(a, "ESCAPE-ABERRANT"), FindingLevel::kConsider);
  EXPECT_EQ(LevelOf(a, "ESCAPE-INTERACTION"), FindingLevel::kConsider);
  EXPECT_EQ(LevelOf(a, "ESCAPE-MISSING"), std::nullopt);
  Assessment fine = Assess(Attendance(
      kSchool, R"(,"screening":{"history_consistent":true,"interaction_appropriate":true})"));
  EXPECT_EQ(LevelOf(fine, "ESCAPE-ABERRANT"), std::nullopt);
  EXPECT_EQ(LevelOf(fine, "ESCAPE-INTERACTION"), std::nullopt);
  Assessment missing = Assess(Attendance(kSchool, R"(,"department":"emergency")"));
  EXPECT_EQ(LevelOf(missing, "ESCAPE-MISSING"), FindingLevel::kAudit);
  EXPECT_EQ(missing.level, OverallLevel::kNone);
  Assessment reason =
      Assess(Attendance(kSchool, R"(,"screening":{"not_done_reason":"critically unwell"})"));
  EXPECT_EQ(LevelOf(reason, "ESCAPE-MISSING"), std::nullopt);
}

// --- think family -------------------------------------------------------------------------

TEST(EngineTest, ThinkFamilyPromptsForAdults) {
  Assessment a = Assess(Attendance(kAdult, R"(,"concerns":["mental_health_crisis"])"));
  EXPECT_EQ(LevelOf(a, "TF-HAGUE"), FindingLevel::kPrompt);
  EXPECT_EQ(LevelOf(a, "TF-NOT-ASKED"), FindingLevel::kAudit);
  EXPECT_EQ(a.level, OverallLevel::kPrompt);
  Assessment text = Assess(Attendance(kAdult, R"(,"notes":"Assaulted by partner last night")"));
  EXPECT_EQ(LevelOf(text, "TF-HAGUE"), FindingLevel::kPrompt);
  Assessment asked = Assess(Attendance(
      kAdult,
      R"(,"concerns":["self_harm"],"household":{"recorded":true,"children":[{"birth_date":"2020-01-01"}]})"));
  EXPECT_EQ(LevelOf(asked, "TF-NOT-ASKED"), std::nullopt);
  EXPECT_EQ(LevelOf(asked, "TF-DEPENDANTS"), FindingLevel::kConsider);
  Assessment none = Assess(Attendance(kAdult, R"(,"notes":"denies domestic abuse")"));
  EXPECT_EQ(LevelOf(none, "TF-HAGUE"), std::nullopt);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"concerns":["self_harm"])")), "TF-HAGUE"),
            std::nullopt);
}

TEST(EngineTest, AnAdultAssaultedAtHomeIsAThinkFamilyPrompt) {
  EXPECT_EQ(LevelOf(Assess(Attendance(kAdult, R"(,"injury":{"intent":"assault","place":"home"})")),
                    "TF-HAGUE"),
            FindingLevel::kPrompt);
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kAdult, R"(,"notes":"Disclosed assault by partner at home.")")),
              "TF-HAGUE"),
      FindingLevel::kPrompt);
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kAdult, R"(,"injury":{"intent":"assault","place":"public"})")),
              "TF-HAGUE"),
      std::nullopt);
  // A child assaulted at home is a child rule, not a think-family prompt about the child.
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"injury":{"intent":"assault","place":"home"})")),
                    "CG89-EMOTIONAL"),
            std::nullopt);
}

TEST(EngineTest, SixteenAndSeventeenGetChildRulesAndThinkFamily) {
  Assessment a = Assess(Attendance(kSeventeen, R"(,"concerns":["self_harm"])"));
  EXPECT_EQ(LevelOf(a, "TF-HAGUE"), FindingLevel::kPrompt);
  EXPECT_EQ(LevelOf(a, "CG89-SELFHARM-CYP"), FindingLevel::kConsider);
}

TEST(EngineTest, PregnantAdultWithATriggerIsConsider) {
  Assessment a =
      Assess(Attendance(kAdult, R"(,"patient":{"pregnant":true},"concerns":["substance_misuse"])"));
  // "patient" appears twice; the decoder keeps the last, which has no birth date.
  EXPECT_EQ(LevelOf(a, "TF-DEPENDANTS"), FindingLevel::kConsider);
}

// --- history and status -------------------------------------------------------------------

TEST(EngineTest, FrequentAttendance) {
  std::string now = Attendance(kSchool, R"(,"presenting_complaint":"cough")");
  std::vector<std::string> history;
  for (int month : {2, 3, 4}) {
    history.push_back(Attendance(kSchool - 30 * (6 - month), "", "H" + std::to_string(month),
                                 "2026-0" + std::to_string(month) + "-10T10:00:00Z"));
  }
  Assessment a = Assess(now, history);
  const Finding* finding = Find(a, "FREQ-ATTEND");
  ASSERT_NE(finding, nullptr);
  EXPECT_EQ(finding->level, FindingLevel::kReview);
  EXPECT_EQ(finding->category, "frequent_attendance");
  history.pop_back();
  EXPECT_EQ(LevelOf(Assess(now, history), "FREQ-ATTEND"), std::nullopt);
  // Later attendances are ignored.
  history.push_back(Attendance(kSchool, "", "H9", "2026-07-01T10:00:00Z"));
  EXPECT_EQ(LevelOf(Assess(now, history), "FREQ-ATTEND"), std::nullopt);
}

TEST(EngineTest, RepeatedInjuries) {
  std::string now = Attendance(kSchool, R"(,"injuries":[{"type":"laceration","site":"knee"}])");
  std::vector<std::string> history = {
      Attendance(kSchool, R"(,"notes":"fracture of finger")", "H1", "2026-01-10T10:00:00Z"),
      Attendance(kSchool, R"(,"injuries":[{"type":"burn","site":"hand"}])", "H2",
                 "2026-03-10T10:00:00Z")};
  EXPECT_EQ(LevelOf(Assess(now, history), "REPEAT-INJURY"), FindingLevel::kReview);
  history.pop_back();
  EXPECT_EQ(LevelOf(Assess(now, history), "REPEAT-INJURY"), std::nullopt);
}

// The sweep keeps summaries of earlier attendances, the point of care passes them whole: both
// must give the same findings, and Assess must hand back the summary Summarise gives.
TEST(EngineTest, SummarisedHistoryAssessesAlike) {
  std::string now = Attendance(kSchool, R"(,"notes":"swallowed tablets again")");
  std::vector<std::string> history = {
      Attendance(kSchool, R"(,"notes":"fracture of finger")", "H1", "2026-01-10T10:00:00Z"),
      Attendance(kSchool, R"(,"presenting_complaint":"ingestion of bleach")", "H2",
                 "2026-03-10T10:00:00Z"),
      Attendance(kSchool, R"(,"injuries":[{"type":"burn","site":"hand"}])", "H3",
                 "2026-04-10T10:00:00Z")};
  domain::Attendance attendance = Decode(now);
  std::vector<domain::Attendance> whole;
  std::vector<PastAttendance> summaries;
  for (const std::string& item : history) {
    whole.push_back(Decode(item));
    summaries.push_back(DefaultEngine().Summarise(whole.back()));
  }
  EXPECT_FALSE(summaries[0].poisoning);
  EXPECT_TRUE(summaries[0].injury);
  EXPECT_TRUE(summaries[1].poisoning);
  EXPECT_FALSE(summaries[1].injury);

  Assessment from_whole = DefaultEngine().Assess({attendance, whole, std::nullopt});
  PastAttendance summary;
  Assessment from_summaries =
      DefaultEngine().Assess({attendance, summaries, std::nullopt}, summary);
  ASSERT_EQ(from_whole.findings.size(), from_summaries.findings.size());
  for (std::size_t i = 0; i < from_whole.findings.size(); ++i) {
    EXPECT_EQ(from_whole.findings[i].rule, from_summaries.findings[i].rule);
    EXPECT_EQ(from_whole.findings[i].reason, from_summaries.findings[i].reason);
    EXPECT_EQ(from_whole.findings[i].evidence, from_summaries.findings[i].evidence);
  }
  EXPECT_EQ(from_whole.level, from_summaries.level);
  EXPECT_NE(Find(from_summaries, "CG89-POISON-REPEAT"), nullptr);
  PastAttendance direct = DefaultEngine().Summarise(attendance);
  EXPECT_EQ(summary.arrival, direct.arrival);
  EXPECT_EQ(summary.attendance_id, direct.attendance_id);
  EXPECT_EQ(summary.poisoning, direct.poisoning);
  EXPECT_TRUE(summary.poisoning);
}

TEST(EngineTest, KnownToSocialCareOnlyRaises) {
  std::string suspect = Attendance(
      kInfant,
      R"(,"mobility":"not_independently_mobile","injuries":[{"type":"bruise","site":"ear"}])");
  Assessment with = Assess(suspect, {}, SocialCareStatus{"cp_plan", "LA1"});
  EXPECT_EQ(LevelOf(with, "KNOWN-CSC"), FindingLevel::kReview);
  EXPECT_EQ(with.level, OverallLevel::kSuspect);
  Assessment plain = Assess(Attendance(kSchool, R"(,"presenting_complaint":"cough")"), {},
                            SocialCareStatus{"looked_after", "LA1"});
  EXPECT_EQ(plain.level, OverallLevel::kReview);
  const Finding* finding = Find(plain, "KNOWN-CSC");
  ASSERT_NE(finding, nullptr);
  EXPECT_THAT(finding->evidence, Contains("register.status=looked_after"));
  EXPECT_EQ(
      LevelOf(Assess(Attendance(kSchool, R"(,"safeguarding_concern_codes":["342191000000101"])")),
              "KNOWN-CSC"),
      FindingLevel::kReview);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool)), "KNOWN-CSC"), std::nullopt);
}

TEST(EngineTest, LeftBeforeSeen) {
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"discharge":{"status":"left_before_seen"})")),
                    "LWBS-CHILD"),
            FindingLevel::kReview);
  EXPECT_EQ(LevelOf(Assess(Attendance(kAdult, R"(,"discharge":{"status":"left_before_seen"})")),
                    "LWBS-CHILD"),
            std::nullopt);
}

// --- documentation ------------------------------------------------------------------------

TEST(EngineTest, MissingBirthDateStillGivesFindingsOnWhatIsPresent) {
  Assessment a = Assess(Attendance(-1, R"(,"injuries":[{"type":"burn","site":"buttock"}])"));
  EXPECT_EQ(LevelOf(a, "DOC-BIRTH-DATE"), FindingLevel::kAudit);
  EXPECT_EQ(LevelOf(a, "CG89-BURN"), FindingLevel::kSuspect);
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool)), "DOC-BIRTH-DATE"), std::nullopt);
}

TEST(EngineTest, InjuryWithoutAnExplanationRecorded) {
  Assessment a =
      Assess(Attendance(kSchool, R"(,"injuries":[{"type":"laceration","site":"knee"}])"));
  EXPECT_EQ(LevelOf(a, "DOC-EXPLANATION"), FindingLevel::kAudit);
  Assessment recorded = Assess(Attendance(
      kSchool, R"(,"explanation":"suitable","injuries":[{"type":"laceration","site":"knee"}])"));
  EXPECT_EQ(LevelOf(recorded, "DOC-EXPLANATION"), std::nullopt);
}

TEST(EngineTest, UnknownMobilityInAnInfant) {
  const Finding* finding = nullptr;
  Assessment a = Assess(Attendance(kInfant, R"(,"mobility":"unknown")"));
  finding = Find(a, "DOC-MOBILITY");
  ASSERT_NE(finding, nullptr);
  EXPECT_THAT(finding->reason, HasSubstr("183 days"));
  EXPECT_EQ(LevelOf(Assess(Attendance(kInfant, R"(,"mobility":"not_independently_mobile")")),
                    "DOC-MOBILITY"),
            std::nullopt);
}

TEST(EngineTest, InjuryDetailMissing) {
  Assessment a = Assess(Attendance(kSchool, R"(,"injuries":[{"type":"bruise"}])"));
  const Finding* finding = Find(a, "DOC-INJURY-DETAIL");
  ASSERT_NE(finding, nullptr);
  EXPECT_THAT(finding->evidence, Contains("injuries[0].site missing"));
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool, R"(,"injuries":[{"type":"bruise","site":"arm"}])")),
                    "DOC-INJURY-DETAIL"),
            std::nullopt);
}

TEST(EngineTest, ContradictoryFields) {
  Assessment a = Assess(Attendance(
      kSchool,
      R"(,"injury":{"datetime":"2026-06-02T10:00:00Z"},"discharge":{"datetime":"2026-05-01T10:00:00Z"})"));
  const Finding* finding = Find(a, "DOC-CONTRADICTION");
  ASSERT_NE(finding, nullptr);
  EXPECT_THAT(finding->evidence, Contains("injury.datetime is after arrival"));
  EXPECT_THAT(finding->evidence, Contains("discharge.datetime is before arrival"));
  EXPECT_EQ(LevelOf(Assess(Attendance(kSchool)), "DOC-CONTRADICTION"), std::nullopt);
}

// --- the whole -----------------------------------------------------------------------------

TEST(EngineTest, EveryCatalogueRuleIsExercisedAndWellFormed) {
  const std::set<std::string_view> categories(kCategories.begin(), kCategories.end());
  std::set<std::string_view> ids;
  for (const RuleInfo& rule : RuleCatalogue()) {
    EXPECT_TRUE(ids.insert(rule.id).second) << rule.id;
    EXPECT_TRUE(categories.contains(rule.category)) << rule.id;
    EXPECT_FALSE(rule.source.empty()) << rule.id;
    EXPECT_EQ(rule.verified, rule.verification == "V") << rule.id;
  }
}

TEST(EngineTest, OverallLevelIsTheHighestNonAuditFinding) {
  std::vector<Finding> findings = {{"A", FindingLevel::kAudit, "documentation", "", "", {}},
                                   {"B", FindingLevel::kReview, "neglect", "", "", {}}};
  EXPECT_EQ(OverallLevelOf(findings), OverallLevel::kReview);
  findings.push_back({"C", FindingLevel::kPrompt, "think_family", "", "", {}});
  EXPECT_EQ(OverallLevelOf(findings), OverallLevel::kPrompt);
  findings.erase(findings.begin() + 1, findings.end());
  EXPECT_EQ(OverallLevelOf(findings), OverallLevel::kNone);
}

TEST(EngineTest, NoReasonOrNoteEverSaysTheChildIsSafe) {
  for (OverallLevel level : {OverallLevel::kNone, OverallLevel::kReview, OverallLevel::kSuspect}) {
    EXPECT_THAT(std::string(AssessmentNote(level)), ::testing::Not(HasSubstr("is safe")));
  }
  Assessment a = Assess(Attendance(
      kInfant, R"(,"injuries":[{"type":"bruise","site":"ear"}],"concerns":["domestic_abuse"])"));
  for (const Finding& finding : a.findings) {
    EXPECT_THAT(finding.reason, ::testing::Not(HasSubstr("is safe"))) << finding.rule;
  }
}

TEST(EngineTest, LoadsAReplacementDirectoryAndRejectsABrokenOne) {
  const char* source = std::getenv("LIAISON_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  std::filesystem::path shipped =
      std::filesystem::path(source) / "data" / "recognition" / "concepts-v2";
  Result<std::unique_ptr<Engine>> loaded = Engine::Load(shipped);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ((*loaded)->concepts_version(), "liaison-concepts-v2.1");

  std::filesystem::path copy = std::filesystem::temp_directory_path() / "liaison-concepts-test";
  std::filesystem::remove_all(copy);
  std::filesystem::copy(shipped, copy);
  {
    // A trust adds its own term.
    std::ofstream out(copy / "bruise.tsv", std::ios::app);
    out << "term\tblue mark\n";
  }
  Result<std::unique_ptr<Engine>> trust = Engine::Load(copy);
  ASSERT_TRUE(trust.ok()) << trust.status().ToString();
  Assessment a = AssessWith(**trust, Attendance(kInfant, R"(,"notes":"blue mark on thigh")"));
  EXPECT_EQ(LevelOf(a, "CG89-BR-NIM"), FindingLevel::kSuspect);
  EXPECT_EQ(LevelOf(Assess(Attendance(kInfant, R"(,"notes":"blue mark on thigh")")), "CG89-BR-NIM"),
            std::nullopt);
  {
    std::ofstream out(copy / "fracture.tsv", std::ios::app);
    out << "icd10\tnot-a-code\n";
  }
  Result<std::unique_ptr<Engine>> broken = Engine::Load(copy);
  ASSERT_FALSE(broken.ok());
  EXPECT_THAT(broken.status().message(), HasSubstr("fracture.tsv line"));
  std::filesystem::remove(copy / "fracture.tsv");
  EXPECT_THAT(Engine::Load(copy).status().message(), HasSubstr("fracture.tsv"));
  std::filesystem::remove_all(copy);
  EXPECT_FALSE(Engine::Load(copy).ok());
}

}  // namespace
}  // namespace liaison::recognition
