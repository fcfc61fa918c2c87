// Failed sign-in back-off and lockout, and a rate limit per client address, kept in the
// database so every `serve` process and every restart shares them.
//
// Per username (whether or not the account exists, so a lockout cannot be used to learn which
// usernames are real): the first `free_failures` consecutive failures cost nothing; each one
// after that locks the username for first_lockout, doubling up to max_lockout. A success
// clears the count. Per client address: at most `per_address_per_minute` attempts in each
// minute, successful or not, which bounds guessing across many usernames.
//
// Rows are keyed by a BLAKE2b hash of the username or address (never the text itself), read
// and written under the store's row lock (UnitOfWork::LockThrottle), so concurrent attempts
// from several processes count exactly. Every attempt does the same database work whether or
// not the username exists. Stale rows are removed by the housekeeping job. Thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "storage/store.h"

namespace liaison::app {

struct LoginThrottleOptions {
  int free_failures = 5;
  std::chrono::seconds first_lockout{60};
  std::chrono::seconds max_lockout{3600};
  // A username's failures are forgotten this long after the last one.
  std::chrono::seconds forget_after{24 * 3600};
  int per_address_per_minute = 30;
};

class LoginThrottle {
 public:
  LoginThrottle(storage::Store& store, const Clock& clock, LoginThrottleOptions options)
      : store_(store), clock_(clock), options_(options) {}

  // How long the caller must wait before trying this username from this address; zero when
  // it may try now. Counts the attempt against the address when it is allowed.
  Result<std::chrono::seconds> Admit(std::string_view username, std::string_view address);
  // How long before the next attempt is admitted, without counting one.
  Result<std::chrono::seconds> RetryAfter(std::string_view username, std::string_view address);
  Status RecordFailure(std::string_view username);
  Status RecordSuccess(std::string_view username);

  const LoginThrottleOptions& options() const { return options_; }

 private:
  struct Keys {
    std::string username;
    std::string address;
  };
  static Keys KeysFor(std::string_view username, std::string_view address);
  // The wait implied by the two records at `now`.
  std::chrono::seconds Wait(const storage::ThrottleRecord& user,
                            const storage::ThrottleRecord& client, Timestamp now) const;

  storage::Store& store_;
  const Clock& clock_;
  const LoginThrottleOptions options_;
};

}  // namespace liaison::app
