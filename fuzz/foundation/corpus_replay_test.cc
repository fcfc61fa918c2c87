// Replays every fuzz corpus file through its target with the ordinary compiler, so CI checks
// the corpora (and any crash file added to them) without libFuzzer.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "targets.h"

namespace liaison::fuzz {
namespace {

int Replay(const std::string& corpus, int (*target)(const std::uint8_t*, std::size_t)) {
  const char* source = std::getenv("LIAISON_SOURCE_DIR");
  EXPECT_NE(source, nullptr);
  if (source == nullptr) return 0;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(source) /
                                                               "fuzz/foundation/corpus" / corpus)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    std::string data = bytes.str();
    target(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
    ++files;
  }
  return files;
}

TEST(CorpusReplayTest, NhsNumber) { EXPECT_GT(Replay("nhs_number", FuzzNhsNumber), 5); }
TEST(CorpusReplayTest, Timestamp) { EXPECT_GT(Replay("timestamp", FuzzTimestamp), 5); }
TEST(CorpusReplayTest, ApiJson) { EXPECT_GT(Replay("api_json", FuzzApiJson), 5); }

}  // namespace
}  // namespace liaison::fuzz
