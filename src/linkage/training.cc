#include "linkage/training.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>
#include <unordered_map>

#include "linkage/register_index.h"

namespace liaison::linkage {
namespace {

constexpr double kFloor = 1e-6;

double Clamp(double x) { return std::clamp(x, kFloor, 1.0 - kFloor); }

// u per level from counts, smoothed by half a pair per level so that no u is 0.
void SetU(Model& model, const std::array<std::array<double, kMaxLevels>, kFieldCount>& counts) {
  for (int f = 0; f < kFieldCount; ++f) {
    auto field = static_cast<Field>(f);
    double total = 0.0;
    for (int l = 1; l < LevelCount(field); ++l) total += counts[f][l];
    for (int l = 1; l < LevelCount(field); ++l) {
      model.mutable_level(field, l).u =
          Clamp((counts[f][l] + 0.5) / (total + 0.5 * (LevelCount(field) - 1)));
    }
  }
}

}  // namespace

EmResult EstimateMByEm(const std::vector<GammaCount>& patterns, const Model& start, double lambda,
                       int max_iterations, double tolerance) {
  EmResult result;
  for (int f = 0; f < kFieldCount; ++f) {
    for (int l = 1; l < LevelCount(static_cast<Field>(f)); ++l) {
      result.m[f][l] = start.level(static_cast<Field>(f), l).m;
    }
  }
  result.lambda = std::clamp(lambda, kFloor, 1.0 - kFloor);
  std::vector<double> match_share(patterns.size());
  for (int iteration = 1; iteration <= max_iterations; ++iteration) {
    result.iterations = iteration;
    // E: the probability that each pattern is a match.
    double total = 0.0;
    double matched = 0.0;
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      double log_m = 0.0;
      double log_u = 0.0;
      for (int f = 0; f < kFieldCount; ++f) {
        int level = patterns[i].gamma[f];
        if (level == 0) continue;
        log_m += std::log(result.m[f][level]);
        log_u += std::log(start.level(static_cast<Field>(f), level).u);
      }
      double a = std::log(result.lambda) + log_m;
      double b = std::log(1.0 - result.lambda) + log_u;
      double top = std::max(a, b);
      double p = std::exp(a - top) / (std::exp(a - top) + std::exp(b - top));
      match_share[i] = p;
      total += patterns[i].count;
      matched += patterns[i].count * p;
    }
    // M: m and λ from the expected matches.
    MValues sums{};
    for (std::size_t i = 0; i < patterns.size(); ++i) {
      double weight = patterns[i].count * match_share[i];
      for (int f = 0; f < kFieldCount; ++f) sums[f][patterns[i].gamma[f]] += weight;
    }
    double change = 0.0;
    for (int f = 0; f < kFieldCount; ++f) {
      auto field = static_cast<Field>(f);
      double non_null = 0.0;
      for (int l = 1; l < LevelCount(field); ++l) non_null += sums[f][l];
      if (non_null <= 0.0) continue;
      for (int l = 1; l < LevelCount(field); ++l) {
        double m = Clamp(sums[f][l] / non_null);
        change = std::max(change, std::abs(m - result.m[f][l]));
        result.m[f][l] = m;
      }
    }
    double lambda_next = std::clamp(matched / std::max(total, 1.0), kFloor, 1.0 - kFloor);
    change = std::max(change, std::abs(lambda_next - result.lambda));
    result.lambda = lambda_next;
    if (change < tolerance) break;
  }
  return result;
}

Result<Model> TrainModel(const std::vector<PersonRecord>& register_entries,
                         const std::vector<PersonRecord>& records, const Model& start,
                         const TrainingOptions& options, TrainingReport* report_out) {
  if (register_entries.empty() || records.empty()) {
    return InvalidArgument("no_training_data", "training needs register entries and records");
  }
  TrainingReport report;
  report.register_entries = register_entries.size();
  report.records = records.size();
  Model model = start;
  auto index = RegisterIndex::Build(register_entries, std::make_shared<const Model>(start));
  std::vector<Features> queries;
  queries.reserve(records.size());
  for (const PersonRecord& record : records) queries.push_back(index->StandardiseQuery(record));

  // u from random pairs.
  std::mt19937_64 rng(options.seed);
  std::uniform_int_distribution<std::size_t> pick_entry(0, index->size() - 1);
  std::uniform_int_distribution<std::size_t> pick_record(0, queries.size() - 1);
  std::array<std::array<double, kMaxLevels>, kFieldCount> u_counts{};
  for (std::uint64_t i = 0; i < options.u_pairs; ++i) {
    auto entry = static_cast<std::uint32_t>(pick_entry(rng));
    Gamma gamma = Compare(queries[pick_record(rng)], index->features(entry));
    for (int f = 0; f < kFieldCount; ++f) u_counts[f][gamma[f]] += 1.0;
  }
  report.u_pairs = options.u_pairs;
  SetU(model, u_counts);

  // Two training blocks, as Splink rotates them: pairs with the same birth date (the names,
  // NHS number, sex and postcode are estimated; birth date is masked because the block forces
  // it to agree) and pairs with the same phonetic given and family names (birth date
  // estimated; names masked). Every pair of either kind is among the blocked candidates, since
  // both are blocking keys. Pairs sharing a valid NHS number give the supervised estimate.
  std::unordered_map<std::uint32_t, double> by_birth, by_names;
  std::array<std::array<double, kMaxLevels>, kFieldCount> supervised{};
  std::vector<std::uint32_t> candidates;
  for (const Features& query : queries) {
    candidates.clear();
    index->Candidates(query, candidates);
    for (std::uint32_t entry : candidates) {
      const Features& other = index->features(entry);
      Gamma gamma = Compare(query, other);
      ++report.blocked_pairs;
      if (query.birth_days != kNoDate && query.birth_days == other.birth_days) {
        Gamma masked = gamma;
        masked[static_cast<int>(Field::kBirthDate)] = 0;
        by_birth[PatternOf(masked)] += 1.0;
      }
      if (!query.given_phonetic.empty() && query.given_phonetic == other.given_phonetic &&
          !query.family_phonetic.empty() && query.family_phonetic == other.family_phonetic) {
        Gamma masked = gamma;
        masked[static_cast<int>(Field::kGivenName)] = 0;
        masked[static_cast<int>(Field::kFamilyName)] = 0;
        by_names[PatternOf(masked)] += 1.0;
      }
      if (gamma[0] == nhs_level::kExact) {
        ++report.supervised_pairs;
        for (int f = 1; f < kFieldCount; ++f) supervised[f][gamma[f]] += 1.0;
      }
    }
  }
  auto to_patterns = [](const std::unordered_map<std::uint32_t, double>& counts, double& total) {
    std::vector<GammaCount> patterns;
    patterns.reserve(counts.size());
    total = 0.0;
    for (const auto& [pattern, count] : counts) {
      patterns.push_back({GammaOfPattern(pattern), count});
      total += count;
    }
    std::sort(patterns.begin(), patterns.end(),
              [](const GammaCount& a, const GammaCount& b) { return a.count > b.count; });
    return patterns;
  };
  double birth_pairs = 0.0;
  double name_pairs = 0.0;
  std::vector<GammaCount> birth_patterns = to_patterns(by_birth, birth_pairs);
  std::vector<GammaCount> name_patterns = to_patterns(by_names, name_pairs);
  report.distinct_patterns = birth_patterns.size() + name_patterns.size();
  if (birth_pairs == 0.0 || name_pairs == 0.0) {
    return InvalidArgument("no_training_pairs",
                           "no pairs share a birth date or names; training needs overlapping data");
  }
  const auto n_records = static_cast<double>(records.size());
  EmResult by_birth_em =
      EstimateMByEm(birth_patterns, model, std::min(0.5, n_records / birth_pairs),
                    options.max_iterations, options.tolerance);
  EmResult by_names_em = EstimateMByEm(name_patterns, model, std::min(0.5, n_records / name_pairs),
                                       options.max_iterations, options.tolerance);
  report.em_iterations = by_birth_em.iterations + by_names_em.iterations;
  report.lambda_in_blocks = by_birth_em.lambda;
  bool use_supervised =
      options.m_source == MSource::kSupervised ||
      (options.m_source == MSource::kAuto && report.supervised_pairs >= kMinSupervisedPairs);
  for (int f = 0; f < kFieldCount; ++f) {
    auto field = static_cast<Field>(f);
    const EmResult& source = field == Field::kBirthDate ? by_names_em : by_birth_em;
    double non_null = 0.0;
    for (int l = 1; l < LevelCount(field); ++l) non_null += supervised[f][l];
    for (int l = 1; l < LevelCount(field); ++l) {
      LevelParameters& level = model.mutable_level(field, l);
      level.m_em = source.m[f][l];
      level.m_supervised =
          f == 0 || non_null <= 0.0
              ? -1.0
              : Clamp((supervised[f][l] + 0.5) / (non_null + 0.5 * (LevelCount(field) - 1)));
      level.m = use_supervised && level.m_supervised > 0 ? level.m_supervised : level.m_em;
    }
  }
  // Matches in the birth-date block are the matches whose birth dates agree; dividing by that
  // share (from the names block) estimates all matches, hence the share of records on the
  // register.
  double birth_agrees = model.level(Field::kBirthDate, birth_level::kExact).m +
                        model.level(Field::kBirthDate, birth_level::kExactEstimated).m;
  report.expected_matches = by_birth_em.lambda * birth_pairs / std::max(birth_agrees, 0.05);
  model.set_on_register_rate(std::clamp(report.expected_matches / n_records, 1e-6, 0.99));
  model.set_version(options.version);
  std::ostringstream notes;
  notes << "{\"produced_by\": \"liaison link train\", \"seed\": " << options.seed
        << ", \"m_source\": \"" << (use_supervised ? "supervised" : "em") << "\""
        << ", \"register_entries\": " << report.register_entries
        << ", \"records\": " << report.records << ", \"u_pairs\": " << report.u_pairs
        << ", \"blocked_pairs\": " << report.blocked_pairs
        << ", \"distinct_patterns\": " << report.distinct_patterns
        << ", \"supervised_pairs\": " << report.supervised_pairs
        << ", \"em_iterations\": " << report.em_iterations
        << ", \"lambda_in_birth_date_block\": " << report.lambda_in_blocks
        << ", \"expected_matches\": " << report.expected_matches << "}";
  model.set_training_notes(notes.str());
  RETURN_IF_ERROR(model.Finish());
  if (report_out) *report_out = report;
  return model;
}

}  // namespace liaison::linkage
