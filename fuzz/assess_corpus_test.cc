// Replays fuzz/corpus/assess through the assess fuzz check with gcc, plus truncations and byte
// flips of every seed, so the corpus keeps passing in CI builds without libFuzzer.

#include <gtest/gtest.h>

#include "assess_checks.h"
#include "common/testing/source_files.h"

namespace liaison::fuzz {
namespace {

std::vector<std::string> Corpus() { return liaison::testing::ReadCorpus("assess"); }

TEST(AssessCorpusTest, CorpusPassesTheFuzzCheck) {
  std::vector<std::string> files = Corpus();
  ASSERT_GE(files.size(), 6u);
  for (const std::string& file : files) CheckAssessInput(file);
}

TEST(AssessCorpusTest, MutatedInputsNeverCrash) {
  for (const std::string& file : Corpus()) {
    for (std::size_t cut = 0; cut < file.size(); cut += 1 + file.size() / 40) {
      std::string mutated = file.substr(0, cut);
      if (cut < file.size()) mutated += static_cast<char>(file[cut] ^ 0x5A);
      CheckAssessInput(mutated);
    }
  }
}

}  // namespace
}  // namespace liaison::fuzz
