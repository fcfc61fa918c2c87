#include "linkage/register_index.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_set>

namespace liaison::linkage {
namespace {

// A 64-bit key from a rule and its values (FNV-1a, then a final mix).
class KeyHasher {
 public:
  explicit KeyHasher(BlockingRule rule) { Add(static_cast<std::uint64_t>(rule) + 1); }
  KeyHasher& Add(std::string_view text) {
    for (char c : text) Byte(static_cast<unsigned char>(c));
    Byte(0xFF);
    return *this;
  }
  KeyHasher& Add(std::uint64_t value) {
    for (int i = 0; i < 8; ++i) Byte(static_cast<unsigned char>(value >> (8 * i)));
    return *this;
  }
  std::uint64_t Done() const {
    std::uint64_t h = hash_;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
  }

 private:
  void Byte(unsigned char c) {
    hash_ ^= c;
    hash_ *= 0x100000001b3ULL;
  }
  std::uint64_t hash_ = 0xcbf29ce484222325ULL;
};

struct Key {
  std::uint64_t hash;
  BlockingRule rule;
};

std::string_view Initial(const std::string& name) {
  return name.empty() ? std::string_view() : std::string_view(name).substr(0, 1);
}

// The blocking keys of a record. A query also looks up its swapped variants.
void KeysOf(const Features& f, bool query, std::vector<Key>& keys) {
  keys.clear();
  auto add = [&](BlockingRule rule, const KeyHasher& hasher) {
    keys.push_back({hasher.Done(), rule});
  };
  if (f.nhs_number != 0)
    add(BlockingRule::kNhsNumber, KeyHasher(BlockingRule::kNhsNumber).Add(f.nhs_number));
  bool has_birth = f.birth_days != kNoDate;
  if (has_birth) {
    add(BlockingRule::kBirthDate,
        KeyHasher(BlockingRule::kBirthDate).Add(static_cast<std::uint64_t>(f.birth_days)));
    if (query && f.birth_day <= 12 && f.birth_day != f.birth_month) {
      // Looks the swapped date up in the birth-date keys.
      std::chrono::year_month_day swapped{std::chrono::year(f.birth_year),
                                          std::chrono::month(f.birth_day),
                                          std::chrono::day(f.birth_month)};
      if (swapped.ok()) {
        auto days = static_cast<std::uint64_t>(
            static_cast<std::int64_t>(std::chrono::sys_days(swapped).time_since_epoch().count()));
        keys.push_back({KeyHasher(BlockingRule::kBirthDate).Add(days).Done(),
                        BlockingRule::kBirthDateSwapped});
      }
    }
  }
  auto year = static_cast<std::uint64_t>(f.birth_year);
  if (has_birth && !f.family_phonetic.empty()) {
    add(BlockingRule::kYearFamilyPhonetic,
        KeyHasher(BlockingRule::kYearFamilyPhonetic).Add(year).Add(f.family_phonetic));
  }
  if (!f.given_phonetic.empty() && !f.family_phonetic.empty()) {
    add(BlockingRule::kNamesPhonetic,
        KeyHasher(BlockingRule::kNamesPhonetic).Add(f.given_phonetic).Add(f.family_phonetic));
    if (query) {
      keys.push_back({KeyHasher(BlockingRule::kNamesPhonetic)
                          .Add(f.family_phonetic)
                          .Add(f.given_phonetic)
                          .Done(),
                      BlockingRule::kNamesSwapped});
    }
  }
  for (const Postcode& postcode : f.postcodes) {
    if (!f.given.empty()) {
      add(BlockingRule::kPostcodeGivenInitial,
          KeyHasher(BlockingRule::kPostcodeGivenInitial).Add(postcode.full).Add(Initial(f.given)));
    }
    if (!f.family_phonetic.empty()) {
      add(BlockingRule::kDistrictFamilyPhonetic, KeyHasher(BlockingRule::kDistrictFamilyPhonetic)
                                                     .Add(postcode.district())
                                                     .Add(f.family_phonetic));
    }
    if (has_birth) {
      add(BlockingRule::kPostcodeYear,
          KeyHasher(BlockingRule::kPostcodeYear).Add(postcode.full).Add(year));
    }
  }
  if (has_birth && !f.given.empty()) {
    add(BlockingRule::kYearMonthGivenInitial, KeyHasher(BlockingRule::kYearMonthGivenInitial)
                                                  .Add(year)
                                                  .Add(std::uint64_t{f.birth_month})
                                                  .Add(Initial(f.given)));
  }
}

// A link needs some evidence about the person, not only the household: the NHS number, the
// given name or the birth date must agree (at any non-null level short of "different").
// Family name and postcode alone describe a family, and a pre-birth entry has nothing else.
bool IdentifiesPerson(const Gamma& g) {
  return g[0] == nhs_level::kExact ||
         (g[1] != given_level::kNull && g[1] != given_level::kDifferent &&
          g[1] != given_level::kJw70) ||
         (g[3] != birth_level::kNull && g[3] != birth_level::kDifferent);
}

double ProbabilityOf(double weight) {
  if (weight > 60) return 1.0;
  double odds = std::exp2(weight);
  return odds / (1.0 + odds);
}

struct TermCounts {
  std::unordered_map<std::string_view, std::uint32_t> given, family, postcode;
};

}  // namespace

std::string_view BandSlug(Band band) {
  switch (band) {
    case Band::kMatch:
      return "match";
    case Band::kPotential:
      return "potential";
    case Band::kNoMatch:
      return "no_match";
  }
  return "no_match";
}

std::string ConflictText(std::uint8_t conflicts) {
  std::string text;
  auto add = [&](Conflict flag, std::string_view name) {
    if ((conflicts & flag) == 0) return;
    if (!text.empty()) text.push_back(',');
    text.append(name);
  };
  add(kDifferentNhsNumbers, "different_nhs_numbers");
  add(kTwinPattern, "twin_pattern");
  add(kSexDiffers, "sex_differs");
  add(kMultipleBirth, "multiple_birth");
  return text;
}

std::string_view BlockingRuleName(BlockingRule rule) {
  switch (rule) {
    case BlockingRule::kNhsNumber:
      return "nhs_number";
    case BlockingRule::kBirthDate:
      return "birth_date";
    case BlockingRule::kBirthDateSwapped:
      return "birth_date_day_month_swapped";
    case BlockingRule::kYearFamilyPhonetic:
      return "birth_year+family_phonetic";
    case BlockingRule::kNamesPhonetic:
      return "given_phonetic+family_phonetic";
    case BlockingRule::kNamesSwapped:
      return "names_swapped_phonetic";
    case BlockingRule::kPostcodeGivenInitial:
      return "postcode+given_initial";
    case BlockingRule::kDistrictFamilyPhonetic:
      return "district+family_phonetic";
    case BlockingRule::kYearMonthGivenInitial:
      return "birth_year_month+given_initial";
    case BlockingRule::kPostcodeYear:
      return "postcode+birth_year";
  }
  return "unknown";
}

std::string ExplanationText(const LinkResult& result, const Candidate& candidate) {
  std::string text;
  char buffer[96];
  std::snprintf(buffer, sizeof(buffer), "prior %+.1f", result.prior_weight);
  text += buffer;
  for (const Contribution& c : candidate.contributions) {
    std::snprintf(buffer, sizeof(buffer), "; %s=%.*s %+.1f",
                  std::string(FieldName(c.field)).c_str(), static_cast<int>(c.level_name.size()),
                  c.level_name.data(), c.weight);
    text += buffer;
    if (c.tf_adjustment != 0.0) {
      std::snprintf(buffer, sizeof(buffer), " (tf %+.1f)", c.tf_adjustment);
      text += buffer;
    }
  }
  std::snprintf(buffer, sizeof(buffer), "; total %+.1f bits, p=%.6f", candidate.match_weight,
                candidate.probability);
  text += buffer;
  if (candidate.conflicts != kNoConflict)
    text += "; conflict: " + ConflictText(candidate.conflicts);
  return text;
}

std::shared_ptr<const RegisterIndex> RegisterIndex::Build(std::vector<PersonRecord> entries,
                                                          std::shared_ptr<const Model> model,
                                                          const NicknameTable& nicknames) {
  std::shared_ptr<RegisterIndex> index(new RegisterIndex());
  index->model_ = std::move(model);
  index->nicknames_ = &nicknames;
  index->records_ = std::move(entries);
  const std::size_t n = index->records_.size();
  index->features_.reserve(n);
  for (const PersonRecord& record : index->records_) {
    index->features_.push_back(Standardise(record, nicknames));
  }

  // Prior odds of one candidate pair: the share of queries expected on the register, spread
  // over its entries.
  const Model& m = *index->model_;
  double lambda = m.on_register_rate() / static_cast<double>(std::max<std::size_t>(n, 1));
  lambda = std::min(lambda, 0.5);
  index->prior_weight_ = std::log2(lambda / (1.0 - lambda));

  // Term frequencies, smoothed towards the model's u (prior_records pseudo-entries) so that a
  // small register does not make its few names look rare or common.
  TermCounts counts;
  for (const Features& f : index->features_) {
    if (!f.given.empty()) ++counts.given[f.given];
    if (!f.family.empty()) ++counts.family[f.family];
    if (!f.postcodes.empty()) ++counts.postcode[f.postcodes.front().full];
  }
  auto adjustment = [&](Field field, int exact_level,
                        const std::unordered_map<std::string_view, std::uint32_t>& table,
                        std::string_view value) -> float {
    if (!m.term_frequency(field) || value.empty()) return 0.0f;
    double u_exact = m.level(field, exact_level).u;
    auto found = table.find(value);
    double count = found == table.end() ? 0.0 : found->second;
    double k = m.tf_prior_records();
    double tf = (count + k * u_exact) / (static_cast<double>(n) + k);
    return static_cast<float>(std::log2(u_exact) - std::log2(std::max(tf, m.tf_minimum())));
  };
  index->tf_adjustment_.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Features& f = index->features_[i];
    index->tf_adjustment_[i] = {
        adjustment(Field::kGivenName, given_level::kExact, counts.given, f.given),
        adjustment(Field::kFamilyName, family_level::kExact, counts.family, f.family),
        adjustment(Field::kPostcode, postcode_level::kExact, counts.postcode,
                   f.postcodes.empty() ? std::string_view() : f.postcodes.front().full)};
  }

  // Multiple births: entries sharing family name and birth date with different given names.
  index->multiple_birth_.assign(n, 0);
  {
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> by_birth;
    for (std::uint32_t i = 0; i < n; ++i) {
      const Features& f = index->features_[i];
      if (f.family.empty() || f.birth_days == kNoDate) continue;
      by_birth[KeyHasher(BlockingRule::kBirthDate)
                   .Add(static_cast<std::uint64_t>(f.birth_days))
                   .Add(f.family)
                   .Done()]
          .push_back(i);
    }
    for (const auto& [key, group] : by_birth) {
      if (group.size() < 2) continue;
      for (std::uint32_t a : group) {
        for (std::uint32_t b : group) {
          if (index->features_[a].given != index->features_[b].given) index->multiple_birth_[a] = 1;
        }
      }
    }
  }

  // Postings: (key, entry) pairs sorted by key, then one slice per key.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> pairs;
  pairs.reserve(n * 10);
  std::vector<Key> keys;
  for (std::uint32_t i = 0; i < n; ++i) {
    KeysOf(index->features_[i], false, keys);
    for (const Key& key : keys) pairs.emplace_back(key.hash, i);
  }
  std::sort(pairs.begin(), pairs.end());
  pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
  index->posting_entries_.reserve(pairs.size());
  index->postings_.reserve(pairs.size() / 2);
  for (std::size_t i = 0; i < pairs.size();) {
    std::size_t j = i;
    while (j < pairs.size() && pairs[j].first == pairs[i].first) ++j;
    Posting posting{static_cast<std::uint32_t>(index->posting_entries_.size()),
                    static_cast<std::uint32_t>(j - i)};
    for (std::size_t k = i; k < j; ++k) index->posting_entries_.push_back(pairs[k].second);
    index->postings_.emplace(pairs[i].first, posting);
    i = j;
  }
  return index;
}

std::shared_ptr<const RegisterIndex> RegisterIndex::WithChanges(
    std::vector<PersonRecord> upserts, const std::vector<std::string>& removed_ids) const {
  std::unordered_set<std::string> dropped(removed_ids.begin(), removed_ids.end());
  for (const PersonRecord& record : upserts) dropped.insert(record.id);
  std::vector<PersonRecord> entries;
  entries.reserve(records_.size() + upserts.size());
  for (const PersonRecord& record : records_) {
    if (!dropped.contains(record.id)) entries.push_back(record);
  }
  for (PersonRecord& record : upserts) entries.push_back(std::move(record));
  return Build(std::move(entries), model_, *nicknames_);
}

Features RegisterIndex::StandardiseQuery(const PersonRecord& query) const {
  return Standardise(query, *nicknames_);
}

std::uint32_t RegisterIndex::Candidates(const Features& query, std::vector<std::uint32_t>& out,
                                        std::vector<std::uint16_t>* rules) const {
  std::vector<Key> keys;
  KeysOf(query, true, keys);
  std::uint32_t skipped = 0;
  std::size_t first = out.size();
  std::vector<std::pair<std::uint32_t, std::uint16_t>> found;
  for (const Key& key : keys) {
    auto posting = postings_.find(key.hash);
    if (posting == postings_.end()) continue;
    if (posting->second.length > kMaxBlock) {
      ++skipped;
      continue;
    }
    const std::uint32_t* begin = posting_entries_.data() + posting->second.offset;
    if (rules) {
      auto bit = static_cast<std::uint16_t>(1u << static_cast<unsigned>(key.rule));
      for (std::uint32_t k = 0; k < posting->second.length; ++k) found.emplace_back(begin[k], bit);
    } else {
      out.insert(out.end(), begin, begin + posting->second.length);
    }
  }
  if (rules) {
    std::sort(found.begin(), found.end());
    for (std::size_t i = 0; i < found.size();) {
      std::uint16_t bits = 0;
      std::size_t j = i;
      while (j < found.size() && found[j].first == found[i].first) bits |= found[j++].second;
      out.push_back(found[i].first);
      rules->push_back(bits);
      i = j;
    }
  } else {
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end());
    out.erase(std::unique(out.begin() + static_cast<std::ptrdiff_t>(first), out.end()), out.end());
  }
  return skipped;
}

double RegisterIndex::TfAdjustment(Field field, int level, std::uint32_t entry) const {
  switch (field) {
    case Field::kGivenName:
      return level == given_level::kExact ? tf_adjustment_[entry][0] : 0.0;
    case Field::kFamilyName:
      return level == family_level::kExact ? tf_adjustment_[entry][1] : 0.0;
    case Field::kPostcode:
      return level == postcode_level::kExact ? tf_adjustment_[entry][2] : 0.0;
    default:
      return 0.0;
  }
}

double RegisterIndex::Score(const Features& query, std::uint32_t entry, Gamma& gamma) const {
  gamma = Compare(query, features_[entry]);
  const Model& m = *model_;
  double weight = prior_weight_;
  for (int f = 0; f < kFieldCount; ++f) weight += m.Weight(static_cast<Field>(f), gamma[f]);
  if (gamma[1] == given_level::kExact) weight += tf_adjustment_[entry][0];
  if (gamma[2] == family_level::kExact) weight += tf_adjustment_[entry][1];
  if (gamma[5] == postcode_level::kExact) weight += tf_adjustment_[entry][2];
  return weight;
}

std::uint8_t RegisterIndex::ConflictsOf(const Gamma& g, std::uint32_t entry) const {
  std::uint8_t conflicts = kNoConflict;
  if (g[0] == nhs_level::kDifferent) conflicts |= kDifferentNhsNumbers;
  bool same_family = g[2] == family_level::kExact || g[2] == family_level::kToken;
  bool same_birth = g[3] == birth_level::kExact || g[3] == birth_level::kExactEstimated;
  bool same_place = g[5] == postcode_level::kExact || g[5] == postcode_level::kHistory;
  bool given_differs = g[1] == given_level::kJw88 || g[1] == given_level::kPhonetic ||
                       g[1] == given_level::kOtherGiven || g[1] == given_level::kJw70 ||
                       g[1] == given_level::kDifferent;
  if (same_family && same_birth && same_place && given_differs) conflicts |= kTwinPattern;
  if (same_family && same_birth && g[4] == sex_level::kDifferent) conflicts |= kSexDiffers;
  if (multiple_birth_[entry]) {
    bool identified = g[1] == given_level::kExact ||
                      (g[0] == nhs_level::kExact &&
                       (g[1] == given_level::kNull || g[1] == given_level::kNickname ||
                        g[1] == given_level::kJw92));
    if (!identified) conflicts |= kMultipleBirth;
  }
  return conflicts;
}

Candidate RegisterIndex::Explain(const Features& query, std::uint32_t entry) const {
  Candidate candidate;
  candidate.entry = entry;
  candidate.match_weight = Score(query, entry, candidate.gamma);
  candidate.probability = ProbabilityOf(candidate.match_weight);
  candidate.conflicts = ConflictsOf(candidate.gamma, entry);
  candidate.contributions.reserve(kFieldCount);
  for (int f = 0; f < kFieldCount; ++f) {
    auto field = static_cast<Field>(f);
    Contribution c;
    c.field = field;
    c.level = candidate.gamma[f];
    c.level_name = LevelNames(field)[c.level];
    c.weight = model_->Weight(field, c.level);
    c.tf_adjustment = TfAdjustment(field, c.level, entry);
    candidate.contributions.push_back(c);
  }
  return candidate;
}

LinkResult RegisterIndex::Link(const PersonRecord& query, std::size_t max_candidates) const {
  return LinkStandardised(StandardiseQuery(query), max_candidates);
}

LinkResult RegisterIndex::LinkStandardised(const Features& query,
                                           std::size_t max_candidates) const {
  LinkResult result;
  result.prior_weight = prior_weight_;
  max_candidates = std::max<std::size_t>(max_candidates, 1);
  thread_local std::vector<std::uint32_t> candidates;
  candidates.clear();
  result.blocks_skipped = Candidates(query, candidates);
  result.pairs_scored = static_cast<std::uint32_t>(candidates.size());

  // Keep the best few by weight (the runner-up is needed for the margin).
  const std::size_t keep = std::max<std::size_t>(max_candidates, 2);
  std::vector<std::pair<double, std::uint32_t>> best;
  best.reserve(keep + 1);
  Gamma gamma;
  for (std::uint32_t entry : candidates) {
    double weight = Score(query, entry, gamma);
    if (best.size() == keep && weight <= best.back().first) continue;
    auto at = std::upper_bound(best.begin(), best.end(), weight,
                               [](double w, const auto& item) { return w > item.first; });
    best.insert(at, {weight, entry});
    if (best.size() > keep) best.pop_back();
  }
  if (best.empty()) return result;

  for (std::size_t i = 0; i < best.size() && i < max_candidates; ++i) {
    result.candidates.push_back(Explain(query, best[i].second));
  }
  const Bands& bands = model_->bands();
  const Candidate& top = result.candidates.front();
  if (!IdentifiesPerson(top.gamma)) return result;  // household evidence only: no_match
  double runner_up = best.size() > 1 ? best[1].first : -1e300;
  bool clear_margin = top.match_weight - runner_up >= bands.margin_bits;
  if (top.probability >= bands.match_probability && clear_margin && top.conflicts == kNoConflict) {
    result.band = Band::kMatch;
  } else if (top.probability >= bands.potential_probability) {
    result.band = Band::kPotential;
  } else {
    result.band = Band::kNoMatch;
  }
  return result;
}

}  // namespace liaison::linkage
