#include "domain/working_day_calendar.h"

#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "common/time_format.h"

namespace liaison::domain {
namespace {

using std::chrono::year_month_day;

year_month_day D(const char* text) { return *ParseDate(text); }
Timestamp T(const char* text) { return *ParseTimestamp(text); }

WorkingDayCalendar Christmas2026() {
  std::vector<year_month_day> holidays = {D("2026-12-25"), D("2026-12-28"), D("2027-01-01")};
  return WorkingDayCalendar(holidays);
}

TEST(WorkingDayCalendarTest, SkipsWeekendsAndBankHolidays) {
  WorkingDayCalendar calendar = Christmas2026();
  EXPECT_TRUE(calendar.IsWorkingDay(D("2026-11-26")));   // Thursday
  EXPECT_FALSE(calendar.IsWorkingDay(D("2026-11-28")));  // Saturday
  EXPECT_FALSE(calendar.IsWorkingDay(D("2026-12-25")));  // Christmas Day, Friday
  struct Case {
    const char* from;
    int n;
    const char* expected;
  } cases[] = {
      {"2026-11-26", 1, "2026-11-27"},  // Thu -> Fri
      {"2026-11-27", 1, "2026-11-30"},  // Fri -> Mon
      {"2026-11-28", 1, "2026-11-30"},  // Sat -> Mon
      {"2026-12-24", 1, "2026-12-29"},  // Thu -> Tue, over Christmas and the substitute day
      {"2026-12-31", 1, "2027-01-04"},  // Thu -> Mon, over New Year's Day
      {"2026-12-24", 3, "2026-12-31"}, {"2026-12-26", 0, "2026-12-29"},
      {"2026-11-26", 0, "2026-11-26"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(FormatDate(calendar.WorkingDaysAfter(D(c.from), c.n)), c.expected)
        << c.from << " + " << c.n;
  }
  EXPECT_EQ(calendar.WorkingDaysBetween(D("2026-12-24"), D("2026-12-29")), 1);
}

// The offset against the rule worked out afresh, over instants that hop between years (the
// per-thread cache of a year's bounds must never answer for another year), and the first and
// last instants of years.
TEST(LondonTimeTest, OffsetMatchesTheRuleAcrossYears) {
  auto rule = [](Timestamp at) {
    std::chrono::year y =
        std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(at)).year();
    auto last_sunday_1am = [&](std::chrono::month m) {
      return Timestamp(std::chrono::sys_days(std::chrono::year_month_weekday_last(
                           y, m, std::chrono::weekday_last(std::chrono::Sunday))) +
                       std::chrono::hours(1));
    };
    return at >= last_sunday_1am(std::chrono::March) && at < last_sunday_1am(std::chrono::October)
               ? 60
               : 0;
  };
  std::vector<Timestamp> instants;
  for (int y = 1990; y <= 2040; ++y) {
    Timestamp first(std::chrono::sys_days(std::chrono::year(y) / 1 / 1));
    instants.push_back(first);
    instants.push_back(first - std::chrono::microseconds(1));
  }
  std::mt19937_64 random(11);
  std::uniform_int_distribution<std::int64_t> micros(
      T("1990-01-01T00:00:00Z").time_since_epoch().count(),
      T("2040-12-31T23:59:59Z").time_since_epoch().count());
  for (int i = 0; i < 20000; ++i)
    instants.push_back(Timestamp(std::chrono::microseconds(micros(random))));
  for (Timestamp at : instants) {
    ASSERT_EQ(LondonUtcOffset(at).count(), rule(at)) << at.time_since_epoch().count();
  }
}

TEST(LondonTimeTest, FollowsBritishSummerTime) {
  // 2026: BST from 29 March 01:00 UTC to 25 October 01:00 UTC.
  EXPECT_EQ(LondonUtcOffset(T("2026-03-29T00:59:59Z")).count(), 0);
  EXPECT_EQ(LondonUtcOffset(T("2026-03-29T01:00:00Z")).count(), 60);
  EXPECT_EQ(LondonUtcOffset(T("2026-10-25T00:59:59Z")).count(), 60);
  EXPECT_EQ(LondonUtcOffset(T("2026-10-25T01:00:00Z")).count(), 0);
  // 23:30 UTC in July is already tomorrow in London; in January it is not.
  EXPECT_EQ(FormatDate(LondonDate(T("2026-07-10T23:30:00Z"))), "2026-07-11");
  EXPECT_EQ(FormatDate(LondonDate(T("2026-01-10T23:30:00Z"))), "2026-01-10");
}

}  // namespace
}  // namespace liaison::domain
