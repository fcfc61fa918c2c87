// libFuzzer target: the assess request decoder and the recognition engine.
// Build with clang-19 (-fsanitize=fuzzer,address,undefined); see fuzz/CMakeLists.txt.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "assess_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  liaison::fuzz::CheckAssessInput(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
