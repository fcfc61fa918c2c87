// The JSON codec of the attendance contract v1 (docs/attendance-contract.md): one attendance
// as a JSON object, decoded into domain::Attendance with the contract's rules, and encoded
// back in a canonical form.
//
// Decoding rules, in short: a missing member, null and "" all mean "not provided"; a missing
// explanation is not_recorded; unknown members are ignored and reported as warnings; a value
// outside an enumeration rejects the row naming the member as a JSON pointer
// ("/injuries/0/type"); an invalid NHS number is kept unverified with a warning;
// attendance_id, site, arrival and patient are required. Every input is bounded by
// AttendanceLimits.
//
// Round trip: for any attendance `a` that Decode produced, Decode(Encode(a)) == a.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/attendance.h"
#include "ingest/attendance_fields.h"

namespace liaison::ingest {

// An accepted row: the attendance, plus warnings about fields that were kept anyway.
struct DecodedAttendance {
  domain::Attendance attendance;
  std::vector<FieldWarning> warnings;
};

// The parsers an AttendanceJsonDecoder uses. Both give the same result for every input.
enum class JsonDecodePath {
  // simdjson for the rows it can decode with certainty, and the reference (Boost.JSON) for
  // every other row: errors, warnings about repeated keys, fractional numbers, anything odd.
  kFast,
  // The reference only: what the fast path is checked against (tests, benchmarks).
  kReference,
};

// Decodes attendances, reusing its parsers' memory from one call to the next, which is what
// makes NDJSON reading fast. Not thread-safe: use one decoder per thread.
class AttendanceJsonDecoder {
 public:
  explicit AttendanceJsonDecoder(AttendanceLimits limits = {},
                                 JsonDecodePath path = JsonDecodePath::kFast);
  ~AttendanceJsonDecoder();
  AttendanceJsonDecoder(const AttendanceJsonDecoder&) = delete;
  AttendanceJsonDecoder& operator=(const AttendanceJsonDecoder&) = delete;

  // Decodes one JSON object. A failure names the field (JSON pointer) and a stable reason
  // (see attendance_fields.h); its message never contains a value from the input.
  Result<DecodedAttendance> Decode(std::string_view json_text);
  // As Decode, into `out`, whose previous content is replaced; after a failure `out` holds
  // nothing of use. Lets a caller that keeps decoded rows in place reuse them.
  Status DecodeInto(std::string_view json_text, DecodedAttendance& out);
  // How many bytes DecodeIntoPadded may read past the end of a row.
  static constexpr std::size_t kPaddingBytes = 64;
  // As DecodeInto, for a row that is followed in memory by at least kPaddingBytes readable
  // bytes, of any value (the next lines of a block, say): the fast path then parses the row
  // where it lies instead of copying it into a padded buffer of its own.
  Status DecodeIntoPadded(std::string_view json_text, DecodedAttendance& out);

  // How many rows so far were accepted by the fast path (the rest went to the reference).
  std::uint64_t fast_rows() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One-off decode with default limits.
Result<DecodedAttendance> DecodeAttendanceJson(std::string_view json_text);

// The canonical JSON text of `attendance`: members in contract order, no whitespace,
// instants in UTC with microseconds, members not provided left out (explanation is always
// written). Appends to `out`, without a trailing newline.
void AppendAttendanceJson(const domain::Attendance& attendance, std::string& out);
std::string EncodeAttendanceJson(const domain::Attendance& attendance);

}  // namespace liaison::ingest
