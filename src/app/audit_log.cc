#include "app/audit_log.h"

#include <algorithm>

#include "common/hash.h"

namespace liaison::app {
namespace {

// The canonical text separates fields with U+001F, so no field may contain it.
void Scrub(std::string& text) { std::replace(text.begin(), text.end(), '\x1f', ' '); }

}  // namespace

std::string AuditEventHash(const domain::AuditEvent& event) {
  return Blake2bHex(domain::AuditCanonicalText(event));
}

Result<storage::AuditHead> AuditLog::Append(storage::UnitOfWork& work,
                                            domain::AuditEntry entry) const {
  for (std::string* field : {&entry.actor, &entry.action, &entry.record_type, &entry.record_id,
                             &entry.reason, &entry.outcome}) {
    Scrub(*field);
  }
  ASSIGN_OR_RETURN(storage::AuditHead head, work.LockAuditHead());
  domain::AuditEvent event;
  event.seq = head.seq + 1;
  event.at = clock_.Now();
  event.entry = std::move(entry);
  event.prev_hash = head.hash;
  event.hash = AuditEventHash(event);
  RETURN_IF_ERROR(work.InsertAuditEvent(event));
  return storage::AuditHead{event.seq, event.hash};
}

Result<AuditedWork> AuditedWork::Begin(storage::Store& store, const AuditLog& audit) {
  ASSIGN_OR_RETURN(std::unique_ptr<storage::UnitOfWork> work, store.Begin());
  return AuditedWork(std::move(work), audit);
}

Status AuditedWork::Append(domain::AuditEntry entry) {
  ASSIGN_OR_RETURN(storage::AuditHead head, audit_->Append(*work_, std::move(entry)));
  head_ = head;
  return Status::Ok();
}

Status AuditedWork::Commit() {
  RETURN_IF_ERROR(work_->Commit());
  if (head_) return audit_->anchor().Advance(*head_);
  return Status::Ok();
}

Result<AuditVerification> VerifyAuditChain(storage::Store& store, const AuditAnchor* anchor) {
  AuditVerification result;
  std::string previous_hash = domain::GenesisHash();
  std::optional<storage::AuditHead> anchored;
  if (anchor != nullptr) {
    ASSIGN_OR_RETURN(anchored, anchor->Read());
  }
  std::string hash_at_anchor;
  auto fail = [&](std::int64_t seq, std::string problem) {
    result.first_bad_seq = seq;
    result.problem = std::move(problem);
    return Status(StatusCode::kAborted, "chain_broken", "verification stopped");
  };
  Status scanned = store.ScanAudit([&](const domain::AuditEvent& event) -> Status {
    std::int64_t expected = result.events + 1;
    if (event.seq != expected) {
      return fail(expected, "event " + std::to_string(expected) +
                                " is missing; the next stored event is " +
                                std::to_string(event.seq) + " (deleted or reordered)");
    }
    if (event.prev_hash != previous_hash) {
      return fail(event.seq, "event " + std::to_string(event.seq) +
                                 " does not link to the event before it (deleted, inserted or "
                                 "reordered)");
    }
    if (AuditEventHash(event) != event.hash) {
      return fail(event.seq,
                  "event " + std::to_string(event.seq) + " does not match its hash (altered)");
    }
    previous_hash = event.hash;
    result.events = event.seq;
    if (anchored && event.seq == anchored->seq) hash_at_anchor = event.hash;
    return Status::Ok();
  });
  if (!result.problem.empty()) return result;
  RETURN_IF_ERROR(scanned);
  if (anchored && anchored->seq > result.events) {
    result.first_bad_seq = result.events + 1;
    result.problem = "the chain ends at event " + std::to_string(result.events) +
                     " but the anchor records " + std::to_string(anchored->seq) +
                     " events (the newest events were removed)";
    return result;
  }
  if (anchored && anchored->seq > 0 && hash_at_anchor != anchored->hash) {
    result.first_bad_seq = anchored->seq;
    result.problem = "event " + std::to_string(anchored->seq) +
                     " differs from the anchored head (the chain was rewritten)";
    return result;
  }
  result.ok = true;
  return result;
}

}  // namespace liaison::app
