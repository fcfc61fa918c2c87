#include "app/housekeeping.h"

#include "common/log.h"

namespace liaison::app {

storage::PurgeCutoffs CutoffsAt(Timestamp now, const HousekeepingOptions& options) {
  storage::PurgeCutoffs cutoffs;
  cutoffs.session_idle_before = now - options.sessions.idle_timeout;
  cutoffs.session_created_before = now - options.sessions.absolute_timeout;
  cutoffs.token_ended_before = now - options.token_retention;
  cutoffs.grant_ended_before = now - options.grant_retention;
  cutoffs.throttle_before = now - options.throttle_retention;
  return cutoffs;
}

Result<storage::PurgeCounts> Housekeeping::RunOnce() {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  ASSIGN_OR_RETURN(storage::PurgeCounts counts,
                   work.store().PurgeExpired(CutoffsAt(clock_.Now(), options_)));
  std::int64_t total =
      counts.sessions + counts.api_tokens + counts.break_glass_grants + counts.throttle_records;
  if (total > 0) {
    RETURN_IF_ERROR(
        work.Append({"system:housekeeping", "security.purge", "store", "",
                     "expired: sessions=" + std::to_string(counts.sessions) +
                         " api_tokens=" + std::to_string(counts.api_tokens) +
                         " break_glass_grants=" + std::to_string(counts.break_glass_grants) +
                         " throttle_records=" + std::to_string(counts.throttle_records)}));
  }
  RETURN_IF_ERROR(work.Commit());
  return counts;
}

void Housekeeping::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      Result<storage::PurgeCounts> purged = RunOnce();
      if (!purged.ok()) spdlog::warn("housekeeping: {}", purged.status().ToString());
      lock.lock();
      wake_.wait_for(lock, options_.interval, [this] { return stopping_; });
    }
  });
}

void Housekeeping::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace liaison::app
