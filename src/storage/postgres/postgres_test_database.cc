#include "storage/postgres/postgres_test_database.h"

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string_view>

#include "storage/postgres/postgres_connection.h"

namespace liaison::storage {
namespace {

constexpr std::string_view kUrlVariable = "LIAISON_TEST_PG_URL";

std::string RandomHex(int bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::random_device device;
  std::string out;
  for (int i = 0; i < bytes; ++i) {
    unsigned value = device() & 0xffU;
    out += kDigits[value >> 4];
    out += kDigits[value & 0xfU];
  }
  return out;
}

// The admin URL with its database path replaced by `name`; the query string is kept.
Result<std::string> UrlForDatabase(std::string_view admin_url, std::string_view name) {
  size_t scheme_end = admin_url.find("://");
  if (!admin_url.starts_with("postgres") || scheme_end == std::string_view::npos) {
    return InvalidArgument("invalid_database_url",
                           std::string(kUrlVariable) + " must be a postgresql:// URL");
  }
  size_t path = admin_url.find_first_of("/?", scheme_end + 3);
  std::string url(admin_url.substr(0, path));
  url += "/";
  url += name;
  if (path != std::string_view::npos) {
    size_t query = admin_url.find('?', path);
    if (query != std::string_view::npos) url += admin_url.substr(query);
  }
  return url;
}

}  // namespace

Result<std::unique_ptr<PostgresTestDatabase>> PostgresTestDatabase::Create() {
  const char* admin_url = std::getenv(std::string(kUrlVariable).c_str());
  if (admin_url == nullptr || *admin_url == '\0') {
    return FailedPrecondition("no_test_database",
                              std::string(kUrlVariable) +
                                  " is not set; run the PostgreSQL tests through "
                                  "scripts/with-postgres.sh, e.g. scripts/with-postgres.sh ctest");
  }
  std::string name = "liaison_test_" + RandomHex(8);
  ASSIGN_OR_RETURN(std::string url, UrlForDatabase(admin_url, name));
  ASSIGN_OR_RETURN(std::unique_ptr<PgConnection> admin, PgConnection::Open(admin_url));
  // The name is generated hex, so splicing it into the SQL is safe.
  std::string create = "CREATE DATABASE " + name;
  RETURN_IF_ERROR(admin->Exec(create.c_str(), "create test database"));
  return std::make_unique<PostgresTestDatabase>(Key(), std::move(admin), std::move(name),
                                                std::move(url));
}

PostgresTestDatabase::PostgresTestDatabase(Key, std::unique_ptr<PgConnection> admin,
                                           std::string name, std::string url)
    : admin_(std::move(admin)), name_(std::move(name)), url_(std::move(url)) {}

PostgresTestDatabase::~PostgresTestDatabase() {
  // FORCE ends sessions a test left open (a leaked store, a pool still holding connections).
  std::string drop = "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)";
  Status status = admin_->Healthy() ? Status::Ok() : admin_->Reset();
  if (status.ok()) {
    auto dropped = admin_->Exec(drop.c_str(), "drop test database");
    if (!dropped.ok()) status = dropped.status();
  }
  if (!status.ok()) {
    std::fprintf(stderr, "warning: could not drop test database %s: %s\n", name_.c_str(),
                 status.ToString().c_str());
  }
}

}  // namespace liaison::storage
