#include "common/status.h"

#include <cstdio>
#include <cstdlib>

namespace liaison {

namespace internal {
void CheckFailed(const char* condition, const char* file, int line) {
  std::fprintf(stderr, "fatal: check failed: %s at %s:%d\n", condition, file, line);
  std::abort();
}
}  // namespace internal

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return "ok";
    case StatusCode::kInvalidArgument:
      return "invalid_argument";
    case StatusCode::kNotFound:
      return "not_found";
    case StatusCode::kAlreadyExists:
      return "already_exists";
    case StatusCode::kFailedPrecondition:
      return "failed_precondition";
    case StatusCode::kUnauthenticated:
      return "unauthenticated";
    case StatusCode::kPermissionDenied:
      return "permission_denied";
    case StatusCode::kResourceExhausted:
      return "resource_exhausted";
    case StatusCode::kAborted:
      return "aborted";
    case StatusCode::kUnavailable:
      return "unavailable";
    case StatusCode::kDataLoss:
      return "data_loss";
    case StatusCode::kInternal:
      return "internal";
  }
  return "unknown";
}

Status::Status(StatusCode code, std::string reason, std::string message, std::string field)
    : code_(code) {
  if (!reason.empty() || !message.empty() || !field.empty()) {
    details_ = MakeDetails({std::move(reason), std::move(message), std::move(field)});
  }
}

void Status::DeleteDetails::operator()(Details* details) const {
  std::default_delete<Details>()(details);
}

Status::DetailsPtr Status::MakeDetails(Details details) {
  return DetailsPtr(std::make_unique<Details>(std::move(details)).release());
}

const std::string& Status::EmptyString() {
  static const std::string kEmpty;
  return kEmpty;
}

Status Status::WithFieldPrefix(std::string_view prefix) const {
  return Status(code_, reason(), message(), std::string(prefix) + field());
}

Status Status::WithField(std::string field) const {
  return Status(code_, reason(), message(), std::move(field));
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out(StatusCodeName(code_));
  out += ": ";
  out += reason();
  out += ": ";
  out += message();
  if (!field().empty()) {
    out += " (";
    out += field();
    out += ")";
  }
  return out;
}

Status InvalidArgument(std::string reason, std::string message, std::string field) {
  return {StatusCode::kInvalidArgument, std::move(reason), std::move(message), std::move(field)};
}
Status NotFound(std::string reason, std::string message, std::string field) {
  return {StatusCode::kNotFound, std::move(reason), std::move(message), std::move(field)};
}
Status AlreadyExists(std::string reason, std::string message, std::string field) {
  return {StatusCode::kAlreadyExists, std::move(reason), std::move(message), std::move(field)};
}
Status FailedPrecondition(std::string reason, std::string message, std::string field) {
  return {StatusCode::kFailedPrecondition, std::move(reason), std::move(message), std::move(field)};
}
Status Unavailable(std::string reason, std::string message) {
  return {StatusCode::kUnavailable, std::move(reason), std::move(message)};
}
Status DataLoss(std::string reason, std::string message) {
  return {StatusCode::kDataLoss, std::move(reason), std::move(message)};
}
Status Internal(std::string reason, std::string message) {
  return {StatusCode::kInternal, std::move(reason), std::move(message)};
}

}  // namespace liaison
