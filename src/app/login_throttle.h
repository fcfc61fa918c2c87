// Failed sign-in back-off and lockout, and a rate limit per client address.
//
// Per username (whether or not the account exists, so a lockout cannot be used to learn which
// usernames are real): the first `free_failures` consecutive failures cost nothing; each one
// after that locks the username for first_lockout, doubling up to max_lockout. A success
// clears the count. Per client address: at most `per_address_per_minute` attempts in each
// minute, successful or not, which bounds guessing across many usernames.
//
// State is in memory, per process: a restart forgets it, and processes do not share it (see
// docs/security.md). Entries are bounded by `max_entries`. Thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "common/clock.h"

namespace liaison::app {

struct LoginThrottleOptions {
  int free_failures = 5;
  std::chrono::seconds first_lockout{60};
  std::chrono::seconds max_lockout{3600};
  // A username's failures are forgotten this long after the last one.
  std::chrono::seconds forget_after{24 * 3600};
  int per_address_per_minute = 30;
  size_t max_entries = 100000;
};

class LoginThrottle {
 public:
  LoginThrottle(const Clock& clock, LoginThrottleOptions options)
      : clock_(clock), options_(options) {}

  // How long the caller must wait before trying this username from this address; zero when
  // it may try now. Counts the attempt against the address when it is allowed.
  std::chrono::seconds Admit(std::string_view username, std::string_view address);
  // How long before the next attempt is admitted, without counting one.
  std::chrono::seconds RetryAfter(std::string_view username, std::string_view address) const;
  void RecordFailure(std::string_view username);
  void RecordSuccess(std::string_view username);

 private:
  struct Account {
    int failures = 0;
    Timestamp last_failure;
    Timestamp locked_until;
  };
  struct Address {
    Timestamp window_start;
    int attempts = 0;
  };
  std::chrono::seconds WaitLocked(const std::string& username, const std::string& address,
                                  Timestamp now) const;
  void Prune(Timestamp now);

  const Clock& clock_;
  const LoginThrottleOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, Account, std::less<>> accounts_;   // guarded by mutex_
  std::map<std::string, Address, std::less<>> addresses_;  // guarded by mutex_
};

}  // namespace liaison::app
