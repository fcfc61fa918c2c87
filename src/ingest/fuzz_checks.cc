#include "ingest/fuzz_checks.h"

#include <sstream>
#include <vector>

#include "common/check.h"
#include "ingest/attendance_csv.h"
#include "ingest/attendance_json.h"
#include "ingest/csv_reader.h"
#include "ingest/feed_reader.h"
#include "ingest/link_csv.h"
#include "ingest/register_csv.h"

namespace liaison::ingest {
namespace {

void CheckJsonRoundTrip(const domain::Attendance& attendance) {
  std::string encoded = EncodeAttendanceJson(attendance);
  Result<DecodedAttendance> again = DecodeAttendanceJson(encoded);
  // The encoder's output must always decode, to the same value.
  LIAISON_CHECK(again.ok());
  LIAISON_CHECK(again->attendance == attendance);
}

void CheckCsvRoundTrip(const domain::Attendance& attendance) {
  CsvLayout layout;
  std::string text = AttendanceCsvHeader(layout);
  if (!AppendAttendanceCsv(attendance, layout, text).ok()) return;  // more items than columns
  std::istringstream in(text);
  CsvReader reader(in, 1 << 20);
  LIAISON_CHECK(reader.Next() == CsvReader::Outcome::kRecord);
  std::vector<std::string> header(reader.fields().begin(), reader.fields().end());
  std::vector<std::string_view> views(header.begin(), header.end());
  Result<AttendanceCsvDecoder> decoder = AttendanceCsvDecoder::Create(views);
  LIAISON_CHECK(decoder.ok());
  LIAISON_CHECK(reader.Next() == CsvReader::Outcome::kRecord);
  Result<DecodedAttendance> again = decoder->Decode(reader.fields());
  LIAISON_CHECK(again.ok());
  LIAISON_CHECK(again->attendance == attendance);
}

class RoundTripVisitor final : public FeedVisitor {
 public:
  Status OnAttendance(std::int64_t, domain::Attendance&& attendance) override {
    CheckJsonRoundTrip(attendance);
    CheckCsvRoundTrip(attendance);
    return Status::Ok();
  }
  void OnIssue(const RowIssue&) override {}
};

}  // namespace

void CheckAttendanceJsonInput(std::string_view data) {
  Result<DecodedAttendance> decoded = DecodeAttendanceJson(data);
  if (!decoded.ok()) return;
  CheckJsonRoundTrip(decoded->attendance);
  CheckCsvRoundTrip(decoded->attendance);
}

void CheckAttendanceCsvInput(std::string_view data) {
  std::istringstream in{std::string(data)};
  AttendanceLimits limits;
  limits.max_row_bytes = 4096;  // small, so the fuzzer reaches the too-long paths
  RoundTripVisitor visitor;
  Result<FeedSummary> summary = ReadFeed(in, FeedFormat::kCsv, visitor, limits);
  if (summary.ok()) LIAISON_CHECK(summary->read == summary->accepted + summary->rejected);
}

void CheckLinkCsvInput(std::string_view data) {
  std::istringstream in{std::string(data)};
  LinkCsvReader reader(in, 512);
  if (!reader.ReadHeader().ok()) return;
  LinkRow row;
  std::vector<RowIssue> issues;
  std::int64_t last_line = 0;
  for (;;) {
    Result<LinkCsvReader::Outcome> outcome = reader.Next(row, issues);
    if (!outcome.ok() || *outcome == LinkCsvReader::Outcome::kEnd) return;
    for (const RowIssue& issue : issues) {
      LIAISON_CHECK(issue.line > last_line);
      LIAISON_CHECK(!issue.reason.empty());
    }
    if (*outcome == LinkCsvReader::Outcome::kRow) {
      LIAISON_CHECK(!row.id.empty());
      LIAISON_CHECK(row.line > last_line);
      LIAISON_CHECK(!row.birth_date || row.birth_date->ok());
      last_line = row.line;
    } else {
      LIAISON_CHECK(!issues.empty());
      last_line = issues.front().line;
    }
  }
}

}  // namespace liaison::ingest

namespace liaison::ingest {
namespace {

// Checks each accepted register row's invariants, and every issue's shape.
class RegisterCheckVisitor final : public RegisterVisitor {
 public:
  Result<std::optional<RowIssue>> OnRow(RegisterRow row) override {
    LIAISON_CHECK(!row.entry.local_id.empty());
    LIAISON_CHECK(row.line >= 2);
    if (row.action == RegisterAction::kUpsert) {
      // A kept NHS number is always a valid one; its digits parse again.
      if (row.entry.nhs_number) {
        LIAISON_CHECK(domain::NhsNumber::Parse(row.entry.nhs_number->digits()).ok());
      }
      LIAISON_CHECK(row.entry.given_name.size() <= kMaxRegisterFieldBytes);
      LIAISON_CHECK(row.warnings.empty() == row.entry.data_quality.empty());
    }
    ++rows;
    return std::optional<RowIssue>();
  }
  void OnIssue(const RowIssue& issue) override { LIAISON_CHECK(!issue.reason.empty()); }
  std::int64_t rows = 0;
};

}  // namespace

void CheckRegisterCsvInput(std::string_view data) {
  std::istringstream in{std::string(data)};
  RegisterCheckVisitor visitor;
  Result<FeedSummary> summary = ReadRegisterCsv(in, visitor);
  if (summary.ok()) {
    LIAISON_CHECK(summary->read == summary->accepted + summary->rejected);
    LIAISON_CHECK(summary->accepted == visitor.rows);
  }
}

}  // namespace liaison::ingest
