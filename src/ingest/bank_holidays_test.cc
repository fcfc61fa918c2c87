#include "ingest/bank_holidays.h"

#include <cstdlib>

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "domain/working_day_calendar.h"

namespace liaison::ingest {
namespace {

TEST(BankHolidaysTest, TheShippedFileGivesTheKnownOneOffHolidays) {
  const char* source = std::getenv("LIAISON_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  auto dates = LoadBankHolidays(std::string(source) + "/data/bank-holidays-england-and-wales.json");
  ASSERT_TRUE(dates.ok()) << dates.status().ToString();
  domain::WorkingDayCalendar calendar(*dates);
  // The one-off holidays of 2022 (State Funeral) and 2023 (Coronation), and the moved
  // 2020 early May holiday.
  EXPECT_TRUE(calendar.IsBankHoliday(*ParseDate("2022-09-19")));
  EXPECT_TRUE(calendar.IsBankHoliday(*ParseDate("2023-05-08")));
  EXPECT_TRUE(calendar.IsBankHoliday(*ParseDate("2020-05-08")));
  EXPECT_FALSE(calendar.IsBankHoliday(*ParseDate("2020-05-04")));
  EXPECT_LE(static_cast<int>(calendar.FirstYear()), 2018);
  EXPECT_GE(static_cast<int>(calendar.LastYear()), 2030);
}

TEST(BankHolidaysTest, MalformedFilesNameTheProblem) {
  EXPECT_EQ(ParseBankHolidays("{").status().reason(), "invalid_json");
  EXPECT_EQ(ParseBankHolidays("{\"events\": 3}").status().field(), "/events");
  Result<std::vector<std::chrono::year_month_day>> bad =
      ParseBankHolidays(R"({"events": [{"date": "2026-01-01"}, {"date": "2026-02-30"}]})");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "/events/1/date");
  EXPECT_EQ(bad.status().reason(), "invalid_date");
}

}  // namespace
}  // namespace liaison::ingest
