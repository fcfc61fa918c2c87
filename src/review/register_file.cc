#include "review/register_file.h"

#include <vector>

#include "common/time_format.h"
#include "domain/nhs_number.h"
#include "ingest/csv_reader.h"
#include "ingest/register_csv.h"
#include "linkage/model.h"

namespace liaison::review {
namespace {

constexpr std::size_t kMaxRecordBytes = 64 * 1024;

std::optional<std::size_t> Column(const std::vector<std::string>& header, std::string_view name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  return std::nullopt;
}

std::string_view Field(const std::vector<std::string_view>& fields, std::optional<std::size_t> i) {
  return i && *i < fields.size() ? fields[*i] : std::string_view();
}

bool KnownStatus(std::string_view status) {
  return status == "cp_plan" || status == "looked_after" || status == "unborn_cp_plan" ||
         status == "child_in_need";
}

}  // namespace

std::optional<recognition::SocialCareStatus> RegisterIndex::Find(
    std::string_view nhs_digits) const {
  auto found = by_nhs_.find(std::string(nhs_digits));
  if (found == by_nhs_.end()) return std::nullopt;
  return found->second;
}

std::optional<recognition::SocialCareStatus> RegisterIndex::FindByDemographics(
    const linkage::PersonRecord& person) const {
  if (!linker_) return std::nullopt;
  linkage::LinkResult result = linker_->Link(person, 1);
  if (result.band != linkage::Band::kMatch || result.candidates.empty()) return std::nullopt;
  return linked_statuses_[result.candidates[0].entry];
}

Result<RegisterIndex> ReadRegisterCsv(std::istream& in) {
  ingest::CsvReader records(in, kMaxRecordBytes);
  if (records.Next() != ingest::CsvReader::Outcome::kRecord) {
    return InvalidArgument("invalid_header", "the register file has no readable header");
  }
  std::vector<std::string> header(records.fields().begin(), records.fields().end());
  std::optional<std::size_t> nhs = Column(header, "nhs_number");
  std::optional<std::size_t> status = Column(header, "status");
  if (!nhs || !status) {
    return InvalidArgument("missing_column", "the register file needs nhs_number and status",
                           nhs ? "status" : "nhs_number");
  }
  std::optional<std::size_t> end_date = Column(header, "end_date");
  std::optional<std::size_t> org = Column(header, "responsible_org");
  std::optional<std::size_t> mother = Column(header, "mother_nhs_number");
  std::optional<std::size_t> id = Column(header, "id");
  std::optional<std::size_t> given = Column(header, "given_name");
  std::optional<std::size_t> family = Column(header, "family_name");
  std::optional<std::size_t> birth = Column(header, "birth_date");
  std::optional<std::size_t> sex = Column(header, "sex");
  std::optional<std::size_t> postcode = Column(header, "postcode");
  RegisterIndex index;
  std::vector<linkage::PersonRecord> linkable;
  std::unordered_map<std::string, recognition::SocialCareStatus> unborn;
  for (;;) {
    ingest::CsvReader::Outcome outcome = records.Next();
    if (outcome == ingest::CsvReader::Outcome::kEnd) break;
    if (outcome == ingest::CsvReader::Outcome::kReadError) {
      return DataLoss("read_error", "the register file could not be read to its end");
    }
    if (outcome == ingest::CsvReader::Outcome::kBadRecord) {
      ++index.skipped_;
      continue;
    }
    const std::vector<std::string_view>& fields = records.fields();
    recognition::SocialCareStatus entry{std::string(Field(fields, status)),
                                        std::string(Field(fields, org))};
    if (!KnownStatus(entry.status)) {
      ++index.skipped_;
      continue;
    }
    if (!Field(fields, end_date).empty()) {
      if (entry.status != "cp_plan") {
        ++index.skipped_;
        continue;
      }
      entry.status = "previous_cp_plan";
    }
    bool is_unborn = entry.status == "unborn_cp_plan";
    if (!is_unborn) {
      // A born child can also be found on demographics, with or without a valid number.
      linkage::PersonRecord person;
      person.id = Field(fields, id);
      person.nhs_number = Field(fields, nhs);
      person.given_name = Field(fields, given);
      person.family_name = Field(fields, family);
      if (Result<std::chrono::year_month_day> date = ParseDate(Field(fields, birth)); date.ok()) {
        person.birth_date = *date;
      }
      if (Result<domain::Sex> parsed_sex = ingest::RegisterSexValue(Field(fields, sex));
          parsed_sex.ok()) {
        person.sex = *parsed_sex;
      }
      person.postcode = Field(fields, postcode);
      linkable.push_back(std::move(person));
      index.linked_statuses_.push_back(entry);
    }
    std::string_view number = is_unborn ? Field(fields, mother) : Field(fields, nhs);
    Result<domain::NhsNumber> parsed = domain::NhsNumber::Parse(number);
    if (!parsed.ok()) {
      if (is_unborn) ++index.skipped_;  // a born child is still linked on demographics
      continue;
    }
    auto& target = is_unborn ? unborn : index.by_nhs_;
    target.emplace(parsed->digits(), std::move(entry));
  }
  for (auto& [digits, entry] : unborn) index.by_nhs_.emplace(digits, std::move(entry));
  if (!linkable.empty()) {
    index.linker_ = linkage::RegisterIndex::Build(std::move(linkable), linkage::Model::Default());
  }
  return index;
}

}  // namespace liaison::review
