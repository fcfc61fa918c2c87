// The security housekeeping job: periodically purges what has expired, so abandoned sessions,
// dead API tokens, reviewed break-glass grants and stale sign-in throttle rows do not pile up
// (and a copy of the database holds as little as possible). Runs as a thread in `serve`, like
// the OutboxWorker; every purge that removes something appends one audit event
// ("security.purge", actor "system:housekeeping") with the counts.
//
// Expiry never depends on this job: sessions, tokens and grants are checked against the clock
// whenever they are used. The job only removes rows that can no longer be used:
//   - sessions idle longer than the idle timeout or older than the absolute timeout;
//   - API tokens expired or revoked more than `token_retention` ago (kept a while so
//     administrators can still see recently ended tokens);
//   - break-glass grants reviewed and expired more than `grant_retention` ago (unreviewed ones
//     stay until reviewed; the audit trail keeps every grant's reason forever);
//   - throttle rows neither locked nor counted within `throttle_retention`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "app/audit_log.h"
#include "app/auth_service.h"
#include "common/clock.h"
#include "storage/store.h"

namespace liaison::app {

struct HousekeepingOptions {
  SessionOptions sessions = {};
  std::chrono::seconds token_retention{30 * 24 * 3600};
  std::chrono::seconds grant_retention{365 * 24 * 3600};
  std::chrono::seconds throttle_retention{24 * 3600};
  std::chrono::milliseconds interval{5 * 60 * 1000};
};

// The cutoffs for a purge at `now`.
storage::PurgeCutoffs CutoffsAt(Timestamp now, const HousekeepingOptions& options);

// Owns its thread. Start() once; Stop() (or the destructor) waits for the thread to finish.
class Housekeeping {
 public:
  Housekeeping(storage::Store& store, const AuditLog& audit, const Clock& clock,
               HousekeepingOptions options)
      : store_(store), audit_(audit), clock_(clock), options_(options) {}
  ~Housekeeping() { Stop(); }
  Housekeeping(const Housekeeping&) = delete;
  Housekeeping& operator=(const Housekeeping&) = delete;

  // One purge, in one audited unit of work. Used by the thread and by tests.
  Result<storage::PurgeCounts> RunOnce();

  void Start();
  void Stop();

 private:
  storage::Store& store_;
  const AuditLog& audit_;
  const Clock& clock_;
  const HousekeepingOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace liaison::app
