#include "storage/sqlite/sqlite_migrations.h"

namespace liaison::storage::sqlite_internal {
namespace {

constexpr std::string_view kMigration1 = R"sql(
CREATE TABLE organisations (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('trust', 'local_authority'))
);
CREATE TABLE sites (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL
);
CREATE INDEX sites_org ON sites(org_id);
CREATE TABLE teams (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  UNIQUE (org_id, code)
);
CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  nhs_number TEXT UNIQUE,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  birth_date TEXT,
  sex TEXT NOT NULL,
  postcode TEXT NOT NULL
);
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  record_type TEXT NOT NULL,
  record_id TEXT NOT NULL,
  reason TEXT NOT NULL,
  outcome TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE outbox (
  id INTEGER PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  topic TEXT NOT NULL,
  payload TEXT NOT NULL,
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT NOT NULL,
  delivered_at TEXT,
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox(next_attempt_at) WHERE delivered_at IS NULL;
)sql";

// Sign-in, sessions, API tokens, and the organisation that owns each person (#3). People
// recorded before this migration have no owner, and so are outside every user's scope.
constexpr std::string_view kMigration2 = R"sql(
ALTER TABLE people ADD COLUMN owner_org_id INTEGER REFERENCES organisations(id);
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  team_id INTEGER REFERENCES teams(id),
  password_hash TEXT NOT NULL
);
CREATE TABLE sessions (
  id_hash TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  scope TEXT NOT NULL,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  expires_at TEXT,
  revoked_at TEXT
);
)sql";

// Attendances (#4): one row per version of (site_code, attendance_id); every version is kept.
// No foreign key to sites: an unknown site code is accepted and marked unconfigured.
// nhs_number holds verified numbers only; an unverified one stays inside the document.
constexpr std::string_view kMigration3 = R"sql(
CREATE TABLE attendances (
  id INTEGER PRIMARY KEY,
  site_code TEXT NOT NULL,
  attendance_id TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  content_hash TEXT NOT NULL,
  document TEXT NOT NULL,
  arrival TEXT NOT NULL,
  nhs_number TEXT,
  received_at TEXT NOT NULL,
  owner_org_id INTEGER REFERENCES organisations(id),
  site_configured INTEGER NOT NULL CHECK (site_configured IN (0, 1)),
  UNIQUE (site_code, attendance_id, version)
);
CREATE INDEX attendances_nhs_number ON attendances(nhs_number) WHERE nhs_number IS NOT NULL;
)sql";

// Worklists of the ED sweep (#5): one row per `liaison sweep --db` run and one per worklist
// line, in the contract's order (position). Self-contained: no reference to other tables.
constexpr std::string_view kMigrationWorklists = R"sql(
CREATE TABLE worklist_runs (
  id INTEGER PRIMARY KEY,
  created_at TEXT NOT NULL,
  range_from TEXT,
  range_to TEXT,
  history_days INTEGER NOT NULL CHECK (history_days >= 0),
  item_count INTEGER NOT NULL CHECK (item_count >= 0)
);
CREATE TABLE worklist_items (
  run_id INTEGER NOT NULL REFERENCES worklist_runs(id) ON DELETE CASCADE,
  position INTEGER NOT NULL CHECK (position >= 1),
  attendance_id TEXT NOT NULL,
  site_code TEXT NOT NULL,
  arrival TEXT NOT NULL,
  age_days INTEGER,
  level TEXT NOT NULL CHECK (level IN ('review', 'prompt', 'consider', 'suspect')),
  person_key TEXT NOT NULL,
  findings TEXT NOT NULL,
  PRIMARY KEY (run_id, position)
);
CREATE INDEX worklist_items_attendance ON worklist_items(site_code, attendance_id);
)sql";

constexpr std::string_view kMigrations[] = {kMigration1, kMigration2, kMigration3,
                                            kMigrationWorklists};

}  // namespace

std::span<const std::string_view> Migrations() { return kMigrations; }

}  // namespace liaison::storage::sqlite_internal
