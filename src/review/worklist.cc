#include "review/worklist.h"

#include <array>

#include <boost/json.hpp>

#include "common/time_format.h"
#include "ingest/attendance_fields.h"
#include "review/sort_key.h"

namespace liaison::review {
namespace {

namespace json = boost::json;
using recognition::FindingLevel;
using recognition::OverallLevel;

// The assess contract's slugs, indexed by enumerator, for reading lines back (the engine
// only writes them); a test checks they agree with the engine's.
constexpr std::array<std::string_view, 5> kOverallSlugs = {"none", "review", "prompt", "consider",
                                                           "suspect"};
constexpr std::array<std::string_view, 5> kFindingSlugs = {"audit", "review", "prompt", "consider",
                                                           "suspect"};

Status BadItem(std::string field) {
  return InvalidArgument("invalid_worklist_item", "a worklist line is not a valid item",
                         std::move(field));
}

Result<std::string> StringMember(const json::object& object, std::string_view name) {
  const json::value* value = object.if_contains(name);
  if (value == nullptr || !value->is_string()) return BadItem("/" + std::string(name));
  return std::string(value->get_string());
}

Result<recognition::Finding> ParseFinding(const json::value& value, std::size_t index) {
  std::string where = "/findings/" + std::to_string(index);
  if (!value.is_object()) return BadItem(where);
  const json::object& object = value.get_object();
  recognition::Finding finding;
  ASSIGN_OR_RETURN(finding.rule, StringMember(object, "rule"));
  ASSIGN_OR_RETURN(std::string level, StringMember(object, "level"));
  ASSIGN_OR_RETURN(finding.level, ParseFindingLevel(level));
  ASSIGN_OR_RETURN(finding.category, StringMember(object, "category"));
  ASSIGN_OR_RETURN(finding.reason, StringMember(object, "reason"));
  ASSIGN_OR_RETURN(finding.source, StringMember(object, "source"));
  const json::value* evidence = object.if_contains("evidence");
  if (evidence == nullptr || !evidence->is_array()) return BadItem(where + "/evidence");
  for (const json::value& entry : evidence->get_array()) {
    if (!entry.is_string()) return BadItem(where + "/evidence");
    finding.evidence.emplace_back(entry.get_string());
  }
  return finding;
}

}  // namespace

std::string_view LevelSlug(OverallLevel level) { return recognition::OverallLevelSlug(level); }

std::string_view LevelSlug(FindingLevel level) { return recognition::FindingLevelSlug(level); }

Result<OverallLevel> ParseOverallLevel(std::string_view slug) {
  for (std::size_t i = 0; i < kOverallSlugs.size(); ++i) {
    if (kOverallSlugs[i] == slug) return static_cast<OverallLevel>(i);
  }
  return InvalidArgument("invalid_level", "not a level", "level");
}

Result<FindingLevel> ParseFindingLevel(std::string_view slug) {
  for (std::size_t i = 0; i < kFindingSlugs.size(); ++i) {
    if (kFindingSlugs[i] == slug) return static_cast<FindingLevel>(i);
  }
  return InvalidArgument("invalid_level", "not a finding level", "level");
}

void NhsPersonKey(std::string_view digits, std::string& key) { key.assign("nhs:").append(digits); }

void LocalPersonKey(std::string_view site, std::string_view local_id, std::string& key) {
  key.assign("local:").append(site).append(":").append(local_id);
}

std::optional<std::string> PersonKeyOf(const domain::Attendance& attendance) {
  const auto& number = attendance.patient.nhs_number;
  std::string key;
  if (number && number->verified) {
    NhsPersonKey(number->text, key);
  } else if (attendance.patient.local_id) {
    LocalPersonKey(attendance.site, *attendance.patient.local_id, key);
  } else {
    return std::nullopt;
  }
  return key;
}

WorklistItem MakeWorklistItem(const domain::Attendance& attendance,
                              recognition::Assessment assessment, std::string person_key) {
  WorklistItem item;
  item.attendance_id = attendance.attendance_id;
  item.site = attendance.site;
  item.arrival = attendance.arrival;
  item.age_days = domain::AgeInDaysAtArrival(attendance);
  item.level = assessment.level;
  item.findings = std::move(assessment.findings);
  item.person_key = std::move(person_key);
  return item;
}

std::string WorklistSortKey(const WorklistItem& item) {
  std::string key;
  key.reserve(32 + item.site.size() + item.attendance_id.size());
  key.push_back(static_cast<char>(0xFF - static_cast<int>(item.level)));  // highest first
  if (item.age_days) {
    key.push_back('\0');
    AppendKeySigned(*item.age_days, key);
  } else {
    key.push_back('\1');  // unknown ages after every known one
  }
  AppendKeySigned(item.arrival.time_since_epoch().count(), key);
  key.append(item.site);
  key.push_back('\0');
  key.append(item.attendance_id);
  return key;
}

namespace {

// Written by hand rather than through a JSON DOM: the sweep writes one line per listed
// attendance, and building the DOM cost more than assessing. ParseWorklistItemJson reads it
// back; a test round-trips awkward text.
void AppendMember(std::string_view name, std::string_view text, std::string& out) {
  out.push_back('"');
  out.append(name);
  out += "\":";
  ingest::AppendJsonString(text, out);
}

void AppendFindings(const WorklistItem& item, std::string& out) {
  out.push_back('[');
  for (std::size_t i = 0; i < item.findings.size(); ++i) {
    const recognition::Finding& finding = item.findings[i];
    if (i > 0) out.push_back(',');
    out.push_back('{');
    AppendMember("rule", finding.rule, out);
    out.push_back(',');
    AppendMember("level", LevelSlug(finding.level), out);
    out.push_back(',');
    AppendMember("category", finding.category, out);
    out.push_back(',');
    AppendMember("reason", finding.reason, out);
    out.push_back(',');
    AppendMember("source", finding.source, out);
    out += ",\"evidence\":[";
    for (std::size_t j = 0; j < finding.evidence.size(); ++j) {
      if (j > 0) out.push_back(',');
      ingest::AppendJsonString(finding.evidence[j], out);
    }
    out += "]}";
  }
  out.push_back(']');
}

}  // namespace

std::string WorklistFindingsJson(const WorklistItem& item) {
  std::string out;
  AppendFindings(item, out);
  return out;
}

std::string WorklistItemJson(const WorklistItem& item) {
  std::string out;
  out.reserve(1024);
  out.push_back('{');
  AppendMember("attendance_id", item.attendance_id, out);
  out.push_back(',');
  AppendMember("site", item.site, out);
  out.push_back(',');
  AppendMember("arrival", FormatTimestamp(item.arrival), out);
  if (item.age_days) out += ",\"age_days\":" + std::to_string(*item.age_days);
  out.push_back(',');
  AppendMember("level", LevelSlug(item.level), out);
  out += ",\"findings\":";
  AppendFindings(item, out);
  out.push_back(',');
  AppendMember("person_key", item.person_key, out);
  out.push_back('}');
  return out;
}

Result<WorklistItem> ParseWorklistItemJson(std::string_view line) {
  boost::system::error_code error;
  json::value value = json::parse(line, error);
  if (error || !value.is_object()) return BadItem("");
  const json::object& object = value.get_object();
  WorklistItem item;
  ASSIGN_OR_RETURN(item.attendance_id, StringMember(object, "attendance_id"));
  ASSIGN_OR_RETURN(item.site, StringMember(object, "site"));
  ASSIGN_OR_RETURN(std::string arrival, StringMember(object, "arrival"));
  Result<Timestamp> parsed = ParseTimestamp(arrival);
  if (!parsed.ok()) return BadItem("/arrival");
  item.arrival = *parsed;
  if (const json::value* age = object.if_contains("age_days")) {
    if (!age->is_int64()) return BadItem("/age_days");
    item.age_days = age->get_int64();
  }
  ASSIGN_OR_RETURN(std::string level, StringMember(object, "level"));
  ASSIGN_OR_RETURN(item.level, ParseOverallLevel(level));
  const json::value* findings = object.if_contains("findings");
  if (findings == nullptr || !findings->is_array()) return BadItem("/findings");
  std::size_t index = 0;
  for (const json::value& finding : findings->get_array()) {
    ASSIGN_OR_RETURN(recognition::Finding parsed_finding, ParseFinding(finding, index++));
    item.findings.push_back(std::move(parsed_finding));
  }
  ASSIGN_OR_RETURN(item.person_key, StringMember(object, "person_key"));
  return item;
}

}  // namespace liaison::review
