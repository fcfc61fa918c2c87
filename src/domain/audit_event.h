// AuditEvent: one entry in the append-only, hash-chained audit trail. Every write and every
// read of a person's record appends one, in the same transaction as the change.
//
// hash = BLAKE2b(prev_hash || canonical text of the event), so altering, deleting or
// reordering any event breaks every hash after it.
#pragma once

#include <cstdint>
#include <string>

#include "common/clock.h"

namespace liaison::domain {

// What the caller supplies; the chain fields are filled in by the audit log.
struct AuditEntry {
  std::string actor;              // "user:42", "system:demo", "cli:org-add"
  std::string action;             // "person.create", "person.read", "organisation.create"
  std::string record_type;        // "person", "organisation", ...
  std::string record_id;          // internal id, never an NHS number
  std::string reason;             // why: "direct care", "demo data", a break-glass reason
  std::string outcome = "allow";  // "allow", "deny", "error"
};

struct AuditEvent {
  std::int64_t seq = 0;  // 1, 2, 3, ... with no gaps
  Timestamp at;
  AuditEntry entry;
  std::string prev_hash;  // hash of event seq-1; 64 zeros for the first event
  std::string hash;
};

// The hash before the first event.
inline const std::string& GenesisHash() {
  static const std::string kGenesis(64, '0');
  return kGenesis;
}

// Canonical text hashed for an event: fields separated by '\x1f', lengths implied by the
// separators, which no field may contain (the audit log replaces them).
std::string AuditCanonicalText(const AuditEvent& event);

}  // namespace liaison::domain
