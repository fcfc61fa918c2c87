#include "review/attendance_record.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "ingest/attendance_json.h"

namespace liaison::review {
namespace {

// The ingest tests' attendance with every member of the contract filled in.
domain::Attendance FullAttendance() {
  const char* source = std::getenv("LIAISON_SOURCE_DIR");
  std::ifstream file(std::string(source ? source : ".") +
                     "/src/ingest/testdata/full_attendance.json");
  std::stringstream text;
  text << file.rdbuf();
  Result<ingest::DecodedAttendance> decoded = ingest::DecodeAttendanceJson(text.str());
  EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
  return decoded.ok() ? decoded->attendance : domain::Attendance{};
}

TEST(AttendanceRecordTest, EveryMemberSurvivesTheRoundTrip) {
  domain::Attendance full = FullAttendance();
  ASSERT_FALSE(full.injuries.empty());
  ASSERT_TRUE(full.observations.temperature_c.has_value());
  std::string bytes;
  AppendAttendanceRecord(full, bytes);
  Result<domain::Attendance> back = DecodeAttendanceRecord(bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, full);
  // Smaller than the JSON it came from: that is what keeps history and sort runs cheap.
  EXPECT_LT(bytes.size(), ingest::EncodeAttendanceJson(full).size());
}

TEST(AttendanceRecordTest, AnAlmostEmptyAttendanceRoundTrips) {
  domain::Attendance minimal;
  minimal.attendance_id = "A1";
  minimal.site = "S1";
  minimal.arrival = Timestamp(std::chrono::microseconds(-5));  // before the epoch, too
  minimal.patient.nhs_number = domain::RecordedNhsNumber{"123", false};
  std::string bytes;
  AppendAttendanceRecord(minimal, bytes);
  Result<domain::Attendance> back = DecodeAttendanceRecord(bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, minimal);
}

TEST(AttendanceRecordTest, TruncatedOrPaddedBytesAreRefused) {
  std::string bytes;
  AppendAttendanceRecord(FullAttendance(), bytes);
  for (std::size_t keep : {std::size_t{0}, std::size_t{1}, bytes.size() / 2, bytes.size() - 1}) {
    Result<domain::Attendance> back =
        DecodeAttendanceRecord(std::string_view(bytes).substr(0, keep));
    ASSERT_FALSE(back.ok()) << keep;
    EXPECT_EQ(back.status().reason(), "corrupt_record");
  }
  EXPECT_FALSE(DecodeAttendanceRecord(bytes + "x").ok());
}

TEST(AttendanceRecordTest, AnEnumerationOutOfRangeIsRefused) {
  domain::Attendance minimal;
  minimal.attendance_id = "A";
  minimal.site = "S";
  std::string bytes;
  AppendAttendanceRecord(minimal, bytes);
  // id (2 bytes), site (2), arrival (1), patient (8: seven absent markers and the sex), then
  // the department: 0xFF when absent, else 0..5.
  constexpr std::size_t kDepartment = 13;
  ASSERT_EQ(static_cast<unsigned char>(bytes[kDepartment]), 0xFF);
  bytes[kDepartment] = 5;
  Result<domain::Attendance> other = DecodeAttendanceRecord(bytes);
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->department, domain::Department::kOther);
  bytes[kDepartment] = 6;
  EXPECT_EQ(DecodeAttendanceRecord(bytes).status().reason(), "corrupt_record");
}

}  // namespace
}  // namespace liaison::review
