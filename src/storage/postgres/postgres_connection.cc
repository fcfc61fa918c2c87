#include "storage/postgres/postgres_connection.h"

#include <array>
#include <charconv>
#include <cstdlib>
#include <string>
#include <utility>

#include <libpq-fe.h>

#include "common/time_format.h"

namespace liaison::storage {
namespace {

// Libpq prints NOTICEs (e.g. "relation already exists, skipping") to stderr by default; they
// are expected and would only clutter logs.
void IgnoreNotice(void* /*arg*/, const char* /*message*/) {}

std::string TrimmedLibpqMessage(const char* message) {
  std::string text = message != nullptr ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.empty()) text = "no further detail from libpq";
  return text;
}

Status CorruptRow(std::string_view what) {
  return DataLoss("corrupt_row", "the database returned an unreadable " + std::string(what));
}

// Classes whose server messages name only schema objects or the connection, never a row's
// values, so they are safe (and useful) to copy into a Status. Data errors (class 22, 23) can
// quote the offending value, which may be patient data, so their text is dropped.
bool MessageIsSafeToShow(std::string_view sqlstate) {
  static constexpr std::array<std::string_view, 8> kSafeClasses = {"08", "28", "3D", "3F",
                                                                   "42", "53", "55", "57"};
  for (std::string_view prefix : kSafeClasses) {
    if (sqlstate.starts_with(prefix)) return true;
  }
  return false;
}

// Unique violations become the reason and field the HTTP contract reports. Constraint names
// come from the migrations (PostgreSQL's default <table>_<column>_key naming).
Status DuplicateFrom(std::string_view constraint) {
  if (constraint.find("nhs_number") != std::string_view::npos) {
    return AlreadyExists("duplicate_nhs_number", "another person already has this NHS number",
                         "/nhs_number");
  }
  if (constraint.find("idempotency_key") != std::string_view::npos) {
    return AlreadyExists("duplicate_idempotency_key",
                         "a notification with this idempotency key already exists",
                         "/idempotency_key");
  }
  if (constraint.starts_with("audit_events")) {
    return AlreadyExists("duplicate_audit_seq", "an audit event with this seq already exists",
                         "/seq");
  }
  if (constraint.find("code") != std::string_view::npos) {
    return AlreadyExists("duplicate_code", "the code is already in use", "/code");
  }
  return AlreadyExists("duplicate", "the record already exists");
}

}  // namespace

Status CheckPostgresUrl(std::string_view url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(std::string(url).c_str(), &error);
  if (error != nullptr) PQfreemem(error);
  if (options == nullptr) {
    // libpq's own message can quote parts of the URL, including a password; leave it out.
    return InvalidArgument("invalid_database_url", "libpq cannot parse the database URL", "/db");
  }
  PQconninfoFree(options);
  return Status::Ok();
}

// --- PgResult ----------------------------------------------------------------------------

void PgResult::Deleter::operator()(pg_result* result) const { PQclear(result); }

int PgResult::rows() const { return PQntuples(result_.get()); }

bool PgResult::IsNull(int row, int column) const {
  return PQgetisnull(result_.get(), row, column) != 0;
}

std::string_view PgResult::Text(int row, int column) const {
  return std::string_view(PQgetvalue(result_.get(), row, column),
                          static_cast<size_t>(PQgetlength(result_.get(), row, column)));
}

Result<std::int64_t> PgResult::Int64(int row, int column) const {
  std::string_view text = Text(row, column);
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (IsNull(row, column) || error != std::errc() || end != text.data() + text.size()) {
    return CorruptRow("integer");
  }
  return value;
}

Result<Timestamp> PgResult::Time(int row, int column) const {
  if (IsNull(row, column)) return CorruptRow("timestamp");
  auto parsed = ParseTimestamp(Text(row, column));
  if (!parsed.ok()) return CorruptRow("timestamp");
  return *parsed;
}

Result<std::optional<Timestamp>> PgResult::OptionalTime(int row, int column) const {
  if (IsNull(row, column)) return std::optional<Timestamp>();
  ASSIGN_OR_RETURN(Timestamp at, Time(row, column));
  return std::optional<Timestamp>(at);
}

std::int64_t PgResult::affected_rows() const {
  std::string_view text = PQcmdTuples(result_.get());
  std::int64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

std::string_view PgResult::command_status() const { return PQcmdStatus(result_.get()); }

// --- PgConnection ------------------------------------------------------------------------

void PgConnection::Deleter::operator()(pg_conn* conn) const { PQfinish(conn); }

Result<std::unique_ptr<PgConnection>> PgConnection::Open(const std::string& url) {
  RETURN_IF_ERROR(CheckPostgresUrl(url));
  // Defaults first, then the URL (expand_dbname), so anything the URL sets wins.
  const char* keywords[] = {"connect_timeout", "client_encoding", "application_name", "dbname",
                            nullptr};
  const char* values[] = {"10", "UTF8", "liaison", url.c_str(), nullptr};
  std::unique_ptr<pg_conn, Deleter> conn(PQconnectdbParams(keywords, values, 1));
  if (conn == nullptr) {
    return Unavailable("database_unavailable", "libpq could not allocate a connection");
  }
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    return Unavailable("database_unavailable", "cannot connect to PostgreSQL: " +
                                                   TrimmedLibpqMessage(PQerrorMessage(conn.get())));
  }
  PQsetNoticeProcessor(conn.get(), IgnoreNotice, nullptr);
  return std::make_unique<PgConnection>(Key(), std::move(conn));
}

bool PgConnection::Healthy() const { return PQstatus(conn_.get()) == CONNECTION_OK; }

bool PgConnection::Idle() const { return PQtransactionStatus(conn_.get()) == PQTRANS_IDLE; }

Status PgConnection::Reset() {
  prepared_.clear();
  PQreset(conn_.get());
  if (!Healthy()) {
    return Unavailable(
        "database_unavailable",
        "cannot reconnect to PostgreSQL: " + TrimmedLibpqMessage(PQerrorMessage(conn_.get())));
  }
  return Status::Ok();
}

Status PgConnection::ErrorFrom(const pg_result* result, const char* what) const {
  std::string context = std::string(what) + " failed";
  if (result == nullptr || !Healthy()) {
    return Unavailable("database_unavailable",
                       context + ": " + TrimmedLibpqMessage(PQerrorMessage(conn_.get())));
  }
  const char* sqlstate_field = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  std::string sqlstate = sqlstate_field != nullptr ? sqlstate_field : "";
  if (sqlstate.empty()) {
    // No SQLSTATE means libpq itself failed (lost connection, protocol trouble).
    return Unavailable("database_unavailable",
                       context + ": " + TrimmedLibpqMessage(PQresultErrorMessage(result)));
  }
  std::string message = context + " (SQLSTATE " + sqlstate + ")";
  if (MessageIsSafeToShow(sqlstate)) {
    const char* primary = PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    if (primary != nullptr) message += ": " + std::string(primary);
  }
  if (sqlstate == "23505") {
    const char* constraint = PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME);
    return DuplicateFrom(constraint != nullptr ? constraint : "");
  }
  if (sqlstate == "23503") {
    return NotFound("not_found", "a record this one refers to does not exist");
  }
  if (sqlstate.starts_with("22") || sqlstate.starts_with("23")) {
    return InvalidArgument("invalid_value", "the database rejected a value: " + message);
  }
  if (sqlstate == "40001" || sqlstate == "40P01") {
    return Status(StatusCode::kAborted, "transaction_conflict",
                  message + "; the unit of work may be retried");
  }
  if (sqlstate == "25P02") {
    return Status(StatusCode::kAborted, "transaction_aborted",
                  "an earlier statement in this unit of work failed");
  }
  static constexpr std::array<std::string_view, 5> kUnavailableClasses = {"08", "53", "57", "58",
                                                                          "XX"};
  for (std::string_view prefix : kUnavailableClasses) {
    if (sqlstate.starts_with(prefix)) return Unavailable("database_unavailable", message);
  }
  return Internal("database_error", message);
}

Result<PgResult> PgConnection::Exec(const char* sql, const char* what) {
  PgResult result(std::unique_ptr<pg_result, PgResult::Deleter>(PQexec(conn_.get(), sql)));
  ExecStatusType status = PQresultStatus(result.result_.get());
  if (result.result_ == nullptr ||
      (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && status != PGRES_EMPTY_QUERY)) {
    return ErrorFrom(result.result_.get(), what);
  }
  return result;
}

Result<PgResult> PgConnection::Run(const PgStatement& statement, const PgParams& params) {
  if (!prepared_.contains(statement.name)) {
    std::unique_ptr<pg_result, PgResult::Deleter> prepared(
        PQprepare(conn_.get(), statement.name, statement.sql, 0, nullptr));
    if (prepared == nullptr || PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
      return ErrorFrom(prepared.get(), statement.name);
    }
    prepared_.insert(statement.name);
  }
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& param : params) {
    // libpq takes C strings, so an embedded NUL would silently truncate the value.
    if (param && param->find('\0') != std::string::npos) {
      return InvalidArgument("invalid_value", "text values cannot contain NUL characters");
    }
    values.push_back(param ? param->c_str() : nullptr);
  }
  PgResult result(std::unique_ptr<pg_result, PgResult::Deleter>(
      PQexecPrepared(conn_.get(), statement.name, static_cast<int>(values.size()), values.data(),
                     nullptr, nullptr, /*resultFormat=*/0)));
  ExecStatusType status = PQresultStatus(result.result_.get());
  if (result.result_ == nullptr || (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)) {
    return ErrorFrom(result.result_.get(), statement.name);
  }
  return result;
}

// --- PgConnectionPool --------------------------------------------------------------------

PgConnectionPool::Lease& PgConnectionPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Release();
    pool_ = std::move(other.pool_);
    connection_ = std::move(other.connection_);
  }
  return *this;
}

PgConnectionPool::Lease::~Lease() { Release(); }

void PgConnectionPool::Lease::Release() {
  if (pool_ != nullptr && connection_ != nullptr) pool_->Return(std::move(connection_));
  pool_.reset();
}

std::shared_ptr<PgConnectionPool> PgConnectionPool::Create(std::string url, int size,
                                                           std::chrono::milliseconds wait) {
  return std::make_shared<PgConnectionPool>(Key(), std::move(url), size > 0 ? size : 1, wait);
}

Result<PgConnectionPool::Lease> PgConnectionPool::Acquire() {
  std::unique_ptr<PgConnection> connection;
  {
    std::unique_lock lock(mutex_);
    if (!freed_.wait_for(lock, wait_, [&] { return !idle_.empty() || open_ < size_; })) {
      return Unavailable("database_unavailable", "no database connection became free within " +
                                                     std::to_string(wait_.count()) + " ms");
    }
    if (!idle_.empty()) {
      connection = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;
    }
  }
  // Connecting and resetting do network round trips, so they happen outside the lock; the
  // slot is already counted in open_.
  Status status;
  if (connection == nullptr) {
    auto opened = PgConnection::Open(url_);
    if (opened.ok()) {
      connection = std::move(opened).value();
    } else {
      status = opened.status();
    }
  } else if (!connection->Healthy()) {
    status = connection->Reset();
  }
  if (!status.ok()) {
    connection.reset();
    std::lock_guard lock(mutex_);
    --open_;
    freed_.notify_one();
    return status;
  }
  return Lease(shared_from_this(), std::move(connection));
}

void PgConnectionPool::Return(std::unique_ptr<PgConnection> connection) {
  // A session still inside a transaction (a failed ROLLBACK) or broken would leak state into
  // the next user; closing it is cheaper than reasoning about it.
  bool reusable = connection->Healthy() && connection->Idle();
  if (!reusable) connection.reset();
  std::lock_guard lock(mutex_);
  if (reusable) {
    idle_.push_back(std::move(connection));
  } else {
    --open_;
  }
  freed_.notify_one();
}

}  // namespace liaison::storage
