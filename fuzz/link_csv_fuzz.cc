// libFuzzer target: the `liaison link` input CSV reader (header mapping, row checks).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  liaison::ingest::CheckLinkCsvInput(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
