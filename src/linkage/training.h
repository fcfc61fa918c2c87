// Training: estimates a model's m and u from data, offline, into a new model file (never
// implicitly at run time). Follows Splink's sequence:
//   u  from random pairs of (register entry, record), which are almost all non-matches;
//   m  by expectation-maximisation over the distinct γ patterns of the blocked candidate
//      pairs (the fastLink trick), u fixed, λ re-estimated within the blocks;
//   m_supervised  from blocked pairs sharing a valid NHS number (near-certain matches);
//   m  the supervised estimate when there are at least kMinSupervisedPairs such pairs (EM's
//      match class also absorbs twins, who agree on everything but the given name), else EM;
//      the NHS number's own m always comes from EM. Both estimates stay in the file for
//      comparison (Splink's parameter_estimate_comparisons);
//   on_register_rate  the expected number of matched records over the number of records.
// Training reads only the link columns, never truth. Stateless functions; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "common/status.h"
#include "linkage/comparison.h"
#include "linkage/model.h"
#include "linkage/record.h"

namespace liaison::linkage {

inline constexpr std::uint64_t kMinSupervisedPairs = 1000;

enum class MSource { kAuto, kEm, kSupervised };

struct TrainingOptions {
  MSource m_source = MSource::kAuto;  // kAuto: supervised when there are enough pairs
  std::uint64_t seed = 1;
  std::uint64_t u_pairs = 10'000'000;
  int max_iterations = 200;
  double tolerance = 1e-7;
  std::string version = "v1";
};

struct TrainingReport {
  std::uint64_t register_entries = 0;
  std::uint64_t records = 0;
  std::uint64_t u_pairs = 0;
  std::uint64_t blocked_pairs = 0;
  std::uint64_t distinct_patterns = 0;
  std::uint64_t supervised_pairs = 0;
  int em_iterations = 0;
  double lambda_in_blocks = 0.0;
  double expected_matches = 0.0;
};

// A γ pattern and how many pairs showed it.
struct GammaCount {
  Gamma gamma{};
  double count = 0.0;
};

// m per field and level (level 0 unused), as EM estimates them.
using MValues = std::array<std::array<double, kMaxLevels>, kFieldCount>;

struct EmResult {
  MValues m{};
  double lambda = 0.0;
  int iterations = 0;
};

// EM with u fixed: starts from `start` (m from it, u fixed from it) and `lambda`. Null levels
// carry no evidence and are not estimated. m stays within [1e-6, 1 - 1e-6] (an m of exactly 0
// would stick there).
EmResult EstimateMByEm(const std::vector<GammaCount>& patterns, const Model& start, double lambda,
                       int max_iterations, double tolerance);

// The whole training run. `start` gives the structure, bands and starting m.
Result<Model> TrainModel(const std::vector<PersonRecord>& register_entries,
                         const std::vector<PersonRecord>& records, const Model& start,
                         const TrainingOptions& options, TrainingReport* report);

}  // namespace liaison::linkage
