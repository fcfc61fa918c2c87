#include "storage/sqlite/sqlite_connection.h"

#include <string>

#include <sqlite3.h>

namespace liaison::storage::sqlite_internal {
namespace {

// "UNIQUE constraint failed: sites.code" -> "/code". SQLite names only table and column here,
// never the value, so the message is safe to keep.
std::string FieldOfConstraint(std::string_view message) {
  size_t dot = message.rfind('.');
  if (dot == std::string_view::npos) return {};
  std::string_view column = message.substr(dot + 1);
  size_t end = column.find_first_of(", ");
  return "/" + std::string(column.substr(0, end));
}

}  // namespace

Status SqliteError(sqlite3* db, int code, std::string_view doing) {
  std::string message = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  int primary = code & 0xff;
  if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
    std::string field = FieldOfConstraint(message);
    std::string reason = field == "/nhs_number" ? "duplicate_nhs_number" : "duplicate_code";
    std::string what = field.size() > 1 ? field.substr(1) : std::string("value");
    return AlreadyExists(reason, "a record with this " + what + " already exists", field);
  }
  if (code == SQLITE_CONSTRAINT_FOREIGNKEY) {
    return NotFound("not_found", "a referenced record does not exist");
  }
  if (primary == SQLITE_CONSTRAINT) {
    return InvalidArgument("constraint_violation", std::string(doing) + ": " + message);
  }
  if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) {
    return Unavailable("database_busy", std::string(doing) + ": the database is busy");
  }
  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) {
    return DataLoss("database_corrupt", std::string(doing) + ": " + message);
  }
  return Unavailable("database_unavailable", std::string(doing) + ": " + message);
}

Statement::~Statement() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Statement& Statement::Bind(std::int64_t value) {
  sqlite3_bind_int64(stmt_, next_index_++, value);
  return *this;
}

Statement& Statement::Bind(std::string_view value) {
  sqlite3_bind_text(stmt_, next_index_++, value.data(), static_cast<int>(value.size()),
                    SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::BindNull() {
  sqlite3_bind_null(stmt_, next_index_++);
  return *this;
}

Statement& Statement::BindOptional(const std::optional<std::string>& value) {
  return value ? Bind(std::string_view(*value)) : BindNull();
}

Result<bool> Statement::Step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return SqliteError(db_, sqlite3_extended_errcode(db_), "step");
}

Status Statement::Run() {
  while (true) {
    ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

std::int64_t Statement::Int(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::Text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::IsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                     const StoreOptions& options) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(
      path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Status status = Unavailable("database_unavailable", "cannot open the SQLite database file");
    sqlite3_close(db);
    return status;
  }
  std::unique_ptr<Connection> connection(new Connection(db));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, static_cast<int>(options.busy_timeout.count()));
  RETURN_IF_ERROR(connection->Exec("PRAGMA journal_mode=WAL"));
  RETURN_IF_ERROR(connection->Exec("PRAGMA foreign_keys=ON"));
  RETURN_IF_ERROR(connection->Exec(options.durability == Durability::kFull
                                       ? "PRAGMA synchronous=FULL"
                                       : "PRAGMA synchronous=NORMAL"));
  return connection;
}

Connection::~Connection() {
  for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
  sqlite3_close(db_);
}

Status Connection::Exec(std::string_view sql) {
  std::string text(sql);
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) return SqliteError(db_, sqlite3_extended_errcode(db_), "exec");
  return Status::Ok();
}

Result<std::unique_ptr<Statement>> Connection::Prepare(const std::string& sql) {
  auto found = cache_.find(sql);
  if (found == cache_.end()) {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()),
                                SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare");
    found = cache_.emplace(sql, stmt).first;
  }
  return std::make_unique<Statement>(found->second, db_);
}

std::int64_t Connection::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

std::int64_t Connection::Changes() const { return sqlite3_changes64(db_); }

}  // namespace liaison::storage::sqlite_internal
