// Building sort keys for ExternalSorter: fields appended so that memcmp order on the bytes is
// the order of the fields (big-endian, with the sign bit of signed numbers flipped).
#pragma once

#include <cstdint>
#include <string>

namespace liaison::review {

inline void AppendKeyUnsigned(std::uint64_t value, std::string& key) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    key.push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

inline void AppendKeySigned(std::int64_t value, std::string& key) {
  AppendKeyUnsigned(static_cast<std::uint64_t>(value) ^ (std::uint64_t{1} << 63), key);
}

}  // namespace liaison::review
