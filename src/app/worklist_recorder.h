// Stores one sweep's worklist (`liaison sweep --db`, #5): the run, then its entries in the
// contract's order, in one audited unit of work. The sweep itself (src/review/) stores
// nothing; the command line hands each line over as it writes it.
//
// Local callers only for now (the command line): there is no HTTP route that stores a
// worklist, so no access-policy action exists for it.
#pragma once

#include <cstdint>
#include <memory>

#include "app/actor.h"
#include "app/audit_log.h"
#include "common/clock.h"
#include "storage/store.h"

namespace liaison::app {

// One open run. Not thread-safe; dropping it without Commit() stores nothing.
class WorklistRecorder {
 public:
  // Opens the unit of work and inserts the run (created_at from `clock`).
  static Result<std::unique_ptr<WorklistRecorder>> Begin(storage::Store& store,
                                                         const AuditLog& audit, const Clock& clock,
                                                         Actor actor, storage::WorklistRun run);
  WorklistRecorder(const WorklistRecorder&) = delete;
  WorklistRecorder& operator=(const WorklistRecorder&) = delete;

  // Appends the next entry; its position is assigned here (1, 2, ...), in call order.
  Status Add(storage::WorklistEntry entry);
  // Records the item count, audits "worklist.create" and commits. Returns the run id.
  Result<std::int64_t> Commit();

  std::int64_t run_id() const { return run_id_; }

 private:
  WorklistRecorder(AuditedWork work, Actor actor, std::int64_t run_id)
      : work_(std::move(work)), actor_(std::move(actor)), run_id_(run_id) {}

  AuditedWork work_;
  const Actor actor_;
  const std::int64_t run_id_;
  std::int64_t count_ = 0;
};

}  // namespace liaison::app
