// libFuzzer target: the CSV record reader and the attendance CSV decoder, with round trips.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ingest/fuzz_checks.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  liaison::ingest::CheckAttendanceCsvInput(
      std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
