#include "common/status.h"

#include <gtest/gtest.h>

namespace liaison {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return InvalidArgument("odd", "n must be even", "/n");
  return n / 2;
}

Result<int> Quarter(int n) {
  ASSIGN_OR_RETURN(int half, Half(n));
  ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

Status CheckEven(int n) {
  RETURN_IF_ERROR(Half(n));
  return Status::Ok();
}

TEST(StatusTest, CarriesCodeReasonAndField) {
  Status status = InvalidArgument("invalid_nhs_number", "the check digit does not match", "/nhs");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.reason(), "invalid_nhs_number");
  EXPECT_EQ(status.field(), "/nhs");
  EXPECT_EQ(status.WithFieldPrefix("/patient").field(), "/patient/nhs");
  EXPECT_EQ(status.ToString(),
            "invalid_argument: invalid_nhs_number: the check digit does not match (/nhs)");
}

TEST(StatusTest, MacrosPropagateTheFirstFailure) {
  EXPECT_EQ(Quarter(8).value(), 2);
  Result<int> odd = Quarter(6);
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.status().reason(), "odd");
  EXPECT_TRUE(CheckEven(4).ok());
  EXPECT_EQ(CheckEven(3).reason(), "odd");
}

Status Forward(const Status& named) {
  RETURN_IF_ERROR(named);
  return Status::Ok();
}

TEST(StatusTest, MacrosCopyNamedFailuresAndLeaveThemAsTheyWere) {
  Status failure = InvalidArgument("odd", "n must be even", "/n");
  EXPECT_EQ(Forward(failure).ToString(), failure.ToString());
  EXPECT_EQ(failure.reason(), "odd");
  EXPECT_TRUE(Forward(Status::Ok()).ok());
}

TEST(StatusTest, CopiesAreIndependentAndOkHasEmptyTexts) {
  Status ok;
  EXPECT_EQ(ok.reason(), "");
  EXPECT_EQ(ok.message(), "");
  EXPECT_EQ(ok.field(), "");
  EXPECT_EQ(ok.ToString(), "ok");
  Status original = NotFound("no_such_case", "no case with this id", "/case_id");
  Status copy = original;
  original = Status::Ok();
  EXPECT_TRUE(original.ok());
  EXPECT_EQ(copy.ToString(), "not_found: no_such_case: no case with this id (/case_id)");
  Status assigned;
  assigned = copy;
  EXPECT_EQ(assigned.field(), "/case_id");
  Status moved = std::move(copy);
  EXPECT_EQ(moved.reason(), "no_such_case");
  EXPECT_EQ(moved.WithField("/other").field(), "/other");
}

TEST(StatusDeathTest, ValueOfAFailureIsAnInvariantViolation) {
  Result<int> failed = Half(1);
  EXPECT_DEATH((void)failed.value(), "check failed");
}

}  // namespace
}  // namespace liaison
