#include "storage/test_database.h"

#include <filesystem>

#include "common/hash.h"
#include "storage/postgres/postgres_test_database.h"

namespace liaison::storage {
namespace {

// Owns its temporary directory.
class SqliteTestDatabase final : public TestDatabase {
 public:
  SqliteTestDatabase() {
    dir_ = std::filesystem::temp_directory_path() / ("liaison-test-" + RandomHex(8));
    std::filesystem::create_directories(dir_);
    url_ = "sqlite:" + (dir_ / "test.db").string();
  }
  ~SqliteTestDatabase() override {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }
  const std::string& url() const override { return url_; }

 private:
  std::filesystem::path dir_;
  std::string url_;
};

// Owns the PostgreSQL database, dropped on destruction.
class PgTestDatabase final : public TestDatabase {
 public:
  explicit PgTestDatabase(std::unique_ptr<PostgresTestDatabase> database)
      : database_(std::move(database)) {}
  const std::string& url() const override { return database_->url(); }

 private:
  std::unique_ptr<PostgresTestDatabase> database_;
};

}  // namespace

Result<std::unique_ptr<TestDatabase>> TestDatabase::Create(std::string_view backend) {
  if (backend == "sqlite")
    return std::unique_ptr<TestDatabase>(std::make_unique<SqliteTestDatabase>());
  if (backend != "postgresql") {
    return InvalidArgument("invalid_backend", "a test database is sqlite or postgresql");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<PostgresTestDatabase> database, PostgresTestDatabase::Create());
  return std::unique_ptr<TestDatabase>(std::make_unique<PgTestDatabase>(std::move(database)));
}

}  // namespace liaison::storage
