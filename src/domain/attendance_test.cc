#include "domain/attendance.h"

#include <gtest/gtest.h>

#include "common/time_format.h"

namespace liaison::domain {
namespace {

template <typename Enum>
void ExpectSlugsRoundTrip() {
  for (std::size_t i = 0; i < AllSlugs<Enum>().size(); ++i) {
    Enum value = static_cast<Enum>(i);
    EXPECT_EQ(FromSlug<Enum>(Slug(value)), value) << Slug(value);
  }
  EXPECT_FALSE(FromSlug<Enum>("not_a_slug").has_value());
  EXPECT_FALSE(FromSlug<Enum>("").has_value());
}

TEST(AttendanceTest, EverySlugTableRoundTrips) {
  ExpectSlugsRoundTrip<Department>();
  ExpectSlugsRoundTrip<Mobility>();
  ExpectSlugsRoundTrip<InjuryIntent>();
  ExpectSlugsRoundTrip<InjuryPlace>();
  ExpectSlugsRoundTrip<InjuryType>();
  ExpectSlugsRoundTrip<DiagnosisSystem>();
  ExpectSlugsRoundTrip<Explanation>();
  ExpectSlugsRoundTrip<Substance>();
  ExpectSlugsRoundTrip<Concern>();
  ExpectSlugsRoundTrip<DischargeStatus>();
  ExpectSlugsRoundTrip<Sex>();
}

TEST(AttendanceTest, SexSlugsAgreeWithPerson) {
  for (Sex sex : {Sex::kFemale, Sex::kMale, Sex::kOther, Sex::kUnknown}) {
    EXPECT_EQ(Slug(sex), SexSlug(sex));
  }
}

TEST(AttendanceTest, SlugsAreCaseSensitive) {
  EXPECT_FALSE(FromSlug<InjuryType>("Bruise").has_value());
  EXPECT_EQ(FromSlug<DiagnosisSystem>("ICD-10"), DiagnosisSystem::kIcd10);
}

TEST(AttendanceTest, AgeInDaysUsesTheLondonArrivalDate) {
  Attendance attendance;
  attendance.patient.birth_date = *ParseDate("2026-07-01");
  // 23:30 UTC on 1 July is 00:30 on 2 July in London (BST).
  attendance.arrival = *ParseTimestamp("2026-07-01T23:30:00Z");
  EXPECT_EQ(AgeInDaysAtArrival(attendance), 1);
  attendance.arrival = *ParseTimestamp("2026-06-30T10:00:00Z");
  EXPECT_FALSE(AgeInDaysAtArrival(attendance).has_value());
  attendance.patient.birth_date.reset();
  EXPECT_FALSE(AgeInDaysAtArrival(attendance).has_value());
}

TEST(AttendanceTest, DefaultExplanationIsNotRecorded) {
  EXPECT_EQ(Attendance().explanation, Explanation::kNotRecorded);
}

}  // namespace
}  // namespace liaison::domain
