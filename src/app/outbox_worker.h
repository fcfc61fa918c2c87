// Delivers outbox notifications in the background, with retries and idempotency keys.
// Notifications are written in the same transaction as the change that causes them (see
// storage::UnitOfWork::EnqueueNotification); this worker only moves them onward, so a crash
// at any point loses nothing: an undelivered row is claimed again once its lease ends.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/status.h"
#include "storage/store.h"

namespace liaison::app {

// Hands one notification to its receiver. Receivers must treat a repeated idempotency key as
// already done: delivery is at least once. Implementations are thread-safe.
class Deliverer {
 public:
  Deliverer() = default;
  virtual ~Deliverer() = default;
  Deliverer(const Deliverer&) = delete;
  Deliverer& operator=(const Deliverer&) = delete;

  virtual Status Deliver(const storage::Notification& notification) = 0;
};

// Writes each notification as DIR/TOPIC/KEY.json, atomically; an existing file means the
// notification was already delivered. The hand-off point for a trust's integration engine.
std::unique_ptr<Deliverer> NewSpoolDirectoryDeliverer(std::string directory);

struct OutboxWorkerOptions {
  int batch_size = 50;
  std::chrono::seconds lease{60};
  std::chrono::milliseconds poll_interval{500};
  std::chrono::seconds first_retry{2};
  std::chrono::seconds max_retry{3600};
};

// The delay before retry number `attempts` (1-based): doubling from first_retry, capped.
std::chrono::seconds RetryDelay(int attempts, const OutboxWorkerOptions& options);

// Owns its thread. Start() once; Stop() (or the destructor) waits for the thread to finish.
class OutboxWorker {
 public:
  OutboxWorker(storage::Store& store, Deliverer& deliverer, const Clock& clock,
               OutboxWorkerOptions options)
      : store_(store), deliverer_(deliverer), clock_(clock), options_(options) {}
  ~OutboxWorker() { Stop(); }
  OutboxWorker(const OutboxWorker&) = delete;
  OutboxWorker& operator=(const OutboxWorker&) = delete;

  // Claims and delivers one batch; returns how many were delivered. Used by the thread and
  // by tests.
  Result<int> RunOnce();

  void Start();
  void Stop();

 private:
  storage::Store& store_;
  Deliverer& deliverer_;
  const Clock& clock_;
  const OutboxWorkerOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_
  std::thread thread_;
};

}  // namespace liaison::app
