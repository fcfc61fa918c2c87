#include "http/status_to_http.h"

#include <boost/json.hpp>

namespace liaison::http {
namespace {

const char* TitleFor(int status) {
  switch (status) {
    case 400:
      return "Bad request";
    case 401:
      return "Sign in required";
    case 403:
      return "Forbidden";
    case 404:
      return "Not found";
    case 405:
      return "Method not allowed";
    case 409:
      return "Conflict";
    case 413:
      return "Payload too large";
    case 415:
      return "Unsupported media type";
    case 422:
      return "Unprocessable content";
    case 429:
      return "Too many requests";
    case 431:
      return "Request header fields too large";
    case 503:
      return "Service unavailable";
    default:
      return status >= 500 ? "Internal error" : "Request failed";
  }
}

}  // namespace

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
      return 409;
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kAborted:
      return 409;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kDataLoss:
      return 500;
    case StatusCode::kInternal:
      return 500;
  }
  return 500;
}

Response ProblemResponse(int http_status, const std::string& code, const std::string& detail,
                         const std::string& request_id, const std::string& field) {
  boost::json::object body;
  body["type"] = "https://liaison.invalid/problems/" + code;
  body["title"] = TitleFor(http_status);
  body["status"] = http_status;
  body["detail"] = detail;
  body["code"] = code;
  if (!field.empty()) body["field"] = field;
  body["request_id"] = request_id;
  return {http_status, "application/problem+json", boost::json::serialize(body), {}};
}

Response ProblemResponse(const Status& status, const std::string& request_id) {
  int http_status = HttpStatusFor(status.code());
  // Internal details stay in the log; the client gets a stable code and the request id.
  std::string detail = http_status >= 500 && status.code() != StatusCode::kUnavailable
                           ? "Something went wrong. Quote the request id to your IT service."
                           : status.message();
  return ProblemResponse(http_status, status.reason(), detail, request_id, status.field());
}

}  // namespace liaison::http
