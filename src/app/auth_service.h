// Sign-in, sessions and API tokens: turns presented credentials into a Principal.
//
// Sessions: the id is 32 random bytes (64 hex characters) from libsodium, given to the client
// once in a cookie and stored only as its BLAKE2b hash. A session ends after `idle_timeout`
// without use or `absolute_timeout` after sign-in, whichever comes first, measured with the
// injected Clock. The CSRF token is derived from the session id (a hash the client cannot
// compute without the HttpOnly cookie) and compared in constant time.
//
// Timing: an unknown username costs the same argon2id verification as a wrong password (a
// dummy hash at the same cost), and both give the same error.
//
// Every failed authentication (wrong password, unknown, expired, revoked or malformed
// credentials) is audited. Thread-safe; holds no state beyond its collaborators and the lazily
// computed dummy hash.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <string_view>

#include "app/actor.h"
#include "app/audit_log.h"
#include "app/login_throttle.h"
#include "app/password.h"
#include "common/clock.h"
#include "storage/store.h"

namespace liaison::app {

struct SessionOptions {
  std::chrono::seconds idle_timeout{30 * 60};
  std::chrono::seconds absolute_timeout{12 * 3600};
  // last_seen_at is written at most this often, so most requests do not write.
  std::chrono::seconds touch_interval{60};
};

struct SignIn {
  domain::User user;
  std::string org_code;
  std::string session_id;  // the cookie's secret; never logged, stored only as a hash
  std::string csrf_token;
};

// Session ids are 64 lowercase hex characters; API tokens are "lia_" and 64 more.
inline constexpr size_t kSessionIdLength = 64;
inline constexpr std::string_view kApiTokenPrefix = "lia_";
inline constexpr size_t kApiTokenLength = 68;
inline constexpr size_t kMaxUsernameBytes = 64;

class AuthService {
 public:
  AuthService(storage::Store& store, const AuditLog& audit, const Clock& clock,
              LoginThrottle& throttle, PasswordCost cost, SessionOptions options)
      : store_(store),
        audit_(audit),
        clock_(clock),
        throttle_(throttle),
        cost_(cost),
        options_(options) {
    // Hash the dummy now rather than on the first unknown username, whose answer would
    // otherwise take twice as long as every other.
    (void)DummyHash();
  }

  // Errors: kUnauthenticated "invalid_credentials" (unknown user or wrong password, alike);
  // kResourceExhausted "too_many_attempts" while throttled (RetryAfter says how long);
  // kInvalidArgument for an oversized username or password.
  Result<SignIn> Login(std::string_view username, std::string_view password,
                       std::string_view address);
  std::chrono::seconds RetryAfter(std::string_view username, std::string_view address) const;

  // kUnauthenticated "session_invalid" (malformed, unknown or logged out) or
  // "session_expired". Refreshes the idle timer.
  Result<Principal> AuthenticateSession(std::string_view session_id);
  // kUnauthenticated "token_invalid", "token_expired" or "token_revoked".
  Result<Principal> AuthenticateToken(std::string_view token);
  // Ends the session; audited.
  Status Logout(const Principal& principal, std::string_view session_id);
  // Audits a request whose credentials could not even be parsed (a malformed cookie or
  // Authorization header). `kind` is "session" or "token".
  Status AuditRejected(std::string_view kind, std::string_view why);
  // Audits an authenticated caller refused before reaching a service (a CSRF mismatch, a
  // token used outside its scope). `action` names what was attempted, e.g. "request".
  Status AuditDenied(const Actor& actor, std::string_view action, std::string_view why);

  static std::string CsrfTokenFor(std::string_view session_id);
  // Constant time in the length of the expected token.
  static bool CsrfTokenMatches(std::string_view session_id, std::string_view presented);
  // A new random API token secret.
  static std::string NewApiTokenSecret();
  static bool LooksLikeSessionId(std::string_view text);
  static bool LooksLikeApiToken(std::string_view text);

 private:
  const std::string& DummyHash();
  Status AuditFailure(std::string_view action, std::string_view record_type,
                      std::string_view record_id, std::string_view why);

  storage::Store& store_;
  const AuditLog& audit_;
  const Clock& clock_;
  LoginThrottle& throttle_;
  const PasswordCost cost_;
  const SessionOptions options_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;  // written once under dummy_once_
};

}  // namespace liaison::app
