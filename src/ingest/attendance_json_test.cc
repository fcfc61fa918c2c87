#include "ingest/attendance_json.h"

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "ingest/attendance_json_paths_testing.h"

namespace liaison::ingest {
namespace {

using domain::Attendance;

std::string ReadTestFile(const std::string& name) {
  const char* source = std::getenv("LIAISON_SOURCE_DIR");
  std::string path = std::string(source ? source : ".") + "/src/ingest/testdata/" + name;
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

using testing::kMinimal;
using testing::With;

// The writer skips plain text 8 bytes at a time; against a byte-by-byte escaper, over every
// byte value at every offset of a word and over random mixes of plain, special and UTF-8 bytes.
TEST(AttendanceJsonTest, JsonStringsEscapeExactlyTheBytesJsonRequires) {
  auto reference = [](std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
      unsigned char u = static_cast<unsigned char>(c);
      if (c == '"') {
        out += "\\\"";
      } else if (c == '\\') {
        out += "\\\\";
      } else if (c == '\n') {
        out += "\\n";
      } else if (c == '\r') {
        out += "\\r";
      } else if (c == '\t') {
        out += "\\t";
      } else if (u < 0x20) {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out.push_back(kHex[u >> 4]);
        out.push_back(kHex[u & 0xF]);
      } else {
        out.push_back(c);
      }
    }
    return out + "\"";
  };
  auto written = [](std::string_view text) {
    std::string out;
    AppendJsonString(text, out);
    return out;
  };
  for (int byte = 0; byte < 256; ++byte) {
    for (std::size_t at = 0; at < 24; ++at) {
      std::string text(24, 'a');
      text[at] = static_cast<char>(byte);
      ASSERT_EQ(written(text), reference(text)) << byte << " at " << at;
    }
  }
  const std::string alphabet =
      std::string("abc xyz019\"\\\n\r\t\x01\x1f\x7f\x80\xc3\xa9\xff ") + '\0';
  std::mt19937 random(3);
  for (int i = 0; i < 5000; ++i) {
    std::string text(random() % 40, ' ');
    for (char& c : text) c = alphabet[random() % alphabet.size()];
    ASSERT_EQ(written(text), reference(text)) << i;
  }
}

TEST(AttendanceJsonTest, DecodesTheFullExample) {
  Result<DecodedAttendance> decoded = DecodeAttendanceJson(ReadTestFile("full_attendance.json"));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  const Attendance& a = decoded->attendance;
  EXPECT_EQ(a.attendance_id, "ED-0001");
  EXPECT_EQ(a.arrival, *ParseTimestamp("2026-03-14T21:05:00Z"));
  ASSERT_TRUE(a.patient.nhs_number.has_value());
  EXPECT_TRUE(a.patient.nhs_number->verified);
  EXPECT_EQ(a.patient.nhs_number->text, "9990000018");
  EXPECT_EQ(a.mobility, domain::Mobility::kNotIndependentlyMobile);
  ASSERT_EQ(a.injuries.size(), 2u);
  EXPECT_EQ(a.injuries[0].type, domain::InjuryType::kBruise);
  EXPECT_EQ(a.injuries[0].count, 2);
  EXPECT_EQ(a.diagnoses[1].system, domain::DiagnosisSystem::kIcd10);
  EXPECT_EQ(a.explanation, domain::Explanation::kUnsuitable);
  EXPECT_EQ(a.observations.temperature_c, 36.8);
  ASSERT_EQ(a.household.children.size(), 1u);
  EXPECT_FALSE(a.household.children[0].nhs_number->verified);
  // The invalid household NHS number is the only warning.
  ASSERT_EQ(decoded->warnings.size(), 1u);
  EXPECT_EQ(decoded->warnings[0].field, "/household/children/0/nhs_number");
  EXPECT_EQ(decoded->warnings[0].reason, "unverified_nhs_number");
}

TEST(AttendanceJsonTest, RoundTripsThroughTheCanonicalForm) {
  for (std::string text :
       {ReadTestFile("full_attendance.json"), std::string(kMinimal),
        With(R"("injury":{"place":"school"},"observations":{"temperature_c":37.123456})")}) {
    Result<DecodedAttendance> first = DecodeAttendanceJson(text);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    std::string canonical = EncodeAttendanceJson(first->attendance);
    Result<DecodedAttendance> second = DecodeAttendanceJson(canonical);
    ASSERT_TRUE(second.ok()) << second.status().ToString() << "\n" << canonical;
    EXPECT_EQ(second->attendance, first->attendance) << canonical;
    EXPECT_EQ(EncodeAttendanceJson(second->attendance), canonical);
  }
}

TEST(AttendanceJsonTest, MissingNullAndEmptyAllMeanNotProvided) {
  for (std::string text :
       {std::string(kMinimal),
        With(R"("department":null,"notes":"","injury":{},"injuries":[],"household":null)"),
        With(R"("department":"","explanation":null,"injuries":null,"substances":["",null])"),
        With(R"("patient":{"nhs_number":"","birth_date":null,"sex":""})")}) {
    // "patient" appears twice in the last case; the parser keeps the last one.
    Result<DecodedAttendance> decoded = DecodeAttendanceJson(text);
    ASSERT_TRUE(decoded.ok()) << text << ": " << decoded.status().ToString();
    const Attendance& a = decoded->attendance;
    EXPECT_FALSE(a.department.has_value());
    EXPECT_FALSE(a.notes.has_value());
    EXPECT_FALSE(a.patient.nhs_number.has_value());
    EXPECT_TRUE(a.injury.empty());
    EXPECT_TRUE(a.injuries.empty());
    EXPECT_TRUE(a.substances.empty());
    EXPECT_EQ(a.explanation, domain::Explanation::kNotRecorded);
    EXPECT_TRUE(decoded->warnings.empty()) << decoded->warnings[0].field;
  }
}

struct RejectCase {
  std::string text;
  std::string field;
  std::string reason;
};

TEST(AttendanceJsonTest, EveryRejectionNamesTheField) {
  const std::string long_text(40 * 1024, 'x');
  std::string many_injuries = R"("injuries":[)";
  for (int i = 0; i < 65; ++i) many_injuries += std::string(i ? "," : "") + R"({"type":"bruise"})";
  many_injuries += "]";
  const RejectCase cases[] = {
      {"{", "", "invalid_json"},
      {"[1,2]", "", "invalid_type"},
      {"", "", "invalid_json"},
      {"{\"attendance_id\":\"A\xff\"}", "", "invalid_utf8"},
      {R"({"site":"S","arrival":"2026-01-02T03:04:05Z","patient":{}})", "/attendance_id",
       "missing_field"},
      {R"({"attendance_id":"A","arrival":"2026-01-02T03:04:05Z","patient":{}})", "/site",
       "missing_field"},
      {R"({"attendance_id":"A","site":"S","patient":{}})", "/arrival", "missing_field"},
      {R"({"attendance_id":"A","site":"S","arrival":"2026-01-02T03:04:05Z"})", "/patient",
       "missing_field"},
      {R"({"attendance_id":"A","site":"S","arrival":"2026-01-02T03:04:05Z","patient":"x"})",
       "/patient", "invalid_type"},
      {R"({"attendance_id":7,"site":"S","arrival":"2026-01-02T03:04:05Z","patient":{}})",
       "/attendance_id", "invalid_type"},
      {R"({"attendance_id":"A","site":"S","arrival":"2026-02-30T03:04:05Z","patient":{}})",
       "/arrival", "invalid_datetime"},
      {R"({"attendance_id":"A","site":"S","arrival":"2026-01-02","patient":{}})", "/arrival",
       "invalid_datetime"},
      {With(R"("patient":{"birth_date":"2026-13-01"})"), "/patient/birth_date", "invalid_date"},
      {With(R"("patient":{"birth_date":"1066-10-14"})"), "/patient/birth_date", "out_of_range"},
      {With(R"("patient":{"sex":"yes"})"), "/patient/sex", "invalid_enum"},
      {With(R"("patient":{"pregnant":"no"})"), "/patient/pregnant", "invalid_type"},
      {With(R"("department":"resus")"), "/department", "invalid_enum"},
      {With(R"("mobility":"crawling")"), "/mobility", "invalid_enum"},
      {With(R"("injury":{"intent":"malicious"})"), "/injury/intent", "invalid_enum"},
      {With(R"("injury":{"place":"park"})"), "/injury/place", "invalid_enum"},
      {With(R"("injury":{"datetime":"yesterday"})"), "/injury/datetime", "invalid_datetime"},
      {With(R"("injury":[])"), "/injury", "invalid_type"},
      {With(R"("injuries":[{"type":"bruise"},{"type":"Bruise"}])"), "/injuries/1/type",
       "invalid_enum"},
      {With(R"("injuries":[{"type":"bruise","count":0}])"), "/injuries/0/count", "out_of_range"},
      {With(R"("injuries":[{"type":"bruise","count":1.5}])"), "/injuries/0/count", "invalid_type"},
      {With(R"("injuries":[{"type":"bruise","count":18446744073709551615}])"), "/injuries/0/count",
       "out_of_range"},
      {With(R"("injuries":["bruise"])"), "/injuries/0", "invalid_type"},
      {With(R"("injuries":{"type":"bruise"})"), "/injuries", "invalid_type"},
      {With(R"("diagnoses":[{"system":"READ","code":"X"}])"), "/diagnoses/0/system",
       "invalid_enum"},
      {With(R"("explanation":"plausible")"), "/explanation", "invalid_enum"},
      {With(R"("substances":["alcohol","tobacco"])"), "/substances/1", "invalid_enum"},
      {With(R"("concerns":["neglect"])"), "/concerns/0", "invalid_enum"},
      {With(R"("concerns":[1])"), "/concerns/0", "invalid_type"},
      {With(R"("household":{"children":[{"birth_date":"01/02/2020"}]})"),
       "/household/children/0/birth_date", "invalid_date"},
      {With(R"("household":{"recorded":1})"), "/household/recorded", "invalid_type"},
      {With(R"("discharge":{"status":"home"})"), "/discharge/status", "invalid_enum"},
      {With(R"("screening":{"other_concerns":"true"})"), "/screening/other_concerns",
       "invalid_type"},
      {With(R"("observations":{"temperature_c":99})"), "/observations/temperature_c",
       "out_of_range"},
      {With(R"("observations":{"haemoglobin_g_dl":"11"})"), "/observations/haemoglobin_g_dl",
       "invalid_type"},
      {With("\"notes\":\"" + long_text + "\""), "/notes", "too_long"},
      {With(R"("attendance_id":")" + std::string(200, '1') + "\""), "/attendance_id", "too_long"},
      {With(many_injuries), "/injuries", "too_many_items"},
      {With(R"("x":[[[[[[[[[[1]]]]]]]]]])"), "", "too_deep"},
  };
  for (const RejectCase& c : cases) {
    Result<DecodedAttendance> decoded = DecodeAttendanceJson(c.text);
    ASSERT_FALSE(decoded.ok()) << c.text.substr(0, 200);
    EXPECT_EQ(decoded.status().field(), c.field) << c.text.substr(0, 200);
    EXPECT_EQ(decoded.status().reason(), c.reason) << c.text.substr(0, 200);
  }
}

TEST(AttendanceJsonTest, ErrorsNeverEchoTheValue) {
  Result<DecodedAttendance> decoded =
      DecodeAttendanceJson(With(R"("patient":{"birth_date":"Secret-Value"})"));
  ASSERT_FALSE(decoded.ok());
  EXPECT_EQ(decoded.status().ToString().find("Secret"), std::string::npos);
}

TEST(AttendanceJsonTest, UnknownFieldsAndBadNhsNumbersAreWarnings) {
  Result<DecodedAttendance> decoded = DecodeAttendanceJson(
      With(R"("triage_category":2,"patient":{"nhs_number":"999 000 0019","nickname":"x"},)"
           R"("injuries":[{"type":"bruise","colour":"blue"}],"a/b~c":1)"));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  std::vector<FieldWarning> expected = {
      {"/triage_category", "unknown_field"},   {"/a~1b~0c", "unknown_field"},
      {"/patient/nickname", "unknown_field"},  {"/patient/nhs_number", "unverified_nhs_number"},
      {"/injuries/0/colour", "unknown_field"},
  };
  EXPECT_EQ(decoded->warnings, expected);
  EXPECT_EQ(decoded->attendance.patient.nhs_number->text, "999 000 0019");
  EXPECT_FALSE(decoded->attendance.patient.nhs_number->verified);
}

// Member names are matched exactly, byte by byte: a name one byte away from a known one, at
// any position, in names of every length (1 to 3, 4 to 7, 8 and more bytes), is unknown.
TEST(AttendanceJsonTest, ANameOneByteAwayFromAKnownOneIsUnknown) {
  for (std::string name : {"site", "notes", "injury", "arrival", "concerns", "department",
                           "presenting_complaint", "safeguarding_concern_codes"}) {
    for (std::size_t at = 0; at < name.size(); ++at) {
      std::string near = name;
      near[at] = near[at] == 'x' ? 'y' : 'x';
      Result<DecodedAttendance> decoded = DecodeAttendanceJson(With("\"" + near + "\":\"v\""));
      ASSERT_TRUE(decoded.ok()) << near;
      std::vector<FieldWarning> expected = {{"/" + near, "unknown_field"}};
      EXPECT_EQ(decoded->warnings, expected) << near;
    }
  }
  for (std::string name : {"sex", "pattern", "type"}) {  // short names in nested objects
    std::string near = name;
    near.back() = 'q';
    std::string member = name == "sex" ? R"("patient":{")" + near + R"(":"female"})"
                                       : R"("injuries":[{")" + near + R"(":"x"}])";
    Result<DecodedAttendance> decoded = DecodeAttendanceJson(With(member));
    ASSERT_TRUE(decoded.ok()) << near;
    ASSERT_EQ(decoded->warnings.size(), 1u) << near;
    EXPECT_EQ(decoded->warnings[0].reason, "unknown_field");
  }
}

TEST(AttendanceJsonTest, BirthAfterArrivalIsAWarning) {
  Result<DecodedAttendance> decoded =
      DecodeAttendanceJson(With(R"("patient":{"birth_date":"2026-02-01"})"));
  ASSERT_TRUE(decoded.ok());
  ASSERT_EQ(decoded->warnings.size(), 1u);
  EXPECT_EQ(decoded->warnings[0].reason, "birth_date_after_arrival");
}

TEST(AttendanceJsonTest, RowsLongerThanTheLimitAreRejected) {
  AttendanceLimits limits;
  limits.max_row_bytes = 100;
  AttendanceJsonDecoder decoder(limits);
  EXPECT_EQ(
      decoder.Decode(With(R"("notes":"a fairly long note that pushes it over")")).status().reason(),
      "too_long");
  EXPECT_TRUE(decoder.Decode(kMinimal).ok());
}

TEST(AttendanceJsonTest, OneDecoderDecodesManyRows) {
  AttendanceJsonDecoder decoder;
  for (int i = 0; i < 100; ++i) {
    EXPECT_TRUE(decoder.Decode(kMinimal).ok());
    EXPECT_FALSE(decoder.Decode("{\"attendance_id\":").ok());
  }
}

// DecodeInto fills a reused row in place: nothing of an earlier row (the full example, or one
// that failed part way) may be left in a later, sparser one.
TEST(AttendanceJsonTest, DecodeIntoLeavesNothingOfTheRowBefore) {
  const std::string full = ReadTestFile("full_attendance.json");
  const std::vector<std::string> rows = {
      full,
      std::string(kMinimal),
      full,
      With(R"("injuries":[{"type":"bruise"}],"household":{"recorded":false})"),
      full,
      With(R"("injuries":[{"type":"bruise"},{"type":"nowhere"}])"),
      With(R"("patient":{"sex":"male"})"),
      full,
      R"({"attendance_id":"A2","site":"S","arrival":"2026-01-02T03:04:05Z","patient":{},"x":1})",
  };
  for (JsonDecodePath path : {JsonDecodePath::kFast, JsonDecodePath::kReference}) {
    AttendanceJsonDecoder reused(AttendanceLimits(), path);
    DecodedAttendance row;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      Status status = reused.DecodeInto(rows[i], row);
      Result<DecodedAttendance> fresh =
          AttendanceJsonDecoder(AttendanceLimits(), path).Decode(rows[i]);
      ASSERT_EQ(status.ok(), fresh.ok()) << i;
      if (!status.ok()) continue;
      EXPECT_TRUE(row.attendance == fresh->attendance) << i;
      EXPECT_EQ(row.warnings, fresh->warnings) << i;
    }
  }
}

TEST(AttendanceJsonTest, OneDecoderDecodesManyLargeRowsOnEitherPath) {
  // Each row outgrows the decoder's reusable arena. The reference path once kept doubling its
  // next block from row to row, until a valid row was rejected as too long.
  std::string large = With(R"("notes":")" + std::string(30000, 'x') + "\"");
  for (JsonDecodePath path : {JsonDecodePath::kReference, JsonDecodePath::kFast}) {
    AttendanceJsonDecoder decoder(AttendanceLimits(), path);
    for (int i = 0; i < 80; ++i) ASSERT_TRUE(decoder.Decode(large).ok()) << i;
  }
}

TEST(AttendanceJsonTest, EncodingEscapesControlCharacters) {
  Attendance attendance;
  attendance.attendance_id = "A";
  attendance.site = "S";
  attendance.notes = std::string("tab\there \x01 \"q\"");
  std::string text = EncodeAttendanceJson(attendance);
  EXPECT_NE(text.find(R"(tab\there \u0001 \"q\")"), std::string::npos) << text;
  Result<DecodedAttendance> back = DecodeAttendanceJson(text);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->attendance, attendance);
}

}  // namespace
}  // namespace liaison::ingest
