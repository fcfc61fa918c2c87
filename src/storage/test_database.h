// A throwaway database for tests in layers that may not name a backend (app/, http/): a SQLite
// file in a fresh temporary directory, or a fresh PostgreSQL database on the server
// scripts/with-postgres.sh starts (through PostgresTestDatabase). Removed on destruction.
// Not thread-safe; create one per test.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace liaison::storage {

class TestDatabase {
 public:
  // `backend` is "sqlite" or "postgresql". PostgreSQL fails (never skips) without
  // LIAISON_TEST_PG_URL.
  static Result<std::unique_ptr<TestDatabase>> Create(std::string_view backend);

  TestDatabase() = default;
  virtual ~TestDatabase() = default;
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // A database URL for OpenStore().
  virtual const std::string& url() const = 0;
};

}  // namespace liaison::storage
