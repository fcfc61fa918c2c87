// The decoder's fast path against its reference on generated feeds (see
// ingest/attendance_json_differential_test.cc for the corpus and the edge cases). Lives here
// because ingest/ must not depend on synth/.
#include <cstdint>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ingest/attendance_json_paths_testing.h"
#include "synth/generator.h"

namespace liaison::synth {
namespace {

using ingest::testing::Mutate;
using ingest::testing::TwoPaths;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> GeneratedLines(std::uint64_t seed, std::int64_t count) {
  GeneratorOptions options;
  options.seed = seed;
  options.attendances = count;
  // More planted scenarios than a real feed has, so that every kind of member turns up often.
  options.child_concern_rate = 0.2;
  options.adult_concern_rate = 0.2;
  std::ostringstream out;
  Status written = WriteAttendances(options, ingest::FeedFormat::kNdjson, out, nullptr);
  EXPECT_TRUE(written.ok()) << written.ToString();
  return Lines(out.str());
}

TEST(DecodePathsTest, GeneratedFeedDecodesAlikeAndMostlyFast) {
  TwoPaths paths;
  for (const std::string& line : GeneratedLines(11, 20000)) EXPECT_SAME(paths, line);
  EXPECT_EQ(paths.rows(), 20000u);
  // The fast path must carry nearly all of a clean feed, or this test checks little.
  EXPECT_GT(paths.fast_rows(), paths.rows() * 9 / 10);
}

TEST(DecodePathsTest, MutatedGeneratedRowsDecodeAlike) {
  TwoPaths paths;
  std::mt19937_64 random(20231);
  std::vector<std::string> lines = GeneratedLines(12, 4000);
  for (const std::string& line : lines) {
    std::string mutated = line;
    for (int i = 0; i < 6; ++i) {
      mutated = Mutate(mutated, random);
      EXPECT_SAME(paths, mutated);
    }
  }
  // Some mutations keep a row valid and certain: the fast path must still be taking part.
  EXPECT_GT(paths.fast_rows(), 0u);
}

}  // namespace
}  // namespace liaison::synth
