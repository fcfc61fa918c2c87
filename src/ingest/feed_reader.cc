#include "ingest/feed_reader.h"

#include <condition_variable>
#include <cstring>
#include <functional>
#include <mutex>
#include <system_error>
#include <thread>
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

  // Appends the next line to `out`, without its newline or a '\r' before it. Appends nothing
  // unless the outcome is kLine.
  Outcome Next(std::string& out) {
    const std::size_t start = out.size();
    bool too_long = false;
    bool any = false;
    line_number_ = next_line_number_;
    for (;;) {
      std::string_view chunk = input_.Available();
      if (chunk.empty()) {
        if (input_.read_error()) {
          out.resize(start);
          return Outcome::kReadError;
        }
        if (!any) return Outcome::kEnd;
        break;  // a last line without a newline is still a line
      }
      any = true;
      const void* newline = std::memchr(chunk.data(), '\n', chunk.size());
      std::size_t length =
          newline ? static_cast<std::size_t>(static_cast<const char*>(newline) - chunk.data())
                  : chunk.size();
      if (!too_long) {
        if (out.size() - start + length > max_line_bytes_) {
          too_long = true;
          out.resize(start);
        } else {
          out.append(chunk.data(), length);
        }
      }
      input_.Consume(newline ? length + 1 : length);
      if (newline) break;
    }
    ++next_line_number_;
    if (too_long) return Outcome::kTooLong;
    if (out.size() > start && out.back() == '\r') out.pop_back();
    return Outcome::kLine;
  }

  // The number of the line Next() last returned.
  std::int64_t line_number() const { return line_number_; }

 private:
  ChunkedInput input_;
  std::size_t max_line_bytes_;
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

// The bookkeeping shared by both formats: counts, and issues reported in file order.
class Run {
 public:
  explicit Run(FeedIssueSink& issues) : issues_(issues) {}

  void Reject(std::int64_t line, std::string field, std::string reason) {
    ++summary_.read;
    ++summary_.rejected;
    issues_.OnIssue({line, std::move(field), std::move(reason), IssueKind::kRejected});
  }

  void Warn(std::int64_t line, const FieldWarning& warning) {
    if (warning.reason == reason::kUnknownField) {
      if (unknown_fields_.size() >= kMaxRememberedUnknownFields) return;
      if (!unknown_fields_.insert(FieldName(warning.field)).second) return;
    }
    ++summary_.warnings;
    issues_.OnIssue({line, warning.field, warning.reason, IssueKind::kWarning});
  }

  // An accepted row: counted, and its warnings reported.
  void Accept(std::int64_t line, const std::vector<FieldWarning>& warnings) {
    ++summary_.read;
    ++summary_.accepted;
    for (const FieldWarning& warning : warnings) Warn(line, warning);
  }

  const FeedSummary& summary() const { return summary_; }

 private:
  FeedIssueSink& issues_;
  FeedSummary summary_;
  std::unordered_set<std::string> unknown_fields_;
};

// A decoded row: rejected with `error`, or else accepted as `decoded`, whose attendance goes
// to the visitor.
Status HandOn(Run& run, FeedVisitor& visitor, std::int64_t line, const Status& error,
              DecodedAttendance& decoded) {
  if (!error.ok()) {
    run.Reject(line, error.field(), error.reason());
    return Status::Ok();
  }
  run.Accept(line, decoded.warnings);
  return visitor.OnAttendance(line, std::move(decoded.attendance));
}

Status HandOn(Run& run, FeedVisitor& visitor, std::int64_t line,
              Result<DecodedAttendance> decoded) {
  if (!decoded.ok()) {
    run.Reject(line, decoded.status().field(), decoded.status().reason());
    return Status::Ok();
  }
  return HandOn(run, visitor, line, Status::Ok(), *decoded);
}

Status ReadError() { return DataLoss("read_error", "the feed could not be read to its end"); }

// NDJSON on the calling thread alone.
Result<FeedSummary> ReadNdjson(std::istream& in, FeedVisitor& visitor,
                               const AttendanceLimits& limits) {
  Run run(visitor);
  LineReader lines(in, limits.max_row_bytes);
  AttendanceJsonDecoder decoder(limits);
  std::string line;
  DecodedAttendance decoded;
  for (;;) {
    line.clear();
    LineReader::Outcome outcome = lines.Next(line);
    if (outcome == LineReader::Outcome::kEnd) break;
    if (outcome == LineReader::Outcome::kReadError) return ReadError();
    if (outcome == LineReader::Outcome::kTooLong) {
      run.Reject(lines.line_number(), "", "line_too_long");
      continue;
    }
    if (IsBlank(line)) continue;
    Status error = decoder.DecodeInto(line, decoded);
    RETURN_IF_ERROR(HandOn(run, visitor, lines.line_number(), error, decoded));
  }
  return run.summary();
}

// Consecutive lines of an NDJSON feed, read by the calling thread, then decoded by one of the
// decoding threads, then handed on in file order by the calling thread. Its vectors keep
// their capacity from one use to the next.
struct LineBlock {
  struct Line {
    std::int64_t number = 0;
    std::size_t offset = 0;  // into text
    std::size_t size = 0;
    bool too_long = false;  // no text: the line is rejected as line_too_long
  };
  struct Decoded {
    Status error;  // the row is rejected when not ok
    DecodedAttendance row;
  };

  // What became of a line read by partitions: written by the one partition that owns it.
  struct Outcome {
    Status error;  // the row is rejected when not ok
    std::vector<FieldWarning> warnings;
  };

  void Clear() {
    text.clear();
    lines.clear();
    owners.clear();
  }

  std::string_view LineText(const Line& line) const {
    return std::string_view(text).substr(line.offset, line.size);
  }

  std::string text;  // the lines, back to back
  std::vector<Line> lines;
  std::vector<Decoded> decoded;  // one per line once decoded
  // Partitioned reading only, one per line: the owning partition, or -1 when every partition
  // decodes the row to find out; and what became of the row.
  std::vector<int> owners;
  std::vector<std::uint32_t> hints;  // as RawOwnerOf set them
  std::vector<Outcome> outcomes;
};

// A reader's own threads. Destroying it sets the owner's stopping flag under the owner's mutex,
// wakes the threads and joins them; so it is declared after everything the threads use, and
// is destroyed first.
class ReaderThreads {
 public:
  ReaderThreads(std::mutex& mutex, std::condition_variable& wake, bool& stopping)
      : mutex_(mutex), wake_(wake), stopping_(stopping) {}
  ~ReaderThreads() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    for (std::thread& thread : threads_) thread.join();
  }
  ReaderThreads(const ReaderThreads&) = delete;
  ReaderThreads& operator=(const ReaderThreads&) = delete;

  // Starts `count` threads running body(0) .. body(count - 1). Fails when the system refuses
  // one; those already started stop with the destructor.
  Status Start(int count, const std::function<void(int)>& body) {
    try {
      for (int i = 0; i < count; ++i) threads_.emplace_back(body, i);
    } catch (const std::system_error&) {
      return Unavailable("threads_unavailable", "could not start the feed's decoding threads");
    }
    return Status::Ok();
  }

 private:
  std::mutex& mutex_;
  std::condition_variable& wake_;
  bool& stopping_;
  std::vector<std::thread> threads_;
};

// A block is cut at whichever comes first. Blocks are big enough that handing them between
// threads costs little next to decoding them, and small enough that all in flight stay a
// few megabytes.
constexpr std::size_t kBlockLines = 512;
constexpr std::size_t kBlockBytes = 256 * 1024;

// Decoding threads and the ring of blocks they share with the calling thread. Block number n
// (counting from 0 in file order) lives in slot n % slots(). The calling thread fills a block
// and submits it; a decoding thread takes submitted blocks in order and decodes them; the
// calling thread waits for the oldest block in flight, hands its rows on, and only then
// fills its slot again. The destructor stops the threads and waits for them.
class BlockDecoders {
 public:
  BlockDecoders(const AttendanceLimits& limits, int threads)
      : limits_(limits),
        blocks_(2 * static_cast<std::size_t>(threads) + 2),
        decoded_(blocks_.size(), false) {}

  BlockDecoders(const BlockDecoders&) = delete;
  BlockDecoders& operator=(const BlockDecoders&) = delete;

  // Starts `threads` threads. Fails when the system refuses one.
  Status Start(int threads) {
    return threads_.Start(threads, [this](int) { DecodeBlocks(); });
  }

  std::size_t slots() const { return blocks_.size(); }

  // REQUIRES: block `number` is the one being filled, or in flight.
  LineBlock& Block(std::uint64_t number) { return blocks_[number % blocks_.size()]; }

  // Hands block `number`, filled, to the decoding threads.
  // REQUIRES: blocks are submitted once each, in order, fewer than slots() in flight.
  void Submit(std::uint64_t number) {
    {
      std::lock_guard lock(mutex_);
      decoded_[number % blocks_.size()] = false;
      submitted_ = number + 1;
    }
    work_ready_.notify_one();
  }

  // REQUIRES: block `number` was submitted and its slot not filled again since.
  bool IsDecoded(std::uint64_t number) {
    std::lock_guard lock(mutex_);
    return decoded_[number % blocks_.size()];
  }
  void WaitUntilDecoded(std::uint64_t number) {
    std::unique_lock lock(mutex_);
    block_done_.wait(lock, [&] { return decoded_[number % blocks_.size()]; });
  }

 private:
  void DecodeBlocks() {
    AttendanceJsonDecoder decoder(limits_);
    for (;;) {
      std::uint64_t number = 0;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [&] { return stopping_ || next_to_decode_ < submitted_; });
        if (stopping_) return;
        number = next_to_decode_++;
      }
      LineBlock& block = Block(number);
      block.decoded.resize(block.lines.size());
      for (std::size_t i = 0; i < block.lines.size(); ++i) {
        const LineBlock::Line& line = block.lines[i];
        if (line.too_long) continue;
        LineBlock::Decoded& decoded = block.decoded[i];
        decoded.error = decoder.DecodeIntoPadded(block.LineText(line), decoded.row);
      }
      {
        std::lock_guard lock(mutex_);
        decoded_[number % blocks_.size()] = true;
      }
      block_done_.notify_one();  // only the calling thread waits for it
    }
  }

  const AttendanceLimits limits_;
  std::vector<LineBlock> blocks_;  // a slot's block belongs to whoever holds it (see above)
  std::mutex mutex_;
  std::condition_variable work_ready_;  // a block was submitted, or stopping
  std::condition_variable block_done_;  // a block was decoded
  std::vector<bool> decoded_;           // guarded by mutex_; per slot
  bool stopping_ = false;               // guarded by mutex_
  std::uint64_t submitted_ = 0;         // guarded by mutex_; blocks [0, submitted_)
  std::uint64_t next_to_decode_ = 0;    // guarded by mutex_
  ReaderThreads threads_{mutex_, work_ready_, stopping_};  // last: stopped first
};

// Fills `block` with the next lines of the feed, up to the block bounds. Blank lines are
// skipped, as when reading alone. Returns the outcome that ended the block: kLine when it is
// full, else kEnd or kReadError.
LineReader::Outcome FillLines(LineReader& lines, LineBlock& block) {
  while (block.lines.size() < kBlockLines && block.text.size() < kBlockBytes) {
    const std::size_t offset = block.text.size();
    LineReader::Outcome outcome = lines.Next(block.text);
    if (outcome == LineReader::Outcome::kEnd || outcome == LineReader::Outcome::kReadError) {
      return outcome;
    }
    if (outcome == LineReader::Outcome::kTooLong) {
      block.lines.push_back({lines.line_number(), offset, 0, true});
      continue;
    }
    std::string_view line = std::string_view(block.text).substr(offset);
    if (IsBlank(line)) {
      block.text.resize(offset);
      continue;
    }
    block.lines.push_back({lines.line_number(), offset, line.size(), false});
  }
  return LineReader::Outcome::kLine;
}

// As FillLines, then pads the text, so that every line is followed by the bytes the decoder
// may read past its end (DecodeIntoPadded) and is decoded where it lies.
LineReader::Outcome FillBlock(LineReader& lines, LineBlock& block) {
  block.Clear();
  LineReader::Outcome outcome = FillLines(lines, block);
  block.text.append(AttendanceJsonDecoder::kPaddingBytes, ' ');
  return outcome;
}

// Hands a decoded block's rows to the run, in order.
Status Deliver(Run& run, FeedVisitor& visitor, LineBlock& block) {
  for (std::size_t i = 0; i < block.lines.size(); ++i) {
    const LineBlock::Line& line = block.lines[i];
    if (line.too_long) {
      run.Reject(line.number, "", "line_too_long");
      continue;
    }
    LineBlock::Decoded& decoded = block.decoded[i];
    RETURN_IF_ERROR(HandOn(run, visitor, line.number, decoded.error, decoded.row));
  }
  return Status::Ok();
}

// NDJSON with `threads` decoding threads; see the top of feed_reader.h.
Result<FeedSummary> ReadNdjsonInParallel(std::istream& in, FeedVisitor& visitor,
                                         const AttendanceLimits& limits, int threads) {
  Run run(visitor);
  LineReader lines(in, limits.max_row_bytes);
  BlockDecoders decoders(limits, threads);
  RETURN_IF_ERROR(decoders.Start(threads));
  std::uint64_t next_to_fill = 0;  // blocks [next_to_deliver, next_to_fill) are in flight
  std::uint64_t next_to_deliver = 0;
  auto deliver_oldest = [&]() -> Status {
    RETURN_IF_ERROR(Deliver(run, visitor, decoders.Block(next_to_deliver)));
    ++next_to_deliver;
    return Status::Ok();
  };
  LineReader::Outcome outcome = LineReader::Outcome::kLine;
  while (outcome == LineReader::Outcome::kLine) {
    if (next_to_fill - next_to_deliver == decoders.slots()) {
      decoders.WaitUntilDecoded(next_to_deliver);
      RETURN_IF_ERROR(deliver_oldest());
    }
    LineBlock& block = decoders.Block(next_to_fill);
    outcome = FillBlock(lines, block);
    if (!block.lines.empty()) decoders.Submit(next_to_fill++);
    // Hand on what is decoded already, so that the visitor keeps pace with the reading.
    while (next_to_deliver < next_to_fill && decoders.IsDecoded(next_to_deliver)) {
      RETURN_IF_ERROR(deliver_oldest());
    }
  }
  // Everything read before the end (or a read error) is handed on first, as when reading
  // alone.
  while (next_to_deliver < next_to_fill) {
    decoders.WaitUntilDecoded(next_to_deliver);
    RETURN_IF_ERROR(deliver_oldest());
  }
  if (outcome == LineReader::Outcome::kReadError) return ReadError();
  return run.summary();
}

// Blocks in flight between the calling thread and the partitions: enough that a partition
// running ahead of another (its rows cost more for a while) does not hold the reading up.
constexpr std::size_t kPartitionedSlots = 16;

// The partition threads and the ring of blocks they share with the calling thread. Block n
// (from 0, in file order) lives in slot n % kPartitionedSlots. Every partition goes through
// every block, in order, decoding the rows it owns; the calling thread reports a block once
// all partitions are done with it, and only then fills its slot again. The destructor stops
// the threads and waits for them.
class PartitionThreads {
 public:
  PartitionThreads(PartitionedFeedVisitor& visitor, const AttendanceLimits& limits, int partitions)
      : visitor_(visitor),
        limits_(limits),
        partitions_(partitions),
        blocks_(kPartitionedSlots),
        done_(kPartitionedSlots, 0) {}

  PartitionThreads(const PartitionThreads&) = delete;
  PartitionThreads& operator=(const PartitionThreads&) = delete;

  // Fails when the system refuses a thread.
  Status Start() {
    return threads_.Start(partitions_, [this](int partition) { Decode(partition); });
  }

  LineBlock& Block(std::uint64_t number) { return blocks_[number % blocks_.size()]; }

  // REQUIRES: blocks are submitted once each, in order, fewer than kPartitionedSlots in
  // flight.
  void Submit(std::uint64_t number) {
    {
      std::lock_guard lock(mutex_);
      done_[number % blocks_.size()] = 0;
      submitted_ = number + 1;
    }
    work_ready_.notify_all();
  }

  // Waits until every partition is done with block `number`, or one has failed: then false.
  bool WaitUntilDone(std::uint64_t number) {
    std::unique_lock lock(mutex_);
    block_done_.wait(lock, [&] { return !failure_.ok() || IsDoneLocked(number); });
    return failure_.ok();
  }
  bool IsDone(std::uint64_t number) {
    std::lock_guard lock(mutex_);
    return failure_.ok() && IsDoneLocked(number);
  }
  Status failure() {
    std::lock_guard lock(mutex_);
    return failure_;
  }

 private:
  bool IsDoneLocked(std::uint64_t number) const {
    return done_[number % blocks_.size()] == partitions_;
  }

  void Decode(int partition) {
    AttendanceJsonDecoder decoder(limits_);
    DecodedAttendance row;
    for (std::uint64_t number = 0;; ++number) {
      bool failed = false;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [&] { return stopping_ || number < submitted_; });
        if (stopping_) return;
        failed = !failure_.ok();
      }
      // After a failure the run is over: blocks are only marked done until it stops.
      Status decoded = failed ? Status::Ok() : DecodeOwned(partition, Block(number), decoder, row);
      {
        std::lock_guard lock(mutex_);
        if (!decoded.ok() && failure_.ok()) failure_ = std::move(decoded);
        ++done_[number % blocks_.size()];
      }
      block_done_.notify_one();  // only the calling thread waits for it
    }
  }

  // Decodes the rows of `block` that `partition` owns, writes their outcomes and hands the
  // accepted ones on. A row no partition could claim unseen is decoded by all; its owner is
  // then settled by OwnerOf (rejected rows by partition 0), so exactly one reports it.
  Status DecodeOwned(int partition, LineBlock& block, AttendanceJsonDecoder& decoder,
                     DecodedAttendance& row) {
    for (std::size_t i = 0; i < block.lines.size(); ++i) {
      const LineBlock::Line& line = block.lines[i];
      const int owner = block.owners[i];
      if (line.too_long || (owner >= 0 && owner != partition)) continue;
      if (owner >= 0) visitor_.WillDecode(partition, block.hints[i]);
      Status error = decoder.DecodeIntoPadded(block.LineText(line), row);
      if (owner < 0 && partition != (error.ok() ? visitor_.OwnerOf(row.attendance) : 0)) continue;
      LineBlock::Outcome& outcome = block.outcomes[i];
      outcome.warnings.clear();
      if (!error.ok()) {
        outcome.error = std::move(error);
        continue;
      }
      outcome.error = Status::Ok();
      outcome.warnings.insert(outcome.warnings.end(), row.warnings.begin(), row.warnings.end());
      RETURN_IF_ERROR(visitor_.OnAttendance(partition, line.number, row.attendance));
    }
    return Status::Ok();
  }

  PartitionedFeedVisitor& visitor_;
  const AttendanceLimits limits_;
  const int partitions_;
  std::vector<LineBlock> blocks_;  // a slot's block belongs to whoever holds it (see above)
  std::mutex mutex_;
  std::condition_variable work_ready_;  // a block was submitted, or stopping
  std::condition_variable block_done_;  // a partition finished a block, or failed
  std::vector<int> done_;               // guarded by mutex_; partitions done, per slot
  Status failure_ = Status::Ok();       // guarded by mutex_; the first partition failure
  bool stopping_ = false;               // guarded by mutex_
  std::uint64_t submitted_ = 0;         // guarded by mutex_; blocks [0, submitted_)
  ReaderThreads threads_{mutex_, work_ready_, stopping_};  // last: stopped first
};

// Asks the visitor which partition owns each line of a filled block.
void RouteBlock(PartitionedFeedVisitor& visitor, LineBlock& block) {
  block.owners.resize(block.lines.size());
  block.hints.resize(block.lines.size());
  block.outcomes.resize(block.lines.size());
  for (std::size_t i = 0; i < block.lines.size(); ++i) {
    const LineBlock::Line& line = block.lines[i];
    block.hints[i] = 0;
    block.owners[i] =
        line.too_long ? -1 : visitor.RawOwnerOf(block.LineText(line), block.hints[i]).value_or(-1);
  }
}

// Reports a block every partition is done with, in file order.
void Report(Run& run, PartitionedFeedVisitor& visitor, const LineBlock& block) {
  for (std::size_t i = 0; i < block.lines.size(); ++i) {
    const LineBlock::Line& line = block.lines[i];
    const LineBlock::Outcome& outcome = block.outcomes[i];
    if (line.too_long) {
      run.Reject(line.number, "", "line_too_long");
    } else if (!outcome.error.ok()) {
      run.Reject(line.number, outcome.error.field(), outcome.error.reason());
    } else {
      run.Accept(line.number, outcome.warnings);
    }
  }
  if (!block.lines.empty())
    visitor.OnReportedThrough(block.lines.back().number, run.summary().read);
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
    RETURN_IF_ERROR(HandOn(run, visitor, records.line(), decoder.Decode(records.fields())));
  }
  return run.summary();
}

}  // namespace

Result<FeedSummary> ReadNdjsonPartitioned(std::istream& in, PartitionedFeedVisitor& visitor,
                                          int partitions, const AttendanceLimits& limits) {
  if (partitions < 1) {
    return InvalidArgument("invalid_threads", "there must be at least one partition");
  }
  Run run(visitor);
  LineReader lines(in, limits.max_row_bytes);
  PartitionThreads threads(visitor, limits, partitions);
  RETURN_IF_ERROR(threads.Start());
  std::uint64_t next_to_fill = 0;  // blocks [next_to_report, next_to_fill) are in flight
  std::uint64_t next_to_report = 0;
  auto report_oldest = [&] { Report(run, visitor, threads.Block(next_to_report++)); };
  LineReader::Outcome outcome = LineReader::Outcome::kLine;
  while (outcome == LineReader::Outcome::kLine) {
    if (next_to_fill - next_to_report == kPartitionedSlots) {
      if (!threads.WaitUntilDone(next_to_report)) return threads.failure();
      report_oldest();
    }
    LineBlock& block = threads.Block(next_to_fill);
    outcome = FillBlock(lines, block);
    RouteBlock(visitor, block);
    if (!block.lines.empty()) threads.Submit(next_to_fill++);
    while (next_to_report < next_to_fill && threads.IsDone(next_to_report)) report_oldest();
  }
  while (next_to_report < next_to_fill) {
    if (!threads.WaitUntilDone(next_to_report)) return threads.failure();
    report_oldest();
  }
  RETURN_IF_ERROR(threads.failure());
  if (outcome == LineReader::Outcome::kReadError) return ReadError();
  return run.summary();
}

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
                             const FeedReadOptions& options) {
  switch (format) {
    case FeedFormat::kNdjson:
      if (options.decode_threads > 1) {
        return ReadNdjsonInParallel(in, visitor, options.limits, options.decode_threads);
      }
      return ReadNdjson(in, visitor, options.limits);
    case FeedFormat::kCsv:
      return ReadCsv(in, visitor, options.limits);
  }
  return Internal("bad_format", "unhandled feed format");
}

Result<FeedSummary> ReadFeed(std::istream& in, FeedFormat format, FeedVisitor& visitor,
                             const AttendanceLimits& limits) {
  return ReadFeed(in, format, visitor, FeedReadOptions{.limits = limits});
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
