// libpq plumbing for the PostgreSQL backend: one connection with its prepared statements, a
// query result, and a bounded pool of connections. Internal to src/storage/postgres/; libpq's
// header stays in the .cc files (only its opaque struct names appear here).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/clock.h"
#include "common/status.h"

struct pg_conn;
struct pg_result;

namespace liaison::storage {

// A named SQL statement, prepared once per connection on first use. Both strings must outlive
// every connection (string literals in practice).
struct PgStatement {
  const char* name;
  const char* sql;
};

// Text-format parameters; nullopt is SQL NULL.
using PgParams = std::vector<std::optional<std::string>>;

// Checks that libpq can parse `url` (fails with "invalid_database_url"). Never echoes the URL,
// which may hold a password.
Status CheckPostgresUrl(std::string_view url);

// The rows of one successful statement. Owns the PGresult. Move-only; not thread-safe.
class PgResult {
 public:
  int rows() const;
  bool IsNull(int row, int column) const;
  // Empty for NULL. Valid while this result lives.
  std::string_view Text(int row, int column) const;
  // Typed readers report an unreadable value as kDataLoss "corrupt_row".
  Result<std::int64_t> Int64(int row, int column) const;
  // Expects the to_char(... AT TIME ZONE 'UTC') form the statements select.
  Result<Timestamp> Time(int row, int column) const;
  Result<std::optional<Timestamp>> OptionalTime(int row, int column) const;
  // Rows changed by INSERT/UPDATE/DELETE.
  std::int64_t affected_rows() const;
  // The command tag, e.g. "COMMIT" or "ROLLBACK".
  std::string_view command_status() const;

 private:
  friend class PgConnection;
  struct Deleter {
    void operator()(pg_result* result) const;
  };
  explicit PgResult(std::unique_ptr<pg_result, Deleter> result) : result_(std::move(result)) {}

  std::unique_ptr<pg_result, Deleter> result_;
};

// One libpq connection. Owns the PGconn and remembers which statements it has prepared (a
// prepared statement lives only as long as its server session). Not thread-safe: the pool
// hands it to one thread at a time.
class PgConnection {
 private:
  struct Deleter {
    void operator()(pg_conn* conn) const;
  };
  // Lets Open() use std::make_unique while keeping construction private.
  struct Key {
    explicit Key() = default;
  };

 public:
  PgConnection(Key, std::unique_ptr<pg_conn, Deleter> conn) : conn_(std::move(conn)) {}

  // Connects with a connect timeout and UTF-8 client encoding unless `url` says otherwise.
  static Result<std::unique_ptr<PgConnection>> Open(const std::string& url);

  // Runs SQL with no parameters through the simple protocol, which allows several statements
  // in one string (migrations, BEGIN/COMMIT). Returns the last statement's result. `what`
  // names the SQL in error messages.
  Result<PgResult> Exec(const char* sql, const char* what);
  // Prepares `statement` on first use, then executes it with text parameters.
  Result<PgResult> Run(const PgStatement& statement, const PgParams& params);

  // True when the session is usable (PQstatus is CONNECTION_OK).
  bool Healthy() const;
  // True when the session is not inside a transaction, so it can go back to the pool.
  bool Idle() const;
  // Reconnects a broken session; prepared statements are forgotten with the old session.
  Status Reset();

 private:
  Status ErrorFrom(const pg_result* result, const char* what) const;

  std::unique_ptr<pg_conn, Deleter> conn_;
  std::unordered_set<std::string> prepared_;
};

// A bounded pool of PgConnections to one database, created lazily up to `size`. Thread-safe.
// Shared (via shared_ptr) by the store and every outstanding Lease, so a lease may outlive the
// store that issued it.
class PgConnectionPool : public std::enable_shared_from_this<PgConnectionPool> {
 private:
  // Lets Create() use std::make_shared while keeping construction private.
  struct Key {
    explicit Key() = default;
  };

 public:
  PgConnectionPool(Key, std::string url, int size, std::chrono::milliseconds wait)
      : url_(std::move(url)), size_(size), wait_(wait) {}

  // Exclusive use of one connection; returns it to the pool when destroyed. A connection left
  // broken or inside a transaction is closed instead of being reused. Move-only.
  class Lease {
   public:
    Lease(Lease&&) noexcept = default;
    Lease& operator=(Lease&&) noexcept;
    ~Lease();

    PgConnection& operator*() const { return *connection_; }
    PgConnection* operator->() const { return connection_.get(); }

   private:
    friend class PgConnectionPool;
    Lease(std::shared_ptr<PgConnectionPool> pool, std::unique_ptr<PgConnection> connection)
        : pool_(std::move(pool)), connection_(std::move(connection)) {}
    void Release();

    std::shared_ptr<PgConnectionPool> pool_;
    std::unique_ptr<PgConnection> connection_;
  };

  // `wait` bounds how long Acquire() blocks for a free connection.
  static std::shared_ptr<PgConnectionPool> Create(std::string url, int size,
                                                  std::chrono::milliseconds wait);

  // A healthy connection: an idle one (reset first if it broke), or a new one while fewer than
  // `size` exist. Fails with kUnavailable if none frees up within `wait` or connecting fails.
  Result<Lease> Acquire();

 private:
  void Return(std::unique_ptr<PgConnection> connection);

  const std::string url_;
  const int size_;
  const std::chrono::milliseconds wait_;

  std::mutex mutex_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // guarded by mutex_
  int open_ = 0;  // connections in idle_, leased, or being opened; guarded by mutex_
};

}  // namespace liaison::storage
