// Facts: what one attendance says, gathered once from its structured fields, its codes and its
// free text, in the form the rules read. Internal to recognition/.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "domain/attendance.h"
#include "recognition/concepts.h"
#include "recognition/engine.h"
#include "recognition/text_matcher.h"

namespace liaison::recognition {

// One place where a concept was seen.
struct Sighting {
  std::string evidence;                    // "injuries[0].type=bruise", "notes:\"bruise to ear\""
  std::vector<std::string> sites;          // canonical body sites
  std::vector<std::string> site_evidence;  // parallel to sites
  std::optional<std::string> pattern;      // canonical pattern (injuries[].pattern)
  std::string pattern_evidence;
  int count = 1;
  std::optional<domain::InjuryType> injury_type;  // when seen in injuries[]
};

enum class MobilityFact { kMobile, kNotMobile, kUnknown };

struct Facts {
  const domain::Attendance* attendance = nullptr;
  std::optional<std::int64_t> age_days;
  MobilityFact mobility = MobilityFact::kUnknown;
  bool mobility_by_proxy = false;  // kNotMobile was inferred from age
  std::array<std::vector<Sighting>, kConceptCount> sightings;

  bool Has(Concept concept_id) const { return !Of(concept_id).empty(); }
  const std::vector<Sighting>& Of(Concept concept_id) const {
    return sightings[static_cast<std::size_t>(concept_id)];
  }
  std::vector<std::string> Evidence(Concept concept_id) const;
  bool AnyInjury() const;
};

// The concepts that are physical injuries (used for documentation and repeat-injury rules).
std::span<const Concept> InjuryConcepts();

// Gathers the facts of `attendance`. `options` gives the mobility proxy.
Facts GatherFacts(const domain::Attendance& attendance, const Concepts& concepts,
                  const TextMatcher& matcher, const EngineOptions& options);

}  // namespace liaison::recognition
