// Facts: what one attendance says, gathered once from its structured fields, its codes and its
// free text, in the form the rules read. Internal to recognition/.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "domain/attendance.h"
#include "recognition/concepts.h"
#include "recognition/engine.h"
#include "recognition/text_matcher.h"

namespace liaison::recognition {

// The free-text field a sighting was read from.
enum class TextField { kNone, kDiagnosisDisplay, kPresentingComplaint, kMechanism, kNotes };

// One place where a concept was seen. A free-text sighting keeps where it was seen, and its
// evidence (`notes:"bruise to ear"`) is written only when a finding asks for it
// (Facts::EvidenceOf): most attendances raise no finding, and the snippet is the costly part.
struct Sighting {
  std::string evidence;            // "injuries[0].type=bruise"; empty for a free-text sighting
  std::vector<std::string> sites;  // canonical body sites (free text: only where a rule reads them)
  std::vector<std::string> site_evidence;  // parallel to sites; empty for a free-text sighting
  std::optional<std::string> pattern;      // canonical pattern (injuries[].pattern)
  std::string pattern_evidence;
  int count = 1;
  std::optional<domain::InjuryType> injury_type;  // when seen in injuries[]
  // A free-text sighting: the field (diagnoses[field_index].display for a diagnosis), its text
  // and the matched term's bytes in it.
  TextField field = TextField::kNone;
  std::size_t field_index = 0;
  std::string_view text;
  std::size_t begin = 0;
  std::size_t end = 0;
};

enum class MobilityFact { kMobile, kNotMobile, kUnknown };

struct Facts {
  const domain::Attendance* attendance = nullptr;
  const TextMatcher* matcher = nullptr;  // writes the evidence of free-text sightings
  std::optional<std::int64_t> age_days;
  MobilityFact mobility = MobilityFact::kUnknown;
  bool mobility_by_proxy = false;  // kNotMobile was inferred from age
  std::array<std::vector<Sighting>, kConceptCount> sightings;
  // Bit c set when sightings[c] has been added to: GatherFactsInto clears only those.
  std::uint64_t filled = 0;
  static_assert(kConceptCount <= 64);

  bool Has(Concept concept_id) const { return !Of(concept_id).empty(); }
  const std::vector<Sighting>& Of(Concept concept_id) const {
    return sightings[static_cast<std::size_t>(concept_id)];
  }
  std::vector<std::string> Evidence(Concept concept_id) const;
  // The evidence of one sighting, and of its i-th site.
  std::string EvidenceOf(const Sighting& sighting) const;
  std::string SiteEvidenceOf(const Sighting& sighting, std::size_t i) const;
  bool AnyInjury() const;
};

// The concepts that are physical injuries (used for documentation and repeat-injury rules).
std::span<const Concept> InjuryConcepts();

// Gathers the facts of `attendance`. `options` gives the mobility proxy.
Facts GatherFacts(const domain::Attendance& attendance, const Concepts& concepts,
                  const TextMatcher& matcher, const EngineOptions& options);
// The same into `facts`, whose earlier contents are dropped but whose sighting vectors keep their
// storage: a Facts reused from one attendance to the next (one per thread) allocates none.
void GatherFactsInto(Facts& facts, const domain::Attendance& attendance, const Concepts& concepts,
                     const TextMatcher& matcher, const EngineOptions& options);

}  // namespace liaison::recognition
