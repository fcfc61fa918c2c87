// A compact binary form of domain::Attendance for the sweep's own temporary files (sorted runs
// spilled to disk) and for the history it keeps in memory. It is private to one run of one
// build of liaison: never a feed format, never stored, never read by anything else.
//
// Decode(Encode(a)) == a for every attendance. Decoding checks every length against the bytes
// it was given, so a truncated or corrupt run file fails with "corrupt_record", never a crash.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/attendance.h"

namespace liaison::review {

// Appends the binary form of `attendance` to `out`.
void AppendAttendanceRecord(const domain::Attendance& attendance, std::string& out);

// Decodes exactly one record that fills all of `bytes`.
Result<domain::Attendance> DecodeAttendanceRecord(std::string_view bytes);

}  // namespace liaison::review
