// One in-process `Engine::Assess` call (Google Benchmark), on three attendances: a typical
// attendance with nothing to find, an infant with bruising and notes, and an attendance with a
// year of history (12 earlier attendances). Reference: the same process decoding the request
// JSON, which every caller (CLI, HTTP) pays first. See bench/README.md for the figures.
//   assess_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "common/check.h"
#include "recognition/assess_json.h"
#include "recognition/engine.h"

namespace {

using liaison::recognition::AssessRequest;
using liaison::recognition::Engine;

const std::string kQuiet =
    R"({"attendance_id":"B1","site":"RSY01","arrival":"2026-06-01T10:00:00Z","patient":{"birth_date":"1990-05-05"},"department":"emergency","presenting_complaint":"Sore throat for three days","diagnoses":[{"system":"SNOMED-CT","code":"405737000","display":"Pharyngitis"}],"notes":"Alert and well. No rash. Eating and drinking. Advised fluids and paracetamol."})";

const std::string kInfant =
    R"({"attendance_id":"B2","site":"RSY01","arrival":"2026-06-01T10:00:00Z","patient":{"birth_date":"2026-03-01"},"department":"emergency","presenting_complaint":"Bruise on cheek noticed by mum","injury":{"intent":"undetermined","mechanism":"rolled against cot bars","place":"home"},"injuries":[{"type":"bruise","site":"left cheek","pattern":"grip"},{"type":"petechiae","site":"ear"}],"diagnoses":[{"system":"SNOMED-CT","code":"125667009","display":"Contusion"},{"system":"ICD-10","code":"S00.8","display":"Superficial injury of other parts of head"}],"notes":"Triage: bruise L cheek. No fever but bruise to ear. No other injuries seen. Mum says she rolled against the cot bars; dad not present. Feeding well, no vomiting, no rash.","screening":{"history_consistent":false}})";

std::string WithHistory() {
  std::string body = R"({"attendance":)" + kInfant + R"(,"history":[)";
  for (int month = 1; month <= 12; ++month) {
    if (month > 1) body += ",";
    body +=
        R"({"attendance_id":"H)" + std::to_string(month) + R"(","site":"RSY01","arrival":"2025-)" +
        (month < 10 ? "0" : "") + std::to_string(month) +
        R"(-15T10:00:00Z","patient":{"birth_date":"2025-01-01"},"presenting_complaint":"cough and fever","notes":"No injuries. Chest clear. Discharged with advice."})";
  }
  return body + "]}";
}

const Engine& Shipped() {
  static const std::unique_ptr<Engine> engine = [] {
    auto loaded = Engine::LoadDefault();
    LIAISON_CHECK(loaded.ok());
    return std::move(*loaded);
  }();
  return *engine;
}

AssessRequest Decode(const std::string& body) {
  auto request = liaison::recognition::DecodeAssessRequest(body);
  LIAISON_CHECK(request.ok());
  return std::move(*request);
}

void Assess(benchmark::State& state, const std::string& body) {
  AssessRequest request = Decode(body);
  const Engine& engine = Shipped();
  for (auto _ : state) {
    auto assessment = engine.Assess({request.attendance, request.history, std::nullopt});
    benchmark::DoNotOptimize(assessment);
  }
}

void DecodeOnly(benchmark::State& state, const std::string& body) {
  for (auto _ : state) {
    auto request = liaison::recognition::DecodeAssessRequest(body);
    benchmark::DoNotOptimize(request);
  }
}

BENCHMARK_CAPTURE(Assess, quiet_adult, kQuiet);
BENCHMARK_CAPTURE(Assess, infant_bruising, kInfant);
BENCHMARK_CAPTURE(Assess, infant_with_12_history, WithHistory());
BENCHMARK_CAPTURE(DecodeOnly, infant_bruising, kInfant);

}  // namespace

BENCHMARK_MAIN();
