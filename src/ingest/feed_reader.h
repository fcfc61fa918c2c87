// Streaming readers for attendance feeds: NDJSON (one attendance per line) and CSV (a header,
// then one attendance per record). They read from a std::istream through a fixed buffer, so
// memory stays flat whatever the file size; a row longer than AttendanceLimits::max_row_bytes
// is skipped and reported, and the rest of the file goes on.
//
// Every row ends up in exactly one of: accepted (handed to the visitor), or rejected (an issue
// naming the line, the field and the reason). Warnings (unknown fields, unverified NHS
// numbers, ...) go with accepted rows. Unknown fields are reported once per field name per
// run. Nothing is dropped silently.
//
// Threads: by default the calling thread does all the work. With FeedReadOptions::
// decode_threads above 1, NDJSON rows are decoded by that many threads of the reader's own:
// the calling thread cuts the stream into blocks of whole lines (numbering every line,
// skipping blank ones and flagging too-long ones exactly as it does alone), the decoding
// threads decode whole blocks, and the calling thread hands the results to the visitor
// strictly in file order. A bounded number of blocks is in flight, so memory stays flat
// whatever the file size. The visitor gets the same calls in the same order either way,
// always on the calling thread. CSV is always read on the calling thread alone: a quoted
// field may span lines, so a CSV stream cannot be cut into records without parsing it.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "domain/attendance.h"
#include "ingest/attendance_fields.h"

namespace liaison::ingest {

enum class FeedFormat { kNdjson, kCsv };

// "ndjson", "jsonl" or "csv". Fails with "invalid_format".
Result<FeedFormat> FeedFormatFromName(std::string_view name);
// From the file extension: .ndjson, .jsonl, .csv. Fails with "unknown_format".
Result<FeedFormat> FeedFormatFromPath(std::string_view path);

enum class IssueKind { kRejected, kWarning };

// One line of the feed report. `field` is a JSON pointer (NDJSON), a column name (CSV), or
// empty when the problem is with the row as a whole.
struct RowIssue {
  std::int64_t line = 0;
  std::string field;
  std::string reason;
  IssueKind kind = IssueKind::kRejected;
};

struct FeedSummary {
  std::int64_t read = 0;
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
  std::int64_t warnings = 0;

  friend bool operator==(const FeedSummary&, const FeedSummary&) = default;
};

// Where a feed run reports rejected rows and warnings, in file order, on the reading thread.
class FeedIssueSink {
 public:
  virtual ~FeedIssueSink() = default;
  FeedIssueSink() = default;
  FeedIssueSink(const FeedIssueSink&) = delete;
  FeedIssueSink& operator=(const FeedIssueSink&) = delete;

  // A rejected row, or a warning about an accepted one (reported before its OnAttendance).
  virtual void OnIssue(const RowIssue& issue) = 0;
};

// Receives what a feed run finds, in file order. Implemented by the caller (the validate
// command, the importer); called on the reading thread only.
class FeedVisitor : public FeedIssueSink {
 public:
  // An accepted attendance and the line it began on, which the visitor may move from (the
  // reader's copy is not used again). A failure stops the run: ReadFeed returns it (for
  // example, the database went away).
  virtual Status OnAttendance(std::int64_t line, domain::Attendance&& attendance) = 0;
};

// Receives an NDJSON feed read by ReadNdjsonPartitioned: each row belongs to one of N
// partitions, and is decoded and handed on by that partition's own thread, so a row is
// decoded and used on one core. Issues still come in file order on the calling thread.
class PartitionedFeedVisitor : public FeedIssueSink {
 public:
  // The partition, in [0, N), that owns the row of this raw line, or nullopt when that cannot
  // be told without decoding it: every partition then decodes the row and asks OwnerOf. May
  // set `hint` for WillDecode. Called on the calling thread only.
  virtual std::optional<int> RawOwnerOf(std::string_view line, std::uint32_t& hint) = 0;
  // Called on `partition`'s thread just before it decodes a row RawOwnerOf gave it, with the
  // hint RawOwnerOf set: a chance to bring into cache what the row will need once decoded.
  virtual void WillDecode(int partition, std::uint32_t hint) {}
  // The partition that owns an accepted row. Called on any partition's thread. REQUIRES: the
  // same answer as RawOwnerOf gave for the row's line, when it gave one.
  virtual int OwnerOf(const domain::Attendance& attendance) const = 0;
  // An accepted row, on its partition's thread; a partition gets its rows in file order. The
  // attendance is lent for the call only. A failure stops the run, which returns it.
  virtual Status OnAttendance(int partition, std::int64_t line,
                              const domain::Attendance& attendance) = 0;
  // Every row up to `line` (`rows` of them) has been handed on and its issues reported.
  // Called on the calling thread.
  virtual void OnReportedThrough(std::int64_t line, std::int64_t rows) = 0;
};

struct FeedReadOptions {
  AttendanceLimits limits;
  // Threads that decode NDJSON rows while the calling thread reads (see the top of this
  // file); 1 or less decodes on the calling thread. CSV ignores it.
  int decode_threads = 1;
};

// Reads the whole feed. Fails only when the run cannot go on: a read error, a CSV header
// without the required columns, a visitor failure, or decoding threads that cannot start.
// Row problems are issues, not failures. Reading stops at the first failure; everything
// before it in the file has been handed to the visitor.
Result<FeedSummary> ReadFeed(std::istream& in, FeedFormat format, FeedVisitor& visitor,
                             const FeedReadOptions& options);
// The same, decoding on the calling thread.
Result<FeedSummary> ReadFeed(std::istream& in, FeedFormat format, FeedVisitor& visitor,
                             const AttendanceLimits& limits = {});

// Reads an NDJSON feed with `partitions` threads of its own, each decoding and handing on the
// rows it owns (see PartitionedFeedVisitor); the calling thread cuts the stream into blocks
// of lines, asks RawOwnerOf of each, and reports issues in file order once every partition
// is done with a block. Rows and issues are exactly those ReadFeed finds. On a failure (a
// read error, a visitor failure, threads that cannot start) the issues reported are those of
// the rows up to the last OnReportedThrough.
Result<FeedSummary> ReadNdjsonPartitioned(std::istream& in, PartitionedFeedVisitor& visitor,
                                          int partitions, const AttendanceLimits& limits = {});

// "read N, accepted A, rejected R, warnings W", the contract's summary line.
std::string FormatSummary(const FeedSummary& summary);
// "line N: FIELD: reason"; FIELD is "(row)" when the issue concerns the whole row.
std::string FormatIssue(const RowIssue& issue);

}  // namespace liaison::ingest
