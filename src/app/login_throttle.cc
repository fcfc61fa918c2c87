#include "app/login_throttle.h"

#include <algorithm>

#include "common/hash.h"

namespace liaison::app {
namespace {

constexpr std::chrono::minutes kAddressWindow{1};

std::chrono::seconds CeilSeconds(std::chrono::microseconds wait) {
  if (wait <= std::chrono::microseconds(0)) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(wait);
}

std::string UserKey(std::string_view username) {
  return "u:" + Blake2bHex("liaison-throttle-user\x1f" + std::string(username));
}

}  // namespace

LoginThrottle::Keys LoginThrottle::KeysFor(std::string_view username, std::string_view address) {
  return {UserKey(username),
          "a:" + Blake2bHex("liaison-throttle-address\x1f" + std::string(address))};
}

std::chrono::seconds LoginThrottle::Wait(const storage::ThrottleRecord& user,
                                         const storage::ThrottleRecord& client,
                                         Timestamp now) const {
  std::chrono::seconds wait = CeilSeconds(user.locked_until - now);
  if (client.count >= options_.per_address_per_minute && now < client.since + kAddressWindow) {
    wait = std::max(wait, CeilSeconds(client.since + kAddressWindow - now));
  }
  return wait;
}

Result<std::chrono::seconds> LoginThrottle::Admit(std::string_view username,
                                                  std::string_view address) {
  Keys keys = KeysFor(username, address);
  Timestamp now = clock_.Now();
  ASSIGN_OR_RETURN(std::unique_ptr<storage::UnitOfWork> work, store_.Begin());
  // Always the username first, then the address: one order, so two processes cannot deadlock.
  ASSIGN_OR_RETURN(storage::ThrottleRecord user, work->LockThrottle(keys.username));
  ASSIGN_OR_RETURN(storage::ThrottleRecord client, work->LockThrottle(keys.address));
  std::chrono::seconds wait = Wait(user, client, now);
  if (wait > std::chrono::seconds(0)) return wait;  // nothing counted; the work rolls back
  if (now >= client.since + kAddressWindow) {
    client.since = now;
    client.count = 0;
  }
  ++client.count;
  RETURN_IF_ERROR(work->SaveThrottle(client));
  RETURN_IF_ERROR(work->Commit());
  return std::chrono::seconds(0);
}

Result<std::chrono::seconds> LoginThrottle::RetryAfter(std::string_view username,
                                                       std::string_view address) {
  Keys keys = KeysFor(username, address);
  ASSIGN_OR_RETURN(std::unique_ptr<storage::UnitOfWork> work, store_.Begin());
  ASSIGN_OR_RETURN(storage::ThrottleRecord user, work->LockThrottle(keys.username));
  ASSIGN_OR_RETURN(storage::ThrottleRecord client, work->LockThrottle(keys.address));
  return Wait(user, client, clock_.Now());
}

Status LoginThrottle::RecordFailure(std::string_view username) {
  Timestamp now = clock_.Now();
  ASSIGN_OR_RETURN(std::unique_ptr<storage::UnitOfWork> work, store_.Begin());
  ASSIGN_OR_RETURN(storage::ThrottleRecord user, work->LockThrottle(UserKey(username)));
  if (user.count > 0 && now - user.since > options_.forget_after) {
    user.count = 0;
    user.locked_until = Timestamp();
  }
  ++user.count;
  user.since = now;  // the last failure
  std::int64_t over = user.count - options_.free_failures;
  if (over > 0) {
    // Doubling per failure, capped; the shift is bounded so it cannot overflow.
    std::chrono::seconds lockout =
        options_.first_lockout * (1LL << std::min<std::int64_t>(over - 1, 20));
    user.locked_until = now + std::min(lockout, options_.max_lockout);
  }
  RETURN_IF_ERROR(work->SaveThrottle(user));
  return work->Commit();
}

Status LoginThrottle::RecordSuccess(std::string_view username) {
  ASSIGN_OR_RETURN(std::unique_ptr<storage::UnitOfWork> work, store_.Begin());
  RETURN_IF_ERROR(work->DeleteThrottle(UserKey(username)));
  return work->Commit();
}

}  // namespace liaison::app
