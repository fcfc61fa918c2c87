#include "common/hash.h"

#include <sodium.h>

#include "common/check.h"

namespace liaison {

void InitCrypto() {
  // sodium_init returns 1 when already initialised; -1 means no usable entropy source, which
  // would make every token and hash unsafe.
  LIAISON_CHECK(sodium_init() >= 0);
}

std::string Blake2bHex(std::string_view data) {
  InitCrypto();
  unsigned char digest[32];
  crypto_generichash(digest, sizeof(digest), reinterpret_cast<const unsigned char*>(data.data()),
                     data.size(), nullptr, 0);
  char hex[sizeof(digest) * 2 + 1];
  sodium_bin2hex(hex, sizeof(hex), digest, sizeof(digest));
  return std::string(hex, sizeof(digest) * 2);
}

std::string RandomHex(size_t bytes) {
  InitCrypto();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  hex.pop_back();
  return hex;
}

}  // namespace liaison
