// Reads the few members of an NDJSON attendance line that say whose attendance it is, without
// decoding the line: enough to route raw lines to threads (one person's lines to one thread)
// before they are decoded there.
#pragma once

#include <optional>
#include <string_view>

namespace liaison::ingest {

// The members of an NDJSON attendance line that say whose it is, as views into the line.
struct RawPersonFields {
  std::string_view attendance_id;  // top-level "attendance_id"
  std::string_view site;           // top-level "site"
  std::string_view nhs_number;     // "patient"."nhs_number"; empty when the member is absent
  std::string_view local_id;       // "patient"."local_id"; empty when the member is absent
};

// Reads them without decoding the row, or nullopt when it cannot be sure the decoder would
// read the same values (escapes, duplicates, non-string values, ...).
//
// The promise: whenever this returns a value and AttendanceJsonDecoder accepts the same line,
// the decoded attendance_id, site, patient.local_id and patient.nhs_number->text are exactly
// these views (an empty view for a patient member that is absent). It promises nothing about
// whether the decoder accepts the line: a value is no sign that the line is valid, and a line
// for which this returns nullopt must simply be decoded to learn whose it is.
//
// It returns nullopt, so that the caller decodes, when the line:
// - does not start (after JSON whitespace) with '{', or its top-level object does not close,
//   or anything but JSON whitespace follows it;
// - has a key containing a backslash at the top level or directly inside "patient" (an escape
//   could spell a wanted name);
// - gives attendance_id, site, patient.local_id or patient.nhs_number a value that is not a
//   non-empty string free of backslashes (null and "" mean "not provided" to the decoder; an
//   escape would need decoding), or gives one of them twice;
// - gives "patient" twice, or a "patient" that is not an object;
// - lacks attendance_id or site (the decoder would reject it anyway);
// - has an nhs_number the decoder would rewrite: one starting or ending with a byte that is
//   not printable ASCII (it trims white space), or one of only digits, spaces and hyphens that
//   is not all digits (a valid "943 476 5919" is kept as its ten digits).
// A line with no "patient" gives empty nhs_number and local_id (the decoder rejects it).
//
// One pass, no allocation: the line is classified 64 bytes at a time into bit masks (quotes,
// brackets, colons; backslashes only when memchr finds one in the line), which give the
// strings, and so the nesting depth, without a branch per byte. Only colons at the top level
// and directly in patient are looked at; members deeper down are skipped whatever they are
// called. About 0.45 to 0.5 us for a 550-byte line on a shared 2-core EPYC (SSE2 only).
std::optional<RawPersonFields> ScanRawPersonFields(std::string_view line);

}  // namespace liaison::ingest
