// Passwords: argon2id hashing through libsodium, and the rules a new password must meet.
//
// Rules (NCSC password guidance: length over complexity, block common passwords, no
// composition rules, no forced expiry): at least 12 and at most 256 characters (counted as
// UTF-8 code points), not on the deny-list in data/common-passwords.txt (compared
// case-insensitively), not containing the username, and not one character repeated. Any
// character is allowed, including spaces, so pass phrases work.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace liaison::app {

inline constexpr size_t kMinPasswordLength = 12;   // code points
inline constexpr size_t kMaxPasswordLength = 256;  // code points
// Longer input is refused before hashing, so a huge "password" costs nothing to reject.
inline constexpr size_t kMaxPasswordBytes = 1024;

// The argon2id work factors. Interactive (about 100 ms and 64 MiB here) in production;
// Minimum only in tests, where hundreds of hashes would otherwise take minutes.
struct PasswordCost {
  unsigned long long operations = 0;
  size_t memory_bytes = 0;

  static PasswordCost Interactive();
  static PasswordCost Minimum();
};

// Hashes with a fresh random salt; the result is libsodium's "$argon2id$..." string, which
// carries its own parameters. kResourceExhausted if the memory cannot be had.
Result<std::string> HashPassword(std::string_view password, PasswordCost cost);

// True when `password` matches `stored_hash`. Takes the hash's own cost whatever it is.
bool VerifyPassword(std::string_view stored_hash, std::string_view password);

// Checks the rules above. Errors have reason "weak_password" or "invalid_password" and field
// /password; messages never repeat the password.
Status CheckPasswordRules(std::string_view password, std::string_view username);

// True when `password` is on the deny-list (case-insensitive).
bool IsCommonPassword(std::string_view password);

}  // namespace liaison::app
