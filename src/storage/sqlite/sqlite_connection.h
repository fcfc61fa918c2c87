// A SQLite connection with a cache of prepared statements, reused for the connection's life.
// Owned by the store's pool; used by one thread at a time.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "storage/store.h"

struct sqlite3;
struct sqlite3_stmt;

namespace liaison::storage::sqlite_internal {

// A prepared statement borrowed from a connection's cache. Resets and clears its bindings
// when destroyed so the next borrower starts clean. Not thread-safe.
class Statement {
 public:
  Statement(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  // Binds parameters left to right, starting at ?1.
  Statement& Bind(std::int64_t value);
  Statement& Bind(std::string_view value);
  Statement& BindNull();
  Statement& BindOptional(const std::optional<std::string>& value);

  // Steps once. Returns true when a row is available, false when done.
  Result<bool> Step();
  // Runs to completion, ignoring rows.
  Status Run();

  std::int64_t Int(int column) const;
  std::string Text(int column) const;
  bool IsNull(int column) const;

 private:
  sqlite3_stmt* stmt_;
  sqlite3* db_;
  int next_index_ = 1;
};

// Owns one sqlite3 handle and its statement cache. Not thread-safe.
class Connection {
 public:
  static Result<std::unique_ptr<Connection>> Open(const std::string& path,
                                                  const StoreOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs SQL with no parameters and no results (pragmas, BEGIN, COMMIT, DDL).
  Status Exec(std::string_view sql);
  // Borrows the cached prepared statement for `sql`, preparing it on first use.
  Result<std::unique_ptr<Statement>> Prepare(const std::string& sql);
  std::int64_t LastInsertRowId() const;
  // Rows changed by the last INSERT, UPDATE or DELETE.
  std::int64_t Changes() const;

 private:
  explicit Connection(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*, std::less<>> cache_;
};

// Maps a SQLite result code to a Status without exposing bound values.
Status SqliteError(sqlite3* db, int code, std::string_view doing);

}  // namespace liaison::storage::sqlite_internal
