#include "app/audit_log.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "common/hash.h"
#include "common/time_format.h"

namespace liaison::app {
namespace {

// A migrated SQLite store in a temporary folder, plus raw access for tampering.
class AuditLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("liaison-audit-" + RandomHex(8));
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "audit.db").string();
    store_ = std::move(storage::OpenStore("sqlite:" + path_, {})).value();
    ASSERT_TRUE(store_->Migrate().ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  void AppendEvents(int n) {
    for (int i = 0; i < n; ++i) {
      Result<AuditedWork> work = AuditedWork::Begin(*store_, audit_);
      ASSERT_TRUE(work.ok());
      ASSERT_TRUE(
          work->Append({"user:1", "person.read", "person", std::to_string(i), "care"}).ok());
      ASSERT_TRUE(work->Commit().ok());
      clock_.Advance(std::chrono::seconds(1));
    }
  }

  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK)
        << sqlite3_errmsg(db);
    sqlite3_close(db);
  }

  AuditVerification Verify() {
    Result<AuditVerification> result = VerifyAuditChain(*store_, anchor_.get());
    EXPECT_TRUE(result.ok()) << result.status().ToString();
    return result.ok() ? *result : AuditVerification{};
  }

  std::filesystem::path dir_;
  std::string path_;
  std::unique_ptr<storage::Store> store_;
  FakeClock clock_{*ParseTimestamp("2026-11-26T09:00:00Z")};
  std::unique_ptr<AuditAnchor> anchor_ = NewMemoryAuditAnchor();
  AuditLog audit_{clock_, *anchor_};
};

TEST_F(AuditLogTest, AnIntactChainVerifies) {
  AppendEvents(5);
  AuditVerification result = Verify();
  EXPECT_TRUE(result.ok) << result.problem;
  EXPECT_EQ(result.events, 5);
  EXPECT_EQ((*anchor_->Read())->seq, 5);
}

TEST_F(AuditLogTest, AnEmptyChainVerifies) {
  AuditVerification result = Verify();
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.events, 0);
}

TEST_F(AuditLogTest, AnAlteredEventIsNamed) {
  AppendEvents(5);
  Tamper("UPDATE audit_events SET reason = 'nothing to see' WHERE seq = 3");
  AuditVerification result = Verify();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 3);
  EXPECT_NE(result.problem.find("altered"), std::string::npos) << result.problem;
}

TEST_F(AuditLogTest, AnAlteredEventWithARecomputedHashBreaksTheNextLink) {
  AppendEvents(4);
  // A forger who recomputes event 2's own hash still breaks event 3's link to it.
  Result<AuditVerification> before = VerifyAuditChain(*store_, nullptr);
  ASSERT_TRUE(before.ok() && before->ok);
  domain::AuditEvent forged;
  ASSERT_TRUE(store_
                  ->ScanAudit([&](const domain::AuditEvent& event) {
                    if (event.seq == 2) forged = event;
                    return Status::Ok();
                  })
                  .ok());
  forged.entry.actor = "user:999";
  forged.hash = AuditEventHash(forged);
  Tamper("UPDATE audit_events SET actor = 'user:999', hash = '" + forged.hash + "' WHERE seq = 2");
  AuditVerification result = Verify();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 3);
}

TEST_F(AuditLogTest, ADeletedEventIsNamed) {
  AppendEvents(5);
  Tamper("DELETE FROM audit_events WHERE seq = 2");
  AuditVerification result = Verify();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 2);
  EXPECT_NE(result.problem.find("missing"), std::string::npos) << result.problem;
}

TEST_F(AuditLogTest, ReorderedEventsAreCaught) {
  AppendEvents(4);
  Tamper(
      "UPDATE audit_events SET seq = -1 WHERE seq = 2;"
      "UPDATE audit_events SET seq = 2 WHERE seq = 3;"
      "UPDATE audit_events SET seq = 3 WHERE seq = -1;");
  AuditVerification result = Verify();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 2);
}

TEST_F(AuditLogTest, CuttingOffTheNewestEventsIsCaughtByTheAnchor) {
  AppendEvents(5);
  Tamper("DELETE FROM audit_events WHERE seq >= 4");
  Result<AuditVerification> without_anchor = VerifyAuditChain(*store_, nullptr);
  ASSERT_TRUE(without_anchor.ok());
  EXPECT_TRUE(without_anchor->ok);  // the chain alone cannot tell
  AuditVerification result = Verify();
  EXPECT_FALSE(result.ok);
  EXPECT_EQ(result.first_bad_seq, 4);
  EXPECT_NE(result.problem.find("removed"), std::string::npos) << result.problem;
}

TEST_F(AuditLogTest, AnUncommittedAppendLeavesTheChainAndAnchorUnchanged) {
  AppendEvents(2);
  {
    Result<AuditedWork> work = AuditedWork::Begin(*store_, audit_);
    ASSERT_TRUE(work.ok());
    ASSERT_TRUE(work->Append({"user:1", "x", "y", "z", "w"}).ok());
  }
  EXPECT_EQ((*anchor_->Read())->seq, 2);
  EXPECT_TRUE(Verify().ok);
  EXPECT_EQ(Verify().events, 2);
}

TEST(FileAuditAnchorTest, PersistsAndNeverMovesBackwards) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("liaison-anchor-" + RandomHex(8));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "x.audit-anchor").string();
  {
    std::unique_ptr<AuditAnchor> anchor = NewFileAuditAnchor(path);
    EXPECT_FALSE((*anchor->Read()).has_value());
    ASSERT_TRUE(anchor->Advance({5, std::string(64, 'a')}).ok());
    ASSERT_TRUE(anchor->Advance({3, std::string(64, 'b')}).ok());
  }
  std::unique_ptr<AuditAnchor> reopened = NewFileAuditAnchor(path);
  ASSERT_TRUE(reopened->Advance({4, std::string(64, 'c')}).ok());
  Result<std::optional<storage::AuditHead>> head = reopened->Read();
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->seq, 5);
  EXPECT_EQ((*head)->hash, std::string(64, 'a'));
  std::filesystem::remove_all(dir);
}

TEST(DefaultAnchorPathTest, NeverContainsAPassword) {
  EXPECT_EQ(DefaultAnchorPath("sqlite:/var/lib/liaison.db"), "/var/lib/liaison.db.audit-anchor");
  std::string pg = DefaultAnchorPath("postgresql://app:s3cret@db.example:5433/liaison?x=1");
  EXPECT_EQ(pg, "liaison-db-example-5433-liaison.audit-anchor");
  EXPECT_EQ(pg.find("s3cret"), std::string::npos);
}

}  // namespace
}  // namespace liaison::app
