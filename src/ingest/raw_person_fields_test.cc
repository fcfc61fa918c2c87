#include "ingest/raw_person_fields.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "common/testing/source_files.h"
#include "ingest/attendance_json.h"
#include "ingest/attendance_json_paths_testing.h"

namespace liaison::ingest {
namespace {

using testing::kMinimal;
using testing::With;

// A line whose four fields are all given, in the contract's order, no spaces.
constexpr std::string_view kPlain =
    R"({"attendance_id":"ED-1","site":"RSY01","arrival":"2026-01-02T03:04:05Z",)"
    R"("patient":{"local_id":"L123","nhs_number":"9434765919","given_name":"Amelia"},)"
    R"("department":"emergency"})";

// Compares views without printing them: lines may carry NHS numbers.
void ExpectFields(std::string_view line, std::string_view attendance_id, std::string_view site,
                  std::string_view nhs_number, std::string_view local_id) {
  std::optional<RawPersonFields> fields = ScanRawPersonFields(line);
  ASSERT_TRUE(fields.has_value());
  EXPECT_TRUE(fields->attendance_id == attendance_id);
  EXPECT_TRUE(fields->site == site);
  EXPECT_TRUE(fields->nhs_number == nhs_number);
  EXPECT_TRUE(fields->local_id == local_id);
  // Views into the line, not copies.
  for (std::string_view view :
       {fields->attendance_id, fields->site, fields->nhs_number, fields->local_id}) {
    if (view.empty()) continue;
    EXPECT_GE(view.data(), line.data());
    EXPECT_LE(view.data() + view.size(), line.data() + line.size());
  }
}

TEST(RawPersonFieldsTest, PlainLine) {
  ExpectFields(kPlain, "ED-1", "RSY01", "9434765919", "L123");
}

TEST(RawPersonFieldsTest, MembersInAnyOrder) {
  ExpectFields(R"({"patient":{"given_name":"A","nhs_number":"9434765919","local_id":"L1"},)"
               R"("notes":"n","site":"S2","arrival":"2026-01-02T03:04:05Z","attendance_id":"X9"})",
               "X9", "S2", "9434765919", "L1");
}

TEST(RawPersonFieldsTest, WhitespaceAroundTokens) {
  ExpectFields(
      " \t{ \"attendance_id\" :\r\n \"A 1\" , \"site\"\t:\"S\",\n \"patient\" : { "
      "\"local_id\" : \"L\" , \"nhs_number\" :\"123\" } , \"x\" : [ 1 , { } ] } \r\n",
      "A 1", "S", "123", "L");
}

TEST(RawPersonFieldsTest, PatientOrItsMembersAbsent) {
  ExpectFields(R"({"attendance_id":"A1","site":"S"})", "A1", "S", "", "");
  ExpectFields(kMinimal, "A1", "RSY01", "", "");
  ExpectFields(R"({"attendance_id":"A1","site":"S","patient":{"local_id":"L"}})", "A1", "S", "",
               "L");
  ExpectFields(R"({"attendance_id":"A1","site":"S","patient":{"nhs_number":"N"}})", "A1", "S", "N",
               "");
}

TEST(RawPersonFieldsTest, DeeperMembersOfTheSameNamesAreIgnored) {
  ExpectFields(With(R"("household":{"children":[{"nhs_number":"1111111111","site":"X"}]},)"
                    R"("injuries":[{"type":"bruise","site":"cheek"}],)"
                    R"("x":{"attendance_id":"B","patient":{"nhs_number":"2"}},)"
                    R"("y":[["site","attendance_id"],{"local_id":"Q"}])"),
               "A1", "RSY01", "", "");
  // A patient's nested members are not the patient's own.
  ExpectFields(
      R"({"attendance_id":"A","site":"S","patient":{"x":{"nhs_number":"1","local_id":"2"},)"
      R"("local_id":"L","y":["nhs_number","local_id"]}})",
      "A", "S", "", "L");
  // Once patient closes, depth 2 is someone else's.
  ExpectFields(R"({"attendance_id":"A","site":"S","patient":{"local_id":"L"},)"
               R"("household":{"nhs_number":"9","local_id":"Z"}})",
               "A", "S", "", "L");
}

TEST(RawPersonFieldsTest, TextThatLooksLikeMembersIsIgnored) {
  ExpectFields(With(R"("notes":"\"site\":\"X\",\"attendance_id\":\"Y\" {[ \\")"), "A1", "RSY01", "",
               "");
  ExpectFields(With(R"("notes":"ends with a backslash \\","site2":"\\\"site\":\"Z")"), "A1",
               "RSY01", "", "");
  // Values at the top level that spell wanted names are values, not keys.
  ExpectFields(R"({"x":"site","attendance_id":"A","y":"patient","site":"S","z":["nhs_number"]})",
               "A", "S", "", "");
}

void ExpectNothing(std::string_view line, const char* what) {
  EXPECT_FALSE(ScanRawPersonFields(line).has_value()) << what;
}

TEST(RawPersonFieldsTest, NothingWhenUnsure) {
  ExpectNothing(R"({"attendance_id":"A","site":"S","patient":{"nhs\u005fnumber":"1"}})",
                "escaped patient key");
  ExpectNothing(R"({"attendance_id":"A","s\u0069te":"S"})", "escaped top-level key");
  ExpectNothing(R"({"attendance_id":"A","site":"S","unknown\"key":1})",
                "any top-level key escaped");
  ExpectNothing(R"({"attendance_id":"A\u0031","site":"S"})", "escaped value");
  ExpectNothing(R"({"attendance_id":"A","site":"S","patient":{"local_id":"L\\"}})",
                "escaped backslash in a value");
  ExpectNothing(R"({"attendance_id":null,"site":"S"})", "null value");
  ExpectNothing(R"({"attendance_id":"A","site":"S","patient":{"nhs_number":null}})",
                "null patient value");
  ExpectNothing(R"({"attendance_id":17,"site":"S"})", "numeric value");
  ExpectNothing(R"({"attendance_id":"A","site":"S","patient":{"nhs_number":9434765919}})",
                "numeric NHS number");
  ExpectNothing(R"({"attendance_id":"A","site":"","patient":{}})", "empty string");
  ExpectNothing(R"({"attendance_id":"A","site":"S","patient":{"local_id":""}})",
                "empty patient string");
  ExpectNothing(R"({"attendance_id":"A","site":{},"patient":{}})", "object value");
  ExpectNothing(R"({"attendance_id":"A","site":["S"],"patient":{}})", "array value");
  ExpectNothing(R"({"attendance_id":"A","site":"S","site":"T"})", "duplicate key");
  ExpectNothing(R"({"attendance_id":"A","site":"S","patient":{"local_id":"L","local_id":"L"}})",
                "duplicate patient key");
  ExpectNothing(R"({"attendance_id":"A","site":"S","patient":{},"patient":{}})",
                "duplicate patient");
  ExpectNothing(R"({"attendance_id":"A","site":"S","patient":null})", "null patient");
  ExpectNothing(R"({"attendance_id":"A","site":"S","patient":"P"})", "string patient");
  ExpectNothing(R"({"attendance_id":"A","site":"S","patient":[{}]})", "array patient");
  ExpectNothing(R"({"attendance_id":"A","site":"S","notes":"unterminated})", "unterminated");
  ExpectNothing(R"({"attendance_id":"A","site":"S)", "unterminated value");
  ExpectNothing(R"({"attendance_id":"A","site":"S","patient":{})", "object not closed");
  ExpectNothing(R"({"attendance_id":"A","site":"S"} x)", "text after the object");
  ExpectNothing(R"(["attendance_id","A","site","S"])", "not an object");
  ExpectNothing("", "empty line");
  ExpectNothing("   ", "blank line");
  ExpectNothing(R"({"site":"S","patient":{}})", "attendance_id missing");
  ExpectNothing(R"({"attendance_id":"A","patient":{}})", "site missing");
  ExpectNothing(R"({"attendance_id":"A","site":"S","patient":{"nhs_number":"943 476 5919"}})",
                "NHS number with separators");
  ExpectNothing(R"({"attendance_id":"A","site":"S","patient":{"nhs_number":"943-476-5919"}})",
                "NHS number with hyphens");
  ExpectNothing(R"({"attendance_id":"A","site":"S","patient":{"nhs_number":" 9434765919"}})",
                "NHS number with a leading space");
  ExpectNothing(R"({"attendance_id":"A","site":"S","patient":{"nhs_number":"9434765919 "}})",
                "NHS number with a trailing space");
  ExpectNothing(
      "{\"attendance_id\":\"A\",\"site\":\"S\",\"patient\":{\"nhs_number\":\"\xC2\xA0"
      "1\"}}",
      "NHS number starting with a byte outside ASCII");
}

TEST(RawPersonFieldsTest, NhsNumbersTheDecoderKeepsAsTheyAre) {
  // Not NHS numbers at all, or not valid ones: the decoder keeps them unverified, verbatim.
  ExpectFields(R"({"attendance_id":"A","site":"S","patient":{"nhs_number":"UNKNOWN"}})", "A", "S",
               "UNKNOWN", "");
  ExpectFields(R"({"attendance_id":"A","site":"S","patient":{"nhs_number":"12 3x"}})", "A", "S",
               "12 3x", "");
  ExpectFields(R"({"attendance_id":"A","site":"S","patient":{"nhs_number":"1234567890"}})", "A",
               "S", "1234567890", "");
}

// ---- The differential test: whenever both the scanner and the decoder give an answer, they
// agree. -----------------------------------------------------------------------------------

struct Counts {
  std::uint64_t cases = 0;
  std::uint64_t accepted = 0;          // the decoder accepted the line
  std::uint64_t scanned = 0;           // the scanner returned a value
  std::uint64_t scanned_accepted = 0;  // both
};

class Differential {
 public:
  // Checks one line; returns whether the scanner gave a value for a line the decoder accepted.
  bool Check(std::string_view line, Counts& counts) {
    std::uint64_t index = next_case_++;
    ++counts.cases;
    std::optional<RawPersonFields> fields = ScanRawPersonFields(line);
    Status fast = fast_.DecodeInto(line, fast_row_);
    Status reference = reference_.DecodeInto(line, reference_row_);
    EXPECT_EQ(fast.ok(), reference.ok()) << "case " << index;
    if (fields) ++counts.scanned;
    if (!reference.ok()) return false;
    ++counts.accepted;
    if (!fields) return false;
    ++counts.scanned_accepted;
    ExpectSame(*fields, reference_row_.attendance, index);
    if (fast.ok()) ExpectSame(*fields, fast_row_.attendance, index);
    return true;
  }

 private:
  // Never prints the values: only the case index and which field differs.
  static void ExpectSame(const RawPersonFields& fields, const domain::Attendance& decoded,
                         std::uint64_t index) {
    EXPECT_TRUE(fields.attendance_id == decoded.attendance_id) << "attendance_id, case " << index;
    EXPECT_TRUE(fields.site == decoded.site) << "site, case " << index;
    const auto& nhs = decoded.patient.nhs_number;
    EXPECT_TRUE(fields.nhs_number.empty() ? !nhs.has_value()
                                          : nhs.has_value() && nhs->text == fields.nhs_number)
        << "nhs_number, case " << index;
    const auto& local = decoded.patient.local_id;
    EXPECT_TRUE(fields.local_id.empty() ? !local.has_value()
                                        : local.has_value() && *local == fields.local_id)
        << "local_id, case " << index;
  }

  AttendanceJsonDecoder fast_{AttendanceLimits{}, JsonDecodePath::kFast};
  AttendanceJsonDecoder reference_{AttendanceLimits{}, JsonDecodePath::kReference};
  DecodedAttendance fast_row_;
  DecodedAttendance reference_row_;
  std::uint64_t next_case_ = 0;
};

using Members = std::vector<std::pair<std::string, std::string>>;

template <typename T>
const T& Pick(const std::vector<T>& items, std::mt19937_64& random) {
  return items[random() % items.size()];
}

std::string Space(std::mt19937_64& random, bool spaced) {
  static const std::vector<std::string> kSpaces = {"", "", "", " ", "\t", "\r\n", "  \n "};
  return spaced ? Pick(kSpaces, random) : std::string();
}

std::string Object(Members members, std::mt19937_64& random, bool shuffle, bool spaced) {
  if (shuffle) std::shuffle(members.begin(), members.end(), random);
  std::string out = "{" + Space(random, spaced);
  bool first = true;
  for (const auto& [key, value] : members) {
    if (!first) out += "," + Space(random, spaced);
    first = false;
    out += "\"" + key + "\"" + Space(random, spaced) + ":" + Space(random, spaced) + value +
           Space(random, spaced);
  }
  return out + "}";
}

// A line built from ordinary parts (the scanner must answer for it, when the decoder accepts
// it), or with one unusual part (`ordinary` false: the scanner may well decline).
struct Built {
  std::string line;
  bool ordinary = true;
};

Built BuildLine(std::mt19937_64& random, std::uint64_t n) {
  Built built;
  bool shuffle = random() % 2 == 0;
  bool spaced = random() % 3 == 0;
  // An ordinary value, or, one time in eight, an odd one for the same member.
  auto value = [&](const std::vector<std::string>& ordinary, const std::vector<std::string>& odd) {
    if (odd.empty() || random() % 8 != 0) return Pick(ordinary, random);
    built.ordinary = false;
    return Pick(odd, random);
  };

  Members patient;
  if (random() % 5 != 0) {
    patient.emplace_back("local_id", value({"\"L123\"", "\"M89765930\"", "\"x-1 2\"", "\"é9\""},
                                           {"null", "\"\"", "7", "\"L\\u0031\"", "\"L\\\\\""}));
  }
  if (random() % 5 != 0) {
    patient.emplace_back(
        "nhs_number",
        value({"\"9434765919\"", "\"9990000921\"", "\"1234567890\"", "\"UNKNOWN\"", "\"123\""},
              {"null", "\"\"", "9434765919", "\"943 476 5919\"", "\"943-476-5919\"",
               "\" 9434765919\"", "\"9434765919 \"", "\"\\u0039434765919\"", "\"1234567890\\t\""}));
  }
  if (random() % 2 == 0) patient.emplace_back("given_name", "\"Amelia\"");
  if (random() % 2 == 0) patient.emplace_back("family_name", "\"O'Test \\\"Q\\\"\"");
  if (random() % 2 == 0) patient.emplace_back("birth_date", "\"2025-12-01\"");
  if (random() % 2 == 0) patient.emplace_back("sex", "\"female\"");
  if (random() % 2 == 0) patient.emplace_back("postcode", "\"XA1 2BD\"");
  if (random() % 4 == 0) patient.emplace_back("pregnant", "false");
  if (random() % 8 == 0) patient.emplace_back("extra", R"({"nhs_number":"1","local_id":["x"]})");
  if (random() % 32 == 0) {  // a patient member twice
    built.ordinary = false;
    patient.emplace_back(random() % 2 == 0 ? "local_id" : "nhs_number", "\"9434765919\"");
  }

  Members row;
  row.emplace_back("attendance_id", value({"\"ED-" + std::to_string(n) + "\"", "\"RSY01-0001\""},
                                          {"null", "\"\"", "12", "\"A\\u0031\"", "\"A\\\\\""}));
  row.emplace_back("site", value({"\"RSY01\"", "\"S\"", "\"R Y\""}, {"null", "\"\"", "[\"S\"]"}));
  row.emplace_back("arrival", "\"2026-01-02T03:04:05Z\"");
  if (random() % 16 != 0) {
    row.emplace_back("patient", Object(patient, random, shuffle, spaced));
  } else {
    built.ordinary = false;  // the decoder requires a patient object
    if (random() % 2 == 0) {
      row.emplace_back("patient", Pick<std::string>({"null", "\"P\"", "[{}]", "\"\""}, random));
    }
  }
  static const std::vector<std::pair<std::string, std::string>> kExtras = {
      {"department", "\"emergency\""},
      {"presenting_complaint", "\"{[ not structure ]} \\\"site\\\":\\\"X\\\"\""},
      {"notes", "\"ends with a backslash \\\\\""},
      {"notes", "\"Triage.\\nNo \\\"Quote\\\" \\\\ \\u00e9 \\\"nhs_number\\\":\\\"1\\\"\""},
      {"injuries", R"([{"type":"bruise","site":"cheek","count":2},{"type":"petechiae"}])"},
      {"diagnoses", R"([{"system":"SNOMED-CT","code":"125667009","display":"Contusion"}])"},
      {"household",
       R"({"recorded":true,"children":[{"given_name":"Noah","nhs_number":"1234567890"}]})"},
      {"discharge", R"({"datetime":"2026-03-15T01:10:00.250Z","status":"admitted"})"},
      {"substances", R"(["alcohol"])"},
      {"observations", R"({"temperature_c":36.8,"head_circumference_centile":91})"},
      {"x_unknown", R"({"site":"Z","attendance_id":"Q","patient":{"nhs_number":"1"}})"},
      {"x_list", R"([["site"],"attendance_id",{"patient":{}}])"},
  };
  for (const auto& extra : kExtras) {
    if (random() % 3 == 0) row.push_back(extra);
  }
  // No two extras of one name: "notes" appears twice in the table.
  std::stable_sort(row.begin(), row.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  row.erase(std::unique(row.begin(), row.end(),
                        [](const auto& a, const auto& b) { return a.first == b.first; }),
            row.end());
  if (random() % 32 == 0) {  // a top-level member twice
    built.ordinary = false;
    row.emplace_back(random() % 2 == 0 ? "site" : "attendance_id", "\"T\"");
  }
  if (random() % 32 == 0) {  // an escaped key
    built.ordinary = false;
    row.emplace_back("s\\u0069te", "\"T\"");
  }
  built.line = Space(random, spaced) + Object(row, random, true, spaced) + Space(random, spaced);
  return built;
}

// Byte edits aimed at what the scanner tracks: quotes, backslashes, brackets.
std::string MutateBytes(std::string line, std::mt19937_64& random) {
  static const std::string kBytes = "\"\\{}[]:, n0\x80";
  auto at = [&] {
    return static_cast<std::size_t>(random() % std::max<std::size_t>(line.size(), 1));
  };
  if (line.empty()) return line;
  switch (random() % 5) {
    case 0:
      line[at()] = kBytes[random() % kBytes.size()];
      break;
    case 1:
      line.insert(at(), 1, kBytes[random() % kBytes.size()]);
      break;
    case 2:
      line.erase(at(), 1);
      break;
    case 3:
      std::swap(line[at()], line[at()]);
      break;
    default: {
      // Swap one kind of structural byte for another.
      static const std::string kFrom = "\"\\{}[]";
      std::size_t from = line.find_first_of(kFrom, at());
      if (from != std::string::npos) line[from] = kFrom[random() % kFrom.size()];
      break;
    }
  }
  return line;
}

TEST(RawPersonFieldsTest, AgreesWithTheDecoder) {
  std::mt19937_64 random(20261126);
  Differential differential;
  Counts ordinary;
  Counts unusual;
  Counts mutated;
  std::vector<std::string> lines;
  for (std::string_view line : {std::string_view(kMinimal), kPlain}) lines.emplace_back(line);
  lines.push_back(With(R"("notes":"\"site\":\"X\"")"));
  for (std::uint64_t n = 0; n < 6000; ++n) {
    Built built = BuildLine(random, n);
    bool answered = differential.Check(built.line, built.ordinary ? ordinary : unusual);
    if (built.ordinary) {
      EXPECT_TRUE(answered) << "ordinary case " << n << " not answered";
    }
    lines.push_back(std::move(built.line));
  }
  EXPECT_EQ(ordinary.accepted, ordinary.cases);
  EXPECT_EQ(ordinary.scanned_accepted, ordinary.accepted);
  EXPECT_GT(unusual.cases, 500u);
  EXPECT_GT(unusual.accepted, 100u);

  for (int round = 0; round < 8; ++round) {
    for (const std::string& line : lines) {
      std::string odd = round % 2 == 0 ? testing::Mutate(line, random) : MutateBytes(line, random);
      if (random() % 3 == 0) odd = MutateBytes(odd, random);
      differential.Check(odd, mutated);
    }
  }
  EXPECT_GT(mutated.scanned_accepted, 1000u);

  for (const auto& [name, counts] : {std::pair("ordinary", ordinary), std::pair("unusual", unusual),
                                     std::pair("mutated", mutated)}) {
    std::printf(
        "%s: %llu cases, %llu accepted by the decoder, %llu answered by the scanner, %llu both\n",
        name, static_cast<unsigned long long>(counts.cases),
        static_cast<unsigned long long>(counts.accepted),
        static_cast<unsigned long long>(counts.scanned),
        static_cast<unsigned long long>(counts.scanned_accepted));
  }
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t newline = text.find('\n', start);
    if (newline == std::string::npos) newline = text.size();
    lines.push_back(text.substr(start, newline - start));
    start = newline + 1;
  }
  return lines;
}

TEST(RawPersonFieldsTest, AgreesWithTheDecoderOnTheFuzzCorpus) {
  std::vector<std::string> files = liaison::testing::ReadCorpus("attendance_json");
  ASSERT_GE(files.size(), 5u);
  std::mt19937_64 random(7);
  Differential differential;
  Counts corpus;
  Counts mutated;
  for (const std::string& file : files) {
    std::vector<std::string> lines = Lines(file);
    lines.push_back(file);
    for (const std::string& line : lines) {
      differential.Check(line, corpus);
      for (int i = 0; i < 500; ++i) {
        std::string odd = i % 2 == 0 ? testing::Mutate(line, random) : MutateBytes(line, random);
        differential.Check(odd, mutated);
      }
    }
  }
  EXPECT_GE(corpus.scanned_accepted, 10u);
  std::printf(
      "corpus: %llu cases, %llu accepted, %llu both; mutated: %llu cases, %llu accepted, "
      "%llu both\n",
      static_cast<unsigned long long>(corpus.cases),
      static_cast<unsigned long long>(corpus.accepted),
      static_cast<unsigned long long>(corpus.scanned_accepted),
      static_cast<unsigned long long>(mutated.cases),
      static_cast<unsigned long long>(mutated.accepted),
      static_cast<unsigned long long>(mutated.scanned_accepted));
}

}  // namespace
}  // namespace liaison::ingest
