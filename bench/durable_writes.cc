// Durable "create person + audit event" commits per second, against a raw single-row INSERT
// with the same durability in the same database (SQLite synchronous=FULL in WAL; PostgreSQL
// defaults). Prints the median, min and max of 5 runs and the ratio of medians.
//   durable_writes sqlite:/tmp/bench.db [COMMITS]
//   durable_writes postgresql://... [COMMITS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "app/audit_anchor.h"
#include "app/audit_log.h"
#include "app/person_service.h"
#include "common/clock.h"
#include "storage/store.h"

namespace {

using Seconds = std::chrono::duration<double>;
constexpr int kRuns = 5;

struct Figures {
  double median, min, max;
};

Figures Summarise(std::vector<double> rates) {
  std::sort(rates.begin(), rates.end());
  return {rates[rates.size() / 2], rates.front(), rates.back()};
}

// Liaison's path: validate, insert the person, append the audit event, commit, move the anchor.
double LiaisonRun(liaison::storage::Store& store, const liaison::app::AuditLog& audit,
                  const liaison::Clock& clock, int commits) {
  liaison::app::PersonService people(store, audit, clock);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < commits; ++i) {
    liaison::domain::Person person;
    person.given_name = "Bench";
    person.family_name = "Person";
    person.postcode = "BN1 1AA";
    if (!people.Create({"bench", "benchmark"}, person).ok()) {
      std::fprintf(stderr, "liaison write failed\n");
      std::exit(1);
    }
  }
  return commits / Seconds(std::chrono::steady_clock::now() - start).count();
}

double SqliteRawRun(const std::string& path, int commits) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr);
  sqlite3_exec(db,
               "CREATE TABLE IF NOT EXISTS raw_people (id INTEGER PRIMARY KEY, given TEXT, "
               "family TEXT, postcode TEXT)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* stmt = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO raw_people(given, family, postcode) VALUES (?1, ?2, ?3)", -1,
                     &stmt, nullptr);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < commits; ++i) {
    sqlite3_bind_text(stmt, 1, "Bench", -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, "Person", -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, "BN1 1AA", -1, SQLITE_STATIC);
    if (sqlite3_step(stmt) != SQLITE_DONE) std::exit(1);
    sqlite3_reset(stmt);
  }
  double rate = commits / Seconds(std::chrono::steady_clock::now() - start).count();
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return rate;
}

double PostgresRawRun(const std::string& url, int commits) {
  PGconn* conn = PQconnectdb(url.c_str());
  PQclear(PQexec(conn,
                 "CREATE TABLE IF NOT EXISTS raw_people (id bigserial PRIMARY KEY, "
                 "given text, family text, postcode text)"));
  PQclear(PQprepare(conn, "raw_insert",
                    "INSERT INTO raw_people(given, family, postcode) VALUES ($1, $2, $3)", 3,
                    nullptr));
  const char* values[] = {"Bench", "Person", "BN1 1AA"};
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < commits; ++i) {
    PGresult* result = PQexecPrepared(conn, "raw_insert", 3, values, nullptr, nullptr, 0);
    if (PQresultStatus(result) != PGRES_COMMAND_OK) std::exit(1);
    PQclear(result);
  }
  double rate = commits / Seconds(std::chrono::steady_clock::now() - start).count();
  PQfinish(conn);
  return rate;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: durable_writes DATABASE_URL [COMMITS]\n");
    return 2;
  }
  std::string url = argv[1];
  int commits = argc > 2 ? std::atoi(argv[2]) : 300;
  liaison::storage::StoreOptions options;
  options.durability = liaison::storage::Durability::kFull;
  auto store = liaison::storage::OpenStore(url, options);
  if (!store.ok() || !(*store)->Migrate().ok()) {
    std::fprintf(stderr, "cannot open or migrate the database\n");
    return 1;
  }
  liaison::SystemClock clock;
  std::unique_ptr<liaison::app::AuditAnchor> anchor =
      liaison::app::NewFileAuditAnchor(liaison::app::DefaultAnchorPath(url) + ".bench");
  liaison::app::AuditLog audit(clock, *anchor);
  bool sqlite = url.starts_with("sqlite:");
  std::vector<double> liaison_rates, raw_rates;
  for (int run = 0; run < kRuns; ++run) {
    // Interleaved so that drift in the machine's load affects both sides alike.
    liaison_rates.push_back(LiaisonRun(**store, audit, clock, commits));
    raw_rates.push_back(sqlite ? SqliteRawRun(url.substr(7), commits)
                               : PostgresRawRun(url, commits));
  }
  Figures ours = Summarise(liaison_rates);
  Figures raw = Summarise(raw_rates);
  std::printf(
      "%s: person+audit %.0f commits/s (min %.0f, max %.0f); raw INSERT %.0f commits/s "
      "(min %.0f, max %.0f); ratio %.2f (%d runs of %d commits)\n",
      std::string((*store)->Backend()).c_str(), ours.median, ours.min, ours.max, raw.median,
      raw.min, raw.max, ours.median / raw.median, kRuns, commits);
  return 0;
}
