#include "synth/generator.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <functional>
#include <span>
#include <unordered_map>
#include <vector>

#include "common/time_format.h"
#include "domain/working_day_calendar.h"
#include "ingest/attendance_csv.h"
#include "ingest/attendance_json.h"
#include "ingest/csv_reader.h"
#include "synth/names.h"
#include "synth/population.h"
#include "synth/random.h"
#include "synth/register_rows.h"

namespace liaison::synth {
namespace {

using domain::Attendance;
using domain::InjuryType;
using std::chrono::days;
using std::chrono::sys_days;

constexpr int kYear = 365;
enum Salt : std::uint64_t { kDaySalt = 11, kRowSalt = 12, kLocalIdSalt = 13, kRegisterSalt = 14 };

struct Site {
  std::string_view code;
  domain::Department department;
  int weight;
};
constexpr Site kSites[] = {
    {"RSY01", domain::Department::kEmergency, 55},
    {"RSY02", domain::Department::kEmergency, 30},
    {"RSY03", domain::Department::kUrgentTreatmentCentre, 15},
};

// Relative attendances per local hour: quiet before dawn, busy from late morning to evening.
constexpr std::array<double, 24> kHourWeights = {2.0, 1.5, 1.2, 1.0, 0.9, 1.0, 1.5, 2.5,
                                                 4.0, 5.5, 6.0, 6.0, 5.8, 5.6, 5.5, 5.5,
                                                 5.6, 5.8, 5.8, 5.5, 5.0, 4.4, 3.6, 2.8};

template <typename T>
const T& Pick(Rng& rng, std::span<const T> items) {
  return items[rng.Below(items.size())];
}
std::string_view Pick(Rng& rng, std::initializer_list<std::string_view> items) {
  return *(items.begin() + rng.Below(items.size()));
}

double DayWeight(std::uint64_t seed, sys_days day) {
  std::chrono::year_month_day date{day};
  unsigned month = static_cast<unsigned>(date.month());
  double weight = 1.0;
  if (month == 12 || month == 1) weight *= 1.08;  // winter respiratory illness
  if (month == 6 || month == 7) weight *= 1.06;   // summer injuries
  std::chrono::weekday weekday{day};
  if (weekday == std::chrono::Monday) weight *= 1.12;
  if (weekday == std::chrono::Saturday) weight *= 0.95;
  if (weekday == std::chrono::Sunday) weight *= 0.97;
  Rng noise(Hash(seed, kDaySalt, static_cast<std::uint64_t>(day.time_since_epoch().count())));
  return weight * (0.92 + 0.16 * noise.Uniform());
}

// Splits `total` over `weights` so that the parts add up exactly (largest-remainder free:
// cumulative rounding).
std::vector<std::int64_t> Allocate(std::int64_t total, const std::vector<double>& weights) {
  double sum = 0;
  for (double w : weights) sum += w;
  std::vector<std::int64_t> counts(weights.size());
  double running = 0;
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    running += weights[i];
    std::int64_t upto = i + 1 == weights.size()
                            ? total
                            : static_cast<std::int64_t>(std::floor(total * (running / sum)));
    counts[i] = std::max<std::int64_t>(0, upto - given);
    given += counts[i];
  }
  return counts;
}

// The UTC instant of a London wall-clock time. Wall times skipped in spring map an hour late,
// which is harmless for synthetic arrivals.
Timestamp FromLondon(sys_days day, std::chrono::seconds since_midnight) {
  Timestamp local = Timestamp(day) + since_midnight;
  return local - domain::LondonUtcOffset(local - std::chrono::hours(1));
}

// The concern level that a reader of everything recorded should reach, by the rules reference:
// "suspect" features with an unsuitable or absent explanation are suspect; with no recorded
// explanation the rules downgrade to consider.
std::string SuspectLevel(domain::Explanation explanation) {
  return explanation == domain::Explanation::kUnsuitable ||
                 explanation == domain::Explanation::kAbsent
             ? "suspect"
             : "consider";
}

enum class Form { kStructured, kCodesOnly, kFreeTextOnly };
std::string_view FormSlug(Form form) {
  switch (form) {
    case Form::kStructured:
      return "structured";
    case Form::kCodesOnly:
      return "codes_only";
    case Form::kFreeTextOnly:
      return "free_text_only";
  }
  return "";
}

std::string_view ExplanationPhrase(domain::Explanation explanation, Rng& rng) {
  switch (explanation) {
    case domain::Explanation::kUnsuitable:
      return Pick(rng, {"Explanation inconsistent with injury.", "Account changed between parents.",
                        "Mechanism given does not fit developmental stage.",
                        "History implausible for this injury."});
    case domain::Explanation::kAbsent:
      return Pick(
          rng, {"No explanation offered for injury.", "Parents unable to explain how it happened.",
                "Carer states no idea how this occurred."});
    default:
      return "";
  }
}

// Everything one planted or routine builder needs.
struct Context {
  Rng& rng;
  Attendance& attendance;
  TruthRow& truth;
  Form form = Form::kStructured;
  domain::Explanation explanation = domain::Explanation::kNotRecorded;
  std::string notes;

  void Injury(InjuryType type, std::string_view site, std::string_view pattern = {},
              int count = 0) {
    domain::Injury injury;
    injury.type = type;
    if (!site.empty()) injury.site = std::string(site);
    if (!pattern.empty()) injury.pattern = std::string(pattern);
    if (count > 0) injury.count = count;
    attendance.injuries.push_back(std::move(injury));
  }
  void Diagnosis(domain::DiagnosisSystem system, std::string_view code, std::string_view display) {
    attendance.diagnoses.push_back({system, std::string(code), std::string(display)});
  }
  void Icd(std::string_view code, std::string_view display) {
    Diagnosis(domain::DiagnosisSystem::kIcd10, code, display);
  }
  void Snomed(std::string_view code, std::string_view display) {
    Diagnosis(domain::DiagnosisSystem::kSnomedCt, code, display);
  }
  void Code(std::string_view code) { attendance.safeguarding_concern_codes.emplace_back(code); }
  void Note(std::string_view sentence) {
    if (sentence.empty()) return;
    if (!notes.empty()) notes.push_back(' ');
    notes += sentence;
  }
  bool structured() const { return form == Form::kStructured; }
  bool codes() const { return form == Form::kCodesOnly; }
  bool text() const { return form == Form::kFreeTextOnly; }
};

// A planted child scenario: an age band in days and a builder that fills the attendance and
// returns the expected level.
struct ChildScenario {
  std::string_view label;
  int min_days;
  int max_days;
  int weight;
  std::string (*build)(Context&);
};

std::string NegationTail(Context& c) {
  return std::string(Pick(c.rng, {"No other injuries seen.", "Nil else on top-to-toe examination.",
                                  "Otherwise well.", "No other bruising seen."}));
}

// The WHO ICD-10 contusion code for a bruise at one of the patterned-bruise scenario's sites.
struct Contusion {
  std::string_view code, display;
};
Contusion ContusionCode(std::string_view site) {
  if (site == "upper arm") return {"S40.0", "Contusion of shoulder and upper arm"};
  if (site == "neck") return {"S10.0", "Contusion of throat"};
  if (site == "thigh") return {"S70.1", "Contusion of thigh"};
  // The back and the buttock: S30.0 includes the buttock.
  return {"S30.0", "Contusion of lower back and pelvis"};
}

// A patterned bruise as a clinician would write it (NICE CG89 rec 1.1.1 names the shapes).
std::string PatternedBruiseNote(std::string_view pattern, std::string_view site) {
  std::string on = " on the " + std::string(site) + ".";
  if (pattern == "hand") return "Bruising in the shape of a hand" + on;
  if (pattern == "ligature") return "Ligature mark" + on;
  if (pattern == "implement") return "Linear parallel bruises, tramline pattern," + on;
  if (pattern == "grip") return "Fingertip bruising consistent with a grip" + on;
  return "Bruising in the shape of teeth marks" + on;
}

const ChildScenario kChildScenarios[] = {
    {"bruise_non_mobile_infant", 14, 180, 12,
     [](Context& c) {
       std::string_view site =
           Pick(c.rng, {"cheek", "ear", "torso", "buttock", "forehead", "upper arm"});
       c.attendance.mobility = domain::Mobility::kNotIndependentlyMobile;
       c.attendance.presenting_complaint = "Bruise noticed by parent";
       if (c.structured()) c.Injury(InjuryType::kBruise, site, {}, 1 + c.rng.Below(2));
       if (c.codes()) {
         c.Snomed("125667009", "Contusion");
         c.Code("700255001");
       }
       if (c.text() || c.structured()) {
         c.Note(std::string("Non-mobile infant with bruise to ") + std::string(site) + ".");
       }
       c.Note(ExplanationPhrase(c.explanation, c.rng));
       c.Note(NegationTail(c));
       return SuspectLevel(c.explanation);
     }},
    {"ten4_facesp_bruise", 180, 4 * kYear - 1, 10,
     [](Context& c) {
       std::string_view site =
           Pick(c.rng, {"ear", "neck", "torso", "frenulum", "angle of jaw", "cheek", "eyelid"});
       c.attendance.presenting_complaint = "Bruising";
       if (c.structured()) c.Injury(InjuryType::kBruise, site);
       if (c.codes()) {
         c.Icd("T74.1", "Physical abuse");
         c.Code("162596006");
       }
       if (!c.codes()) c.Note("Bruising to " + std::string(site) + " noted at triage.");
       c.Note(ExplanationPhrase(c.explanation, c.rng));
       return SuspectLevel(c.explanation);
     }},
    {"patterned_bruise", kYear, 12 * kYear, 7,
     [](Context& c) {
       std::string_view pattern = Pick(c.rng, {"hand", "ligature", "implement", "grip", "bite"});
       std::string_view site = Pick(c.rng, {"back", "buttock", "upper arm", "neck", "thigh"});
       if (c.structured()) c.Injury(InjuryType::kBruise, site, pattern, 2 + c.rng.Below(3));
       if (c.codes()) {
         // The bruise itself, then what the coder made of it.
         Contusion contusion = ContusionCode(site);
         c.Icd(contusion.code, contusion.display);
         c.Icd("T74.1", "Physical abuse");
         c.Code("700255001");
       }
       if (!c.codes()) c.Note(PatternedBruiseNote(pattern, site));
       c.Note(ExplanationPhrase(c.explanation, c.rng));
       return std::string("suspect");
     }},
    {"fracture_under_18_months", 30, 540, 10,
     [](Context& c) {
       struct Fracture {
         std::string_view site, code, display;
       };
       static constexpr Fracture kFractures[] = {
           {"rib", "S22.3", "Fracture of rib"},
           {"femur", "S72.3", "Fracture of shaft of femur"},
           {"humerus", "S42.3", "Fracture of shaft of humerus"},
           {"skull", "S02.0", "Fracture of vault of skull"}};
       const Fracture& fracture = Pick<Fracture>(c.rng, kFractures);
       c.attendance.presenting_complaint = "Not using limb / irritable";
       if (c.structured()) c.Injury(InjuryType::kFracture, fracture.site);
       if (!c.text()) c.Icd(fracture.code, fracture.display);
       if (!c.codes()) c.Note("X-ray shows " + std::string(fracture.site) + " fracture.");
       c.Note(ExplanationPhrase(c.explanation, c.rng));
       c.attendance.discharge.status = domain::DischargeStatus::kAdmitted;
       return SuspectLevel(c.explanation);
     }},
    {"burn_scald_suspicious", 180, 8 * kYear, 8,
     [](Context& c) {
       bool immersion = c.rng.Chance(0.5);
       InjuryType type = immersion ? InjuryType::kScald : InjuryType::kBurn;
       std::string_view site = immersion ? Pick(c.rng, {"buttock", "both feet", "sole", "perineum"})
                                         : Pick(c.rng, {"back of hand", "sole", "back"});
       std::string_view pattern = immersion ? "immersion" : Pick(c.rng, {"cigarette", "iron"});
       if (c.structured()) c.Injury(type, site, pattern);
       if (!c.text()) c.Icd("T25.2", "Burn of second degree of ankle and foot");
       if (c.codes()) c.Code("700255001");
       if (!c.codes()) {
         c.Note(immersion
                    ? "Scald with sharply delineated borders, glove and stocking distribution."
                    : "Small round burns consistent with cigarette to " + std::string(site) + ".");
       }
       c.Note(ExplanationPhrase(c.explanation, c.rng));
       return std::string("suspect");
     }},
    {"human_bite", kYear, 10 * kYear, 3,
     [](Context& c) {
       if (c.structured())
         c.Injury(InjuryType::kBiteHuman, Pick(c.rng, {"forearm", "shoulder", "cheek"}));
       if (c.codes()) c.Code("700255001");
       if (!c.codes()) c.Note("Adult-sized human bite mark.");
       return std::string("suspect");
     }},
    {"intracranial_infant", 14, 2 * kYear, 4,
     [](Context& c) {
       c.attendance.presenting_complaint =
           Pick(c.rng, {"Floppy, vomiting", "Seizure", "Reduced feeding, drowsy"});
       if (c.structured()) {
         c.Injury(InjuryType::kIntracranial, "subdural");
         if (c.rng.Chance(0.5)) c.Injury(InjuryType::kRetinalHaemorrhage, "both eyes");
       }
       if (!c.text()) c.Icd("S06.5", "Traumatic subdural haemorrhage");
       if (!c.codes()) c.Note("CT head: subdural haemorrhage. No history of major trauma.");
       c.attendance.discharge.status = domain::DischargeStatus::kAdmitted;
       c.attendance.observations.head_circumference_centile = 91;
       c.attendance.observations.haemoglobin_g_dl = 10.4;
       return std::string("suspect");
     }},
    {"poisoning_young_child", 180, 4 * kYear, 6,
     [](Context& c) {
       std::string_view substance =
           Pick(c.rng, {"methadone", "paracetamol", "iron tablets", "cannabis edible"});
       c.attendance.presenting_complaint = "Ingestion";
       if (c.structured()) c.Injury(InjuryType::kPoisoning, {}, {});
       if (!c.text()) c.Icd("T50.9", "Poisoning by drugs, undetermined intent");
       if (!c.codes()) c.Note("Ingested " + std::string(substance) + ".");
       c.Note(ExplanationPhrase(c.explanation, c.rng));
       return SuspectLevel(c.explanation);
     }},
    {"animal_bite_unsupervised", kYear, 10 * kYear, 4,
     [](Context& c) {
       if (c.structured()) c.Injury(InjuryType::kBiteAnimal, Pick(c.rng, {"face", "hand", "leg"}));
       if (c.codes()) c.Code("702953007");
       if (!c.codes()) c.Note("Dog bite; child left unsupervised with the dog for several hours.");
       return std::string("consider");
     }},
    {"oral_injury", 90, 3 * kYear, 4,
     [](Context& c) {
       if (c.structured()) c.Injury(InjuryType::kOral, "frenulum");
       if (c.codes()) {
         // A torn frenulum is an open wound of the oral cavity in ICD-10.
         c.Icd("S01.5", "Open wound of lip and oral cavity");
         c.Code("700255001");
       }
       if (!c.codes()) c.Note("Torn upper frenulum.");
       c.Note(ExplanationPhrase(c.explanation, c.rng));
       return std::string("consider");
     }},
    {"self_harm_adolescent", 11 * kYear, 18 * kYear - 1, 10,
     [](Context& c) {
       c.attendance.injury.intent = domain::InjuryIntent::kSelfInflicted;
       if (c.structured()) {
         c.attendance.concerns.push_back(domain::Concern::kSelfHarm);
         c.Injury(InjuryType::kLaceration, "forearm", {}, 3);
       }
       if (c.codes()) c.Snomed("276853009", "Self-inflicted injury");
       if (!c.codes()) c.Note("Superficial cuts to forearm, self-inflicted. Low mood.");
       return std::string("consider");
     }},
    {"sti_under_13", 3 * kYear, 13 * kYear - 1, 2,
     [](Context& c) {
       c.Icd("A56.0", "Chlamydial infection of lower genitourinary tract");
       if (c.codes()) c.Code("700254002");
       if (!c.codes()) c.Note("Vaginal discharge; swab positive for chlamydia.");
       return std::string("suspect");
     }},
    {"pregnancy_under_16", 12 * kYear, 16 * kYear - 1, 2,
     [](Context& c) {
       c.attendance.patient.sex = domain::Sex::kFemale;
       if (!c.codes()) c.attendance.patient.pregnant = true;
       if (c.codes()) c.Icd("Z33", "Pregnant state, incidental");
       c.Note("Abdominal pain; pregnancy test positive.");
       return std::string("suspect");
     }},
    {"anogenital_injury", 2 * kYear, 12 * kYear, 2,
     [](Context& c) {
       if (c.structured()) c.Injury(InjuryType::kAnogenital, "perianal");
       if (c.codes()) c.Code("700254002");
       if (!c.codes()) c.Note("Perianal bruising and laceration.");
       c.Note(ExplanationPhrase(c.explanation, c.rng));
       return SuspectLevel(c.explanation);
     }},
    {"neglect_presentation", 0, 10 * kYear, 4,
     [](Context& c) {
       if (c.codes()) c.Code("702953007");
       if (!c.codes()) {
         c.Note(
             Pick(c.rng, {"Severe and persistent head lice and scabies. Clothing inappropriate for "
                          "the weather.",
                          "Untreated dental caries with ongoing pain for weeks; no dentist seen.",
                          "Child smelly and dirty, repeatedly missed follow-up appointments."}));
       }
       return std::string("consider");
     }},
    // An apparent life-threatening event (NICE CG89 clinical presentations): consider, suspect
    // with bleeding from the nose or mouth. Not an injury, so no explanation is recorded.
    {"brue_infant", 14, kYear - 1, 3,
     [](Context& c) {
       c.explanation = domain::Explanation::kNotRecorded;
       c.attendance.presenting_complaint =
           Pick(c.rng, {"Brief resolved unexplained event", "Apparent life-threatening event",
                        "Went limp and blue at home, now well"});
       if (c.codes()) c.Icd("R68.13", "Apparent life threatening event in infant");
       if (!c.codes()) {
         c.Note(
             "Episode of colour change and limpness lasting under a minute; now well. "
             "Meets the criteria for a BRUE.");
       }
       const bool bleeding = c.rng.Chance(0.3);
       if (bleeding) {
         if (c.codes()) c.Icd("R04.0", "Epistaxis");
         // Phrased as notes are written: not every phrasing is in the concept set's terms.
         if (!c.codes()) {
           c.Note(Pick(c.rng, {"Blood noted around the nose.", "Blood around the mouth.",
                               "Small nosebleed at the time of the episode."}));
         }
       }
       c.attendance.discharge.status = domain::DischargeStatus::kAdmitted;
       return std::string(bleeding ? "suspect" : "consider");
     }},
    // A well-appearing afebrile infant with a PIBIS entry symptom and no history of trauma,
    // scoring 3 (age 3 months or more, head circumference above the 85th centile, haemoglobin
    // below 11.2 g/dL): consider abusive head trauma (Berger et al. 2016). The measurements are
    // structured in every form, as an ED records observations and results.
    {"pibis_well_infant", 91, kYear - 1, 3,
     [](Context& c) {
       c.explanation = domain::Explanation::kNotRecorded;
       const bool vomiting = c.rng.Chance(0.5);
       c.attendance.presenting_complaint =
           vomiting ? "Vomiting" : Pick(c.rng, {"Irritable, inconsolable", "Drowsy, off feeds"});
       if (c.codes()) {
         if (vomiting) {
           c.Icd("R11", "Nausea and vomiting");
         } else {
           c.Icd("R68.1", "Nonspecific symptoms peculiar to infancy");
         }
       }
       if (!c.codes()) {
         c.Note(vomiting ? "Vomited three times today, no diarrhoea. Well between episodes."
                         : "Unsettled since yesterday, otherwise well-appearing.");
         c.Note("No reported trauma.");
       }
       c.attendance.observations.temperature_c = 37.0;
       c.attendance.observations.head_circumference_centile =
           88 + static_cast<int>(c.rng.Below(10));
       c.attendance.observations.haemoglobin_g_dl = 10.0 + 0.2 * static_cast<int>(c.rng.Below(6));
       return std::string("consider");
     }},
};

// Routine attendances: nothing planted. Notes include negations ("no bruising seen") that a
// naive matcher would trip on.
struct Routine {
  std::string_view complaint;
  void (*build)(Context&);
};

const Routine kChildRoutine[] = {
    {"Fever",
     [](Context& c) {
       c.attendance.observations.temperature_c = 37.8 + 0.1 * c.rng.Below(20);
       c.Note(Pick(c.rng, {"Febrile, coryzal. No rash.", "Fever for 2 days, drinking well.",
                           "High temperature overnight; settled with antipyretics."}));
       c.Snomed("386661006", "Fever");
     }},
    {"Cough / breathing difficulty",
     [](Context& c) {
       c.Note(Pick(c.rng, {"Wheeze, responded to salbutamol.", "Bronchiolitis, feeding 70%.",
                           "Croup, barking cough."}));
       c.Snomed("49727002", "Cough");
     }},
    {"Head injury",
     [](Context& c) {
       c.attendance.injury.intent = domain::InjuryIntent::kAccidental;
       c.attendance.injury.place = domain::InjuryPlace::kHome;
       c.attendance.injury.mechanism = std::string(
           Pick(c.rng, {"Fell from sofa", "Ran into door frame", "Slipped on wet floor"}));
       c.Injury(InjuryType::kBruise, "forehead");
       c.explanation = domain::Explanation::kSuitable;
       c.Note(Pick(c.rng, {"Bump to forehead, cried immediately. No LOC. No vomiting.",
                           "Small haematoma forehead. GCS 15. No bruising seen elsewhere."}));
     }},
    {"Arm injury",
     [](Context& c) {
       c.attendance.injury.intent = domain::InjuryIntent::kAccidental;
       c.attendance.injury.place =
           c.rng.Chance(0.5) ? domain::InjuryPlace::kPublic : domain::InjuryPlace::kSchool;
       c.attendance.injury.mechanism = std::string(
           Pick(c.rng, {"Fell off trampoline", "Fell from monkey bars", "Fell off bike"}));
       c.Injury(InjuryType::kFracture, "forearm");
       c.Icd("S52.5", "Fracture of lower end of radius");
       c.explanation = domain::Explanation::kSuitable;
       c.Note("FOOSH. Distal radius fracture. Story consistent. No safeguarding concerns.");
     }},
    {"Laceration",
     [](Context& c) {
       c.attendance.injury.intent = domain::InjuryIntent::kAccidental;
       c.Injury(InjuryType::kLaceration, Pick(c.rng, {"chin", "knee", "eyebrow"}));
       c.explanation = domain::Explanation::kSuitable;
       c.Note("Glued. Nil concerns. Denies other injury.");
     }},
    {"Shin bruises",
     [](Context& c) {
       c.attendance.mobility = domain::Mobility::kIndependentlyMobile;
       c.Injury(InjuryType::kBruise, "shin", {}, 2);
       c.explanation = domain::Explanation::kSuitable;
       c.Note(
           "Active toddler, bruises over bony prominences only. No bruising to ears, neck or "
           "torso.");
     }},
    {"Abdominal pain",
     [](Context& c) {
       c.Note(Pick(c.rng, {"Central abdominal pain, soft abdomen.", "Constipation. No injury.",
                           "Gastroenteritis, mildly dry."}));
     }},
    {"Rash", [](Context& c) { c.Note("Viral rash, blanching. No petechiae. No bruising seen."); }},
};

const Routine kAdultRoutine[] = {
    {"Chest pain", [](Context& c) { c.Note("Central chest pain, ECG normal, troponin pending."); }},
    {"Shortness of breath", [](Context& c) { c.Note("Exacerbation of COPD."); }},
    {"Fall",
     [](Context& c) {
       c.attendance.injury.intent = domain::InjuryIntent::kAccidental;
       c.attendance.injury.place = domain::InjuryPlace::kHome;
       c.attendance.injury.mechanism = "Tripped on rug";
       c.Injury(InjuryType::kFracture, "wrist");
       c.Note("Mechanical fall. No head injury.");
     }},
    {"Abdominal pain", [](Context& c) { c.Note("RIF pain, surgical review."); }},
    {"Back pain", [](Context& c) { c.Note("Mechanical back pain. No red flags."); }},
    {"Laceration",
     [](Context& c) {
       c.attendance.injury.intent = domain::InjuryIntent::kAccidental;
       c.attendance.injury.mechanism = "Cut hand on kitchen knife";
       c.Injury(InjuryType::kLaceration, "hand");
       c.Note("Sutured.");
     }},
    {"Headache", [](Context& c) { c.Note("Migraine-type headache, neuro exam normal."); }},
};

// An attendance's patient, once chosen.
struct Chosen {
  SynthHousehold household;
  int member = 0;
  const SynthPerson& person() const { return household.people[member]; }
};

class Generator {
 public:
  Generator(const GeneratorOptions& options, AttendanceSink& sink)
      : options_(options),
        sink_(sink),
        first_day_(options.from),
        last_day_(options.to),
        population_(options.seed, Households(options), first_day_, last_day_) {}

  Status Run();

 private:
  static std::uint64_t Households(const GeneratorOptions& options) {
    double years =
        static_cast<double>((sys_days(options.to) - sys_days(options.from)).count() + 1) / kYear;
    // About 0.9 attendances per household per year (0.37 per person).
    return static_cast<std::uint64_t>(
        std::ceil(static_cast<double>(options.attendances) / (0.9 * years)));
  }

  std::optional<Chosen> FindChild(Rng& rng, sys_days day, int min_days, int max_days, int tries,
                                  std::uint64_t stride = 0, std::uint64_t offset = 0);
  std::optional<Chosen> FindAdult(Rng& rng, sys_days day, bool want_children);
  Status Emit(std::int64_t index, Timestamp arrival);
  void FillPatient(Rng& rng, const Chosen& chosen, sys_days day, Attendance& attendance);
  void FillHousehold(Rng& rng, const Chosen& chosen, sys_days day, Attendance& attendance);
  bool IsFrequent(const SynthPerson& person, sys_days day, bool pooled);

  const GeneratorOptions& options_;
  AttendanceSink& sink_;
  sys_days first_day_;
  sys_days last_day_;
  Population population_;
  // Recent attendance days of frequent-pool children (a small, bounded set of people).
  std::unordered_map<std::uint64_t, std::deque<sys_days>> history_;
};

std::optional<Chosen> Generator::FindChild(Rng& rng, sys_days day, int min_days, int max_days,
                                           int tries, std::uint64_t stride, std::uint64_t offset) {
  std::uint64_t households = population_.households();
  for (int attempt = 0; attempt < tries; ++attempt) {
    std::uint64_t index =
        stride == 0
            ? rng.Below(households)
            : std::min(households - 1, rng.Below(households / stride + 1) * stride + offset);
    Chosen chosen{population_.Household(index), 0};
    const std::vector<SynthPerson>& people = chosen.household.people;
    std::size_t start = rng.Below(people.size());
    for (std::size_t k = 0; k < people.size(); ++k) {
      std::size_t m = (start + k) % people.size();
      if (people[m].adult) continue;
      auto age = (day - people[m].birth).count();
      if (age >= min_days && age <= max_days) {
        chosen.member = static_cast<int>(m);
        return chosen;
      }
    }
  }
  return std::nullopt;
}

std::optional<Chosen> Generator::FindAdult(Rng& rng, sys_days day, bool want_children) {
  std::optional<Chosen> fallback;
  for (int attempt = 0; attempt < 30; ++attempt) {
    Chosen chosen{population_.Household(rng.Below(population_.households())), 0};
    if (chosen.household.people.empty() || !chosen.household.people[0].adult) continue;
    chosen.member = chosen.household.adults() > 1 ? static_cast<int>(rng.Below(2)) : 0;
    bool has_children = false;
    for (const SynthPerson& p : chosen.household.people) {
      has_children = has_children || (!p.adult && p.birth <= day);
    }
    if (!want_children || has_children) return chosen;
    if (!fallback) fallback = std::move(chosen);
  }
  return fallback;
}

void Generator::FillPatient(Rng& rng, const Chosen& chosen, sys_days day, Attendance& attendance) {
  const SynthPerson& person = chosen.person();
  domain::AttendancePatient& patient = attendance.patient;
  patient.local_id =
      "M" + std::to_string(Hash(options_.seed, kLocalIdSalt, person.key) % 100000000);
  double missing_nhs = person.adult ? 0.06 : 0.03;
  if (!rng.Chance(missing_nhs)) {
    std::string digits = person.nhs_number;
    if (rng.Chance(0.005)) digits = Mistype(rng, digits);
    if (rng.Chance(0.2))
      digits = digits.substr(0, 3) + " " + digits.substr(3, 3) + " " + digits.substr(6);
    patient.nhs_number = domain::RecordedNhsNumber::From(digits);
  }
  std::string given = person.given_name;
  if (rng.Chance(0.03)) given = std::string(Nickname(given));
  if (rng.Chance(0.01)) given = Misspell(rng, given);
  patient.given_name = given;
  std::string family = person.FamilyNameOn(day);
  if (rng.Chance(0.01)) family = Misspell(rng, family);
  patient.family_name = family;
  if (!rng.Chance(0.01)) patient.birth_date = std::chrono::year_month_day(person.birth);
  patient.sex = person.sex;
  patient.postcode = chosen.household.PostcodeOn(day);
}

void Generator::FillHousehold(Rng& rng, const Chosen& chosen, sys_days day,
                              Attendance& attendance) {
  if (rng.Chance(0.35)) return;  // not asked: the gap "think family" audits look for
  attendance.household.recorded = true;
  for (const SynthPerson& p : chosen.household.people) {
    if (p.adult || p.birth > day) continue;
    if (attendance.household.children.size() >= 4) break;  // the CSV layout's columns
    domain::HouseholdChild child;
    child.given_name = p.given_name;
    child.family_name = p.FamilyNameOn(day);
    if (rng.Chance(0.8)) child.birth_date = std::chrono::year_month_day(p.birth);
    if (rng.Chance(0.5)) child.nhs_number = domain::RecordedNhsNumber::From(p.nhs_number);
    attendance.household.children.push_back(std::move(child));
  }
}

bool Generator::IsFrequent(const SynthPerson& person, sys_days day, bool pooled) {
  if (!pooled) return false;
  std::deque<sys_days>& days_seen = history_[person.key];
  while (!days_seen.empty() && (day - days_seen.front()).count() > 182) days_seen.pop_front();
  days_seen.push_back(day);
  return days_seen.size() >= 4;  // more than 3 in six months (Leeds SOP)
}

Status Generator::Emit(std::int64_t index, Timestamp arrival) {
  Rng rng(Hash(options_.seed, kRowSalt, static_cast<std::uint64_t>(index)));
  sys_days day{domain::LondonDate(arrival)};
  Attendance attendance;
  TruthRow truth;
  int site_roll = static_cast<int>(rng.Below(100));
  const Site* site = &kSites[0];
  for (const Site& s : kSites) {
    if (site_roll < s.weight) {
      site = &s;
      break;
    }
    site_roll -= s.weight;
  }
  char id[32];
  std::snprintf(id, sizeof(id), "%.*s-%010lld", static_cast<int>(site->code.size()),
                site->code.data(), static_cast<long long>(index + 1));
  attendance.attendance_id = id;
  attendance.site = std::string(site->code);
  attendance.arrival = arrival;
  attendance.department = site->department;

  Context context{rng, attendance, truth, Form::kStructured, domain::Explanation::kNotRecorded, {}};
  std::optional<Chosen> chosen;
  std::string level = "none";
  truth.scenario = "routine";
  bool pooled = false;

  double roll = rng.Uniform();
  if (roll < options_.child_concern_rate) {
    int total = 0;
    for (const ChildScenario& s : kChildScenarios) total += s.weight;
    int pick = static_cast<int>(rng.Below(total));
    const ChildScenario* scenario = &kChildScenarios[0];
    for (const ChildScenario& s : kChildScenarios) {
      if (pick < s.weight) {
        scenario = &s;
        break;
      }
      pick -= s.weight;
    }
    chosen = FindChild(rng, day, scenario->min_days, scenario->max_days, 200);
    if (chosen) {
      double form_roll = rng.Uniform();
      context.form = form_roll < 0.6   ? Form::kStructured
                     : form_roll < 0.8 ? Form::kCodesOnly
                                       : Form::kFreeTextOnly;
      double explanation_roll = rng.Uniform();
      context.explanation = explanation_roll < 0.45   ? domain::Explanation::kUnsuitable
                            : explanation_roll < 0.65 ? domain::Explanation::kAbsent
                                                      : domain::Explanation::kNotRecorded;
      // Codes carry no explanation, so a reader of codes alone cannot know it.
      if (context.codes()) context.explanation = domain::Explanation::kNotRecorded;
      FillPatient(rng, *chosen, day, attendance);
      level = scenario->build(context);
      if (context.structured()) attendance.explanation = context.explanation;
      truth.scenario = std::string(scenario->label);
      truth.signal_form = std::string(FormSlug(context.form));
      attendance.screening.history_consistent = false;
      if (!context.structured()) attendance.screening = {};
    }
  } else if (roll < options_.child_concern_rate + options_.adult_concern_rate) {
    chosen = FindAdult(rng, day, rng.Chance(0.6));
    if (chosen) {
      FillPatient(rng, *chosen, day, attendance);
      double form_roll = rng.Uniform();
      context.form = form_roll < 0.5   ? Form::kStructured
                     : form_roll < 0.7 ? Form::kCodesOnly
                                       : Form::kFreeTextOnly;
      int kind = static_cast<int>(rng.Below(3));
      if (kind == 0) {
        truth.scenario = "adult_domestic_abuse";
        attendance.injury.intent = domain::InjuryIntent::kAssault;
        attendance.injury.place = domain::InjuryPlace::kHome;
        if (context.structured()) {
          attendance.concerns.push_back(domain::Concern::kDomesticAbuse);
          context.Injury(InjuryType::kBruise, "face");
        }
        if (context.codes()) context.Code("879911000000102");
        if (!context.codes())
          context.Note("Disclosed assault by partner at home. Frightened to go back.");
      } else if (kind == 1) {
        truth.scenario = "adult_substance_misuse";
        if (context.structured()) {
          attendance.concerns.push_back(domain::Concern::kSubstanceMisuse);
          attendance.substances.push_back(domain::Substance::kAlcohol);
          if (rng.Chance(0.4)) attendance.substances.push_back(domain::Substance::kDrugs);
        }
        if (context.codes()) context.Icd("F10.0", "Acute alcohol intoxication");
        if (!context.codes())
          context.Note("Heavily intoxicated, drinks daily. Heroin use disclosed.");
      } else {
        truth.scenario = "adult_mental_health_crisis";
        attendance.injury.intent = domain::InjuryIntent::kSelfInflicted;
        if (context.structured()) {
          attendance.concerns.push_back(domain::Concern::kMentalHealthCrisis);
          attendance.concerns.push_back(domain::Concern::kSelfHarm);
          context.Injury(InjuryType::kPoisoning, {});
        }
        if (context.codes()) context.Snomed("276853009", "Self-inflicted injury");
        if (!context.codes())
          context.Note("Intentional overdose of sertraline. Suicidal ideation.");
      }
      truth.signal_form = std::string(FormSlug(context.form));
      bool children_at_home = false;
      for (const SynthPerson& p : chosen->household.people) {
        children_at_home = children_at_home ||
                           (!p.adult && p.birth <= day && (day - p.birth).count() < 18 * kYear);
      }
      level = children_at_home ? "prompt" : "none";
      FillHousehold(rng, *chosen, day, attendance);
    }
  }

  if (!chosen) {
    // Routine: about a quarter children, of whom some are frequent attenders or on the register.
    bool child = rng.Chance(0.25);
    if (child) {
      double pool_roll = rng.Uniform();
      if (pool_roll < 0.03) {
        chosen = FindChild(rng, day, 0, 18 * kYear - 1, 20, Population::kFrequentStride,
                           Population::kFrequentOffset);
        pooled = chosen.has_value();
      } else if (pool_roll < 0.045) {
        chosen = FindChild(rng, day, 0, 18 * kYear - 1, 20, Population::kRegisterStride,
                           Population::kRegisterOffset);
      }
      if (!chosen) {
        double band = rng.Uniform();
        auto [low, high] = band < 0.12  ? std::pair{0, kYear - 1}
                           : band < 0.4 ? std::pair{kYear, 5 * kYear - 1}
                           : band < 0.7 ? std::pair{5 * kYear, 12 * kYear - 1}
                                        : std::pair{12 * kYear, 18 * kYear - 1};
        chosen = FindChild(rng, day, low, high, 100);
        if (!chosen) chosen = FindChild(rng, day, 0, 18 * kYear - 1, 100);
      }
    }
    if (!chosen) chosen = FindAdult(rng, day, false);
    if (!chosen) return Internal("no_person", "the synthetic population has no adult");
    FillPatient(rng, *chosen, day, attendance);
    const Routine& routine = chosen->person().adult ? Pick<Routine>(rng, kAdultRoutine)
                                                    : Pick<Routine>(rng, kChildRoutine);
    attendance.presenting_complaint = std::string(routine.complaint);
    routine.build(context);
    attendance.explanation =
        rng.Chance(0.8) ? domain::Explanation::kNotRecorded : context.explanation;
    if (!chosen->person().adult && rng.Chance(0.5)) {
      domain::Screening& s = attendance.screening;
      if (rng.Chance(0.85)) {
        s.history_consistent = s.injury_fits_development = s.interaction_appropriate =
            s.examination_consistent = true;
        s.delay_in_seeking_help = s.other_concerns = false;
      } else {
        s.not_done_reason = "Not asked - department at capacity";
      }
    }
    if (IsFrequent(chosen->person(), day, pooled)) {
      truth.scenario = "frequent_attender";
      level = "review";
    }
  }

  const SynthPerson& person = chosen->person();
  if (!person.adult) {
    auto age = (day - person.birth).count();
    if (!attendance.mobility && age < 2 * kYear && rng.Chance(0.7)) {
      attendance.mobility = age < 180 ? domain::Mobility::kNotIndependentlyMobile
                            : age < 365
                                ? (rng.Chance(0.5) ? domain::Mobility::kIndependentlyMobile
                                                   : domain::Mobility::kNotIndependentlyMobile)
                                : domain::Mobility::kIndependentlyMobile;
    }
    if (!attendance.department || attendance.department == domain::Department::kEmergency) {
      if (rng.Chance(0.05)) attendance.department = domain::Department::kPaediatricWard;
    }
  }
  if (!context.notes.empty()) attendance.notes = context.notes;
  if (!attendance.discharge.status) {
    attendance.discharge.status = rng.Chance(0.82)  ? domain::DischargeStatus::kDischarged
                                  : rng.Chance(0.8) ? domain::DischargeStatus::kAdmitted
                                                    : domain::DischargeStatus::kLeftBeforeSeen;
  }
  attendance.discharge.datetime = arrival + std::chrono::minutes(rng.Between(40, 480));

  truth.attendance_id = attendance.attendance_id;
  truth.site = attendance.site;
  truth.person_key = "P" + std::to_string(person.key);
  truth.household_key = "H" + std::to_string(chosen->household.index);
  truth.expected_level = level;
  truth.register_status =
      std::string(RegisterStatusSlug(population_.RegisterStatusOf(chosen->household, person)));
  if (day >= person.birth) truth.age_days = (day - person.birth).count();
  return sink_.OnAttendance(attendance, truth);
}

Status Generator::Run() {
  std::vector<double> day_weights;
  for (sys_days day = first_day_; day <= last_day_; day += days(1)) {
    day_weights.push_back(DayWeight(options_.seed, day));
  }
  std::vector<std::int64_t> per_day = Allocate(options_.attendances, day_weights);
  std::vector<double> hour_weights(kHourWeights.begin(), kHourWeights.end());
  std::int64_t index = 0;
  Timestamp previous{};
  std::vector<std::int32_t> seconds;
  for (std::size_t d = 0; d < per_day.size(); ++d) {
    sys_days day = first_day_ + days(d);
    std::vector<std::int64_t> per_hour = Allocate(per_day[d], hour_weights);
    for (int hour = 0; hour < 24; ++hour) {
      Rng hour_rng(Hash(options_.seed, kDaySalt,
                        static_cast<std::uint64_t>(day.time_since_epoch().count()) * 24 + hour));
      seconds.resize(static_cast<std::size_t>(per_hour[hour]));
      for (std::int32_t& s : seconds) s = static_cast<std::int32_t>(hour_rng.Below(3600));
      std::sort(seconds.begin(), seconds.end());
      for (std::int32_t s : seconds) {
        Timestamp arrival = FromLondon(day, std::chrono::seconds(hour * 3600 + s));
        // Keep arrival order through the spring clock change.
        arrival = std::max(arrival, previous);
        previous = arrival;
        RETURN_IF_ERROR(Emit(index++, arrival));
      }
    }
  }
  return Status::Ok();
}

void AppendTruthCsv(const TruthRow& truth, std::string& out) {
  ingest::AppendCsvField(truth.attendance_id, out);
  out.push_back(',');
  ingest::AppendCsvField(truth.site, out);
  out += "," + truth.person_key + "," + truth.household_key + "," + truth.scenario + "," +
         truth.expected_level + "," + truth.signal_form + "," + truth.register_status + ",";
  if (truth.age_days) out += std::to_string(*truth.age_days);
  out.push_back('\n');
}

// Buffers output in large writes; the pipe case (`--out -`) depends on it.
class StreamWriter final : public AttendanceSink {
 public:
  StreamWriter(ingest::FeedFormat format, std::ostream& out, std::ostream* truth)
      : format_(format), out_(out), truth_(truth) {
    if (format_ == ingest::FeedFormat::kCsv) buffer_ = ingest::AttendanceCsvHeader(layout_);
    if (truth_) truth_buffer_ = TruthCsvHeader();
  }

  Status OnAttendance(const Attendance& attendance, const TruthRow& truth) override {
    if (format_ == ingest::FeedFormat::kCsv) {
      RETURN_IF_ERROR(ingest::AppendAttendanceCsv(attendance, layout_, buffer_));
    } else {
      ingest::AppendAttendanceJson(attendance, buffer_);
      buffer_.push_back('\n');
    }
    if (truth_) AppendTruthCsv(truth, truth_buffer_);
    if (buffer_.size() >= kFlushBytes) RETURN_IF_ERROR(Flush());
    return Status::Ok();
  }

  Status Flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
    if (truth_) {
      truth_->write(truth_buffer_.data(), static_cast<std::streamsize>(truth_buffer_.size()));
      truth_buffer_.clear();
    }
    if (!out_ || (truth_ && !*truth_))
      return Unavailable("write_failed", "could not write the output");
    return Status::Ok();
  }

 private:
  static constexpr std::size_t kFlushBytes = 1 << 20;
  ingest::FeedFormat format_;
  ingest::CsvLayout layout_;
  std::ostream& out_;
  std::ostream* truth_;
  std::string buffer_;
  std::string truth_buffer_;
};

}  // namespace

// Typos seen in real feeds: a swapped pair of letters, or a dropped letter.
std::string Misspell(Rng& rng, std::string name) {
  if (name.size() < 4) return name;
  std::size_t at = 1 + rng.Below(name.size() - 2);
  if (rng.Chance(0.5)) {
    std::swap(name[at], name[at + 1]);
  } else {
    name.erase(at, 1);
  }
  return name;
}

// An NHS number as a clerk might mistype it: two digits swapped (fails the check digit in
// most cases) or one digit changed.
std::string Mistype(Rng& rng, std::string digits) {
  std::size_t at = rng.Below(8);
  if (digits[at] != digits[at + 1]) {
    std::swap(digits[at], digits[at + 1]);
  } else {
    digits[at] = static_cast<char>('0' + (digits[at] - '0' + 1) % 10);
  }
  return digits;
}

Status ValidateOptions(const GeneratorOptions& options) {
  if (options.attendances < 1) {
    return InvalidArgument("invalid_count", "--attendances must be at least 1", "--attendances");
  }
  if (!options.from.ok() || !options.to.ok() || sys_days(options.from) > sys_days(options.to)) {
    return InvalidArgument("invalid_period", "--from must be a date on or before --to", "--from");
  }
  if ((sys_days(options.to) - sys_days(options.from)).count() > 20 * kYear) {
    return InvalidArgument("invalid_period", "the period may be at most 20 years", "--to");
  }
  if (options.child_concern_rate < 0 || options.child_concern_rate > 0.5 ||
      options.adult_concern_rate < 0 || options.adult_concern_rate > 0.5) {
    return InvalidArgument("invalid_rate", "concern rates must be between 0 and 0.5");
  }
  return Status::Ok();
}

Status GenerateAttendances(const GeneratorOptions& options, AttendanceSink& sink) {
  RETURN_IF_ERROR(ValidateOptions(options));
  Generator generator(options, sink);
  return generator.Run();
}

Status WriteAttendances(const GeneratorOptions& options, ingest::FeedFormat format,
                        std::ostream& out, std::ostream* truth) {
  StreamWriter writer(format, out, truth);
  RETURN_IF_ERROR(GenerateAttendances(options, writer));
  return writer.Flush();
}

std::string TruthCsvHeader() {
  return "attendance_id,site,person_key,household_key,scenario,expected_level,signal_form,"
         "register_status,age_days\n";
}

Population RegisterPopulation(const GeneratorOptions& options) {
  sys_days first_day{options.from};
  sys_days last_day{options.to};
  double years = static_cast<double>((last_day - first_day).count() + 1) / kYear;
  return Population(options.seed,
                    static_cast<std::uint64_t>(
                        std::ceil(static_cast<double>(options.attendances) / (0.9 * years))),
                    first_day, last_day);
}

void VisitRegisterRows(const GeneratorOptions& options, const Population& population,
                       const std::function<void(const RegisterRow&)>& visit) {
  sys_days last_day{options.to};
  static constexpr std::string_view kCategories[] = {"neglect", "neglect", "emotional", "physical",
                                                     "sexual"};
  std::int64_t row = 0;
  for (std::uint64_t h = Population::kRegisterOffset; h < population.households();
       h += Population::kRegisterStride) {
    SynthHousehold household = population.Household(h);
    Rng rng(Hash(options.seed, kRegisterSalt, h));
    std::string org =
        household.postcode.substr(0, 2) == "XA" || household.postcode.substr(0, 2) == "XB"
            ? "LA-NORTH"
            : "LA-SOUTH";
    std::string worker = std::string(PickWeighted(rng, FemaleGivenNames())) + " " +
                         std::string(PickWeighted(rng, FamilyNames()));
    auto emit = [&](const SynthPerson* person, std::string_view status, const std::string& mother) {
      RegisterRow entry{household, person, "R" + std::to_string(++row), status, {}, {}, org,
                        worker,    mother};
      if (status != "child_in_need" && status != "looked_after") {
        entry.plan_category = kCategories[rng.Below(std::size(kCategories))];
      }
      entry.start = last_day - days(rng.Between(30, 2 * kYear));
      visit(entry);
    };
    for (const SynthPerson& person : household.people) {
      RegisterStatus status = population.RegisterStatusOf(household, person);
      if (status == RegisterStatus::kNone || person.birth > last_day) continue;
      emit(&person, RegisterStatusSlug(status), "");
    }
    const SynthPerson& adult = household.people[0];
    auto mother_age = (last_day - adult.birth).count();
    if (adult.sex == domain::Sex::kFemale && mother_age < 42 * kYear && rng.Chance(0.1)) {
      emit(nullptr, "unborn_cp_plan", adult.nhs_number);
    }
  }
}

Status WriteRegister(const GeneratorOptions& options, std::ostream& out, std::ostream* truth) {
  RETURN_IF_ERROR(ValidateOptions(options));
  sys_days last_day{options.to};
  Population population = RegisterPopulation(options);
  std::string buffer =
      "id,nhs_number,given_name,family_name,birth_date,sex,postcode,status,plan_category,"
      "start_date,end_date,responsible_org,contact_in_hours,contact_out_of_hours,"
      "allocated_worker,mother_nhs_number\n";
  std::string truth_buffer = "id,person_key,household_key,birth_date\n";
  auto contact = [](std::uint64_t n) {
    // Ofcom's drama range: 01632 960000 to 960999 is never allocated to a real line.
    char text[24];
    std::snprintf(text, sizeof(text), "01632 960%03u", static_cast<unsigned>(n % 1000));
    return std::string(text);
  };
  VisitRegisterRows(options, population, [&](const RegisterRow& entry) {
    const SynthHousehold& household = entry.household;
    buffer += entry.id + ",";
    if (entry.person) {
      const SynthPerson& person = *entry.person;
      buffer += person.nhs_number + ",";
      ingest::AppendCsvField(person.given_name, buffer);
      buffer.push_back(',');
      ingest::AppendCsvField(person.FamilyNameOn(last_day), buffer);
      buffer += "," + FormatDate(std::chrono::year_month_day(person.birth)) + "," +
                std::string(domain::SexSlug(person.sex)) + ",";
      truth_buffer += entry.id + ",P" + std::to_string(person.key) + ",H" +
                      std::to_string(household.index) + "," +
                      FormatDate(std::chrono::year_month_day(person.birth)) + "\n";
    } else {
      buffer += ",,";
      ingest::AppendCsvField(household.people[0].family_name, buffer);
      buffer += ",,unknown,";
      truth_buffer += entry.id + ",,H" + std::to_string(household.index) + ",\n";
    }
    buffer += household.PostcodeOn(last_day) + "," + std::string(entry.status) + ",";
    buffer += std::string(entry.plan_category);
    buffer += "," + FormatDate(std::chrono::year_month_day(entry.start)) + ",," + entry.org + "," +
              contact(household.index) + "," + contact(household.index + 500) + ",";
    ingest::AppendCsvField(entry.worker, buffer);
    buffer += "," + entry.mother + "\n";
    if (buffer.size() >= (1 << 20)) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
    if (truth && truth_buffer.size() >= (1 << 20)) {
      truth->write(truth_buffer.data(), static_cast<std::streamsize>(truth_buffer.size()));
      truth_buffer.clear();
    }
  });
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  if (!out) return Unavailable("write_failed", "could not write the register");
  if (truth) {
    truth->write(truth_buffer.data(), static_cast<std::streamsize>(truth_buffer.size()));
    if (!*truth) return Unavailable("write_failed", "could not write the register truth");
  }
  return Status::Ok();
}

}  // namespace liaison::synth
