#include "app/register_linker.h"

#include <cstdio>

namespace liaison::app {
namespace {

linkage::PersonRecord RecordOf(const domain::RegisterEntry& entry) {
  linkage::PersonRecord record;
  record.id = std::to_string(entry.id.value());
  record.nhs_number = entry.nhs_number ? entry.nhs_number->digits() : "";
  record.given_name = entry.given_name;
  record.family_name = entry.family_name;
  record.birth_date = entry.birth_date;
  record.sex = entry.sex;
  record.postcode = entry.postcode;
  return record;
}

linkage::PersonRecord RecordOf(const RegisterQuery& query) {
  linkage::PersonRecord record;
  record.id = "query";
  record.nhs_number = query.nhs_number ? query.nhs_number->digits() : "";
  record.given_name = query.given_name;
  record.family_name = query.family_name;
  record.birth_date = query.birth_date;
  record.sex = query.sex;
  record.postcode = query.postcode;
  return record;
}

// Unborn entries describe a child not yet born: the mother's number finds them (the exact
// path); the child's demographics do not exist, so they are not linked on.
Result<std::shared_ptr<const linkage::RegisterIndex>> BuildIndex(
    storage::UnitOfWork& work, const std::shared_ptr<const linkage::Model>& model) {
  ASSIGN_OR_RETURN(std::vector<domain::RegisterEntry> entries, work.ListRegisterEntries());
  std::vector<linkage::PersonRecord> records;
  records.reserve(entries.size());
  for (const domain::RegisterEntry& entry : entries) {
    if (entry.status == domain::RegisterStatus::kUnbornCpPlan) continue;
    records.push_back(RecordOf(entry));
  }
  return linkage::RegisterIndex::Build(std::move(records), model);
}

// [{"field":"given_name","level":"exact","weight":4.1,"tf_adjustment":0.8}, ...]
std::string ExplanationJson(const linkage::Candidate& candidate, double prior_weight) {
  std::string out = "[{\"field\":\"prior\",\"level\":\"\",\"weight\":";
  char number[32];
  std::snprintf(number, sizeof(number), "%.3f", prior_weight);
  out += number;
  out += ",\"tf_adjustment\":0}";
  for (const linkage::Contribution& part : candidate.contributions) {
    out += ",{\"field\":\"" + std::string(linkage::FieldName(part.field)) + "\",\"level\":\"" +
           std::string(part.level_name) + "\",\"weight\":";
    std::snprintf(number, sizeof(number), "%.3f", part.weight);
    out += number;
    out += ",\"tf_adjustment\":";
    std::snprintf(number, sizeof(number), "%.3f", part.tf_adjustment);
    out += number;
    out += "}";
  }
  return out + "]";
}

}  // namespace

Result<std::shared_ptr<IndexedRegisterLinker>> IndexedRegisterLinker::Build(
    storage::Store& store, std::shared_ptr<const linkage::Model> model) {
  if (!model) model = linkage::Model::Default();
  ASSIGN_OR_RETURN(std::unique_ptr<storage::UnitOfWork> work, store.Begin());
  ASSIGN_OR_RETURN(std::int64_t upload, work->LatestRegisterUploadId());
  ASSIGN_OR_RETURN(std::shared_ptr<const linkage::RegisterIndex> index, BuildIndex(*work, model));
  return std::shared_ptr<IndexedRegisterLinker>(
      new IndexedRegisterLinker(std::move(model), std::move(index), upload));
}

Result<std::shared_ptr<const linkage::RegisterIndex>> IndexedRegisterLinker::Fresh(
    storage::UnitOfWork& work) const {
  ASSIGN_OR_RETURN(std::int64_t upload, work.LatestRegisterUploadId());
  if (upload == built_from_upload_.load()) return live_.Current();
  std::lock_guard lock(rebuild_);
  if (upload != built_from_upload_.load()) {
    ASSIGN_OR_RETURN(std::shared_ptr<const linkage::RegisterIndex> index, BuildIndex(work, model_));
    live_.Replace(std::move(index));
    built_from_upload_.store(upload);
  }
  return live_.Current();
}

Result<std::vector<LinkedEntry>> IndexedRegisterLinker::Link(storage::UnitOfWork& work,
                                                             const RegisterQuery& query) const {
  ASSIGN_OR_RETURN(std::shared_ptr<const linkage::RegisterIndex> index, Fresh(work));
  std::vector<LinkedEntry> linked;
  if (index->size() == 0) return linked;
  linkage::LinkResult result = index->Link(RecordOf(query));
  if (result.band == linkage::Band::kNoMatch || result.candidates.empty()) return linked;
  const double potential = index->model().bands().potential_probability;
  for (size_t i = 0; i < result.candidates.size(); ++i) {
    const linkage::Candidate& candidate = result.candidates[i];
    // The band is the best candidate's; a runner-up is at most a potential match.
    bool match = i == 0 && result.band == linkage::Band::kMatch;
    if (!match && candidate.probability < potential) continue;
    const std::string& id = index->entry(candidate.entry).id;
    linked.push_back({domain::RegisterEntryId(std::stoll(id)),
                      match ? MatchBand::kMatch : MatchBand::kPotential, candidate.probability,
                      ExplanationJson(candidate, result.prior_weight)});
  }
  return linked;
}

Result<std::shared_ptr<const RegisterMatcher>> MakeLinkingRegisterMatcher(storage::Store& store) {
  ASSIGN_OR_RETURN(std::shared_ptr<IndexedRegisterLinker> linker,
                   IndexedRegisterLinker::Build(store));
  return std::shared_ptr<const RegisterMatcher>(std::make_shared<RegisterMatcher>(linker));
}

}  // namespace liaison::app
