// Status and Result<T>: how every fallible function in Liaison reports failure.
//
// A Status carries a canonical code (what kind of failure), a stable machine reason
// (for example "invalid_nhs_number", part of the HTTP contract), an optional JSON pointer
// to the offending input field, and a human message. Messages must never contain a patient
// identifier: refer to records by internal id.
//
// Result<T> holds either a T or a non-OK Status. It is shaped like C++23 std::expected so a
// later move is mechanical. Value types; not thread-safe to mutate concurrently.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "common/check.h"

namespace liaison {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kUnauthenticated,
  kPermissionDenied,
  kResourceExhausted,
  kAborted,
  kUnavailable,
  kDataLoss,
  kInternal,
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string reason, std::string message, std::string field = {});
  Status(const Status& other) : code_(other.code_) {
    if (other.details_) details_ = MakeDetails(*other.details_);
  }
  Status& operator=(const Status& other) {
    if (this != &other) {
      code_ = other.code_;
      details_ = other.details_ ? MakeDetails(*other.details_) : nullptr;
    }
    return *this;
  }
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  // Stable machine code, e.g. "invalid_nhs_number". Empty when ok().
  const std::string& reason() const { return details_ ? details_->reason : EmptyString(); }
  const std::string& message() const { return details_ ? details_->message : EmptyString(); }
  // JSON pointer to the offending input ("/patient/nhs_number"), or empty.
  const std::string& field() const { return details_ ? details_->field : EmptyString(); }

  // Returns a copy whose field is `prefix` + field(), for errors found in nested values.
  Status WithFieldPrefix(std::string_view prefix) const;
  Status WithField(std::string field) const;

  // "invalid_argument: invalid_nhs_number: the check digit does not match (/nhs_number)".
  std::string ToString() const;

 private:
  // The texts live behind a pointer, null when all three are empty (every OK status), so
  // that the OK status every successful call returns is created, copied and destroyed
  // without touching the heap (as LevelDB's and Abseil's Status do).
  struct Details {
    std::string reason;
    std::string message;
    std::string field;
  };
  // Out of line, so that destroying an OK status inlines to a null check.
  struct DeleteDetails {
    void operator()(Details* details) const;
  };
  using DetailsPtr = std::unique_ptr<Details, DeleteDetails>;
  static DetailsPtr MakeDetails(Details details);
  static const std::string& EmptyString();

  StatusCode code_ = StatusCode::kOk;
  DetailsPtr details_;
};

// Short constructors, one per canonical code.
Status InvalidArgument(std::string reason, std::string message, std::string field = {});
Status NotFound(std::string reason, std::string message, std::string field = {});
Status AlreadyExists(std::string reason, std::string message, std::string field = {});
Status FailedPrecondition(std::string reason, std::string message, std::string field = {});
Status Unavailable(std::string reason, std::string message);
Status DataLoss(std::string reason, std::string message);
Status Internal(std::string reason, std::string message);

template <typename T>
class [[nodiscard]] Result {
 public:
  // Implicit by design, so that `return value;` and `return status;` both read naturally.
  Result(T value) : data_(std::move(value)) {}        // NOLINT(google-explicit-constructor)
  Result(Status status) : data_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    // A Result built from a Status must carry a failure: an OK status has no value to give.
    LIAISON_CHECK(!std::get<Status>(data_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return ok(); }

  // REQUIRES: !ok()
  const Status& status() const& {
    LIAISON_CHECK(!ok());
    return std::get<Status>(data_);
  }
  Status status() && {
    LIAISON_CHECK(!ok());
    return std::get<Status>(std::move(data_));
  }

  // REQUIRES: ok()
  T& value() & {
    LIAISON_CHECK(ok());
    return std::get<T>(data_);
  }
  const T& value() const& {
    LIAISON_CHECK(ok());
    return std::get<T>(data_);
  }
  T&& value() && {
    LIAISON_CHECK(ok());
    return std::get<T>(std::move(data_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> data_;
};

namespace internal {
inline Status ToStatus(const Status& status) { return status; }
template <typename T>
Status ToStatus(const Result<T>& result) {
  return result.ok() ? Status::Ok() : result.status();
}

// The failure held by a Status or Result already found to have failed: moved out of a
// temporary, copied from anything else.
inline Status FailureOf(const Status& status) { return status; }
inline Status FailureOf(Status&& status) { return std::move(status); }
template <typename T>
Status FailureOf(const Result<T>& result) {
  return result.status();
}
template <typename T>
Status FailureOf(Result<T>&& result) {
  return std::move(result).status();
}
}  // namespace internal

}  // namespace liaison

#define LIAISON_CONCAT_INNER(a, b) a##b
#define LIAISON_CONCAT(a, b) LIAISON_CONCAT_INNER(a, b)

// Returns from the enclosing function if `expr` (a Status or Result) failed. Success costs
// one ok() check: nothing is copied unless there is a failure to return.
#define RETURN_IF_ERROR(expr)                                          \
  do {                                                                 \
    auto&& liaison_checked_ = (expr);                                  \
    if (!liaison_checked_.ok()) {                                      \
      return ::liaison::internal::FailureOf(                           \
          std::forward<decltype(liaison_checked_)>(liaison_checked_)); \
    }                                                                  \
  } while (false)

// ASSIGN_OR_RETURN(auto x, MakeX()); declares x from the value or returns the failure.
#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(LIAISON_CONCAT(liaison_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)    \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return std::move(tmp).status(); \
  lhs = std::move(tmp).value()
