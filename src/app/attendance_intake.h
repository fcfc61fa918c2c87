// Storing attendances from a feed (the CLI import, the HTTP API): each accepted attendance is
// stored as a version of its (site, attendance_id), following contracts.md:
// - the same content again changes nothing ("unchanged": no new version, no audit event);
// - different content stores a new version, keeps the old one, and audits the change
//   (attendance.update);
// - an unknown site code is stored as unconfigured, with a warning;
// - every stored version is audited (attendance.create / attendance.update, reason
//   "attendance feed").
// Content is compared by the BLAKE2b hash of ingest's canonical JSON, so key order, spacing
// or CSV versus NDJSON make no difference.
//
// Rows are written in batches: one unit of work holds many attendances (the CLI commits every
// kImportBatchSize rows, the HTTP API one request), because a commit per row would cost an
// fsync per row. A row that cannot be stored for a reason of its own is rejected with a field
// and a reason and the batch goes on; only a database failure stops it.
// Nothing here logs or returns a patient identifier.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "app/actor.h"
#include "app/audit_log.h"
#include "app/register_matcher.h"
#include "common/clock.h"
#include "domain/attendance.h"
#include "domain/concern_level.h"
#include "storage/store.h"

namespace liaison::app {

// Rows per unit of work for file imports: large enough to amortise the commit, small enough
// that a failure loses little work and locks are held briefly.
inline constexpr int kImportBatchSize = 500;

enum class IntakeStatus { kCreated, kUpdated, kUnchanged, kRejected };
// "created", "updated", "unchanged", "rejected".
std::string_view IntakeStatusSlug(IntakeStatus status);

// What happened to one attendance. A value type.
struct IntakeResult {
  IntakeStatus status = IntakeStatus::kRejected;
  storage::AttendanceRecordId
      record;  // the stored (or unchanged latest) version; unset if rejected
  std::int64_t version = 0;
  bool unknown_site = false;  // the site code is not configured: warn "unknown_site" on /site
  std::string field;          // rejected only: a JSON pointer, e.g. "/site"
  std::string reason;         // rejected only: a stable reason
  // The point-of-care register check of a stored version (docs/register.md): alerts raised,
  // potential matches sent to the review queue, and the level the register sets (at least
  // review when an alert was raised; none otherwise, which is never an all-clear).
  int register_alerts = 0;
  int register_referred = 0;
  domain::ConcernLevel concern_level;
};

// Why an unknown site is a warning, for the feed report.
inline constexpr std::string_view kUnknownSiteReason = "unknown_site";

// One open unit of work that stores attendances. Not thread-safe; dropping it without
// Commit() rolls everything in it back. Created by AttendanceIntake::Begin.
class AttendanceBatch {
 public:
  // Only AttendanceIntake can make one, which is what guarantees the access check ran.
  class Key {
    Key() = default;
    friend class AttendanceIntake;
  };
  AttendanceBatch(Key, AuditedWork work, Actor actor, std::optional<domain::OrgId> owner,
                  Timestamp received_at, std::shared_ptr<const RegisterMatcher> matcher);
  ~AttendanceBatch();
  AttendanceBatch(const AttendanceBatch&) = delete;
  AttendanceBatch& operator=(const AttendanceBatch&) = delete;

  // Stores `attendance` (or finds it unchanged, or rejects it). A non-OK result means the
  // database failed and the batch must be dropped.
  Result<IntakeResult> Add(const domain::Attendance& attendance);
  // Commits every attendance added so far. REQUIRES: called at most once.
  Status Commit();

 private:
  AuditedWork work_;
  const Actor actor_;
  // The feed's organisation; nullopt for a local import without --org, where each row takes
  // its site's organisation (or that of its earlier versions).
  const std::optional<domain::OrgId> owner_;
  const Timestamp received_at_;
  const std::shared_ptr<const RegisterMatcher> matcher_;
};

// Opens batches. Thread-safe: holds only references to thread-safe collaborators.
class AttendanceIntake {
 public:
  // Every stored version is checked against the register with `matcher` in the same unit of
  // work (the exact path when none is given).
  AttendanceIntake(storage::Store& store, const AuditLog& audit, const Clock& clock,
                   std::shared_ptr<const RegisterMatcher> matcher = nullptr);

  // Checks that `actor` may send attendances (action attendance.feed), then opens a batch.
  // A network actor sends for its own organisation. A local operator may name one with
  // `org_code` (kNotFound "unknown_organisation", field /org, when there is none).
  // kPermissionDenied (audited) when the policy refuses.
  Result<std::unique_ptr<AttendanceBatch>> Begin(const Actor& actor,
                                                 std::optional<std::string_view> org_code = {});

 private:
  storage::Store& store_;
  const AuditLog& audit_;
  const Clock& clock_;
  const std::shared_ptr<const RegisterMatcher> matcher_;
};

}  // namespace liaison::app
