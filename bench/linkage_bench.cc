// Linker speed, in process (bench/linkage_bench.sh):
//   linkage_bench --register R.csv --queries Q.csv [--model M.json] [--runs 5]
// Reports, as medians (min-max) of the runs: index build time; scored pairs per second on one
// core over the blocked candidate pairs of all queries (the model's full scoring); the
// reference of one Jaro-Winkler call per pair on the same pairs; single-query latency
// (standardise + block + score + band + explanation) p50 and p99 on one core.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>

#include "linkage/register_index.h"
#include "linkage/similarity.h"
#include "linkage_common.h"

using namespace liaison;
using BenchClock = std::chrono::steady_clock;

namespace {

double Seconds(BenchClock::time_point start) {
  return std::chrono::duration<double>(BenchClock::now() - start).count();
}

struct Stat {
  double median, min, max;
};

Stat Summarise(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return {values[values.size() / 2], values.front(), values.back()};
}

}  // namespace

int main(int argc, char** argv) {
  std::string register_path, queries_path, model_path;
  int runs = 5;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--register") register_path = argv[i + 1];
    if (flag == "--queries") queries_path = argv[i + 1];
    if (flag == "--model") model_path = argv[i + 1];
    if (flag == "--runs") runs = std::stoi(argv[i + 1]);
  }
  std::shared_ptr<const linkage::Model> model = linkage::Model::Default();
  if (!model_path.empty()) {
    Result<linkage::Model> loaded = linkage::Model::Load(model_path);
    if (!loaded.ok()) return 1;
    model = std::make_shared<const linkage::Model>(std::move(*loaded));
  }
  std::vector<linkage::PersonRecord> entries = bench::ReadLinkFile(register_path);
  std::vector<linkage::PersonRecord> queries = bench::ReadLinkFile(queries_path);

  std::vector<double> build_times;
  std::shared_ptr<const linkage::RegisterIndex> index;
  for (int run = 0; run < runs; ++run) {
    auto start = BenchClock::now();
    index = linkage::RegisterIndex::Build(entries, model);
    build_times.push_back(Seconds(start));
  }

  std::vector<linkage::Features> features;
  features.reserve(queries.size());
  for (const auto& q : queries) features.push_back(index->StandardiseQuery(q));
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  std::vector<std::uint32_t> candidates;
  for (std::uint32_t q = 0; q < features.size(); ++q) {
    candidates.clear();
    index->Candidates(features[q], candidates);
    for (std::uint32_t entry : candidates) pairs.emplace_back(q, entry);
  }

  std::vector<double> score_rates, jw_rates;
  double sink = 0;
  for (int run = 0; run < runs; ++run) {
    auto start = BenchClock::now();
    linkage::Gamma gamma;
    for (const auto& [q, entry] : pairs) sink += index->Score(features[q], entry, gamma);
    score_rates.push_back(static_cast<double>(pairs.size()) / Seconds(start));
    start = BenchClock::now();
    for (const auto& [q, entry] : pairs) {
      sink += linkage::JaroWinkler(features[q].family, index->features(entry).family);
    }
    jw_rates.push_back(static_cast<double>(pairs.size()) / Seconds(start));
  }

  std::vector<double> latencies;
  latencies.reserve(queries.size());
  for (const auto& q : queries) {
    auto start = BenchClock::now();
    linkage::LinkResult result = index->Link(q, 3);
    latencies.push_back(Seconds(start) * 1e6);
    sink += result.probability();
  }
  std::sort(latencies.begin(), latencies.end());

  Stat build = Summarise(build_times);
  Stat score = Summarise(score_rates);
  Stat jw = Summarise(jw_rates);
  std::printf("register entries %zu, queries %zu, blocked pairs %zu (%.1f per query)\n",
              index->size(), queries.size(), pairs.size(),
              static_cast<double>(pairs.size()) / static_cast<double>(queries.size()));
  std::printf("index build: median %.3f s (min %.3f, max %.3f)\n", build.median, build.min,
              build.max);
  std::printf("scored pairs per second, one core: median %.0f (min %.0f, max %.0f)\n", score.median,
              score.min, score.max);
  std::printf(
      "reference, one Jaro-Winkler per pair: median %.0f (min %.0f, max %.0f); ratio %.2f\n",
      jw.median, jw.min, jw.max, score.median / jw.median);
  std::printf(
      "single query (Link with explanation), one core: p50 %.1f us, p99 %.1f us, max %.1f us\n",
      latencies[latencies.size() / 2], latencies[latencies.size() * 99 / 100], latencies.back());
  std::printf("(checksum %.3f)\n", sink);
  return 0;
}
