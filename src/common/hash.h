// Cryptographic primitives used outside any one layer: BLAKE2b for the audit hash chain and
// for storing API tokens as hashes, and a CSPRNG. Backed by libsodium.
#pragma once

#include <string>
#include <string_view>

namespace liaison {

// Makes libsodium ready. Safe to call more than once and from several threads.
void InitCrypto();

// 32-byte BLAKE2b of `data`, as 64 lowercase hex characters.
std::string Blake2bHex(std::string_view data);

// `bytes` random bytes from the OS CSPRNG, as lowercase hex.
std::string RandomHex(size_t bytes);

}  // namespace liaison
