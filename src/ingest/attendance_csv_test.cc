#include "ingest/attendance_csv.h"

#include <sstream>

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "ingest/csv_reader.h"

namespace liaison::ingest {
namespace {

using domain::Attendance;

std::vector<std::vector<std::string>> ReadAll(const std::string& text, std::size_t max = 1 << 20,
                                              std::vector<std::string>* errors = nullptr) {
  std::istringstream in(text);
  CsvReader reader(in, max);
  std::vector<std::vector<std::string>> records;
  for (;;) {
    CsvReader::Outcome outcome = reader.Next();
    if (outcome == CsvReader::Outcome::kEnd) break;
    if (outcome == CsvReader::Outcome::kBadRecord) {
      if (errors)
        errors->push_back(std::to_string(reader.line()) + ":" + std::string(reader.error()));
      continue;
    }
    EXPECT_EQ(outcome, CsvReader::Outcome::kRecord);
    if (outcome != CsvReader::Outcome::kRecord) break;
    records.emplace_back(reader.fields().begin(), reader.fields().end());
  }
  return records;
}

struct SplitCase {
  std::string text;
  std::vector<std::vector<std::string>> records;
};

TEST(CsvReaderTest, SplitsRfc4180Records) {
  const SplitCase cases[] = {
      {"a,b,c\n", {{"a", "b", "c"}}},
      {"a,b,c", {{"a", "b", "c"}}},  // no final line end
      {"a,b\r\nc,d\r\n", {{"a", "b"}, {"c", "d"}}},
      {"\xEF\xBB\xBF"
       "a,b\n",
       {{"a", "b"}}},  // BOM
      {"\"a,1\",\"say \"\"hi\"\"\"\n", {{"a,1", "say \"hi\""}}},
      {"\"line1\nline2\",x\n", {{"line1\nline2", "x"}}},
      {"\"cr\r\nlf\",x\r\n", {{"cr\r\nlf", "x"}}},
      {",,\n", {{"", "", ""}}},
      {"\"\",x\n", {{"", "x"}}},
      {"a\n\n\r\nb\n", {{"a"}, {"b"}}},  // blank lines are not records
      {"a\rb\r", {{"a"}, {"b"}}},        // old Mac line ends
      {"5\" tall,x\n", {{"5\" tall", "x"}}},
      {"", {}},
  };
  for (const SplitCase& c : cases) {
    EXPECT_EQ(ReadAll(c.text), c.records) << c.text;
  }
}

TEST(CsvReaderTest, ReportsBadRecordsAndGoesOn) {
  std::vector<std::string> errors;
  auto records = ReadAll("a,b\n\"x\"y,z\nc,d\n\"open,e\nf\n", 1 << 20, &errors);
  EXPECT_EQ(records, (std::vector<std::vector<std::string>>{{"a", "b"}, {"c", "d"}}));
  EXPECT_EQ(errors, (std::vector<std::string>{"2:invalid_quote", "4:unterminated_quote"}));
}

TEST(CsvReaderTest, SkipsRecordsLongerThanTheBound) {
  std::vector<std::string> errors;
  std::string text =
      "a,b\n" + std::string(100, 'x') + ",\"" + std::string(50, 'y') + "\ny\"\nc,d\n";
  auto records = ReadAll(text, 64, &errors);
  EXPECT_EQ(records, (std::vector<std::vector<std::string>>{{"a", "b"}, {"c", "d"}}));
  EXPECT_EQ(errors, (std::vector<std::string>{"2:record_too_long"}));
}

TEST(CsvReaderTest, CountsPhysicalLines) {
  std::istringstream in("h\n\"a\nb\"\nc\n");
  CsvReader reader(in, 1024);
  ASSERT_EQ(reader.Next(), CsvReader::Outcome::kRecord);
  EXPECT_EQ(reader.line(), 1);
  ASSERT_EQ(reader.Next(), CsvReader::Outcome::kRecord);
  EXPECT_EQ(reader.line(), 2);
  ASSERT_EQ(reader.Next(), CsvReader::Outcome::kRecord);
  EXPECT_EQ(reader.line(), 4);
}

Attendance Sample() {
  Attendance a;
  a.attendance_id = "ED-1";
  a.site = "RSY01";
  a.arrival = *ParseTimestamp("2026-05-01T10:00:00Z");
  a.patient.nhs_number = domain::RecordedNhsNumber::From("9990000018");
  a.patient.given_name = "Zoë";
  a.patient.family_name = "O'Neil, \"Jr\"";
  a.patient.birth_date = *ParseDate("2025-12-24");
  a.patient.sex = domain::Sex::kMale;
  a.mobility = domain::Mobility::kNotIndependentlyMobile;
  a.injury.intent = domain::InjuryIntent::kUndetermined;
  a.injuries.push_back({domain::InjuryType::kBruise, "ear", std::nullopt, 2});
  a.injuries.push_back({domain::InjuryType::kFracture, "rib", "posterior", std::nullopt});
  a.diagnoses.push_back({domain::DiagnosisSystem::kIcd10, "S22.3", "Fracture of rib"});
  a.substances = {domain::Substance::kAlcohol, domain::Substance::kDrugs};
  a.safeguarding_concern_codes = {"700255001", "162596006"};
  a.notes = "Line one,\nline two. No bruising seen elsewhere.";
  a.household.recorded = true;
  a.household.children.push_back(
      {"Ann", "Smith", *ParseDate("2020-01-01"), domain::RecordedNhsNumber::From("123")});
  a.screening.history_consistent = false;
  a.observations.temperature_c = 36.85;
  a.explanation = domain::Explanation::kAbsent;
  return a;
}

Result<DecodedAttendance> DecodeText(const std::string& text) {
  std::istringstream in(text);
  CsvReader reader(in, 1 << 20);
  if (reader.Next() != CsvReader::Outcome::kRecord) return Internal("test", "no header");
  std::vector<std::string> header(reader.fields().begin(), reader.fields().end());
  std::vector<std::string_view> header_views(header.begin(), header.end());
  ASSIGN_OR_RETURN(AttendanceCsvDecoder decoder, AttendanceCsvDecoder::Create(header_views));
  if (reader.Next() != CsvReader::Outcome::kRecord) return Internal("test", "no record");
  return decoder.Decode(reader.fields());
}

TEST(AttendanceCsvTest, RoundTrips) {
  CsvLayout layout;
  std::string text = AttendanceCsvHeader(layout);
  ASSERT_TRUE(AppendAttendanceCsv(Sample(), layout, text).ok());
  Result<DecodedAttendance> decoded = DecodeText(text);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->attendance, Sample()) << text;
  ASSERT_EQ(decoded->warnings.size(), 1u);
  EXPECT_EQ(decoded->warnings[0].field, "household_child_1_nhs_number");
}

TEST(AttendanceCsvTest, TooManyItemsForTheLayoutIsAnError) {
  CsvLayout layout;
  layout.injuries = 1;
  std::string text;
  EXPECT_EQ(AppendAttendanceCsv(Sample(), layout, text).reason(), "too_many_items");
}

TEST(AttendanceCsvTest, MatchesColumnsByNameInAnyOrder) {
  Result<DecodedAttendance> decoded = DecodeText(
      "injury_3_type,arrival,site,attendance_id,extra,injury_1_site\n"
      "scald,2026-05-01T11:00:00+01:00,S,A,whatever,sole\n");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  const Attendance& a = decoded->attendance;
  EXPECT_EQ(a.arrival, *ParseTimestamp("2026-05-01T10:00:00Z"));
  ASSERT_EQ(a.injuries.size(), 2u);
  EXPECT_EQ(a.injuries[0].site, "sole");
  EXPECT_EQ(a.injuries[1].type, domain::InjuryType::kScald);
}

struct CsvRejectCase {
  std::string header;
  std::string record;
  std::string field;
  std::string reason;
};

TEST(AttendanceCsvTest, EveryRejectionNamesTheColumn) {
  const std::string base = "attendance_id,site,arrival";
  const std::string ok = "A,S,2026-01-01T00:00:00Z";
  const CsvRejectCase cases[] = {
      {base, ",S,2026-01-01T00:00:00Z", "attendance_id", "missing_field"},
      {base, "A,,2026-01-01T00:00:00Z", "site", "missing_field"},
      {base, "A,S,", "arrival", "missing_field"},
      {base, "A,S,2026-01-01", "arrival", "invalid_datetime"},
      {base, "A,S", "", "wrong_field_count"},
      {base, ok + ",extra", "", "wrong_field_count"},
      {base + ",patient_birth_date", ok + ",31/01/2020", "patient_birth_date", "invalid_date"},
      {base + ",patient_sex", ok + ",x", "patient_sex", "invalid_enum"},
      {base + ",patient_pregnant", ok + ",maybe", "patient_pregnant", "invalid_boolean"},
      {base + ",department", ok + ",A&E", "department", "invalid_enum"},
      {base + ",injury_2_type", ok + ",bruising", "injury_2_type", "invalid_enum"},
      {base + ",injury_1_count", ok + ",two", "injury_1_count", "invalid_number"},
      {base + ",injury_1_count", ok + ",99999999999999999999", "injury_1_count", "out_of_range"},
      {base + ",diagnosis_1_system", ok + ",snomed", "diagnosis_1_system", "invalid_enum"},
      {base + ",substances", ok + ",alcohol;glue", "substances", "invalid_enum"},
      {base + ",concerns", ok + ",neglect", "concerns", "invalid_enum"},
      {base + ",explanation", ok + ",fine", "explanation", "invalid_enum"},
      {base + ",discharge_status", ok + ",gone", "discharge_status", "invalid_enum"},
      {base + ",observation_temperature_c", ok + ",hot", "observation_temperature_c",
       "invalid_number"},
      {base + ",observation_temperature_c", ok + ",80", "observation_temperature_c",
       "out_of_range"},
      {base + ",notes", ok + ",\"bad \xC3\x28 utf8\"", "notes", "invalid_utf8"},
      {base + ",patient_postcode", ok + "," + std::string(300, 'P'), "patient_postcode",
       "too_long"},
      {base + ",household_child_1_birth_date", ok + ",2020-02-30", "household_child_1_birth_date",
       "invalid_date"},
  };
  for (const CsvRejectCase& c : cases) {
    Result<DecodedAttendance> decoded = DecodeText(c.header + "\n" + c.record + "\n");
    ASSERT_FALSE(decoded.ok()) << c.record;
    EXPECT_EQ(decoded.status().field(), c.field) << c.record;
    EXPECT_EQ(decoded.status().reason(), c.reason) << c.record;
  }
}

TEST(AttendanceCsvTest, HeaderProblemsStopTheFile) {
  std::vector<std::string_view> missing = {"attendance_id", "site"};
  EXPECT_EQ(AttendanceCsvDecoder::Create(missing).status().reason(), "missing_column");
  EXPECT_EQ(AttendanceCsvDecoder::Create(missing).status().field(), "arrival");
  std::vector<std::string_view> duplicate = {"attendance_id", "site", "arrival", "site"};
  EXPECT_EQ(AttendanceCsvDecoder::Create(duplicate).status().reason(), "duplicate_column");
  std::vector<std::string_view> unknown = {"attendance_id", "site",           "arrival",
                                           "injury_0_type", "injury_99_type", "colour"};
  Result<AttendanceCsvDecoder> decoder = AttendanceCsvDecoder::Create(unknown);
  ASSERT_TRUE(decoder.ok());
  EXPECT_EQ(decoder->header_warnings().size(), 3u);
}

}  // namespace
}  // namespace liaison::ingest
