// The decoder's two paths must agree on every input: the fast path (simdjson, giving up on
// anything it is not certain of) against the reference path (Boost.JSON). Agreement means the
// same attendance (canonical encoding and ==) and warnings, or the same error (code, reason,
// field and message). Inputs: the fuzz corpus of the JSON codec and its mutations, and hand-written
// edge cases, under several sets of limits.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/testing/source_files.h"
#include "ingest/attendance_json.h"
#include "ingest/attendance_json_paths_testing.h"

namespace liaison::ingest {
namespace {

using testing::kMinimal;
using testing::Mutate;
using testing::TwoPaths;
using testing::With;

std::vector<std::string> CorpusFiles() {
  std::vector<std::string> contents = liaison::testing::ReadCorpus("attendance_json");
  contents.push_back(liaison::testing::ReadFileBytes(
      liaison::testing::SourcePath("src/ingest/testdata/full_attendance.json")));
  return contents;
}

TEST(AttendanceJsonDifferentialTest, FuzzCorpusAndItsMutationsDecodeAlike) {
  std::vector<std::string> files = CorpusFiles();
  ASSERT_GE(files.size(), 5u);
  TwoPaths paths;
  std::mt19937_64 random(7);
  for (const std::string& file : files) {
    EXPECT_SAME(paths, file);
    // As fuzz_corpus_test does: truncations and byte flips of every seed.
    for (std::size_t cut = 0; cut < file.size(); cut += 1 + file.size() / 40) {
      std::string mutated = file.substr(0, cut);
      if (cut < file.size()) mutated += static_cast<char>(file[cut] ^ 0x5A);
      EXPECT_SAME(paths, mutated);
    }
    for (int i = 0; i < 200; ++i) {
      std::string mutated = Mutate(file, random);
      EXPECT_SAME(paths, mutated);
    }
  }
}

std::string Nested(int levels) {
  std::string open, close;
  for (int i = 0; i < levels; ++i) {
    open += i % 2 == 0 ? R"({"n":)" : "[";
    close.insert(0, i % 2 == 0 ? "}" : "]");
  }
  return open + "1" + close;
}

std::vector<std::string> EdgeCases() {
  std::vector<std::string> cases = {
      std::string(kMinimal),
      "",
      " ",
      "{}",
      "[]",
      "null",
      "1",
      "\"text\"",
      "{",
      R"({"attendance_id":)",
      std::string(kMinimal) + "x",
      std::string(kMinimal) + " ",
      std::string(kMinimal) + "\n",
      std::string(kMinimal) + "{}",
      std::string(kMinimal) + "\r",
      "\xEF\xBB\xBF" + std::string(kMinimal),
      " \t\r\n" + std::string(kMinimal),
      // Escapes.
      With(R"("notes":"caf\u00e9 \u00E9 \"q\" \\ \/ \b\f\n\r\t")"),
      With(R"("notes":"\ud83d\ude00 \uD83D\uDE00")"),
      With(R"("notes":"\ud800")"),
      With(R"("notes":"\udc00")"),
      With(R"("notes":"\ud800\u0041")"),
      With(R"("notes":"\ud800x")"),
      With(R"("notes":"\u0000")"),
      With(R"("notes":"\x")"),
      With(R"("notes":"\u12")"),
      With(R"("pat\u0069ent_x":1)"),
      R"({"attendance_\u0069d":"A1","site":"RSY01","arrival":"2026-01-02T03:04:05Z","patient":{}})",
      // Repeated keys.
      With(R"("site":"X")"),
      With(R"("notes":"a","notes":"b")"),
      With(R"("notes":"a","notes":null)"),
      With(R"("zz":1,"zz":2)"),
      With(R"("zz":1,"yy":2,"zz":3)"),
      With(R"("household":{"children":[{"given_name":"A","given_name":"B"}]})"),
      R"({"attendance_id":"A1","site":"RSY01","arrival":"2026-01-02T03:04:05Z","patient":{"sex":"female","sex":"male"}})",
      R"({"attendance_id":"A1","site":"RSY01","arrival":"2026-01-02T03:04:05Z","patient":{},"patient":{"sex":"male"}})",
      // Not provided, three ways, and wrong types.
      With(R"("notes":null)"),
      With(R"("notes":"")"),
      With(R"("notes":1)"),
      With(R"("notes":1.5)"),
      With(R"("notes":true)"),
      With(R"("notes":[])"),
      With(R"("notes":{})"),
      R"({"attendance_id":null,"site":"RSY01","arrival":"2026-01-02T03:04:05Z","patient":{}})",
      R"({"attendance_id":"","site":"RSY01","arrival":"2026-01-02T03:04:05Z","patient":{}})",
      R"({"attendance_id":7,"site":"RSY01","arrival":"2026-01-02T03:04:05Z","patient":{}})",
      R"({"site":"RSY01","arrival":"2026-01-02T03:04:05Z","patient":{}})",
      R"({"attendance_id":"A1","site":"RSY01","arrival":"2026-01-02T03:04:05Z","patient":null})",
      R"({"attendance_id":"A1","site":"RSY01","arrival":"2026-01-02T03:04:05Z","patient":""})",
      R"({"attendance_id":"A1","site":"RSY01","arrival":"2026-01-02T03:04:05Z","patient":[]})",
      R"({"attendance_id":"A1","site":"RSY01","arrival":"2026-01-02T03:04:05Z"})",
      R"({"attendance_id":"A1","site":"RSY01","arrival":"yesterday","patient":{}})",
      R"({"attendance_id":"A1","site":"RSY01","arrival":"2026-01-02T03:04:05+01:00","patient":{"nhs_number":9434765919}})",
      R"({"attendance_id":"A1","site":"RSY01","arrival":"2026-01-02T03:04:05Z","patient":{"nhs_number":"9434765919","birth_date":"2027-01-01"}})",
      R"({"attendance_id":"A1","site":"RSY01","arrival":"2026-01-02T03:04:05Z","patient":{"nhs_number":"1234567890","sex":"F","pregnant":"yes"}})",
      R"({"attendance_id":"A1","site":"RSY01","arrival":"2026-01-02T03:04:05Z","patient":{"birth_date":"1700-01-01"}})",
      With(R"("department":"nowhere")"),
      With(R"("explanation":null)"),
      With(R"("injuries":[null,{"type":"bruise","count":2},{}])"),
      With(R"("injuries":[1])"),
      With(R"("injuries":{})"),
      With(R"("substances":["alcohol",null,"","drugs"])"),
      With(R"("substances":["alcohol",1])"),
      With(R"("safeguarding_concern_codes":["A",""," ",null])"),
      With(R"("household":{"recorded":true,"children":[null,{"nhs_number":"123"}],"unborn":1})"),
      With(R"("screening":{"history_consistent":true,"other_concerns":"true"})"),
      With(R"("discharge":{"datetime":"2026-01-02T05:00:00Z","status":"admitted","x":[]})"),
      // Numbers.
      With(R"("injuries":[{"count":1}])"),
      With(R"("injuries":[{"count":0}])"),
      With(R"("injuries":[{"count":-0}])"),
      With(R"("injuries":[{"count":-1}])"),
      With(R"("injuries":[{"count":1.0}])"),
      With(R"("injuries":[{"count":1e2}])"),
      With(R"("injuries":[{"count":10000}])"),
      With(R"("injuries":[{"count":10001}])"),
      With(R"("injuries":[{"count":9223372036854775807}])"),
      With(R"("injuries":[{"count":9223372036854775808}])"),
      With(R"("injuries":[{"count":18446744073709551616}])"),
      With(R"("injuries":[{"count":-9223372036854775809}])"),
      With(R"("injuries":[{"count":"2"}])"),
      With(R"("observations":{"temperature_c":37})"),
      With(R"("observations":{"temperature_c":37.2})"),
      With(R"("observations":{"temperature_c":36.125})"),
      With(R"("observations":{"temperature_c":39.199999999999996})"),
      With(R"("observations":{"temperature_c":37.20000000000000000001})"),
      // Boost.JSON reads these 1 ulp away from the nearest double, enough to round differently.
      With(R"("observations":{"temperature_c":13.764999999999999})"),
      With(R"("observations":{"haemoglobin_g_dl":12.034999999999999})"),
      With(R"("observations":{"temperature_c":3.72e1})"),
      With(R"("observations":{"temperature_c":-0})"),
      With(R"("observations":{"temperature_c":-0.0})"),
      With(R"("observations":{"temperature_c":1e999})"),
      With(R"("observations":{"temperature_c":18446744073709551615})"),
      With(R"("observations":{"temperature_c":99999999999999999999999})"),
      With(R"("observations":{"temperature_c":"37"})"),
      With(R"("observations":{"haemoglobin_g_dl":0,"head_circumference_centile":100})"),
      With(R"("x":01)"),
      With(R"("x":1.)"),
      With(R"("x":.5)"),
      With(R"("x":-)"),
      With(R"("x":+1)"),
      With(R"("x":NaN)"),
      With(R"("x":tru)"),
      With(R"("x":nul)"),
      With(R"("x":1e99999999999)"),
      // Structure.
      With(R"("x":[1,])"),
      With(R"("x":{"a":1,})"),
      With(R"("x":1,)"),
      With(R"("x":/*c*/1)"),
      With(R"("x":{"a"})"),
      "{\"attendance_id\":\"A1\"\n,\"site\":\"RSY01\",\"arrival\":\"2026-01-02T03:04:05Z\","
      "\"patient\":{ }}",
      // Invalid UTF-8 and raw control characters.
      With("\"notes\":\"\xFF\""),
      With("\"notes\":\"\xC0\xAF\""),
      With("\"notes\":\"\xED\xA0\x80\""),
      With("\"notes\":\"\xE2\x82\""),
      With("\"notes\":\"\xF4\x90\x80\x80\""),
      With("\"n\xFFotes\":1"),
      With("\"notes\":\"a\tb\""),
      With("\"notes\":\"a\x01"
           "b\""),
      With("\"notes\":\"a\x7F"
           "b\""),
      With(std::string("\"notes\":\"a\0b\"", 12)),
      std::string(kMinimal) + std::string(1, '\0'),
  };
  // Depth, around the default limit of 8 and beyond.
  for (int levels = 1; levels <= 12; ++levels) {
    cases.push_back(With(R"("x":)" + Nested(levels)));
    cases.push_back(With(R"("household":{"children":[)" + Nested(levels) + "]}"));
  }
  // Long values at and over each bound, in ASCII and in two-byte characters.
  for (std::size_t bound : {128, 256, 32 * 1024}) {
    for (std::size_t size : {bound - 1, bound, bound + 1}) {
      std::string ascii(size, 'a');
      std::string wide;
      while (wide.size() + 2 <= size) wide += "\xC3\xA9";
      if (wide.size() < size) wide += "b";
      for (const std::string& text : {ascii, wide}) {
        cases.push_back(With(R"("notes":")" + text + "\""));
        cases.push_back(With(R"("presenting_complaint":")" + text + "\""));
        cases.push_back(
            R"({"attendance_id":")" + text +
            R"(","site":"S","arrival":"2026-01-02T03:04:05Z","patient":{"given_name":")" + text +
            R"(","nhs_number":")" + text + R"("}})");
        cases.push_back(With(R"("safeguarding_concern_codes":[")" + text + "\"]"));
        cases.push_back(With("\"" + text + "\":1"));
      }
    }
  }
  // Items at and over the bound, and warnings over theirs.
  for (std::size_t count : {63, 64, 65}) {
    std::string injuries = R"("injuries":[)";
    std::string substances = R"("substances":[)";
    for (std::size_t i = 0; i < count; ++i) {
      injuries += std::string(i == 0 ? "" : ",") + R"({"type":"bruise"})";
      substances += std::string(i == 0 ? "" : ",") + R"("alcohol")";
    }
    cases.push_back(With(injuries + "]"));
    cases.push_back(With(substances + "]"));
  }
  std::string unknown;
  for (int i = 0; i < 20; ++i) unknown += (i == 0 ? "\"u" : ",\"u") + std::to_string(i) + "\":1";
  cases.push_back(With(unknown));
  cases.push_back(With(unknown + R"(,"patient":{"nhs_number":"1234567890"})"));
  return cases;
}

TEST(AttendanceJsonDifferentialTest, EdgeCasesDecodeAlikeUnderSeveralLimits) {
  std::vector<AttendanceLimits> all_limits(7);
  all_limits[1].max_depth = 1;
  all_limits[2].max_depth = 3;
  all_limits[3].max_identifier_bytes = 4;
  all_limits[4].max_warnings_per_row = 1;
  all_limits[5].max_items = 1;
  all_limits[6].max_row_bytes = 100;
  std::vector<std::string> cases = EdgeCases();
  std::vector<std::string> corpus = CorpusFiles();
  for (const AttendanceLimits& limits : all_limits) {
    TwoPaths paths(limits);
    for (const std::string& text : cases) EXPECT_SAME(paths, text);
    for (const std::string& text : corpus) EXPECT_SAME(paths, text);
  }
}

TEST(AttendanceJsonDifferentialTest, FastPathDecodesAPlainRow) {
  AttendanceJsonDecoder decoder;
  Result<DecodedAttendance> decoded =
      decoder.Decode(R"({"attendance_id":"A1","site":"RSY01","arrival":"2026-01-02T03:04:05Z",)"
                     R"("patient":{"nhs_number":"9434765919"},"notes":"caf\u00e9"})");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoder.fast_rows(), 1u);
  EXPECT_EQ(*decoded->attendance.notes, "caf\xC3\xA9");
}

}  // namespace
}  // namespace liaison::ingest
