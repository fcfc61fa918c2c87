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

// Security, second slice (#3): disabled accounts, involvement in a case (the policy's
// relationship), break-glass grants and their review, and sign-in throttle state shared by
// every process. Throttle keys are BLAKE2b hashes of the username or client address, so the
// table holds no attacker-chosen text. Self-contained: only references tables of migrations 1-2.
constexpr std::string_view kMigration4 = R"sql(
ALTER TABLE users ADD COLUMN disabled_at TEXT;
CREATE TABLE case_involvements (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  user_id INTEGER REFERENCES users(id),
  team_id INTEGER REFERENCES teams(id),
  source TEXT NOT NULL CHECK (source IN ('recorded', 'assigned')),
  assigned_by TEXT NOT NULL,
  created_at TEXT NOT NULL,
  CHECK ((user_id IS NULL) <> (team_id IS NULL)),
  UNIQUE (person_id, user_id),
  UNIQUE (person_id, team_id)
);
CREATE TABLE break_glass_grants (
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  person_id INTEGER NOT NULL REFERENCES people(id),
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  reason TEXT NOT NULL,
  granted_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  reviewed_at TEXT,
  reviewed_by INTEGER REFERENCES users(id),
  review_outcome TEXT,
  review_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX break_glass_active ON break_glass_grants(user_id, person_id, expires_at);
CREATE INDEX break_glass_unreviewed ON break_glass_grants(org_id, id) WHERE reviewed_at IS NULL;
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY,
  count INTEGER NOT NULL,
  since TEXT NOT NULL,
  locked_until TEXT NOT NULL
);
)sql";

// The register (#6): entries uploaded by local authorities, their uploads, alerts raised on
// attendances, accesses ("the last 25 accesses"), and the potential-match review queue.
// Dates are 'YYYY-MM-DD' text; nhs_number and mother_nhs_number hold valid numbers only.
// Alerts and accesses name entries without a foreign key: a full replacement may delete an
// entry, and what was shown and who looked must outlive it.
constexpr std::string_view kMigration5 = R"sql(
CREATE TABLE register_uploads (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  mode TEXT NOT NULL CHECK (mode IN ('full', 'delta')),
  actor TEXT NOT NULL,
  received_at TEXT NOT NULL,
  rows_read INTEGER NOT NULL DEFAULT 0,
  rows_accepted INTEGER NOT NULL DEFAULT 0,
  rows_rejected INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE register_entries (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organisations(id),
  local_id TEXT NOT NULL,
  nhs_number TEXT,
  given_name TEXT NOT NULL,
  family_name TEXT NOT NULL,
  birth_date TEXT,
  sex TEXT NOT NULL,
  postcode TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('cp_plan', 'looked_after', 'unborn_cp_plan',
                                         'child_in_need')),
  plan_category TEXT NOT NULL,
  start_date TEXT,
  end_date TEXT,
  responsible_org TEXT NOT NULL,
  contact_in_hours TEXT NOT NULL,
  contact_out_of_hours TEXT NOT NULL,
  allocated_worker TEXT NOT NULL,
  mother_nhs_number TEXT,
  data_quality TEXT NOT NULL,
  upload_id INTEGER NOT NULL REFERENCES register_uploads(id),
  UNIQUE (org_id, local_id)
);
CREATE INDEX register_entries_nhs ON register_entries(nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX register_entries_mother ON register_entries(mother_nhs_number)
  WHERE mother_nhs_number IS NOT NULL;
CREATE INDEX register_entries_birth ON register_entries(birth_date);
CREATE INDEX register_entries_upload ON register_entries(org_id, upload_id);
CREATE TABLE register_accesses (
  id INTEGER PRIMARY KEY,
  entry_id INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  kind TEXT NOT NULL,
  org_code TEXT NOT NULL,
  site TEXT NOT NULL
);
CREATE INDEX register_accesses_entry ON register_accesses(entry_id, id);
CREATE TABLE register_alerts (
  id INTEGER PRIMARY KEY,
  attendance_id INTEGER NOT NULL REFERENCES attendances(id),
  entry_id INTEGER NOT NULL,
  basis TEXT NOT NULL,
  concern_level TEXT NOT NULL,
  detail TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX register_alerts_attendance ON register_alerts(attendance_id);
CREATE TABLE register_review_items (
  id INTEGER PRIMARY KEY,
  entry_id INTEGER NOT NULL,
  subject_key TEXT NOT NULL,
  subject TEXT NOT NULL,
  attendance_id INTEGER REFERENCES attendances(id),
  reviewing_org_id INTEGER NOT NULL REFERENCES organisations(id),
  probability REAL NOT NULL,
  explanation TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('open', 'awaiting_second_review', 'decided')),
  decision TEXT NOT NULL CHECK (decision IN ('', 'must_link', 'cannot_link')),
  first_reviewer TEXT NOT NULL,
  second_reviewer TEXT NOT NULL,
  created_at TEXT NOT NULL,
  decided_at TEXT,
  UNIQUE (entry_id, subject_key)
);
CREATE INDEX register_review_open ON register_review_items(reviewing_org_id, id)
  WHERE state <> 'decided';
)sql";

// Worklists of the ED sweep (#5): one row per `liaison sweep --db` run and one per worklist
// line, in the contract's order (position). Self-contained: no reference to other tables.
constexpr std::string_view kMigration6 = R"sql(
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
                                            kMigration4, kMigration5, kMigration6};

}  // namespace

std::span<const std::string_view> Migrations() { return kMigrations; }

}  // namespace liaison::storage::sqlite_internal
