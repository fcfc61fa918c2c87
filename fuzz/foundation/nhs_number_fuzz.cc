// libFuzzer entry point; see targets.h.
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return liaison::fuzz::FuzzNhsNumber(data, size);
}
