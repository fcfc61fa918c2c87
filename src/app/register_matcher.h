// Matching a person against the register, behind one narrow interface so that the exact path
// (here) and the probabilistic linker (src/linkage/, #6 section 2) plug in the same way.
//
// The exact path: a valid NHS number equal to an entry's valid NHS number is a `match`; for a
// pregnant woman, her valid NHS number equal to an unborn entry's mother_nhs_number is a
// `match` too. An unverified or invalid number is never used. Demographic candidates go to a
// DemographicLinker when one is plugged in; its `potential` results go to the restricted
// review queue, never to the point-of-care screen. Without a linker, demographic queries find
// nothing and say so (RegisterMatcher::demographic_matching()).
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/person.h"
#include "domain/register_entry.h"
#include "storage/store.h"

namespace liaison::app {

// Who is being looked for. Any field may be absent. Plain value type.
struct RegisterQuery {
  std::optional<domain::NhsNumber> nhs_number;  // verified numbers only
  std::string given_name;
  std::string family_name;
  std::optional<std::chrono::year_month_day> birth_date;
  domain::Sex sex = domain::Sex::kUnknown;
  std::string postcode;
  bool pregnant = false;  // also look for unborn entries recorded against her
};

enum class MatchBand { kMatch, kPotential };
// "match", "potential".
std::string_view MatchBandSlug(MatchBand band);

struct RegisterCandidate {
  domain::RegisterEntry entry;
  MatchBand band = MatchBand::kMatch;
  std::string basis;  // "nhs_number", "mother_nhs_number", "demographics"
  double probability = 1.0;
  std::string explanation = "[]";  // JSON array of per-field contributions (linker only)
};

// What the linker says about one register entry for a query.
struct LinkedEntry {
  domain::RegisterEntryId entry;
  MatchBand band = MatchBand::kPotential;
  double probability = 0;
  std::string explanation = "[]";  // JSON array of per-field contributions
};

// The probabilistic linker's in-process API, as the register needs it: the entries in band
// match or potential for one query, best first. The linker does its own blocking (its index,
// or the store's candidate queries such as FindRegisterEntriesBornOn, through `work`).
// Implementations must be thread-safe.
class DemographicLinker {
 public:
  virtual ~DemographicLinker() = default;
  virtual Result<std::vector<LinkedEntry>> Link(storage::UnitOfWork& work,
                                                const RegisterQuery& query) const = 0;
};

// Finds register entries for a query inside the caller's unit of work. Thread-safe.
class RegisterMatcher {
 public:
  // `linker` may be null: then only the exact path runs.
  explicit RegisterMatcher(std::shared_ptr<const DemographicLinker> linker = nullptr)
      : linker_(std::move(linker)) {}

  // Every visible entry (see domain::IsVisible on `today`) the query matches, exact matches
  // first, each entry at most once (an entry found exactly is not repeated from the linker).
  Result<std::vector<RegisterCandidate>> Find(storage::UnitOfWork& work, const RegisterQuery& query,
                                              std::chrono::year_month_day today) const;

  bool demographic_matching() const { return linker_ != nullptr; }

 private:
  std::shared_ptr<const DemographicLinker> linker_;
};

// The query's birth date and, when it is a date, its day/month swap: the blocking keys a
// linker working from the store asks FindRegisterEntriesBornOn for.
std::vector<std::chrono::year_month_day> BirthDateKeys(std::chrono::year_month_day date);

// BLAKE2b of the query's standardised demographics (case-folded names, birth date, sex,
// postcode without spaces, NHS number): the key under which review decisions are remembered.
std::string SubjectKey(const RegisterQuery& query);

}  // namespace liaison::app
