// Replays the fuzz corpora (fuzz/corpus/*) through the same checks the libFuzzer targets run,
// so that the corpora keep passing in CI builds made with gcc.

#include <gtest/gtest.h>

#include "common/testing/source_files.h"
#include "ingest/fuzz_checks.h"

namespace liaison::ingest {
namespace {

std::vector<std::string> CorpusFiles(const std::string& name) {
  return liaison::testing::ReadCorpus(name);
}

TEST(FuzzCorpusTest, JsonCorpusPassesTheFuzzChecks) {
  std::vector<std::string> files = CorpusFiles("attendance_json");
  ASSERT_GE(files.size(), 5u);
  for (const std::string& file : files) CheckAttendanceJsonInput(file);
}

TEST(FuzzCorpusTest, CsvCorpusPassesTheFuzzChecks) {
  std::vector<std::string> files = CorpusFiles("attendance_csv");
  ASSERT_GE(files.size(), 2u);
  for (const std::string& file : files) CheckAttendanceCsvInput(file);
}

TEST(FuzzCorpusTest, RegisterCsvCorpusPassesTheFuzzChecks) {
  std::vector<std::string> files = CorpusFiles("register_csv");
  ASSERT_GE(files.size(), 3u);
  for (const std::string& file : files) CheckRegisterCsvInput(file);
}

TEST(FuzzCorpusTest, LinkCsvCorpusPassesTheFuzzChecks) {
  std::vector<std::string> files = CorpusFiles("link_csv");
  ASSERT_GE(files.size(), 3u);
  for (const std::string& file : files) CheckLinkCsvInput(file);
}

TEST(FuzzCorpusTest, MutatedInputsNeverCrash) {
  // A cheap stand-in for the fuzzer under gcc: truncations and byte flips of every seed.
  for (std::string name : {"attendance_json", "attendance_csv", "register_csv", "link_csv"}) {
    for (const std::string& file : CorpusFiles(name)) {
      for (std::size_t cut = 0; cut < file.size(); cut += 1 + file.size() / 40) {
        std::string mutated = file.substr(0, cut);
        if (cut < file.size()) mutated += static_cast<char>(file[cut] ^ 0x5A);
        if (name == "attendance_json") {
          CheckAttendanceJsonInput(mutated);
        } else if (name == "register_csv") {
          CheckRegisterCsvInput(mutated);
        } else if (name == "link_csv") {
          CheckLinkCsvInput(mutated);
        } else {
          CheckAttendanceCsvInput(mutated);
        }
      }
    }
  }
}

}  // namespace
}  // namespace liaison::ingest
