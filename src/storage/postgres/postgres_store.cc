#include "storage/postgres/postgres_store.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <string>
#include <utility>

#include "common/time_format.h"
#include "storage/postgres/postgres_connection.h"
#include "storage/postgres/postgres_migrations.h"

namespace liaison::storage {
namespace {

using domain::AuditEvent;
using domain::Organisation;
using domain::OrgId;
using domain::Person;
using domain::PersonId;
using domain::Site;
using domain::SiteId;
using domain::Team;
using domain::TeamId;

// Rows per round trip when scanning the audit trail.
constexpr int kAuditScanChunk = 1000;

// Timestamps leave the database as canonical UTC RFC 3339 text with microseconds, so
// ParseTimestamp reads back exactly what FormatTimestamp wrote (the audit hash covers it).
#define LIAISON_PG_UTC(column) \
  "to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

// Advisory lock keys: arbitrary constants, distinct per purpose, shared by every process that
// uses the database. Written into the SQL because lock keys are part of the schema contract.
//   migrations: 0x4C49414953304D31 ("LIAIS0M1")
//   audit head: 0x4C49414953304131 ("LIAIS0A1")
constexpr PgStatement kMigrationLock = {"migration_lock",
                                        "SELECT pg_advisory_xact_lock(5496296316592033073)"};
constexpr PgStatement kAuditLock = {"audit_lock",
                                    "SELECT pg_advisory_xact_lock(5496296316592029999)"};

constexpr PgStatement kCreateMigrationsTable = {
    "create_schema_migrations",
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"};
constexpr PgStatement kMigrationsTableExists = {
    "schema_migrations_exists", "SELECT to_regclass('schema_migrations') IS NOT NULL"};
constexpr PgStatement kSchemaVersion = {"schema_version",
                                        "SELECT coalesce(max(version), 0) FROM schema_migrations"};
constexpr PgStatement kRecordMigration = {
    "record_migration", "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, now())"};
constexpr PgStatement kPing = {"ping", "SELECT 1"};

// Inserts use ON CONFLICT DO NOTHING and report a duplicate when no row comes back: a unique
// violation would abort the whole transaction, whereas the contract (like SQLite) lets the
// unit of work carry on after a reported duplicate. Each table has a single unique key
// besides its serial id, so "no row" names the duplicate unambiguously.
constexpr PgStatement kInsertOrganisation = {
    "insert_organisation",
    "INSERT INTO organisations (code, name, kind) VALUES ($1, $2, $3) "
    "ON CONFLICT DO NOTHING RETURNING id"};
constexpr PgStatement kUpdateOrganisation = {
    "update_organisation", "UPDATE organisations SET name = $2, kind = $3 WHERE id = $1"};
constexpr PgStatement kGetOrganisation = {
    "get_organisation", "SELECT id, code, name, kind FROM organisations WHERE id = $1"};
constexpr PgStatement kGetOrganisationByCode = {
    "get_organisation_by_code", "SELECT id, code, name, kind FROM organisations WHERE code = $1"};
// COLLATE "C": byte order, as SQLite sorts, whatever the database's default collation.
constexpr PgStatement kListOrganisations = {
    "list_organisations",
    "SELECT id, code, name, kind FROM organisations ORDER BY code COLLATE \"C\""};

constexpr PgStatement kInsertSite = {"insert_site",
                                     "INSERT INTO sites (org_id, code, name) VALUES ($1, $2, $3) "
                                     "ON CONFLICT DO NOTHING RETURNING id"};
constexpr PgStatement kGetSiteByCode = {"get_site_by_code",
                                        "SELECT id, org_id, code, name FROM sites WHERE code = $1"};
constexpr PgStatement kListSites = {
    "list_sites",
    "SELECT id, org_id, code, name FROM sites WHERE org_id = $1 ORDER BY code COLLATE \"C\""};

constexpr PgStatement kInsertTeam = {
    "insert_team",
    "INSERT INTO teams (org_id, code, name, kind) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT DO NOTHING RETURNING id"};
constexpr PgStatement kListTeams = {
    "list_teams",
    "SELECT id, org_id, code, name, kind FROM teams WHERE org_id = $1 "
    "ORDER BY code COLLATE \"C\""};

#define LIAISON_PG_PERSON_COLUMNS \
  "id, nhs_number, given_name, family_name, to_char(birth_date, 'YYYY-MM-DD'), sex, postcode"

constexpr PgStatement kInsertPerson = {
    "insert_person",
    "INSERT INTO people (nhs_number, given_name, family_name, birth_date, sex, postcode, "
    "owner_org_id) VALUES ($1, $2, $3, $4::date, $5, $6, $7) ON CONFLICT DO NOTHING RETURNING id"};
constexpr PgStatement kGetPersonOwner = {"get_person_owner",
                                         "SELECT owner_org_id FROM people WHERE id = $1"};

#define LIAISON_PG_USER_COLUMNS \
  "id, username, role, org_id, team_id, " LIAISON_PG_UTC("disabled_at")
constexpr PgStatement kInsertUser = {
    "insert_user",
    "INSERT INTO users (username, role, org_id, team_id, password_hash) "
    "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id"};
constexpr PgStatement kUpdateUser = {
    "update_user",
    "UPDATE users SET role = $2, org_id = $3, team_id = $4, password_hash = $5 WHERE id = $1"};
constexpr PgStatement kGetUser = {"get_user",
                                  "SELECT " LIAISON_PG_USER_COLUMNS " FROM users WHERE id = $1"};
constexpr PgStatement kFindUserByUsername = {"find_user_by_username",
                                             "SELECT " LIAISON_PG_USER_COLUMNS
                                             ", password_hash FROM users WHERE username = $1"};

constexpr PgStatement kInsertSession = {
    "insert_session",
    "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at) "
    "VALUES ($1, $2, $3::timestamptz, $4::timestamptz)"};
constexpr PgStatement kFindSession = {
    "find_session", "SELECT id_hash, user_id, " LIAISON_PG_UTC("created_at") ", " LIAISON_PG_UTC(
                        "last_seen_at") " FROM sessions WHERE id_hash = $1"};
constexpr PgStatement kTouchSession = {
    "touch_session", "UPDATE sessions SET last_seen_at = $2::timestamptz WHERE id_hash = $1"};
constexpr PgStatement kDeleteSession = {"delete_session",
                                        "DELETE FROM sessions WHERE id_hash = $1"};

#define LIAISON_PG_TOKEN_COLUMNS                                                \
  "id, name, scope, org_id, " LIAISON_PG_UTC("created_at") ", " LIAISON_PG_UTC( \
      "expires_at") ", " LIAISON_PG_UTC("revoked_at")
constexpr PgStatement kInsertApiToken = {
    "insert_api_token",
    "INSERT INTO api_tokens (name, scope, org_id, token_hash, created_at, expires_at, "
    "revoked_at) VALUES ($1, $2, $3, $4, $5::timestamptz, $6::timestamptz, $7::timestamptz) "
    "RETURNING id"};
constexpr PgStatement kFindApiTokenByHash = {"find_api_token_by_hash",
                                             "SELECT " LIAISON_PG_TOKEN_COLUMNS
                                             " FROM api_tokens WHERE token_hash = $1"};
constexpr PgStatement kListApiTokens = {
    "list_api_tokens", "SELECT " LIAISON_PG_TOKEN_COLUMNS " FROM api_tokens ORDER BY id"};
constexpr PgStatement kRevokeApiToken = {
    "revoke_api_token",
    "UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $2::timestamptz) WHERE id = $1"};
// Checks for a clashing NHS number first for the same reason inserts use ON CONFLICT: to
// report the duplicate without aborting the transaction. Returns (clashes, updated).
constexpr PgStatement kUpdatePerson = {
    "update_person",
    "WITH clash AS (SELECT 1 FROM people WHERE nhs_number = $2 AND id <> $1 LIMIT 1), "
    "updated AS (UPDATE people SET nhs_number = $2, given_name = $3, family_name = $4, "
    "birth_date = $5::date, sex = $6, postcode = $7 "
    "WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM clash) RETURNING 1) "
    "SELECT (SELECT count(*) FROM clash), (SELECT count(*) FROM updated)"};
constexpr PgStatement kGetPerson = {
    "get_person", "SELECT " LIAISON_PG_PERSON_COLUMNS " FROM people WHERE id = $1"};
constexpr PgStatement kFindPersonByNhsNumber = {"find_person_by_nhs_number",
                                                "SELECT " LIAISON_PG_PERSON_COLUMNS
                                                " FROM people WHERE nhs_number = $1"};

// Security, second slice (#3): account status, involvement, break-glass, throttle, purge.
constexpr PgStatement kListUsers = {
    "list_users", "SELECT " LIAISON_PG_USER_COLUMNS
                  " FROM users WHERE org_id = $1 ORDER BY username COLLATE \"C\""};
constexpr PgStatement kSetUserDisabled = {
    "set_user_disabled", "UPDATE users SET disabled_at = $2::timestamptz WHERE id = $1"};
constexpr PgStatement kDeleteUserSessions = {"delete_user_sessions",
                                             "DELETE FROM sessions WHERE user_id = $1"};
constexpr PgStatement kInsertInvolvement = {
    "insert_involvement",
    "INSERT INTO case_involvements (person_id, user_id, team_id, source, assigned_by, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6::timestamptz) ON CONFLICT DO NOTHING"};
constexpr PgStatement kIsInvolved = {
    "is_involved",
    "SELECT EXISTS (SELECT 1 FROM case_involvements WHERE person_id = $1 AND "
    "(user_id = $2 OR ($3::bigint IS NOT NULL AND team_id = $3::bigint)))"};
constexpr PgStatement kListInvolvements = {
    "list_involvements",
    "SELECT id, person_id, user_id, team_id, source, assigned_by, " LIAISON_PG_UTC(
        "created_at") " FROM case_involvements WHERE person_id = $1 ORDER BY id"};
constexpr PgStatement kHasAttendanceSince = {
    "has_attendance_since",
    "SELECT EXISTS (SELECT 1 FROM attendances WHERE nhs_number = $1 AND owner_org_id = $2 "
    "AND arrival >= $3::timestamptz)"};
#define LIAISON_PG_GRANT_COLUMNS \
  "id, user_id, person_id, org_id, reason, " LIAISON_PG_UTC("granted_at") ", " LIAISON_PG_UTC( \
      "expires_at") ", " LIAISON_PG_UTC("reviewed_at") ", reviewed_by, "                      \
                        "coalesce(review_outcome, ''), review_note"
constexpr PgStatement kInsertGrant = {
    "insert_break_glass_grant",
    "INSERT INTO break_glass_grants (user_id, person_id, org_id, reason, granted_at, "
    "expires_at) VALUES ($1, $2, $3, $4, $5::timestamptz, $6::timestamptz) RETURNING id"};
constexpr PgStatement kFindActiveGrant = {
    "find_active_break_glass_grant",
    "SELECT " LIAISON_PG_GRANT_COLUMNS
    " FROM break_glass_grants WHERE user_id = $1 AND person_id = $2 AND "
    "expires_at > $3::timestamptz AND granted_at <= $3::timestamptz "
    "ORDER BY expires_at DESC LIMIT 1"};
constexpr PgStatement kGetGrant = {"get_break_glass_grant",
                                   "SELECT " LIAISON_PG_GRANT_COLUMNS
                                   " FROM break_glass_grants WHERE id = $1"};
constexpr PgStatement kListUnreviewedGrants = {
    "list_unreviewed_break_glass_grants",
    "SELECT " LIAISON_PG_GRANT_COLUMNS
    " FROM break_glass_grants WHERE org_id = $1 AND reviewed_at IS NULL ORDER BY id"};
// Locks the row, so a second reviewer waits and then sees it reviewed.
constexpr PgStatement kReviewGrant = {
    "review_break_glass_grant",
    "WITH target AS (SELECT id, reviewed_at FROM break_glass_grants WHERE id = $1 FOR UPDATE), "
    "updated AS (UPDATE break_glass_grants SET reviewed_at = $2::timestamptz, "
    "reviewed_by = $3, review_outcome = $4, review_note = $5 "
    "WHERE id = $1 AND reviewed_at IS NULL RETURNING 1) "
    "SELECT (SELECT count(*) FROM target), (SELECT count(*) FROM updated)"};
constexpr PgStatement kEnsureThrottle = {
    "ensure_throttle",
    "INSERT INTO login_throttle (key, count, since, locked_until) "
    "VALUES ($1, 0, 'epoch', 'epoch') ON CONFLICT DO NOTHING"};
constexpr PgStatement kLockThrottle = {
    "lock_throttle", "SELECT count, " LIAISON_PG_UTC("since") ", " LIAISON_PG_UTC(
                         "locked_until") " FROM login_throttle WHERE key = $1 FOR UPDATE"};
constexpr PgStatement kSaveThrottle = {
    "save_throttle",
    "INSERT INTO login_throttle (key, count, since, locked_until) "
    "VALUES ($1, $2, $3::timestamptz, $4::timestamptz) ON CONFLICT (key) DO UPDATE SET "
    "count = excluded.count, since = excluded.since, locked_until = excluded.locked_until"};
constexpr PgStatement kDeleteThrottle = {"delete_throttle",
                                         "DELETE FROM login_throttle WHERE key = $1"};
constexpr PgStatement kPurgeSessions = {
    "purge_sessions",
    "DELETE FROM sessions WHERE last_seen_at < $1::timestamptz OR created_at < $2::timestamptz"};
constexpr PgStatement kPurgeTokens = {
    "purge_api_tokens",
    "DELETE FROM api_tokens WHERE expires_at < $1::timestamptz OR revoked_at < $1::timestamptz"};
constexpr PgStatement kPurgeGrants = {
    "purge_break_glass_grants",
    "DELETE FROM break_glass_grants WHERE reviewed_at IS NOT NULL AND "
    "expires_at < $1::timestamptz"};
constexpr PgStatement kPurgeThrottle = {
    "purge_throttle",
    "DELETE FROM login_throttle WHERE since < $1::timestamptz AND locked_until < $1::timestamptz"};

constexpr PgStatement kAuditHead = {"audit_head",
                                    "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"};
constexpr PgStatement kInsertAuditEvent = {
    "insert_audit_event",
    "INSERT INTO audit_events (seq, at, actor, action, record_type, record_id, reason, outcome, "
    "prev_hash, hash) VALUES ($1, $2::timestamptz, $3, $4, $5, $6, $7, $8, $9, $10)"};
constexpr PgStatement kScanAudit = {
    "scan_audit",
    "SELECT seq, " LIAISON_PG_UTC("at") ", actor, action, record_type, record_id, reason, "
    "outcome, prev_hash, hash FROM audit_events WHERE seq > $1 ORDER BY seq LIMIT $2"};

#define LIAISON_PG_NOTIFICATION_COLUMNS \
  "id, idempotency_key, topic, payload, " LIAISON_PG_UTC("created_at") ", attempts, "    \
  LIAISON_PG_UTC("next_attempt_at") ", " LIAISON_PG_UTC("delivered_at") ", last_error"

constexpr PgStatement kEnqueueNotification = {
    "enqueue_notification",
    "INSERT INTO outbox (idempotency_key, topic, payload, created_at, attempts, "
    "next_attempt_at, last_error) VALUES ($1, $2, $3, $4::timestamptz, 0, $4::timestamptz, '') "
    "ON CONFLICT (idempotency_key) DO NOTHING RETURNING id"};
constexpr PgStatement kNotificationIdByKey = {"notification_id_by_key",
                                              "SELECT id FROM outbox WHERE idempotency_key = $1"};
// SKIP LOCKED lets concurrent workers claim disjoint batches. A MATERIALIZED CTE rather than
// "WHERE id IN (subquery)": a semi-join may rescan the LIMITed, SKIP LOCKED subquery and so
// claim more than `limit` rows.
constexpr PgStatement kClaimDueNotifications = {
    "claim_due_notifications",
    "WITH due AS MATERIALIZED (SELECT id AS due_id FROM outbox WHERE delivered_at IS NULL "
    "AND next_attempt_at <= $1::timestamptz ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED) "
    "UPDATE outbox SET next_attempt_at = $2::timestamptz FROM due WHERE id = due_id "
    "RETURNING " LIAISON_PG_NOTIFICATION_COLUMNS};
constexpr PgStatement kMarkDelivered = {
    "mark_delivered",
    "UPDATE outbox SET delivered_at = $2::timestamptz, attempts = attempts + 1 WHERE id = $1"};
constexpr PgStatement kMarkFailed = {"mark_failed",
                                     "UPDATE outbox SET attempts = attempts + 1, last_error = $2, "
                                     "next_attempt_at = $3::timestamptz WHERE id = $1"};
constexpr PgStatement kOutboxStats = {
    "outbox_stats",
    "SELECT count(*) FILTER (WHERE delivered_at IS NULL), "
    "count(*) FILTER (WHERE delivered_at IS NOT NULL), " LIAISON_PG_UTC(
        "min(created_at) FILTER (WHERE delivered_at IS NULL)") " FROM outbox"};

#define LIAISON_PG_ATTENDANCE_COLUMNS \
  "id, site_code, attendance_id, version, content_hash, document, " LIAISON_PG_UTC(        \
      "arrival") ", nhs_number, " LIAISON_PG_UTC("received_at") ", owner_org_id, " \
                 "site_configured"
// ON CONFLICT DO NOTHING for the reason the other inserts use it: a racing writer of the same
// version is reported as a duplicate and the unit of work carries on.
constexpr PgStatement kInsertAttendanceVersion = {
    "insert_attendance_version",
    "INSERT INTO attendances (site_code, attendance_id, version, content_hash, document, "
    "arrival, nhs_number, received_at, owner_org_id, site_configured) "
    "VALUES ($1, $2, $3, $4, $5, $6::timestamptz, $7, $8::timestamptz, $9, $10::boolean) "
    "ON CONFLICT DO NOTHING RETURNING id"};
constexpr PgStatement kLatestAttendance = {
    "latest_attendance", "SELECT " LIAISON_PG_ATTENDANCE_COLUMNS
                         " FROM attendances WHERE site_code = $1 AND attendance_id = $2 "
                         "ORDER BY version DESC LIMIT 1"};
constexpr PgStatement kListAttendanceVersions = {
    "list_attendance_versions", "SELECT " LIAISON_PG_ATTENDANCE_COLUMNS
                                " FROM attendances WHERE site_code = $1 AND attendance_id = $2 "
                                "ORDER BY version"};
constexpr PgStatement kCountAttendanceVersions = {"count_attendance_versions",
                                                  "SELECT count(*) FROM attendances"};
constexpr PgStatement kInsertWorklistRun = {
    "insert_worklist_run",
    "INSERT INTO worklist_runs (created_at, range_from, range_to, history_days, item_count) "
    "VALUES ($1::timestamptz, $2::date, $3::date, $4, $5) RETURNING id"};
constexpr PgStatement kInsertWorklistEntry = {
    "insert_worklist_entry",
    "INSERT INTO worklist_items (run_id, position, attendance_id, site_code, arrival, age_days, "
    "level, person_key, findings) VALUES ($1, $2, $3, $4, $5::timestamptz, $6, $7, $8, $9) "
    "ON CONFLICT DO NOTHING"};
constexpr PgStatement kFinishWorklistRun = {
    "finish_worklist_run", "UPDATE worklist_runs SET item_count = $2 WHERE id = $1"};
constexpr PgStatement kLatestWorklistRun = {
    "latest_worklist_run", "SELECT id, " LIAISON_PG_UTC(
                               "created_at") ", to_char(range_from, 'YYYY-MM-DD'), "
                                             "to_char(range_to, 'YYYY-MM-DD'), history_days, "
                                             "item_count FROM worklist_runs ORDER BY id DESC "
                                             "LIMIT 1"};
constexpr PgStatement kListWorklistEntries = {
    "list_worklist_entries",
    "SELECT position, attendance_id, site_code, " LIAISON_PG_UTC(
        "arrival") ", age_days, level, person_key, findings FROM worklist_items WHERE run_id = $1 "
                   "ORDER BY position"};

// --- the register (#6) ---------------------------------------------------------------------
#define LIAISON_PG_REGISTER_COLUMNS                                                        \
  "id, org_id, local_id, nhs_number, given_name, family_name, birth_date, sex, postcode, " \
  "status, plan_category, start_date, end_date, responsible_org, contact_in_hours, "       \
  "contact_out_of_hours, allocated_worker, mother_nhs_number, data_quality"
#define LIAISON_PG_REVIEW_COLUMNS                                                      \
  "id, entry_id, subject_key, subject, attendance_id, reviewing_org_id, probability, " \
  "explanation, state, decision, first_reviewer, second_reviewer, " LIAISON_PG_UTC(    \
      "created_at") ", " LIAISON_PG_UTC("decided_at")
constexpr PgStatement kInsertRegisterUpload = {
    "insert_register_upload",
    "INSERT INTO register_uploads (org_id, mode, actor, received_at, rows_read, rows_accepted, "
    "rows_rejected) VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7) RETURNING id"};
constexpr PgStatement kUpdateRegisterUploadCounts = {
    "update_register_upload_counts",
    "UPDATE register_uploads SET rows_read = $1, rows_accepted = $2, rows_rejected = $3 "
    "WHERE id = $4"};
constexpr PgStatement kUpsertRegisterEntry = {
    "upsert_register_entry",
    "INSERT INTO register_entries (org_id, local_id, nhs_number, given_name, family_name, "
    "birth_date, sex, postcode, status, plan_category, start_date, end_date, responsible_org, "
    "contact_in_hours, contact_out_of_hours, allocated_worker, mother_nhs_number, data_quality, "
    "upload_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
    "$17, $18, $19) ON CONFLICT ON CONSTRAINT register_entries_local_key DO UPDATE SET "
    "nhs_number = excluded.nhs_number, given_name = excluded.given_name, "
    "family_name = excluded.family_name, birth_date = excluded.birth_date, sex = excluded.sex, "
    "postcode = excluded.postcode, status = excluded.status, "
    "plan_category = excluded.plan_category, start_date = excluded.start_date, "
    "end_date = excluded.end_date, responsible_org = excluded.responsible_org, "
    "contact_in_hours = excluded.contact_in_hours, "
    "contact_out_of_hours = excluded.contact_out_of_hours, "
    "allocated_worker = excluded.allocated_worker, "
    "mother_nhs_number = excluded.mother_nhs_number, data_quality = excluded.data_quality, "
    "upload_id = excluded.upload_id RETURNING id"};
constexpr PgStatement kFindRegisterEntry = {
    "find_register_entry", "SELECT " LIAISON_PG_REGISTER_COLUMNS
                           " FROM register_entries WHERE org_id = $1 AND local_id = $2"};
constexpr PgStatement kGetRegisterEntry = {"get_register_entry",
                                           "SELECT " LIAISON_PG_REGISTER_COLUMNS
                                           " FROM register_entries WHERE id = $1"};
constexpr PgStatement kDeleteRegisterEntry = {
    "delete_register_entry", "DELETE FROM register_entries WHERE org_id = $1 AND local_id = $2"};
constexpr PgStatement kDeleteRegisterEntriesOutside = {
    "delete_register_entries_outside",
    "DELETE FROM register_entries WHERE org_id = $1 AND upload_id <> $2"};
constexpr PgStatement kCountRegisterEntries = {
    "count_register_entries", "SELECT count(*) FROM register_entries WHERE org_id = $1"};
constexpr PgStatement kListRegisterEntries = {"list_register_entries",
                                              "SELECT " LIAISON_PG_REGISTER_COLUMNS
                                              " FROM register_entries ORDER BY id"};
constexpr PgStatement kLatestRegisterUploadId = {
    "latest_register_upload_id", "SELECT coalesce(max(id), 0) FROM register_uploads"};
constexpr PgStatement kRegisterEntriesByNhs = {
    "register_entries_by_nhs", "SELECT " LIAISON_PG_REGISTER_COLUMNS
                               " FROM register_entries WHERE nhs_number = $1 ORDER BY id"};
constexpr PgStatement kUnbornEntriesByMother = {
    "unborn_entries_by_mother",
    "SELECT " LIAISON_PG_REGISTER_COLUMNS
    " FROM register_entries WHERE mother_nhs_number = $1 AND status = 'unborn_cp_plan' "
    "ORDER BY id"};
constexpr PgStatement kRegisterEntriesBornOn = {
    "register_entries_born_on", "SELECT " LIAISON_PG_REGISTER_COLUMNS
                                " FROM register_entries WHERE birth_date = ANY($1::text[]) "
                                "ORDER BY id"};
constexpr PgStatement kInsertRegisterAccess = {
    "insert_register_access",
    "INSERT INTO register_accesses (entry_id, at, actor, kind, org_code, site) "
    "VALUES ($1, $2::timestamptz, $3, $4, $5, $6)"};
constexpr PgStatement kListRegisterAccesses = {
    "list_register_accesses", "SELECT entry_id, " LIAISON_PG_UTC(
                                  "at") ", actor, kind, org_code, site FROM register_accesses "
                                        "WHERE entry_id = $1 ORDER BY id DESC LIMIT $2"};
constexpr PgStatement kInsertRegisterAlert = {
    "insert_register_alert",
    "INSERT INTO register_alerts (attendance_id, entry_id, basis, concern_level, detail, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6::timestamptz) RETURNING id"};
constexpr PgStatement kListRegisterAlerts = {
    "list_register_alerts", "SELECT id, attendance_id, entry_id, basis, concern_level, detail, " LIAISON_PG_UTC(
                                "created_at") " FROM register_alerts WHERE attendance_id = $1 "
                                              "ORDER BY id"};
constexpr PgStatement kInsertReviewItem = {
    "insert_review_item",
    "INSERT INTO register_review_items (entry_id, subject_key, subject, attendance_id, "
    "reviewing_org_id, probability, explanation, state, decision, first_reviewer, "
    "second_reviewer, created_at, decided_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
    "$11, $12::timestamptz, $13::timestamptz) ON CONFLICT ON CONSTRAINT "
    "register_review_items_pair_key DO NOTHING"};
constexpr PgStatement kGetReviewItem = {"get_review_item",
                                        "SELECT " LIAISON_PG_REVIEW_COLUMNS
                                        " FROM register_review_items WHERE id = $1"};
constexpr PgStatement kListOpenReviewItems = {
    "list_open_review_items", "SELECT " LIAISON_PG_REVIEW_COLUMNS
                              " FROM register_review_items WHERE reviewing_org_id = $1 AND "
                              "state <> 'decided' ORDER BY id"};
constexpr PgStatement kUpdateReviewItem = {
    "update_review_item",
    "UPDATE register_review_items SET state = $1, decision = $2, first_reviewer = $3, "
    "second_reviewer = $4, decided_at = $5::timestamptz WHERE id = $6"};
constexpr PgStatement kFindReviewItem = {
    "find_review_item", "SELECT " LIAISON_PG_REVIEW_COLUMNS
                        " FROM register_review_items WHERE entry_id = $1 AND subject_key = $2"};
#undef LIAISON_PG_REGISTER_COLUMNS
#undef LIAISON_PG_REVIEW_COLUMNS

#undef LIAISON_PG_ATTENDANCE_COLUMNS
#undef LIAISON_PG_UTC
#undef LIAISON_PG_PERSON_COLUMNS
#undef LIAISON_PG_USER_COLUMNS
#undef LIAISON_PG_TOKEN_COLUMNS
#undef LIAISON_PG_NOTIFICATION_COLUMNS

// --- parameters and rows -----------------------------------------------------------------

std::optional<std::string> Text(std::string_view value) { return std::string(value); }
std::optional<std::string> Int(std::int64_t value) { return std::to_string(value); }
std::optional<std::string> Time(Timestamp at) { return FormatTimestamp(at); }

Status CorruptRow(std::string_view what) {
  return DataLoss("corrupt_row", "the database holds an unreadable " + std::string(what));
}

Result<Organisation> OrganisationFromRow(const PgResult& rows, int row) {
  Organisation org;
  ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(row, 0));
  org.id = OrgId(id);
  org.code = rows.Text(row, 1);
  org.name = rows.Text(row, 2);
  auto kind = domain::OrgKindFromSlug(rows.Text(row, 3));
  if (!kind) return CorruptRow("organisation kind");
  org.kind = *kind;
  return org;
}

Result<Site> SiteFromRow(const PgResult& rows, int row) {
  Site site;
  ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(row, 0));
  ASSIGN_OR_RETURN(std::int64_t org, rows.Int64(row, 1));
  site.id = SiteId(id);
  site.org = OrgId(org);
  site.code = rows.Text(row, 2);
  site.name = rows.Text(row, 3);
  return site;
}

Result<Team> TeamFromRow(const PgResult& rows, int row) {
  Team team;
  ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(row, 0));
  ASSIGN_OR_RETURN(std::int64_t org, rows.Int64(row, 1));
  team.id = TeamId(id);
  team.org = OrgId(org);
  team.code = rows.Text(row, 2);
  team.name = rows.Text(row, 3);
  auto kind = domain::TeamKindFromSlug(rows.Text(row, 4));
  if (!kind) return CorruptRow("team kind");
  team.kind = *kind;
  return team;
}

// Columns as in LIAISON_PG_PERSON_COLUMNS.
Result<Person> PersonFromRow(const PgResult& rows, int row) {
  Person person;
  ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(row, 0));
  person.id = PersonId(id);
  if (!rows.IsNull(row, 1)) {
    auto nhs_number = domain::NhsNumber::Parse(rows.Text(row, 1));
    if (!nhs_number.ok()) return CorruptRow("NHS number");
    person.nhs_number = *std::move(nhs_number);
  }
  person.given_name = rows.Text(row, 2);
  person.family_name = rows.Text(row, 3);
  if (!rows.IsNull(row, 4)) {
    auto birth_date = ParseDate(rows.Text(row, 4));
    if (!birth_date.ok()) return CorruptRow("birth date");
    person.birth_date = *birth_date;
  }
  auto sex = domain::SexFromText(rows.Text(row, 5));
  if (!sex) return CorruptRow("sex");
  person.sex = *sex;
  person.postcode = rows.Text(row, 6);
  return person;
}

// Columns as in LIAISON_PG_USER_COLUMNS.
Result<domain::User> UserFromRow(const PgResult& rows, int row) {
  domain::User user;
  ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(row, 0));
  user.id = domain::UserId(id);
  user.username = rows.Text(row, 1);
  auto role = domain::RoleFromSlug(rows.Text(row, 2));
  if (!role) return CorruptRow("role");
  user.role = *role;
  ASSIGN_OR_RETURN(std::int64_t org, rows.Int64(row, 3));
  user.org = OrgId(org);
  if (!rows.IsNull(row, 4)) {
    ASSIGN_OR_RETURN(std::int64_t team, rows.Int64(row, 4));
    user.team = TeamId(team);
  }
  ASSIGN_OR_RETURN(user.disabled_at, rows.OptionalTime(row, 5));
  return user;
}

// Columns as in LIAISON_PG_GRANT_COLUMNS.
Result<BreakGlassGrant> GrantFromRow(const PgResult& rows, int row) {
  BreakGlassGrant grant;
  ASSIGN_OR_RETURN(grant.id, rows.Int64(row, 0));
  ASSIGN_OR_RETURN(std::int64_t user, rows.Int64(row, 1));
  grant.user = domain::UserId(user);
  ASSIGN_OR_RETURN(std::int64_t person, rows.Int64(row, 2));
  grant.person = PersonId(person);
  ASSIGN_OR_RETURN(std::int64_t org, rows.Int64(row, 3));
  grant.org = OrgId(org);
  grant.reason = rows.Text(row, 4);
  ASSIGN_OR_RETURN(grant.granted_at, rows.Time(row, 5));
  ASSIGN_OR_RETURN(grant.expires_at, rows.Time(row, 6));
  ASSIGN_OR_RETURN(grant.reviewed_at, rows.OptionalTime(row, 7));
  if (!rows.IsNull(row, 8)) {
    ASSIGN_OR_RETURN(std::int64_t reviewer, rows.Int64(row, 8));
    grant.reviewed_by = domain::UserId(reviewer);
  }
  grant.review_outcome = rows.Text(row, 9);
  grant.review_note = rows.Text(row, 10);
  return grant;
}

Result<CaseInvolvement> InvolvementFromRow(const PgResult& rows, int row) {
  CaseInvolvement involvement;
  ASSIGN_OR_RETURN(involvement.id, rows.Int64(row, 0));
  ASSIGN_OR_RETURN(std::int64_t person, rows.Int64(row, 1));
  involvement.person = PersonId(person);
  if (!rows.IsNull(row, 2)) {
    ASSIGN_OR_RETURN(std::int64_t user, rows.Int64(row, 2));
    involvement.user = domain::UserId(user);
  }
  if (!rows.IsNull(row, 3)) {
    ASSIGN_OR_RETURN(std::int64_t team, rows.Int64(row, 3));
    involvement.team = TeamId(team);
  }
  involvement.source = rows.Text(row, 4);
  involvement.assigned_by = rows.Text(row, 5);
  ASSIGN_OR_RETURN(involvement.created_at, rows.Time(row, 6));
  return involvement;
}

// Columns as in LIAISON_PG_TOKEN_COLUMNS.
Result<domain::ApiToken> ApiTokenFromRow(const PgResult& rows, int row) {
  domain::ApiToken token;
  ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(row, 0));
  token.id = domain::ApiTokenId(id);
  token.name = rows.Text(row, 1);
  auto scope = domain::TokenScopeFromSlug(rows.Text(row, 2));
  if (!scope) return CorruptRow("token scope");
  token.scope = *scope;
  ASSIGN_OR_RETURN(std::int64_t org, rows.Int64(row, 3));
  token.org = OrgId(org);
  ASSIGN_OR_RETURN(token.created_at, rows.Time(row, 4));
  ASSIGN_OR_RETURN(token.expires_at, rows.OptionalTime(row, 5));
  ASSIGN_OR_RETURN(token.revoked_at, rows.OptionalTime(row, 6));
  return token;
}

std::optional<std::string> OptionalTime(const std::optional<Timestamp>& at) {
  if (!at) return std::nullopt;
  return FormatTimestamp(*at);
}

PgParams UserParams(const domain::User& user) {
  return {Text(domain::RoleSlug(user.role)), Int(user.org.value()),
          user.team ? Int(user.team->value()) : std::nullopt};
}

PgParams PersonParams(const Person& person) {
  return {person.nhs_number ? Text(person.nhs_number->digits()) : std::nullopt,
          Text(person.given_name),
          Text(person.family_name),
          person.birth_date ? Text(FormatDate(*person.birth_date)) : std::nullopt,
          Text(domain::SexSlug(person.sex)),
          Text(person.postcode)};
}

Result<AuditEvent> AuditEventFromRow(const PgResult& rows, int row) {
  AuditEvent event;
  ASSIGN_OR_RETURN(event.seq, rows.Int64(row, 0));
  ASSIGN_OR_RETURN(event.at, rows.Time(row, 1));
  event.entry.actor = rows.Text(row, 2);
  event.entry.action = rows.Text(row, 3);
  event.entry.record_type = rows.Text(row, 4);
  event.entry.record_id = rows.Text(row, 5);
  event.entry.reason = rows.Text(row, 6);
  event.entry.outcome = rows.Text(row, 7);
  event.prev_hash = rows.Text(row, 8);
  event.hash = rows.Text(row, 9);
  return event;
}

// Columns as in LIAISON_PG_NOTIFICATION_COLUMNS.
Result<Notification> NotificationFromRow(const PgResult& rows, int row) {
  Notification notification;
  ASSIGN_OR_RETURN(notification.id, rows.Int64(row, 0));
  notification.idempotency_key = rows.Text(row, 1);
  notification.topic = rows.Text(row, 2);
  notification.payload = rows.Text(row, 3);
  ASSIGN_OR_RETURN(notification.created_at, rows.Time(row, 4));
  ASSIGN_OR_RETURN(std::int64_t attempts, rows.Int64(row, 5));
  notification.attempts = static_cast<int>(attempts);
  ASSIGN_OR_RETURN(notification.next_attempt_at, rows.Time(row, 6));
  ASSIGN_OR_RETURN(notification.delivered_at, rows.OptionalTime(row, 7));
  notification.last_error = rows.Text(row, 8);
  return notification;
}

// Columns as in LIAISON_PG_ATTENDANCE_COLUMNS.
Result<AttendanceVersion> AttendanceFromRow(const PgResult& rows, int row) {
  AttendanceVersion version;
  ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(row, 0));
  version.id = AttendanceRecordId(id);
  version.site_code = rows.Text(row, 1);
  version.attendance_id = rows.Text(row, 2);
  ASSIGN_OR_RETURN(version.version, rows.Int64(row, 3));
  version.content_hash = rows.Text(row, 4);
  version.document = rows.Text(row, 5);
  ASSIGN_OR_RETURN(version.arrival, rows.Time(row, 6));
  if (!rows.IsNull(row, 7)) {
    auto nhs_number = domain::NhsNumber::Parse(rows.Text(row, 7));
    if (!nhs_number.ok()) return CorruptRow("NHS number");
    version.verified_nhs_number = *std::move(nhs_number);
  }
  ASSIGN_OR_RETURN(version.received_at, rows.Time(row, 8));
  if (!rows.IsNull(row, 9)) {
    ASSIGN_OR_RETURN(std::int64_t owner, rows.Int64(row, 9));
    version.owner = OrgId(owner);
  }
  std::string_view configured = rows.Text(row, 10);
  if (configured != "t" && configured != "f") return CorruptRow("site status");
  version.site_status = configured == "t" ? SiteStatus::kConfigured : SiteStatus::kUnconfigured;
  return version;
}

template <typename T>
Result<std::vector<T>> AllRows(const PgResult& rows, Result<T> (*from_row)(const PgResult&, int)) {
  std::vector<T> out;
  out.reserve(static_cast<size_t>(rows.rows()));
  for (int row = 0; row < rows.rows(); ++row) {
    ASSIGN_OR_RETURN(T value, from_row(rows, row));
    out.push_back(std::move(value));
  }
  return out;
}

// A pooled connection may have died while idle (server restart, idle timeout); libpq only
// notices on the next use. For a first statement whose repetition is harmless, reconnect once
// and repeat rather than failing the caller.
template <typename Op>
auto RetryingIfBroken(PgConnection& connection, Op op) -> decltype(op(connection)) {
  auto result = op(connection);
  if (!result.ok() && result.status().code() == StatusCode::kUnavailable && !connection.Healthy() &&
      connection.Reset().ok()) {
    return op(connection);
  }
  return result;
}

Status FinishedError() {
  return FailedPrecondition("transaction_finished", "the unit of work has already committed");
}

// One transaction on one pooled connection, open from construction until Commit() or
// destruction (which rolls back). Owns its connection lease. Not thread-safe.
Result<std::optional<std::chrono::year_month_day>> OptionalDateFromRow(const PgResult& rows,
                                                                       int row, int column) {
  if (rows.IsNull(row, column)) return std::optional<std::chrono::year_month_day>();
  Result<std::chrono::year_month_day> date = ParseDate(rows.Text(row, column));
  if (!date.ok()) return CorruptRow("register date");
  return std::optional<std::chrono::year_month_day>(*date);
}

Result<std::optional<domain::NhsNumber>> OptionalNhsFromRow(const PgResult& rows, int row,
                                                            int column) {
  if (rows.IsNull(row, column)) return std::optional<domain::NhsNumber>();
  Result<domain::NhsNumber> nhs = domain::NhsNumber::Parse(rows.Text(row, column));
  if (!nhs.ok()) return CorruptRow("NHS number");
  return std::optional<domain::NhsNumber>(*nhs);
}

std::optional<std::string> OptionalDate(const std::optional<std::chrono::year_month_day>& date) {
  if (!date) return std::nullopt;
  return FormatDate(*date);
}

std::optional<std::string> OptionalNhs(const std::optional<domain::NhsNumber>& nhs) {
  if (!nhs) return std::nullopt;
  return nhs->digits();
}

Result<domain::RegisterEntry> RegisterEntryFromRow(const PgResult& rows, int row) {
  domain::RegisterEntry entry;
  ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(row, 0));
  entry.id = domain::RegisterEntryId(id);
  ASSIGN_OR_RETURN(std::int64_t owner, rows.Int64(row, 1));
  entry.owner = OrgId(owner);
  entry.local_id = rows.Text(row, 2);
  ASSIGN_OR_RETURN(entry.nhs_number, OptionalNhsFromRow(rows, row, 3));
  entry.given_name = rows.Text(row, 4);
  entry.family_name = rows.Text(row, 5);
  ASSIGN_OR_RETURN(entry.birth_date, OptionalDateFromRow(rows, row, 6));
  entry.sex = domain::SexFromText(rows.Text(row, 7)).value_or(domain::Sex::kUnknown);
  entry.postcode = rows.Text(row, 8);
  std::optional<domain::RegisterStatus> status = domain::RegisterStatusFromSlug(rows.Text(row, 9));
  if (!status) return CorruptRow("register status");
  entry.status = *status;
  entry.plan_category = rows.Text(row, 10);
  ASSIGN_OR_RETURN(entry.start_date, OptionalDateFromRow(rows, row, 11));
  ASSIGN_OR_RETURN(entry.end_date, OptionalDateFromRow(rows, row, 12));
  entry.responsible_org = rows.Text(row, 13);
  entry.contact_in_hours = rows.Text(row, 14);
  entry.contact_out_of_hours = rows.Text(row, 15);
  entry.allocated_worker = rows.Text(row, 16);
  ASSIGN_OR_RETURN(entry.mother_nhs_number, OptionalNhsFromRow(rows, row, 17));
  entry.data_quality = rows.Text(row, 18);
  return entry;
}

Result<RegisterReviewItem> ReviewItemFromRow(const PgResult& rows, int row) {
  RegisterReviewItem item;
  ASSIGN_OR_RETURN(item.id, rows.Int64(row, 0));
  ASSIGN_OR_RETURN(std::int64_t entry, rows.Int64(row, 1));
  item.entry = domain::RegisterEntryId(entry);
  item.subject_key = rows.Text(row, 2);
  item.subject = rows.Text(row, 3);
  if (!rows.IsNull(row, 4)) {
    ASSIGN_OR_RETURN(std::int64_t attendance, rows.Int64(row, 4));
    item.attendance = AttendanceRecordId(attendance);
  }
  ASSIGN_OR_RETURN(std::int64_t org, rows.Int64(row, 5));
  item.reviewing_org = OrgId(org);
  item.probability = std::strtod(std::string(rows.Text(row, 6)).c_str(), nullptr);
  item.explanation = rows.Text(row, 7);
  item.state = rows.Text(row, 8);
  item.decision = rows.Text(row, 9);
  item.first_reviewer = rows.Text(row, 10);
  item.second_reviewer = rows.Text(row, 11);
  ASSIGN_OR_RETURN(item.created_at, rows.Time(row, 12));
  ASSIGN_OR_RETURN(item.decided_at, rows.OptionalTime(row, 13));
  return item;
}

Result<RegisterAlert> RegisterAlertFromRow(const PgResult& rows, int row) {
  RegisterAlert alert;
  ASSIGN_OR_RETURN(alert.id, rows.Int64(row, 0));
  ASSIGN_OR_RETURN(std::int64_t attendance, rows.Int64(row, 1));
  alert.attendance = AttendanceRecordId(attendance);
  ASSIGN_OR_RETURN(std::int64_t entry, rows.Int64(row, 2));
  alert.entry = domain::RegisterEntryId(entry);
  alert.basis = rows.Text(row, 3);
  alert.concern_level = rows.Text(row, 4);
  alert.detail = rows.Text(row, 5);
  ASSIGN_OR_RETURN(alert.created_at, rows.Time(row, 6));
  return alert;
}

Result<RegisterAccess> RegisterAccessFromRow(const PgResult& rows, int row) {
  RegisterAccess access;
  ASSIGN_OR_RETURN(std::int64_t entry, rows.Int64(row, 0));
  access.entry = domain::RegisterEntryId(entry);
  ASSIGN_OR_RETURN(access.at, rows.Time(row, 1));
  access.actor = rows.Text(row, 2);
  access.kind = rows.Text(row, 3);
  access.org_code = rows.Text(row, 4);
  access.site = rows.Text(row, 5);
  return access;
}

// A text[] literal of ISO dates (digits and dashes only, so no quoting is needed).
std::string DateArray(const std::vector<std::chrono::year_month_day>& dates) {
  std::string out = "{";
  for (const std::chrono::year_month_day& date : dates) {
    if (out.size() > 1) out += ",";
    out += FormatDate(date);
  }
  return out + "}";
}

std::string DoubleText(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.17g", value);
  return text;
}

class PostgresUnitOfWork final : public UnitOfWork {
 public:
  explicit PostgresUnitOfWork(PgConnectionPool::Lease lease) : lease_(std::move(lease)) {}

  ~PostgresUnitOfWork() override {
    // If the rollback fails the session is broken or still in a transaction, and the pool
    // closes it instead of reusing it, so the error needs no handling here.
    if (!finished_) (void)lease_->Exec("ROLLBACK", "rollback");
  }

  Result<OrgId> InsertOrganisation(const Organisation& org) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kInsertOrganisation, {Text(org.code), Text(org.name),
                                                              Text(OrgKindSlug(org.kind))}));
    if (rows.rows() == 0) {
      return AlreadyExists("duplicate_code", "an organisation with this code already exists",
                           "/code");
    }
    ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(0, 0));
    return OrgId(id);
  }

  Status UpdateOrganisation(const Organisation& org) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kUpdateOrganisation, {Int(org.id.value()), Text(org.name),
                                                              Text(OrgKindSlug(org.kind))}));
    if (rows.affected_rows() == 0) return OrganisationNotFound(org.id);
    return Status::Ok();
  }

  Result<Organisation> GetOrganisation(OrgId id) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kGetOrganisation, {Int(id.value())}));
    if (rows.rows() == 0) return OrganisationNotFound(id);
    return OrganisationFromRow(rows, 0);
  }

  Result<Organisation> GetOrganisationByCode(std::string_view code) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kGetOrganisationByCode, {Text(code)}));
    if (rows.rows() == 0) return NotFound("not_found", "no organisation has this code", "/code");
    return OrganisationFromRow(rows, 0);
  }

  Result<std::vector<Organisation>> ListOrganisations() override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kListOrganisations, {}));
    return AllRows(rows, &OrganisationFromRow);
  }

  Result<SiteId> InsertSite(const Site& site) override {
    ASSIGN_OR_RETURN(PgResult rows,
                     Run(kInsertSite, {Int(site.org.value()), Text(site.code), Text(site.name)}));
    if (rows.rows() == 0) {
      return AlreadyExists("duplicate_code", "a site with this code already exists", "/code");
    }
    ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(0, 0));
    return SiteId(id);
  }

  Result<Site> GetSiteByCode(std::string_view code) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kGetSiteByCode, {Text(code)}));
    if (rows.rows() == 0) return NotFound("not_found", "no site has this code", "/code");
    return SiteFromRow(rows, 0);
  }

  Result<std::vector<Site>> ListSites(OrgId org) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kListSites, {Int(org.value())}));
    return AllRows(rows, &SiteFromRow);
  }

  Result<TeamId> InsertTeam(const Team& team) override {
    ASSIGN_OR_RETURN(PgResult rows,
                     Run(kInsertTeam, {Int(team.org.value()), Text(team.code), Text(team.name),
                                       Text(TeamKindSlug(team.kind))}));
    if (rows.rows() == 0) {
      return AlreadyExists("duplicate_code",
                           "a team with this code already exists in the organisation", "/code");
    }
    ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(0, 0));
    return TeamId(id);
  }

  Result<std::vector<Team>> ListTeams(OrgId org) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kListTeams, {Int(org.value())}));
    return AllRows(rows, &TeamFromRow);
  }

  Result<PersonId> InsertPerson(const Person& person, std::optional<OrgId> owner) override {
    PgParams params = PersonParams(person);
    params.push_back(owner ? Int(owner->value()) : std::nullopt);
    ASSIGN_OR_RETURN(PgResult rows, Run(kInsertPerson, params));
    if (rows.rows() == 0) return DuplicateNhsNumber();
    ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(0, 0));
    return PersonId(id);
  }

  Result<std::optional<OrgId>> GetPersonOwner(PersonId id) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kGetPersonOwner, {Int(id.value())}));
    if (rows.rows() == 0) return PersonNotFound(id);
    if (rows.IsNull(0, 0)) return std::optional<OrgId>();
    ASSIGN_OR_RETURN(std::int64_t owner, rows.Int64(0, 0));
    return std::optional<OrgId>(OrgId(owner));
  }

  Result<domain::UserId> InsertUser(const domain::User& user,
                                    std::string_view password_hash) override {
    PgParams params = UserParams(user);
    params.insert(params.begin(), Text(user.username));
    params.push_back(Text(password_hash));
    ASSIGN_OR_RETURN(PgResult rows, Run(kInsertUser, params));
    if (rows.rows() == 0) {
      return AlreadyExists("duplicate_username", "a user with this username already exists",
                           "/username");
    }
    ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(0, 0));
    return domain::UserId(id);
  }

  Status UpdateUser(const domain::User& user, std::string_view password_hash) override {
    PgParams params = UserParams(user);
    params.insert(params.begin(), Int(user.id.value()));
    params.push_back(Text(password_hash));
    ASSIGN_OR_RETURN(PgResult rows, Run(kUpdateUser, params));
    if (rows.affected_rows() == 0) return NotFound("not_found", "no user has this id");
    return Status::Ok();
  }

  Result<domain::User> GetUser(domain::UserId id) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kGetUser, {Int(id.value())}));
    if (rows.rows() == 0) return NotFound("not_found", "no user has this id");
    return UserFromRow(rows, 0);
  }

  Result<std::optional<UserCredentials>> FindUserByUsername(std::string_view username) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kFindUserByUsername, {Text(username)}));
    if (rows.rows() == 0) return std::optional<UserCredentials>();
    ASSIGN_OR_RETURN(domain::User user, UserFromRow(rows, 0));
    return std::optional<UserCredentials>(
        UserCredentials{std::move(user), std::string(rows.Text(0, 6))});
  }

  Result<std::vector<domain::User>> ListUsers(OrgId org) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kListUsers, {Int(org.value())}));
    return AllRows(rows, &UserFromRow);
  }

  Status SetUserDisabled(domain::UserId id, std::optional<Timestamp> disabled_at) override {
    ASSIGN_OR_RETURN(PgResult rows,
                     Run(kSetUserDisabled, {Int(id.value()), OptionalTime(disabled_at)}));
    if (rows.affected_rows() == 0) return NotFound("not_found", "no user has this id");
    return Status::Ok();
  }

  Result<std::int64_t> DeleteUserSessions(domain::UserId id) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kDeleteUserSessions, {Int(id.value())}));
    return rows.affected_rows();
  }

  Status InsertInvolvement(const CaseInvolvement& involvement) override {
    RETURN_IF_ERROR(Run(
        kInsertInvolvement,
        {Int(involvement.person.value()),
         involvement.user ? Int(involvement.user->value()) : std::nullopt,
         involvement.team ? Int(involvement.team->value()) : std::nullopt, Text(involvement.source),
         Text(involvement.assigned_by), Time(involvement.created_at)}));
    return Status::Ok();
  }

  Result<bool> IsInvolved(PersonId person, domain::UserId user,
                          std::optional<TeamId> team) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kIsInvolved, {Int(person.value()), Int(user.value()),
                                                      team ? Int(team->value()) : std::nullopt}));
    return rows.rows() > 0 && rows.Text(0, 0) == "t";
  }

  Result<std::vector<CaseInvolvement>> ListInvolvements(PersonId person) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kListInvolvements, {Int(person.value())}));
    return AllRows(rows, &InvolvementFromRow);
  }

  Result<bool> HasAttendanceSince(const domain::NhsNumber& nhs_number, OrgId org,
                                  Timestamp since) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kHasAttendanceSince, {Text(nhs_number.digits()),
                                                              Int(org.value()), Time(since)}));
    return rows.rows() > 0 && rows.Text(0, 0) == "t";
  }

  Result<std::int64_t> InsertBreakGlassGrant(const BreakGlassGrant& grant) override {
    ASSIGN_OR_RETURN(PgResult rows,
                     Run(kInsertGrant, {Int(grant.user.value()), Int(grant.person.value()),
                                        Int(grant.org.value()), Text(grant.reason),
                                        Time(grant.granted_at), Time(grant.expires_at)}));
    return rows.Int64(0, 0);
  }

  Result<std::optional<BreakGlassGrant>> FindActiveBreakGlassGrant(domain::UserId user,
                                                                   PersonId person,
                                                                   Timestamp now) override {
    ASSIGN_OR_RETURN(PgResult rows,
                     Run(kFindActiveGrant, {Int(user.value()), Int(person.value()), Time(now)}));
    if (rows.rows() == 0) return std::optional<BreakGlassGrant>();
    ASSIGN_OR_RETURN(BreakGlassGrant grant, GrantFromRow(rows, 0));
    return std::optional<BreakGlassGrant>(std::move(grant));
  }

  Result<BreakGlassGrant> GetBreakGlassGrant(std::int64_t id) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kGetGrant, {Int(id)}));
    if (rows.rows() == 0) return NotFound("not_found", "no break-glass grant has this id");
    return GrantFromRow(rows, 0);
  }

  Result<std::vector<BreakGlassGrant>> ListUnreviewedBreakGlassGrants(OrgId org) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kListUnreviewedGrants, {Int(org.value())}));
    return AllRows(rows, &GrantFromRow);
  }

  Status ReviewBreakGlassGrant(std::int64_t id, domain::UserId reviewer, std::string_view outcome,
                               std::string_view note, Timestamp at) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kReviewGrant, {Int(id), Time(at), Int(reviewer.value()),
                                                       Text(outcome), Text(note)}));
    ASSIGN_OR_RETURN(std::int64_t found, rows.Int64(0, 0));
    ASSIGN_OR_RETURN(std::int64_t updated, rows.Int64(0, 1));
    if (found == 0) return NotFound("not_found", "no break-glass grant has this id");
    if (updated == 0) {
      return FailedPrecondition("already_reviewed", "this break-glass access was reviewed before");
    }
    return Status::Ok();
  }

  Result<ThrottleRecord> LockThrottle(std::string_view key) override {
    // Make sure a row exists, then lock it: FOR UPDATE on a missing row would lock nothing.
    RETURN_IF_ERROR(Run(kEnsureThrottle, {Text(key)}));
    ASSIGN_OR_RETURN(PgResult rows, Run(kLockThrottle, {Text(key)}));
    ThrottleRecord record;
    record.key = std::string(key);
    if (rows.rows() == 0) return record;
    ASSIGN_OR_RETURN(record.count, rows.Int64(0, 0));
    ASSIGN_OR_RETURN(record.since, rows.Time(0, 1));
    ASSIGN_OR_RETURN(record.locked_until, rows.Time(0, 2));
    return record;
  }

  Status SaveThrottle(const ThrottleRecord& record) override {
    RETURN_IF_ERROR(Run(kSaveThrottle, {Text(record.key), Int(record.count), Time(record.since),
                                        Time(record.locked_until)}));
    return Status::Ok();
  }

  Status DeleteThrottle(std::string_view key) override {
    RETURN_IF_ERROR(Run(kDeleteThrottle, {Text(key)}));
    return Status::Ok();
  }

  Result<PurgeCounts> PurgeExpired(const PurgeCutoffs& cutoffs) override {
    PurgeCounts counts;
    ASSIGN_OR_RETURN(PgResult sessions,
                     Run(kPurgeSessions, {Time(cutoffs.session_idle_before),
                                          Time(cutoffs.session_created_before)}));
    counts.sessions = sessions.affected_rows();
    ASSIGN_OR_RETURN(PgResult tokens, Run(kPurgeTokens, {Time(cutoffs.token_ended_before)}));
    counts.api_tokens = tokens.affected_rows();
    ASSIGN_OR_RETURN(PgResult grants, Run(kPurgeGrants, {Time(cutoffs.grant_ended_before)}));
    counts.break_glass_grants = grants.affected_rows();
    ASSIGN_OR_RETURN(PgResult throttle, Run(kPurgeThrottle, {Time(cutoffs.throttle_before)}));
    counts.throttle_records = throttle.affected_rows();
    return counts;
  }

  Status InsertSession(const SessionRecord& session) override {
    RETURN_IF_ERROR(Run(kInsertSession, {Text(session.id_hash), Int(session.user.value()),
                                         Time(session.created_at), Time(session.last_seen_at)}));
    return Status::Ok();
  }

  Result<std::optional<SessionRecord>> FindSession(std::string_view id_hash) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kFindSession, {Text(id_hash)}));
    if (rows.rows() == 0) return std::optional<SessionRecord>();
    SessionRecord session;
    session.id_hash = rows.Text(0, 0);
    ASSIGN_OR_RETURN(std::int64_t user, rows.Int64(0, 1));
    session.user = domain::UserId(user);
    ASSIGN_OR_RETURN(session.created_at, rows.Time(0, 2));
    ASSIGN_OR_RETURN(session.last_seen_at, rows.Time(0, 3));
    return std::optional<SessionRecord>(std::move(session));
  }

  Status TouchSession(std::string_view id_hash, Timestamp last_seen_at) override {
    RETURN_IF_ERROR(Run(kTouchSession, {Text(id_hash), Time(last_seen_at)}));
    return Status::Ok();
  }

  Status DeleteSession(std::string_view id_hash) override {
    RETURN_IF_ERROR(Run(kDeleteSession, {Text(id_hash)}));
    return Status::Ok();
  }

  Result<domain::ApiTokenId> InsertApiToken(const domain::ApiToken& token,
                                            std::string_view token_hash) override {
    ASSIGN_OR_RETURN(
        PgResult rows,
        Run(kInsertApiToken, {Text(token.name), Text(domain::TokenScopeSlug(token.scope)),
                              Int(token.org.value()), Text(token_hash), Time(token.created_at),
                              OptionalTime(token.expires_at), OptionalTime(token.revoked_at)}));
    ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(0, 0));
    return domain::ApiTokenId(id);
  }

  Result<std::optional<domain::ApiToken>> FindApiTokenByHash(std::string_view token_hash) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kFindApiTokenByHash, {Text(token_hash)}));
    if (rows.rows() == 0) return std::optional<domain::ApiToken>();
    ASSIGN_OR_RETURN(domain::ApiToken token, ApiTokenFromRow(rows, 0));
    return std::optional<domain::ApiToken>(std::move(token));
  }

  Result<std::vector<domain::ApiToken>> ListApiTokens() override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kListApiTokens, {}));
    return AllRows(rows, &ApiTokenFromRow);
  }

  Status RevokeApiToken(domain::ApiTokenId id, Timestamp at) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kRevokeApiToken, {Int(id.value()), Time(at)}));
    if (rows.affected_rows() == 0) return NotFound("not_found", "no API token has this id");
    return Status::Ok();
  }

  Status UpdatePerson(const Person& person) override {
    PgParams params = PersonParams(person);
    params.insert(params.begin(), Int(person.id.value()));
    ASSIGN_OR_RETURN(PgResult rows, Run(kUpdatePerson, params));
    ASSIGN_OR_RETURN(std::int64_t clashes, rows.Int64(0, 0));
    ASSIGN_OR_RETURN(std::int64_t updated, rows.Int64(0, 1));
    if (clashes > 0) return DuplicateNhsNumber();
    if (updated == 0) return PersonNotFound(person.id);
    return Status::Ok();
  }

  Result<Person> GetPerson(PersonId id) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kGetPerson, {Int(id.value())}));
    if (rows.rows() == 0) return PersonNotFound(id);
    return PersonFromRow(rows, 0);
  }

  Result<std::optional<Person>> FindPersonByNhsNumber(
      const domain::NhsNumber& nhs_number) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kFindPersonByNhsNumber, {Text(nhs_number.digits())}));
    if (rows.rows() == 0) return std::optional<Person>();
    ASSIGN_OR_RETURN(Person person, PersonFromRow(rows, 0));
    return std::optional<Person>(std::move(person));
  }

  Result<std::int64_t> InsertWorklistRun(const WorklistRun& run) override {
    ASSIGN_OR_RETURN(
        PgResult rows,
        Run(kInsertWorklistRun, {Time(run.created_at),
                                 run.range_from ? Text(FormatDate(*run.range_from)) : std::nullopt,
                                 run.range_to ? Text(FormatDate(*run.range_to)) : std::nullopt,
                                 Int(run.history_days), Int(run.item_count)}));
    return rows.Int64(0, 0);
  }

  Status InsertWorklistEntry(std::int64_t run_id, const WorklistEntry& entry) override {
    ASSIGN_OR_RETURN(
        PgResult rows,
        Run(kInsertWorklistEntry,
            {Int(run_id), Int(entry.position), Text(entry.attendance_id), Text(entry.site_code),
             Time(entry.arrival), entry.age_days ? Int(*entry.age_days) : std::nullopt,
             Text(entry.level), Text(entry.person_key), Text(entry.findings_json)}));
    if (rows.affected_rows() == 0) {
      return AlreadyExists("duplicate_worklist_position",
                           "this worklist position is already stored", "position");
    }
    return Status::Ok();
  }

  Status FinishWorklistRun(std::int64_t run_id, std::int64_t item_count) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kFinishWorklistRun, {Int(run_id), Int(item_count)}));
    if (rows.affected_rows() == 0) {
      return NotFound("not_found", "no worklist run has this id");
    }
    return Status::Ok();
  }

  Result<std::optional<WorklistRun>> LatestWorklistRun() override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kLatestWorklistRun, {}));
    if (rows.rows() == 0) return std::optional<WorklistRun>();
    WorklistRun run;
    ASSIGN_OR_RETURN(run.id, rows.Int64(0, 0));
    ASSIGN_OR_RETURN(run.created_at, rows.Time(0, 1));
    for (int column : {2, 3}) {
      if (rows.IsNull(0, column)) continue;
      Result<std::chrono::year_month_day> date = ParseDate(rows.Text(0, column));
      if (!date.ok()) return CorruptRow("worklist run");
      (column == 2 ? run.range_from : run.range_to) = *date;
    }
    ASSIGN_OR_RETURN(std::int64_t history_days, rows.Int64(0, 4));
    run.history_days = static_cast<int>(history_days);
    ASSIGN_OR_RETURN(run.item_count, rows.Int64(0, 5));
    return std::optional<WorklistRun>(run);
  }

  Result<std::vector<WorklistEntry>> ListWorklistEntries(std::int64_t run_id) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kListWorklistEntries, {Int(run_id)}));
    std::vector<WorklistEntry> entries;
    for (int row = 0; row < rows.rows(); ++row) {
      WorklistEntry entry;
      ASSIGN_OR_RETURN(entry.position, rows.Int64(row, 0));
      entry.attendance_id = rows.Text(row, 1);
      entry.site_code = rows.Text(row, 2);
      ASSIGN_OR_RETURN(entry.arrival, rows.Time(row, 3));
      if (!rows.IsNull(row, 4)) {
        ASSIGN_OR_RETURN(std::int64_t age, rows.Int64(row, 4));
        entry.age_days = age;
      }
      entry.level = rows.Text(row, 5);
      entry.person_key = rows.Text(row, 6);
      entry.findings_json = rows.Text(row, 7);
      entries.push_back(std::move(entry));
    }
    return entries;
  }

  Result<AttendanceRecordId> InsertAttendanceVersion(const AttendanceVersion& version) override {
    ASSIGN_OR_RETURN(
        PgResult rows,
        Run(kInsertAttendanceVersion,
            {Text(version.site_code), Text(version.attendance_id), Int(version.version),
             Text(version.content_hash), Text(version.document), Time(version.arrival),
             version.verified_nhs_number ? Text(version.verified_nhs_number->digits())
                                         : std::nullopt,
             Time(version.received_at), version.owner ? Int(version.owner->value()) : std::nullopt,
             Text(version.site_status == SiteStatus::kConfigured ? "true" : "false")}));
    if (rows.rows() == 0) {
      return AlreadyExists("duplicate_attendance_version",
                           "this version of the attendance is already stored", "/attendance_id");
    }
    ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(0, 0));
    return AttendanceRecordId(id);
  }

  Result<std::optional<AttendanceVersion>> LatestAttendance(
      std::string_view site_code, std::string_view attendance_id) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kLatestAttendance, {Text(site_code), Text(attendance_id)}));
    if (rows.rows() == 0) return std::optional<AttendanceVersion>();
    ASSIGN_OR_RETURN(AttendanceVersion version, AttendanceFromRow(rows, 0));
    return std::optional<AttendanceVersion>(std::move(version));
  }

  Result<std::vector<AttendanceVersion>> ListAttendanceVersions(
      std::string_view site_code, std::string_view attendance_id) override {
    ASSIGN_OR_RETURN(PgResult rows,
                     Run(kListAttendanceVersions, {Text(site_code), Text(attendance_id)}));
    return AllRows(rows, &AttendanceFromRow);
  }

  Result<std::int64_t> CountAttendanceVersions() override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kCountAttendanceVersions, {}));
    return rows.Int64(0, 0);
  }

  Result<std::int64_t> InsertRegisterUpload(const RegisterUpload& upload) override {
    ASSIGN_OR_RETURN(
        PgResult rows,
        Run(kInsertRegisterUpload, {Int(upload.org.value()), Text(upload.mode), Text(upload.actor),
                                    Time(upload.received_at), Int(upload.read),
                                    Int(upload.accepted), Int(upload.rejected)}));
    return rows.Int64(0, 0);
  }

  Status UpdateRegisterUploadCounts(const RegisterUpload& upload) override {
    ASSIGN_OR_RETURN(PgResult rows,
                     Run(kUpdateRegisterUploadCounts, {Int(upload.read), Int(upload.accepted),
                                                       Int(upload.rejected), Int(upload.id)}));
    if (rows.affected_rows() == 0) return NotFound("not_found", "no register upload has this id");
    return Status::Ok();
  }

  Result<domain::RegisterEntryId> UpsertRegisterEntry(const domain::RegisterEntry& entry,
                                                      std::int64_t upload_id) override {
    ASSIGN_OR_RETURN(
        PgResult rows,
        Run(kUpsertRegisterEntry,
            {Int(entry.owner.value()), Text(entry.local_id), OptionalNhs(entry.nhs_number),
             Text(entry.given_name), Text(entry.family_name), OptionalDate(entry.birth_date),
             Text(domain::SexSlug(entry.sex)), Text(entry.postcode),
             Text(domain::RegisterStatusSlug(entry.status)), Text(entry.plan_category),
             OptionalDate(entry.start_date), OptionalDate(entry.end_date),
             Text(entry.responsible_org), Text(entry.contact_in_hours),
             Text(entry.contact_out_of_hours), Text(entry.allocated_worker),
             OptionalNhs(entry.mother_nhs_number), Text(entry.data_quality), Int(upload_id)}));
    ASSIGN_OR_RETURN(std::int64_t id, rows.Int64(0, 0));
    return domain::RegisterEntryId(id);
  }

  Result<std::optional<domain::RegisterEntry>> FindRegisterEntry(
      OrgId owner, std::string_view local_id) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kFindRegisterEntry, {Int(owner.value()), Text(local_id)}));
    if (rows.rows() == 0) return std::optional<domain::RegisterEntry>();
    ASSIGN_OR_RETURN(domain::RegisterEntry entry, RegisterEntryFromRow(rows, 0));
    return std::optional<domain::RegisterEntry>(std::move(entry));
  }

  Result<domain::RegisterEntry> GetRegisterEntry(domain::RegisterEntryId id) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kGetRegisterEntry, {Int(id.value())}));
    if (rows.rows() == 0) return NotFound("not_found", "no register entry has this id");
    return RegisterEntryFromRow(rows, 0);
  }

  Result<bool> DeleteRegisterEntry(OrgId owner, std::string_view local_id) override {
    ASSIGN_OR_RETURN(PgResult rows,
                     Run(kDeleteRegisterEntry, {Int(owner.value()), Text(local_id)}));
    return rows.affected_rows() > 0;
  }

  Result<std::int64_t> DeleteRegisterEntriesOutside(OrgId owner, std::int64_t upload_id) override {
    ASSIGN_OR_RETURN(PgResult rows,
                     Run(kDeleteRegisterEntriesOutside, {Int(owner.value()), Int(upload_id)}));
    return rows.affected_rows();
  }

  Result<std::int64_t> CountRegisterEntries(OrgId owner) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kCountRegisterEntries, {Int(owner.value())}));
    return rows.Int64(0, 0);
  }

  Result<std::vector<domain::RegisterEntry>> ListRegisterEntries() override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kListRegisterEntries, {}));
    return AllRows(rows, &RegisterEntryFromRow);
  }

  Result<std::int64_t> LatestRegisterUploadId() override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kLatestRegisterUploadId, {}));
    return rows.Int64(0, 0);
  }

  Result<std::vector<domain::RegisterEntry>> FindRegisterEntriesByNhsNumber(
      const domain::NhsNumber& nhs_number) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kRegisterEntriesByNhs, {Text(nhs_number.digits())}));
    return AllRows(rows, &RegisterEntryFromRow);
  }

  Result<std::vector<domain::RegisterEntry>> FindUnbornEntriesByMother(
      const domain::NhsNumber& mother) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kUnbornEntriesByMother, {Text(mother.digits())}));
    return AllRows(rows, &RegisterEntryFromRow);
  }

  Result<std::vector<domain::RegisterEntry>> FindRegisterEntriesBornOn(
      const std::vector<std::chrono::year_month_day>& dates) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kRegisterEntriesBornOn, {DateArray(dates)}));
    return AllRows(rows, &RegisterEntryFromRow);
  }

  Status InsertRegisterAccess(const RegisterAccess& access) override {
    ASSIGN_OR_RETURN(
        PgResult rows,
        Run(kInsertRegisterAccess, {Int(access.entry.value()), Time(access.at), Text(access.actor),
                                    Text(access.kind), Text(access.org_code), Text(access.site)}));
    (void)rows;
    return Status::Ok();
  }

  Result<std::vector<RegisterAccess>> ListRegisterAccesses(domain::RegisterEntryId entry,
                                                           int limit) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kListRegisterAccesses, {Int(entry.value()), Int(limit)}));
    return AllRows(rows, &RegisterAccessFromRow);
  }

  Result<std::int64_t> InsertRegisterAlert(const RegisterAlert& alert) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kInsertRegisterAlert,
                                        {Int(alert.attendance.value()), Int(alert.entry.value()),
                                         Text(alert.basis), Text(alert.concern_level),
                                         Text(alert.detail), Time(alert.created_at)}));
    return rows.Int64(0, 0);
  }

  Result<std::vector<RegisterAlert>> ListRegisterAlerts(AttendanceRecordId attendance) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kListRegisterAlerts, {Int(attendance.value())}));
    return AllRows(rows, &RegisterAlertFromRow);
  }

  Result<RegisterReviewItem> InsertReviewItem(const RegisterReviewItem& item) override {
    ASSIGN_OR_RETURN(
        PgResult rows,
        Run(kInsertReviewItem,
            {Int(item.entry.value()), Text(item.subject_key), Text(item.subject),
             item.attendance ? Int(item.attendance->value()) : std::nullopt,
             Int(item.reviewing_org.value()), DoubleText(item.probability), Text(item.explanation),
             Text(item.state), Text(item.decision), Text(item.first_reviewer),
             Text(item.second_reviewer), Time(item.created_at),
             item.decided_at ? Time(*item.decided_at) : std::nullopt}));
    (void)rows;
    ASSIGN_OR_RETURN(std::optional<RegisterReviewItem> stored,
                     FindReviewItem(item.entry, item.subject_key));
    if (!stored) return Internal("review_insert_lost", "the review item was not stored");
    return *std::move(stored);
  }

  Result<RegisterReviewItem> GetReviewItem(std::int64_t id) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kGetReviewItem, {Int(id)}));
    if (rows.rows() == 0) return NotFound("not_found", "no review item has this id");
    return ReviewItemFromRow(rows, 0);
  }

  Result<std::vector<RegisterReviewItem>> ListOpenReviewItems(OrgId reviewing_org) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kListOpenReviewItems, {Int(reviewing_org.value())}));
    return AllRows(rows, &ReviewItemFromRow);
  }

  Status UpdateReviewItem(const RegisterReviewItem& item) override {
    ASSIGN_OR_RETURN(PgResult rows,
                     Run(kUpdateReviewItem,
                         {Text(item.state), Text(item.decision), Text(item.first_reviewer),
                          Text(item.second_reviewer),
                          item.decided_at ? Time(*item.decided_at) : std::nullopt, Int(item.id)}));
    if (rows.affected_rows() == 0) return NotFound("not_found", "no review item has this id");
    return Status::Ok();
  }

  Result<std::optional<RegisterReviewItem>> FindReviewItem(domain::RegisterEntryId entry,
                                                           std::string_view subject_key) override {
    ASSIGN_OR_RETURN(PgResult rows, Run(kFindReviewItem, {Int(entry.value()), Text(subject_key)}));
    if (rows.rows() == 0) return std::optional<RegisterReviewItem>();
    ASSIGN_OR_RETURN(RegisterReviewItem item, ReviewItemFromRow(rows, 0));
    return std::optional<RegisterReviewItem>(std::move(item));
  }

  Result<AuditHead> LockAuditHead() override {
    RETURN_IF_ERROR(Run(kAuditLock, {}));
    // A separate statement from the lock: under READ COMMITTED it takes a fresh snapshot, so
    // it sees the event the previous lock holder committed just before releasing.
    ASSIGN_OR_RETURN(PgResult rows, Run(kAuditHead, {}));
    AuditHead head;
    if (rows.rows() == 0) {
      head.hash = domain::GenesisHash();
      return head;
    }
    ASSIGN_OR_RETURN(head.seq, rows.Int64(0, 0));
    head.hash = rows.Text(0, 1);
    return head;
  }

  Status InsertAuditEvent(const AuditEvent& event) override {
    const domain::AuditEntry& entry = event.entry;
    RETURN_IF_ERROR(Run(kInsertAuditEvent,
                        {Int(event.seq), Time(event.at), Text(entry.actor), Text(entry.action),
                         Text(entry.record_type), Text(entry.record_id), Text(entry.reason),
                         Text(entry.outcome), Text(event.prev_hash), Text(event.hash)}));
    return Status::Ok();
  }

  Result<std::int64_t> EnqueueNotification(const NewNotification& notification) override {
    ASSIGN_OR_RETURN(
        PgResult inserted,
        Run(kEnqueueNotification, {Text(notification.idempotency_key), Text(notification.topic),
                                   Text(notification.payload), Time(notification.created_at)}));
    if (inserted.rows() > 0) return inserted.Int64(0, 0);
    // ON CONFLICT waited for any concurrent inserter of the key to finish, and this new
    // statement's snapshot sees its committed row.
    ASSIGN_OR_RETURN(PgResult existing,
                     Run(kNotificationIdByKey, {Text(notification.idempotency_key)}));
    if (existing.rows() == 0) {
      return Internal("database_error", "an outbox idempotency key conflicted but has no row");
    }
    return existing.Int64(0, 0);
  }

  Status Commit() override {
    if (finished_) return FinishedError();
    finished_ = true;
    ASSIGN_OR_RETURN(PgResult result, lease_->Exec("COMMIT", "commit"));
    // COMMIT of a transaction that already failed succeeds as a command but rolls back.
    if (result.command_status() != "COMMIT") {
      return Status(StatusCode::kAborted, "transaction_aborted",
                    "the unit of work rolled back because an earlier statement failed");
    }
    return Status::Ok();
  }

 private:
  Result<PgResult> Run(const PgStatement& statement, const PgParams& params) {
    if (finished_) return FinishedError();
    return lease_->Run(statement, params);
  }

  static Status OrganisationNotFound(OrgId id) {
    return NotFound("not_found", "organisation " + std::to_string(id.value()) + " not found");
  }
  static Status PersonNotFound(PersonId id) {
    return NotFound("not_found", "person " + std::to_string(id.value()) + " not found");
  }
  static Status DuplicateNhsNumber() {
    return AlreadyExists("duplicate_nhs_number", "another person already has this NHS number",
                         "/nhs_number");
  }

  PgConnectionPool::Lease lease_;
  bool finished_ = false;
};

// The PostgreSQL Store. Owns (shares) the connection pool. Thread-safe; see Store.
class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::shared_ptr<PgConnectionPool> pool) : pool_(std::move(pool)) {}

  std::string_view Backend() const override { return "postgresql"; }

  Status Migrate() override {
    ASSIGN_OR_RETURN(PgConnectionPool::Lease lease, pool_->Acquire());
    const int latest = LatestSchemaVersion();
    // Version 0 only creates the bookkeeping table (under the lock too: two concurrent
    // CREATE TABLE IF NOT EXISTS can still collide in the catalog) and reads the version.
    int applied = 0;
    for (int version = 0; version <= latest; ++version) {
      if (version > 0 && version <= applied) continue;
      RETURN_IF_ERROR(RetryingIfBroken(
          *lease, [](PgConnection& c) { return c.Exec("BEGIN", "begin migration"); }));
      Result<int> now_applied = ApplyLocked(*lease, version);
      if (!now_applied.ok()) {
        (void)lease->Exec("ROLLBACK", "rollback migration");
        return now_applied.status();
      }
      RETURN_IF_ERROR(lease->Exec("COMMIT", "commit migration"));
      applied = *now_applied;
    }
    return Status::Ok();
  }

  Result<int> SchemaVersion() override {
    ASSIGN_OR_RETURN(PgConnectionPool::Lease lease, pool_->Acquire());
    ASSIGN_OR_RETURN(PgResult exists, RetryingIfBroken(*lease, [](PgConnection& c) {
                       return c.Run(kMigrationsTableExists, {});
                     }));
    if (exists.Text(0, 0) != "t") return 0;
    ASSIGN_OR_RETURN(PgResult rows, lease->Run(kSchemaVersion, {}));
    ASSIGN_OR_RETURN(std::int64_t version, rows.Int64(0, 0));
    return static_cast<int>(version);
  }

  int LatestSchemaVersion() const override { return static_cast<int>(PostgresMigrations().size()); }

  Result<std::unique_ptr<UnitOfWork>> Begin() override {
    ASSIGN_OR_RETURN(PgConnectionPool::Lease lease, pool_->Acquire());
    RETURN_IF_ERROR(
        RetryingIfBroken(*lease, [](PgConnection& c) { return c.Exec("BEGIN", "begin"); }));
    return std::unique_ptr<UnitOfWork>(std::make_unique<PostgresUnitOfWork>(std::move(lease)));
  }

  Status Ping() override {
    ASSIGN_OR_RETURN(PgConnectionPool::Lease lease, pool_->Acquire());
    RETURN_IF_ERROR(RetryingIfBroken(*lease, [](PgConnection& c) { return c.Run(kPing, {}); }));
    return Status::Ok();
  }

  Status ScanAudit(const std::function<Status(const AuditEvent&)>& visit) override {
    // Keyset chunks on seq, each its own statement, with the connection returned to the pool
    // while `visit` runs (it may itself use the store). The trail is append-only with gapless
    // seq, so chunks cannot skip or repeat an event.
    std::int64_t after = 0;
    for (;;) {
      std::vector<AuditEvent> chunk;
      {
        ASSIGN_OR_RETURN(PgConnectionPool::Lease lease, pool_->Acquire());
        ASSIGN_OR_RETURN(PgResult rows, RetryingIfBroken(*lease, [&](PgConnection& c) {
                           return c.Run(kScanAudit, {Int(after), Int(kAuditScanChunk)});
                         }));
        ASSIGN_OR_RETURN(chunk, AllRows(rows, &AuditEventFromRow));
      }
      for (const AuditEvent& event : chunk) RETURN_IF_ERROR(visit(event));
      if (static_cast<int>(chunk.size()) < kAuditScanChunk) return Status::Ok();
      after = chunk.back().seq;
    }
  }

  Result<std::vector<Notification>> ClaimDueNotifications(Timestamp now, int limit,
                                                          std::chrono::seconds lease) override {
    if (limit <= 0) return std::vector<Notification>();
    ASSIGN_OR_RETURN(PgConnectionPool::Lease connection, pool_->Acquire());
    ASSIGN_OR_RETURN(PgResult rows, connection->Run(kClaimDueNotifications,
                                                    {Time(now), Time(now + lease), Int(limit)}));
    ASSIGN_OR_RETURN(std::vector<Notification> claimed, AllRows(rows, &NotificationFromRow));
    // UPDATE ... RETURNING has no defined order.
    std::sort(claimed.begin(), claimed.end(),
              [](const Notification& a, const Notification& b) { return a.id < b.id; });
    return claimed;
  }

  Status MarkDelivered(std::int64_t id, Timestamp at) override {
    ASSIGN_OR_RETURN(PgConnectionPool::Lease lease, pool_->Acquire());
    ASSIGN_OR_RETURN(PgResult rows, lease->Run(kMarkDelivered, {Int(id), Time(at)}));
    if (rows.affected_rows() == 0) return NotificationNotFound(id);
    return Status::Ok();
  }

  Status MarkFailed(std::int64_t id, std::string_view error, Timestamp retry_at) override {
    ASSIGN_OR_RETURN(PgConnectionPool::Lease lease, pool_->Acquire());
    ASSIGN_OR_RETURN(PgResult rows,
                     lease->Run(kMarkFailed, {Int(id), Text(error), Time(retry_at)}));
    if (rows.affected_rows() == 0) return NotificationNotFound(id);
    return Status::Ok();
  }

  Result<OutboxStats> GetOutboxStats() override {
    ASSIGN_OR_RETURN(PgConnectionPool::Lease lease, pool_->Acquire());
    ASSIGN_OR_RETURN(PgResult rows, RetryingIfBroken(*lease, [](PgConnection& c) {
                       return c.Run(kOutboxStats, {});
                     }));
    OutboxStats stats;
    ASSIGN_OR_RETURN(stats.pending, rows.Int64(0, 0));
    ASSIGN_OR_RETURN(stats.delivered, rows.Int64(0, 1));
    ASSIGN_OR_RETURN(stats.oldest_pending, rows.OptionalTime(0, 2));
    return stats;
  }

 private:
  // Runs inside an open transaction: takes the migration lock, then applies `version` unless
  // another process already has (checked under the lock, so exactly one applies it). Version 0
  // creates schema_migrations. Returns the schema version this transaction leaves.
  static Result<int> ApplyLocked(PgConnection& connection, int version) {
    RETURN_IF_ERROR(connection.Run(kMigrationLock, {}));
    if (version == 0) RETURN_IF_ERROR(connection.Run(kCreateMigrationsTable, {}));
    ASSIGN_OR_RETURN(PgResult rows, connection.Run(kSchemaVersion, {}));
    ASSIGN_OR_RETURN(std::int64_t applied, rows.Int64(0, 0));
    std::span<const char* const> migrations = PostgresMigrations();
    if (applied > static_cast<std::int64_t>(migrations.size())) {
      return FailedPrecondition("schema_too_new", "the database schema is version " +
                                                      std::to_string(applied) +
                                                      ", newer than this build knows (" +
                                                      std::to_string(migrations.size()) + ")");
    }
    if (version == 0 || applied >= version) return static_cast<int>(applied);
    std::string what = "migration " + std::to_string(version);
    RETURN_IF_ERROR(connection.Exec(migrations[static_cast<size_t>(version - 1)], what.c_str()));
    RETURN_IF_ERROR(connection.Run(kRecordMigration, {Int(version)}));
    return version;
  }

  static Status NotificationNotFound(std::int64_t id) {
    return NotFound("not_found", "notification " + std::to_string(id) + " not found");
  }

  std::shared_ptr<PgConnectionPool> pool_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenPostgresStore(std::string_view url,
                                                 const StoreOptions& options) {
  RETURN_IF_ERROR(CheckPostgresUrl(url));
  auto pool = PgConnectionPool::Create(std::string(url), options.pool_size, options.busy_timeout);
  // One connection up front, so a wrong host or password fails here rather than at first use.
  RETURN_IF_ERROR(pool->Acquire());
  return std::unique_ptr<Store>(std::make_unique<PostgresStore>(std::move(pool)));
}

}  // namespace liaison::storage
