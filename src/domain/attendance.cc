#include "domain/attendance.h"

#include "domain/working_day_calendar.h"

namespace liaison::domain {

bool operator==(const RecordedNhsNumber& left, const RecordedNhsNumber& right) {
  return left.text == right.text && left.verified == right.verified;
}

std::optional<std::int64_t> AgeInDaysAtArrival(const Attendance& attendance) {
  if (!attendance.patient.birth_date || !attendance.patient.birth_date->ok()) return std::nullopt;
  std::chrono::sys_days arrival_day{LondonDate(attendance.arrival)};
  std::chrono::sys_days birth_day{*attendance.patient.birth_date};
  if (birth_day > arrival_day) return std::nullopt;
  return (arrival_day - birth_day).count();
}

}  // namespace liaison::domain
