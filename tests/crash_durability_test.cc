// "Nothing lost": every write acknowledged before a kill -9 is there afterwards, and the
// audit chain still verifies. A forked child commits people one by one through the real app
// service and reports each acknowledged id down a pipe; the parent kills it mid-stream, then
// reopens the database. Runs on SQLite and on PostgreSQL.
#include <filesystem>
#include <vector>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app/audit_log.h"
#include "app/person_service.h"
#include "common/hash.h"
#include "storage/postgres/postgres_test_database.h"
#include "storage/store.h"

namespace liaison {
namespace {

[[noreturn]] void WriteUntilKilled(const std::string& url, const std::string& anchor_path,
                                   int pipe_fd) {
  auto store = storage::OpenStore(url, {});
  if (!store.ok()) _exit(2);
  SystemClock clock;
  auto anchor = app::NewFileAuditAnchor(anchor_path);
  app::AuditLog audit(clock, *anchor);
  app::PersonService people(**store, audit, clock);
  for (int i = 0;; ++i) {
    domain::Person person;
    person.given_name = "Crash";
    person.family_name = "Test";
    Result<domain::Person> created = people.Create({"test", "crash test"}, person);
    if (!created.ok()) _exit(3);
    std::int64_t id = created->id.value();
    if (write(pipe_fd, &id, sizeof(id)) != sizeof(id)) _exit(4);
  }
}

class CrashDurabilityTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("liaison-crash-" + RandomHex(8));
    std::filesystem::create_directories(dir_);
    if (GetParam() == "sqlite") {
      url_ = "sqlite:" + (dir_ / "crash.db").string();
    } else {
      auto database = storage::PostgresTestDatabase::Create();
      ASSERT_TRUE(database.ok()) << database.status().ToString();
      pg_ = std::move(database).value();
      url_ = pg_->url();
    }
    auto store = storage::OpenStore(url_, {});
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->Migrate().ok());
  }
  void TearDown() override {
    pg_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::filesystem::path dir_;
  std::string url_;
  std::unique_ptr<storage::PostgresTestDatabase> pg_;
};

TEST_P(CrashDurabilityTest, AcknowledgedWritesSurviveKillNine) {
  std::string anchor_path = (dir_ / "crash.audit-anchor").string();
  int fds[2];
  ASSERT_EQ(pipe(fds), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(fds[0]);
    WriteUntilKilled(url_, anchor_path, fds[1]);
  }
  close(fds[1]);
  std::vector<std::int64_t> acknowledged;
  std::int64_t id = 0;
  while (acknowledged.size() < 60 && read(fds[0], &id, sizeof(id)) == sizeof(id)) {
    acknowledged.push_back(id);
  }
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  close(fds[0]);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the writer stopped on its own: " << status;
  ASSERT_EQ(acknowledged.size(), 60u);

  auto store = storage::OpenStore(url_, {});
  ASSERT_TRUE(store.ok());
  auto work = (*store)->Begin();
  ASSERT_TRUE(work.ok());
  for (std::int64_t person : acknowledged) {
    EXPECT_TRUE((*work)->GetPerson(domain::PersonId(person)).ok()) << "lost person " << person;
  }
  work->reset();
  auto anchor = app::NewFileAuditAnchor(anchor_path);
  Result<app::AuditVerification> verified = app::VerifyAuditChain(**store, anchor.get());
  ASSERT_TRUE(verified.ok()) << verified.status().ToString();
  EXPECT_TRUE(verified->ok) << verified->problem;
  EXPECT_GE(verified->events, 60);
}

INSTANTIATE_TEST_SUITE_P(Backends, CrashDurabilityTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace liaison
