#include "ingest/feed_reader.h"

#include <algorithm>
#include <sstream>
#include <streambuf>

#include <gtest/gtest.h>

#include "ingest/attendance_csv.h"
#include "ingest/attendance_json.h"

namespace liaison::ingest {
namespace {

// Records what a run reports, as the lines the CLI would print.
class RecordingVisitor final : public FeedVisitor {
 public:
  Status OnAttendance(std::int64_t line, domain::Attendance&& attendance) override {
    accepted.push_back(std::to_string(line) + ":" + attendance.attendance_id);
    return Status::Ok();
  }
  void OnIssue(const RowIssue& issue) override { issues.push_back(FormatIssue(issue)); }

  std::vector<std::string> accepted;
  std::vector<std::string> issues;
};

const std::string kRow1 =
    R"({"attendance_id":"A1","site":"S","arrival":"2026-01-02T03:04:05Z","patient":{}})";
const std::string kRow2 =
    R"({"attendance_id":"A2","site":"S","arrival":"2026-01-02T03:04:05Z","patient":{},"x":1})";

Result<FeedSummary> ReadText(const std::string& text, FeedFormat format, RecordingVisitor& visitor,
                             std::size_t max_row = 1 << 20) {
  std::istringstream in(text);
  AttendanceLimits limits;
  limits.max_row_bytes = max_row;
  return ReadFeed(in, format, visitor, limits);
}

TEST(FeedReaderTest, NdjsonCountsEveryRow) {
  std::string text = kRow1 + "\n" + kRow2 + "\n\n" +
                     R"({"attendance_id":"A3","site":"S","arrival":"bad","patient":{}})" + "\n" +
                     kRow2 + "\r\n" + "not json\n";
  for (int threads : {1, 2, 4}) {
    RecordingVisitor visitor;
    std::istringstream in(text);
    Result<FeedSummary> summary =
        ReadFeed(in, FeedFormat::kNdjson, visitor, FeedReadOptions{{}, threads});
    ASSERT_TRUE(summary.ok());
    EXPECT_EQ(*summary, (FeedSummary{5, 3, 2, 1}));
    EXPECT_EQ(FormatSummary(*summary), "read 5, accepted 3, rejected 2, warnings 1");
    EXPECT_EQ(visitor.accepted, (std::vector<std::string>{"1:A1", "2:A2", "5:A2"}));
    // The unknown field is reported once per run, not once per row.
    EXPECT_EQ(visitor.issues, (std::vector<std::string>{"line 2: /x: unknown_field",
                                                        "line 4: /arrival: invalid_datetime",
                                                        "line 6: (row): invalid_json"}));
  }
}

TEST(FeedReaderTest, EmptyFilesReadNothing) {
  for (FeedFormat format : {FeedFormat::kNdjson, FeedFormat::kCsv}) {
    for (std::string text : {std::string(), std::string("\n\n"), std::string("\xEF\xBB\xBF")}) {
      RecordingVisitor visitor;
      Result<FeedSummary> summary = ReadText(text, format, visitor);
      ASSERT_TRUE(summary.ok());
      EXPECT_EQ(*summary, FeedSummary{});
    }
  }
}

TEST(FeedReaderTest, ALineLongerThanTheCapIsRejectedAndTheRestGoesOn) {
  RecordingVisitor visitor;
  std::string huge =
      R"({"attendance_id":"A9","site":"S","notes":")" + std::string(300000, 'x') + "\"}";
  Result<FeedSummary> summary =
      ReadText(kRow1 + "\n" + huge + "\n" + kRow1 + "\n", FeedFormat::kNdjson, visitor, 4096);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(*summary, (FeedSummary{3, 2, 1, 0}));
  EXPECT_EQ(visitor.issues, (std::vector<std::string>{"line 2: (row): line_too_long"}));
}

TEST(FeedReaderTest, TruncatedLastLineIsReadAndRejected) {
  RecordingVisitor visitor;
  Result<FeedSummary> summary =
      ReadText(kRow1 + "\n" + kRow1.substr(0, 30), FeedFormat::kNdjson, visitor);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(*summary, (FeedSummary{2, 1, 1, 0}));
  EXPECT_EQ(visitor.issues, (std::vector<std::string>{"line 2: (row): invalid_json"}));
  // A complete last line without a newline is fine.
  RecordingVisitor second;
  EXPECT_EQ(*ReadText(kRow1, FeedFormat::kNdjson, second), (FeedSummary{1, 1, 0, 0}));
}

TEST(FeedReaderTest, ByteOrderMarkAndWrongEncodings) {
  RecordingVisitor visitor;
  std::string latin1 =
      "{\"attendance_id\":\"A1\",\"site\":\"S\",\"arrival\":\"2026-01-02T03:04:05Z\","
      "\"patient\":{\"given_name\":\"Zo\xEB\"}}";
  Result<FeedSummary> summary =
      ReadText("\xEF\xBB\xBF" + kRow1 + "\n" + latin1 + "\n", FeedFormat::kNdjson, visitor);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(*summary, (FeedSummary{2, 1, 1, 0}));
  EXPECT_EQ(visitor.issues, (std::vector<std::string>{"line 2: (row): invalid_utf8"}));
}

TEST(FeedReaderTest, CsvRowsReportLinesAndColumns) {
  RecordingVisitor visitor;
  std::string text =
      "attendance_id,site,arrival,department,colour\r\n"
      "A1,S,2026-01-02T03:04:05Z,emergency,red\r\n"
      "A2,S,2026-01-02T03:04:05Z,A&E,red\r\n"
      "\"A3\nstill A3\",S,2026-01-02T03:04:05Z,,\r\n"
      "A4,S,2026-01-02T03:04:05Z,\"unterminated\r\n";
  Result<FeedSummary> summary = ReadText(text, FeedFormat::kCsv, visitor);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(*summary, (FeedSummary{4, 2, 2, 1}));
  EXPECT_EQ(visitor.accepted, (std::vector<std::string>{"2:A1", "4:A3\nstill A3"}));
  EXPECT_EQ(visitor.issues, (std::vector<std::string>{"line 1: colour: unknown_field",
                                                      "line 3: department: invalid_enum",
                                                      "line 6: (row): unterminated_quote"}));
}

TEST(FeedReaderTest, CsvWithoutRequiredColumnsCannotRun) {
  RecordingVisitor visitor;
  Result<FeedSummary> summary =
      ReadText("site,arrival\nS,2026-01-02T03:04:05Z\n", FeedFormat::kCsv, visitor);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().reason(), "missing_column");
}

TEST(FeedReaderTest, AVisitorFailureStopsTheRun) {
  class Failing final : public FeedVisitor {
    Status OnAttendance(std::int64_t, domain::Attendance&&) override {
      return Unavailable("store_down", "the store is unavailable");
    }
    void OnIssue(const RowIssue&) override {}
  } visitor;
  std::istringstream in(kRow1 + "\n" + kRow1 + "\n");
  EXPECT_EQ(ReadFeed(in, FeedFormat::kNdjson, visitor).status().reason(), "store_down");
}

// Records every visitor call, in order, as one log, so that two runs can be compared whole.
class LoggingVisitor final : public FeedVisitor {
 public:
  // Fails the call for the `fail_at`th accepted attendance (counting from 1); 0 never fails.
  explicit LoggingVisitor(int fail_at = 0) : fail_at_(fail_at) {}

  Status OnAttendance(std::int64_t line, domain::Attendance&& attendance) override {
    log.push_back("accepted " + std::to_string(line) + " " + attendance.attendance_id);
    if (++attendances_ == fail_at_) return Unavailable("store_down", "the store is unavailable");
    return Status::Ok();
  }
  void OnIssue(const RowIssue& issue) override {
    log.push_back((issue.kind == IssueKind::kWarning ? "warning " : "rejected ") +
                  FormatIssue(issue));
  }

  std::vector<std::string> log;

 private:
  int fail_at_;
  int attendances_ = 0;
};

// A feed with every kind of line, long enough to fill many blocks of the parallel reader
// (and its ring of blocks several times over): valid rows, rejected rows (bad JSON, wrong
// types, bad values, truncated), warnings (unknown fields, repeated across the feed and
// reported once; unverified NHS numbers), blank and whitespace lines, CRLF endings, lines
// over the row limit, rows big enough to cut blocks by size, and no final newline.
std::string MixedFeed(std::size_t max_row) {
  std::string feed;
  for (int i = 1; i <= 12000; ++i) {
    std::string id = "\"attendance_id\":\"A" + std::to_string(i) + "\"";
    std::string row = "{" + id + R"(,"site":"S","arrival":"2026-01-02T03:04:05Z","patient":{)";
    switch (i % 17) {
      case 0:
        row += R"("nhs_number":"1234567890"}})";  // unverified: a warning
        break;
      case 1:
        row += R"(},"colour_)" + std::to_string(i % 5) + R"(":1})";  // unknown, repeated
        break;
      case 2:
        row += R"(},"department":"space"})";  // rejected
        break;
      case 3:
        row = row.substr(0, row.size() / 2);  // truncated: invalid_json
        break;
      case 4:
        row.clear();  // a blank line
        break;
      case 5:
        row = " \t ";
        break;
      case 6:
        row += "}}\r";  // CRLF
        break;
      case 7:
        row += R"(},"notes":")" + std::string(max_row, 'x') + "\"}";  // over the limit
        break;
      case 8:
        row += R"(},"notes":")" + std::string(max_row - 200, 'n') + "\"}";  // big, accepted
        break;
      case 9:
        row += R"(},"injuries":[{"type":"bruise","shade":1},{"type":"burn","count":0}]})";
        break;
      case 10:
        row += R"("birth_date":"2030-01-01"},"injuries":[null,{"type":"bruise","hue":2}]})";
        break;
      case 11:
        row = "[1,2]";
        break;
      default:
        row += "}}";
    }
    feed += row;
    if (i < 12000) feed += "\n";
  }
  return feed;
}

std::vector<std::string> ReadLog(const std::string& text, int threads, std::size_t max_row,
                                 int fail_at = 0) {
  std::istringstream in(text);
  FeedReadOptions options;
  options.limits.max_row_bytes = max_row;
  options.decode_threads = threads;
  LoggingVisitor visitor(fail_at);
  Result<FeedSummary> summary = ReadFeed(in, FeedFormat::kNdjson, visitor, options);
  visitor.log.push_back(summary.ok() ? FormatSummary(*summary)
                                     : "failed " + summary.status().reason());
  return visitor.log;
}

TEST(FeedReaderTest, ParallelDecodingReportsExactlyWhatOneThreadDoes) {
  constexpr std::size_t kMaxRow = 4096;
  const std::string feed = MixedFeed(kMaxRow);
  const std::vector<std::string> alone = ReadLog(feed, 1, kMaxRow);
  // 12000 lines, 1412 of them blank; 5 of every 17 rows rejected; 705 unverified NHS numbers,
  // 706 birth dates after arrival, and 6 unknown field names, each reported once per run.
  ASSERT_EQ(alone.back(), "read 10588, accepted 7058, rejected 3530, warnings 1417");
  const std::vector<std::string> first_entries(alone.begin(), alone.begin() + 11);
  EXPECT_EQ(first_entries, (std::vector<std::string>{
                               "warning line 1: /colour_1: unknown_field",
                               "accepted 1 A1",
                               "rejected line 2: /department: invalid_enum",
                               "rejected line 3: (row): invalid_json",
                               "accepted 6 A6",
                               "rejected line 7: (row): line_too_long",
                               "accepted 8 A8",
                               "rejected line 9: /injuries/1/count: out_of_range",
                               "warning line 10: /injuries/1/hue: unknown_field",
                               "warning line 10: /patient/birth_date: birth_date_after_arrival",
                               "accepted 10 A10",
                           }));
  EXPECT_EQ(std::count_if(alone.begin(), alone.end(),
                          [](const std::string& entry) {
                            return entry.find("/colour_1:") != std::string::npos;
                          }),
            1);
  for (int threads : {2, 4}) {
    EXPECT_EQ(ReadLog(feed, threads, kMaxRow), alone) << threads << " threads";
  }
}

TEST(FeedReaderTest, ParallelDecodingStopsAtTheSameVisitorFailure) {
  constexpr std::size_t kMaxRow = 4096;
  const std::string feed = MixedFeed(kMaxRow);
  for (int fail_at : {1, 3000}) {
    const std::vector<std::string> alone = ReadLog(feed, 1, kMaxRow, fail_at);
    ASSERT_EQ(alone.back(), "failed store_down");
    for (int threads : {2, 4}) {
      EXPECT_EQ(ReadLog(feed, threads, kMaxRow, fail_at), alone)
          << threads << " threads, failing at " << fail_at;
    }
  }
}

// Serves `text`, then fails as a broken disk would.
class FailingBuffer final : public std::streambuf {
 public:
  explicit FailingBuffer(std::string text) : text_(std::move(text)) {
    setg(text_.data(), text_.data(), text_.data() + text_.size());
  }

 protected:
  int_type underflow() override { throw std::ios_base::failure("disk gone"); }

 private:
  std::string text_;
};

TEST(FeedReaderTest, AReadErrorReportsEverythingBeforeItWithAnyThreads) {
  constexpr std::size_t kMaxRow = 4096;
  const std::string feed = MixedFeed(kMaxRow).substr(0, 1500000);
  std::vector<std::vector<std::string>> logs;
  for (int threads : {1, 2, 4}) {
    FailingBuffer buffer(feed);
    std::istream in(&buffer);
    FeedReadOptions options;
    options.limits.max_row_bytes = kMaxRow;
    options.decode_threads = threads;
    LoggingVisitor visitor;
    Result<FeedSummary> summary = ReadFeed(in, FeedFormat::kNdjson, visitor, options);
    ASSERT_FALSE(summary.ok());
    EXPECT_EQ(summary.status().reason(), "read_error");
    EXPECT_GT(visitor.log.size(), 1000u);
    logs.push_back(visitor.log);
  }
  EXPECT_EQ(logs[1], logs[0]);
  EXPECT_EQ(logs[2], logs[0]);
}

// Owns rows by the number in their attendance id ("A17" -> 17 % partitions), and leaves every
// third one to be settled by decoding, so both ways of routing are taken.
class PartitionLog final : public PartitionedFeedVisitor {
 public:
  explicit PartitionLog(int partitions, std::int64_t fail_at_line = 0)
      : accepted(partitions), partitions_(partitions), fail_at_line_(fail_at_line) {}

  std::optional<int> RawOwnerOf(std::string_view line, std::uint32_t&) override {
    constexpr std::string_view kId = R"("attendance_id":"A)";
    std::size_t at = line.find(kId);
    if (at == std::string_view::npos) return std::nullopt;
    std::optional<int> number = NumberAt(line.substr(at + kId.size()));
    if (!number || *number % 3 == 0) return std::nullopt;
    return *number % partitions_;
  }
  int OwnerOf(const domain::Attendance& attendance) const override {
    return NumberAt(std::string_view(attendance.attendance_id).substr(1)).value_or(0) % partitions_;
  }
  Status OnAttendance(int partition, std::int64_t line,
                      const domain::Attendance& attendance) override {
    if (line == fail_at_line_) return Unavailable("store_down", "the store is unavailable");
    accepted[partition].push_back({line, attendance.attendance_id});
    return Status::Ok();
  }
  void OnIssue(const RowIssue& issue) override {
    issues.push_back((issue.kind == IssueKind::kWarning ? "warning " : "rejected ") +
                     FormatIssue(issue));
    issue_lines.push_back(issue.line);
  }
  void OnReportedThrough(std::int64_t line, std::int64_t rows) override {
    reported_through.push_back({line, rows});
  }

  std::vector<std::vector<std::pair<std::int64_t, std::string>>> accepted;  // per partition
  std::vector<std::string> issues;
  std::vector<std::int64_t> issue_lines;
  std::vector<std::pair<std::int64_t, std::int64_t>> reported_through;

 private:
  static std::optional<int> NumberAt(std::string_view digits) {
    int number = 0;
    std::size_t i = 0;
    for (; i < digits.size() && i < 6 && digits[i] >= '0' && digits[i] <= '9'; ++i) {
      number = number * 10 + (digits[i] - '0');
    }
    if (i == 0) return std::nullopt;
    return number;
  }

  int partitions_;
  std::int64_t fail_at_line_;
};

// The issues of a one-thread run, and its accepted rows as (line, id), from a LoggingVisitor.
struct OneThreadRun {
  std::vector<std::string> issues;
  std::vector<std::pair<std::int64_t, std::string>> accepted;
  std::string summary;
};
OneThreadRun ReadAlone(const std::string& feed, std::size_t max_row) {
  OneThreadRun run;
  for (const std::string& entry : ReadLog(feed, 1, max_row)) {
    if (entry.starts_with("accepted ")) {
      std::size_t space = entry.find(' ', 9);
      run.accepted.push_back({std::stoll(entry.substr(9, space - 9)), entry.substr(space + 1)});
    } else if (entry.starts_with("warning ") || entry.starts_with("rejected ")) {
      run.issues.push_back(entry);
    } else {
      run.summary = entry;
    }
  }
  return run;
}

TEST(FeedReaderTest, PartitionedReadingFindsExactlyWhatOneThreadDoes) {
  constexpr std::size_t kMaxRow = 4096;
  const std::string feed = MixedFeed(kMaxRow);
  const OneThreadRun alone = ReadAlone(feed, kMaxRow);
  ASSERT_EQ(alone.summary, "read 10588, accepted 7058, rejected 3530, warnings 1417");
  for (int partitions : {1, 2, 3}) {
    SCOPED_TRACE(partitions);
    std::istringstream in(feed);
    AttendanceLimits limits;
    limits.max_row_bytes = kMaxRow;
    PartitionLog log(partitions);
    Result<FeedSummary> summary = ReadNdjsonPartitioned(in, log, partitions, limits);
    ASSERT_TRUE(summary.ok());
    EXPECT_EQ(FormatSummary(*summary), alone.summary);
    EXPECT_EQ(log.issues, alone.issues);
    // Each row went to its owner alone, and each partition saw its rows in file order.
    std::vector<std::pair<std::int64_t, std::string>> all;
    for (int p = 0; p < partitions; ++p) {
      EXPECT_TRUE(std::is_sorted(log.accepted[p].begin(), log.accepted[p].end()));
      for (const auto& [line, id] : log.accepted[p]) {
        EXPECT_EQ(std::stoi(id.substr(1)) % partitions, p) << line;
      }
      all.insert(all.end(), log.accepted[p].begin(), log.accepted[p].end());
    }
    std::sort(all.begin(), all.end());
    EXPECT_EQ(all, alone.accepted);
    ASSERT_FALSE(log.reported_through.empty());
    EXPECT_TRUE(std::is_sorted(log.reported_through.begin(), log.reported_through.end()));
    EXPECT_EQ(log.reported_through.back(), (std::pair<std::int64_t, std::int64_t>{12000, 10588}));
  }
}

TEST(FeedReaderTest, PartitionedReadingStopsAtAVisitorFailure) {
  constexpr std::size_t kMaxRow = 4096;
  const std::string feed = MixedFeed(kMaxRow);
  const OneThreadRun alone = ReadAlone(feed, kMaxRow);
  for (std::int64_t fail_at_line : {1, 6001}) {
    std::istringstream in(feed);
    AttendanceLimits limits;
    limits.max_row_bytes = kMaxRow;
    PartitionLog log(2, fail_at_line);
    Result<FeedSummary> summary = ReadNdjsonPartitioned(in, log, 2, limits);
    ASSERT_FALSE(summary.ok());
    EXPECT_EQ(summary.status().reason(), "store_down");
    // What was reported is exactly the one-thread run's issues up to the last line reported
    // through, which is before the failing row. (How far the reporting got before the failure
    // was seen depends on the threads' timing; that it is all and only that prefix does not.)
    std::int64_t through = log.reported_through.empty() ? 0 : log.reported_through.back().first;
    EXPECT_LT(through, fail_at_line);
    EXPECT_TRUE(std::all_of(log.issue_lines.begin(), log.issue_lines.end(),
                            [through](std::int64_t line) { return line <= through; }));
    const auto alone_through =
        std::count_if(alone.issues.begin(), alone.issues.end(), [through](const std::string& e) {
          // "warning line N: ..." or "rejected line N: ..."
          return std::stoll(e.substr(e.find("line ") + 5)) <= through;
        });
    ASSERT_EQ(static_cast<std::size_t>(alone_through), log.issues.size());
    EXPECT_TRUE(std::equal(log.issues.begin(), log.issues.end(), alone.issues.begin()));
  }
}

TEST(FeedReaderTest, PartitionedReadingReportsAReadError) {
  constexpr std::size_t kMaxRow = 4096;
  const std::string feed = MixedFeed(kMaxRow).substr(0, 1500000);
  FailingBuffer buffer(feed);
  std::istream in(&buffer);
  AttendanceLimits limits;
  limits.max_row_bytes = kMaxRow;
  PartitionLog log(2);
  Result<FeedSummary> summary = ReadNdjsonPartitioned(in, log, 2, limits);
  ASSERT_FALSE(summary.ok());
  EXPECT_EQ(summary.status().reason(), "read_error");
  EXPECT_GT(log.issues.size(), 100u);
}

TEST(FeedReaderTest, FormatsComeFromNamesAndExtensions) {
  EXPECT_EQ(*FeedFormatFromPath("a/b.ndjson"), FeedFormat::kNdjson);
  EXPECT_EQ(*FeedFormatFromPath("b.jsonl"), FeedFormat::kNdjson);
  EXPECT_EQ(*FeedFormatFromPath("b.csv"), FeedFormat::kCsv);
  EXPECT_FALSE(FeedFormatFromPath("b.txt").ok());
  EXPECT_EQ(*FeedFormatFromName("jsonl"), FeedFormat::kNdjson);
  EXPECT_FALSE(FeedFormatFromName("xml").ok());
}

TEST(FeedReaderTest, ManyRowsStreamThroughBothFormats) {
  domain::Attendance attendance = *[] {
    auto decoded = DecodeAttendanceJson(kRow1);
    return std::optional(decoded->attendance);
  }();
  std::string ndjson;
  std::string csv = AttendanceCsvHeader(CsvLayout{});
  for (int i = 0; i < 5000; ++i) {
    attendance.attendance_id = "A" + std::to_string(i);
    AppendAttendanceJson(attendance, ndjson);
    ndjson.push_back('\n');
    ASSERT_TRUE(AppendAttendanceCsv(attendance, CsvLayout{}, csv).ok());
  }
  for (auto [text, format] : {std::pair{ndjson, FeedFormat::kNdjson}, {csv, FeedFormat::kCsv}}) {
    RecordingVisitor visitor;
    Result<FeedSummary> summary = ReadText(text, format, visitor);
    ASSERT_TRUE(summary.ok());
    EXPECT_EQ(*summary, (FeedSummary{5000, 5000, 0, 0}));
    EXPECT_EQ(visitor.accepted.back(), format == FeedFormat::kCsv ? "5001:A4999" : "5000:A4999");
  }
}

}  // namespace
}  // namespace liaison::ingest
