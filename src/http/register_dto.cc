#include "http/register_dto.h"

#include <charconv>

#include <boost/json.hpp>

#include "common/time_format.h"
#include "http/json_reader.h"

namespace liaison::http {
namespace {

// Percent-decoding of one query-string component ('+' is a space). Fails on a bad escape.
Result<std::string> QueryDecode(std::string_view text, std::string_view field) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out.push_back(' ');
    } else if (text[i] == '%') {
      int value = 0;
      if (i + 2 >= text.size()) {
        return InvalidArgument("invalid_query", "a % escape is incomplete", std::string(field));
      }
      auto [end, error] = std::from_chars(text.data() + i + 1, text.data() + i + 3, value, 16);
      if (error != std::errc() || end != text.data() + i + 3) {
        return InvalidArgument("invalid_query", "a % escape is not hexadecimal",
                               std::string(field));
      }
      out.push_back(static_cast<char>(value));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

Result<bool> Flag(std::string_view value, std::string_view field) {
  if (value == "true" || value == "1") return true;
  if (value == "false" || value == "0" || value.empty()) return false;
  return InvalidArgument("invalid_boolean", "use true or false", std::string(field));
}

boost::json::value RawJson(std::string_view text) {
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(text, error);
  if (error) return nullptr;  // stored by app/, so always valid; never fail a response on it
  return value;
}

}  // namespace

Result<RegisterUploadBody> DecodeRegisterUpload(std::string_view body) {
  boost::system::error_code error;
  boost::json::value parsed = boost::json::parse(body, error);
  if (error || !parsed.is_object()) {
    return InvalidArgument("invalid_json", "send a JSON object with mode and entries");
  }
  const boost::json::object& object = parsed.as_object();
  for (const auto& member : object) {
    if (member.key() != "mode" && member.key() != "entries") {
      return InvalidArgument("unknown_field", "this field is not part of an upload",
                             "/" + std::string(member.key()));
    }
  }
  RegisterUploadBody upload;
  const boost::json::value* mode = object.if_contains("mode");
  if (mode == nullptr || !mode->is_string()) {
    return InvalidArgument("missing_field", "mode is full or delta", "/mode");
  }
  std::optional<app::UploadMode> parsed_mode =
      app::UploadModeFromSlug(std::string_view(mode->as_string()));
  if (!parsed_mode) return InvalidArgument("invalid_enum", "mode is full or delta", "/mode");
  upload.mode = *parsed_mode;
  const boost::json::value* entries = object.if_contains("entries");
  if (entries == nullptr || !entries->is_array()) {
    return InvalidArgument("invalid_type", "entries is an array of objects", "/entries");
  }
  if (entries->as_array().size() > kMaxRegisterUploadEntries) {
    return InvalidArgument("too_many_items",
                           "send at most " + std::to_string(kMaxRegisterUploadEntries) +
                               " entries; use delta uploads or the CSV import for more",
                           "/entries");
  }
  std::int64_t index = 0;
  for (const boost::json::value& entry : entries->as_array()) {
    std::string prefix = "/entries/" + std::to_string(index);
    ++index;
    if (!entry.is_object()) {
      upload.rows.push_back(InvalidArgument("invalid_type", "an entry is an object", prefix));
      continue;
    }
    std::vector<ingest::RegisterFieldValue> fields;
    Status bad;
    for (const auto& member : entry.as_object()) {
      if (member.value().is_null()) continue;
      if (!member.value().is_string()) {
        bad = InvalidArgument("invalid_type", "every value is a string or null",
                              prefix + "/" + std::string(member.key()));
        break;
      }
      fields.push_back({member.key(), std::string_view(member.value().as_string())});
    }
    if (!bad.ok()) {
      upload.rows.push_back(bad);
      continue;
    }
    Result<ingest::RegisterRow> row = ingest::DecodeRegisterRow(fields);
    if (!row.ok()) {
      upload.rows.push_back(row.status().WithField(prefix + "/" + row.status().field()));
      continue;
    }
    upload.rows.push_back(*std::move(row));
  }
  return upload;
}

std::string EncodeRegisterUploadReport(const RegisterUploadReport& report) {
  boost::json::object body;
  body["mode"] = report.mode;
  body["read"] = report.summary.read;
  body["accepted"] = report.summary.accepted;
  body["rejected"] = report.summary.rejected;
  body["warnings"] = report.summary.warnings;
  body["removed"] = report.removed;
  boost::json::array issues;
  for (const ingest::RowIssue& issue : report.issues) {
    issues.push_back(
        {{"index", issue.line},
         {"field", issue.field},
         {"reason", issue.reason},
         {"kind", issue.kind == ingest::IssueKind::kRejected ? "rejected" : "warning"}});
  }
  body["issues"] = std::move(issues);
  return boost::json::serialize(body);
}

Result<LookupRequest> DecodeLookupQuery(std::string_view query_string) {
  LookupRequest request;
  bool any_demographic = false;
  while (!query_string.empty()) {
    size_t end = query_string.find('&');
    std::string_view pair = query_string.substr(0, end);
    query_string =
        end == std::string_view::npos ? std::string_view() : query_string.substr(end + 1);
    if (pair.empty()) continue;
    size_t equals = pair.find('=');
    std::string name(pair.substr(0, equals));
    std::string field = "/" + name;
    ASSIGN_OR_RETURN(
        std::string value,
        QueryDecode(equals == std::string_view::npos ? "" : pair.substr(equals + 1), field));
    if (value.size() > 200) return InvalidArgument("too_long", "the value is too long", field);
    app::RegisterQuery& query = request.query;
    if (name == "nhs_number") {
      Result<domain::NhsNumber> number = domain::NhsNumber::Parse(value);
      if (!number.ok()) {
        return InvalidArgument("invalid_nhs_number",
                               "the NHS number is not valid (10 digits with a correct check digit)",
                               "/nhs_number");
      }
      query.nhs_number = *number;
    } else if (name == "given_name") {
      query.given_name = value;
      any_demographic = any_demographic || !value.empty();
    } else if (name == "family_name") {
      query.family_name = value;
      any_demographic = any_demographic || !value.empty();
    } else if (name == "birth_date") {
      if (!value.empty()) {
        Result<std::chrono::year_month_day> date = ParseDate(value);
        if (!date.ok()) return InvalidArgument("invalid_date", "dates are YYYY-MM-DD", field);
        query.birth_date = *date;
      }
    } else if (name == "sex") {
      std::optional<domain::Sex> sex = domain::SexFromText(value);
      if (!value.empty() && !sex) {
        return InvalidArgument("invalid_enum", "sex is female, male, other or unknown", field);
      }
      query.sex = sex.value_or(domain::Sex::kUnknown);
    } else if (name == "postcode") {
      query.postcode = value;
    } else if (name == "silent") {
      ASSIGN_OR_RETURN(request.silent, Flag(value, field));
    } else if (name == "pregnant") {
      ASSIGN_OR_RETURN(query.pregnant, Flag(value, field));
    } else {
      return InvalidArgument("unknown_parameter", "this parameter is not part of a lookup", field);
    }
  }
  if (!request.query.nhs_number && !(any_demographic && request.query.birth_date)) {
    return InvalidArgument("missing_query",
                           "give nhs_number, or a name and birth_date (with sex and postcode "
                           "when known)",
                           "/nhs_number");
  }
  return request;
}

std::string EncodeLookupResult(const app::LookupResult& result) {
  boost::json::object body;
  body["found"] = result.found;
  body["message"] = result.message;
  body["referred_for_review"] = result.referred;
  body["demographic_matching"] = result.demographic_matching;
  boost::json::array alerts;
  for (const std::string& alert : result.alerts) alerts.push_back(RawJson(alert));
  body["alerts"] = std::move(alerts);
  return boost::json::serialize(body);
}

std::string EncodeReviewQueue(const std::vector<app::ReviewQueueItem>& items) {
  boost::json::array out;
  for (const app::ReviewQueueItem& queued : items) {
    const domain::RegisterEntry& entry = queued.entry;
    boost::json::object candidate{
        {"entry_id", entry.id.value()},
        {"local_id", entry.local_id},
        {"status", domain::RegisterStatusSlug(entry.status)},
        {"nhs_number", entry.nhs_number ? entry.nhs_number->digits() : ""},
        {"given_name", entry.given_name},
        {"family_name", entry.family_name},
        {"birth_date", entry.birth_date ? FormatDate(*entry.birth_date) : ""},
        {"sex", domain::SexSlug(entry.sex)},
        {"postcode", entry.postcode},
        {"responsible_org", entry.responsible_org}};
    const storage::RegisterReviewItem& item = queued.item;
    out.push_back({{"id", item.id},
                   {"state", item.state},
                   {"probability", item.probability},
                   {"created_at", FormatTimestamp(item.created_at)},
                   {"first_reviewer", item.first_reviewer},
                   {"subject", RawJson(item.subject)},
                   {"explanation", RawJson(item.explanation)},
                   {"entry", std::move(candidate)}});
  }
  boost::json::object body;
  body["items"] = std::move(out);
  return boost::json::serialize(body);
}

Result<bool> DecodeReviewDecision(std::string_view body) {
  ASSIGN_OR_RETURN(JsonObjectReader reader, JsonObjectReader::Parse(body));
  ASSIGN_OR_RETURN(std::string decision, reader.RequiredString("decision", 16));
  RETURN_IF_ERROR(reader.RejectUnknownFields());
  if (decision == "same") return true;
  if (decision == "different") return false;
  return InvalidArgument("invalid_enum", "decision is same or different", "/decision");
}

std::string EncodeReviewDecision(const storage::RegisterReviewItem& item) {
  return boost::json::serialize(
      boost::json::object{{"id", item.id}, {"state", item.state}, {"decision", item.decision}});
}

}  // namespace liaison::http
