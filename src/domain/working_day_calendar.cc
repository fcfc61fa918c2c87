#include "domain/working_day_calendar.h"

namespace liaison::domain {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

// 01:00 UTC on the last Sunday of `month` in `y`.
Timestamp LastSundayOneAmUtc(year y, std::chrono::month month) {
  sys_days last_sunday{std::chrono::year_month_weekday_last(
      y, month, std::chrono::weekday_last(std::chrono::Sunday))};
  return Timestamp(last_sunday + std::chrono::hours(1));
}

}  // namespace

std::chrono::minutes LondonUtcOffset(Timestamp at) {
  // The sweep asks this several times for each of millions of attendances, nearly all in the
  // same year, so each thread keeps the last year's bounds rather than working them out again.
  struct YearBounds {
    Timestamp first = Timestamp::max();  // the year's first instant; max: nothing cached yet
    Timestamp end = Timestamp::min();    // the next year's first instant
    Timestamp bst_start;
    Timestamp bst_end;
  };
  thread_local YearBounds cached;
  if (at < cached.first || at >= cached.end) {
    year y = year_month_day(std::chrono::floor<days>(at)).year();
    cached.first = Timestamp(sys_days(y / std::chrono::January / 1));
    cached.end = Timestamp(sys_days((y + std::chrono::years(1)) / std::chrono::January / 1));
    cached.bst_start = LastSundayOneAmUtc(y, std::chrono::March);
    cached.bst_end = LastSundayOneAmUtc(y, std::chrono::October);
  }
  return (at >= cached.bst_start && at < cached.bst_end) ? std::chrono::minutes(60)
                                                         : std::chrono::minutes(0);
}

year_month_day LondonDate(Timestamp at) {
  return year_month_day(std::chrono::floor<days>(at + LondonUtcOffset(at)));
}

WorkingDayCalendar::WorkingDayCalendar(std::span<const year_month_day> bank_holidays) {
  for (const year_month_day& date : bank_holidays) {
    holidays_.insert(sys_days(date));
    if (first_year_ == year(0) || date.year() < first_year_) first_year_ = date.year();
    if (date.year() > last_year_) last_year_ = date.year();
  }
}

bool WorkingDayCalendar::IsBankHoliday(year_month_day date) const {
  return holidays_.contains(sys_days(date));
}

bool WorkingDayCalendar::IsWorkingDay(year_month_day date) const {
  std::chrono::weekday weekday{sys_days(date)};
  if (weekday == std::chrono::Saturday || weekday == std::chrono::Sunday) return false;
  return !IsBankHoliday(date);
}

year_month_day WorkingDayCalendar::WorkingDaysAfter(year_month_day date, int n) const {
  sys_days day = sys_days(date);
  if (n <= 0) {
    while (!IsWorkingDay(year_month_day(day))) day += days(1);
    return year_month_day(day);
  }
  while (n > 0) {
    day += days(1);
    if (IsWorkingDay(year_month_day(day))) --n;
  }
  return year_month_day(day);
}

int WorkingDayCalendar::WorkingDaysBetween(year_month_day from, year_month_day to) const {
  int count = 0;
  for (sys_days day = sys_days(from) + days(1); day <= sys_days(to); day += days(1)) {
    if (IsWorkingDay(year_month_day(day))) ++count;
  }
  return count;
}

}  // namespace liaison::domain
