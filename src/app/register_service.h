// The register (#6): uploads by local authorities, the point-of-care check made when an
// attendance is stored, on-demand lookups, and the restricted review queue of potential
// matches. docs/register.md describes what is stored, shown and sent.
//
// Privacy rules kept here:
// - a lookup or an alert records an access to the entry, and is audited;
// - the notification to the responsible authority holds only its own id for the child, the
//   site, the time and the service: never a name, NHS number or date of birth;
// - potential matches go only to the review queue of the safeguarding team;
// - a found child raises the concern level to at least review; nothing here lowers one.
// Nothing here logs or returns an NHS number in an error.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "app/register_matcher.h"
#include "common/clock.h"
#include "domain/attendance.h"
#include "domain/concern_level.h"
#include "ingest/feed_reader.h"
#include "ingest/register_csv.h"
#include "storage/store.h"

namespace liaison::app {

// How many earlier accesses an alert shows.
inline constexpr int kAlertAccessCount = 25;
// The words of a lookup that found nothing (issue #6): never an all-clear.
inline constexpr std::string_view kNotFoundMessage =
    "Not found on the register. This does not mean there is no concern.";
inline constexpr std::string_view kFoundMessage = "Found on the register.";
inline constexpr std::string_view kReferredMessage =
    "Not found on the register. A possible match has been sent to the safeguarding team for "
    "review. This does not mean there is no concern.";

// What the point-of-care check did for one attendance.
struct RegisterCheckOutcome {
  int alerts = 0;
  int referred = 0;            // potential matches queued for review
  domain::ConcernLevel level;  // at least review when alerts > 0
};

// Runs the point-of-care check inside an open unit of work: alerts, accesses, notifications
// and review items commit (or roll back) with the attendance. `org_code` is the organisation
// the attendance belongs to (the reviewing trust), `reviewing_org` its id (may be invalid for
// a local import without one, in which case potential matches are not queued).
Result<RegisterCheckOutcome> CheckRegisterAtPointOfCare(AuditedWork& work, const Actor& actor,
                                                        const RegisterMatcher& matcher,
                                                        storage::AttendanceRecordId record,
                                                        const domain::Attendance& attendance,
                                                        std::optional<domain::OrgId> reviewing_org,
                                                        Timestamp now);

// The query an attendance makes: its verified NHS number and demographics.
RegisterQuery QueryFor(const domain::Attendance& attendance);

enum class UploadMode { kFull, kDelta };
// "full", "delta"; nullopt otherwise.
std::optional<UploadMode> UploadModeFromSlug(std::string_view slug);

// One upload in one unit of work. Not thread-safe. Made by RegisterService::BeginUpload.
class RegisterUploadBatch {
 public:
  class Key {
    Key() = default;
    friend class RegisterService;
  };
  RegisterUploadBatch(Key, AuditedWork work, Actor actor, storage::RegisterUpload upload);

  // Stores (or deletes) one row; nullopt when accepted, or the issue that rejects it (a
  // duplicate child in this upload, say). A non-OK status means the database failed.
  Result<std::optional<ingest::RowIssue>> Add(ingest::RegisterRow row);
  // A row rejected by the reader: a full replacement keeps that child's existing entry.
  Status KeepExisting(std::string_view local_id);
  // Finishes a full replacement (drops the authority's entries not in this upload), records
  // the counts, audits the upload and commits. Returns how many entries were removed.
  Result<std::int64_t> Finish(const ingest::FeedSummary& summary);

 private:
  AuditedWork work_;
  const Actor actor_;
  storage::RegisterUpload upload_;
  std::unordered_map<std::string, std::int64_t> lines_by_id_;
  std::unordered_map<std::string, std::string> ids_by_nhs_;
  std::int64_t deleted_ = 0;
};

// A lookup's answer. `alerts` hold the same JSON detail an attendance alert holds.
struct LookupResult {
  bool found = false;
  bool referred = false;
  bool demographic_matching = false;
  std::string message;
  std::vector<std::string> alerts;  // JSON objects
  // The entries found, with their standing, for callers that act on them (assess --db).
  std::vector<std::pair<domain::RegisterEntry, domain::PlanStanding>> matches;
};

// One review queue item with the entry it concerns, for the safeguarding team.
struct ReviewQueueItem {
  storage::RegisterReviewItem item;
  domain::RegisterEntry entry;
};

class RegisterService {
 public:
  RegisterService(storage::Store& store, const AuditLog& audit, const Clock& clock,
                  std::shared_ptr<const RegisterMatcher> matcher)
      : store_(store), audit_(audit), clock_(clock), matcher_(std::move(matcher)) {}

  // Checks the actor may upload for the organisation (its own over the network; `org_code`
  // for a local operator, which must name a local authority) and opens the upload.
  Result<std::unique_ptr<RegisterUploadBatch>> BeginUpload(const Actor& actor,
                                                           std::optional<std::string_view> org_code,
                                                           UploadMode mode);

  // The point-of-care lookup. `silent` (scheduled care) sends no notification; every lookup
  // is audited and recorded as an access of each entry found.
  Result<LookupResult> Lookup(const Actor& actor, const RegisterQuery& query, bool silent);

  // The open review items of the actor's trust.
  Result<std::vector<ReviewQueueItem>> ReviewQueue(const Actor& actor);
  // Records "same" (must_link) or "different" (cannot_link). Linking an entry for a child on a
  // plan needs a second, different reviewer: the first "same" leaves the item awaiting them.
  // kNotFound for an unknown item or another trust's; kFailedPrecondition
  // "second_reviewer_required" when the first reviewer tries again; kFailedPrecondition
  // "already_decided" for a decided item.
  Result<storage::RegisterReviewItem> Decide(const Actor& actor, std::int64_t item_id, bool same);

  const RegisterMatcher& matcher() const { return *matcher_; }

 private:
  storage::Store& store_;
  const AuditLog& audit_;
  const Clock& clock_;
  std::shared_ptr<const RegisterMatcher> matcher_;
};

// The matcher used when none is given: the exact path only (no linker yet).
std::shared_ptr<const RegisterMatcher> DefaultRegisterMatcher();

}  // namespace liaison::app
