#include "app/outbox_worker.h"

#include <filesystem>
#include <fstream>

#include "common/log.h"

namespace liaison::app {
namespace {

bool IsSafeFileName(std::string_view name) {
  if (name.empty() || name.size() > 200 || name == "." || name == "..") return false;
  for (char c : name) {
    bool allowed =
        std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == ':';
    if (!allowed) return false;
  }
  return true;
}

class SpoolDirectoryDeliverer final : public Deliverer {
 public:
  explicit SpoolDirectoryDeliverer(std::string directory) : directory_(std::move(directory)) {}

  Status Deliver(const storage::Notification& notification) override {
    if (!IsSafeFileName(notification.topic) || !IsSafeFileName(notification.idempotency_key)) {
      return InvalidArgument("invalid_notification", "topic or key is not a safe file name");
    }
    namespace fs = std::filesystem;
    fs::path folder = fs::path(directory_) / notification.topic;
    fs::path target = folder / (notification.idempotency_key + ".json");
    std::error_code error;
    fs::create_directories(folder, error);
    if (error) return Unavailable("spool_unavailable", "cannot create the spool folder");
    if (fs::exists(target)) return Status::Ok();  // delivered before: idempotent
    fs::path temporary = target;
    temporary += ".tmp";
    {
      std::ofstream out(temporary, std::ios::trunc);
      out << notification.payload << '\n';
      out.flush();
      if (!out) return Unavailable("spool_unavailable", "cannot write to the spool folder");
    }
    fs::rename(temporary, target, error);
    if (error) return Unavailable("spool_unavailable", "cannot move the notification in place");
    return Status::Ok();
  }

 private:
  const std::string directory_;
};

}  // namespace

std::unique_ptr<Deliverer> NewSpoolDirectoryDeliverer(std::string directory) {
  return std::make_unique<SpoolDirectoryDeliverer>(std::move(directory));
}

std::chrono::seconds RetryDelay(int attempts, const OutboxWorkerOptions& options) {
  std::chrono::seconds delay = options.first_retry;
  for (int i = 1; i < attempts && delay < options.max_retry; ++i) delay *= 2;
  return std::min(delay, options.max_retry);
}

Result<int> OutboxWorker::RunOnce() {
  Timestamp now = clock_.Now();
  ASSIGN_OR_RETURN(std::vector<storage::Notification> batch,
                   store_.ClaimDueNotifications(now, options_.batch_size, options_.lease));
  int delivered = 0;
  for (const storage::Notification& notification : batch) {
    Status status = deliverer_.Deliver(notification);
    if (status.ok()) {
      RETURN_IF_ERROR(store_.MarkDelivered(notification.id, clock_.Now()));
      ++delivered;
      continue;
    }
    std::chrono::seconds delay = RetryDelay(notification.attempts + 1, options_);
    spdlog::warn("outbox delivery failed id={} attempt={} retry_in={}s reason={}", notification.id,
                 notification.attempts + 1, delay.count(), status.reason());
    RETURN_IF_ERROR(store_.MarkFailed(notification.id, status.ToString(), clock_.Now() + delay));
  }
  return delivered;
}

void OutboxWorker::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      lock.unlock();
      Result<int> delivered = RunOnce();
      if (!delivered.ok()) {
        spdlog::warn("outbox worker: {}", delivered.status().ToString());
      }
      lock.lock();
      wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_; });
    }
  });
}

void OutboxWorker::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace liaison::app
