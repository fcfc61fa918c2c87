#include "app/login_throttle.h"

#include <algorithm>

namespace liaison::app {
namespace {

constexpr std::chrono::minutes kAddressWindow{1};

std::chrono::seconds CeilSeconds(std::chrono::microseconds wait) {
  if (wait <= std::chrono::microseconds(0)) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(wait);
}

}  // namespace

std::chrono::seconds LoginThrottle::WaitLocked(const std::string& username,
                                               const std::string& address, Timestamp now) const {
  std::chrono::seconds wait{0};
  auto account = accounts_.find(username);
  if (account != accounts_.end()) wait = CeilSeconds(account->second.locked_until - now);
  auto client = addresses_.find(address);
  if (client != addresses_.end() && client->second.attempts >= options_.per_address_per_minute &&
      now < client->second.window_start + kAddressWindow) {
    wait = std::max(wait, CeilSeconds(client->second.window_start + kAddressWindow - now));
  }
  return wait;
}

std::chrono::seconds LoginThrottle::Admit(std::string_view username, std::string_view address) {
  Timestamp now = clock_.Now();
  std::lock_guard lock(mutex_);
  std::chrono::seconds wait = WaitLocked(std::string(username), std::string(address), now);
  if (wait > std::chrono::seconds(0)) return wait;
  Prune(now);
  Address& client = addresses_[std::string(address)];
  if (now >= client.window_start + kAddressWindow) client = {now, 0};
  ++client.attempts;
  return std::chrono::seconds(0);
}

std::chrono::seconds LoginThrottle::RetryAfter(std::string_view username,
                                               std::string_view address) const {
  Timestamp now = clock_.Now();
  std::lock_guard lock(mutex_);
  return WaitLocked(std::string(username), std::string(address), now);
}

void LoginThrottle::RecordFailure(std::string_view username) {
  Timestamp now = clock_.Now();
  std::lock_guard lock(mutex_);
  Prune(now);
  Account& account = accounts_[std::string(username)];
  if (account.failures > 0 && now - account.last_failure > options_.forget_after) account = {};
  ++account.failures;
  account.last_failure = now;
  int over = account.failures - options_.free_failures;
  if (over > 0) {
    // Doubling per failure, capped; the shift is bounded so it cannot overflow.
    std::chrono::seconds lockout = options_.first_lockout * (1LL << std::min(over - 1, 20));
    account.locked_until = now + std::min(lockout, options_.max_lockout);
  }
}

void LoginThrottle::RecordSuccess(std::string_view username) {
  std::lock_guard lock(mutex_);
  auto account = accounts_.find(username);
  if (account != accounts_.end()) accounts_.erase(account);
}

void LoginThrottle::Prune(Timestamp now) {
  // Only when full, so the usual cost is nothing. Forget what no longer restricts anyone;
  // if that is not enough, start afresh rather than grow without bound (a flood of distinct
  // usernames must not exhaust memory; the address limit still applies).
  if (accounts_.size() >= options_.max_entries) {
    std::erase_if(accounts_, [&](const auto& entry) {
      return entry.second.locked_until <= now &&
             now - entry.second.last_failure > options_.forget_after / 24;
    });
    if (accounts_.size() >= options_.max_entries) accounts_.clear();
  }
  if (addresses_.size() >= options_.max_entries) {
    std::erase_if(addresses_, [&](const auto& entry) {
      return now >= entry.second.window_start + kAddressWindow;
    });
    if (addresses_.size() >= options_.max_entries) addresses_.clear();
  }
}

}  // namespace liaison::app
