#include "ingest/link_csv.h"

#include "common/time_format.h"

namespace liaison::ingest {
namespace {

constexpr std::string_view kColumnNames[] = {
    "id", "nhs_number", "given_name", "family_name", "birth_date", "sex", "postcode"};

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool NhsNumberChecks(std::string_view text) {
  int digits[10];
  int count = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      if (count == 10) return false;
      digits[count++] = c - '0';
    } else if (c != ' ' && c != '-') {
      return false;
    }
  }
  if (count != 10) return false;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += digits[i] * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  return check != 10 && check == digits[9];
}

}  // namespace

LinkCsvReader::LinkCsvReader(std::istream& in, std::size_t max_record_bytes)
    : csv_(in, max_record_bytes) {
  position_.fill(-1);
}

Status LinkCsvReader::ReadHeader() {
  CsvReader::Outcome outcome = csv_.Next();
  if (outcome == CsvReader::Outcome::kReadError) {
    return Unavailable("read_failed", "could not read the file");
  }
  if (outcome != CsvReader::Outcome::kRecord) {
    return InvalidArgument("invalid_header", "the file has no header line");
  }
  const std::vector<std::string_view>& fields = csv_.fields();
  header_fields_ = fields.size();
  for (std::size_t i = 0; i < fields.size(); ++i) {
    std::string_view name = Trim(fields[i]);
    for (int c = 0; c < kColumns; ++c) {
      if (name == kColumnNames[c] && position_[c] < 0) position_[c] = static_cast<int>(i);
    }
  }
  if (position_[kId] < 0) return InvalidArgument("invalid_header", "the header has no id column");
  bool any = false;
  for (int c = kNhsNumber; c < kColumns; ++c) any |= position_[c] >= 0;
  if (!any) {
    return InvalidArgument("invalid_header",
                           "the header has none of nhs_number, given_name, family_name, "
                           "birth_date, sex, postcode");
  }
  return Status::Ok();
}

Result<LinkCsvReader::Outcome> LinkCsvReader::Next(LinkRow& row, std::vector<RowIssue>& issues) {
  issues.clear();
  for (;;) {
    CsvReader::Outcome outcome = csv_.Next();
    if (outcome == CsvReader::Outcome::kEnd) return Outcome::kEnd;
    if (outcome == CsvReader::Outcome::kReadError) {
      return Unavailable("read_failed", "could not read the file");
    }
    if (outcome == CsvReader::Outcome::kBadRecord) {
      issues.push_back({csv_.line(), "", std::string(csv_.error())});
      return Outcome::kRejected;
    }
    const std::vector<std::string_view>& fields = csv_.fields();
    if (fields.size() == 1 && fields[0].empty()) continue;  // a blank line
    row = LinkRow();
    row.line = csv_.line();
    if (fields.size() != header_fields_) {
      issues.push_back({row.line, "",
                        "has " + std::to_string(fields.size()) + " fields, the header has " +
                            std::to_string(header_fields_)});
      return Outcome::kRejected;
    }
    auto value = [&](Column column) -> std::string_view {
      return position_[column] < 0 ? std::string_view() : Trim(fields[position_[column]]);
    };
    row.id = std::string(value(kId));
    if (row.id.empty()) issues.push_back({row.line, "id", "missing"});
    row.nhs_number = std::string(value(kNhsNumber));
    if (!row.nhs_number.empty() && !NhsNumberChecks(row.nhs_number)) {
      issues.push_back({row.line, "nhs_number", "not a valid NHS number; treated as absent",
                        IssueKind::kWarning});
    }
    row.given_name = std::string(value(kGivenName));
    row.family_name = std::string(value(kFamilyName));
    if (std::string_view birth = value(kBirthDate); !birth.empty()) {
      Result<std::chrono::year_month_day> date = ParseDate(birth);
      if (date.ok()) {
        row.birth_date = *date;
      } else {
        issues.push_back({row.line, "birth_date", "must be a date YYYY-MM-DD"});
      }
    }
    if (std::string_view sex = value(kSex); !sex.empty()) {
      std::optional<domain::Sex> parsed = domain::SexFromText(sex);
      if (parsed) {
        row.sex = *parsed;
      } else {
        issues.push_back({row.line, "sex", "must be female, male, other or unknown (or F, M)"});
      }
    }
    row.postcode = std::string(value(kPostcode));
    for (const RowIssue& issue : issues) {
      if (issue.kind == IssueKind::kRejected) return Outcome::kRejected;
    }
    return Outcome::kRow;
  }
}

}  // namespace liaison::ingest
