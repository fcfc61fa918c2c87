// The register upload CSV (contracts.md, "The register upload") read into a lookup, so the
// sweep can give the engine what `assess --db` gets from the database: whether the person is
// known to children's social care. As at the point of care, a verified NHS number is matched
// exactly (an invalid one is never used for matching; an unborn entry is found by its
// mother's number), and a child without one is linked on demographics with the shipped
// linkage model, taking only its automatic `match` band (docs/linkage.md): the sweep has no
// one to review a `potential`. Rows that cannot be used are counted, not fatal.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "linkage/record.h"
#include "linkage/register_index.h"
#include "recognition/engine.h"

namespace liaison::review {

class RegisterIndex {
 public:
  // The person's status, or nullopt; `nhs_digits` is a verified number's ten digits.
  std::optional<recognition::SocialCareStatus> Find(std::string_view nhs_digits) const;
  // The status of the born child the linker matches `person` to, or nullopt. Thread-safe.
  std::optional<recognition::SocialCareStatus> FindByDemographics(
      const linkage::PersonRecord& person) const;

  std::int64_t entries() const { return static_cast<std::int64_t>(by_nhs_.size()); }
  std::int64_t skipped() const { return skipped_; }

 private:
  friend Result<RegisterIndex> ReadRegisterCsv(std::istream& in);
  std::unordered_map<std::string, recognition::SocialCareStatus> by_nhs_;
  std::shared_ptr<const linkage::RegisterIndex> linker_;        // born children's entries
  std::vector<recognition::SocialCareStatus> linked_statuses_;  // by linker entry position
  std::int64_t skipped_ = 0;
};

// Fails with "missing_column" when the header lacks nhs_number or status, and "read_error".
// A row with an ended plan (end_date given) counts as previous_cp_plan for a cp_plan and is
// skipped otherwise; a person's own entry wins over an unborn entry naming them as mother.
Result<RegisterIndex> ReadRegisterCsv(std::istream& in);

}  // namespace liaison::review
