#include "domain/register_entry.h"

#include <array>
#include <utility>

namespace liaison::domain {
namespace {

constexpr std::array<std::pair<RegisterStatus, std::string_view>, 4> kStatuses = {{
    {RegisterStatus::kCpPlan, "cp_plan"},
    {RegisterStatus::kLookedAfter, "looked_after"},
    {RegisterStatus::kUnbornCpPlan, "unborn_cp_plan"},
    {RegisterStatus::kChildInNeed, "child_in_need"},
}};

}  // namespace

std::string_view RegisterStatusSlug(RegisterStatus status) {
  for (const auto& [value, slug] : kStatuses) {
    if (value == status) return slug;
  }
  return "cp_plan";
}

std::optional<RegisterStatus> RegisterStatusFromSlug(std::string_view slug) {
  for (const auto& [value, name] : kStatuses) {
    if (name == slug) return value;
  }
  return std::nullopt;
}

PlanStanding StandingOn(const RegisterEntry& entry, std::chrono::year_month_day today) {
  using std::chrono::sys_days;
  if (entry.end_date && sys_days(*entry.end_date) < sys_days(today)) {
    // 12 calendar months after the end date; a 29 February end rolls to 1 March.
    std::chrono::year_month_day limit = *entry.end_date + std::chrono::years(1);
    sys_days last_visible = limit.ok() ? sys_days(limit) : sys_days(limit.year() / 3 / 1);
    return sys_days(today) <= last_visible ? PlanStanding::kPrevious : PlanStanding::kExpired;
  }
  if (entry.start_date && sys_days(*entry.start_date) > sys_days(today)) {
    return PlanStanding::kNotStarted;
  }
  return PlanStanding::kCurrent;
}

std::string_view PlanStandingSlug(PlanStanding standing) {
  switch (standing) {
    case PlanStanding::kCurrent:
      return "current";
    case PlanStanding::kPrevious:
      return "previous";
    case PlanStanding::kExpired:
      return "expired";
    case PlanStanding::kNotStarted:
      return "not_started";
  }
  return "current";
}

}  // namespace liaison::domain
