// The properties the fuzz targets (fuzz/*.cc) check, as plain functions so that a gtest can
// replay the fuzz corpora with gcc in CI. Each must never crash, leak or trip a sanitizer on
// any input, and aborts (LIAISON_CHECK) if a round-trip property fails. Stateless; thread-safe.
#pragma once

#include <string_view>

namespace liaison::ingest {

// Decodes `data` as one JSON attendance; if accepted, checks Decode(Encode(x)) == x.
void CheckAttendanceJsonInput(std::string_view data);

// Reads `data` as a CSV feed with small limits; every accepted attendance that fits the
// default layout must survive a CSV and a JSON round trip.
void CheckAttendanceCsvInput(std::string_view data);

// Reads `data` as a register upload CSV; accepted rows keep only valid NHS numbers, bounded
// values and a data-quality note exactly when they carry a warning; the counts add up.
void CheckRegisterCsvInput(std::string_view data);

// Reads `data` as a `liaison link` input CSV with a small record limit: every row is accepted
// or rejected with a line number; an accepted row has an id and a valid date when it has one;
// the line numbers never go backwards.
void CheckLinkCsvInput(std::string_view data);

}  // namespace liaison::ingest
