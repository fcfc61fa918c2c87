// Attendance: one emergency-care attendance as the attendance contract v1 describes it
// (docs/attendance-contract.md), modelled on England's Emergency Care Data Set.
//
// A plain value type: it owns all its data, and is safe to share between threads once built
// (no mutation after construction is expected). It holds no JSON: the codecs in ingest/ turn
// feeds into this type and back.
//
// Conventions, which the codecs rely on for their round-trip property:
// - std::nullopt means "not provided". An optional string never holds "" (the contract reads
//   "" as not provided), and an empty vector means no items were provided.
// - Sub-objects (injury, household, discharge, screening, observations) are plain structs
//   whose members are all optional: an object with nothing in it is simply "all not provided".
// - Debug output must never print names, NHS numbers or birth dates; this type has none.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "domain/nhs_number.h"
#include "domain/person.h"

namespace liaison::domain {

// Every contract enumeration is an enum class whose enumerators run 0..n-1 in the order of
// its SlugTable, so that the slug of a value is its table entry. Specialised below.
template <typename Enum>
struct SlugTable;

// The contract slug of `value`, e.g. Slug(Department::kMinorInjuryUnit) == "minor_injury_unit".
template <typename Enum>
constexpr std::string_view Slug(Enum value) {
  return SlugTable<Enum>::kSlugs[static_cast<std::size_t>(value)];
}

// The value whose slug is exactly `slug` (case-sensitive), or nullopt.
template <typename Enum>
constexpr std::optional<Enum> FromSlug(std::string_view slug) {
  const auto& slugs = SlugTable<Enum>::kSlugs;
  for (std::size_t i = 0; i < slugs.size(); ++i) {
    if (slugs[i] == slug) return static_cast<Enum>(i);
  }
  return std::nullopt;
}

// All slugs of an enumeration, in enumerator order (for documentation and generators).
template <typename Enum>
constexpr std::span<const std::string_view> AllSlugs() {
  return SlugTable<Enum>::kSlugs;
}

enum class Department {
  kEmergency,
  kUrgentTreatmentCentre,
  kMinorInjuryUnit,
  kPaediatricWard,
  kMaternity,
  kOther,
};
template <>
struct SlugTable<Department> {
  static constexpr std::array<std::string_view, 6> kSlugs = {
      "emergency", "urgent_treatment_centre", "minor_injury_unit", "paediatric_ward", "maternity",
      "other"};
};

// Whether the child can move about on their own (crawl, cruise, bottom-shuffle or walk): the
// single strongest record-level context for bruising (NICE CG89, as amended December 2025).
enum class Mobility { kIndependentlyMobile, kNotIndependentlyMobile, kUnknown };
template <>
struct SlugTable<Mobility> {
  static constexpr std::array<std::string_view, 3> kSlugs = {"independently_mobile",
                                                             "not_independently_mobile", "unknown"};
};

enum class InjuryIntent { kAccidental, kSelfInflicted, kAssault, kUndetermined, kUnknown };
template <>
struct SlugTable<InjuryIntent> {
  static constexpr std::array<std::string_view, 5> kSlugs = {"accidental", "self_inflicted",
                                                             "assault", "undetermined", "unknown"};
};

enum class InjuryPlace { kHome, kSchool, kPublic, kOther, kUnknown };
template <>
struct SlugTable<InjuryPlace> {
  static constexpr std::array<std::string_view, 5> kSlugs = {"home", "school", "public", "other",
                                                             "unknown"};
};

enum class InjuryType {
  kBruise,
  kPetechiae,
  kBurn,
  kScald,
  kFracture,
  kLaceration,
  kAbrasion,
  kScar,
  kBiteHuman,
  kBiteAnimal,
  kIntracranial,
  kRetinalHaemorrhage,
  kEye,
  kSpinal,
  kVisceral,
  kOral,
  kAnogenital,
  kColdInjury,
  kPoisoning,
  kOther,
};
template <>
struct SlugTable<InjuryType> {
  static constexpr std::array<std::string_view, 20> kSlugs = {
      "bruise",    "petechiae", "burn",       "scald",       "fracture",     "laceration",
      "abrasion",  "scar",      "bite_human", "bite_animal", "intracranial", "retinal_haemorrhage",
      "eye",       "spinal",    "visceral",   "oral",        "anogenital",   "cold_injury",
      "poisoning", "other"};
};

enum class DiagnosisSystem { kSnomedCt, kIcd10 };
template <>
struct SlugTable<DiagnosisSystem> {
  static constexpr std::array<std::string_view, 2> kSlugs = {"SNOMED-CT", "ICD-10"};
};

// Whether the explanation given for an injury is suitable (NICE CG89's definition). ED systems
// rarely record it, so "not recorded" is the default and the rules downgrade on it.
enum class Explanation { kSuitable, kUnsuitable, kAbsent, kNotRecorded };
template <>
struct SlugTable<Explanation> {
  static constexpr std::array<std::string_view, 4> kSlugs = {"suitable", "unsuitable", "absent",
                                                             "not_recorded"};
};

enum class Substance { kAlcohol, kDrugs };
template <>
struct SlugTable<Substance> {
  static constexpr std::array<std::string_view, 2> kSlugs = {"alcohol", "drugs"};
};

// Adult-presentation concerns that trigger "think family" (the Hague protocol).
enum class Concern { kDomesticAbuse, kSubstanceMisuse, kMentalHealthCrisis, kSelfHarm };
template <>
struct SlugTable<Concern> {
  static constexpr std::array<std::string_view, 4> kSlugs = {"domestic_abuse", "substance_misuse",
                                                             "mental_health_crisis", "self_harm"};
};

enum class DischargeStatus { kDischarged, kAdmitted, kLeftBeforeSeen, kTransferred, kDied };
template <>
struct SlugTable<DischargeStatus> {
  static constexpr std::array<std::string_view, 5> kSlugs = {
      "discharged", "admitted", "left_before_seen", "transferred", "died"};
};

// Sex reuses the Person enumeration; its slugs match SexSlug() in person.h.
template <>
struct SlugTable<Sex> {
  static constexpr std::array<std::string_view, 4> kSlugs = {"female", "male", "other", "unknown"};
};

// RecordedNhsNumber (nhs_number.h) has no equality of its own; attendances need one for the
// codec round-trip property. Two recorded numbers are equal when text and verification agree.
bool operator==(const RecordedNhsNumber& left, const RecordedNhsNumber& right);

struct AttendancePatient {
  std::optional<std::string> local_id;
  std::optional<RecordedNhsNumber> nhs_number;
  std::optional<std::string> given_name;
  std::optional<std::string> family_name;
  std::optional<std::chrono::year_month_day> birth_date;
  std::optional<Sex> sex;
  std::optional<std::string> postcode;
  std::optional<bool> pregnant;

  friend bool operator==(const AttendancePatient&, const AttendancePatient&) = default;
};

// The circumstances of the injury as a whole (ECDS injury date/time, intent, mechanism, place).
struct InjuryEvent {
  std::optional<Timestamp> datetime;
  std::optional<InjuryIntent> intent;
  std::optional<std::string> mechanism;
  std::optional<InjuryPlace> place;

  bool empty() const { return !datetime && !intent && !mechanism && !place; }
  friend bool operator==(const InjuryEvent&, const InjuryEvent&) = default;
};

// One injury found on examination. `site` and `pattern` are open vocabularies ("ear",
// "buttock"; "hand", "immersion"): the rules normalise them through synonym tables.
struct Injury {
  std::optional<InjuryType> type;
  std::optional<std::string> site;
  std::optional<std::string> pattern;
  std::optional<int> count;  // >= 1 when present

  friend bool operator==(const Injury&, const Injury&) = default;
};

struct Diagnosis {
  std::optional<DiagnosisSystem> system;
  std::optional<std::string> code;
  std::optional<std::string> display;

  friend bool operator==(const Diagnosis&, const Diagnosis&) = default;
};

struct HouseholdChild {
  std::optional<std::string> given_name;
  std::optional<std::string> family_name;
  std::optional<std::chrono::year_month_day> birth_date;
  std::optional<RecordedNhsNumber> nhs_number;

  friend bool operator==(const HouseholdChild&, const HouseholdChild&) = default;
};

// Who lives with the patient: asked of adults for "think family".
struct Household {
  std::optional<bool> recorded;  // whether the question was asked and answered
  std::vector<HouseholdChild> children;
  std::optional<bool> unborn;  // a pregnancy in the household

  bool empty() const { return !recorded && children.empty() && !unborn; }
  friend bool operator==(const Household&, const Household&) = default;
};

struct Discharge {
  std::optional<Timestamp> datetime;
  std::optional<DischargeStatus> status;

  bool empty() const { return !datetime && !status; }
  friend bool operator==(const Discharge&, const Discharge&) = default;
};

// The Escape screening questions (Louwers et al.), one optional answer each.
struct Screening {
  std::optional<bool> history_consistent;
  std::optional<bool> delay_in_seeking_help;
  std::optional<bool> injury_fits_development;
  std::optional<bool> interaction_appropriate;
  std::optional<bool> examination_consistent;
  std::optional<bool> other_concerns;
  std::optional<std::string> not_done_reason;

  bool empty() const {
    return !history_consistent && !delay_in_seeking_help && !injury_fits_development &&
           !interaction_appropriate && !examination_consistent && !other_concerns &&
           !not_done_reason;
  }
  friend bool operator==(const Screening&, const Screening&) = default;
};

// Measurements used by scored tools (PIBIS: haemoglobin, head circumference).
struct Observations {
  std::optional<double> temperature_c;
  std::optional<double> haemoglobin_g_dl;
  std::optional<double> head_circumference_centile;

  bool empty() const { return !temperature_c && !haemoglobin_g_dl && !head_circumference_centile; }
  friend bool operator==(const Observations&, const Observations&) = default;
};

struct Attendance {
  // Required. (site, attendance_id) identifies the attendance; re-sending it is idempotent.
  std::string attendance_id;
  std::string site;
  Timestamp arrival{};
  AttendancePatient patient;

  std::optional<Department> department;
  std::optional<Mobility> mobility;
  std::optional<std::string> presenting_complaint;
  InjuryEvent injury;
  std::vector<Injury> injuries;
  std::vector<Diagnosis> diagnoses;
  Explanation explanation = Explanation::kNotRecorded;  // a missing explanation is not recorded
  std::vector<Substance> substances;
  std::vector<Concern> concerns;
  std::optional<std::string> notes;
  std::vector<std::string> safeguarding_concern_codes;
  Household household;
  Discharge discharge;
  Screening screening;
  Observations observations;

  friend bool operator==(const Attendance&, const Attendance&) = default;
};

// The patient's age in whole days at arrival (London calendar dates), or nullopt when the birth
// date is unknown or after the arrival.
std::optional<std::int64_t> AgeInDaysAtArrival(const Attendance& attendance);

}  // namespace liaison::domain
