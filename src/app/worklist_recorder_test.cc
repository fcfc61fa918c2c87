// WorklistRecorder on both backends: entries keep their order, the run's count and the audit
// event are written with them, and a run dropped before Commit leaves nothing.
#include "app/worklist_recorder.h"

#include <gtest/gtest.h>

#include "common/time_format.h"
#include "storage/test_database.h"

namespace liaison::app {
namespace {

class WorklistRecorderTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    Result<std::unique_ptr<storage::TestDatabase>> database =
        storage::TestDatabase::Create(GetParam());
    ASSERT_TRUE(database.ok()) << database.status().ToString();
    database_ = std::move(database).value();
    store_ = std::move(storage::OpenStore(database_->url(), {})).value();
    ASSERT_TRUE(store_->Migrate().ok());
  }

  void TearDown() override {
    store_.reset();
    database_.reset();
  }

  static storage::WorklistEntry Entry(std::string id, std::string level) {
    storage::WorklistEntry entry;
    entry.attendance_id = std::move(id);
    entry.site_code = "RXA01";
    entry.arrival = *ParseTimestamp("2026-11-20T10:00:00Z");
    entry.level = std::move(level);
    entry.person_key = "local:RXA01:L1";
    entry.findings_json = "[]";
    return entry;
  }

  std::unique_ptr<storage::TestDatabase> database_;
  std::unique_ptr<storage::Store> store_;
  FakeClock clock_{*ParseTimestamp("2026-11-26T09:00:00Z")};
  std::unique_ptr<AuditAnchor> anchor_ = NewMemoryAuditAnchor();
  AuditLog audit_{clock_, *anchor_};
};

TEST_P(WorklistRecorderTest, StoresTheRunItsEntriesInOrderAndOneAuditEvent) {
  storage::WorklistRun run;
  run.history_days = 30;
  auto recorder = WorklistRecorder::Begin(*store_, audit_, clock_, {"cli", "ED review"}, run);
  ASSERT_TRUE(recorder.ok()) << recorder.status().ToString();
  ASSERT_TRUE((*recorder)->Add(Entry("A9", "suspect")).ok());
  ASSERT_TRUE((*recorder)->Add(Entry("A1", "review")).ok());
  Result<std::int64_t> run_id = (*recorder)->Commit();
  ASSERT_TRUE(run_id.ok()) << run_id.status().ToString();

  auto read = std::move(store_->Begin()).value();
  std::optional<storage::WorklistRun> latest = *read->LatestWorklistRun();
  ASSERT_TRUE(latest.has_value());
  EXPECT_EQ(latest->id, *run_id);
  EXPECT_EQ(latest->item_count, 2);
  EXPECT_EQ(latest->history_days, 30);
  EXPECT_EQ(latest->created_at, clock_.Now());
  std::vector<storage::WorklistEntry> entries = *read->ListWorklistEntries(*run_id);
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].attendance_id, "A9");
  EXPECT_EQ(entries[0].position, 1);
  EXPECT_EQ(entries[1].attendance_id, "A1");
  EXPECT_EQ(entries[1].position, 2);

  std::vector<domain::AuditEvent> events;
  ASSERT_TRUE(store_
                  ->ScanAudit([&events](const domain::AuditEvent& event) {
                    events.push_back(event);
                    return Status::Ok();
                  })
                  .ok());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].entry.action, "worklist.create");
  EXPECT_EQ(events[0].entry.record_id, std::to_string(*run_id));
  EXPECT_EQ(events[0].entry.actor, "cli");
  EXPECT_TRUE(VerifyAuditChain(*store_, anchor_.get())->ok);
}

TEST_P(WorklistRecorderTest, ARunDroppedBeforeCommitLeavesNothing) {
  {
    auto recorder = WorklistRecorder::Begin(*store_, audit_, clock_, {"cli", "ED review"}, {});
    ASSERT_TRUE(recorder.ok());
    ASSERT_TRUE((*recorder)->Add(Entry("A1", "review")).ok());
  }
  auto read = std::move(store_->Begin()).value();
  EXPECT_FALSE(read->LatestWorklistRun()->has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, WorklistRecorderTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace liaison::app
