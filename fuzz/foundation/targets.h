// The foundation's fuzz targets as plain functions, so libFuzzer entry points (built with
// clang-19, scripts/fuzz.sh) and the corpus replay test (built with gcc, run in CI) share them.
// Each target aborts through LIAISON_CHECK when a property fails.
#pragma once

#include <cstddef>
#include <cstdint>

namespace liaison::fuzz {

// NhsNumber::Parse never crashes; an accepted number re-parses from its digits and display.
int FuzzNhsNumber(const std::uint8_t* data, std::size_t size);
// ParseTimestamp and ParseDate never crash; accepted values round-trip through their format.
int FuzzTimestamp(const std::uint8_t* data, std::size_t size);
// The API's JSON decoders never crash and never accept a body without reporting its fields.
int FuzzApiJson(const std::uint8_t* data, std::size_t size);

}  // namespace liaison::fuzz
