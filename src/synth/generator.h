// The synthetic attendance generator: a year (or any period) of emergency-care attendances
// for a trust-sized synthetic population, with ground truth, deterministic for a seed.
//
// Attendances come out in arrival order with seasonal, weekly and daily patterns in
// Europe/London time. About a quarter are children. A configurable share are planted
// scenarios matching the alerting features of the clinical rules reference (bruising in
// non-mobile infants, TEN-4-FACESp sites, fractures under 18 months, burns and scalds,
// poisoning, bites, intracranial injury, sexual-abuse markers, neglect, self-harm), and adults
// attend with domestic abuse, substance misuse or mental-health crises, some with children at
// home. A planted feature is stated in structured fields, only in codes, or only in free
// text. The truth row of each attendance gives the scenario, the expected concern level and
// the person, so later rules and linkage can be measured.
//
// Streams: memory does not grow with the number of attendances (a few per-day counters, and
// the histories of the small frequent-attender pool). Never uses real data.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "common/status.h"
#include "domain/attendance.h"
#include "ingest/feed_reader.h"

namespace liaison::synth {

// What to generate. Plain value type.
struct GeneratorOptions {
  std::uint64_t seed = 1;
  std::int64_t attendances = 1000;
  // Inclusive Europe/London dates. The default is the 365 days up to 2026-11-20.
  std::chrono::year_month_day from{std::chrono::year(2025), std::chrono::November,
                                   std::chrono::day(21)};
  std::chrono::year_month_day to{std::chrono::year(2026), std::chrono::November,
                                 std::chrono::day(20)};
  // Share of all attendances that are planted child-maltreatment scenarios.
  double child_concern_rate = 0.02;
  // Share of all attendances that are adults with domestic abuse, substance misuse or a
  // mental-health crisis.
  double adult_concern_rate = 0.03;
};

// Checks the options: a positive count, from <= to, rates within [0, 0.5].
Status ValidateOptions(const GeneratorOptions& options);

// The ground truth of one attendance (one line of the truth file).
struct TruthRow {
  std::string attendance_id;
  std::string site;
  std::string person_key;     // "P<n>": the same person across attendances
  std::string household_key;  // "H<n>"
  std::string scenario;       // "routine", or a planted scenario such as "bruise_non_mobile_infant"
  std::string expected_level;   // none | review | prompt | consider | suspect
  std::string signal_form;      // structured | codes_only | free_text_only | "" for routine
  std::string register_status;  // cp_plan | looked_after | child_in_need | ""
  std::optional<std::int64_t> age_days;
};

// Receives generated attendances in order. Implemented by writers and tests.
class AttendanceSink {
 public:
  virtual ~AttendanceSink() = default;
  AttendanceSink() = default;
  AttendanceSink(const AttendanceSink&) = delete;
  AttendanceSink& operator=(const AttendanceSink&) = delete;

  // A failure stops the generation and is returned.
  virtual Status OnAttendance(const domain::Attendance& attendance, const TruthRow& truth) = 0;
};

Status GenerateAttendances(const GeneratorOptions& options, AttendanceSink& sink);

// Writes the attendances as NDJSON or CSV to `out`, and the truth CSV to `truth` when given.
// Fails with "write_failed" when a stream fails (e.g. a closed pipe).
Status WriteAttendances(const GeneratorOptions& options, ingest::FeedFormat format,
                        std::ostream& out, std::ostream* truth);

// Writes the register upload CSV (contracts.md) of the same population: the children of
// register households, plus unborn children on plans. With `truth`, also writes
// id,person_key,household_key,birth_date per row (for linkage evaluation).
Status WriteRegister(const GeneratorOptions& options, std::ostream& out,
                     std::ostream* truth = nullptr);

// The header of the truth CSV.
std::string TruthCsvHeader();

}  // namespace liaison::synth
