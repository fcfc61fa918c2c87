#include "ingest/feed_reader.h"

#include <sstream>

#include <gtest/gtest.h>

#include "ingest/attendance_csv.h"
#include "ingest/attendance_json.h"

namespace liaison::ingest {
namespace {

// Records what a run reports, as the lines the CLI would print.
class RecordingVisitor final : public FeedVisitor {
 public:
  Status OnAttendance(std::int64_t line, domain::Attendance attendance) override {
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
  RecordingVisitor visitor;
  std::string text = kRow1 + "\n" + kRow2 + "\n\n" +
                     R"({"attendance_id":"A3","site":"S","arrival":"bad","patient":{}})" + "\n" +
                     kRow2 + "\r\n" + "not json\n";
  Result<FeedSummary> summary = ReadText(text, FeedFormat::kNdjson, visitor);
  ASSERT_TRUE(summary.ok());
  EXPECT_EQ(*summary, (FeedSummary{5, 3, 2, 1}));
  EXPECT_EQ(FormatSummary(*summary), "read 5, accepted 3, rejected 2, warnings 1");
  EXPECT_EQ(visitor.accepted, (std::vector<std::string>{"1:A1", "2:A2", "5:A2"}));
  // The unknown field is reported once per run, not once per row.
  EXPECT_EQ(visitor.issues, (std::vector<std::string>{"line 2: /x: unknown_field",
                                                      "line 4: /arrival: invalid_datetime",
                                                      "line 6: (row): invalid_json"}));
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
    Status OnAttendance(std::int64_t, domain::Attendance) override {
      return Unavailable("store_down", "the store is unavailable");
    }
    void OnIssue(const RowIssue&) override {}
  } visitor;
  std::istringstream in(kRow1 + "\n" + kRow1 + "\n");
  EXPECT_EQ(ReadFeed(in, FeedFormat::kNdjson, visitor).status().reason(), "store_down");
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
