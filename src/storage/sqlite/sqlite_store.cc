#include "storage/sqlite/sqlite_store.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

#include "common/time_format.h"
#include "storage/sqlite/sqlite_connection.h"
#include "storage/sqlite/sqlite_migrations.h"

namespace liaison::storage {
namespace {

using sqlite_internal::Connection;
using sqlite_internal::Statement;

// Connections are expensive to open and hold warm statement caches, so the store keeps them.
// Thread-safe.
class ConnectionPool {
 public:
  ConnectionPool(std::string path, StoreOptions options)
      : path_(std::move(path)), options_(options) {}

  Result<std::unique_ptr<Connection>> Acquire() {
    {
      std::unique_lock lock(mutex_);
      available_.wait(lock, [&] { return !idle_.empty() || open_ < options_.pool_size; });
      if (!idle_.empty()) {
        std::unique_ptr<Connection> connection = std::move(idle_.back());
        idle_.pop_back();
        return connection;
      }
      ++open_;
    }
    Result<std::unique_ptr<Connection>> opened = Connection::Open(path_, options_);
    if (!opened.ok()) {
      std::lock_guard lock(mutex_);
      --open_;
      available_.notify_one();
    }
    return opened;
  }

  void Release(std::unique_ptr<Connection> connection) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(connection));
    available_.notify_one();
  }

 private:
  const std::string path_;
  const StoreOptions options_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mutex_
  int open_ = 0;                                   // guarded by mutex_
};

// Borrows a connection for a scope and gives it back.
class PooledConnection {
 public:
  PooledConnection(ConnectionPool& pool, std::unique_ptr<Connection> connection)
      : pool_(pool), connection_(std::move(connection)) {}
  ~PooledConnection() { pool_.Release(std::move(connection_)); }
  PooledConnection(const PooledConnection&) = delete;
  PooledConnection& operator=(const PooledConnection&) = delete;
  Connection& operator*() { return *connection_; }
  Connection* operator->() { return connection_.get(); }

 private:
  ConnectionPool& pool_;
  std::unique_ptr<Connection> connection_;
};

Result<std::unique_ptr<PooledConnection>> Borrow(ConnectionPool& pool) {
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> connection, pool.Acquire());
  return std::make_unique<PooledConnection>(pool, std::move(connection));
}

// SQLite admits one writer at a time. A writer that finds the write lock taken waits in SQLite's
// busy handler, which sleeps in growing steps of up to 100 ms and so turns a wait of one commit
// (about a millisecond) into tens of milliseconds. This process's writers queue here instead,
// and each is woken as soon as the writer before it is done. The busy timeout still covers
// writers in other processes. A turn waits at most the busy timeout, so a writer that opens a
// second write inside its own gets database_busy, as it did from SQLite, and does not hang.
// A flag under a mutex rather than a std::timed_mutex: ThreadSanitizer does not see the
// latter's timed lock (pthread_mutex_clocklock), and reports each unlock as a bug.
class WriteGate {
 public:
  explicit WriteGate(std::chrono::milliseconds timeout) : timeout_(timeout) {}

  // The right to write, from Enter until it is reset or goes.
  struct Leave {
    void operator()(WriteGate* gate) const { gate->Release(); }
  };
  using Turn = std::unique_ptr<WriteGate, Leave>;

  Result<Turn> Enter() {
    std::unique_lock lock(mutex_);
    if (!free_.wait_for(lock, timeout_, [this] { return !taken_; })) {
      return Unavailable("database_busy", "starting a write: the database is busy");
    }
    taken_ = true;
    return Turn(this);
  }

 private:
  void Release() {
    {
      std::lock_guard lock(mutex_);
      taken_ = false;
    }
    free_.notify_one();
  }

  const std::chrono::milliseconds timeout_;
  std::mutex mutex_;
  std::condition_variable free_;
  bool taken_ = false;  // guarded by mutex_
};

// Runs `work` inside BEGIN IMMEDIATE ... COMMIT, rolling back on failure. The caller holds the
// process's turn to write.
Status InWriteTransaction(Connection& connection, const std::function<Status()>& work) {
  RETURN_IF_ERROR(connection.Exec("BEGIN IMMEDIATE"));
  Status status = work();
  if (status.ok()) status = connection.Exec("COMMIT");
  if (!status.ok()) (void)connection.Exec("ROLLBACK");
  return status;
}

Result<Timestamp> ReadTimestamp(const Statement& statement, int column) {
  Result<Timestamp> at = ParseTimestamp(statement.Text(column));
  if (!at.ok()) return DataLoss("corrupt_timestamp", "a stored timestamp cannot be read");
  return at;
}

domain::Organisation ReadOrganisation(const Statement& row) {
  domain::Organisation org;
  org.id = domain::OrgId(row.Int(0));
  org.code = row.Text(1);
  org.name = row.Text(2);
  org.kind = domain::OrgKindFromSlug(row.Text(3)).value_or(domain::OrgKind::kTrust);
  return org;
}

domain::Site ReadSite(const Statement& row) {
  return {domain::SiteId(row.Int(0)), domain::OrgId(row.Int(1)), row.Text(2), row.Text(3)};
}

Result<domain::Person> ReadPerson(const Statement& row) {
  domain::Person person;
  person.id = domain::PersonId(row.Int(0));
  if (!row.IsNull(1)) {
    Result<domain::NhsNumber> nhs = domain::NhsNumber::Parse(row.Text(1));
    if (!nhs.ok()) return DataLoss("corrupt_person", "a stored NHS number is invalid");
    person.nhs_number = *nhs;
  }
  person.given_name = row.Text(2);
  person.family_name = row.Text(3);
  if (!row.IsNull(4)) {
    Result<std::chrono::year_month_day> birth = ParseDate(row.Text(4));
    if (!birth.ok()) return DataLoss("corrupt_person", "a stored birth date is invalid");
    person.birth_date = *birth;
  }
  person.sex = domain::SexFromText(row.Text(5)).value_or(domain::Sex::kUnknown);
  person.postcode = row.Text(6);
  return person;
}

Result<Notification> ReadNotification(const Statement& row) {
  Notification n;
  n.id = row.Int(0);
  n.idempotency_key = row.Text(1);
  n.topic = row.Text(2);
  n.payload = row.Text(3);
  ASSIGN_OR_RETURN(n.created_at, ReadTimestamp(row, 4));
  n.attempts = static_cast<int>(row.Int(5));
  ASSIGN_OR_RETURN(n.next_attempt_at, ReadTimestamp(row, 6));
  if (!row.IsNull(7)) {
    ASSIGN_OR_RETURN(Timestamp delivered, ReadTimestamp(row, 7));
    n.delivered_at = delivered;
  }
  n.last_error = row.Text(8);
  return n;
}

std::optional<std::string> NhsText(const domain::Person& person) {
  if (!person.nhs_number) return std::nullopt;
  return person.nhs_number->digits();
}

std::optional<std::string> BirthText(const domain::Person& person) {
  if (!person.birth_date) return std::nullopt;
  return FormatDate(*person.birth_date);
}

Status NotFoundRow(std::string_view what) {
  return NotFound("not_found", "no " + std::string(what) + " has this id or code");
}

std::optional<std::string> TeamText(const domain::User& user) {
  if (!user.team) return std::nullopt;
  return std::to_string(user.team->value());
}

std::optional<std::string> OptionalTimeText(const std::optional<Timestamp>& at) {
  if (!at) return std::nullopt;
  return FormatTimestamp(*at);
}

Status DuplicateUsername() {
  return AlreadyExists("duplicate_username", "a user with this username already exists",
                       "/username");
}

constexpr const char* kUserColumns = "id, username, role, org_id, team_id, disabled_at";

Result<domain::User> ReadUser(const Statement& row) {
  domain::User user;
  user.id = domain::UserId(row.Int(0));
  user.username = row.Text(1);
  std::optional<domain::Role> role = domain::RoleFromSlug(row.Text(2));
  if (!role) return DataLoss("corrupt_user", "a stored role is unknown");
  user.role = *role;
  user.org = domain::OrgId(row.Int(3));
  if (!row.IsNull(4)) user.team = domain::TeamId(row.Int(4));
  if (!row.IsNull(5)) {
    ASSIGN_OR_RETURN(Timestamp disabled, ReadTimestamp(row, 5));
    user.disabled_at = disabled;
  }
  return user;
}

constexpr const char* kGrantColumns =
    "id, user_id, person_id, org_id, reason, granted_at, expires_at, reviewed_at, reviewed_by, "
    "review_outcome, review_note";

// Columns as in kGrantColumns.
Result<BreakGlassGrant> ReadGrant(const Statement& row) {
  BreakGlassGrant grant;
  grant.id = row.Int(0);
  grant.user = domain::UserId(row.Int(1));
  grant.person = domain::PersonId(row.Int(2));
  grant.org = domain::OrgId(row.Int(3));
  grant.reason = row.Text(4);
  ASSIGN_OR_RETURN(grant.granted_at, ReadTimestamp(row, 5));
  ASSIGN_OR_RETURN(grant.expires_at, ReadTimestamp(row, 6));
  if (!row.IsNull(7)) {
    ASSIGN_OR_RETURN(Timestamp reviewed, ReadTimestamp(row, 7));
    grant.reviewed_at = reviewed;
  }
  if (!row.IsNull(8)) grant.reviewed_by = domain::UserId(row.Int(8));
  grant.review_outcome = row.Text(9);
  grant.review_note = row.Text(10);
  return grant;
}

constexpr const char* kTokenColumns = "id, name, scope, org_id, created_at, expires_at, revoked_at";

Result<domain::ApiToken> ReadToken(const Statement& row) {
  domain::ApiToken token;
  token.id = domain::ApiTokenId(row.Int(0));
  token.name = row.Text(1);
  std::optional<domain::TokenScope> scope = domain::TokenScopeFromSlug(row.Text(2));
  if (!scope) return DataLoss("corrupt_token", "a stored token scope is unknown");
  token.scope = *scope;
  token.org = domain::OrgId(row.Int(3));
  ASSIGN_OR_RETURN(token.created_at, ReadTimestamp(row, 4));
  if (!row.IsNull(5)) {
    ASSIGN_OR_RETURN(Timestamp expires, ReadTimestamp(row, 5));
    token.expires_at = expires;
  }
  if (!row.IsNull(6)) {
    ASSIGN_OR_RETURN(Timestamp revoked, ReadTimestamp(row, 6));
    token.revoked_at = revoked;
  }
  return token;
}

constexpr const char* kAttendanceColumns =
    "id, site_code, attendance_id, version, content_hash, document, arrival, nhs_number, "
    "received_at, owner_org_id, site_configured";

// Columns as in kAttendanceColumns.
Result<AttendanceVersion> ReadAttendance(const Statement& row) {
  AttendanceVersion version;
  version.id = AttendanceRecordId(row.Int(0));
  version.site_code = row.Text(1);
  version.attendance_id = row.Text(2);
  version.version = row.Int(3);
  version.content_hash = row.Text(4);
  version.document = row.Text(5);
  ASSIGN_OR_RETURN(version.arrival, ReadTimestamp(row, 6));
  if (!row.IsNull(7)) {
    Result<domain::NhsNumber> nhs = domain::NhsNumber::Parse(row.Text(7));
    if (!nhs.ok()) return DataLoss("corrupt_attendance", "a stored NHS number is invalid");
    version.verified_nhs_number = *nhs;
  }
  ASSIGN_OR_RETURN(version.received_at, ReadTimestamp(row, 8));
  if (!row.IsNull(9)) version.owner = domain::OrgId(row.Int(9));
  version.site_status = row.Int(10) != 0 ? SiteStatus::kConfigured : SiteStatus::kUnconfigured;
  return version;
}

// --- the register (#6) ---------------------------------------------------------------------

constexpr const char* kRegisterEntryColumns =
    "id, org_id, local_id, nhs_number, given_name, family_name, birth_date, sex, postcode, "
    "status, plan_category, start_date, end_date, responsible_org, contact_in_hours, "
    "contact_out_of_hours, allocated_worker, mother_nhs_number, data_quality";

std::optional<std::string> OptionalDateText(const std::optional<std::chrono::year_month_day>& d) {
  if (!d) return std::nullopt;
  return FormatDate(*d);
}

std::optional<std::string> OptionalNhsText(const std::optional<domain::NhsNumber>& nhs) {
  if (!nhs) return std::nullopt;
  return nhs->digits();
}

Result<std::optional<std::chrono::year_month_day>> ReadOptionalDate(const Statement& row,
                                                                    int column) {
  if (row.IsNull(column)) return std::optional<std::chrono::year_month_day>();
  Result<std::chrono::year_month_day> date = ParseDate(row.Text(column));
  if (!date.ok()) return DataLoss("corrupt_register_entry", "a stored date is invalid");
  return std::optional<std::chrono::year_month_day>(*date);
}

Result<std::optional<domain::NhsNumber>> ReadOptionalNhs(const Statement& row, int column) {
  if (row.IsNull(column)) return std::optional<domain::NhsNumber>();
  Result<domain::NhsNumber> nhs = domain::NhsNumber::Parse(row.Text(column));
  if (!nhs.ok()) return DataLoss("corrupt_register_entry", "a stored NHS number is invalid");
  return std::optional<domain::NhsNumber>(*nhs);
}

Result<domain::RegisterEntry> ReadRegisterEntry(const Statement& row) {
  domain::RegisterEntry entry;
  entry.id = domain::RegisterEntryId(row.Int(0));
  entry.owner = domain::OrgId(row.Int(1));
  entry.local_id = row.Text(2);
  ASSIGN_OR_RETURN(entry.nhs_number, ReadOptionalNhs(row, 3));
  entry.given_name = row.Text(4);
  entry.family_name = row.Text(5);
  ASSIGN_OR_RETURN(entry.birth_date, ReadOptionalDate(row, 6));
  entry.sex = domain::SexFromText(row.Text(7)).value_or(domain::Sex::kUnknown);
  entry.postcode = row.Text(8);
  std::optional<domain::RegisterStatus> status = domain::RegisterStatusFromSlug(row.Text(9));
  if (!status) return DataLoss("corrupt_register_entry", "a stored status is unknown");
  entry.status = *status;
  entry.plan_category = row.Text(10);
  ASSIGN_OR_RETURN(entry.start_date, ReadOptionalDate(row, 11));
  ASSIGN_OR_RETURN(entry.end_date, ReadOptionalDate(row, 12));
  entry.responsible_org = row.Text(13);
  entry.contact_in_hours = row.Text(14);
  entry.contact_out_of_hours = row.Text(15);
  entry.allocated_worker = row.Text(16);
  ASSIGN_OR_RETURN(entry.mother_nhs_number, ReadOptionalNhs(row, 17));
  entry.data_quality = row.Text(18);
  return entry;
}

constexpr const char* kReviewItemColumns =
    "id, entry_id, subject_key, subject, attendance_id, reviewing_org_id, probability, "
    "explanation, state, decision, first_reviewer, second_reviewer, created_at, decided_at";

Result<RegisterReviewItem> ReadReviewItem(const Statement& row) {
  RegisterReviewItem item;
  item.id = row.Int(0);
  item.entry = domain::RegisterEntryId(row.Int(1));
  item.subject_key = row.Text(2);
  item.subject = row.Text(3);
  if (!row.IsNull(4)) item.attendance = AttendanceRecordId(row.Int(4));
  item.reviewing_org = domain::OrgId(row.Int(5));
  item.probability = std::strtod(row.Text(6).c_str(), nullptr);
  item.explanation = row.Text(7);
  item.state = row.Text(8);
  item.decision = row.Text(9);
  item.first_reviewer = row.Text(10);
  item.second_reviewer = row.Text(11);
  ASSIGN_OR_RETURN(item.created_at, ReadTimestamp(row, 12));
  if (!row.IsNull(13)) {
    ASSIGN_OR_RETURN(Timestamp decided, ReadTimestamp(row, 13));
    item.decided_at = decided;
  }
  return item;
}

// Doubles travel as text with round-trip precision; the REAL column converts them.
std::string DoubleText(double value) {
  char text[32];
  std::snprintf(text, sizeof(text), "%.17g", value);
  return text;
}

constexpr const char* kPersonColumns =
    "id, nhs_number, given_name, family_name, birth_date, sex, postcode";

// One BEGIN IMMEDIATE transaction: SQLite admits one writer at a time, so taking the write
// lock up front avoids a deadlock between two readers that both try to upgrade.
class SqliteUnitOfWork final : public UnitOfWork {
 public:
  SqliteUnitOfWork(std::unique_ptr<PooledConnection> connection, WriteGate::Turn turn)
      : turn_(std::move(turn)), connection_(std::move(connection)) {}

  ~SqliteUnitOfWork() override {
    if (!finished_) (void)(*connection_)->Exec("ROLLBACK");
  }

  Status Start() { return (*connection_)->Exec("BEGIN IMMEDIATE"); }

  Result<domain::OrgId> InsertOrganisation(const domain::Organisation& org) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("INSERT INTO organisations(code, name, kind) "
                                        "VALUES (?1, ?2, ?3)"));
    stmt->Bind(org.code).Bind(org.name).Bind(domain::OrgKindSlug(org.kind));
    RETURN_IF_ERROR(stmt->Run());
    return domain::OrgId((*connection_)->LastInsertRowId());
  }

  Status UpdateOrganisation(const domain::Organisation& org) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("UPDATE organisations SET name = ?1, kind = ?2 WHERE id = ?3 "
                             "RETURNING id"));
    stmt->Bind(org.name).Bind(domain::OrgKindSlug(org.kind)).Bind(org.id.value());
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("organisation");
    return stmt->Run();
  }

  Result<domain::Organisation> GetOrganisation(domain::OrgId id) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("SELECT id, code, name, kind FROM organisations WHERE id = ?1"));
    stmt->Bind(id.value());
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("organisation");
    return ReadOrganisation(*stmt);
  }

  Result<domain::Organisation> GetOrganisationByCode(std::string_view code) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("SELECT id, code, name, kind FROM organisations WHERE code = ?1"));
    stmt->Bind(code);
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("organisation");
    return ReadOrganisation(*stmt);
  }

  Result<std::vector<domain::Organisation>> ListOrganisations() override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("SELECT id, code, name, kind FROM organisations ORDER BY code"));
    std::vector<domain::Organisation> orgs;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) return orgs;
      orgs.push_back(ReadOrganisation(*stmt));
    }
  }

  Result<domain::SiteId> InsertSite(const domain::Site& site) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("INSERT INTO sites(org_id, code, name) VALUES (?1, ?2, ?3)"));
    stmt->Bind(site.org.value()).Bind(site.code).Bind(site.name);
    RETURN_IF_ERROR(stmt->Run());
    return domain::SiteId((*connection_)->LastInsertRowId());
  }

  Result<domain::Site> GetSiteByCode(std::string_view code) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("SELECT id, org_id, code, name FROM sites WHERE code = ?1"));
    stmt->Bind(code);
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("site");
    return ReadSite(*stmt);
  }

  Result<std::vector<domain::Site>> ListSites(domain::OrgId org) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("SELECT id, org_id, code, name FROM sites "
                                        "WHERE org_id = ?1 ORDER BY code"));
    stmt->Bind(org.value());
    std::vector<domain::Site> sites;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) return sites;
      sites.push_back(ReadSite(*stmt));
    }
  }

  Result<domain::TeamId> InsertTeam(const domain::Team& team) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("INSERT INTO teams(org_id, code, name, kind) "
                                        "VALUES (?1, ?2, ?3, ?4)"));
    stmt->Bind(team.org.value())
        .Bind(team.code)
        .Bind(team.name)
        .Bind(domain::TeamKindSlug(team.kind));
    RETURN_IF_ERROR(stmt->Run());
    return domain::TeamId((*connection_)->LastInsertRowId());
  }

  Result<std::vector<domain::Team>> ListTeams(domain::OrgId org) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("SELECT id, org_id, code, name, kind FROM teams "
                                        "WHERE org_id = ?1 ORDER BY code"));
    stmt->Bind(org.value());
    std::vector<domain::Team> teams;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) return teams;
      teams.push_back({domain::TeamId(stmt->Int(0)), domain::OrgId(stmt->Int(1)), stmt->Text(2),
                       stmt->Text(3),
                       domain::TeamKindFromSlug(stmt->Text(4))
                           .value_or(domain::TeamKind::kEmergencyDepartment)});
    }
  }

  Result<domain::PersonId> InsertPerson(const domain::Person& person,
                                        std::optional<domain::OrgId> owner) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("INSERT INTO people(nhs_number, given_name, family_name, "
                                        "birth_date, sex, postcode, owner_org_id) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    stmt->BindOptional(NhsText(person))
        .Bind(person.given_name)
        .Bind(person.family_name)
        .BindOptional(BirthText(person))
        .Bind(domain::SexSlug(person.sex))
        .Bind(person.postcode)
        .BindOptional(owner ? std::optional<std::string>(std::to_string(owner->value()))
                            : std::nullopt);
    RETURN_IF_ERROR(stmt->Run());
    return domain::PersonId((*connection_)->LastInsertRowId());
  }

  Result<std::optional<domain::OrgId>> GetPersonOwner(domain::PersonId id) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("SELECT owner_org_id FROM people WHERE id = ?1"));
    stmt->Bind(id.value());
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("person");
    if (stmt->IsNull(0)) return std::optional<domain::OrgId>();
    return std::optional<domain::OrgId>(domain::OrgId(stmt->Int(0)));
  }

  Result<domain::UserId> InsertUser(const domain::User& user,
                                    std::string_view password_hash) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("INSERT INTO users(username, role, org_id, team_id, "
                                        "password_hash) VALUES (?1, ?2, ?3, ?4, ?5)"));
    stmt->Bind(user.username)
        .Bind(domain::RoleSlug(user.role))
        .Bind(user.org.value())
        .BindOptional(TeamText(user))
        .Bind(password_hash);
    Status status = stmt->Run();
    if (status.code() == StatusCode::kAlreadyExists) return DuplicateUsername();
    RETURN_IF_ERROR(status);
    return domain::UserId((*connection_)->LastInsertRowId());
  }

  Status UpdateUser(const domain::User& user, std::string_view password_hash) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("UPDATE users SET role = ?1, org_id = ?2, team_id = ?3, "
                                        "password_hash = ?4 WHERE id = ?5 RETURNING id"));
    stmt->Bind(domain::RoleSlug(user.role))
        .Bind(user.org.value())
        .BindOptional(TeamText(user))
        .Bind(password_hash)
        .Bind(user.id.value());
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("user");
    return stmt->Run();
  }

  Result<domain::User> GetUser(domain::UserId id) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?1"));
    stmt->Bind(id.value());
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("user");
    return ReadUser(*stmt);
  }

  Result<std::optional<UserCredentials>> FindUserByUsername(std::string_view username) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare(std::string("SELECT ") + kUserColumns +
                                        ", password_hash FROM users WHERE username = ?1"));
    stmt->Bind(username);
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return std::optional<UserCredentials>();
    ASSIGN_OR_RETURN(domain::User user, ReadUser(*stmt));
    return std::optional<UserCredentials>(UserCredentials{std::move(user), stmt->Text(6)});
  }

  Result<std::vector<domain::User>> ListUsers(domain::OrgId org) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare(std::string("SELECT ") + kUserColumns +
                                        " FROM users WHERE org_id = ?1 ORDER BY username"));
    stmt->Bind(org.value());
    std::vector<domain::User> users;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) return users;
      ASSIGN_OR_RETURN(domain::User user, ReadUser(*stmt));
      users.push_back(std::move(user));
    }
  }

  Status SetUserDisabled(domain::UserId id, std::optional<Timestamp> disabled_at) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("UPDATE users SET disabled_at = ?1 WHERE id = ?2 RETURNING id"));
    stmt->BindOptional(OptionalTimeText(disabled_at)).Bind(id.value());
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("user");
    return stmt->Run();
  }

  Result<std::int64_t> DeleteUserSessions(domain::UserId id) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("DELETE FROM sessions WHERE user_id = ?1"));
    stmt->Bind(id.value());
    RETURN_IF_ERROR(stmt->Run());
    return (*connection_)->Changes();
  }

  Status InsertInvolvement(const CaseInvolvement& involvement) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("INSERT INTO case_involvements(person_id, user_id, "
                                        "team_id, source, assigned_by, created_at) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING"));
    stmt->Bind(involvement.person.value())
        .BindOptional(involvement.user ? std::optional(std::to_string(involvement.user->value()))
                                       : std::nullopt)
        .BindOptional(involvement.team ? std::optional(std::to_string(involvement.team->value()))
                                       : std::nullopt)
        .Bind(involvement.source)
        .Bind(involvement.assigned_by)
        .Bind(FormatTimestamp(involvement.created_at));
    return stmt->Run();
  }

  Result<bool> IsInvolved(domain::PersonId person, domain::UserId user,
                          std::optional<domain::TeamId> team) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("SELECT EXISTS (SELECT 1 FROM case_involvements "
                                        "WHERE person_id = ?1 AND (user_id = ?2 OR "
                                        "(?3 IS NOT NULL AND team_id = ?3)))"));
    stmt->Bind(person.value()).Bind(user.value());
    stmt->BindOptional(team ? std::optional(std::to_string(team->value())) : std::nullopt);
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    return row && stmt->Int(0) != 0;
  }

  Result<std::vector<CaseInvolvement>> ListInvolvements(domain::PersonId person) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("SELECT id, person_id, user_id, team_id, source, "
                                        "assigned_by, created_at FROM case_involvements "
                                        "WHERE person_id = ?1 ORDER BY id"));
    stmt->Bind(person.value());
    std::vector<CaseInvolvement> involvements;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) return involvements;
      CaseInvolvement involvement;
      involvement.id = stmt->Int(0);
      involvement.person = domain::PersonId(stmt->Int(1));
      if (!stmt->IsNull(2)) involvement.user = domain::UserId(stmt->Int(2));
      if (!stmt->IsNull(3)) involvement.team = domain::TeamId(stmt->Int(3));
      involvement.source = stmt->Text(4);
      involvement.assigned_by = stmt->Text(5);
      ASSIGN_OR_RETURN(involvement.created_at, ReadTimestamp(*stmt, 6));
      involvements.push_back(std::move(involvement));
    }
  }

  Result<bool> HasAttendanceSince(const domain::NhsNumber& nhs_number, domain::OrgId org,
                                  Timestamp since) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("SELECT EXISTS (SELECT 1 FROM attendances "
                                        "WHERE nhs_number = ?1 AND owner_org_id = ?2 "
                                        "AND arrival >= ?3)"));
    stmt->Bind(nhs_number.digits()).Bind(org.value()).Bind(FormatTimestamp(since));
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    return row && stmt->Int(0) != 0;
  }

  Result<std::int64_t> InsertBreakGlassGrant(const BreakGlassGrant& grant) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("INSERT INTO break_glass_grants(user_id, person_id, "
                                        "org_id, reason, granted_at, expires_at) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    stmt->Bind(grant.user.value())
        .Bind(grant.person.value())
        .Bind(grant.org.value())
        .Bind(grant.reason)
        .Bind(FormatTimestamp(grant.granted_at))
        .Bind(FormatTimestamp(grant.expires_at));
    RETURN_IF_ERROR(stmt->Run());
    return (*connection_)->LastInsertRowId();
  }

  Result<std::optional<BreakGlassGrant>> FindActiveBreakGlassGrant(domain::UserId user,
                                                                   domain::PersonId person,
                                                                   Timestamp now) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare(std::string("SELECT ") + kGrantColumns +
                                        " FROM break_glass_grants WHERE user_id = ?1 AND "
                                        "person_id = ?2 AND expires_at > ?3 AND granted_at <= ?3 "
                                        "ORDER BY expires_at DESC LIMIT 1"));
    stmt->Bind(user.value()).Bind(person.value()).Bind(FormatTimestamp(now));
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return std::optional<BreakGlassGrant>();
    ASSIGN_OR_RETURN(BreakGlassGrant grant, ReadGrant(*stmt));
    return std::optional<BreakGlassGrant>(std::move(grant));
  }

  Result<BreakGlassGrant> GetBreakGlassGrant(std::int64_t id) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare(std::string("SELECT ") + kGrantColumns +
                                        " FROM break_glass_grants WHERE id = ?1"));
    stmt->Bind(id);
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("break-glass grant");
    return ReadGrant(*stmt);
  }

  Result<std::vector<BreakGlassGrant>> ListUnreviewedBreakGlassGrants(domain::OrgId org) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare(std::string("SELECT ") + kGrantColumns +
                                        " FROM break_glass_grants WHERE org_id = ?1 AND "
                                        "reviewed_at IS NULL ORDER BY id"));
    stmt->Bind(org.value());
    std::vector<BreakGlassGrant> grants;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) return grants;
      ASSIGN_OR_RETURN(BreakGlassGrant grant, ReadGrant(*stmt));
      grants.push_back(std::move(grant));
    }
  }

  Status ReviewBreakGlassGrant(std::int64_t id, domain::UserId reviewer, std::string_view outcome,
                               std::string_view note, Timestamp at) override {
    ASSIGN_OR_RETURN(BreakGlassGrant grant, GetBreakGlassGrant(id));
    if (grant.reviewed_at) {
      return FailedPrecondition("already_reviewed", "this break-glass access was reviewed before");
    }
    ASSIGN_OR_RETURN(auto stmt, Prepare("UPDATE break_glass_grants SET reviewed_at = ?1, "
                                        "reviewed_by = ?2, review_outcome = ?3, review_note = ?4 "
                                        "WHERE id = ?5 AND reviewed_at IS NULL"));
    stmt->Bind(FormatTimestamp(at)).Bind(reviewer.value()).Bind(outcome).Bind(note).Bind(id);
    return stmt->Run();
  }

  Result<ThrottleRecord> LockThrottle(std::string_view key) override {
    // BEGIN IMMEDIATE already holds the database's write lock for the whole unit of work.
    ASSIGN_OR_RETURN(auto stmt, Prepare("SELECT count, since, locked_until FROM login_throttle "
                                        "WHERE key = ?1"));
    stmt->Bind(key);
    ThrottleRecord record;
    record.key = std::string(key);
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return record;
    record.count = stmt->Int(0);
    ASSIGN_OR_RETURN(record.since, ReadTimestamp(*stmt, 1));
    ASSIGN_OR_RETURN(record.locked_until, ReadTimestamp(*stmt, 2));
    return record;
  }

  Status SaveThrottle(const ThrottleRecord& record) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("INSERT INTO login_throttle(key, count, since, locked_until) "
                             "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (key) DO UPDATE SET "
                             "count = excluded.count, since = excluded.since, "
                             "locked_until = excluded.locked_until"));
    stmt->Bind(record.key)
        .Bind(record.count)
        .Bind(FormatTimestamp(record.since))
        .Bind(FormatTimestamp(record.locked_until));
    return stmt->Run();
  }

  Status DeleteThrottle(std::string_view key) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("DELETE FROM login_throttle WHERE key = ?1"));
    stmt->Bind(key);
    return stmt->Run();
  }

  Result<PurgeCounts> PurgeExpired(const PurgeCutoffs& cutoffs) override {
    PurgeCounts counts;
    ASSIGN_OR_RETURN(counts.sessions,
                     Delete("DELETE FROM sessions WHERE last_seen_at < ?1 OR created_at < ?2",
                            {cutoffs.session_idle_before, cutoffs.session_created_before}));
    ASSIGN_OR_RETURN(counts.api_tokens,
                     Delete("DELETE FROM api_tokens WHERE expires_at < ?1 OR revoked_at < ?1",
                            {cutoffs.token_ended_before}));
    ASSIGN_OR_RETURN(counts.break_glass_grants,
                     Delete("DELETE FROM break_glass_grants WHERE reviewed_at IS NOT NULL AND "
                            "expires_at < ?1",
                            {cutoffs.grant_ended_before}));
    ASSIGN_OR_RETURN(counts.throttle_records,
                     Delete("DELETE FROM login_throttle WHERE since < ?1 AND locked_until < ?1",
                            {cutoffs.throttle_before}));
    return counts;
  }

  Status InsertSession(const SessionRecord& session) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("INSERT INTO sessions(id_hash, user_id, created_at, "
                                        "last_seen_at) VALUES (?1, ?2, ?3, ?4)"));
    stmt->Bind(session.id_hash)
        .Bind(session.user.value())
        .Bind(FormatTimestamp(session.created_at))
        .Bind(FormatTimestamp(session.last_seen_at));
    return stmt->Run();
  }

  Result<std::optional<SessionRecord>> FindSession(std::string_view id_hash) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("SELECT id_hash, user_id, created_at, last_seen_at "
                                        "FROM sessions WHERE id_hash = ?1"));
    stmt->Bind(id_hash);
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return std::optional<SessionRecord>();
    SessionRecord session;
    session.id_hash = stmt->Text(0);
    session.user = domain::UserId(stmt->Int(1));
    ASSIGN_OR_RETURN(session.created_at, ReadTimestamp(*stmt, 2));
    ASSIGN_OR_RETURN(session.last_seen_at, ReadTimestamp(*stmt, 3));
    return std::optional<SessionRecord>(std::move(session));
  }

  Status TouchSession(std::string_view id_hash, Timestamp last_seen_at) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("UPDATE sessions SET last_seen_at = ?1 WHERE id_hash = ?2"));
    stmt->Bind(FormatTimestamp(last_seen_at)).Bind(id_hash);
    return stmt->Run();
  }

  Status DeleteSession(std::string_view id_hash) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("DELETE FROM sessions WHERE id_hash = ?1"));
    stmt->Bind(id_hash);
    return stmt->Run();
  }

  Result<domain::ApiTokenId> InsertApiToken(const domain::ApiToken& token,
                                            std::string_view token_hash) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("INSERT INTO api_tokens(name, scope, org_id, token_hash, "
                                        "created_at, expires_at, revoked_at) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    stmt->Bind(token.name)
        .Bind(domain::TokenScopeSlug(token.scope))
        .Bind(token.org.value())
        .Bind(token_hash)
        .Bind(FormatTimestamp(token.created_at))
        .BindOptional(OptionalTimeText(token.expires_at))
        .BindOptional(OptionalTimeText(token.revoked_at));
    RETURN_IF_ERROR(stmt->Run());
    return domain::ApiTokenId((*connection_)->LastInsertRowId());
  }

  Result<std::optional<domain::ApiToken>> FindApiTokenByHash(std::string_view token_hash) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare(std::string("SELECT ") + kTokenColumns +
                                        " FROM api_tokens WHERE token_hash = ?1"));
    stmt->Bind(token_hash);
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return std::optional<domain::ApiToken>();
    ASSIGN_OR_RETURN(domain::ApiToken token, ReadToken(*stmt));
    return std::optional<domain::ApiToken>(std::move(token));
  }

  Result<std::vector<domain::ApiToken>> ListApiTokens() override {
    ASSIGN_OR_RETURN(auto stmt, Prepare(std::string("SELECT ") + kTokenColumns +
                                        " FROM api_tokens ORDER BY id"));
    std::vector<domain::ApiToken> tokens;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) return tokens;
      ASSIGN_OR_RETURN(domain::ApiToken token, ReadToken(*stmt));
      tokens.push_back(std::move(token));
    }
  }

  Status RevokeApiToken(domain::ApiTokenId id, Timestamp at) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?1) "
                             "WHERE id = ?2 RETURNING id"));
    stmt->Bind(FormatTimestamp(at)).Bind(id.value());
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("API token");
    return stmt->Run();
  }

  Status UpdatePerson(const domain::Person& person) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("UPDATE people SET nhs_number = ?1, given_name = ?2, "
                             "family_name = ?3, birth_date = ?4, sex = ?5, postcode = ?6 "
                             "WHERE id = ?7 RETURNING id"));
    stmt->BindOptional(NhsText(person))
        .Bind(person.given_name)
        .Bind(person.family_name)
        .BindOptional(BirthText(person))
        .Bind(domain::SexSlug(person.sex))
        .Bind(person.postcode)
        .Bind(person.id.value());
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("person");
    return stmt->Run();
  }

  Result<domain::Person> GetPerson(domain::PersonId id) override {
    ASSIGN_OR_RETURN(
        auto stmt, Prepare(std::string("SELECT ") + kPersonColumns + " FROM people WHERE id = ?1"));
    stmt->Bind(id.value());
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("person");
    return ReadPerson(*stmt);
  }

  Result<std::optional<domain::Person>> FindPersonByNhsNumber(
      const domain::NhsNumber& nhs_number) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare(std::string("SELECT ") + kPersonColumns +
                                        " FROM people WHERE nhs_number = ?1"));
    stmt->Bind(nhs_number.digits());
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return std::optional<domain::Person>();
    ASSIGN_OR_RETURN(domain::Person person, ReadPerson(*stmt));
    return std::optional<domain::Person>(std::move(person));
  }

  Result<AttendanceRecordId> InsertAttendanceVersion(const AttendanceVersion& version) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("INSERT INTO attendances(site_code, attendance_id, version, "
                             "content_hash, document, arrival, nhs_number, received_at, "
                             "owner_org_id, site_configured) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) "
                             "ON CONFLICT DO NOTHING RETURNING id"));
    stmt->Bind(version.site_code)
        .Bind(version.attendance_id)
        .Bind(version.version)
        .Bind(version.content_hash)
        .Bind(version.document)
        .Bind(FormatTimestamp(version.arrival))
        .BindOptional(version.verified_nhs_number
                          ? std::optional<std::string>(version.verified_nhs_number->digits())
                          : std::nullopt)
        .Bind(FormatTimestamp(version.received_at))
        .BindOptional(version.owner
                          ? std::optional<std::string>(std::to_string(version.owner->value()))
                          : std::nullopt)
        .Bind(std::int64_t{version.site_status == SiteStatus::kConfigured ? 1 : 0});
    ASSIGN_OR_RETURN(bool inserted, stmt->Step());
    if (!inserted) {
      return AlreadyExists("duplicate_attendance_version",
                           "this version of the attendance is already stored", "/attendance_id");
    }
    AttendanceRecordId id(stmt->Int(0));
    RETURN_IF_ERROR(stmt->Run());
    return id;
  }

  Result<std::optional<AttendanceVersion>> LatestAttendance(
      std::string_view site_code, std::string_view attendance_id) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare(std::string("SELECT ") + kAttendanceColumns +
                                        " FROM attendances WHERE site_code = ?1 AND "
                                        "attendance_id = ?2 ORDER BY version DESC LIMIT 1"));
    stmt->Bind(site_code).Bind(attendance_id);
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return std::optional<AttendanceVersion>();
    ASSIGN_OR_RETURN(AttendanceVersion version, ReadAttendance(*stmt));
    return std::optional<AttendanceVersion>(std::move(version));
  }

  Result<std::vector<AttendanceVersion>> ListAttendanceVersions(
      std::string_view site_code, std::string_view attendance_id) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare(std::string("SELECT ") + kAttendanceColumns +
                                        " FROM attendances WHERE site_code = ?1 AND "
                                        "attendance_id = ?2 ORDER BY version"));
    stmt->Bind(site_code).Bind(attendance_id);
    std::vector<AttendanceVersion> versions;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) return versions;
      ASSIGN_OR_RETURN(AttendanceVersion version, ReadAttendance(*stmt));
      versions.push_back(std::move(version));
    }
  }

  Result<std::int64_t> CountAttendanceVersions() override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("SELECT count(*) FROM attendances"));
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return std::int64_t{0};
    return stmt->Int(0);
  }

  Result<std::int64_t> InsertRegisterUpload(const RegisterUpload& upload) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("INSERT INTO register_uploads(org_id, mode, actor, "
                                        "received_at, rows_read, rows_accepted, rows_rejected) "
                                        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    stmt->Bind(upload.org.value())
        .Bind(upload.mode)
        .Bind(upload.actor)
        .Bind(FormatTimestamp(upload.received_at))
        .Bind(upload.read)
        .Bind(upload.accepted)
        .Bind(upload.rejected);
    RETURN_IF_ERROR(stmt->Run());
    return (*connection_)->LastInsertRowId();
  }

  Status UpdateRegisterUploadCounts(const RegisterUpload& upload) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("UPDATE register_uploads SET rows_read = ?1, "
                                        "rows_accepted = ?2, rows_rejected = ?3 WHERE id = ?4 "
                                        "RETURNING id"));
    stmt->Bind(upload.read).Bind(upload.accepted).Bind(upload.rejected).Bind(upload.id);
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("register upload");
    return stmt->Run();
  }

  Result<domain::RegisterEntryId> UpsertRegisterEntry(const domain::RegisterEntry& entry,
                                                      std::int64_t upload_id) override {
    ASSIGN_OR_RETURN(
        auto stmt,
        Prepare("INSERT INTO register_entries(org_id, local_id, nhs_number, given_name, "
                "family_name, birth_date, sex, postcode, status, plan_category, start_date, "
                "end_date, responsible_org, contact_in_hours, contact_out_of_hours, "
                "allocated_worker, mother_nhs_number, data_quality, upload_id) VALUES (?1, ?2, "
                "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) "
                "ON CONFLICT (org_id, local_id) DO UPDATE SET nhs_number = excluded.nhs_number, "
                "given_name = excluded.given_name, family_name = excluded.family_name, "
                "birth_date = excluded.birth_date, sex = excluded.sex, "
                "postcode = excluded.postcode, status = excluded.status, "
                "plan_category = excluded.plan_category, start_date = excluded.start_date, "
                "end_date = excluded.end_date, responsible_org = excluded.responsible_org, "
                "contact_in_hours = excluded.contact_in_hours, "
                "contact_out_of_hours = excluded.contact_out_of_hours, "
                "allocated_worker = excluded.allocated_worker, "
                "mother_nhs_number = excluded.mother_nhs_number, "
                "data_quality = excluded.data_quality, upload_id = excluded.upload_id "
                "RETURNING id"));
    stmt->Bind(entry.owner.value())
        .Bind(entry.local_id)
        .BindOptional(OptionalNhsText(entry.nhs_number))
        .Bind(entry.given_name)
        .Bind(entry.family_name)
        .BindOptional(OptionalDateText(entry.birth_date))
        .Bind(domain::SexSlug(entry.sex))
        .Bind(entry.postcode)
        .Bind(domain::RegisterStatusSlug(entry.status))
        .Bind(entry.plan_category)
        .BindOptional(OptionalDateText(entry.start_date))
        .BindOptional(OptionalDateText(entry.end_date))
        .Bind(entry.responsible_org)
        .Bind(entry.contact_in_hours)
        .Bind(entry.contact_out_of_hours)
        .Bind(entry.allocated_worker)
        .BindOptional(OptionalNhsText(entry.mother_nhs_number))
        .Bind(entry.data_quality)
        .Bind(upload_id);
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return Internal("register_upsert_lost", "the register entry was not stored");
    domain::RegisterEntryId id(stmt->Int(0));
    RETURN_IF_ERROR(stmt->Run());
    return id;
  }

  Result<std::int64_t> InsertWorklistRun(const WorklistRun& run) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("INSERT INTO worklist_runs(created_at, range_from, range_to, "
                             "history_days, item_count) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id"));
    stmt->Bind(FormatTimestamp(run.created_at))
        .BindOptional(run.range_from ? std::optional<std::string>(FormatDate(*run.range_from))
                                     : std::nullopt)
        .BindOptional(run.range_to ? std::optional<std::string>(FormatDate(*run.range_to))
                                   : std::nullopt)
        .Bind(std::int64_t{run.history_days})
        .Bind(run.item_count);
    ASSIGN_OR_RETURN(bool inserted, stmt->Step());
    if (!inserted) return Unavailable("insert_failed", "the worklist run was not stored");
    std::int64_t id = stmt->Int(0);
    RETURN_IF_ERROR(stmt->Run());
    return id;
  }

  Result<std::optional<domain::RegisterEntry>> FindRegisterEntry(
      domain::OrgId owner, std::string_view local_id) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare(std::string("SELECT ") + kRegisterEntryColumns +
                             " FROM register_entries WHERE org_id = ?1 AND local_id = ?2"));
    stmt->Bind(owner.value()).Bind(local_id);
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return std::optional<domain::RegisterEntry>();
    ASSIGN_OR_RETURN(domain::RegisterEntry entry, ReadRegisterEntry(*stmt));
    return std::optional<domain::RegisterEntry>(std::move(entry));
  }

  Result<domain::RegisterEntry> GetRegisterEntry(domain::RegisterEntryId id) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare(std::string("SELECT ") + kRegisterEntryColumns +
                                        " FROM register_entries WHERE id = ?1"));
    stmt->Bind(id.value());
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("register entry");
    return ReadRegisterEntry(*stmt);
  }

  Result<bool> DeleteRegisterEntry(domain::OrgId owner, std::string_view local_id) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("DELETE FROM register_entries WHERE org_id = ?1 AND "
                                        "local_id = ?2 RETURNING id"));
    stmt->Bind(owner.value()).Bind(local_id);
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (found) RETURN_IF_ERROR(stmt->Run());
    return found;
  }

  Result<std::int64_t> DeleteRegisterEntriesOutside(domain::OrgId owner,
                                                    std::int64_t upload_id) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("DELETE FROM register_entries WHERE org_id = ?1 AND "
                                        "upload_id <> ?2"));
    stmt->Bind(owner.value()).Bind(upload_id);
    RETURN_IF_ERROR(stmt->Run());
    ASSIGN_OR_RETURN(auto changes, Prepare("SELECT changes()"));
    ASSIGN_OR_RETURN(bool row, changes->Step());
    return row ? changes->Int(0) : std::int64_t{0};
  }

  Result<std::int64_t> CountRegisterEntries(domain::OrgId owner) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("SELECT count(*) FROM register_entries WHERE org_id = ?1"));
    stmt->Bind(owner.value());
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    return row ? stmt->Int(0) : std::int64_t{0};
  }

  Result<std::vector<domain::RegisterEntry>> ListRegisterEntries() override {
    return RegisterEntriesWhere("1 = 1", {});
  }

  Result<std::int64_t> LatestRegisterUploadId() override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("SELECT coalesce(max(id), 0) FROM register_uploads"));
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    return row ? stmt->Int(0) : std::int64_t{0};
  }

  Result<std::vector<domain::RegisterEntry>> FindRegisterEntriesByNhsNumber(
      const domain::NhsNumber& nhs_number) override {
    return RegisterEntriesWhere("nhs_number = ?1", {nhs_number.digits()});
  }

  Result<std::vector<domain::RegisterEntry>> FindUnbornEntriesByMother(
      const domain::NhsNumber& mother) override {
    return RegisterEntriesWhere("mother_nhs_number = ?1 AND status = 'unborn_cp_plan'",
                                {mother.digits()});
  }

  Result<std::vector<domain::RegisterEntry>> FindRegisterEntriesBornOn(
      const std::vector<std::chrono::year_month_day>& dates) override {
    std::vector<domain::RegisterEntry> all;
    for (const std::chrono::year_month_day& date : dates) {
      ASSIGN_OR_RETURN(std::vector<domain::RegisterEntry> some,
                       RegisterEntriesWhere("birth_date = ?1", {FormatDate(date)}));
      for (domain::RegisterEntry& entry : some) {
        bool seen = std::any_of(all.begin(), all.end(),
                                [&](const domain::RegisterEntry& e) { return e.id == entry.id; });
        if (!seen) all.push_back(std::move(entry));
      }
    }
    std::sort(
        all.begin(), all.end(),
        [](const domain::RegisterEntry& a, const domain::RegisterEntry& b) { return a.id < b.id; });
    return all;
  }

  Status InsertRegisterAccess(const RegisterAccess& access) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("INSERT INTO register_accesses(entry_id, at, actor, "
                                        "kind, org_code, site) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    stmt->Bind(access.entry.value())
        .Bind(FormatTimestamp(access.at))
        .Bind(access.actor)
        .Bind(access.kind)
        .Bind(access.org_code)
        .Bind(access.site);
    return stmt->Run();
  }

  Result<std::vector<RegisterAccess>> ListRegisterAccesses(domain::RegisterEntryId entry,
                                                           int limit) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("SELECT entry_id, at, actor, kind, org_code, site FROM "
                                        "register_accesses WHERE entry_id = ?1 "
                                        "ORDER BY id DESC LIMIT ?2"));
    stmt->Bind(entry.value()).Bind(std::int64_t{limit});
    std::vector<RegisterAccess> accesses;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) return accesses;
      RegisterAccess access;
      access.entry = domain::RegisterEntryId(stmt->Int(0));
      ASSIGN_OR_RETURN(access.at, ReadTimestamp(*stmt, 1));
      access.actor = stmt->Text(2);
      access.kind = stmt->Text(3);
      access.org_code = stmt->Text(4);
      access.site = stmt->Text(5);
      accesses.push_back(std::move(access));
    }
  }

  Result<std::int64_t> InsertRegisterAlert(const RegisterAlert& alert) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("INSERT INTO register_alerts(attendance_id, entry_id, "
                                        "basis, concern_level, detail, created_at) VALUES (?1, "
                                        "?2, ?3, ?4, ?5, ?6)"));
    stmt->Bind(alert.attendance.value())
        .Bind(alert.entry.value())
        .Bind(alert.basis)
        .Bind(alert.concern_level)
        .Bind(alert.detail)
        .Bind(FormatTimestamp(alert.created_at));
    RETURN_IF_ERROR(stmt->Run());
    return (*connection_)->LastInsertRowId();
  }

  Result<std::vector<RegisterAlert>> ListRegisterAlerts(AttendanceRecordId attendance) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("SELECT id, attendance_id, entry_id, basis, concern_level, detail, "
                             "created_at FROM register_alerts WHERE attendance_id = ?1 "
                             "ORDER BY id"));
    stmt->Bind(attendance.value());
    std::vector<RegisterAlert> alerts;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) return alerts;
      RegisterAlert alert;
      alert.id = stmt->Int(0);
      alert.attendance = AttendanceRecordId(stmt->Int(1));
      alert.entry = domain::RegisterEntryId(stmt->Int(2));
      alert.basis = stmt->Text(3);
      alert.concern_level = stmt->Text(4);
      alert.detail = stmt->Text(5);
      ASSIGN_OR_RETURN(alert.created_at, ReadTimestamp(*stmt, 6));
      alerts.push_back(std::move(alert));
    }
  }

  Result<RegisterReviewItem> InsertReviewItem(const RegisterReviewItem& item) override {
    ASSIGN_OR_RETURN(
        auto stmt,
        Prepare("INSERT INTO register_review_items(entry_id, subject_key, subject, "
                "attendance_id, reviewing_org_id, probability, explanation, state, decision, "
                "first_reviewer, second_reviewer, created_at, decided_at) VALUES (?1, ?2, ?3, "
                "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT DO NOTHING"));
    stmt->Bind(item.entry.value())
        .Bind(item.subject_key)
        .Bind(item.subject)
        .BindOptional(item.attendance
                          ? std::optional<std::string>(std::to_string(item.attendance->value()))
                          : std::nullopt)
        .Bind(item.reviewing_org.value())
        .Bind(DoubleText(item.probability))
        .Bind(item.explanation)
        .Bind(item.state)
        .Bind(item.decision)
        .Bind(item.first_reviewer)
        .Bind(item.second_reviewer)
        .Bind(FormatTimestamp(item.created_at))
        .BindOptional(OptionalTimeText(item.decided_at));
    RETURN_IF_ERROR(stmt->Run());
    ASSIGN_OR_RETURN(std::optional<RegisterReviewItem> stored,
                     FindReviewItem(item.entry, item.subject_key));
    if (!stored) return Internal("review_insert_lost", "the review item was not stored");
    return *std::move(stored);
  }

  Result<RegisterReviewItem> GetReviewItem(std::int64_t id) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare(std::string("SELECT ") + kReviewItemColumns +
                                        " FROM register_review_items WHERE id = ?1"));
    stmt->Bind(id);
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("review item");
    return ReadReviewItem(*stmt);
  }

  Result<std::vector<RegisterReviewItem>> ListOpenReviewItems(
      domain::OrgId reviewing_org) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare(std::string("SELECT ") + kReviewItemColumns +
                                        " FROM register_review_items WHERE reviewing_org_id = "
                                        "?1 AND state <> 'decided' ORDER BY id"));
    stmt->Bind(reviewing_org.value());
    std::vector<RegisterReviewItem> items;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) return items;
      ASSIGN_OR_RETURN(RegisterReviewItem item, ReadReviewItem(*stmt));
      items.push_back(std::move(item));
    }
  }

  Status UpdateReviewItem(const RegisterReviewItem& item) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("UPDATE register_review_items SET state = ?1, "
                                        "decision = ?2, first_reviewer = ?3, "
                                        "second_reviewer = ?4, decided_at = ?5 WHERE id = ?6 "
                                        "RETURNING id"));
    stmt->Bind(item.state)
        .Bind(item.decision)
        .Bind(item.first_reviewer)
        .Bind(item.second_reviewer)
        .BindOptional(OptionalTimeText(item.decided_at))
        .Bind(item.id);
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("review item");
    return stmt->Run();
  }

  Result<std::optional<RegisterReviewItem>> FindReviewItem(domain::RegisterEntryId entry,
                                                           std::string_view subject_key) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare(std::string("SELECT ") + kReviewItemColumns +
                                        " FROM register_review_items WHERE entry_id = ?1 AND "
                                        "subject_key = ?2"));
    stmt->Bind(entry.value()).Bind(subject_key);
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return std::optional<RegisterReviewItem>();
    ASSIGN_OR_RETURN(RegisterReviewItem item, ReadReviewItem(*stmt));
    return std::optional<RegisterReviewItem>(std::move(item));
  }

  Status InsertWorklistEntry(std::int64_t run_id, const WorklistEntry& entry) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("INSERT INTO worklist_items(run_id, position, attendance_id, "
                             "site_code, arrival, age_days, level, person_key, findings) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
                             "ON CONFLICT DO NOTHING RETURNING position"));
    stmt->Bind(run_id)
        .Bind(entry.position)
        .Bind(entry.attendance_id)
        .Bind(entry.site_code)
        .Bind(FormatTimestamp(entry.arrival));
    if (entry.age_days) {
      stmt->Bind(*entry.age_days);
    } else {
      stmt->BindNull();
    }
    stmt->Bind(entry.level).Bind(entry.person_key).Bind(entry.findings_json);
    ASSIGN_OR_RETURN(bool inserted, stmt->Step());
    if (!inserted) {
      return AlreadyExists("duplicate_worklist_position",
                           "this worklist position is already stored", "position");
    }
    return stmt->Run();
  }

  Status FinishWorklistRun(std::int64_t run_id, std::int64_t item_count) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("UPDATE worklist_runs SET item_count = ?1 WHERE id = ?2 "
                                        "RETURNING id"));
    stmt->Bind(item_count).Bind(run_id);
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return NotFoundRow("worklist run");
    return stmt->Run();
  }

  Result<std::optional<WorklistRun>> LatestWorklistRun() override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("SELECT id, created_at, range_from, range_to, "
                                        "history_days, item_count FROM worklist_runs "
                                        "ORDER BY id DESC LIMIT 1"));
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return std::optional<WorklistRun>();
    WorklistRun run;
    run.id = stmt->Int(0);
    ASSIGN_OR_RETURN(run.created_at, ReadTimestamp(*stmt, 1));
    for (int column : {2, 3}) {
      if (stmt->IsNull(column)) continue;
      Result<std::chrono::year_month_day> date = ParseDate(stmt->Text(column));
      if (!date.ok()) return DataLoss("corrupt_worklist", "a stored worklist date is invalid");
      (column == 2 ? run.range_from : run.range_to) = *date;
    }
    run.history_days = static_cast<int>(stmt->Int(4));
    run.item_count = stmt->Int(5);
    return std::optional<WorklistRun>(run);
  }

  Result<std::vector<WorklistEntry>> ListWorklistEntries(std::int64_t run_id) override {
    ASSIGN_OR_RETURN(auto stmt, Prepare("SELECT position, attendance_id, site_code, arrival, "
                                        "age_days, level, person_key, findings FROM "
                                        "worklist_items WHERE run_id = ?1 ORDER BY position"));
    stmt->Bind(run_id);
    std::vector<WorklistEntry> entries;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) return entries;
      WorklistEntry entry;
      entry.position = stmt->Int(0);
      entry.attendance_id = stmt->Text(1);
      entry.site_code = stmt->Text(2);
      ASSIGN_OR_RETURN(entry.arrival, ReadTimestamp(*stmt, 3));
      if (!stmt->IsNull(4)) entry.age_days = stmt->Int(4);
      entry.level = stmt->Text(5);
      entry.person_key = stmt->Text(6);
      entry.findings_json = stmt->Text(7);
      entries.push_back(std::move(entry));
    }
  }

  Result<AuditHead> LockAuditHead() override {
    // BEGIN IMMEDIATE already holds SQLite's single write lock for this transaction, which
    // serialises appenders across connections and processes.
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1"));
    ASSIGN_OR_RETURN(bool found, stmt->Step());
    if (!found) return AuditHead{0, domain::GenesisHash()};
    return AuditHead{stmt->Int(0), stmt->Text(1)};
  }

  Status InsertAuditEvent(const domain::AuditEvent& event) override {
    ASSIGN_OR_RETURN(auto stmt,
                     Prepare("INSERT INTO audit_events(seq, at, actor, action, record_type, "
                             "record_id, reason, outcome, prev_hash, hash) "
                             "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
    stmt->Bind(event.seq)
        .Bind(FormatTimestamp(event.at))
        .Bind(event.entry.actor)
        .Bind(event.entry.action)
        .Bind(event.entry.record_type)
        .Bind(event.entry.record_id)
        .Bind(event.entry.reason)
        .Bind(event.entry.outcome)
        .Bind(event.prev_hash)
        .Bind(event.hash);
    return stmt->Run();
  }

  Result<std::int64_t> EnqueueNotification(const NewNotification& notification) override {
    ASSIGN_OR_RETURN(auto insert,
                     Prepare("INSERT INTO outbox(idempotency_key, topic, payload, created_at, "
                             "next_attempt_at) VALUES (?1, ?2, ?3, ?4, ?4) "
                             "ON CONFLICT (idempotency_key) DO NOTHING"));
    insert->Bind(notification.idempotency_key)
        .Bind(notification.topic)
        .Bind(notification.payload)
        .Bind(FormatTimestamp(notification.created_at));
    RETURN_IF_ERROR(insert->Run());
    ASSIGN_OR_RETURN(auto select, Prepare("SELECT id FROM outbox WHERE idempotency_key = ?1"));
    select->Bind(notification.idempotency_key);
    ASSIGN_OR_RETURN(bool found, select->Step());
    if (!found) return Internal("outbox_insert_lost", "the notification was not stored");
    return select->Int(0);
  }

  Status Commit() override {
    RETURN_IF_ERROR((*connection_)->Exec("COMMIT"));
    finished_ = true;
    turn_.reset();  // the next writer need not wait for this one's caller
    return Status::Ok();
  }

 private:
  Result<std::unique_ptr<Statement>> Prepare(const std::string& sql) {
    return (*connection_)->Prepare(sql);
  }

  // Runs a DELETE whose parameters are all timestamps; returns how many rows went.
  Result<std::int64_t> Delete(const std::string& sql, std::initializer_list<Timestamp> times) {
    ASSIGN_OR_RETURN(auto stmt, Prepare(sql));
    for (Timestamp at : times) stmt->Bind(FormatTimestamp(at));
    RETURN_IF_ERROR(stmt->Run());
    return (*connection_)->Changes();
  }

  Result<std::vector<domain::RegisterEntry>> RegisterEntriesWhere(
      std::string_view condition, const std::vector<std::string>& values) {
    ASSIGN_OR_RETURN(auto stmt, Prepare(std::string("SELECT ") + kRegisterEntryColumns +
                                        " FROM register_entries WHERE " + std::string(condition) +
                                        " ORDER BY id"));
    for (const std::string& value : values) stmt->Bind(value);
    std::vector<domain::RegisterEntry> entries;
    while (true) {
      ASSIGN_OR_RETURN(bool row, stmt->Step());
      if (!row) return entries;
      ASSIGN_OR_RETURN(domain::RegisterEntry entry, ReadRegisterEntry(*stmt));
      entries.push_back(std::move(entry));
    }
  }

  // Declared before the connection, so that it is given up after the destructor's ROLLBACK.
  WriteGate::Turn turn_;
  std::unique_ptr<PooledConnection> connection_;
  bool finished_ = false;
};

// Thread-safe; see Store.
class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, StoreOptions options)
      : pool_(std::move(path), options), write_gate_(options.busy_timeout) {}

  std::string_view Backend() const override { return "sqlite"; }

  Status Migrate() override {
    ASSIGN_OR_RETURN(WriteGate::Turn turn, write_gate_.Enter());
    ASSIGN_OR_RETURN(auto connection, Borrow(pool_));
    RETURN_IF_ERROR(
        (*connection)
            ->Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                   "applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')))"));
    return InWriteTransaction(**connection, [&]() -> Status {
      ASSIGN_OR_RETURN(int current, CurrentVersion(**connection));
      auto migrations = sqlite_internal::Migrations();
      for (int version = current + 1; version <= static_cast<int>(migrations.size()); ++version) {
        RETURN_IF_ERROR((*connection)->Exec(migrations[static_cast<size_t>(version - 1)]));
        ASSIGN_OR_RETURN(auto stmt, (*connection)
                                        ->Prepare("INSERT INTO schema_migrations(version) "
                                                  "VALUES (?1)"));
        stmt->Bind(static_cast<std::int64_t>(version));
        RETURN_IF_ERROR(stmt->Run());
      }
      return Status::Ok();
    });
  }

  Result<int> SchemaVersion() override {
    ASSIGN_OR_RETURN(auto connection, Borrow(pool_));
    return CurrentVersion(**connection);
  }

  int LatestSchemaVersion() const override {
    return static_cast<int>(sqlite_internal::Migrations().size());
  }

  Result<std::unique_ptr<UnitOfWork>> Begin() override {
    // The turn first: a writer waiting for its turn holds no connection a reader could use.
    ASSIGN_OR_RETURN(WriteGate::Turn turn, write_gate_.Enter());
    ASSIGN_OR_RETURN(auto connection, Borrow(pool_));
    auto work = std::make_unique<SqliteUnitOfWork>(std::move(connection), std::move(turn));
    RETURN_IF_ERROR(work->Start());
    return std::unique_ptr<UnitOfWork>(std::move(work));
  }

  Status Ping() override {
    ASSIGN_OR_RETURN(auto connection, Borrow(pool_));
    ASSIGN_OR_RETURN(auto stmt, (*connection)->Prepare("SELECT 1"));
    return stmt->Run();
  }

  Status ScanAudit(const std::function<Status(const domain::AuditEvent&)>& visit) override {
    ASSIGN_OR_RETURN(auto connection, Borrow(pool_));
    // A read transaction gives one consistent snapshot for the whole scan.
    RETURN_IF_ERROR((*connection)->Exec("BEGIN"));
    Status status = [&]() -> Status {
      ASSIGN_OR_RETURN(auto stmt,
                       (*connection)
                           ->Prepare("SELECT seq, at, actor, action, record_type, record_id, "
                                     "reason, outcome, prev_hash, hash FROM audit_events "
                                     "ORDER BY seq"));
      while (true) {
        ASSIGN_OR_RETURN(bool row, stmt->Step());
        if (!row) return Status::Ok();
        domain::AuditEvent event;
        event.seq = stmt->Int(0);
        ASSIGN_OR_RETURN(event.at, ReadTimestamp(*stmt, 1));
        event.entry = {stmt->Text(2), stmt->Text(3), stmt->Text(4),
                       stmt->Text(5), stmt->Text(6), stmt->Text(7)};
        event.prev_hash = stmt->Text(8);
        event.hash = stmt->Text(9);
        RETURN_IF_ERROR(visit(event));
      }
    }();
    (void)(*connection)->Exec("COMMIT");
    return status;
  }

  Result<std::vector<Notification>> ClaimDueNotifications(Timestamp now, int limit,
                                                          std::chrono::seconds lease) override {
    ASSIGN_OR_RETURN(WriteGate::Turn turn, write_gate_.Enter());
    ASSIGN_OR_RETURN(auto connection, Borrow(pool_));
    std::vector<Notification> claimed;
    RETURN_IF_ERROR(InWriteTransaction(**connection, [&]() -> Status {
      ASSIGN_OR_RETURN(
          auto stmt,
          (*connection)
              ->Prepare("UPDATE outbox SET next_attempt_at = ?1 WHERE id IN ("
                        "SELECT id FROM outbox WHERE delivered_at IS NULL AND "
                        "next_attempt_at <= ?2 ORDER BY id LIMIT ?3) "
                        "RETURNING id, idempotency_key, topic, payload, created_at, attempts, "
                        "next_attempt_at, delivered_at, last_error"));
      stmt->Bind(FormatTimestamp(now + lease))
          .Bind(FormatTimestamp(now))
          .Bind(static_cast<std::int64_t>(limit));
      while (true) {
        ASSIGN_OR_RETURN(bool row, stmt->Step());
        if (!row) return Status::Ok();
        ASSIGN_OR_RETURN(Notification n, ReadNotification(*stmt));
        claimed.push_back(std::move(n));
      }
    }));
    std::sort(claimed.begin(), claimed.end(),
              [](const Notification& a, const Notification& b) { return a.id < b.id; });
    return claimed;
  }

  Status MarkDelivered(std::int64_t id, Timestamp at) override {
    return UpdateOutbox(
        "UPDATE outbox SET delivered_at = ?1, attempts = attempts + 1, "
        "last_error = '' WHERE id = ?2",
        FormatTimestamp(at), id);
  }

  Status MarkFailed(std::int64_t id, std::string_view error, Timestamp retry_at) override {
    ASSIGN_OR_RETURN(WriteGate::Turn turn, write_gate_.Enter());
    ASSIGN_OR_RETURN(auto connection, Borrow(pool_));
    ASSIGN_OR_RETURN(auto stmt,
                     (*connection)
                         ->Prepare("UPDATE outbox SET attempts = attempts + 1, last_error = ?1, "
                                   "next_attempt_at = ?2 WHERE id = ?3"));
    stmt->Bind(error).Bind(FormatTimestamp(retry_at)).Bind(id);
    return stmt->Run();
  }

  Result<OutboxStats> GetOutboxStats() override {
    ASSIGN_OR_RETURN(auto connection, Borrow(pool_));
    ASSIGN_OR_RETURN(auto stmt,
                     (*connection)
                         ->Prepare("SELECT count(*) FILTER (WHERE delivered_at IS NULL), "
                                   "count(*) FILTER (WHERE delivered_at IS NOT NULL), "
                                   "min(created_at) FILTER (WHERE delivered_at IS NULL) "
                                   "FROM outbox"));
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    OutboxStats stats;
    if (!row) return stats;
    stats.pending = stmt->Int(0);
    stats.delivered = stmt->Int(1);
    if (!stmt->IsNull(2)) {
      ASSIGN_OR_RETURN(Timestamp oldest, ReadTimestamp(*stmt, 2));
      stats.oldest_pending = oldest;
    }
    return stats;
  }

 private:
  static Result<int> CurrentVersion(Connection& connection) {
    ASSIGN_OR_RETURN(auto exists,
                     connection.Prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' "
                                        "AND name = 'schema_migrations'"));
    ASSIGN_OR_RETURN(bool any, exists->Step());
    if (!any || exists->Int(0) == 0) return 0;
    ASSIGN_OR_RETURN(auto stmt,
                     connection.Prepare("SELECT coalesce(max(version), 0) FROM schema_migrations"));
    ASSIGN_OR_RETURN(bool row, stmt->Step());
    if (!row) return 0;
    return static_cast<int>(stmt->Int(0));
  }

  Status UpdateOutbox(const std::string& sql, const std::string& text, std::int64_t id) {
    ASSIGN_OR_RETURN(WriteGate::Turn turn, write_gate_.Enter());
    ASSIGN_OR_RETURN(auto connection, Borrow(pool_));
    ASSIGN_OR_RETURN(auto stmt, (*connection)->Prepare(sql));
    stmt->Bind(text).Bind(id);
    return stmt->Run();
  }

  ConnectionPool pool_;
  WriteGate write_gate_;
};

}  // namespace

Result<std::unique_ptr<Store>> OpenSqliteStore(std::string_view path, const StoreOptions& options) {
  if (path.empty()) {
    return InvalidArgument("invalid_database_url", "sqlite: needs a file path", "/db");
  }
  auto store = std::make_unique<SqliteStore>(std::string(path), options);
  // Opening a connection now reports a bad path here rather than on the first request.
  RETURN_IF_ERROR(store->Ping());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace liaison::storage
