#include "http/json_reader.h"

#include <boost/json.hpp>

namespace liaison::http {

Result<JsonObjectReader> JsonObjectReader::Parse(std::string_view body) {
  boost::json::parse_options options;
  options.max_depth = 32;
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(body, error, {}, options);
  if (error) {
    return InvalidArgument("invalid_json", "the request body is not valid JSON");
  }
  if (!value.is_object()) {
    return InvalidArgument("invalid_json", "the request body must be a JSON object");
  }
  return JsonObjectReader(std::move(value.get_object()));
}

Result<std::optional<std::string>> JsonObjectReader::OptionalString(std::string_view key,
                                                                    size_t max_length) {
  read_.emplace(key);
  std::string field = "/" + std::string(key);
  const boost::json::value* value = object_.if_contains(key);
  if (value == nullptr || value->is_null()) return std::optional<std::string>();
  if (!value->is_string()) {
    return InvalidArgument("invalid_type", "this field must be a string", field);
  }
  const boost::json::string& text = value->get_string();
  if (text.empty()) return std::optional<std::string>();
  if (text.size() > max_length) {
    return InvalidArgument(
        "too_long", "this field has at most " + std::to_string(max_length) + " bytes", field);
  }
  return std::optional<std::string>(std::string(text));
}

Result<std::string> JsonObjectReader::RequiredString(std::string_view key, size_t max_length) {
  ASSIGN_OR_RETURN(std::optional<std::string> text, OptionalString(key, max_length));
  if (!text) {
    return InvalidArgument("missing_field", "this field is required", "/" + std::string(key));
  }
  return *std::move(text);
}

Result<std::optional<bool>> JsonObjectReader::OptionalBool(std::string_view key) {
  read_.emplace(key);
  const boost::json::value* value = object_.if_contains(key);
  if (value == nullptr || value->is_null()) return std::optional<bool>();
  if (!value->is_bool()) {
    return InvalidArgument("invalid_type", "this field must be true or false",
                           "/" + std::string(key));
  }
  return std::optional<bool>(value->get_bool());
}

Result<std::optional<std::optional<std::string>>> JsonObjectReader::NullableString(
    std::string_view key, size_t max_length) {
  using Change = std::optional<std::optional<std::string>>;
  if (!object_.contains(key)) {
    read_.emplace(key);
    return Change();
  }
  ASSIGN_OR_RETURN(std::optional<std::string> text, OptionalString(key, max_length));
  return Change(std::move(text));
}

Status JsonObjectReader::RejectUnknownFields() const {
  for (const auto& [key, value] : object_) {
    if (!read_.contains(std::string_view(key))) {
      return InvalidArgument("unknown_field", "this field is not part of the request",
                             "/" + std::string(key));
    }
  }
  return Status::Ok();
}

}  // namespace liaison::http
