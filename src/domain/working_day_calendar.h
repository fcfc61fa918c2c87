// WorkingDayCalendar: Monday to Friday, excluding bank holidays in England and Wales, on
// Europe/London local dates. Built once from a list of holidays, then immutable and safe to
// share between threads.
#pragma once

#include <chrono>
#include <set>
#include <span>

#include "common/clock.h"

namespace liaison::domain {

// The local calendar date in Europe/London of an instant. British Summer Time runs from
// 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of October (the rule
// in force since 1996); see docs/decisions/0003-london-time-without-tzdb.md.
std::chrono::year_month_day LondonDate(Timestamp at);
// The UTC offset in London at an instant: 0 or +1 hour.
std::chrono::minutes LondonUtcOffset(Timestamp at);

class WorkingDayCalendar {
 public:
  explicit WorkingDayCalendar(std::span<const std::chrono::year_month_day> bank_holidays);

  bool IsBankHoliday(std::chrono::year_month_day date) const;
  bool IsWorkingDay(std::chrono::year_month_day date) const;
  // The n-th working day strictly after `date` (n >= 1). For n == 0, `date` itself if it is a
  // working day, else the next working day.
  std::chrono::year_month_day WorkingDaysAfter(std::chrono::year_month_day date, int n) const;
  // Working days in (from, to]: how many working days have ended between two dates.
  int WorkingDaysBetween(std::chrono::year_month_day from, std::chrono::year_month_day to) const;

  // The first and last year the holiday list covers; outside it only weekends are known.
  std::chrono::year FirstYear() const { return first_year_; }
  std::chrono::year LastYear() const { return last_year_; }

 private:
  std::set<std::chrono::sys_days> holidays_;
  std::chrono::year first_year_{0};
  std::chrono::year last_year_{0};
};

}  // namespace liaison::domain
