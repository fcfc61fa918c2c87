// Concept sets: groups of SNOMED CT and ICD-10 codes and free-text terms that the rules test
// for ("bruise", "fracture", "self_harm"), plus the synonym tables that normalise the open
// vocabularies of injuries[].site and injuries[].pattern. They are data, versioned, and a
// trust may replace them (docs/recognition.md); the shipped set is compiled into the binary.
//
// Immutable once parsed; safe to read from many threads.
#pragma once

#include <array>
#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "domain/attendance.h"

namespace liaison::recognition {

// One concept per data file, `<slug>.tsv`. The enumerators run 0..kCount-1 in the order of
// kConceptSlugs.
enum class Concept {
  kBruise,
  kFracture,
  kRibFracture,
  kFemoralFracture,
  kBurn,
  kBiteHuman,
  kBiteAnimal,
  kWound,
  kIntracranialInjury,
  kRetinalHaemorrhage,
  kEyeInjury,
  kSpinalInjury,
  kVisceralInjury,
  kOralInjury,
  kAnogenitalInjury,
  kColdInjury,
  kPoisoning,
  kIllicitDrug,
  kStiMajor,
  kStiMinor,
  kPregnancy,
  kCoercion,
  kSelfHarm,
  kDomesticAbuse,
  kSubstanceMisuse,
  kMentalHealthCrisis,
  kAssault,
  kMaltreatmentCode,
  kUndeterminedIntent,
  kSexualAbuse,
  kNeglect,
  kSupervisionConcern,
  kDelayInPresentation,
  kFiiMarker,
  kEmotionalAbuse,
  kCoagulopathy,
  kFragileBone,
  kMajorTrauma,
  kPatternedInjury,
  kMultipleInjuries,
  kSafeguardingSuspected,
  kSocialCareKnown,
  kExplanationConcern,
  kAlteBrue,
  kOronasalBleeding,
  kVomiting,
  kDiarrhoea,
  kBrainInjurySymptom,
};
inline constexpr std::size_t kConceptCount = 48;
inline constexpr std::array<std::string_view, kConceptCount> kConceptSlugs = {
    "bruise",
    "fracture",
    "rib_fracture",
    "femoral_fracture",
    "burn",
    "bite_human",
    "bite_animal",
    "wound",
    "intracranial_injury",
    "retinal_haemorrhage",
    "eye_injury",
    "spinal_injury",
    "visceral_injury",
    "oral_injury",
    "anogenital_injury",
    "cold_injury",
    "poisoning",
    "illicit_drug",
    "sti_major",
    "sti_minor",
    "pregnancy",
    "coercion",
    "self_harm",
    "domestic_abuse",
    "substance_misuse",
    "mental_health_crisis",
    "assault",
    "maltreatment_code",
    "undetermined_intent",
    "sexual_abuse",
    "neglect",
    "supervision_concern",
    "delay_in_presentation",
    "fii_marker",
    "emotional_abuse",
    "coagulopathy",
    "fragile_bone",
    "major_trauma",
    "patterned_injury",
    "multiple_injuries",
    "safeguarding_suspected",
    "social_care_known",
    "explanation_concern",
    "alte_brue",
    "oronasal_bleeding",
    "vomiting",
    "diarrhoea",
    "brain_injury_symptom"};

std::string_view ConceptSlug(Concept concept_id);

// Maps free words to a canonical word: "left ear lobe" -> "ear", "glove and stocking" ->
// "immersion". Case, punctuation and laterality words are ignored.
class SynonymTable {
 public:
  void Add(std::string_view canonical, std::string_view synonym);
  // The canonical word for the whole of `text`, or else for its longest known run of up to
  // three words (the leftmost if several), or nullopt.
  std::optional<std::string> Lookup(std::string_view text) const;
  // Every canonical word named by a run of up to three words in `text`, in order of appearance,
  // without repeats.
  std::vector<std::string> FindAll(std::string_view text) const;
  std::size_t size() const { return table_.size(); }

 private:
  std::unordered_map<std::string, std::string> table_;
  // For the first word of every key of table_, bit n set when a key of n words starts with it:
  // FindAll tries at a word only the runs some key has.
  std::unordered_map<std::string, unsigned> runs_by_first_word_;
};

// Lower-case words of `text` (letters and digits), without laterality words.
std::vector<std::string> NormalisedWords(std::string_view text);

struct ConceptSet {
  std::vector<std::string> snomed;          // exact concept ids
  std::vector<std::string> icd10_prefixes;  // upper case, without dots: "S065"
  std::vector<std::pair<std::string, std::string>> icd10_ranges;  // "T20".."T32"
  std::vector<std::string> terms;  // free-text terms as written in the file
  // What the codes and terms above also reach but the concept is not about (a fracture of a
  // tooth is an oral injury, not a broken bone): a code starting with one of these prefixes
  // is not in the set, and a term found inside a match of one of these terms is not a
  // finding of the concept.
  std::vector<std::string> excluded_icd10_prefixes;
  std::vector<std::string> excluded_terms;
};

// The files of one concept-set release, by file name ("bruise.tsv", "sites.tsv", "VERSION").
using ConceptFiles = std::map<std::string, std::string, std::less<>>;

// The release compiled into the binary (data/recognition/concepts-v2).
const ConceptFiles& DefaultConceptFiles();
// Reads every file of a release directory. Fails when it cannot be read.
Result<ConceptFiles> ReadConceptDirectory(const std::filesystem::path& directory);

class Concepts {
 public:
  // Parses a release: VERSION, sites.tsv, patterns.tsv and one <slug>.tsv per concept, all
  // required; an unknown .tsv file is an error too (a misspelt name would otherwise be
  // silently ignored). Failures name the file and line.
  static Result<Concepts> Parse(const ConceptFiles& files);

  const std::string& version() const { return version_; }
  const ConceptSet& set(Concept concept_id) const {
    return sets_[static_cast<std::size_t>(concept_id)];
  }
  const SynonymTable& sites() const { return sites_; }
  const SynonymTable& patterns() const { return patterns_; }

  // The concepts whose code lists hold `code` in `system`.
  std::vector<Concept> ConceptsForCode(domain::DiagnosisSystem system, std::string_view code) const;
  std::vector<Concept> ConceptsForSnomed(std::string_view code) const;

 private:
  std::string version_;
  std::array<ConceptSet, kConceptCount> sets_;
  std::unordered_map<std::string, std::vector<Concept>> snomed_index_;
  // For each ICD-10 category A00..Z99 (letter * 100 + number), the concepts, in concept order,
  // that have a prefix or range a code of that category may match; the others cannot match it.
  std::vector<std::vector<Concept>> icd10_candidates_;
  SynonymTable sites_;
  SynonymTable patterns_;
};

// "S06.5" -> "S065"; upper case, without dots or spaces.
std::string NormaliseIcd10(std::string_view code);

}  // namespace liaison::recognition
