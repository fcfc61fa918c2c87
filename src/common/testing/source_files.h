// Test helpers: files of the source tree (fuzz corpora, test data), found through
// LIAISON_SOURCE_DIR, which CMake sets for the tests that read them; the current directory
// otherwise. Header-only, for tests.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace liaison::testing {

inline std::filesystem::path SourcePath(std::string_view relative) {
  const char* source = std::getenv("LIAISON_SOURCE_DIR");
  return std::filesystem::path(source ? source : ".") / relative;
}

inline std::string ReadFileBytes(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The content of every file in fuzz/corpus/NAME.
inline std::vector<std::string> ReadCorpus(std::string_view name) {
  std::vector<std::string> contents;
  std::filesystem::path folder = SourcePath("fuzz/corpus") / name;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    contents.push_back(ReadFileBytes(entry.path()));
  }
  return contents;
}

}  // namespace liaison::testing
