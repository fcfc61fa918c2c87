// The CSV codec of the attendance contract v1: one attendance per record, in flat ECDS-like
// columns matched by header name (docs/attendance-contract.md lists them).
//
// Repeated items are numbered columns starting at 1 (injury_1_type, injury_1_site, ...,
// diagnosis_2_code, household_child_1_birth_date); lists of values (substances, concerns,
// safeguarding_concern_codes) are one column with items separated by ';'. An empty cell is
// "not provided", as in JSON. Row errors name the column rather than a JSON pointer, because
// that is what a person fixing a CSV file looks for.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/attendance.h"
#include "ingest/attendance_fields.h"
#include "ingest/attendance_json.h"

namespace liaison::ingest {

// How many numbered column groups a writer emits. A reader accepts any numbers up to
// AttendanceLimits::max_items. Plain value type.
struct CsvLayout {
  int injuries = 4;
  int diagnoses = 3;
  int household_children = 4;
};

// The header a writer emits for `layout`, in order.
std::vector<std::string> AttendanceCsvColumns(const CsvLayout& layout);
// The header line, with its line end.
std::string AttendanceCsvHeader(const CsvLayout& layout);
// One record with its line end. Fails with "too_many_items" when the attendance has more
// injuries, diagnoses or household children than the layout has columns for.
Status AppendAttendanceCsv(const domain::Attendance& attendance, const CsvLayout& layout,
                           std::string& out);

// Decodes records of one file, once its header is known. Immutable after Create; Decode may
// be called from one thread at a time.
class AttendanceCsvDecoder {
 public:
  // Maps the header. Fails (the file cannot be read) when a required column (attendance_id,
  // site, arrival) is missing ("missing_column") or a column appears twice
  // ("duplicate_column"). Unknown columns are ignored and listed in header_warnings().
  static Result<AttendanceCsvDecoder> Create(std::span<const std::string_view> header,
                                             AttendanceLimits limits = {});

  const std::vector<FieldWarning>& header_warnings() const { return header_warnings_; }

  // One record. A record with a different number of fields than the header is rejected
  // ("wrong_field_count").
  Result<DecodedAttendance> Decode(std::span<const std::string_view> fields) const;

  // How a header column maps onto the attendance; public only so that the .cc's tables can
  // name it.
  struct Column {
    int id = -1;    // index into the column table, or -1 for an unknown column
    int index = 0;  // 0-based item number for numbered columns
    std::string name;
  };

 private:
  AttendanceCsvDecoder() = default;

  AttendanceLimits limits_;
  std::vector<Column> columns_;
  std::vector<FieldWarning> header_warnings_;
};

}  // namespace liaison::ingest
