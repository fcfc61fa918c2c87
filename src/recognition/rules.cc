#include "recognition/rules.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <string>

#include "common/check.h"
#include "common/time_format.h"
#include "domain/working_day_calendar.h"

namespace liaison::recognition {
namespace {

using domain::Explanation;

// Ages in days, as the reference's rule list gives them.
constexpr std::int64_t kAdultDays = kAdultAgeDays;
constexpr std::int64_t kSixteenDays = 5844;   // 16 years
constexpr std::int64_t kThirteenDays = 4748;  // 13 years
constexpr std::int64_t kFiveYearsDays = 1826;
constexpr std::int64_t kFourYearsDays = 1461;   // TEN-4-FACESp applies under 4 years
constexpr std::int64_t kThreeYearsDays = 1096;  // CG89 intracranial: under 3
constexpr std::int64_t kOneYearDays = 365;
constexpr std::int64_t kTen4InfantDays = 152;  // TEN-4-FACESp "4": 4.99 months and younger
constexpr std::int64_t kDelayHours = 24;       // arrival more than a day after the injury
constexpr std::size_t kMaxEvidence = 12;

// The Pittsburgh Infant Brain Injury Score (Berger et al. Pediatrics 2016;138(1):e20153756; the
// reference's section 2.4): well-appearing infants of 30 to 364 days, below 38.3 C, with no
// history of trauma and a symptom associated with a brain abnormality.
constexpr std::int64_t kPibisFirstDay = 30;
constexpr std::int64_t kPibisPastLastDay = 365;
constexpr std::int64_t kPibisThreeMonthsDays = 91;  // "age >= 3.0 months", as the reference's list
constexpr double kPibisFeverCelsius = 38.3;
constexpr double kPibisHeadCentile = 85;       // more than the 85th centile scores
constexpr double kPibisHaemoglobinGdl = 11.2;  // less than 11.2 g/dL scores
constexpr int kPibisThreshold = 2;             // 2 or more recommends neuroimaging

// --- helpers ------------------------------------------------------------------------------

// A child, or of unknown age (the child rules still run; the documentation rule says why).
bool ChildOrUnknown(const Facts& f) { return !f.age_days || *f.age_days < kAdultDays; }
bool AgeBelow(const Facts& f, std::int64_t days) { return f.age_days && *f.age_days < days; }
bool AgeIn(const Facts& f, std::int64_t from, std::int64_t to) {
  return f.age_days && *f.age_days >= from && *f.age_days < to;
}

void Append(std::vector<std::string>& evidence, const std::vector<std::string>& more) {
  for (const std::string& item : more) {
    if (evidence.size() >= kMaxEvidence) return;
    if (std::find(evidence.begin(), evidence.end(), item) == evidence.end()) {
      evidence.push_back(item);
    }
  }
}

void Emit(std::vector<Finding>& out, const RuleInfo& info, FindingLevel level, std::string reason,
          std::vector<std::string> evidence, std::string_view category = {}) {
  if (evidence.size() > kMaxEvidence) evidence.resize(kMaxEvidence);
  out.push_back({std::string(info.id), level,
                 std::string(category.empty() ? info.category : category), std::move(reason),
                 std::string(info.source), std::move(evidence)});
}

std::string AgeEvidence(const Facts& f) { return "age_days=" + std::to_string(*f.age_days); }

// A recorded measurement as evidence: "observations.haemoglobin_g_dl=10.4". The contract keeps
// two decimal places, which %g shows without trailing zeros.
std::string MeasurementEvidence(std::string_view field, double value) {
  char number[32];
  std::snprintf(number, sizeof(number), "%g", value);
  return "observations." + std::string(field) + "=" + number;
}

// The mobility behind a kNotMobile fact, as evidence, and a sentence when it was a proxy.
std::string MobilityEvidence(const Facts& f) {
  return f.mobility_by_proxy ? AgeEvidence(f) + " (mobility not recorded)"
                             : "mobility=not_independently_mobile";
}
std::string ProxyNote(const Facts& f, const EngineOptions& options) {
  if (!f.mobility_by_proxy) return "";
  return " Mobility was not recorded, so the child was treated as not independently mobile "
         "because they are younger than " +
         std::to_string(options.not_mobile_proxy_days) + " days (an age proxy); record mobility.";
}

// The level a "suspect if the explanation is unsuitable" rule gives, and why; nullopt when the
// explanation was recorded as suitable. When the field was not recorded, an inconsistent history
// on the Escape screen or notes calling the explanation implausible, inconsistent or absent
// count as unsuitable: CG89 defines an unsuitable explanation that way.
struct ExplanationVerdict {
  FindingLevel level;
  std::string why;
  std::vector<std::string> evidence;
};
std::optional<ExplanationVerdict> ForExplanation(const Facts& f) {
  switch (f.attendance->explanation) {
    case Explanation::kUnsuitable:
      return ExplanationVerdict{FindingLevel::kSuspect,
                                " The explanation was recorded as unsuitable.",
                                {"explanation=unsuitable"}};
    case Explanation::kAbsent:
      return ExplanationVerdict{
          FindingLevel::kSuspect, " No explanation was given.", {"explanation=absent"}};
    case Explanation::kSuitable:
      return std::nullopt;
    case Explanation::kNotRecorded:
      break;
  }
  std::vector<std::string> evidence;
  const domain::Screening& s = f.attendance->screening;
  if (s.history_consistent == false) evidence.push_back("screening.history_consistent=false");
  if (s.injury_fits_development == false) {
    evidence.push_back("screening.injury_fits_development=false");
  }
  for (std::string& item : f.Evidence(Concept::kExplanationConcern)) {
    evidence.push_back(std::move(item));
  }
  if (!evidence.empty()) {
    return ExplanationVerdict{FindingLevel::kSuspect,
                              " The history is recorded as inconsistent or the explanation as "
                              "implausible or absent, which makes the explanation unsuitable.",
                              std::move(evidence)};
  }
  return ExplanationVerdict{
      FindingLevel::kConsider,
      " Consider rather than suspect only because whether the explanation is suitable was not "
      "recorded: seek an explanation and record it; if it is absent or unsuitable, suspect "
      "maltreatment.",
      {"explanation=not_recorded"}};
}

bool HasSite(const Facts& f, const Sighting& sighting, std::span<const std::string_view> sites,
             std::vector<std::string>& evidence) {
  bool found = false;
  for (std::size_t i = 0; i < sighting.sites.size(); ++i) {
    if (std::find(sites.begin(), sites.end(), sighting.sites[i]) != sites.end()) {
      Append(evidence, {f.SiteEvidenceOf(sighting, i)});
      found = true;
    }
  }
  return found;
}

// The category of the injuries recorded, for rules that are not about one kind of injury.
std::string_view InjuryCategory(const Facts& f, std::string_view fallback) {
  static constexpr std::array<std::pair<Concept, std::string_view>, 13> kCategories = {{
      {Concept::kIntracranialInjury, "head_injury"},
      {Concept::kFracture, "fracture"},
      {Concept::kBurn, "burn"},
      {Concept::kBruise, "bruising"},
      {Concept::kBiteHuman, "bite"},
      {Concept::kBiteAnimal, "bite"},
      {Concept::kWound, "wound"},
      {Concept::kOralInjury, "oral_injury"},
      {Concept::kRetinalHaemorrhage, "eye_injury"},
      {Concept::kEyeInjury, "eye_injury"},
      {Concept::kSpinalInjury, "spinal_injury"},
      {Concept::kVisceralInjury, "visceral_injury"},
      {Concept::kPoisoning, "poisoning"},
  }};
  for (const auto& [concept_id, category] : kCategories) {
    if (f.Has(concept_id)) return category;
  }
  return fallback;
}

bool DelayedPresentation(const Facts& f, std::vector<std::string>& evidence) {
  bool delayed = false;
  if (f.Has(Concept::kDelayInPresentation)) {
    Append(evidence, f.Evidence(Concept::kDelayInPresentation));
    delayed = true;
  }
  const domain::Attendance& a = *f.attendance;
  if (a.screening.delay_in_seeking_help.value_or(false)) {
    Append(evidence, {"screening.delay_in_seeking_help=true"});
    delayed = true;
  }
  if (a.injury.datetime && a.arrival - *a.injury.datetime > std::chrono::hours(kDelayHours)) {
    auto hours = std::chrono::duration_cast<std::chrono::hours>(a.arrival - *a.injury.datetime);
    Append(evidence,
           {"injury.datetime is " + std::to_string(hours.count()) + " hours before arrival"});
    delayed = true;
  }
  return delayed;
}

// Suspect-or-consider on the explanation, for rules whose only trigger is the explanation.
void EmitOnExplanation(const RuleContext& c, const RuleInfo& info, std::string reason,
                       std::vector<std::string> evidence, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  std::optional<ExplanationVerdict> verdict = ForExplanation(f);
  if (!verdict) return;
  Append(evidence, verdict->evidence);
  Emit(out, info, verdict->level, reason + verdict->why, std::move(evidence));
}

// Sets `trigger` and evidence when any of the structural triggers holds; otherwise the
// explanation decides.
void EmitStructuralOrExplanation(const RuleContext& c, const RuleInfo& info,
                                 const std::string& reason, bool structural,
                                 const std::string& structural_reason,
                                 std::vector<std::string> evidence, std::vector<Finding>& out) {
  if (structural) {
    Emit(out, info, FindingLevel::kSuspect, reason + structural_reason, std::move(evidence));
    return;
  }
  EmitOnExplanation(c, info, reason, std::move(evidence), out);
}

bool MajorTrauma(const Facts& f) { return f.Has(Concept::kMajorTrauma); }

// The think-family concepts, in the order their evidence is given.
constexpr std::array kThinkFamilyConcepts = {Concept::kDomesticAbuse, Concept::kSubstanceMisuse,
                                             Concept::kSelfHarm, Concept::kMentalHealthCrisis};

// Whether the think-family rules apply: 16 or over (or of unknown age) with one of their
// concepts. ThinkFamilyEvidence gives the evidence, read only when a finding needs it.
bool ThinkFamilyTrigger(const Facts& f) {
  if (f.age_days && *f.age_days < kSixteenDays) return false;
  return std::any_of(kThinkFamilyConcepts.begin(), kThinkFamilyConcepts.end(),
                     [&](Concept concept_id) { return f.Has(concept_id); });
}
std::vector<std::string> ThinkFamilyEvidence(const Facts& f) {
  std::vector<std::string> evidence;
  for (Concept concept_id : kThinkFamilyConcepts) {
    if (f.Has(concept_id)) Append(evidence, f.Evidence(concept_id));
  }
  return evidence;
}

// Whether the explanation was recorded as suitable: then a rule that only EmitOnExplanation
// decides gives nothing (ForExplanation), and need not gather its evidence.
bool ExplanationSuitable(const Facts& f) {
  return f.attendance->explanation == Explanation::kSuitable;
}

// --- physical injury -----------------------------------------------------------------------

void BruisingNotMobile(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kBruise) || f.mobility != MobilityFact::kNotMobile) {
    return;
  }
  std::vector<std::string> evidence = f.Evidence(Concept::kBruise);
  Append(evidence, {MobilityEvidence(f)});
  Emit(out, info, FindingLevel::kSuspect,
       "Bruising or petechiae in a child who is not independently mobile. Suspect maltreatment "
       "unless a medical cause (for example a coagulation disorder) is confirmed; an "
       "explanation does not lower this." +
           ProxyNote(f, c.options),
       std::move(evidence));
}

void PatternedBruise(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f)) return;
  std::vector<std::string> evidence;
  for (const Sighting& sighting : f.Of(Concept::kPatternedInjury)) {
    bool marks = !sighting.injury_type || *sighting.injury_type == domain::InjuryType::kBruise ||
                 *sighting.injury_type == domain::InjuryType::kPetechiae ||
                 *sighting.injury_type == domain::InjuryType::kAbrasion ||
                 *sighting.injury_type == domain::InjuryType::kLaceration;
    if (marks) Append(evidence, {f.EvidenceOf(sighting)});
  }
  if (evidence.empty()) return;
  Emit(out, info, FindingLevel::kSuspect,
       "A bruise or mark in the shape of a hand, ligature, stick, teeth mark, grip or implement.",
       std::move(evidence));
}

void Ten4Faces(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!AgeBelow(f, kFourYearsDays) || !f.Has(Concept::kBruise) || ExplanationSuitable(f)) return;
  static constexpr std::array<std::string_view, 14> kRegions = {
      "torso", "chest", "abdomen",  "back",      "buttock", "genitalia", "hip",
      "ear",   "neck",  "frenulum", "jaw_angle", "cheek",   "eyelid",    "subconjunctiva"};
  std::vector<std::string> evidence;
  bool region = false;
  for (const Sighting& sighting : f.Of(Concept::kBruise)) {
    std::vector<std::string> sites;
    if (HasSite(f, sighting, kRegions, sites)) {
      region = true;
      Append(evidence, {f.EvidenceOf(sighting)});
      Append(evidence, sites);
    }
  }
  bool infant = *f.age_days < kTen4InfantDays;
  if (!region && !infant) return;
  if (!region) Append(evidence, f.Evidence(Concept::kBruise));
  if (infant) Append(evidence, {AgeEvidence(f)});
  std::string reason =
      region ? "Bruising on the torso, ear or neck, or on the frenulum, angle of jaw, cheek, "
               "eyelid or subconjunctiva, in a child under 4 (TEN-4-FACESp)."
             : "Any bruise in an infant aged 4.99 months or younger (TEN-4-FACESp).";
  EmitOnExplanation(c, info, reason, std::move(evidence), out);
}

void MultipleBruises(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kBruise) || !f.Has(Concept::kMultipleInjuries) ||
      ExplanationSuitable(f)) {
    return;
  }
  std::vector<std::string> evidence = f.Evidence(Concept::kBruise);
  Append(evidence, f.Evidence(Concept::kMultipleInjuries));
  EmitOnExplanation(c, info, "Multiple bruises, bruises in clusters or of similar shape and size.",
                    std::move(evidence), out);
}

void HumanBite(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kBiteHuman)) return;
  std::vector<std::string> evidence = f.Evidence(Concept::kBiteHuman);
  if (f.attendance->explanation == Explanation::kSuitable) {
    Append(evidence, {"explanation=suitable"});
    Emit(out, info, FindingLevel::kConsider,
         "A human bite mark. The explanation was recorded as suitable (for example a bite from a "
         "young child): confirm the size of the bite fits a young child.",
         std::move(evidence));
    return;
  }
  Emit(out, info, FindingLevel::kSuspect,
       "A human bite mark, unless it is judged to have been caused by a young child.",
       std::move(evidence));
}

void AnimalBite(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kBiteAnimal) || !f.Has(Concept::kSupervisionConcern)) {
    return;
  }
  std::vector<std::string> evidence = f.Evidence(Concept::kBiteAnimal);
  Append(evidence, f.Evidence(Concept::kSupervisionConcern));
  Emit(out, info, FindingLevel::kConsider,
       "An animal bite in a child who was inadequately supervised: consider neglect.",
       std::move(evidence));
}

void Wounds(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  // Self-inflicted wounds have their own rule (CG89-SELFHARM-CYP).
  if (!ChildOrUnknown(f) || !f.Has(Concept::kWound) || f.Has(Concept::kSelfHarm) ||
      ExplanationSuitable(f)) {
    return;
  }
  static constexpr std::array<std::string_view, 12> kSites = {
      "back", "chest",  "abdomen", "torso",     "axilla", "genitalia",
      "eye",  "eyelid", "ear",     "face_side", "cheek",  "buttock"};
  static constexpr std::array<std::string_view, 3> kLigatureSites = {"neck", "wrist", "ankle"};
  std::vector<std::string> evidence = f.Evidence(Concept::kWound);
  std::vector<std::string> why;
  if (f.mobility == MobilityFact::kNotMobile) {
    why.push_back("in a child who is not independently mobile");
    Append(evidence, {MobilityEvidence(f)});
  }
  bool site = false;
  bool ligature = false;
  for (const Sighting& sighting : f.Of(Concept::kWound)) {
    site = HasSite(f, sighting, kSites, evidence) || site;
    std::vector<std::string> ligature_sites;
    if (HasSite(f, sighting, kLigatureSites, ligature_sites) &&
        (sighting.pattern == "ligature" || f.Has(Concept::kPatternedInjury))) {
      ligature = true;
      Append(evidence, ligature_sites);
    }
  }
  if (site) why.push_back("on a site usually protected by clothing, or the eyes, ears or face");
  if (ligature) why.push_back("looking like a ligature mark");
  if (f.Has(Concept::kMultipleInjuries)) {
    why.push_back("multiple");
    Append(evidence, f.Evidence(Concept::kMultipleInjuries));
  }
  if (why.empty()) return;
  std::string reason = "Lacerations, abrasions or scars";
  for (std::size_t i = 0; i < why.size(); ++i) reason += (i == 0 ? " " : "; ") + why[i];
  EmitOnExplanation(c, info, reason + ".", std::move(evidence), out);
}

void Burns(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kBurn)) return;
  static constexpr std::array<std::string_view, 5> kSites = {"back_of_hand", "sole", "buttock",
                                                             "back", "perineum"};
  std::vector<std::string> evidence = f.Evidence(Concept::kBurn);
  std::vector<std::string> why;
  if (f.mobility == MobilityFact::kNotMobile) {
    why.push_back("the child is not independently mobile" + ProxyNote(f, c.options));
    Append(evidence, {MobilityEvidence(f)});
  }
  bool site = false;
  bool shaped = false;
  for (const Sighting& sighting : f.Of(Concept::kBurn)) {
    site = HasSite(f, sighting, kSites, evidence) || site;
    if (sighting.pattern == "implement" || sighting.pattern == "immersion") {
      shaped = true;
      Append(evidence, {sighting.pattern_evidence});
    }
  }
  if (site)
    why.push_back("it is on a part of the body not expected to touch a hot object by accident");
  if (shaped) why.push_back("it has the shape of an implement or the pattern of forced immersion");
  std::string reason = "A burn or scald.";
  std::string structural;
  for (std::size_t i = 0; i < why.size(); ++i)
    structural += (i == 0 ? " Suspect: " : "; ") + why[i];
  if (!structural.empty()) structural += ".";
  EmitStructuralOrExplanation(c, info, reason, !why.empty(), structural, std::move(evidence), out);
}

void ColdInjury(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kColdInjury)) return;
  if (f.attendance->explanation == Explanation::kSuitable) return;
  Emit(out, info, FindingLevel::kConsider,
       "A cold injury or hypothermia without a suitable explanation recorded.",
       f.Evidence(Concept::kColdInjury));
}

void Fractures(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kFracture) || f.Has(Concept::kFragileBone)) return;
  std::vector<std::string> evidence = f.Evidence(Concept::kFracture);
  std::string structural;
  if (f.mobility == MobilityFact::kNotMobile) {
    structural = " Suspect: the child is not independently mobile." + ProxyNote(f, c.options);
    Append(evidence, {MobilityEvidence(f)});
  } else if (f.Has(Concept::kRibFracture) && AgeBelow(f, kOneYearDays)) {
    structural = " Suspect: a rib fracture in an infant.";
    Append(evidence, f.Evidence(Concept::kRibFracture));
    Append(evidence, {AgeEvidence(f)});
  }
  EmitStructuralOrExplanation(
      c, info, "A fracture with no recorded condition predisposing to fragile bones.",
      !structural.empty(), structural, std::move(evidence), out);
}

void FemoralFracture(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kFemoralFracture)) return;
  Emit(out, info, FindingLevel::kAudit,
       "A femoral fracture: address non-accidental injury before discharge, particularly in a "
       "child who is not walking or talking, and record that it was addressed.",
       f.Evidence(Concept::kFemoralFracture));
}

void Intracranial(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kIntracranialInjury) || MajorTrauma(f)) return;
  std::vector<std::string> evidence = f.Evidence(Concept::kIntracranialInjury);
  std::vector<std::string> why;
  if (AgeBelow(f, kThreeYearsDays)) {
    why.push_back("the child is under 3");
    Append(evidence, {AgeEvidence(f)});
  }
  if (f.Has(Concept::kRetinalHaemorrhage)) {
    why.push_back("there are retinal haemorrhages");
    Append(evidence, f.Evidence(Concept::kRetinalHaemorrhage));
  }
  if (f.Has(Concept::kRibFracture)) {
    why.push_back("there is a rib fracture");
    Append(evidence, f.Evidence(Concept::kRibFracture));
  }
  std::string structural;
  for (std::size_t i = 0; i < why.size(); ++i)
    structural += (i == 0 ? " Suspect: " : "; ") + why[i];
  if (!structural.empty()) structural += ".";
  EmitStructuralOrExplanation(
      c, info, "An intracranial injury with no major confirmed accidental trauma recorded.",
      !why.empty(), structural, std::move(evidence), out);
}

void EyeInjury(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || MajorTrauma(f)) return;
  if (f.Has(Concept::kRetinalHaemorrhage)) {
    Emit(out, info, FindingLevel::kSuspect,
         "Retinal haemorrhages with no major confirmed accidental trauma recorded; exclude "
         "birth-related and medical causes.",
         f.Evidence(Concept::kRetinalHaemorrhage));
    return;
  }
  if (!f.Has(Concept::kEyeInjury) || ExplanationSuitable(f)) return;
  EmitOnExplanation(c, info,
                    "An injury to the eye with no major confirmed accidental trauma recorded.",
                    f.Evidence(Concept::kEyeInjury), out);
}

void SpinalInjury(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kSpinalInjury) || MajorTrauma(f) ||
      ExplanationSuitable(f)) {
    return;
  }
  EmitOnExplanation(c, info, "A spinal injury with no major confirmed accidental trauma recorded.",
                    f.Evidence(Concept::kSpinalInjury), out);
}

void VisceralInjury(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kVisceralInjury) || MajorTrauma(f)) return;
  std::vector<std::string> evidence = f.Evidence(Concept::kVisceralInjury);
  std::vector<std::string> delay;
  bool delayed = DelayedPresentation(f, delay);
  Append(evidence, delay);
  EmitStructuralOrExplanation(
      c, info,
      "An intra-abdominal or intrathoracic injury with no major confirmed accidental "
      "trauma recorded.",
      delayed, " Suspect: there was a delay in presentation.", std::move(evidence), out);
}

void OralInjury(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kOralInjury)) return;
  if (f.attendance->explanation == Explanation::kSuitable) return;
  std::vector<std::string> evidence = f.Evidence(Concept::kOralInjury);
  Append(evidence, {"explanation=" + std::string(domain::Slug(f.attendance->explanation))});
  if (AgeBelow(f, c.options.not_mobile_proxy_days)) {
    Append(evidence, {AgeEvidence(f)});
    Emit(out, info, FindingLevel::kSuspect,
         "An oral injury (such as a torn frenulum) in a young infant, without a suitable "
         "explanation recorded (TEN-4-FACESp 'F').",
         std::move(evidence));
    return;
  }
  Emit(out, info, FindingLevel::kConsider,
       "An oral injury without a suitable explanation recorded.", std::move(evidence));
}

// Whether the attendance records a traumatic event: an injury mechanism, time or intent, or an
// explanation accepted as suitable (an accepted account of an injury). PIBIS is for infants
// without one.
bool HistoryOfTrauma(const domain::Attendance& a, std::vector<std::string>& evidence) {
  if (a.injury.mechanism) evidence.push_back("injury.mechanism recorded");
  if (a.injury.datetime) evidence.push_back("injury.datetime recorded");
  if (a.injury.intent && *a.injury.intent != domain::InjuryIntent::kUnknown) {
    evidence.push_back("injury.intent=" + std::string(domain::Slug(*a.injury.intent)));
  }
  if (a.explanation == Explanation::kSuitable) evidence.push_back("explanation=suitable");
  return !evidence.empty();
}

// The symptoms that bring an infant into the PIBIS population, as evidence; empty when none.
// Vomiting counts only without diarrhoea, as in the study.
std::vector<std::string> PibisEntrySymptoms(const Facts& f) {
  std::vector<std::string> evidence = f.Evidence(Concept::kBrainInjurySymptom);
  Append(evidence, f.Evidence(Concept::kAlteBrue));
  if (!f.Has(Concept::kDiarrhoea)) Append(evidence, f.Evidence(Concept::kVomiting));
  return evidence;
}

std::string JoinedWithSemicolons(const std::vector<std::string>& items) {
  std::string joined;
  for (std::size_t i = 0; i < items.size(); ++i) joined += (i == 0 ? "" : "; ") + items[i];
  return joined;
}

std::string JoinedWithAnd(const std::vector<std::string>& items) {
  std::string joined;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) joined += i + 1 == items.size() ? " and " : ", ";
    joined += items[i];
  }
  return joined;
}

// Scores PIBIS from what was recorded. A component that was not recorded is named as unknown
// and never counted as normal: with the skin examination only an abnormal finding can be read
// from the record, so a score below 2 is never a low-risk result (an audit finding says what to
// record instead).
void Pibis(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!AgeIn(f, kPibisFirstDay, kPibisPastLastDay)) return;
  // Imaging has already found the injury; CG89-ICI speaks for it.
  if (f.Has(Concept::kIntracranialInjury)) return;
  const domain::Attendance& a = *f.attendance;
  const domain::Observations& observed = a.observations;
  if (observed.temperature_c && *observed.temperature_c >= kPibisFeverCelsius) return;
  std::vector<std::string> trauma;
  if (HistoryOfTrauma(a, trauma)) return;
  std::vector<std::string> evidence = PibisEntrySymptoms(f);
  if (evidence.empty()) return;

  int score = 0;
  std::vector<std::string> scored;
  std::vector<std::string> unknown;
  bool skin = false;
  for (Concept concept_id : {Concept::kBruise, Concept::kWound, Concept::kBurn}) {
    if (!f.Has(concept_id)) continue;
    skin = true;
    Append(evidence, f.Evidence(concept_id));
  }
  if (skin) {
    score += 2;
    scored.push_back("an abnormal skin examination, 2 points");
  } else {
    unknown.push_back("the skin examination (no abnormality recorded; 2 points if there is one)");
  }
  if (*f.age_days >= kPibisThreeMonthsDays) {
    score += 1;
    scored.push_back("age 3 months or more, 1 point");
  }
  Append(evidence, {AgeEvidence(f)});
  if (observed.head_circumference_centile) {
    Append(evidence, {MeasurementEvidence("head_circumference_centile",
                                          *observed.head_circumference_centile)});
    if (*observed.head_circumference_centile > kPibisHeadCentile) {
      score += 1;
      scored.push_back("head circumference above the 85th centile, 1 point");
    }
  } else {
    unknown.push_back("the head circumference centile");
  }
  if (observed.haemoglobin_g_dl) {
    Append(evidence, {MeasurementEvidence("haemoglobin_g_dl", *observed.haemoglobin_g_dl)});
    if (*observed.haemoglobin_g_dl < kPibisHaemoglobinGdl) {
      score += 1;
      scored.push_back("haemoglobin below 11.2 g/dL, 1 point");
    }
  } else {
    unknown.push_back("the haemoglobin");
  }
  std::string caveats;
  if (!unknown.empty()) caveats += " Not recorded: " + JoinedWithAnd(unknown) + ".";
  if (observed.temperature_c) {
    Append(evidence, {MeasurementEvidence("temperature_c", *observed.temperature_c)});
  } else {
    caveats += " The temperature was not recorded: PIBIS applies below 38.3 C.";
  }
  caveats += " PIBIS was validated in well-appearing infants.";

  if (score >= kPibisThreshold) {
    Emit(out, info, FindingLevel::kConsider,
         std::string("Pittsburgh Infant Brain Injury Score ") +
             (unknown.empty() ? "" : "at least ") + std::to_string(score) + " of 5 (" +
             JoinedWithSemicolons(scored) +
             ") in an infant with no history of trauma: a score of 2 or more recommends "
             "neuroimaging to look for a brain injury, including abusive head trauma." +
             caveats,
         std::move(evidence));
    return;
  }
  // Below 2 only while the skin examination is unknown (an abnormal one scores 2 by itself), so
  // there is always an item left to record.
  LIAISON_DCHECK(!unknown.empty());
  Emit(out, info, FindingLevel::kAudit,
       "This infant fits the Pittsburgh Infant Brain Injury Score population (a symptom "
       "associated with a brain abnormality and no history of trauma), but the score could not "
       "be completed: " +
           std::to_string(score) +
           " of 5 from what was recorded, and the missing items could "
           "bring it to 2 or more, which recommends neuroimaging. This is not a low-risk "
           "result: record them and complete the score." +
           caveats,
       std::move(evidence), "documentation");
}

// --- clinical presentations ----------------------------------------------------------------

void Poisoning(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  // Self-harm by overdose has its own rule.
  if (!ChildOrUnknown(f) || !f.Has(Concept::kPoisoning) || f.Has(Concept::kSelfHarm)) return;
  std::vector<std::string> evidence = f.Evidence(Concept::kPoisoning);
  std::string structural;
  if (f.mobility == MobilityFact::kNotMobile) {
    structural = " Suspect: the child is not independently mobile." + ProxyNote(f, c.options);
    Append(evidence, {MobilityEvidence(f)});
  } else if (f.Has(Concept::kIllicitDrug) && AgeBelow(f, kFiveYearsDays)) {
    structural = " Suspect: an illicit drug or controlled medicine in a young child.";
    Append(evidence, f.Evidence(Concept::kIllicitDrug));
  }
  EmitStructuralOrExplanation(c, info, "Poisoning or ingestion.", !structural.empty(), structural,
                              std::move(evidence), out);
}

void RepeatPoisoning(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kPoisoning)) return;
  std::vector<std::string> evidence = f.Evidence(Concept::kPoisoning);
  int earlier = 0;
  for (const EarlierAttendance& e : c.earlier) {
    if (!e.poisoning) continue;
    ++earlier;
    Append(evidence, {"history[" + std::to_string(e.index) +
                      "].arrival=" + FormatDate(domain::LondonDate(e.arrival))});
  }
  if (earlier == 0) return;
  Emit(out, info, FindingLevel::kConsider,
       "Repeated ingestion or poisoning: " + std::to_string(earlier + 1) +
           " episodes within a year. Consider neglect or a lack of supervision.",
       std::move(evidence));
}

void ApparentLifeThreateningEvent(const RuleContext& c, const RuleInfo& info,
                                  std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kAlteBrue)) return;
  std::vector<std::string> evidence = f.Evidence(Concept::kAlteBrue);
  if (f.age_days) Append(evidence, {AgeEvidence(f)});
  if (f.Has(Concept::kOronasalBleeding)) {
    Append(evidence, f.Evidence(Concept::kOronasalBleeding));
    Emit(out, info, FindingLevel::kSuspect,
         "An apparent life-threatening event (ALTE or BRUE) with bleeding from the nose or "
         "mouth: suspect imposed upper-airway obstruction (smothering) or another inflicted "
         "injury, unless a medical cause is confirmed.",
         std::move(evidence));
    return;
  }
  Emit(out, info, FindingLevel::kConsider,
       "An apparent life-threatening event (ALTE or BRUE). Consider maltreatment, including "
       "abusive head trauma and imposed upper-airway obstruction: look for bleeding from the "
       "nose or mouth, and ask who saw the event (an event seen by only one carer raises the "
       "concern).",
       std::move(evidence));
}

void StiUnder13(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!AgeBelow(f, kThirteenDays) || !f.Has(Concept::kStiMajor)) return;
  std::vector<std::string> evidence = f.Evidence(Concept::kStiMajor);
  Append(evidence, {AgeEvidence(f)});
  Emit(out, info, FindingLevel::kSuspect,
       "Gonorrhoea, chlamydia, syphilis, genital herpes, hepatitis C, HIV or trichomonas in a "
       "child under 13, unless there is clear evidence of mother-to-child transmission at "
       "birth or of blood contamination.",
       std::move(evidence));
}

void StiOther(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  std::vector<std::string> evidence;
  std::string reason;
  if (AgeBelow(f, kThirteenDays) && f.Has(Concept::kStiMinor)) {
    evidence = f.Evidence(Concept::kStiMinor);
    reason =
        "Hepatitis B or anogenital warts in a child under 13, unless perinatal, household "
        "non-sexual or blood transmission is clear.";
  } else if (AgeIn(f, kThirteenDays, kSixteenDays) &&
             (f.Has(Concept::kStiMajor) || f.Has(Concept::kStiMinor))) {
    evidence = f.Evidence(Concept::kStiMajor);
    Append(evidence, f.Evidence(Concept::kStiMinor));
    reason =
        "A sexually transmitted infection at 13 to 15, unless perinatal, household "
        "non-sexual or blood transmission, or consensual activity with a peer, is clear.";
  } else {
    return;
  }
  Append(evidence, {AgeEvidence(f)});
  Emit(out, info, FindingLevel::kConsider, reason, std::move(evidence));
}

void PregnancyUnder13(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!AgeBelow(f, kThirteenDays) || !f.Has(Concept::kPregnancy)) return;
  std::vector<std::string> evidence = f.Evidence(Concept::kPregnancy);
  Append(evidence, {AgeEvidence(f)});
  Emit(out, info, FindingLevel::kSuspect,
       "Pregnancy in a child under 13: sexual intercourse with a child under 13 is unlawful, so "
       "the child has been maltreated. Refer, and involve the police under local procedures.",
       std::move(evidence));
}

void Pregnancy13To17(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!f.Has(Concept::kPregnancy)) return;
  if (AgeIn(f, kThirteenDays, kSixteenDays)) {
    std::vector<std::string> evidence = f.Evidence(Concept::kPregnancy);
    Append(evidence, {AgeEvidence(f)});
    Emit(out, info, FindingLevel::kConsider, "Pregnancy in a young person aged 13 to 15.",
         std::move(evidence));
  } else if (AgeIn(f, kSixteenDays, kAdultDays) && f.Has(Concept::kCoercion)) {
    std::vector<std::string> evidence = f.Evidence(Concept::kPregnancy);
    Append(evidence, f.Evidence(Concept::kCoercion));
    Append(evidence, {AgeEvidence(f)});
    Emit(out, info, FindingLevel::kConsider,
         "Pregnancy at 16 or 17 with an imbalance of power, coercion or exploitation noted.",
         std::move(evidence));
  }
}

void Anogenital(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kAnogenitalInjury) || ExplanationSuitable(f)) return;
  EmitOnExplanation(c, info, "A genital, anal or perianal injury or symptom.",
                    f.Evidence(Concept::kAnogenitalInjury), out);
}

void SexualAbuseReported(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kSexualAbuse)) return;
  Emit(out, info, FindingLevel::kSuspect,
       "A report, disclosure or code of sexual abuse or assault, or sexualised behaviour, in a "
       "child.",
       f.Evidence(Concept::kSexualAbuse));
}

// --- neglect, emotional abuse, self-harm ----------------------------------------------------

void Neglect(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kNeglect)) return;
  Emit(out, info, FindingLevel::kConsider,
       "A feature of neglect (failure of provision, care or treatment) was recorded.",
       f.Evidence(Concept::kNeglect));
}

void Supervision(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kSupervisionConcern)) return;
  Emit(out, info, FindingLevel::kConsider,
       "The account of the injury or ingestion suggests a lack of appropriate supervision.",
       f.Evidence(Concept::kSupervisionConcern));
}

void DelayInSeekingHelp(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f)) return;
  std::vector<std::string> evidence;
  bool screened = f.attendance->screening.delay_in_seeking_help.value_or(false);
  bool timed = f.AnyInjury() && DelayedPresentation(f, evidence);
  if (!timed && !screened && !f.Has(Concept::kDelayInPresentation)) return;
  if (!timed) DelayedPresentation(f, evidence);
  Emit(out, info, FindingLevel::kConsider,
       "A delay in seeking medical help. Consider neglect, and whether the account is "
       "consistent.",
       std::move(evidence));
}

void Fabricated(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kFiiMarker)) return;
  Emit(out, info, FindingLevel::kConsider,
       "A possible perplexing presentation or fabricated or induced illness. Follow the RCPCH "
       "pathway; do not share the concern with the carers before discussing it with the named "
       "doctor.",
       f.Evidence(Concept::kFiiMarker));
}

void Emotional(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f)) return;
  if (!f.Has(Concept::kEmotionalAbuse) && !f.Has(Concept::kDomesticAbuse)) return;
  std::vector<std::string> evidence = f.Evidence(Concept::kEmotionalAbuse);
  Append(evidence, f.Evidence(Concept::kDomesticAbuse));
  Emit(out, info, FindingLevel::kConsider,
       "A harmful parent-child interaction, or exposure of the child to domestic abuse.",
       std::move(evidence));
}

void SelfHarmChild(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kSelfHarm)) return;
  Emit(out, info, FindingLevel::kConsider,
       "Self-harm in a child or young person: a safeguarding assessment is needed.",
       f.Evidence(Concept::kSelfHarm));
}

void SubstanceChild(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.Has(Concept::kSubstanceMisuse)) return;
  Emit(out, info, FindingLevel::kReview,
       "Alcohol or drug involvement in a child or young person: review for exploitation and "
       "supervision.",
       f.Evidence(Concept::kSubstanceMisuse));
}

void MaltreatmentCoding(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f)) return;
  bool assault = f.Has(Concept::kAssault);
  bool undetermined = f.Has(Concept::kUndeterminedIntent);
  if (!assault && !undetermined && !f.Has(Concept::kMaltreatmentCode)) return;
  std::vector<std::string> evidence = f.Evidence(Concept::kMaltreatmentCode);
  Append(evidence, f.Evidence(Concept::kAssault));
  Append(evidence, f.Evidence(Concept::kUndeterminedIntent));
  std::string_view category = InjuryCategory(f, "wound");
  if (AgeBelow(f, kOneYearDays) && (assault || undetermined)) {
    Append(evidence, {AgeEvidence(f)});
    Emit(out, info, FindingLevel::kSuspect,
         "An assault or an injury of undetermined intent in an infant.", std::move(evidence),
         category);
    return;
  }
  Emit(out, info, FindingLevel::kConsider,
       "Maltreatment-related recording: an assault, undetermined intent or a maltreatment code.",
       std::move(evidence), category);
}

void SafeguardingCode(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!f.Has(Concept::kSafeguardingSuspected)) return;
  std::vector<std::string> evidence = f.Evidence(Concept::kSafeguardingSuspected);
  std::string_view category = InjuryCategory(f, "neglect");
  for (const std::string& item : evidence) {
    if (item.ends_with("=700254002")) category = "sexual_abuse";
    if (item.ends_with("=702953007")) category = "neglect";
    if (item.ends_with("=878111000000109")) category = "think_family";
  }
  Emit(out, info, FindingLevel::kConsider,
       "A safeguarding concern was coded at this attendance: make sure it reached the "
       "safeguarding team and a referral was considered.",
       std::move(evidence), category);
}

// --- Escape screening ------------------------------------------------------------------------

void EscapeAberrant(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f)) return;
  const domain::Screening& s = f.attendance->screening;
  std::vector<std::string> evidence;
  if (s.history_consistent == false) evidence.push_back("screening.history_consistent=false");
  if (s.injury_fits_development == false) {
    evidence.push_back("screening.injury_fits_development=false");
  }
  if (s.examination_consistent == false) {
    evidence.push_back("screening.examination_consistent=false");
  }
  if (s.other_concerns == true) evidence.push_back("screening.other_concerns=true");
  if (evidence.empty()) return;
  Emit(out, info, FindingLevel::kConsider,
       "An aberrant answer on the Escape screen: the history, the injury and the child's "
       "development, or the examination do not fit, or there are other signals of concern.",
       std::move(evidence), InjuryCategory(f, "neglect"));
}

void EscapeInteraction(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || f.attendance->screening.interaction_appropriate != false) return;
  Emit(out, info, FindingLevel::kConsider,
       "The behaviour of, and interaction between, the child and carers was recorded as not "
       "appropriate (Escape).",
       {"screening.interaction_appropriate=false"});
}

void EscapeMissing(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  const domain::Attendance& a = *f.attendance;
  if (!ChildOrUnknown(f) || !a.screening.empty()) return;
  if (a.department && *a.department != domain::Department::kEmergency &&
      *a.department != domain::Department::kUrgentTreatmentCentre &&
      *a.department != domain::Department::kMinorInjuryUnit) {
    return;
  }
  Emit(out, info, FindingLevel::kAudit,
       "No Escape screening answers and no reason for not screening were recorded for this "
       "child.",
       {"screening not recorded"});
}

// --- think family ----------------------------------------------------------------------------

void ThinkFamily(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  if (!ThinkFamilyTrigger(c.facts)) return;
  Emit(out, info, FindingLevel::kPrompt,
       "Domestic abuse, substance misuse, self-harm or a mental-health crisis: ask whether the "
       "patient lives with, cares for or has contact with children, or is pregnant.",
       ThinkFamilyEvidence(c.facts));
}

void ThinkFamilyDependants(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ThinkFamilyTrigger(f)) return;
  const domain::Attendance& a = *f.attendance;
  std::vector<std::string> dependants;
  if (!a.household.children.empty()) {
    dependants.push_back("household.children: " + std::to_string(a.household.children.size()));
  }
  if (a.household.unborn.value_or(false)) dependants.push_back("household.unborn=true");
  if (a.patient.pregnant.value_or(false)) dependants.push_back("patient.pregnant=true");
  if (dependants.empty()) return;
  std::vector<std::string> evidence = ThinkFamilyEvidence(f);
  Append(evidence, dependants);
  Emit(out, info, FindingLevel::kConsider,
       "The patient has children in the household or is pregnant: consider the children's "
       "safety and refer under the local pathway.",
       std::move(evidence));
}

void ThinkFamilyNotAsked(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ThinkFamilyTrigger(f) || f.attendance->household.recorded == true) return;
  Emit(out, info, FindingLevel::kAudit,
       "The think-family question (children in the household, pregnancy) was not recorded.",
       {"household.recorded not true"});
}

// --- history and known status ---------------------------------------------------------------

void FrequentAttendance(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f)) return;
  int in_6_months = 1;
  int in_12_months = 1;
  std::vector<std::string> evidence;
  for (const EarlierAttendance& e : c.earlier) {
    ++in_12_months;
    if (e.days_before < 183) ++in_6_months;
    Append(evidence, {"history[" + std::to_string(e.index) +
                      "].arrival=" + FormatDate(domain::LondonDate(e.arrival))});
  }
  if (in_6_months < c.options.frequent_in_6_months &&
      in_12_months < c.options.frequent_in_12_months) {
    return;
  }
  Emit(out, info, FindingLevel::kReview,
       "Frequent attendance: " + std::to_string(in_6_months) + " attendances within 6 months and " +
           std::to_string(in_12_months) +
           " within 12 months, including this one. Not a sign of maltreatment on its own.",
       std::move(evidence));
}

void RepeatInjury(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.AnyInjury()) return;
  std::vector<std::string> evidence;
  for (const EarlierAttendance& e : c.earlier) {
    if (!e.injury) continue;
    Append(evidence, {"history[" + std::to_string(e.index) +
                      "].arrival=" + FormatDate(domain::LondonDate(e.arrival))});
  }
  if (evidence.size() < 2) return;
  Emit(out, info, FindingLevel::kReview,
       "Repeated injuries: " + std::to_string(evidence.size() + 1) +
           " attendances with an injury within a year, including this one.",
       std::move(evidence));
}

void KnownToSocialCare(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  std::vector<std::string> evidence = f.Evidence(Concept::kSocialCareKnown);
  if (c.social_care) {
    evidence.insert(evidence.begin(), "register.status=" + c.social_care->status);
  }
  if (evidence.empty()) return;
  Emit(out, info, FindingLevel::kReview,
       "Known to children's social care (a plan, looked after or in need): tell the allocated "
       "social worker or the responsible local authority about this attendance.",
       std::move(evidence));
}

void LeftBeforeSeen(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) ||
      f.attendance->discharge.status != domain::DischargeStatus::kLeftBeforeSeen) {
    return;
  }
  Emit(out, info, FindingLevel::kReview,
       "The child left before being seen or treated: follow up under the local policy.",
       {"discharge.status=left_before_seen"});
}

// --- documentation ---------------------------------------------------------------------------

void BirthDateMissing(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const domain::Attendance& a = *c.facts.attendance;
  if (a.patient.birth_date) return;
  Emit(out, info, FindingLevel::kAudit,
       "The birth date is missing, so rules that depend on age (TEN-4-FACESp, the mobility "
       "proxy, intracranial injury under 3, STIs and pregnancy by age) could not run.",
       {"patient.birth_date missing"});
}

void ExplanationMissing(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  if (!ChildOrUnknown(f) || !f.AnyInjury() ||
      f.attendance->explanation != Explanation::kNotRecorded) {
    return;
  }
  Emit(out, info, FindingLevel::kAudit,
       "An injury was recorded without recording whether the explanation is suitable.",
       {"explanation=not_recorded"});
}

void MobilityMissing(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const Facts& f = c.facts;
  const domain::Attendance& a = *f.attendance;
  if (!AgeBelow(f, kOneYearDays)) return;
  if (a.mobility && *a.mobility != domain::Mobility::kUnknown) return;
  std::string reason = "Mobility was not recorded for an infant.";
  if (f.mobility_by_proxy) {
    reason += " The rules treated the child as not independently mobile by age (younger than " +
              std::to_string(c.options.not_mobile_proxy_days) + " days).";
  }
  Emit(out, info, FindingLevel::kAudit, reason, {"mobility not recorded", AgeEvidence(f)});
}

void InjuryDetailMissing(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const domain::Attendance& a = *c.facts.attendance;
  std::vector<std::string> evidence;
  for (std::size_t i = 0; i < a.injuries.size(); ++i) {
    std::string at = "injuries[" + std::to_string(i) + "]";
    if (!a.injuries[i].type) Append(evidence, {at + ".type missing"});
    if (!a.injuries[i].site) Append(evidence, {at + ".site missing"});
  }
  if (evidence.empty()) return;
  Emit(out, info, FindingLevel::kAudit,
       "An injury was recorded without its type or its site, so rules that depend on them could "
       "not run on it.",
       std::move(evidence));
}

void Contradictions(const RuleContext& c, const RuleInfo& info, std::vector<Finding>& out) {
  const domain::Attendance& a = *c.facts.attendance;
  std::vector<std::string> evidence;
  if (a.patient.birth_date && !c.facts.age_days) {
    evidence.push_back("patient.birth_date is after arrival or not a date");
  }
  if (a.discharge.datetime && *a.discharge.datetime < a.arrival) {
    evidence.push_back("discharge.datetime is before arrival");
  }
  if (a.injury.datetime && *a.injury.datetime > a.arrival) {
    evidence.push_back("injury.datetime is after arrival");
  }
  if (a.patient.pregnant.value_or(false) && a.patient.sex == domain::Sex::kMale) {
    evidence.push_back("patient.pregnant=true with patient.sex=male");
  }
  if (evidence.empty()) return;
  Emit(out, info, FindingLevel::kAudit,
       "Recorded fields contradict each other; the findings use what is present. Check and "
       "correct the record.",
       std::move(evidence));
}

// --- the catalogue ---------------------------------------------------------------------------

constexpr FindingLevel kSuspect = FindingLevel::kSuspect;
constexpr FindingLevel kConsider = FindingLevel::kConsider;
constexpr FindingLevel kPrompt = FindingLevel::kPrompt;
constexpr FindingLevel kReview = FindingLevel::kReview;
constexpr FindingLevel kAudit = FindingLevel::kAudit;
constexpr std::string_view kDowngrades = "suspect; consider when the explanation is not recorded";

const std::array kRules = std::to_array<Rule>({
    {{"CG89-BR-NIM", "Bruising in a child who is not independently mobile", "bruising",
      "suspect (never downgrades)", kSuspect,
      "age, mobility, injuries[].type, diagnoses, notes, presenting_complaint",
      "NICE CG89 rec 1.1.2 (independently mobile defined Dec 2025); TEN-4-FACESp '4' (Pierce "
      "et al. JAMA Netw Open 2021;4(4):e215832)",
      "V", true, true},
     BruisingNotMobile},
    {{"CG89-BR-PATTERN", "Patterned bruise or mark", "bruising", "suspect (never downgrades)",
      kSuspect, "injuries[].pattern, notes, presenting_complaint",
      "NICE CG89 rec 1.1.1; TEN-4-FACESp 'p'", "V", true, true},
     PatternedBruise},
    {{"TEN4FACESP", "Bruising on TEN-4-FACES regions under 4, or any bruise at 4.99 months or less",
      "bruising", kDowngrades, kSuspect, "age, injuries[].type and site, notes, explanation",
      "Pierce et al. JAMA Netw Open 2021;4(4):e215832 (sens 95.6%, spec 87.1%); NICE CG89 rec "
      "1.1.2",
      "V", true, false},
     Ten4Faces},
    {{"CG89-BR-MULTI", "Multiple or clustered bruises", "bruising", kDowngrades, kSuspect,
      "injuries[].type, count and pattern, notes, explanation", "NICE CG89 rec 1.1.2", "V-sec",
      false, false},
     MultipleBruises},
    {{"CG89-BITE-HUMAN", "Human bite mark", "bite",
      "suspect (consider when the explanation is recorded as suitable)", kSuspect,
      "injuries[].type, notes, explanation", "NICE CG89 (bites)", "V", true, false},
     HumanBite},
    {{"CG89-BITE-ANIMAL", "Animal bite with inadequate supervision", "neglect", "consider",
      kConsider, "injuries[].type, notes, injury.mechanism", "NICE CG89 (bites)", "V", true, false},
     AnimalBite},
    {{"CG89-WOUND", "Lacerations, abrasions or scars at suspicious sites or in a non-mobile child",
      "wound", kDowngrades, kSuspect, "age, mobility, injuries[], notes, explanation",
      "NICE CG89 (lacerations, abrasions and scars)", "V", true, false},
     Wounds},
    {{"CG89-BURN", "Burn or scald", "burn",
      "suspect when non-mobile, at a suspicious site, implement-shaped or immersion-pattern, or "
      "with an absent or unsuitable explanation; consider when the explanation is not recorded",
      kSuspect, "age, mobility, injuries[], diagnoses, notes, explanation",
      "NICE CG89 (thermal injuries)", "V-sec", false, false},
     Burns},
    {{"CG89-COLD", "Cold injury or hypothermia", "neglect", "consider", kConsider,
      "injuries[].type, diagnoses, notes, explanation", "NICE CG89 (cold injuries, hypothermia)",
      "K", false, false},
     ColdInjury},
    {{"CG89-FX", "Fracture", "fracture",
      "suspect when non-mobile or a rib fracture in an infant, or with an absent or unsuitable "
      "explanation; consider when the explanation is not recorded",
      kSuspect, "age, mobility, injuries[], diagnoses, notes, explanation",
      "NICE CG89 (fractures); Core-info (80% of abusive fractures under 18 months)", "V", true,
      false},
     Fractures},
    {{"NG38-FEMUR", "Femoral fracture: non-accidental injury addressed before discharge",
      "fracture", "audit", kAudit, "injuries[], diagnoses, notes", "NICE NG38 rec 1.7.1", "V", true,
      false},
     FemoralFracture},
    {{"CG89-ICI", "Intracranial injury without major confirmed accidental trauma", "head_injury",
      "suspect under 3, with retinal haemorrhage or rib fracture, or with an absent or unsuitable "
      "explanation; consider when the explanation is not recorded",
      kSuspect, "age, injuries[], diagnoses, injury.mechanism, notes, explanation",
      "NICE CG89 (intracranial injuries)", "V", true, false},
     Intracranial},
    {{"PIBIS",
      "Pittsburgh Infant Brain Injury Score 2 or more in a well infant without a history of trauma",
      "head_injury",
      "consider when the score is 2 or more; audit (documentation) when it is below 2 and items "
      "were not recorded",
      kConsider,
      "age, observations, injury, explanation, injuries[], diagnoses, notes, presenting_complaint",
      "Berger et al. Pediatrics 2016;138(1):e20153756 (PIBIS 2 or more: sens 93.3%, spec 53%)", "V",
      true, false},
     Pibis},
    {{"CG89-EYE", "Retinal haemorrhage or injury to the eye", "eye_injury",
      "suspect for retinal haemorrhage; "
      "suspect or consider on the explanation for other eye "
      "injuries",
      kSuspect, "injuries[], diagnoses, injury.mechanism, notes, explanation",
      "NICE CG89 (eye injuries)", "K", false, false},
     EyeInjury},
    {{"CG89-SPINE", "Spinal injury without major confirmed accidental trauma", "spinal_injury",
      kDowngrades, kSuspect, "injuries[], diagnoses, injury.mechanism, notes, explanation",
      "NICE CG89 (spinal injuries)", "K", false, false},
     SpinalInjury},
    {{"CG89-VISCERA", "Intra-abdominal or intrathoracic injury", "visceral_injury",
      "suspect with delayed presentation or an absent or unsuitable explanation; consider when "
      "the explanation is not recorded",
      kSuspect, "injuries[], diagnoses, injury.datetime, arrival, screening, notes, explanation",
      "NICE CG89 (visceral injuries)", "K", false, false},
     VisceralInjury},
    {{"CG89-ORAL", "Oral injury", "oral_injury",
      "consider; suspect under the mobility proxy age (TEN-4-FACESp 'F')", kSuspect,
      "age, injuries[], diagnoses, notes, explanation", "NICE CG89 (oral injuries); TEN-4-FACESp",
      "V", true, false},
     OralInjury},
    {{"CG89-POISON", "Poisoning", "poisoning",
      "suspect when non-mobile or an illicit drug under 5, or with an absent or unsuitable "
      "explanation; consider when the explanation is not recorded",
      kSuspect, "age, mobility, injuries[], diagnoses, notes, explanation",
      "NICE CG89 (poisoning); Wood et al. Child Abuse Negl 2012;36(4):362-9", "K", false, false},
     Poisoning},
    {{"CG89-POISON-REPEAT", "Repeated ingestion or poisoning", "poisoning", "consider", kConsider,
      "history", "NICE CG89 (poisoning)", "K", false, false},
     RepeatPoisoning},
    {{"CG89-ALTE", "Apparent life-threatening event (ALTE or BRUE)", "fabricated_illness",
      "consider; suspect with bleeding from the nose or mouth", kSuspect,
      "age, diagnoses, notes, presenting_complaint",
      "NICE CG89 (clinical presentations: apparent life-threatening events); Tieder et al. "
      "Pediatrics 2016;137(5):e20160590 (BRUE)",
      "K", false, false},
     ApparentLifeThreateningEvent},
    {{"CG89-STI-U13", "Sexually transmitted infection under 13", "sexual_abuse", "suspect",
      kSuspect, "age, diagnoses, notes", "NICE CG89 (sexually transmitted infections)", "V", true,
      false},
     StiUnder13},
    {{"CG89-STI-OTHER", "Hepatitis B or anogenital warts under 13; any STI at 13 to 15",
      "sexual_abuse", "consider", kConsider, "age, diagnoses, notes",
      "NICE CG89 (sexually transmitted infections)", "V", true, false},
     StiOther},
    {{"CG89-PREG-U13", "Pregnancy under 13", "sexual_abuse", "suspect", kSuspect,
      "age, patient.pregnant, diagnoses, notes",
      "NICE CG89 (2013 footnote; Sexual Offences Act 2003)", "V", true, false},
     PregnancyUnder13},
    {{"CG89-PREG-13-17", "Pregnancy at 13 to 15, or 16 to 17 with coercion", "sexual_abuse",
      "consider", kConsider, "age, patient.pregnant, diagnoses, notes", "NICE CG89", "K", false,
      false},
     Pregnancy13To17},
    {{"CG89-ANOGENITAL", "Genital, anal or perianal injury", "sexual_abuse", kDowngrades, kSuspect,
      "injuries[], diagnoses, notes, explanation",
      "NICE CG89 (via Wales Safeguarding Procedures c1p-p2b)", "V-sec", false, false},
     Anogenital},
    {{"CG89-SEXUAL", "Reported sexual abuse or sexualised behaviour in a child", "sexual_abuse",
      "suspect", kSuspect, "diagnoses, notes, presenting_complaint",
      "NICE CG89 (sexual abuse; via Wales Safeguarding Procedures c1p-p2b)", "V-sec", false, false},
     SexualAbuseReported},
    {{"CG89-NEGLECT", "Features of neglect", "neglect", "consider", kConsider,
      "diagnoses, notes, presenting_complaint", "NICE CG89 (neglect)", "K", false, false},
     Neglect},
    {{"CG89-SUPERVISION", "Lack of appropriate supervision", "neglect", "consider", kConsider,
      "notes, injury.mechanism", "NICE CG89 (neglect)", "K", false, false},
     Supervision},
    {{"CG89-DELAY", "Delay in seeking medical help", "neglect", "consider", kConsider,
      "injury.datetime, arrival, screening.delay_in_seeking_help, notes",
      "NICE CG89 (neglect); Escape item 2 (Louwers et al. 2014)", "K", false, false},
     DelayInSeekingHelp},
    {{"CG89-FII", "Perplexing presentation or fabricated or induced illness", "fabricated_illness",
      "consider", kConsider, "notes, presenting_complaint, diagnoses",
      "NICE CG89 (fabricated or induced illness); RCPCH 2021 perplexing presentations", "V-sec",
      false, false},
     Fabricated},
    {{"CG89-EMOTIONAL", "Harmful parent-child interaction or exposure to domestic abuse",
      "emotional_abuse", "consider", kConsider, "concerns, diagnoses, notes",
      "NICE CG89 rec 1.5 (parent-child interactions)", "K", false, false},
     Emotional},
    {{"CG89-SELFHARM-CYP", "Self-harm in a child or young person", "self_harm", "consider",
      kConsider, "age, injury.intent, concerns, diagnoses, notes", "NICE CG89 rec 1.4; NICE NG225",
      "K", false, false},
     SelfHarmChild},
    {{"CYP-SUBSTANCE", "Alcohol or drug involvement in a child", "substance_misuse", "review",
      kReview, "age, substances, concerns, diagnoses, notes",
      "Project rule after the Hague protocol trigger (Diderich et al. 2013); confirm locally", "K",
      false, false},
     SubstanceChild},
    {{"MVR-CODE", "Assault, undetermined intent or a maltreatment code", "wound",
      "consider; suspect for assault or undetermined intent under 1", kSuspect,
      "age, injury.intent, diagnoses, notes",
      "Gonzalez-Izquierdo et al. ADC 2010;95:918; ACEs code lists", "V", true, false},
     MaltreatmentCoding},
    {{"SG-CODE", "Safeguarding concern coded at the attendance", "neglect", "consider", kConsider,
      "safeguarding_concern_codes",
      "NHS Data Dictionary SAFEGUARDING CONCERN (SNOMED CT); RCGP safeguarding codes", "V", true,
      false},
     SafeguardingCode},
    {{"ESCAPE-ABERRANT", "Aberrant answer on the Escape screen", "neglect", "consider", kConsider,
      "screening",
      "Escape (Louwers et al. Child Abuse Negl 2014;38(7):1275-81; sens 0.80, spec 0.98)", "V",
      true, false},
     EscapeAberrant},
    {{"ESCAPE-INTERACTION", "Child-carer interaction not appropriate (Escape)", "emotional_abuse",
      "consider", kConsider, "screening.interaction_appropriate",
      "Escape item 4 (Louwers et al. 2014); NICE CG89 rec 1.5", "V", true, false},
     EscapeInteraction},
    {{"ESCAPE-MISSING", "Escape screening not recorded", "documentation", "audit", kAudit,
      "screening, department", "Escape (Louwers et al. Pediatrics 2012;130(3):457-64)", "V", true,
      false},
     EscapeMissing},
    {{"TF-HAGUE",
      "Think family: adult with domestic abuse, substance misuse, self-harm or a "
      "mental-health crisis",
      "think_family", "prompt", kPrompt,
      "age, concerns, substances, injury.intent, diagnoses, notes",
      "Hague protocol (Diderich et al. Child Abuse Negl 2013;37(12):1122-31, PPV 91%); NICE CG89 "
      "rec 1.5",
      "V", true, false},
     ThinkFamily},
    {{"TF-DEPENDANTS", "Think family: children in the household or pregnant", "think_family",
      "consider", kConsider, "household, patient.pregnant",
      "Hague protocol (Diderich et al. 2013); Working Together 2023", "V", true, false},
     ThinkFamilyDependants},
    {{"TF-NOT-ASKED", "Think-family question not recorded", "documentation", "audit", kAudit,
      "household.recorded", "Pocknell et al. ADC 2017;102(Suppl 1):A36.1 (11% asked)", "V", true,
      false},
     ThinkFamilyNotAsked},
    {{"FREQ-ATTEND", "Frequent attendance", "frequent_attendance", "review", kReview,
      "history, arrival",
      "Leeds THT SOP 1198 (>3 in 6 months); Greenfield et al. BMJ Open 2021;11:e051409 (>=4 a "
      "year); Woodman et al. CCHD 2010",
      "V", true, false},
     FrequentAttendance},
    {{"REPEAT-INJURY", "Repeated injuries", "frequent_attendance", "review", kReview,
      "history, injuries[], diagnoses, notes",
      "Woodman et al. CCHD 2010 (not a marker on its own); project rule", "K", false, false},
     RepeatInjury},
    {{"KNOWN-CSC", "Known to children's social care", "known_to_social_care", "review", kReview,
      "register status (assess --db), safeguarding_concern_codes",
      "NHS England CP-IS use case; RCGP codes 342191000000101, 764841000000100", "V", true, false},
     KnownToSocialCare},
    {{"LWBS-CHILD", "Child left before being seen", "neglect", "review", kReview,
      "discharge.status", "Northern HSC Trust ED guideline NHSCT/12/546", "K", false, false},
     LeftBeforeSeen},
    {{"DOC-BIRTH-DATE", "Birth date missing", "documentation", "audit", kAudit,
      "patient.birth_date", "NICE CG89 process step 3 (record)", "V", true, false},
     BirthDateMissing},
    {{"DOC-EXPLANATION", "Injury without an explanation recorded", "documentation", "audit", kAudit,
      "explanation, injuries[], diagnoses, notes",
      "NICE CG89 process steps 2-3 (seek an explanation, record)", "V", true, false},
     ExplanationMissing},
    {{"DOC-MOBILITY", "Mobility not recorded for an infant", "documentation", "audit", kAudit,
      "age, mobility", "NICE CG89 rec 1.1.2 (independently mobile defined Dec 2025)", "V-sec",
      false, false},
     MobilityMissing},
    {{"DOC-INJURY-DETAIL", "Injury without a type or site", "documentation", "audit", kAudit,
      "injuries[]", "NICE CG89 process step 3 (record)", "V", true, false},
     InjuryDetailMissing},
    {{"DOC-CONTRADICTION", "Contradictory fields", "documentation", "audit", kAudit,
      "patient.birth_date, arrival, injury.datetime, discharge.datetime, patient.sex, "
      "patient.pregnant",
      "Attendance contract v1", "V", true, false},
     Contradictions},
});

}  // namespace

std::span<const Rule> Rules() { return kRules; }

}  // namespace liaison::recognition
