// Time is injected: no domain, rules or app code reads the system clock directly, so tests
// that depend on "now" (audit timestamps, working-day clocks) are deterministic.
#pragma once

#include <chrono>
#include <mutex>

namespace liaison {

// Microsecond precision everywhere: audit hashes cover the timestamp, and both databases
// store microseconds exactly.
using Timestamp = std::chrono::sys_time<std::chrono::microseconds>;

// Source of the current time. Implementations are thread-safe.
class Clock {
 public:
  virtual ~Clock() = default;
  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;

  virtual Timestamp Now() const = 0;
};

// The real wall clock.
class SystemClock final : public Clock {
 public:
  Timestamp Now() const override {
    return std::chrono::time_point_cast<std::chrono::microseconds>(
        std::chrono::system_clock::now());
  }
};

// A clock that moves only when told to. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(Timestamp start) : now_(start) {}
  Timestamp Now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }
  void Advance(std::chrono::microseconds by) {
    std::lock_guard lock(mutex_);
    now_ += by;
  }
  void Set(Timestamp to) {
    std::lock_guard lock(mutex_);
    now_ = to;
  }

 private:
  mutable std::mutex mutex_;
  Timestamp now_;
};

}  // namespace liaison
