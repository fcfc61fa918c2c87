// The audit chain's head, kept outside the database. A hash chain alone cannot show that its
// newest events were cut off; comparing the stored chain with an independent copy of its head
// can. The anchor may lag behind the database (a crash between commit and anchor write), never
// run ahead of it, so a database with fewer events than the anchor has lost events.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "common/status.h"
#include "storage/store.h"

namespace liaison::app {

// Thread-safe.
class AuditAnchor {
 public:
  AuditAnchor() = default;
  virtual ~AuditAnchor() = default;
  AuditAnchor(const AuditAnchor&) = delete;
  AuditAnchor& operator=(const AuditAnchor&) = delete;

  // Records `head` if it is newer than the recorded one; older heads are ignored, so commits
  // that finish out of order never move the anchor backwards.
  virtual Status Advance(const storage::AuditHead& head) = 0;
  // The recorded head, or nullopt if none has been recorded yet.
  virtual Result<std::optional<storage::AuditHead>> Read() const = 0;
};

// Keeps the head in a small text file ("seq hash\n"), replaced atomically by rename and
// guarded by an advisory file lock so several processes can share it.
std::unique_ptr<AuditAnchor> NewFileAuditAnchor(std::string path);

// Keeps the head in memory: for tests.
std::unique_ptr<AuditAnchor> NewMemoryAuditAnchor();

// Where the anchor of a database lives by default: "PATH.audit-anchor" beside a SQLite file;
// for PostgreSQL, "liaison-HOST-PORT-DBNAME.audit-anchor" in the working directory.
std::string DefaultAnchorPath(std::string_view database_url);

}  // namespace liaison::app
