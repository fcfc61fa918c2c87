// Strict reading of a JSON request body into typed values. Every failure names the field as a
// JSON pointer. Policy for the API: unknown fields are rejected (reason "unknown_field"), so a
// misspelt field never silently loses data. (Attendance feeds are lenient instead; see
// docs/contracts.md.)
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <boost/json/object.hpp>

#include "common/status.h"

namespace liaison::http {

// Reads one JSON object. Not thread-safe.
class JsonObjectReader {
 public:
  // Fails with "invalid_json" for malformed or truncated text, or when the top level is not
  // an object; nesting is limited to 32 levels.
  static Result<JsonObjectReader> Parse(std::string_view body);

  // A string field that must be present and non-empty, at most `max_length` bytes.
  Result<std::string> RequiredString(std::string_view key, size_t max_length = 200);
  // Missing, null and "" all mean "not provided".
  Result<std::optional<std::string>> OptionalString(std::string_view key, size_t max_length = 200);
  // A boolean field; missing or null means "not provided".
  Result<std::optional<bool>> OptionalBool(std::string_view key);
  // A string field that may be absent (outer nullopt), null or "" (inner nullopt, "clear it"),
  // or a string: for fields a request may change or remove.
  Result<std::optional<std::optional<std::string>>> NullableString(std::string_view key,
                                                                   size_t max_length = 200);
  // Fails for the first field never read by the calls above.
  Status RejectUnknownFields() const;

 private:
  explicit JsonObjectReader(boost::json::object object) : object_(std::move(object)) {}
  boost::json::object object_;
  std::set<std::string, std::less<>> read_;
};

}  // namespace liaison::http
