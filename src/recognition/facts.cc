#include "recognition/facts.h"

#include <algorithm>
#include <bit>
#include <cctype>

namespace liaison::recognition {
namespace {

using domain::InjuryType;

constexpr std::int64_t kThinkFamilyDays = 5844;  // 16 years

constexpr std::array kInjuryConcepts = {Concept::kBruise,
                                        Concept::kFracture,
                                        Concept::kBurn,
                                        Concept::kBiteHuman,
                                        Concept::kBiteAnimal,
                                        Concept::kWound,
                                        Concept::kIntracranialInjury,
                                        Concept::kRetinalHaemorrhage,
                                        Concept::kEyeInjury,
                                        Concept::kSpinalInjury,
                                        Concept::kVisceralInjury,
                                        Concept::kOralInjury,
                                        Concept::kAnogenitalInjury,
                                        Concept::kColdInjury};

std::optional<Concept> ConceptOfInjuryType(InjuryType type) {
  switch (type) {
    case InjuryType::kBruise:
    case InjuryType::kPetechiae:
      return Concept::kBruise;
    case InjuryType::kBurn:
    case InjuryType::kScald:
      return Concept::kBurn;
    case InjuryType::kFracture:
      return Concept::kFracture;
    case InjuryType::kLaceration:
    case InjuryType::kAbrasion:
    case InjuryType::kScar:
      return Concept::kWound;
    case InjuryType::kBiteHuman:
      return Concept::kBiteHuman;
    case InjuryType::kBiteAnimal:
      return Concept::kBiteAnimal;
    case InjuryType::kIntracranial:
      return Concept::kIntracranialInjury;
    case InjuryType::kRetinalHaemorrhage:
      return Concept::kRetinalHaemorrhage;
    case InjuryType::kEye:
      return Concept::kEyeInjury;
    case InjuryType::kSpinal:
      return Concept::kSpinalInjury;
    case InjuryType::kVisceral:
      return Concept::kVisceralInjury;
    case InjuryType::kOral:
      return Concept::kOralInjury;
    case InjuryType::kAnogenital:
      return Concept::kAnogenitalInjury;
    case InjuryType::kColdInjury:
      return Concept::kColdInjury;
    case InjuryType::kPoisoning:
      return Concept::kPoisoning;
    case InjuryType::kOther:
      return std::nullopt;
  }
  return std::nullopt;
}

bool IsPatterned(std::string_view pattern) {
  return pattern == "hand" || pattern == "ligature" || pattern == "stick" || pattern == "teeth" ||
         pattern == "grip" || pattern == "implement";
}

std::string Indexed(std::string_view array, std::size_t index, std::string_view member) {
  std::string indexed;
  indexed.reserve(array.size() + member.size() + 8);
  indexed.append(array).append("[").append(std::to_string(index)).append("]");
  if (!member.empty()) indexed.append(".").append(member);
  return indexed;
}

// `array[index].member=value`, built in one string of the right size.
std::string IndexedIs(std::string_view array, std::size_t index, std::string_view member,
                      std::string_view value) {
  std::string indexed;
  indexed.reserve(array.size() + member.size() + value.size() + 24);
  indexed.append(array).append("[").append(std::to_string(index)).append("]");
  if (!member.empty()) indexed.append(".").append(member);
  indexed.append("=").append(value);
  return indexed;
}

void Add(Facts& facts, Concept concept_id, Sighting sighting) {
  facts.sightings[static_cast<std::size_t>(concept_id)].push_back(std::move(sighting));
  facts.filled |= std::uint64_t{1} << static_cast<unsigned>(concept_id);
}

void GatherInjuries(Facts& facts, const domain::Attendance& attendance, const Concepts& concepts) {
  for (std::size_t i = 0; i < attendance.injuries.size(); ++i) {
    const domain::Injury& injury = attendance.injuries[i];
    Sighting sighting;
    if (injury.site) {
      if (std::optional<std::string> site = concepts.sites().Lookup(*injury.site)) {
        sighting.sites.push_back(*site);
        sighting.site_evidence.push_back(IndexedIs("injuries", i, "site", *site));
      }
    }
    if (injury.pattern) {
      sighting.pattern = concepts.patterns().Lookup(*injury.pattern);
      if (sighting.pattern) {
        sighting.pattern_evidence = IndexedIs("injuries", i, "pattern", *sighting.pattern);
      }
    }
    sighting.count = injury.count.value_or(1);
    sighting.injury_type = injury.type;
    if (!injury.type) continue;
    std::optional<Concept> concept_id = ConceptOfInjuryType(*injury.type);
    if (!concept_id) continue;
    sighting.evidence = IndexedIs("injuries", i, "type", Slug(*injury.type));
    bool on_rib =
        std::find(sighting.sites.begin(), sighting.sites.end(), "rib") != sighting.sites.end();
    bool on_femur =
        std::find(sighting.sites.begin(), sighting.sites.end(), "femur") != sighting.sites.end();
    if (*concept_id == Concept::kFracture && on_rib) Add(facts, Concept::kRibFracture, sighting);
    if (*concept_id == Concept::kFracture && on_femur) {
      Add(facts, Concept::kFemoralFracture, sighting);
    }
    if (sighting.pattern && IsPatterned(*sighting.pattern)) {
      Sighting patterned = sighting;
      patterned.evidence = sighting.pattern_evidence;
      Add(facts, Concept::kPatternedInjury, patterned);
    }
    if (sighting.pattern == "cluster" || sighting.count >= 2) {
      Sighting multiple = sighting;
      multiple.evidence = sighting.pattern == "cluster" ? sighting.pattern_evidence
                                                        : Indexed("injuries", i, "count") + "=" +
                                                              std::to_string(sighting.count);
      Add(facts, Concept::kMultipleInjuries, multiple);
    }
    Add(facts, *concept_id, std::move(sighting));
  }
  // Two or more injuries of the same kind are multiple injuries too.
  for (Concept concept_id : {Concept::kBruise, Concept::kWound, Concept::kBurn}) {
    std::size_t structured = 0;
    for (const Sighting& sighting : facts.Of(concept_id)) {
      if (sighting.evidence.starts_with("injuries[")) ++structured;
    }
    if (structured >= 2) {
      Sighting multiple = facts.Of(concept_id).front();
      multiple.evidence = std::to_string(structured) + " injuries of this type recorded";
      Add(facts, Concept::kMultipleInjuries, multiple);
    }
  }
}

// The hits of one text; `hits` runs over the hits of every text, in order of text.
class TextHits {
 public:
  explicit TextHits(std::span<const LocatedHit> hits) : hits_(hits) {}
  // The hits of text `index`; texts are asked for in order.
  std::span<const LocatedHit> Of(std::uint32_t index) {
    while (next_ < hits_.size() && hits_[next_].text < index) ++next_;
    std::size_t first = next_;
    while (next_ < hits_.size() && hits_[next_].text == index) ++next_;
    return hits_.subspan(first, next_ - first);
  }

 private:
  std::span<const LocatedHit> hits_;
  std::size_t next_ = 0;
};

// The name of a free-text field in evidence: "notes", "diagnoses[2].display".
std::string FieldName(TextField field, std::size_t index) {
  switch (field) {
    case TextField::kDiagnosisDisplay:
      return Indexed("diagnoses", index, "display");
    case TextField::kPresentingComplaint:
      return "presenting_complaint";
    case TextField::kMechanism:
      return "injury.mechanism";
    case TextField::kNotes:
      return "notes";
    case TextField::kNone:
      break;
  }
  return "";
}

// The concepts whose free-text sites are read: the bruise, wound and burn rules test the sites
// (HasSite), and a fracture's sites make rib and femoral fractures. No rule reads the sites of
// any other concept, so they are not looked up.
bool SitesRead(Concept concept_id) {
  return concept_id == Concept::kBruise || concept_id == Concept::kWound ||
         concept_id == Concept::kBurn || concept_id == Concept::kFracture;
}

void GatherText(Facts& facts, const TextMatcher& matcher, TextField field, std::size_t index,
                std::string_view text, std::span<const LocatedHit> hits) {
  for (const LocatedHit& hit : hits) {
    Sighting sighting;
    sighting.field = field;
    sighting.field_index = index;
    sighting.text = text;
    sighting.begin = hit.begin;
    sighting.end = hit.end;
    // Of the patterns, only forced immersion is safe to read from free text: "hand", "iron" or
    // "kettle" near a burn or bruise name a place or a mechanism as often as a shape.
    if (hit.concept_id == Concept::kBurn) {
      std::vector<std::string> patterns = matcher.PatternsOf(text, hit.begin, hit.end);
      if (std::find(patterns.begin(), patterns.end(), "immersion") != patterns.end()) {
        sighting.pattern = "immersion";
        sighting.pattern_evidence =
            FieldName(field, index) + ":\"" + matcher.ClauseOf(text, hit.begin, hit.end) + "\"";
      }
    }
    if (SitesRead(hit.concept_id)) sighting.sites = matcher.SitesOf(text, hit.begin, hit.end);
    if (hit.concept_id == Concept::kFracture) {
      auto named = [&](std::string_view site) {
        return std::find(sighting.sites.begin(), sighting.sites.end(), site) !=
               sighting.sites.end();
      };
      if (named("rib")) Add(facts, Concept::kRibFracture, sighting);
      if (named("femur")) Add(facts, Concept::kFemoralFracture, sighting);
    }
    Add(facts, hit.concept_id, std::move(sighting));
  }
}

domain::DiagnosisSystem GuessSystem(const domain::Diagnosis& diagnosis) {
  if (diagnosis.system) return *diagnosis.system;
  const std::string& code = *diagnosis.code;
  bool digits = std::all_of(code.begin(), code.end(),
                            [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  return digits ? domain::DiagnosisSystem::kSnomedCt : domain::DiagnosisSystem::kIcd10;
}

// The diagnoses' display texts are the first texts of `hits` (FreeTexts).
void GatherCodes(Facts& facts, const domain::Attendance& attendance, const Concepts& concepts,
                 const TextMatcher& matcher, TextHits& hits) {
  std::uint32_t text = 0;
  for (std::size_t i = 0; i < attendance.diagnoses.size(); ++i) {
    const domain::Diagnosis& diagnosis = attendance.diagnoses[i];
    if (diagnosis.code) {
      for (Concept concept_id : concepts.ConceptsForCode(GuessSystem(diagnosis), *diagnosis.code)) {
        Add(facts, concept_id, {IndexedIs("diagnoses", i, "code", *diagnosis.code)});
      }
    }
    if (diagnosis.display) {
      GatherText(facts, matcher, TextField::kDiagnosisDisplay, i, *diagnosis.display,
                 hits.Of(text++));
    }
  }
  for (std::size_t i = 0; i < attendance.safeguarding_concern_codes.size(); ++i) {
    const std::string& code = attendance.safeguarding_concern_codes[i];
    for (Concept concept_id : concepts.ConceptsForSnomed(code)) {
      Add(facts, concept_id, {IndexedIs("safeguarding_concern_codes", i, "", code)});
    }
  }
}

// Every free text GatherFacts reads, in the order it reads them.
void FreeTexts(const domain::Attendance& attendance, std::vector<std::string_view>& texts) {
  texts.clear();
  for (const domain::Diagnosis& diagnosis : attendance.diagnoses) {
    if (diagnosis.display) texts.push_back(*diagnosis.display);
  }
  if (attendance.presenting_complaint) texts.push_back(*attendance.presenting_complaint);
  if (attendance.injury.mechanism) texts.push_back(*attendance.injury.mechanism);
  if (attendance.notes) texts.push_back(*attendance.notes);
}

void GatherStructured(Facts& facts, const domain::Attendance& attendance) {
  using domain::Concern;
  using domain::InjuryIntent;
  if (attendance.injury.intent) {
    std::string evidence = "injury.intent=" + std::string(Slug(*attendance.injury.intent));
    switch (*attendance.injury.intent) {
      case InjuryIntent::kSelfInflicted:
        Add(facts, Concept::kSelfHarm, {evidence});
        break;
      case InjuryIntent::kAssault:
        Add(facts, Concept::kAssault, {evidence});
        // An adult assaulted at home: possible intimate-partner violence (the Hague protocol's
        // first trigger), so think family.
        if (attendance.injury.place == domain::InjuryPlace::kHome &&
            (!facts.age_days || *facts.age_days >= kThinkFamilyDays)) {
          Add(facts, Concept::kDomesticAbuse, {evidence + " at injury.place=home"});
        }
        break;
      case InjuryIntent::kUndetermined:
        Add(facts, Concept::kUndeterminedIntent, {evidence});
        break;
      case InjuryIntent::kAccidental:
      case InjuryIntent::kUnknown:
        break;
    }
  }
  for (std::size_t i = 0; i < attendance.concerns.size(); ++i) {
    std::string evidence = IndexedIs("concerns", i, "", Slug(attendance.concerns[i]));
    switch (attendance.concerns[i]) {
      case Concern::kDomesticAbuse:
        Add(facts, Concept::kDomesticAbuse, {evidence});
        break;
      case Concern::kSubstanceMisuse:
        Add(facts, Concept::kSubstanceMisuse, {evidence});
        break;
      case Concern::kMentalHealthCrisis:
        Add(facts, Concept::kMentalHealthCrisis, {evidence});
        break;
      case Concern::kSelfHarm:
        Add(facts, Concept::kSelfHarm, {evidence});
        break;
    }
  }
  for (std::size_t i = 0; i < attendance.substances.size(); ++i) {
    Add(facts, Concept::kSubstanceMisuse,
        {IndexedIs("substances", i, "", Slug(attendance.substances[i]))});
  }
  if (attendance.patient.pregnant.value_or(false)) {
    Add(facts, Concept::kPregnancy, {"patient.pregnant=true"});
  }
}

void DecideMobility(Facts& facts, const domain::Attendance& attendance,
                    const EngineOptions& options) {
  domain::Mobility recorded = attendance.mobility.value_or(domain::Mobility::kUnknown);
  if (recorded == domain::Mobility::kIndependentlyMobile) {
    facts.mobility = MobilityFact::kMobile;
  } else if (recorded == domain::Mobility::kNotIndependentlyMobile) {
    facts.mobility = MobilityFact::kNotMobile;
  } else if (facts.age_days && *facts.age_days < options.not_mobile_proxy_days) {
    facts.mobility = MobilityFact::kNotMobile;
    facts.mobility_by_proxy = true;
  }
}

}  // namespace

std::span<const Concept> InjuryConcepts() { return kInjuryConcepts; }

std::vector<std::string> Facts::Evidence(Concept concept_id) const {
  std::vector<std::string> evidence;
  for (const Sighting& sighting : Of(concept_id)) {
    std::string item = EvidenceOf(sighting);
    if (std::find(evidence.begin(), evidence.end(), item) == evidence.end()) {
      evidence.push_back(std::move(item));
    }
  }
  return evidence;
}

std::string Facts::EvidenceOf(const Sighting& sighting) const {
  if (sighting.field == TextField::kNone) return sighting.evidence;
  return FieldName(sighting.field, sighting.field_index) + ":\"" +
         matcher->SnippetOf(sighting.text, sighting.begin, sighting.end) + "\"";
}

std::string Facts::SiteEvidenceOf(const Sighting& sighting, std::size_t i) const {
  // A free-text sighting's sites come from its clause, so its evidence is the snippet.
  if (sighting.field != TextField::kNone) return EvidenceOf(sighting);
  return sighting.site_evidence[i];
}

bool Facts::AnyInjury() const {
  // A concept's bit in `filled` is set exactly when a sighting of it was added, and sightings
  // are only removed all at once, with the bits.
  static constexpr std::uint64_t kInjuryBits = [] {
    std::uint64_t bits = 0;
    for (Concept concept_id : kInjuryConcepts) {
      bits |= std::uint64_t{1} << static_cast<unsigned>(concept_id);
    }
    return bits;
  }();
  return (filled & kInjuryBits) != 0;
}

Facts GatherFacts(const domain::Attendance& attendance, const Concepts& concepts,
                  const TextMatcher& matcher, const EngineOptions& options) {
  Facts facts;
  GatherFactsInto(facts, attendance, concepts, matcher, options);
  return facts;
}

void GatherFactsInto(Facts& facts, const domain::Attendance& attendance, const Concepts& concepts,
                     const TextMatcher& matcher, const EngineOptions& options) {
  for (std::uint64_t filled = facts.filled; filled != 0; filled &= filled - 1) {
    facts.sightings[static_cast<std::size_t>(std::countr_zero(filled))].clear();
  }
  facts.filled = 0;
  facts.mobility = MobilityFact::kUnknown;
  facts.mobility_by_proxy = false;
  facts.attendance = &attendance;
  facts.matcher = &matcher;
  facts.age_days = domain::AgeInDaysAtArrival(attendance);
  DecideMobility(facts, attendance, options);
  GatherInjuries(facts, attendance, concepts);
  GatherStructured(facts, attendance);
  // One scan over every free text; the hits are read field by field, in FreeTexts' order.
  thread_local std::vector<std::string_view> texts;
  thread_local std::vector<LocatedHit> located;
  FreeTexts(attendance, texts);
  matcher.Locate(texts, located);
  TextHits hits(located);
  GatherCodes(facts, attendance, concepts, matcher, hits);
  auto text = static_cast<std::uint32_t>(std::count_if(
      attendance.diagnoses.begin(), attendance.diagnoses.end(),
      [](const domain::Diagnosis& diagnosis) { return diagnosis.display.has_value(); }));
  if (attendance.presenting_complaint) {
    GatherText(facts, matcher, TextField::kPresentingComplaint, 0, *attendance.presenting_complaint,
               hits.Of(text++));
  }
  if (attendance.injury.mechanism) {
    GatherText(facts, matcher, TextField::kMechanism, 0, *attendance.injury.mechanism,
               hits.Of(text++));
  }
  if (attendance.notes) {
    GatherText(facts, matcher, TextField::kNotes, 0, *attendance.notes, hits.Of(text++));
  }
}

}  // namespace liaison::recognition
