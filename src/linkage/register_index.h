// RegisterIndex: the in-process linker for the point of care and for batch linkage. Built
// from register entries (id + link columns), it answers a query record with its best
// candidates, the band (match / potential / no_match), the match probability and a per-field
// explanation (the Fellegi-Sunter waterfall), in microseconds.
//
// Candidates come from a union of blocking keys (NHS number; birth date, also with day and
// month swapped; year of birth + phonetic family name; phonetic given + family names, also
// swapped; postcode + given initial; postcode district + phonetic family name; year and
// month of birth + given initial; postcode + year of birth). A key shared by more than
// `kMaxBlock` entries is skipped for that query (counted in LinkResult), so one hot key
// cannot make a query slow. Term frequencies are computed from the entries at build time.
//
// Bands: match needs the model's probability, a margin of margin_bits over the runner-up and
// no conflict; potential needs the potential probability; either needs evidence about the
// person (NHS number, given name or birth date agreeing), not only family name and postcode.
//
// Immutable after Build: Link() is const, keeps no shared mutable state and is safe to call
// from any number of threads at once. When the register changes, build a new index
// (WithChanges keeps the rest) and swap it in with LiveRegisterIndex.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "linkage/comparison.h"
#include "linkage/model.h"
#include "linkage/nicknames.h"
#include "linkage/record.h"
#include "linkage/standardise.h"

namespace liaison::linkage {

enum class Band { kMatch, kPotential, kNoMatch };
std::string_view BandSlug(Band band);  // "match", "potential", "no_match"

// Why a pair may not link automatically, whatever its score. Bit flags.
enum Conflict : std::uint8_t {
  kNoConflict = 0,
  kDifferentNhsNumbers = 1,  // both valid and different
  kTwinPattern = 2,          // same family name, birth date and postcode, different given names
  kSexDiffers = 4,           // same family name and birth date, different sex
  kMultipleBirth = 8,        // the entry has a twin on the register and the given name is not exact
};
std::string ConflictText(std::uint8_t conflicts);  // "different_nhs_numbers,twin_pattern"

// One field's part of the match weight.
struct Contribution {
  Field field;
  int level = 0;
  std::string_view level_name;
  double weight = 0.0;         // log2(m/u) of the level
  double tf_adjustment = 0.0;  // term-frequency adjustment (exact levels), in bits
};

struct Candidate {
  std::uint32_t entry = 0;    // position in the index; entry(i) gives the record
  double match_weight = 0.0;  // bits: prior + contributions
  double probability = 0.0;   // 2^w / (1 + 2^w)
  Gamma gamma{};
  std::uint8_t conflicts = kNoConflict;
  std::vector<Contribution> contributions;  // one per field, in Field order
};

struct LinkResult {
  Band band = Band::kNoMatch;
  std::vector<Candidate> candidates;  // best first; empty when no candidate was found
  double prior_weight = 0.0;          // bits, from the register's size
  std::uint32_t pairs_scored = 0;
  std::uint32_t blocks_skipped = 0;  // keys over kMaxBlock, not searched

  // The best candidate's probability, or 0 when there is none (the contract's column).
  double probability() const { return candidates.empty() ? 0.0 : candidates[0].probability; }
};

// "prior -17.2; nhs_number=exact +13.1; given_name=exact +4.0 (tf +1.3); ..." with no
// identifiers, safe for logs and audit.
std::string ExplanationText(const LinkResult& result, const Candidate& candidate);

// The blocking rules, for pairs-completeness reports.
enum class BlockingRule : std::uint8_t {
  kNhsNumber,
  kBirthDate,
  kBirthDateSwapped,
  kYearFamilyPhonetic,
  kNamesPhonetic,
  kNamesSwapped,
  kPostcodeGivenInitial,
  kDistrictFamilyPhonetic,
  kYearMonthGivenInitial,
  kPostcodeYear
};
inline constexpr int kBlockingRuleCount = 10;
std::string_view BlockingRuleName(BlockingRule rule);

class RegisterIndex {
 public:
  static constexpr std::size_t kMaxBlock = 5000;

  // Standardises every entry, builds the blocking keys and the term-frequency tables.
  // Entries keep their order: entry(i) is entries[i].
  static std::shared_ptr<const RegisterIndex> Build(
      std::vector<PersonRecord> entries, std::shared_ptr<const Model> model,
      const NicknameTable& nicknames = NicknameTable::Default());

  // A new index with `upserts` added (replacing entries with the same id) and `removed_ids`
  // taken out; this index is unchanged. Costs a full build.
  std::shared_ptr<const RegisterIndex> WithChanges(
      std::vector<PersonRecord> upserts, const std::vector<std::string>& removed_ids) const;

  // The best `max_candidates` candidates (at least 1) with band and explanations.
  LinkResult Link(const PersonRecord& query, std::size_t max_candidates = 3) const;
  LinkResult LinkStandardised(const Features& query, std::size_t max_candidates = 3) const;

  // Lower-level pieces for training, evaluation and benchmarks.
  Features StandardiseQuery(const PersonRecord& query) const;
  // Appends the distinct candidate entries of `query` (sorted). `rules` (optional) receives,
  // per candidate, a bit per BlockingRule that found it. Returns the number of skipped keys.
  std::uint32_t Candidates(const Features& query, std::vector<std::uint32_t>& out,
                           std::vector<std::uint16_t>* rules = nullptr) const;
  // The match weight of one pair, without the explanation.
  double Score(const Features& query, std::uint32_t entry, Gamma& gamma) const;

  std::size_t size() const { return records_.size(); }
  const PersonRecord& entry(std::uint32_t i) const { return records_[i]; }
  const Features& features(std::uint32_t i) const { return features_[i]; }
  const Model& model() const { return *model_; }
  std::shared_ptr<const Model> model_ptr() const { return model_; }
  double prior_weight() const { return prior_weight_; }
  bool has_multiple_birth(std::uint32_t i) const { return multiple_birth_[i] != 0; }

 private:
  struct Posting {
    std::uint32_t offset = 0;
    std::uint32_t length = 0;
  };
  RegisterIndex() = default;
  double TfAdjustment(Field field, int level, std::uint32_t entry) const;
  std::uint8_t ConflictsOf(const Gamma& gamma, std::uint32_t entry) const;
  Candidate Explain(const Features& query, std::uint32_t entry) const;

  std::shared_ptr<const Model> model_;
  const NicknameTable* nicknames_ = nullptr;
  std::vector<PersonRecord> records_;
  std::vector<Features> features_;
  // Per entry: the TF adjustment (bits) of its given name, family name and postcode when
  // they match exactly.
  std::vector<std::array<float, 3>> tf_adjustment_;
  std::vector<std::uint8_t> multiple_birth_;
  std::unordered_map<std::uint64_t, Posting> postings_;
  std::vector<std::uint32_t> posting_entries_;
  double prior_weight_ = 0.0;
};

// Holds the current index for readers while a writer swaps in a rebuilt one. Readers take a
// shared_ptr snapshot (a mutex-guarded copy, nanoseconds) and keep using it even if it is
// replaced meanwhile. Thread-safe.
class LiveRegisterIndex {
 public:
  explicit LiveRegisterIndex(std::shared_ptr<const RegisterIndex> index)
      : index_(std::move(index)) {}
  std::shared_ptr<const RegisterIndex> Current() const {
    std::lock_guard lock(mutex_);
    return index_;
  }
  void Replace(std::shared_ptr<const RegisterIndex> index) {
    std::lock_guard lock(mutex_);
    index_ = std::move(index);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const RegisterIndex> index_;
};

}  // namespace liaison::linkage
