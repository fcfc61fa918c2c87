// The store: Liaison's only way to reach a database. The interface speaks the domain (no SQL
// strings in callers); each backend (sqlite/, postgres/) keeps its own SQL and migrations and
// passes the same contract suite (store_contract_test.cc).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "common/strong_id.h"
#include "domain/audit_event.h"
#include "domain/nhs_number.h"
#include "domain/organisation.h"
#include "domain/person.h"
#include "domain/register_entry.h"
#include "domain/user.h"

namespace liaison::storage {

// The newest audit event's position in the chain: seq 0 and the genesis hash when empty.
struct AuditHead {
  std::int64_t seq = 0;
  std::string hash;
};

struct NewNotification {
  std::string idempotency_key;  // unique; the receiver uses it to drop duplicates
  std::string topic;            // e.g. "audit.anchor", "register.attendance"
  std::string payload;          // JSON text; no patient identifiers unless the topic needs them
  Timestamp created_at;
};

struct Notification {
  std::int64_t id = 0;
  std::string idempotency_key;
  std::string topic;
  std::string payload;
  Timestamp created_at;
  int attempts = 0;
  Timestamp next_attempt_at;
  std::optional<Timestamp> delivered_at;
  std::string last_error;
};

struct OutboxStats {
  std::int64_t pending = 0;
  std::int64_t delivered = 0;
  std::optional<Timestamp> oldest_pending;
};

// A user with the password hash that only the store and the sign-in use case see.
struct UserCredentials {
  domain::User user;
  std::string password_hash;  // argon2id, in libsodium's crypto_pwhash_str format
};

// A signed-in session. Only a hash of the session id is stored, so a copy of the database
// cannot be used to sign in.
struct SessionRecord {
  std::string id_hash;
  domain::UserId user;
  Timestamp created_at;
  Timestamp last_seen_at;
};

// A user, or every member of a team, involved in a person's case: the relationship half of
// the access policy (app/access_policy.h). Recorded when a user records the person
// ("recorded") or when a safeguarding or liaison role assigns them ("assigned").
struct CaseInvolvement {
  std::int64_t id = 0;  // set by the store
  domain::PersonId person;
  // Exactly one of user and team.
  std::optional<domain::UserId> user;
  std::optional<domain::TeamId> team;
  std::string source;       // "recorded" or "assigned"
  std::string assigned_by;  // the audit actor that created it, e.g. "user:7"
  Timestamp created_at;
};

// Time-limited access to one person's record by a user outside the relationship, taken with
// a stated reason and reviewed afterwards by the owning organisation's safeguarding team.
struct BreakGlassGrant {
  std::int64_t id = 0;  // set by the store
  domain::UserId user;
  domain::PersonId person;
  domain::OrgId org;  // the person's owning organisation, whose safeguarding team reviews
  std::string reason;
  Timestamp granted_at;
  Timestamp expires_at;
  std::optional<Timestamp> reviewed_at;
  std::optional<domain::UserId> reviewed_by;
  std::string review_outcome;  // "" until reviewed
  std::string review_note;
};

// Sign-in throttle state for one key (a hash naming a username or a client address), shared
// by every process using the database. `count` and `since` mean what the throttle says
// (failures since the last one, or attempts in the window starting at `since`).
struct ThrottleRecord {
  std::string key;
  std::int64_t count = 0;
  Timestamp since;
  Timestamp locked_until;  // the epoch when not locked
};

// How many rows a purge removed, per kind.
struct PurgeCounts {
  std::int64_t sessions = 0;
  std::int64_t api_tokens = 0;
  std::int64_t break_glass_grants = 0;
  std::int64_t throttle_records = 0;
};

// What to purge: sessions idle since before `session_idle_before` or created before
// `session_created_before`; API tokens expired or revoked before `token_ended_before`;
// break-glass grants already reviewed and expired before `grant_ended_before` (unreviewed
// grants are never purged); throttle records neither locked nor counted since `throttle_before`.
struct PurgeCutoffs {
  Timestamp session_idle_before;
  Timestamp session_created_before;
  Timestamp token_ended_before;
  Timestamp grant_ended_before;
  Timestamp throttle_before;
};

struct AttendanceRecordTag {};
// The database id of one stored attendance version (a row, not the feed's attendance_id).
using AttendanceRecordId = StrongId<AttendanceRecordTag>;

// Whether an attendance's site code was in the sites table when it arrived. Unknown sites are
// accepted (contracts.md) and marked so they can be configured and reviewed later.
enum class SiteStatus { kConfigured, kUnconfigured };

// One stored version of an attendance: the feed's (site, attendance_id) plus a version that
// counts 1, 2, ... each time different content arrives. Every version is kept. A plain value.
struct AttendanceVersion {
  AttendanceRecordId id;  // set by the store; ignored on insert
  std::string site_code;
  std::string attendance_id;
  std::int64_t version = 1;
  std::string content_hash;  // BLAKE2b hex of `document`, computed by the caller (app/)
  std::string document;      // the canonical JSON of ingest's encoder, byte for byte
  Timestamp arrival;
  // Only a verified number is ever stored here, so matching can trust this column; an
  // unverified one stays inside `document`.
  std::optional<domain::NhsNumber> verified_nhs_number;
  Timestamp received_at;
  std::optional<domain::OrgId> owner;  // the feed's organisation; nullopt for a local import
  SiteStatus site_status = SiteStatus::kConfigured;

  friend bool operator==(const AttendanceVersion&, const AttendanceVersion&) = default;
};

// --- the register (#6) ----------------------------------------------------------------------

// One register upload by a local authority: a full replacement or a delta.
struct RegisterUpload {
  std::int64_t id = 0;  // set by the store
  domain::OrgId org;
  std::string mode;   // "full" or "delta"
  std::string actor;  // the audit actor, e.g. "cli", "token:3"
  Timestamp received_at;
  std::int64_t read = 0;
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
};

// One access to a register entry, for "the last 25 accesses" shown with an alert.
struct RegisterAccess {
  domain::RegisterEntryId entry;
  Timestamp at;
  std::string actor;     // "user:4", "token:2", "cli", "system:demo"
  std::string kind;      // "attendance", "lookup", "silent_lookup", "review"
  std::string org_code;  // the organisation of whoever looked
  std::string site;      // the attendance's site; empty for lookups
  friend bool operator==(const RegisterAccess&, const RegisterAccess&) = default;
};

// An alert raised on a stored attendance version because its patient matched an entry.
// `detail` is the JSON snapshot shown to the clinician (docs/register.md), frozen at the time
// of the attendance so a later upload does not rewrite what was shown.
struct RegisterAlert {
  std::int64_t id = 0;  // set by the store
  AttendanceRecordId attendance;
  domain::RegisterEntryId entry;
  std::string basis;          // "nhs_number", "mother_nhs_number", "demographics"
  std::string concern_level;  // at least "review"
  std::string detail;         // JSON
  Timestamp created_at;
  friend bool operator==(const RegisterAlert&, const RegisterAlert&) = default;
};

// A potential match waiting for (or decided by) the safeguarding team. `subject_key` is a
// BLAKE2b of the query's standardised demographics, so the same person is never asked about
// twice against the same entry: (entry, subject_key) is unique.
struct RegisterReviewItem {
  std::int64_t id = 0;  // set by the store
  domain::RegisterEntryId entry;
  std::string subject_key;
  std::string subject;  // JSON of the query's demographics (restricted: review queue only)
  std::optional<AttendanceRecordId> attendance;
  domain::OrgId reviewing_org;  // the trust whose safeguarding team reviews it
  double probability = 0;
  std::string explanation;  // the linker's per-field contributions, JSON
  std::string state;        // "open", "awaiting_second_review", "decided"
  std::string decision;     // "", "must_link", "cannot_link"
  std::string first_reviewer;
  std::string second_reviewer;
  Timestamp created_at;
  std::optional<Timestamp> decided_at;
  friend bool operator==(const RegisterReviewItem&, const RegisterReviewItem&) = default;
};

// One stored run of `liaison sweep --db` (#5): what was swept and how many items it listed.
struct WorklistRun {
  std::int64_t id = 0;  // set by the store; ignored on insert
  Timestamp created_at{};
  std::optional<std::chrono::year_month_day> range_from;  // London dates, inclusive
  std::optional<std::chrono::year_month_day> range_to;
  int history_days = 0;
  std::int64_t item_count = 0;

  friend bool operator==(const WorklistRun&, const WorklistRun&) = default;
};

// One worklist line, stored as the sweep wrote it: position is its 1-based place in the
// contract's order; findings is the JSON array of the worklist line.
struct WorklistEntry {
  std::int64_t position = 0;
  std::string attendance_id;
  std::string site_code;
  Timestamp arrival{};
  std::optional<std::int64_t> age_days;
  std::string level;  // review | prompt | consider | suspect
  std::string person_key;
  std::string findings_json;

  friend bool operator==(const WorklistEntry&, const WorklistEntry&) = default;
};

// One transaction. Everything written through it commits together or not at all; if it is
// destroyed without Commit(), it rolls back. Not thread-safe: one thread uses it at a time.
//
// Errors: duplicates give kAlreadyExists with reason "duplicate_code" (or similar) and the
// offending field; missing rows give kNotFound; database trouble gives kUnavailable.
class UnitOfWork {
 public:
  UnitOfWork() = default;
  virtual ~UnitOfWork() = default;
  UnitOfWork(const UnitOfWork&) = delete;
  UnitOfWork& operator=(const UnitOfWork&) = delete;

  // Organisations, sites and teams. Codes are unique: organisations and sites globally,
  // teams within their organisation.
  virtual Result<domain::OrgId> InsertOrganisation(const domain::Organisation& org) = 0;
  // Updates name and kind of the organisation with org.id.
  virtual Status UpdateOrganisation(const domain::Organisation& org) = 0;
  virtual Result<domain::Organisation> GetOrganisation(domain::OrgId id) = 0;
  virtual Result<domain::Organisation> GetOrganisationByCode(std::string_view code) = 0;
  virtual Result<std::vector<domain::Organisation>> ListOrganisations() = 0;  // by code

  virtual Result<domain::SiteId> InsertSite(const domain::Site& site) = 0;
  virtual Result<domain::Site> GetSiteByCode(std::string_view code) = 0;
  virtual Result<std::vector<domain::Site>> ListSites(domain::OrgId org) = 0;  // by code

  virtual Result<domain::TeamId> InsertTeam(const domain::Team& team) = 0;
  virtual Result<std::vector<domain::Team>> ListTeams(domain::OrgId org) = 0;  // by code

  // People. A verified NHS number is unique among people. Each person is owned by the
  // organisation that recorded them, which bounds who may see them (app/access_policy.h);
  // nullopt for people recorded by a local operator outside any organisation.
  virtual Result<domain::PersonId> InsertPerson(const domain::Person& person,
                                                std::optional<domain::OrgId> owner) = 0;
  // The owning organisation; nullopt for people with no owner (see InsertPerson, and people
  // recorded before owners existed in schema 1).
  // kNotFound when no person has `id`.
  virtual Result<std::optional<domain::OrgId>> GetPersonOwner(domain::PersonId id) = 0;
  // Replaces every field of the person with person.id.
  virtual Status UpdatePerson(const domain::Person& person) = 0;
  virtual Result<domain::Person> GetPerson(domain::PersonId id) = 0;
  virtual Result<std::optional<domain::Person>> FindPersonByNhsNumber(
      const domain::NhsNumber& nhs_number) = 0;

  // Users. Usernames are unique: a duplicate gives kAlreadyExists "duplicate_username"
  // (field /username). An unknown organisation or team gives kNotFound.
  virtual Result<domain::UserId> InsertUser(const domain::User& user,
                                            std::string_view password_hash) = 0;
  // Replaces the role, organisation, team and password hash of the user with user.id.
  virtual Status UpdateUser(const domain::User& user, std::string_view password_hash) = 0;
  virtual Result<domain::User> GetUser(domain::UserId id) = 0;
  virtual Result<std::optional<UserCredentials>> FindUserByUsername(std::string_view username) = 0;

  // Sessions, keyed by the hash of their id.
  virtual Status InsertSession(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> FindSession(std::string_view id_hash) = 0;
  virtual Status TouchSession(std::string_view id_hash, Timestamp last_seen_at) = 0;
  // Deleting an absent session is not an error (logging out twice is harmless).
  virtual Status DeleteSession(std::string_view id_hash) = 0;

  // API tokens, stored as the hash of their secret, which is unique.
  virtual Result<domain::ApiTokenId> InsertApiToken(const domain::ApiToken& token,
                                                    std::string_view token_hash) = 0;
  virtual Result<std::optional<domain::ApiToken>> FindApiTokenByHash(
      std::string_view token_hash) = 0;
  virtual Result<std::vector<domain::ApiToken>> ListApiTokens() = 0;  // by id
  // kNotFound for an unknown id. Revoking again keeps the first revocation time.
  virtual Status RevokeApiToken(domain::ApiTokenId id, Timestamp at) = 0;

  // Users of one organisation, by username, disabled ones included.
  virtual Result<std::vector<domain::User>> ListUsers(domain::OrgId org) = 0;
  // Sets or clears users.disabled_at. kNotFound for an unknown id.
  virtual Status SetUserDisabled(domain::UserId id, std::optional<Timestamp> disabled_at) = 0;
  // Ends every session of the user; returns how many there were.
  virtual Result<std::int64_t> DeleteUserSessions(domain::UserId id) = 0;

  // Involvement. Inserting an involvement that exists (same person and user, or same person
  // and team) changes nothing and is not an error.
  virtual Status InsertInvolvement(const CaseInvolvement& involvement) = 0;
  // Whether `user`, or `team` when given, is involved in `person`'s case.
  virtual Result<bool> IsInvolved(domain::PersonId person, domain::UserId user,
                                  std::optional<domain::TeamId> team) = 0;
  virtual Result<std::vector<CaseInvolvement>> ListInvolvements(domain::PersonId person) = 0;
  // Whether an attendance with this verified NHS number, owned by `org`, arrived at or after
  // `since` (any version).
  virtual Result<bool> HasAttendanceSince(const domain::NhsNumber& nhs_number, domain::OrgId org,
                                          Timestamp since) = 0;

  // Break-glass grants.
  virtual Result<std::int64_t> InsertBreakGlassGrant(const BreakGlassGrant& grant) = 0;
  // The grant of `user` on `person` with the latest expiry after `now`, if any.
  virtual Result<std::optional<BreakGlassGrant>> FindActiveBreakGlassGrant(domain::UserId user,
                                                                           domain::PersonId person,
                                                                           Timestamp now) = 0;
  // kNotFound for an unknown id.
  virtual Result<BreakGlassGrant> GetBreakGlassGrant(std::int64_t id) = 0;
  // Unreviewed grants on people owned by `org`, oldest first.
  virtual Result<std::vector<BreakGlassGrant>> ListUnreviewedBreakGlassGrants(
      domain::OrgId org) = 0;
  // Records the review. kNotFound for an unknown id; kFailedPrecondition "already_reviewed"
  // when the grant was reviewed before (the first review stands).
  virtual Status ReviewBreakGlassGrant(std::int64_t id, domain::UserId reviewer,
                                       std::string_view outcome, std::string_view note,
                                       Timestamp at) = 0;

  // Sign-in throttle. LockThrottle returns the record for `key` (count 0, times at the epoch,
  // when there is none) and holds it against other writers until this unit of work ends, so a
  // read-modify-write through SaveThrottle is atomic across processes.
  virtual Result<ThrottleRecord> LockThrottle(std::string_view key) = 0;
  virtual Status SaveThrottle(const ThrottleRecord& record) = 0;
  virtual Status DeleteThrottle(std::string_view key) = 0;

  // Removes what has expired (see PurgeCutoffs).
  virtual Result<PurgeCounts> PurgeExpired(const PurgeCutoffs& cutoffs) = 0;

  // Attendances. (site_code, attendance_id, version) is unique: inserting a version that
  // exists gives kAlreadyExists "duplicate_attendance_version" (field /attendance_id) without
  // spoiling the unit of work, so a caller that raced another writer can re-read and retry.
  virtual Result<AttendanceRecordId> InsertAttendanceVersion(const AttendanceVersion& version) = 0;
  // The newest version of (site_code, attendance_id), or nullopt when there is none.
  virtual Result<std::optional<AttendanceVersion>> LatestAttendance(
      std::string_view site_code, std::string_view attendance_id) = 0;
  // Every version of (site_code, attendance_id), oldest first.
  virtual Result<std::vector<AttendanceVersion>> ListAttendanceVersions(
      std::string_view site_code, std::string_view attendance_id) = 0;
  // How many versions are stored, over all attendances.
  virtual Result<std::int64_t> CountAttendanceVersions() = 0;

  // The register (#6). Entries are keyed by (owner, local_id).
  virtual Result<std::int64_t> InsertRegisterUpload(const RegisterUpload& upload) = 0;
  // Records the final counts of upload `upload.id`.
  virtual Status UpdateRegisterUploadCounts(const RegisterUpload& upload) = 0;
  // Inserts or replaces the entry with (entry.owner, entry.local_id), marking it as last seen
  // in `upload_id`; returns its id, which stays the same across replacements.
  virtual Result<domain::RegisterEntryId> UpsertRegisterEntry(const domain::RegisterEntry& entry,
                                                              std::int64_t upload_id) = 0;
  virtual Result<std::optional<domain::RegisterEntry>> FindRegisterEntry(
      domain::OrgId owner, std::string_view local_id) = 0;
  // kNotFound when no entry has `id`.
  virtual Result<domain::RegisterEntry> GetRegisterEntry(domain::RegisterEntryId id) = 0;
  // Whether an entry was there to delete.
  virtual Result<bool> DeleteRegisterEntry(domain::OrgId owner, std::string_view local_id) = 0;
  // A full replacement's last step: deletes `owner`'s entries not seen in `upload_id`.
  virtual Result<std::int64_t> DeleteRegisterEntriesOutside(domain::OrgId owner,
                                                            std::int64_t upload_id) = 0;
  virtual Result<std::int64_t> CountRegisterEntries(domain::OrgId owner) = 0;
  // Every authority's entries, by id (to build the linker's in-memory index).
  virtual Result<std::vector<domain::RegisterEntry>> ListRegisterEntries() = 0;
  // The newest upload's id, 0 when there has been none: it changes whenever the register may
  // have changed, so an in-memory index can tell it is stale.
  virtual Result<std::int64_t> LatestRegisterUploadId() = 0;
  // Entries of any authority with this (valid) NHS number, by id.
  virtual Result<std::vector<domain::RegisterEntry>> FindRegisterEntriesByNhsNumber(
      const domain::NhsNumber& nhs_number) = 0;
  // Unborn entries whose mother has this NHS number, by id.
  virtual Result<std::vector<domain::RegisterEntry>> FindUnbornEntriesByMother(
      const domain::NhsNumber& mother) = 0;
  // Candidates for demographic matching: entries born on any of `dates`, by id.
  virtual Result<std::vector<domain::RegisterEntry>> FindRegisterEntriesBornOn(
      const std::vector<std::chrono::year_month_day>& dates) = 0;

  virtual Status InsertRegisterAccess(const RegisterAccess& access) = 0;
  // The newest `limit` accesses to `entry`, newest first.
  virtual Result<std::vector<RegisterAccess>> ListRegisterAccesses(domain::RegisterEntryId entry,
                                                                   int limit) = 0;
  virtual Result<std::int64_t> InsertRegisterAlert(const RegisterAlert& alert) = 0;
  // The alerts on one stored attendance version, by id.
  virtual Result<std::vector<RegisterAlert>> ListRegisterAlerts(AttendanceRecordId attendance) = 0;

  // Inserts a review item; when (entry, subject_key) already has one, changes nothing and
  // returns that item (so a decided pair is never asked again).
  virtual Result<RegisterReviewItem> InsertReviewItem(const RegisterReviewItem& item) = 0;
  // kNotFound when no item has `id`.
  virtual Result<RegisterReviewItem> GetReviewItem(std::int64_t id) = 0;
  // Items for `reviewing_org` not yet decided, oldest first.
  virtual Result<std::vector<RegisterReviewItem>> ListOpenReviewItems(
      domain::OrgId reviewing_org) = 0;
  // Replaces state, decision, reviewers and decided_at of item `item.id`.
  virtual Status UpdateReviewItem(const RegisterReviewItem& item) = 0;
  // The item for (entry, subject_key), if any.
  virtual Result<std::optional<RegisterReviewItem>> FindReviewItem(
      domain::RegisterEntryId entry, std::string_view subject_key) = 0;
  // Worklists (#5). A run is inserted first (item_count as given), then its entries; a
  // position used twice in one run gives kAlreadyExists "duplicate_worklist_position".
  // FinishWorklistRun sets the final item_count (kNotFound for an unknown run).
  virtual Result<std::int64_t> InsertWorklistRun(const WorklistRun& run) = 0;
  virtual Status InsertWorklistEntry(std::int64_t run_id, const WorklistEntry& entry) = 0;
  virtual Status FinishWorklistRun(std::int64_t run_id, std::int64_t item_count) = 0;
  // The newest run (highest id), or nullopt; its entries by position.
  virtual Result<std::optional<WorklistRun>> LatestWorklistRun() = 0;
  virtual Result<std::vector<WorklistEntry>> ListWorklistEntries(std::int64_t run_id) = 0;

  // Audit. LockAuditHead serialises appenders (across connections and processes) until this
  // unit of work ends, then returns the current head. Call it before InsertAuditEvent.
  virtual Result<AuditHead> LockAuditHead() = 0;
  virtual Status InsertAuditEvent(const domain::AuditEvent& event) = 0;

  // Outbox. Enqueuing an existing idempotency key changes nothing and returns the first id.
  virtual Result<std::int64_t> EnqueueNotification(const NewNotification& notification) = 0;

  virtual Status Commit() = 0;
};

enum class Durability {
  // SQLite synchronous=FULL in WAL; PostgreSQL defaults. Survives power loss.
  kFull,
  // SQLite synchronous=NORMAL in WAL. Survives a process crash, not a power loss.
  kNormal,
};

struct StoreOptions {
  Durability durability = Durability::kFull;
  int pool_size = 4;
  std::chrono::milliseconds busy_timeout{5000};
};

// A database. Thread-safe: many threads may Begin() units of work at once; the backends keep
// a pool of connections.
class Store {
 public:
  Store() = default;
  virtual ~Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // "sqlite" or "postgresql".
  virtual std::string_view Backend() const = 0;

  // Creates or upgrades the schema. Safe to repeat and to run from two processes at once.
  virtual Status Migrate() = 0;
  // The newest applied migration, 0 for an empty database.
  virtual Result<int> SchemaVersion() = 0;
  // The newest migration this build knows.
  virtual int LatestSchemaVersion() const = 0;

  virtual Result<std::unique_ptr<UnitOfWork>> Begin() = 0;

  // Cheap liveness check for /readyz.
  virtual Status Ping() = 0;

  // Audit events in seq order, streamed; stops at the first non-OK status from `visit`.
  virtual Status ScanAudit(const std::function<Status(const domain::AuditEvent&)>& visit) = 0;

  // Outbox delivery, each in its own short transaction. Claim returns up to `limit` undelivered
  // notifications due at `now` and leases them until now + lease, so a second worker does not
  // take them meanwhile.
  virtual Result<std::vector<Notification>> ClaimDueNotifications(Timestamp now, int limit,
                                                                  std::chrono::seconds lease) = 0;
  virtual Status MarkDelivered(std::int64_t id, Timestamp at) = 0;
  virtual Status MarkFailed(std::int64_t id, std::string_view error, Timestamp retry_at) = 0;
  virtual Result<OutboxStats> GetOutboxStats() = 0;
};

// Opens "sqlite:PATH" or "postgresql://..." (see docs/contracts). Does not migrate.
Result<std::unique_ptr<Store>> OpenStore(std::string_view url, const StoreOptions& options);

}  // namespace liaison::storage
