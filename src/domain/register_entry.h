// A register entry: one child known to a local authority's children's social care (on a child
// protection plan, looked after, an unborn child under a pre-birth plan, or a child in need),
// as the authority uploaded it. Owned by the uploading authority and keyed by its own id for
// the child (`local_id`). Plain value type; the upload format is in docs/register.md.
//
// An entry whose plan has ended stays visible as "previously on a plan" for 12 months after
// its end date, then stops matching (PlanStanding).
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/strong_id.h"
#include "domain/nhs_number.h"
#include "domain/organisation.h"
#include "domain/person.h"

namespace liaison::domain {

struct RegisterEntryTag {};
using RegisterEntryId = StrongId<RegisterEntryTag>;

enum class RegisterStatus { kCpPlan, kLookedAfter, kUnbornCpPlan, kChildInNeed };
// "cp_plan", "looked_after", "unborn_cp_plan", "child_in_need".
std::string_view RegisterStatusSlug(RegisterStatus status);
std::optional<RegisterStatus> RegisterStatusFromSlug(std::string_view slug);

struct RegisterEntry {
  RegisterEntryId id;  // set by the store
  OrgId owner;         // the uploading local authority
  std::string local_id;
  std::optional<NhsNumber> nhs_number;  // only a valid number; an invalid one is absent
  std::string given_name;
  std::string family_name;
  std::optional<std::chrono::year_month_day> birth_date;
  Sex sex = Sex::kUnknown;
  std::string postcode;
  RegisterStatus status = RegisterStatus::kCpPlan;
  std::string plan_category;
  std::optional<std::chrono::year_month_day> start_date;
  std::optional<std::chrono::year_month_day> end_date;
  std::string responsible_org;
  std::string contact_in_hours;
  std::string contact_out_of_hours;
  std::string allocated_worker;
  std::optional<NhsNumber> mother_nhs_number;  // unborn entries
  // Data-quality notes from the upload, e.g. "nhs_number: invalid_nhs_number (treated as
  // absent)". Never holds the rejected value itself.
  std::string data_quality;

  friend bool operator==(const RegisterEntry&, const RegisterEntry&) = default;
};

// Where an entry stands on a given day.
enum class PlanStanding {
  kCurrent,     // no end date, or it is today or later
  kPrevious,    // ended, within 12 months of its end date: "previously on a plan"
  kExpired,     // ended more than 12 months ago: no longer shown or matched
  kNotStarted,  // starts after `today`; shown as current (a plan agreed for a future date)
};
PlanStanding StandingOn(const RegisterEntry& entry, std::chrono::year_month_day today);
// "current", "previous", "expired", "not_started".
std::string_view PlanStandingSlug(PlanStanding standing);
// Whether an entry in this standing is shown and matched at all.
inline bool IsVisible(PlanStanding standing) { return standing != PlanStanding::kExpired; }

}  // namespace liaison::domain
