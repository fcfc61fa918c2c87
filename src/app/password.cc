#include "app/password.h"

#include <algorithm>
#include <string>
#include <unordered_set>

#include <sodium.h>

#include "common/hash.h"

namespace liaison::app {

// Generated at build time from data/common-passwords.txt (see src/app/CMakeLists.txt).
extern const char* const kCommonPasswordsText;

namespace {

std::string Lower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

std::unordered_set<std::string> ParseDenyList() {
  std::unordered_set<std::string> list;
  std::string_view text = kCommonPasswordsText;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty() && line.front() != '#') list.insert(Lower(line));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return list;
}

// Parsed on first use (thread-safe static initialisation); immutable afterwards.
const std::unordered_set<std::string>& DenyList() {
  static const std::unordered_set<std::string> list = ParseDenyList();
  return list;
}

// Counts UTF-8 code points; false for malformed UTF-8.
bool CountCodePoints(std::string_view text, size_t& count) {
  count = 0;
  for (size_t i = 0; i < text.size();) {
    auto byte = static_cast<unsigned char>(text[i]);
    size_t length = byte < 0x80           ? 1
                    : (byte >> 5) == 0x6  ? 2
                    : (byte >> 4) == 0xE  ? 3
                    : (byte >> 3) == 0x1E ? 4
                                          : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t j = 1; j < length; ++j) {
      if ((static_cast<unsigned char>(text[i + j]) >> 6) != 0x2) return false;
    }
    i += length;
    ++count;
  }
  return true;
}

Status Weak(std::string message) {
  return InvalidArgument("weak_password", std::move(message), "/password");
}

}  // namespace

PasswordCost PasswordCost::Interactive() {
  return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

PasswordCost PasswordCost::Minimum() {
  return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
}

Result<std::string> HashPassword(std::string_view password, PasswordCost cost) {
  InitCrypto();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), cost.operations,
                            cost.memory_bytes, crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status(StatusCode::kResourceExhausted, "hash_failed",
                  "not enough memory to hash the password; try again");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view stored_hash, std::string_view password) {
  InitCrypto();
  // crypto_pwhash_str_verify needs a NUL-terminated hash of bounded length.
  if (stored_hash.empty() || stored_hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string hash(stored_hash);
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool IsCommonPassword(std::string_view password) { return DenyList().contains(Lower(password)); }

Status CheckPasswordRules(std::string_view password, std::string_view username) {
  size_t length = 0;
  if (password.size() > kMaxPasswordBytes || !CountCodePoints(password, length)) {
    return InvalidArgument("invalid_password", "a password is UTF-8 text of at most 256 characters",
                           "/password");
  }
  if (length < kMinPasswordLength) {
    return Weak("a password needs at least 12 characters; three random words work well");
  }
  if (length > kMaxPasswordLength) {
    return InvalidArgument("invalid_password", "a password has at most 256 characters",
                           "/password");
  }
  if (IsCommonPassword(password)) {
    return Weak("this password is too common; choose another, such as three random words");
  }
  std::string lower = Lower(password);
  if (!username.empty() && lower.find(Lower(username)) != std::string::npos) {
    return Weak("a password must not contain the username");
  }
  if (std::all_of(password.begin(), password.end(), [&](char c) { return c == password[0]; })) {
    return Weak("a password must not be one character repeated");
  }
  return Status::Ok();
}

}  // namespace liaison::app
