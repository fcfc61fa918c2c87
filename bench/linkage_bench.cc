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

#include <time.h>

#include "linkage/register_index.h"
#include "linkage/similarity.h"
#include "linkage_common.h"

using namespace liaison;
using BenchClock = std::chrono::steady_clock;

namespace {

// CPU time of this thread: the machine is shared, so "per core" figures use the CPU time the
// scoring thread actually got, beside the wall-clock figures.
double ThreadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

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

  std::vector<double> score_rates, jw_rates, score_cpu_rates, jw_cpu_rates;
  double sink = 0;
  for (int run = 0; run < runs; ++run) {
    auto start = BenchClock::now();
    double cpu = ThreadCpuSeconds();
    linkage::Gamma gamma;
    for (const auto& [q, entry] : pairs) sink += index->Score(features[q], entry, gamma);
    score_rates.push_back(static_cast<double>(pairs.size()) / Seconds(start));
    score_cpu_rates.push_back(static_cast<double>(pairs.size()) / (ThreadCpuSeconds() - cpu));
    start = BenchClock::now();
    cpu = ThreadCpuSeconds();
    for (const auto& [q, entry] : pairs) {
      sink += linkage::JaroWinkler(features[q].family, index->features(entry).family);
    }
    jw_rates.push_back(static_cast<double>(pairs.size()) / Seconds(start));
    jw_cpu_rates.push_back(static_cast<double>(pairs.size()) / (ThreadCpuSeconds() - cpu));
  }

  std::vector<double> latencies, cpu_latencies;
  latencies.reserve(queries.size());
  cpu_latencies.reserve(queries.size());
  for (const auto& q : queries) {
    auto start = BenchClock::now();
    double cpu = ThreadCpuSeconds();
    linkage::LinkResult result = index->Link(q, 3);
    cpu_latencies.push_back((ThreadCpuSeconds() - cpu) * 1e6);
    latencies.push_back(Seconds(start) * 1e6);
    sink += result.probability();
  }
  std::sort(latencies.begin(), latencies.end());
  std::sort(cpu_latencies.begin(), cpu_latencies.end());

  Stat build = Summarise(build_times);
  Stat score = Summarise(score_rates);
  Stat jw = Summarise(jw_rates);
  Stat score_cpu = Summarise(score_cpu_rates);
  Stat jw_cpu = Summarise(jw_cpu_rates);
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
      "per CPU-second of the scoring thread: scored pairs median %.0f (min %.0f, max %.0f); "
      "one Jaro-Winkler per pair median %.0f\n",
      score_cpu.median, score_cpu.min, score_cpu.max, jw_cpu.median);
  std::printf(
      "single query (Link with explanation), one core: p50 %.1f us, p99 %.1f us, max %.1f us\n",
      latencies[latencies.size() / 2], latencies[latencies.size() * 99 / 100], latencies.back());
  std::printf("single query, CPU time of the thread: p50 %.1f us, p99 %.1f us, max %.1f us\n",
              cpu_latencies[cpu_latencies.size() / 2],
              cpu_latencies[cpu_latencies.size() * 99 / 100], cpu_latencies.back());
  std::printf("(checksum %.3f)\n", sink);
  return 0;
}
