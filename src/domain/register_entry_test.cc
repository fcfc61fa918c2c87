#include "domain/register_entry.h"

#include <gtest/gtest.h>

namespace liaison::domain {
namespace {

using std::chrono::year;
using std::chrono::year_month_day;

year_month_day Date(int y, unsigned m, unsigned d) {
  return year_month_day{year(y), std::chrono::month(m), std::chrono::day(d)};
}

TEST(RegisterStatusTest, SlugsRoundTripAndUnknownIsRefused) {
  for (RegisterStatus status : {RegisterStatus::kCpPlan, RegisterStatus::kLookedAfter,
                                RegisterStatus::kUnbornCpPlan, RegisterStatus::kChildInNeed}) {
    EXPECT_EQ(RegisterStatusFromSlug(RegisterStatusSlug(status)), status);
  }
  EXPECT_FALSE(RegisterStatusFromSlug("CP_PLAN").has_value());
  EXPECT_FALSE(RegisterStatusFromSlug("").has_value());
}

TEST(PlanStandingTest, EndedPlansStayVisibleForTwelveMonthsAfterTheEndDate) {
  RegisterEntry entry;
  EXPECT_EQ(StandingOn(entry, Date(2026, 11, 26)), PlanStanding::kCurrent);
  entry.end_date = Date(2026, 11, 26);
  EXPECT_EQ(StandingOn(entry, Date(2026, 11, 26)), PlanStanding::kCurrent);  // ends today
  EXPECT_EQ(StandingOn(entry, Date(2026, 11, 27)), PlanStanding::kPrevious);
  EXPECT_EQ(StandingOn(entry, Date(2027, 11, 26)), PlanStanding::kPrevious);  // last day
  EXPECT_EQ(StandingOn(entry, Date(2027, 11, 27)), PlanStanding::kExpired);
  EXPECT_FALSE(IsVisible(StandingOn(entry, Date(2027, 11, 27))));
}

TEST(PlanStandingTest, LeapDayEndRollsToTheFirstOfMarch) {
  RegisterEntry entry;
  entry.end_date = Date(2028, 2, 29);
  EXPECT_EQ(StandingOn(entry, Date(2029, 3, 1)), PlanStanding::kPrevious);
  EXPECT_EQ(StandingOn(entry, Date(2029, 3, 2)), PlanStanding::kExpired);
}

TEST(PlanStandingTest, AFutureStartIsShownAsNotStarted) {
  RegisterEntry entry;
  entry.start_date = Date(2026, 12, 1);
  EXPECT_EQ(StandingOn(entry, Date(2026, 11, 26)), PlanStanding::kNotStarted);
  EXPECT_TRUE(IsVisible(PlanStanding::kNotStarted));
  EXPECT_EQ(StandingOn(entry, Date(2026, 12, 1)), PlanStanding::kCurrent);
}

}  // namespace
}  // namespace liaison::domain
