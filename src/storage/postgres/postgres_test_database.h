// A throwaway PostgreSQL database for tests, on the server scripts/with-postgres.sh starts.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"

namespace liaison::storage {

class PgConnection;

// Creates a fresh, uniquely named database (liaison_test_<random hex>) through the admin URL
// in LIAISON_TEST_PG_URL and drops it (WITH (FORCE)) on destruction. Owns the admin
// connection. Not thread-safe; create one per test.
class PostgresTestDatabase {
 private:
  // Lets Create() use std::make_unique while keeping construction private.
  struct Key {
    explicit Key() = default;
  };

 public:
  // Fails (rather than crashing) when LIAISON_TEST_PG_URL is unset or the server is
  // unreachable, so a test can report or skip.
  static Result<std::unique_ptr<PostgresTestDatabase>> Create();

  PostgresTestDatabase(Key, std::unique_ptr<PgConnection> admin, std::string name, std::string url);
  ~PostgresTestDatabase();
  PostgresTestDatabase(const PostgresTestDatabase&) = delete;
  PostgresTestDatabase& operator=(const PostgresTestDatabase&) = delete;

  // A postgresql:// URL for the new database, suitable for OpenStore().
  const std::string& url() const { return url_; }

 private:
  std::unique_ptr<PgConnection> admin_;
  std::string name_;
  std::string url_;
};

}  // namespace liaison::storage
