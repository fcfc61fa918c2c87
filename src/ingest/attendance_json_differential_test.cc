// The decoder's two paths must agree on every input: the fast path (simdjson, giving up on
// anything it is not certain of) against the reference path (Boost.JSON). Agreement means the
// same attendance (canonical encoding and ==) and warnings, or the same error (code, reason,
// field and message). Inputs: every line of a generated feed, the fuzz corpus of the JSON
// codec, mutations of both, and hand-written edge cases, under several sets of limits.
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ingest/attendance_json.h"
#include "synth/generator.h"

namespace liaison::ingest {
namespace {

// Decodes with both paths, reusing each decoder from one input to the next as the feed reader
// does (so the fast path's reused buffers are exercised too), and compares.
class TwoPaths {
 public:
  explicit TwoPaths(AttendanceLimits limits = {})
      : fast_(limits, JsonDecodePath::kFast), reference_(limits, JsonDecodePath::kReference) {}

  // Returns a description of the first difference, or "" when the paths agree. Statuses are
  // shown whole (they never contain a value from the input); attendances are not.
  std::string Compare(std::string_view text) {
    ++rows_;
    Status fast_status = fast_.DecodeInto(text, fast_row_);
    Status reference_status = reference_.DecodeInto(text, reference_row_);
    if (fast_status.ok() != reference_status.ok()) {
      return "fast: " + fast_status.ToString() + ", reference: " + reference_status.ToString();
    }
    if (!reference_status.ok()) {
      if (fast_status.code() != reference_status.code() ||
          fast_status.reason() != reference_status.reason() ||
          fast_status.field() != reference_status.field() ||
          fast_status.message() != reference_status.message()) {
        return "fast: " + fast_status.ToString() + ", reference: " + reference_status.ToString();
      }
      return "";
    }
    std::string fast_json = EncodeAttendanceJson(fast_row_.attendance);
    std::string reference_json = EncodeAttendanceJson(reference_row_.attendance);
    if (fast_json != reference_json) {
      // Where they part, not what they hold: rows may carry names and NHS numbers.
      std::size_t at = 0;
      while (at < fast_json.size() && at < reference_json.size() &&
             fast_json[at] == reference_json[at]) {
        ++at;
      }
      return "encodings differ from byte " + std::to_string(at);
    }
    if (!(fast_row_.attendance == reference_row_.attendance)) return "attendances differ";
    if (fast_row_.warnings != reference_row_.warnings) {
      std::string both = "warnings differ:";  // paths and reasons only
      for (const FieldWarning& w : fast_row_.warnings) both += " fast " + w.field + " " + w.reason;
      for (const FieldWarning& w : reference_row_.warnings) {
        both += " reference " + w.field + " " + w.reason;
      }
      return both;
    }
    return "";
  }

  std::uint64_t rows() const { return rows_; }
  std::uint64_t fast_rows() const { return fast_.fast_rows(); }

 private:
  AttendanceJsonDecoder fast_;
  AttendanceJsonDecoder reference_;
  DecodedAttendance fast_row_;
  DecodedAttendance reference_row_;
  std::uint64_t rows_ = 0;
};

// Names the input of a failure by its number among the inputs compared and its size, never by
// its content: rows may carry names and NHS numbers (synthetic here, but the habit matters).
#define EXPECT_SAME(paths, text)                                                        \
  do {                                                                                  \
    std::string difference_ = (paths).Compare(text);                                    \
    EXPECT_EQ(difference_, "") << "input " << (paths).rows() << " of " << (text).size() \
                               << " bytes";                                             \
  } while (false)

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> GeneratedLines(std::uint64_t seed, std::int64_t count) {
  synth::GeneratorOptions options;
  options.seed = seed;
  options.attendances = count;
  // More planted scenarios than a real feed has, so that every kind of member turns up often.
  options.child_concern_rate = 0.2;
  options.adult_concern_rate = 0.2;
  std::ostringstream out;
  Status written = synth::WriteAttendances(options, FeedFormat::kNdjson, out, nullptr);
  EXPECT_TRUE(written.ok()) << written.ToString();
  return Lines(out.str());
}

std::vector<std::string> CorpusFiles() {
  const char* source = std::getenv("LIAISON_SOURCE_DIR");
  std::filesystem::path folder =
      std::filesystem::path(source ? source : ".") / "fuzz" / "corpus" / "attendance_json";
  std::vector<std::string> contents;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    contents.push_back(text.str());
  }
  const char* testdata = "/src/ingest/testdata/full_attendance.json";
  std::ifstream full(std::string(source ? source : ".") + testdata, std::ios::binary);
  std::ostringstream text;
  text << full.rdbuf();
  contents.push_back(text.str());
  return contents;
}

// Small edits that turn a valid row into an odd one: flipped, dropped and doubled bytes, a
// repeated or unknown member, a member's value swapped for another type, truncation.
std::string Mutate(const std::string& line, std::mt19937_64& random) {
  if (line.empty()) return line;
  std::string out = line;
  auto at = [&](std::size_t size) {
    return static_cast<std::size_t>(random() % std::max<std::size_t>(size, 1));
  };
  static const std::vector<std::string> kInserts = {
      R"("x":1,)",
      R"("site":"OTHER",)",
      R"("notes":"twice",)",
      R"("x":{"y":[[[[[[[[1]]]]]]]]},)",
      R"("x":1,"x":2,)",
      R"("observations":{"temperature_c":36.125},)",
      R"("observations":{"temperature_c":37.20000000000000000001},)",
      R"("observations":{"temperature_c":15.434999999999999},)",
      R"("injuries":[{"count":1.0}],)",
      R"("notes":"\ud800",)",
      R"("notes":"\ud83d\ude00",)",
      R"("notes":null,)",
      R"("notes":"",)",
      R"("notes":7,)",
  };
  switch (random() % 8) {
    case 0:
      out[at(out.size())] ^= static_cast<char>(1 + random() % 255);
      break;
    case 1:
      out.erase(at(out.size()), 1);
      break;
    case 2: {
      std::size_t begin = at(out.size());
      out.insert(begin, out.substr(begin, 1 + at(20)));
      break;
    }
    case 3:
    case 4: {
      // After an object's opening brace, so that the row stays JSON more often than not.
      std::size_t brace = out.find('{', at(out.size()));
      if (brace == std::string::npos) brace = 0;
      out.insert(brace + 1, kInserts[at(kInserts.size())]);
      break;
    }
    case 5:
      out.resize(at(out.size()));
      break;
    case 6: {
      // A string value becomes a number, or a number a string.
      std::size_t colon = out.find(":\"", at(out.size()));
      if (colon != std::string::npos) {
        std::size_t close = out.find('"', colon + 2);
        if (close != std::string::npos) out.replace(colon + 1, close - colon, "12345");
      }
      break;
    }
    default: {
      std::size_t quote = out.find('"', at(out.size()));
      if (quote != std::string::npos) out.insert(quote + 1, "\xC3\xA9\\u00e9\xF0\x9F\x98\x80");
      break;
    }
  }
  return out;
}

TEST(AttendanceJsonDifferentialTest, GeneratedFeedDecodesAlikeAndMostlyFast) {
  TwoPaths paths;
  for (const std::string& line : GeneratedLines(11, 20000)) EXPECT_SAME(paths, line);
  EXPECT_EQ(paths.rows(), 20000u);
  // The fast path must carry nearly all of a clean feed, or this test checks little.
  EXPECT_GT(paths.fast_rows(), paths.rows() * 9 / 10);
}

TEST(AttendanceJsonDifferentialTest, MutatedGeneratedRowsDecodeAlike) {
  TwoPaths paths;
  std::mt19937_64 random(20231);
  std::vector<std::string> lines = GeneratedLines(12, 4000);
  for (const std::string& line : lines) {
    std::string mutated = line;
    for (int i = 0; i < 6; ++i) {
      mutated = Mutate(mutated, random);
      EXPECT_SAME(paths, mutated);
    }
  }
  // Some mutations keep a row valid and certain: the fast path must still be taking part.
  EXPECT_GT(paths.fast_rows(), 0u);
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

constexpr std::string_view kMinimal =
    R"({"attendance_id":"A1","site":"RSY01","arrival":"2026-01-02T03:04:05Z","patient":{}})";

std::string With(std::string_view members) {
  std::string text(kMinimal);
  text.pop_back();
  text += ",";
  text += members;
  text += "}";
  return text;
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
  std::vector<std::string> generated = GeneratedLines(13, 300);
  for (const AttendanceLimits& limits : all_limits) {
    TwoPaths paths(limits);
    for (const std::string& text : cases) EXPECT_SAME(paths, text);
    for (const std::string& text : generated) EXPECT_SAME(paths, text);
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
