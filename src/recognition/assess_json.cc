#include "recognition/assess_json.h"

#include <boost/json.hpp>

#include "ingest/attendance_json.h"

namespace liaison::recognition {
namespace {

constexpr std::size_t kMaxBodyBytes = 8 << 20;
constexpr std::size_t kMaxDepth = 16;

Result<boost::json::value> ParseBody(std::string_view body) {
  if (body.size() > kMaxBodyBytes) {
    return InvalidArgument("too_large", "the request is larger than 8 MiB");
  }
  boost::json::parse_options options;
  options.max_depth = kMaxDepth;
  boost::system::error_code error;
  boost::json::value value = boost::json::parse(body, error, {}, options);
  if (error) return InvalidArgument("invalid_json", "the request is not valid JSON");
  if (!value.is_object()) {
    return InvalidArgument("invalid_json", "the request is a JSON object");
  }
  return value;
}

Status DecodeOne(ingest::AttendanceJsonDecoder& decoder, const boost::json::value& value,
                 const std::string& pointer, domain::Attendance& out,
                 std::vector<ingest::FieldWarning>& warnings) {
  if (!value.is_object()) {
    return InvalidArgument("invalid_type", "an attendance is a JSON object", pointer);
  }
  Result<ingest::DecodedAttendance> decoded = decoder.Decode(boost::json::serialize(value));
  if (!decoded.ok()) return decoded.status().WithFieldPrefix(pointer);
  out = std::move(decoded->attendance);
  for (ingest::FieldWarning& warning : decoded->warnings) {
    warnings.push_back({pointer + warning.field, std::move(warning.reason)});
  }
  return Status::Ok();
}

}  // namespace

Result<AssessRequest> DecodeAssessRequest(std::string_view body) {
  ASSIGN_OR_RETURN(boost::json::value parsed, ParseBody(body));
  const boost::json::object& object = parsed.as_object();
  ingest::AttendanceJsonDecoder decoder;
  AssessRequest request;
  const boost::json::value* attendance = object.if_contains("attendance");
  if (attendance == nullptr) {
    // A bare attendance.
    RETURN_IF_ERROR(DecodeOne(decoder, parsed, "", request.attendance, request.warnings));
    return request;
  }
  for (const auto& member : object) {
    if (member.key() != "attendance" && member.key() != "history") {
      return InvalidArgument("unknown_field", "the request has attendance and history only",
                             "/" + std::string(member.key()));
    }
  }
  RETURN_IF_ERROR(
      DecodeOne(decoder, *attendance, "/attendance", request.attendance, request.warnings));
  const boost::json::value* history = object.if_contains("history");
  if (history == nullptr || history->is_null()) return request;
  if (!history->is_array()) {
    return InvalidArgument("invalid_type", "history is a JSON array of attendances", "/history");
  }
  const boost::json::array& items = history->as_array();
  if (items.size() > kMaxHistory) {
    return InvalidArgument("too_many_items",
                           "history holds at most " + std::to_string(kMaxHistory) + " attendances",
                           "/history");
  }
  request.history.resize(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    RETURN_IF_ERROR(DecodeOne(decoder, items[i], "/history/" + std::to_string(i),
                              request.history[i], request.warnings));
  }
  return request;
}

std::string EncodeAssessment(const Assessment& assessment) {
  boost::json::object out;
  out["level"] = OverallLevelSlug(assessment.level);
  out["note"] = AssessmentNote(assessment.level);
  boost::json::array findings;
  for (const Finding& finding : assessment.findings) {
    boost::json::array evidence;
    for (const std::string& item : finding.evidence) evidence.emplace_back(item);
    findings.push_back(boost::json::object{{"rule", finding.rule},
                                           {"level", FindingLevelSlug(finding.level)},
                                           {"category", finding.category},
                                           {"reason", finding.reason},
                                           {"source", finding.source},
                                           {"evidence", std::move(evidence)}});
  }
  out["findings"] = std::move(findings);
  return boost::json::serialize(out);
}

std::string EncodeCatalogue(std::string_view concepts_version) {
  boost::json::array rules;
  for (const RuleInfo& rule : RuleCatalogue()) {
    rules.push_back(boost::json::object{{"id", rule.id},
                                        {"title", rule.title},
                                        {"category", rule.category},
                                        {"level", rule.level},
                                        {"inputs", rule.inputs},
                                        {"source", rule.source},
                                        {"verification", rule.verification},
                                        {"verified", rule.verified},
                                        {"never_downgrades", rule.never_downgrades}});
  }
  boost::json::object out;
  out["version"] = kCatalogueVersion;
  out["concepts_version"] = concepts_version;
  out["rules"] = std::move(rules);
  return boost::json::serialize(out);
}

}  // namespace liaison::recognition
