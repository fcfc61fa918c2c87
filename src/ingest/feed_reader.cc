#include "ingest/feed_reader.h"

#include <cstring>
#include <unordered_set>
#include <vector>

#include "ingest/attendance_csv.h"
#include "ingest/attendance_json.h"
#include "ingest/chunked_input.h"
#include "ingest/csv_reader.h"

namespace liaison::ingest {
namespace {

// Distinct unknown field names remembered per run; hostile input cannot grow this further.
constexpr std::size_t kMaxRememberedUnknownFields = 10000;

// Splits a stream into lines through a fixed buffer. A line longer than the bound is
// skipped to its end and flagged. Not thread-safe.
class LineReader {
 public:
  LineReader(std::istream& in, std::size_t max_line_bytes)
      : input_(in), max_line_bytes_(max_line_bytes) {}

  enum class Outcome { kLine, kTooLong, kEnd, kReadError };

  Outcome Next() {
    line_.clear();
    bool too_long = false;
    bool any = false;
    line_number_ = next_line_number_;
    for (;;) {
      std::string_view chunk = input_.Available();
      if (chunk.empty()) {
        if (input_.read_error()) return Outcome::kReadError;
        if (!any) return Outcome::kEnd;
        break;  // a last line without a newline is still a line
      }
      any = true;
      const void* newline = std::memchr(chunk.data(), '\n', chunk.size());
      std::size_t length =
          newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - chunk.data())
                  : chunk.size();
      if (!too_long) {
        if (line_.size() + length > max_line_bytes_) {
          too_long = true;
          line_.clear();
          line_.shrink_to_fit();
        } else {
          line_.append(chunk.data(), length);
        }
      }
      input_.Consume(newline ? length + 1 : length);
      if (newline) break;
    }
    ++next_line_number_;
    if (!line_.empty() && line_.back() == '\r') line_.pop_back();
    return too_long ? Outcome::kTooLong : Outcome::kLine;
  }

  std::string_view line() const { return line_; }
  std::int64_t line_number() const { return line_number_; }

 private:
  ChunkedInput input_;
  std::size_t max_line_bytes_;
  std::string line_;
  std::int64_t line_number_ = 0;
  std::int64_t next_line_number_ = 1;
};

bool IsBlank(std::string_view line) {
  for (char c : line) {
    if (c != ' ' && c != '\t' && c != '\r') return false;
  }
  return true;
}

// "/injuries/3/colour" -> "/injuries/*/colour": the same field name in another item.
std::string FieldName(std::string_view field) {
  std::string name;
  std::size_t i = 0;
  while (i < field.size()) {
    if (field[i] == '/' && i + 1 < field.size() && field[i + 1] >= '0' && field[i + 1] <= '9') {
      std::size_t j = i + 1;
      while (j < field.size() && field[j] >= '0' && field[j] <= '9') ++j;
      if (j == field.size() || field[j] == '/') {
        name += "/*";
        i = j;
        continue;
      }
    }
    name.push_back(field[i]);
    ++i;
  }
  return name;
}

// The bookkeeping shared by both formats.
class Run {
 public:
  explicit Run(FeedVisitor& visitor) : visitor_(visitor) {}

  void Reject(std::int64_t line, std::string field, std::string reason) {
    ++summary_.read;
    ++summary_.rejected;
    visitor_.OnIssue({line, std::move(field), std::move(reason), IssueKind::kRejected});
  }

  void Warn(std::int64_t line, const FieldWarning& warning) {
    if (warning.reason == reason::kUnknownField) {
      if (unknown_fields_.size() >= kMaxRememberedUnknownFields) return;
      if (!unknown_fields_.insert(FieldName(warning.field)).second) return;
    }
    ++summary_.warnings;
    visitor_.OnIssue({line, warning.field, warning.reason, IssueKind::kWarning});
  }

  Status Row(std::int64_t line, Result<DecodedAttendance> decoded) {
    if (!decoded.ok()) {
      Reject(line, decoded.status().field(), decoded.status().reason());
      return Status::Ok();
    }
    ++summary_.read;
    ++summary_.accepted;
    for (const FieldWarning& warning : decoded->warnings) Warn(line, warning);
    return visitor_.OnAttendance(line, std::move(decoded->attendance));
  }

  const FeedSummary& summary() const { return summary_; }

 private:
  FeedVisitor& visitor_;
  FeedSummary summary_;
  std::unordered_set<std::string> unknown_fields_;
};

Status ReadError() { return DataLoss("read_error", "the feed could not be read to its end"); }

Result<FeedSummary> ReadNdjson(std::istream& in, FeedVisitor& visitor,
                               const AttendanceLimits& limits) {
  Run run(visitor);
  LineReader lines(in, limits.max_row_bytes);
  AttendanceJsonDecoder decoder(limits);
  for (;;) {
    LineReader::Outcome outcome = lines.Next();
    if (outcome == LineReader::Outcome::kEnd) break;
    if (outcome == LineReader::Outcome::kReadError) return ReadError();
    if (outcome == LineReader::Outcome::kTooLong) {
      run.Reject(lines.line_number(), "", "line_too_long");
      continue;
    }
    if (IsBlank(lines.line())) continue;
    RETURN_IF_ERROR(run.Row(lines.line_number(), decoder.Decode(lines.line())));
  }
  return run.summary();
}

Result<FeedSummary> ReadCsv(std::istream& in, FeedVisitor& visitor,
                            const AttendanceLimits& limits) {
  Run run(visitor);
  CsvReader records(in, limits.max_row_bytes);
  CsvReader::Outcome outcome = records.Next();
  if (outcome == CsvReader::Outcome::kEnd) return run.summary();
  if (outcome == CsvReader::Outcome::kReadError) return ReadError();
  if (outcome == CsvReader::Outcome::kBadRecord) {
    return InvalidArgument("invalid_header", "the CSV header could not be read");
  }
  ASSIGN_OR_RETURN(AttendanceCsvDecoder decoder,
                   AttendanceCsvDecoder::Create(records.fields(), limits));
  for (const FieldWarning& warning : decoder.header_warnings()) {
    run.Warn(records.line(), warning);
  }
  for (;;) {
    outcome = records.Next();
    if (outcome == CsvReader::Outcome::kEnd) break;
    if (outcome == CsvReader::Outcome::kReadError) return ReadError();
    if (outcome == CsvReader::Outcome::kBadRecord) {
      run.Reject(records.line(), "", std::string(records.error()));
      continue;
    }
    RETURN_IF_ERROR(run.Row(records.line(), decoder.Decode(records.fields())));
  }
  return run.summary();
}

}  // namespace

Result<FeedFormat> FeedFormatFromName(std::string_view name) {
  if (name == "ndjson" || name == "jsonl") return FeedFormat::kNdjson;
  if (name == "csv") return FeedFormat::kCsv;
  return InvalidArgument("invalid_format", "the format must be ndjson, jsonl or csv", "--format");
}

Result<FeedFormat> FeedFormatFromPath(std::string_view path) {
  if (path.ends_with(".ndjson") || path.ends_with(".jsonl")) return FeedFormat::kNdjson;
  if (path.ends_with(".csv")) return FeedFormat::kCsv;
  return InvalidArgument("unknown_format",
                         "cannot tell the format from the file name; give --format", "--format");
}

Result<FeedSummary> ReadFeed(std::istream& in, FeedFormat format, FeedVisitor& visitor,
                             const AttendanceLimits& limits) {
  switch (format) {
    case FeedFormat::kNdjson:
      return ReadNdjson(in, visitor, limits);
    case FeedFormat::kCsv:
      return ReadCsv(in, visitor, limits);
  }
  return Internal("bad_format", "unhandled feed format");
}

std::string FormatSummary(const FeedSummary& summary) {
  return "read " + std::to_string(summary.read) + ", accepted " + std::to_string(summary.accepted) +
         ", rejected " + std::to_string(summary.rejected) + ", warnings " +
         std::to_string(summary.warnings);
}

std::string FormatIssue(const RowIssue& issue) {
  return "line " + std::to_string(issue.line) + ": " +
         (issue.field.empty() ? std::string("(row)") : issue.field) + ": " + issue.reason;
}

}  // namespace liaison::ingest
