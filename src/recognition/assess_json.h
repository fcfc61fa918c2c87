// The JSON of `liaison assess` and `POST /api/assess` (docs/recognition.md): the request is one
// attendance, or {"attendance": {...}, "history": [...]}; the answer is the assessment with
// its note. Attendances are decoded by the attendance contract's decoder (ingest/); the
// wrapper itself is strict: unknown members are rejected.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/attendance.h"
#include "ingest/attendance_fields.h"
#include "recognition/engine.h"

namespace liaison::recognition {

inline constexpr std::size_t kMaxHistory = 1000;

struct AssessRequest {
  domain::Attendance attendance;
  std::vector<domain::Attendance> history;
  // Fields kept with a warning (an unverified NHS number, unknown members), as JSON pointers
  // from the top of the request ("/attendance/patient/nhs_number", "/history/2/x").
  std::vector<ingest::FieldWarning> warnings;
};

// Fails with invalid_json, invalid_type (/attendance, /history, /history/N), unknown_field,
// too_many_items (/history), or the attendance decoder's failure with its field prefixed.
// Messages never hold a value from the input.
Result<AssessRequest> DecodeAssessRequest(std::string_view body);

// {"level": ..., "note": ..., "findings": [...]}: members in that order, no whitespace.
std::string EncodeAssessment(const Assessment& assessment);

// The rule catalogue as JSON: {"version", "concepts_version", "rules": [...]}.
std::string EncodeCatalogue(std::string_view concepts_version);

}  // namespace liaison::recognition
