#include "ingest/register_csv.h"

#include <algorithm>
#include <array>
#include <map>
#include <optional>

#include "common/time_format.h"
#include "ingest/csv_reader.h"

namespace liaison::ingest {
namespace {

constexpr std::array<std::string_view, 17> kColumns = {"id",
                                                       "nhs_number",
                                                       "given_name",
                                                       "family_name",
                                                       "birth_date",
                                                       "sex",
                                                       "postcode",
                                                       "status",
                                                       "plan_category",
                                                       "start_date",
                                                       "end_date",
                                                       "responsible_org",
                                                       "contact_in_hours",
                                                       "contact_out_of_hours",
                                                       "allocated_worker",
                                                       "mother_nhs_number",
                                                       "action"};

Status Bad(std::string_view field, std::string reason, std::string message) {
  return InvalidArgument(std::move(reason), std::move(message), std::string(field));
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

// Control characters never belong in these values, and a value is bounded.
Result<std::string> TextValue(std::string_view field, std::string_view value) {
  if (value.size() > kMaxRegisterFieldBytes) {
    return Bad(field, "too_long", "the value is longer than 200 bytes");
  }
  for (char c : value) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return Bad(field, "control_character", "the value holds a control character");
    }
  }
  return std::string(value);
}

Result<std::optional<std::chrono::year_month_day>> DateValue(std::string_view field,
                                                             std::string_view value) {
  if (value.empty()) return std::optional<std::chrono::year_month_day>();
  Result<std::chrono::year_month_day> date = ParseDate(value);
  if (!date.ok() || value.size() != 10) {
    return Bad(field, "invalid_date", "dates are written YYYY-MM-DD");
  }
  return std::optional<std::chrono::year_month_day>(*date);
}

// An invalid number is kept out of the entry (never matched on) and noted; never echoed.
std::optional<domain::NhsNumber> NhsValue(std::string_view field, std::string_view value,
                                          RegisterRow& row) {
  if (value.empty()) return std::nullopt;
  Result<domain::NhsNumber> parsed = domain::NhsNumber::Parse(value);
  if (parsed.ok()) return *parsed;
  row.warnings.push_back({row.line, std::string(field), "invalid_nhs_number", IssueKind::kWarning});
  if (!row.entry.data_quality.empty()) row.entry.data_quality += "; ";
  row.entry.data_quality += std::string(field) + ": invalid_nhs_number (treated as absent)";
  return std::nullopt;
}

std::string_view RawId(const std::vector<std::string>& header,
                       const std::vector<std::string_view>& fields) {
  for (size_t i = 0; i < header.size() && i < fields.size(); ++i) {
    if (header[i] == "id") return Trim(fields[i]);
  }
  return {};
}

}  // namespace

Result<domain::Sex> RegisterSexValue(std::string_view value) {
  std::string lower;
  for (char c : value)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower.empty() || lower == "unknown") return domain::Sex::kUnknown;
  if (lower == "female" || lower == "f") return domain::Sex::kFemale;
  if (lower == "male" || lower == "m") return domain::Sex::kMale;
  if (lower == "other") return domain::Sex::kOther;
  return Bad("sex", "invalid_sex", "sex is female, male, other or unknown (F and M accepted)");
}

Result<RegisterRow> DecodeRegisterRow(std::span<const RegisterFieldValue> fields) {
  std::array<std::string_view, kColumns.size()> values{};
  for (const RegisterFieldValue& field : fields) {
    auto found = std::find(kColumns.begin(), kColumns.end(), field.name);
    if (found != kColumns.end())
      values[static_cast<size_t>(found - kColumns.begin())] = Trim(field.value);
  }
  auto value = [&](std::string_view name) {
    return values[static_cast<size_t>(std::find(kColumns.begin(), kColumns.end(), name) -
                                      kColumns.begin())];
  };
  RegisterRow row;
  std::string_view action = value("action");
  if (action == "delete") {
    row.action = RegisterAction::kDelete;
  } else if (!action.empty() && action != "upsert") {
    return Bad("action", "invalid_action", "action is upsert or delete");
  }
  if (value("id").empty()) return Bad("id", "missing_id", "every row needs the authority's id");
  ASSIGN_OR_RETURN(row.entry.local_id, TextValue("id", value("id")));
  if (row.action == RegisterAction::kDelete) return row;

  std::optional<domain::RegisterStatus> status = domain::RegisterStatusFromSlug(value("status"));
  if (!status) {
    return Bad("status", value("status").empty() ? "missing_status" : "invalid_status",
               "status is cp_plan, looked_after, unborn_cp_plan or child_in_need");
  }
  row.entry.status = *status;
  ASSIGN_OR_RETURN(row.entry.given_name, TextValue("given_name", value("given_name")));
  ASSIGN_OR_RETURN(row.entry.family_name, TextValue("family_name", value("family_name")));
  ASSIGN_OR_RETURN(row.entry.birth_date, DateValue("birth_date", value("birth_date")));
  ASSIGN_OR_RETURN(row.entry.sex, RegisterSexValue(value("sex")));
  ASSIGN_OR_RETURN(row.entry.postcode, TextValue("postcode", value("postcode")));
  ASSIGN_OR_RETURN(row.entry.plan_category, TextValue("plan_category", value("plan_category")));
  ASSIGN_OR_RETURN(row.entry.start_date, DateValue("start_date", value("start_date")));
  ASSIGN_OR_RETURN(row.entry.end_date, DateValue("end_date", value("end_date")));
  if (row.entry.start_date && row.entry.end_date &&
      std::chrono::sys_days(*row.entry.end_date) < std::chrono::sys_days(*row.entry.start_date)) {
    return Bad("end_date", "before_start_date", "the plan cannot end before it starts");
  }
  ASSIGN_OR_RETURN(row.entry.responsible_org,
                   TextValue("responsible_org", value("responsible_org")));
  ASSIGN_OR_RETURN(row.entry.contact_in_hours,
                   TextValue("contact_in_hours", value("contact_in_hours")));
  ASSIGN_OR_RETURN(row.entry.contact_out_of_hours,
                   TextValue("contact_out_of_hours", value("contact_out_of_hours")));
  ASSIGN_OR_RETURN(row.entry.allocated_worker,
                   TextValue("allocated_worker", value("allocated_worker")));
  row.entry.nhs_number = NhsValue("nhs_number", value("nhs_number"), row);
  row.entry.mother_nhs_number = NhsValue("mother_nhs_number", value("mother_nhs_number"), row);
  if (row.entry.status == domain::RegisterStatus::kUnbornCpPlan) {
    if (!row.entry.mother_nhs_number && row.entry.family_name.empty()) {
      return Bad("mother_nhs_number", "no_identifying_details",
                 "an unborn entry needs the mother's NHS number or a family name");
    }
  } else if (!row.entry.nhs_number && (row.entry.family_name.empty() || !row.entry.birth_date)) {
    return Bad("nhs_number", "no_identifying_details",
               "an entry needs a valid NHS number, or a family name and a birth date");
  }
  return row;
}

Result<FeedSummary> ReadRegisterCsv(std::istream& in, RegisterVisitor& visitor) {
  FeedSummary summary;
  CsvReader records(in, kMaxRegisterRowBytes);
  CsvReader::Outcome outcome = records.Next();
  if (outcome == CsvReader::Outcome::kEnd) return summary;
  if (outcome == CsvReader::Outcome::kReadError) {
    return Unavailable("read_failed", "the file could not be read");
  }
  if (outcome == CsvReader::Outcome::kBadRecord) {
    return InvalidArgument("invalid_header", "the CSV header could not be read");
  }
  std::vector<std::string> header;
  for (std::string_view name : records.fields()) {
    std::string column(Trim(name));
    if (std::find(header.begin(), header.end(), column) != header.end()) {
      return InvalidArgument("duplicate_column", "a column appears twice in the header", column);
    }
    header.push_back(std::move(column));
  }
  if (std::find(header.begin(), header.end(), "id") == header.end()) {
    return InvalidArgument("missing_column", "the header has no id column", "id");
  }
  std::vector<RegisterFieldValue> fields;
  while (true) {
    outcome = records.Next();
    if (outcome == CsvReader::Outcome::kEnd) break;
    if (outcome == CsvReader::Outcome::kReadError) {
      return Unavailable("read_failed", "the file could not be read");
    }
    ++summary.read;
    const std::int64_t line = records.line();
    auto reject = [&](RowIssue issue) {
      ++summary.rejected;
      visitor.OnIssue(issue);
    };
    if (outcome == CsvReader::Outcome::kBadRecord) {
      reject({line, "", std::string(records.error())});
      continue;
    }
    if (records.fields().size() != header.size()) {
      reject({line, "", "wrong_field_count"});
      continue;
    }
    fields.clear();
    for (size_t i = 0; i < header.size(); ++i) {
      fields.push_back({header[i], records.fields()[i]});
    }
    Result<RegisterRow> row = DecodeRegisterRow(fields);
    if (!row.ok()) {
      std::string_view id = RawId(header, records.fields());
      if (!id.empty() && row.status().field() != "id") visitor.OnRejectedId(id);
      reject({line, row.status().field(), row.status().reason()});
      continue;
    }
    row->line = line;
    for (RowIssue& warning : row->warnings) warning.line = line;
    std::vector<RowIssue> warnings = row->warnings;
    ASSIGN_OR_RETURN(std::optional<RowIssue> refused, visitor.OnRow(*std::move(row)));
    if (refused) {
      refused->line = line;
      reject(*refused);
      continue;
    }
    ++summary.accepted;
    for (const RowIssue& warning : warnings) {
      ++summary.warnings;
      visitor.OnIssue(warning);
    }
  }
  return summary;
}

std::string RegisterCsvHeader() {
  std::string header;
  for (std::string_view column : kColumns) {
    if (column == "action") continue;
    header += (header.empty() ? "" : ",") + std::string(column);
  }
  return header + "\n";
}

}  // namespace liaison::ingest
