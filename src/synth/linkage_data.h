// Linkage evaluation data: a register file with a truth file, and query files that look like
// the demographics an emergency department records, with ground truth, from the same synthetic
// population as `liaison generate`. Queries are register children (with the errors feeds
// make: missing or mistyped NHS numbers, nicknames, typos, placeholder names for babies,
// swapped names, swapped day and month, estimated 1 January birth dates, old postcodes after a
// move, family-name changes), twins of register children over-sampled, the adults of register
// households (same family name and postcode: hard negatives) and people from other households.
// Deterministic for a seed; memory is the register's rows.
#pragma once

#include <cstdint>
#include <ostream>

#include "common/status.h"
#include "synth/generator.h"

namespace liaison::synth {

struct LinkageDataOptions {
  GeneratorOptions population;  // seed, period, and size (through `attendances`)
  std::int64_t queries = 10000;
  double on_register_share = 0.3;  // share of queries that are register children
  double twin_share = 0.1;         // of those, share drawn from children with a twin
};

// Writes the query CSV: id,nhs_number,given_name,family_name,birth_date,sex,postcode, then
// truth columns true_register_id,person_key,household_key,true_birth_date (ignored by link).
Status WriteLinkQueries(const LinkageDataOptions& options, std::ostream& out);

}  // namespace liaison::synth
