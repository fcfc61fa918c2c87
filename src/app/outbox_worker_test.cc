#include "app/outbox_worker.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "common/hash.h"
#include "common/time_format.h"

namespace liaison::app {
namespace {

// Fails the first `failures` deliveries, then records the rest.
class FlakyDeliverer final : public Deliverer {
 public:
  explicit FlakyDeliverer(int failures) : failures_(failures) {}
  Status Deliver(const storage::Notification& notification) override {
    if (failures_-- > 0) return Unavailable("receiver_down", "the receiver is down");
    delivered.push_back(notification.idempotency_key);
    return Status::Ok();
  }
  std::vector<std::string> delivered;

 private:
  int failures_;
};

class OutboxWorkerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("liaison-outbox-" + RandomHex(8));
    std::filesystem::create_directories(dir_);
    store_ = std::move(storage::OpenStore("sqlite:" + (dir_ / "o.db").string(), {})).value();
    ASSERT_TRUE(store_->Migrate().ok());
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Enqueue(const std::string& key) {
    auto work = std::move(store_->Begin()).value();
    ASSERT_TRUE(work->EnqueueNotification({key, "test.topic", "{\"n\":1}", clock_.Now()}).ok());
    ASSERT_TRUE(work->Commit().ok());
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::Store> store_;
  FakeClock clock_{*ParseTimestamp("2026-11-26T09:00:00Z")};
};

TEST_F(OutboxWorkerTest, RetriesWithBackoffUntilDelivered) {
  Enqueue("a");
  FlakyDeliverer deliverer(2);
  OutboxWorker worker(*store_, deliverer, clock_, {});
  EXPECT_EQ(*worker.RunOnce(), 0);  // attempt 1 fails; retry in 2 s
  EXPECT_EQ(*worker.RunOnce(), 0);  // not due yet
  clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(*worker.RunOnce(), 0);  // attempt 2 fails; retry in 4 s
  clock_.Advance(std::chrono::seconds(3));
  EXPECT_EQ(*worker.RunOnce(), 0);
  clock_.Advance(std::chrono::seconds(1));
  EXPECT_EQ(*worker.RunOnce(), 1);
  EXPECT_EQ(deliverer.delivered, std::vector<std::string>{"a"});
  EXPECT_EQ(store_->GetOutboxStats()->pending, 0);
}

TEST_F(OutboxWorkerTest, AClaimedButUndeliveredNotificationIsRetriedAfterItsLease) {
  Enqueue("b");
  // A worker that crashed after claiming: the lease runs out and another worker delivers.
  ASSERT_EQ(store_->ClaimDueNotifications(clock_.Now(), 10, std::chrono::seconds(60))->size(), 1u);
  FlakyDeliverer deliverer(0);
  OutboxWorker worker(*store_, deliverer, clock_, {});
  EXPECT_EQ(*worker.RunOnce(), 0);
  clock_.Advance(std::chrono::seconds(60));
  EXPECT_EQ(*worker.RunOnce(), 1);
}

TEST(RetryDelayTest, DoublesAndCaps) {
  OutboxWorkerOptions options;
  EXPECT_EQ(RetryDelay(1, options).count(), 2);
  EXPECT_EQ(RetryDelay(2, options).count(), 4);
  EXPECT_EQ(RetryDelay(5, options).count(), 32);
  EXPECT_EQ(RetryDelay(40, options).count(), 3600);
}

TEST(SpoolDirectoryDelivererTest, WritesOnceAndRejectsUnsafeNames) {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("liaison-spool-" + RandomHex(8));
  std::unique_ptr<Deliverer> deliverer = NewSpoolDirectoryDeliverer(dir.string());
  storage::Notification n;
  n.topic = "register.attendance";
  n.idempotency_key = "abc-1";
  n.payload = "{\"first\":true}";
  ASSERT_TRUE(deliverer->Deliver(n).ok());
  n.payload = "{\"first\":false}";
  ASSERT_TRUE(deliverer->Deliver(n).ok());
  std::ifstream in(dir / "register.attendance" / "abc-1.json");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "{\"first\":true}");
  n.idempotency_key = "../escape";
  EXPECT_FALSE(deliverer->Deliver(n).ok());
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace liaison::app
