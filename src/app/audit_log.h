// The audit trail: appends hash-chained events inside a caller's unit of work, and verifies a
// stored chain against its anchor.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/audit_anchor.h"
#include "common/clock.h"
#include "domain/audit_event.h"
#include "storage/store.h"

namespace liaison::app {

// Computes the hash of `event` from its canonical text and its prev_hash.
std::string AuditEventHash(const domain::AuditEvent& event);

// Appends audit events. Thread-safe; holds no state beyond its collaborators.
class AuditLog {
 public:
  AuditLog(const Clock& clock, AuditAnchor& anchor) : clock_(clock), anchor_(anchor) {}

  // Appends `entry` to the chain inside `work`; returns the new head. The event commits or
  // rolls back with the rest of `work`.
  Result<storage::AuditHead> Append(storage::UnitOfWork& work, domain::AuditEntry entry) const;

  AuditAnchor& anchor() const { return anchor_; }

 private:
  const Clock& clock_;
  AuditAnchor& anchor_;
};

// A unit of work whose audit events move the anchor once it commits. Use it for every use
// case: Append() what happened, then Commit(). Not thread-safe.
class AuditedWork {
 public:
  static Result<AuditedWork> Begin(storage::Store& store, const AuditLog& audit);

  storage::UnitOfWork& store() { return *work_; }
  Status Append(domain::AuditEntry entry);
  // Commits, then records the new chain head in the anchor. A failure to write the anchor is
  // reported but the commit stands: the anchor may lag, and verify allows that.
  Status Commit();

 private:
  AuditedWork(std::unique_ptr<storage::UnitOfWork> work, const AuditLog& audit)
      : work_(std::move(work)), audit_(&audit) {}
  std::unique_ptr<storage::UnitOfWork> work_;
  const AuditLog* audit_;
  std::optional<storage::AuditHead> head_;
};

struct AuditVerification {
  bool ok = false;
  std::int64_t events = 0;
  std::int64_t first_bad_seq = 0;  // 0 when ok
  std::string problem;             // why verification failed; empty when ok
};

// Recomputes every hash and link, then compares the chain's end with the anchor (if any).
// Errors reading the store are a Status; a broken chain is a result with ok == false.
Result<AuditVerification> VerifyAuditChain(storage::Store& store, const AuditAnchor* anchor);

}  // namespace liaison::app
