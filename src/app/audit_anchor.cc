#include "app/audit_anchor.h"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace liaison::app {
namespace {

// An open file descriptor holding an exclusive flock, released on scope exit.
class FileLock {
 public:
  explicit FileLock(const std::string& path)
      : fd_(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);  // closing releases the lock
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  bool ok() const { return fd_ >= 0; }

 private:
  int fd_;
};

Result<std::optional<storage::AuditHead>> ReadAnchorFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::optional<storage::AuditHead>();
  storage::AuditHead head;
  if (!(in >> head.seq >> head.hash) || head.seq < 0 || head.hash.size() != 64) {
    return DataLoss("corrupt_audit_anchor", "the audit anchor file cannot be read");
  }
  return std::optional<storage::AuditHead>(head);
}

class FileAuditAnchor final : public AuditAnchor {
 public:
  explicit FileAuditAnchor(std::string path) : path_(std::move(path)) {}

  Status Advance(const storage::AuditHead& head) override {
    std::lock_guard guard(mutex_);
    if (head.seq <= highest_written_) return Status::Ok();
    FileLock lock(path_ + ".lock");
    if (!lock.ok()) return Unavailable("audit_anchor_unavailable", "cannot lock the audit anchor");
    ASSIGN_OR_RETURN(std::optional<storage::AuditHead> current, ReadAnchorFile(path_));
    if (current && current->seq >= head.seq) {
      highest_written_ = current->seq;
      return Status::Ok();
    }
    std::string temporary = path_ + ".tmp";
    {
      std::ofstream out(temporary, std::ios::trunc);
      out << head.seq << ' ' << head.hash << '\n';
      out.flush();
      if (!out) return Unavailable("audit_anchor_unavailable", "cannot write the audit anchor");
    }
    if (std::rename(temporary.c_str(), path_.c_str()) != 0) {
      return Unavailable("audit_anchor_unavailable", "cannot replace the audit anchor");
    }
    highest_written_ = head.seq;
    return Status::Ok();
  }

  Result<std::optional<storage::AuditHead>> Read() const override {
    std::lock_guard guard(mutex_);
    return ReadAnchorFile(path_);
  }

 private:
  const std::string path_;
  mutable std::mutex mutex_;
  std::int64_t highest_written_ = 0;  // guarded by mutex_
};

class MemoryAuditAnchor final : public AuditAnchor {
 public:
  Status Advance(const storage::AuditHead& head) override {
    std::lock_guard guard(mutex_);
    if (!head_ || head.seq > head_->seq) head_ = head;
    return Status::Ok();
  }
  Result<std::optional<storage::AuditHead>> Read() const override {
    std::lock_guard guard(mutex_);
    return head_;
  }

 private:
  mutable std::mutex mutex_;
  std::optional<storage::AuditHead> head_;  // guarded by mutex_
};

std::string FileSafe(std::string_view text) {
  std::string out;
  for (char c : text) {
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' ? c : '-';
  }
  return out;
}

}  // namespace

std::unique_ptr<AuditAnchor> NewFileAuditAnchor(std::string path) {
  return std::make_unique<FileAuditAnchor>(std::move(path));
}

std::unique_ptr<AuditAnchor> NewMemoryAuditAnchor() {
  return std::make_unique<MemoryAuditAnchor>();
}

std::string DefaultAnchorPath(std::string_view database_url) {
  if (database_url.starts_with("sqlite:")) {
    return std::string(database_url.substr(7)) + ".audit-anchor";
  }
  // postgresql://user:secret@host:port/db?params -> host-port-db; never the password.
  std::string_view rest = database_url.substr(database_url.find("://") + 3);
  size_t at = rest.rfind('@', rest.find('/'));
  if (at != std::string_view::npos) rest = rest.substr(at + 1);
  rest = rest.substr(0, rest.find('?'));
  return "liaison-" + FileSafe(rest) + ".audit-anchor";
}

}  // namespace liaison::app
