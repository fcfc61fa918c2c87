#include "storage/postgres/postgres_migrations.h"

#include <array>

namespace liaison::storage {
namespace {

// Constraint names are spelled out because postgres_connection.cc maps unique violations to
// "duplicate_code" / "duplicate_nhs_number" by name.
constexpr const char* kMigration1 = R"sql(
CREATE TABLE organisations (
  id   bigserial PRIMARY KEY,
  code text NOT NULL CONSTRAINT organisations_code_key UNIQUE,
  name text NOT NULL,
  kind text NOT NULL
);

CREATE TABLE sites (
  id     bigserial PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES organisations (id),
  code   text NOT NULL CONSTRAINT sites_code_key UNIQUE,
  name   text NOT NULL
);
CREATE INDEX sites_org_id_idx ON sites (org_id);

CREATE TABLE teams (
  id     bigserial PRIMARY KEY,
  org_id bigint NOT NULL REFERENCES organisations (id),
  code   text NOT NULL,
  name   text NOT NULL,
  kind   text NOT NULL,
  CONSTRAINT teams_org_id_code_key UNIQUE (org_id, code)
);

-- NULL nhs_number means no verified number; UNIQUE allows any number of NULLs.
CREATE TABLE people (
  id          bigserial PRIMARY KEY,
  nhs_number  text CONSTRAINT people_nhs_number_key UNIQUE,
  given_name  text NOT NULL,
  family_name text NOT NULL,
  birth_date  date,
  sex         text NOT NULL,
  postcode    text NOT NULL
);

-- seq is assigned by the audit log under LockAuditHead's advisory lock, not by a sequence:
-- a sequence would leave gaps on rollback and the chain must have none.
CREATE TABLE audit_events (
  seq         bigint PRIMARY KEY CHECK (seq > 0),
  at          timestamptz NOT NULL,
  actor       text NOT NULL,
  action      text NOT NULL,
  record_type text NOT NULL,
  record_id   text NOT NULL,
  reason      text NOT NULL,
  outcome     text NOT NULL,
  prev_hash   text NOT NULL,
  hash        text NOT NULL
);

CREATE TABLE outbox (
  id              bigserial PRIMARY KEY,
  idempotency_key text NOT NULL CONSTRAINT outbox_idempotency_key_key UNIQUE,
  topic           text NOT NULL,
  payload         text NOT NULL,
  created_at      timestamptz NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  delivered_at    timestamptz,
  last_error      text NOT NULL DEFAULT ''
);
-- Claiming scans only undelivered rows, which stay few while delivered ones pile up.
CREATE INDEX outbox_due_idx ON outbox (next_attempt_at, id) WHERE delivered_at IS NULL;
)sql";

// Sign-in, sessions, API tokens, and the organisation that owns each person (#3). People
// recorded before this migration have no owner, and so are outside every user's scope.
constexpr const char* kMigration2 = R"sql(
ALTER TABLE people ADD COLUMN owner_org_id bigint REFERENCES organisations (id);

CREATE TABLE users (
  id            bigserial PRIMARY KEY,
  username      text NOT NULL CONSTRAINT users_username_key UNIQUE,
  role          text NOT NULL,
  org_id        bigint NOT NULL REFERENCES organisations (id),
  team_id       bigint REFERENCES teams (id),
  password_hash text NOT NULL
);

-- Only a hash of each session id is kept, so a copy of this table cannot sign anyone in.
CREATE TABLE sessions (
  id_hash      text PRIMARY KEY,
  user_id      bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);

CREATE TABLE api_tokens (
  id         bigserial PRIMARY KEY,
  name       text NOT NULL,
  scope      text NOT NULL,
  org_id     bigint NOT NULL REFERENCES organisations (id),
  token_hash text NOT NULL CONSTRAINT api_tokens_token_hash_key UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz,
  revoked_at timestamptz
);
)sql";

// Attendances (#4): one row per version of (site_code, attendance_id); every version is kept.
// No foreign key to sites: an unknown site code is accepted and marked unconfigured.
// nhs_number holds verified numbers only; an unverified one stays inside the document. The
// document is text, not jsonb: jsonb reorders members, and the stored bytes must be exactly
// the canonical bytes that content_hash covers.
constexpr const char* kMigration3 = R"sql(
CREATE TABLE attendances (
  id              bigserial PRIMARY KEY,
  site_code       text NOT NULL,
  attendance_id   text NOT NULL,
  version         integer NOT NULL CHECK (version >= 1),
  content_hash    text NOT NULL,
  document        text NOT NULL,
  arrival         timestamptz NOT NULL,
  nhs_number      text,
  received_at     timestamptz NOT NULL,
  owner_org_id    bigint REFERENCES organisations (id),
  site_configured boolean NOT NULL,
  CONSTRAINT attendances_version_key UNIQUE (site_code, attendance_id, version)
);
CREATE INDEX attendances_nhs_number_idx ON attendances (nhs_number) WHERE nhs_number IS NOT NULL;
)sql";

// Security, second slice (#3): disabled accounts, involvement in a case (the policy's
// relationship), break-glass grants and their review, and sign-in throttle state shared by
// every process. Throttle keys are BLAKE2b hashes of the username or client address, so the
// table holds no attacker-chosen text. Self-contained: only references tables of migrations 1-2.
constexpr const char* kMigration4 = R"sql(
ALTER TABLE users ADD COLUMN disabled_at timestamptz;

CREATE TABLE case_involvements (
  id          bigserial PRIMARY KEY,
  person_id   bigint NOT NULL REFERENCES people (id),
  user_id     bigint REFERENCES users (id),
  team_id     bigint REFERENCES teams (id),
  source      text NOT NULL CHECK (source IN ('recorded', 'assigned')),
  assigned_by text NOT NULL,
  created_at  timestamptz NOT NULL,
  CHECK ((user_id IS NULL) <> (team_id IS NULL)),
  CONSTRAINT case_involvements_user_key UNIQUE (person_id, user_id),
  CONSTRAINT case_involvements_team_key UNIQUE (person_id, team_id)
);

CREATE TABLE break_glass_grants (
  id             bigserial PRIMARY KEY,
  user_id        bigint NOT NULL REFERENCES users (id),
  person_id      bigint NOT NULL REFERENCES people (id),
  org_id         bigint NOT NULL REFERENCES organisations (id),
  reason         text NOT NULL,
  granted_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL,
  reviewed_at    timestamptz,
  reviewed_by    bigint REFERENCES users (id),
  review_outcome text,
  review_note    text NOT NULL DEFAULT ''
);
CREATE INDEX break_glass_active_idx ON break_glass_grants (user_id, person_id, expires_at);
CREATE INDEX break_glass_unreviewed_idx ON break_glass_grants (org_id, id) WHERE reviewed_at IS NULL;

CREATE TABLE login_throttle (
  key          text PRIMARY KEY,
  count        bigint NOT NULL,
  since        timestamptz NOT NULL,
  locked_until timestamptz NOT NULL
);
)sql";

// The register (#6): entries uploaded by local authorities, their uploads, alerts raised on
// attendances, accesses ("the last 25 accesses"), and the potential-match review queue.
// Dates are 'YYYY-MM-DD' text (compared as text, like SQLite); nhs_number and
// mother_nhs_number hold valid numbers only. Alerts and accesses name entries without a
// foreign key: a full replacement may delete an entry, and what was shown and who looked must
// outlive it.
constexpr const char* kMigration5 = R"sql(
CREATE TABLE register_uploads (
  id            bigserial PRIMARY KEY,
  org_id        bigint NOT NULL REFERENCES organisations (id),
  mode          text NOT NULL CHECK (mode IN ('full', 'delta')),
  actor         text NOT NULL,
  received_at   timestamptz NOT NULL,
  rows_read     bigint NOT NULL DEFAULT 0,
  rows_accepted bigint NOT NULL DEFAULT 0,
  rows_rejected bigint NOT NULL DEFAULT 0
);
CREATE TABLE register_entries (
  id                   bigserial PRIMARY KEY,
  org_id               bigint NOT NULL REFERENCES organisations (id),
  local_id             text NOT NULL,
  nhs_number           text,
  given_name           text NOT NULL,
  family_name          text NOT NULL,
  birth_date           text,
  sex                  text NOT NULL,
  postcode             text NOT NULL,
  status               text NOT NULL CHECK (status IN ('cp_plan', 'looked_after',
                                                       'unborn_cp_plan', 'child_in_need')),
  plan_category        text NOT NULL,
  start_date           text,
  end_date             text,
  responsible_org      text NOT NULL,
  contact_in_hours     text NOT NULL,
  contact_out_of_hours text NOT NULL,
  allocated_worker     text NOT NULL,
  mother_nhs_number    text,
  data_quality         text NOT NULL,
  upload_id            bigint NOT NULL REFERENCES register_uploads (id),
  CONSTRAINT register_entries_local_key UNIQUE (org_id, local_id)
);
CREATE INDEX register_entries_nhs_idx ON register_entries (nhs_number)
  WHERE nhs_number IS NOT NULL;
CREATE INDEX register_entries_mother_idx ON register_entries (mother_nhs_number)
  WHERE mother_nhs_number IS NOT NULL;
CREATE INDEX register_entries_birth_idx ON register_entries (birth_date);
CREATE INDEX register_entries_upload_idx ON register_entries (org_id, upload_id);
CREATE TABLE register_accesses (
  id       bigserial PRIMARY KEY,
  entry_id bigint NOT NULL,
  at       timestamptz NOT NULL,
  actor    text NOT NULL,
  kind     text NOT NULL,
  org_code text NOT NULL,
  site     text NOT NULL
);
CREATE INDEX register_accesses_entry_idx ON register_accesses (entry_id, id);
CREATE TABLE register_alerts (
  id            bigserial PRIMARY KEY,
  attendance_id bigint NOT NULL REFERENCES attendances (id),
  entry_id      bigint NOT NULL,
  basis         text NOT NULL,
  concern_level text NOT NULL,
  detail        text NOT NULL,
  created_at    timestamptz NOT NULL
);
CREATE INDEX register_alerts_attendance_idx ON register_alerts (attendance_id);
CREATE TABLE register_review_items (
  id               bigserial PRIMARY KEY,
  entry_id         bigint NOT NULL,
  subject_key      text NOT NULL,
  subject          text NOT NULL,
  attendance_id    bigint REFERENCES attendances (id),
  reviewing_org_id bigint NOT NULL REFERENCES organisations (id),
  probability      double precision NOT NULL,
  explanation      text NOT NULL,
  state            text NOT NULL CHECK (state IN ('open', 'awaiting_second_review', 'decided')),
  decision         text NOT NULL CHECK (decision IN ('', 'must_link', 'cannot_link')),
  first_reviewer   text NOT NULL,
  second_reviewer  text NOT NULL,
  created_at       timestamptz NOT NULL,
  decided_at       timestamptz,
  CONSTRAINT register_review_items_pair_key UNIQUE (entry_id, subject_key)
);
CREATE INDEX register_review_open_idx ON register_review_items (reviewing_org_id, id)
  WHERE state <> 'decided';
)sql";

// Worklists of the ED sweep (#5): one row per `liaison sweep --db` run and one per worklist
// line, in the contract's order (position). Self-contained: no reference to other tables.
// findings is text, not jsonb, so that it keeps the worklist line's bytes.
constexpr const char* kMigration6 = R"sql(
CREATE TABLE worklist_runs (
  id           bigserial PRIMARY KEY,
  created_at   timestamptz NOT NULL,
  range_from   date,
  range_to     date,
  history_days integer NOT NULL CHECK (history_days >= 0),
  item_count   bigint NOT NULL CHECK (item_count >= 0)
);
CREATE TABLE worklist_items (
  run_id        bigint NOT NULL REFERENCES worklist_runs (id) ON DELETE CASCADE,
  position      bigint NOT NULL CHECK (position >= 1),
  attendance_id text NOT NULL,
  site_code     text NOT NULL,
  arrival       timestamptz NOT NULL,
  age_days      bigint,
  level         text NOT NULL CHECK (level IN ('review', 'prompt', 'consider', 'suspect')),
  person_key    text NOT NULL,
  findings      text NOT NULL,
  PRIMARY KEY (run_id, position)
);
CREATE INDEX worklist_items_attendance_idx ON worklist_items (site_code, attendance_id);
)sql";

constexpr std::array<const char*, 6> kMigrations = {kMigration1, kMigration2, kMigration3,
                                                    kMigration4, kMigration5, kMigration6};

}  // namespace

std::span<const char* const> PostgresMigrations() { return kMigrations; }

}  // namespace liaison::storage
