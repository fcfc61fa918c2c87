// Linkage accuracy against synthetic truth (bench/linkage_eval.sh):
//   linkage_eval --register R.csv --register-truth RT.csv --queries Q.csv [--model M.json]
// Prints band counts, precision of automatic matches, recall of match + potential, false
// automatic links by relation (twin, sibling, other household member, unrelated), and the
// pairs completeness of the blocking (overall and per rule).
#include <cstdio>
#include <map>
#include <string>

#include "linkage/register_index.h"
#include "linkage_common.h"

using namespace liaison;

int main(int argc, char** argv) {
  std::string register_path, truth_path, queries_path, model_path;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--register") register_path = argv[i + 1];
    if (flag == "--register-truth") truth_path = argv[i + 1];
    if (flag == "--queries") queries_path = argv[i + 1];
    if (flag == "--model") model_path = argv[i + 1];
  }
  std::shared_ptr<const linkage::Model> model = linkage::Model::Default();
  if (!model_path.empty()) {
    Result<linkage::Model> loaded = linkage::Model::Load(model_path);
    if (!loaded.ok()) {
      std::cerr << loaded.status().ToString() << "\n";
      return 1;
    }
    model = std::make_shared<const linkage::Model>(std::move(*loaded));
  }
  auto index = linkage::RegisterIndex::Build(bench::ReadLinkFile(register_path), model);
  auto register_truth =
      bench::ReadColumns(truth_path, {"person_key", "household_key", "birth_date"});
  std::vector<linkage::PersonRecord> queries = bench::ReadLinkFile(queries_path);
  std::unordered_map<std::string, std::uint32_t> position;
  for (std::uint32_t i = 0; i < index->size(); ++i) position.emplace(index->entry(i).id, i);
  auto query_truth = bench::ReadColumns(
      queries_path, {"true_register_id", "person_key", "household_key", "true_birth_date"});

  std::int64_t on_register = 0, off_register = 0;
  std::map<std::string, std::int64_t> bands;
  std::int64_t auto_links = 0, auto_correct = 0, found = 0, found_match = 0;
  std::int64_t potential_wrong = 0;
  std::map<std::string, std::int64_t> false_auto, false_potential;
  std::int64_t blocked = 0, candidates_total = 0;
  std::map<std::string, std::int64_t> twin_outcomes;  // queries of children with a twin
  std::array<std::int64_t, linkage::kBlockingRuleCount> rule_found{};
  std::vector<std::uint32_t> candidates;
  std::vector<std::uint16_t> rules;
  for (const linkage::PersonRecord& query : queries) {
    const std::vector<std::string>& truth = query_truth.at(query.id);
    const std::string& true_id = truth[0];
    bool is_on_register = !true_id.empty();
    (is_on_register ? on_register : off_register)++;
    linkage::Features features = index->StandardiseQuery(query);
    linkage::LinkResult result = index->LinkStandardised(features, 2);
    bands[std::string(linkage::BandSlug(result.band))]++;
    candidates.clear();
    rules.clear();
    index->Candidates(features, candidates, &rules);
    candidates_total += static_cast<std::int64_t>(candidates.size());
    if (is_on_register) {
      for (std::size_t c = 0; c < candidates.size(); ++c) {
        if (index->entry(candidates[c]).id != true_id) continue;
        ++blocked;
        for (int r = 0; r < linkage::kBlockingRuleCount; ++r) {
          if (rules[c] >> r & 1u) ++rule_found[r];
        }
      }
    }
    if (is_on_register && index->has_multiple_birth(position.at(true_id))) {
      bool right =
          !result.candidates.empty() && index->entry(result.candidates[0].entry).id == true_id;
      std::string band(linkage::BandSlug(result.band));
      twin_outcomes[band == "no_match" ? band : band + (right ? "_right" : "_wrong")]++;
    }
    if (result.band == linkage::Band::kNoMatch) continue;
    const std::string& linked = index->entry(result.candidates[0].entry).id;
    bool correct = linked == true_id;
    if (result.band == linkage::Band::kMatch) {
      ++auto_links;
      if (correct) ++auto_correct;
    }
    if (correct) {
      ++found;
      if (result.band == linkage::Band::kMatch) ++found_match;
      continue;
    }
    // A wrong link: how is the linked child related to the person queried?
    const std::vector<std::string>& entry_truth = register_truth.at(linked);
    std::string relation = "unrelated";
    if (entry_truth[0].empty()) {
      relation = "unborn_entry";  // no name, no birth date: a pre-birth plan entry
    } else if (entry_truth[1] == truth[2]) {
      bool same_birth = entry_truth[2] == truth[3];
      relation = !is_on_register ? "adult_of_household" : same_birth ? "twin" : "sibling";
    }
    if (result.band == linkage::Band::kMatch) {
      false_auto[relation]++;
    } else {
      false_potential[relation]++;
      ++potential_wrong;
    }
  }
  std::printf("queries %zu (on register %lld, not %lld); register entries %zu\n", queries.size(),
              static_cast<long long>(on_register), static_cast<long long>(off_register),
              index->size());
  for (const auto& [band, count] : bands)
    std::printf("band %s: %lld\n", band.c_str(), static_cast<long long>(count));
  std::printf(
      "precision of match: %.5f (%lld of %lld automatic links correct)\n",
      auto_links ? static_cast<double>(auto_correct) / static_cast<double>(auto_links) : 1.0,
      static_cast<long long>(auto_correct), static_cast<long long>(auto_links));
  std::printf(
      "recall of match+potential: %.5f (%lld of %lld); of match alone: %.5f\n",
      on_register ? static_cast<double>(found) / static_cast<double>(on_register) : 0.0,
      static_cast<long long>(found), static_cast<long long>(on_register),
      on_register ? static_cast<double>(found_match) / static_cast<double>(on_register) : 0.0);
  for (std::string relation :
       {"twin", "sibling", "adult_of_household", "unborn_entry", "unrelated"}) {
    std::printf("false automatic links to a %s: %lld; false potentials: %lld\n", relation.c_str(),
                static_cast<long long>(false_auto[relation]),
                static_cast<long long>(false_potential[relation]));
  }
  std::printf("queries of children with a twin on the register:");
  for (const auto& [outcome, count] : twin_outcomes) {
    std::printf(" %s %lld", outcome.c_str(), static_cast<long long>(count));
  }
  std::printf("\n");
  std::printf("pairs completeness of blocking: %.5f; candidates per query: %.1f\n",
              on_register ? static_cast<double>(blocked) / static_cast<double>(on_register) : 0.0,
              queries.empty()
                  ? 0.0
                  : static_cast<double>(candidates_total) / static_cast<double>(queries.size()));
  for (int r = 0; r < linkage::kBlockingRuleCount; ++r) {
    std::printf(
        "  rule %-32s completeness %.4f\n",
        std::string(linkage::BlockingRuleName(static_cast<linkage::BlockingRule>(r))).c_str(),
        on_register ? static_cast<double>(rule_found[r]) / static_cast<double>(on_register) : 0.0);
  }
  return 0;
}
