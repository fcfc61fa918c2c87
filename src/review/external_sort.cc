#include "review/external_sort.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <queue>

namespace liaison::review {
namespace {

namespace fs = std::filesystem;

bool KeyLess(std::string_view left, std::string_view right) {
  std::size_t common = std::min(left.size(), right.size());
  int order = common == 0 ? 0 : std::memcmp(left.data(), right.data(), common);
  return order != 0 ? order < 0 : left.size() < right.size();
}

Status WriteFailed() { return Unavailable("spill_failed", "could not write a temporary sort run"); }

// Writes one run file through stdio's buffer.
class RunWriter {
 public:
  explicit RunWriter(const fs::path& path) : file_(std::fopen(path.c_str(), "wb")) {}
  ~RunWriter() {
    if (file_) std::fclose(file_);
  }
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  bool ok() const { return file_ != nullptr && ok_; }
  std::uint64_t bytes() const { return bytes_; }

  void Write(std::string_view key, std::string_view payload) {
    std::uint32_t sizes[2] = {static_cast<std::uint32_t>(key.size()),
                              static_cast<std::uint32_t>(payload.size())};
    Put(sizes, sizeof sizes);
    Put(key.data(), key.size());
    Put(payload.data(), payload.size());
  }
  Status Close() {
    if (!file_) return WriteFailed();
    bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    return ok_ && closed ? Status::Ok() : WriteFailed();
  }

 private:
  void Put(const void* data, std::size_t size) {
    if (!file_ || size == 0) return;
    if (std::fwrite(data, 1, size, file_) != size) ok_ = false;
    bytes_ += size;
  }
  std::FILE* file_;
  bool ok_ = true;
  std::uint64_t bytes_ = 0;
};

// One sorted stream of records being merged: a run file, or the sorted in-memory buffer.
class Source {
 public:
  virtual ~Source() = default;
  // Moves to the next record; false at the end. Sets `error` on a read failure.
  virtual bool Next(Status& error) = 0;
  virtual std::string_view key() const = 0;
  virtual std::string_view payload() const = 0;
};

class RunSource final : public Source {
 public:
  explicit RunSource(const fs::path& path) : file_(std::fopen(path.c_str(), "rb")) {
    if (file_) std::setvbuf(file_, nullptr, _IOFBF, ExternalSorter::kMergeBufferBytes);
  }
  ~RunSource() override {
    if (file_) std::fclose(file_);
  }
  RunSource(const RunSource&) = delete;
  RunSource& operator=(const RunSource&) = delete;

  bool Next(Status& error) override {
    if (!file_) {
      error = DataLoss("spill_unreadable", "a temporary sort run could not be opened");
      return false;
    }
    std::uint32_t sizes[2];
    std::size_t got = std::fread(sizes, 1, sizeof sizes, file_);
    if (got == 0 && std::feof(file_)) return false;
    if (got != sizeof sizes) return Corrupt(error);
    record_.resize(std::size_t{sizes[0]} + sizes[1]);
    if (!record_.empty() &&
        std::fread(record_.data(), 1, record_.size(), file_) != record_.size()) {
      return Corrupt(error);
    }
    key_size_ = sizes[0];
    return true;
  }
  std::string_view key() const override { return std::string_view(record_).substr(0, key_size_); }
  std::string_view payload() const override { return std::string_view(record_).substr(key_size_); }

 private:
  static bool Corrupt(Status& error) {
    error = DataLoss("spill_corrupt", "a temporary sort run ended in the middle of a record");
    return false;
  }
  std::FILE* file_;
  std::string record_;
  std::size_t key_size_ = 0;
};

}  // namespace

Result<std::unique_ptr<ExternalSorter>> ExternalSorter::Create(const fs::path& temp_root,
                                                               std::size_t memory_budget_bytes) {
  std::string pattern = (temp_root / "liaison-sort-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    return Unavailable("temp_dir_failed", "could not create a temporary directory for sorting");
  }
  return std::unique_ptr<ExternalSorter>(new ExternalSorter(pattern, memory_budget_bytes));
}

ExternalSorter::ExternalSorter(fs::path directory, std::size_t memory_budget_bytes)
    : directory_(std::move(directory)), memory_budget_bytes_(memory_budget_bytes) {}

ExternalSorter::~ExternalSorter() {
  std::error_code ignored;
  fs::remove_all(directory_, ignored);
}

std::size_t ExternalSorter::BufferedBytes() const {
  return arena_.size() + entries_.size() * sizeof(Entry);
}

Status ExternalSorter::Add(std::string_view key, std::string_view payload) {
  if (key.size() > UINT32_MAX || payload.size() > UINT32_MAX) {
    return InvalidArgument("record_too_large", "a record is too large to sort");
  }
  entries_.push_back({arena_.size(), static_cast<std::uint32_t>(key.size()),
                      static_cast<std::uint32_t>(payload.size())});
  arena_.append(key);
  arena_.append(payload);
  ++records_;
  if (BufferedBytes() >= memory_budget_bytes_) return SpillBuffer();
  return Status::Ok();
}

void ExternalSorter::SortBuffer() {
  std::stable_sort(entries_.begin(), entries_.end(), [this](const Entry& a, const Entry& b) {
    return KeyLess(std::string_view(arena_).substr(a.offset, a.key_size),
                   std::string_view(arena_).substr(b.offset, b.key_size));
  });
}

fs::path ExternalSorter::NextRunPath() {
  return directory_ / ("run-" + std::to_string(next_run_number_++));
}

Status ExternalSorter::SpillBuffer() {
  if (entries_.empty()) return Status::Ok();
  SortBuffer();
  fs::path path = NextRunPath();
  RunWriter writer(path);
  std::string_view arena(arena_);
  for (const Entry& entry : entries_) {
    writer.Write(arena.substr(entry.offset, entry.key_size),
                 arena.substr(entry.offset + entry.key_size, entry.payload_size));
  }
  RETURN_IF_ERROR(writer.Close());
  runs_.push_back(path);
  ++spilled_runs_;
  spilled_bytes_ += writer.bytes();
  // Give the memory back: a spilled buffer's capacity is the budget, kept for the next run.
  arena_.clear();
  entries_.clear();
  return Status::Ok();
}

namespace {

class BufferSourceImpl final : public Source {
 public:
  BufferSourceImpl(std::string_view arena, const std::vector<std::size_t>& offsets,
                   const std::vector<std::pair<std::uint32_t, std::uint32_t>>& sizes)
      : arena_(arena), offsets_(offsets), sizes_(sizes) {}
  bool Next(Status&) override {
    if (next_ >= offsets_.size()) return false;
    current_ = next_++;
    return true;
  }
  std::string_view key() const override {
    return arena_.substr(offsets_[current_], sizes_[current_].first);
  }
  std::string_view payload() const override {
    return arena_.substr(offsets_[current_] + sizes_[current_].first, sizes_[current_].second);
  }

 private:
  std::string_view arena_;
  const std::vector<std::size_t>& offsets_;
  const std::vector<std::pair<std::uint32_t, std::uint32_t>>& sizes_;
  std::size_t next_ = 0;
  std::size_t current_ = 0;
};

// Merges sources; ties go to the lower source index (earlier records), keeping it stable.
Status MergeSources(std::vector<std::unique_ptr<Source>>& sources,
                    const ExternalSorter::Visitor& visit) {
  auto later = [&sources](std::size_t a, std::size_t b) {
    std::string_view key_a = sources[a]->key();
    std::string_view key_b = sources[b]->key();
    if (KeyLess(key_b, key_a)) return true;
    if (KeyLess(key_a, key_b)) return false;
    return a > b;
  };
  std::priority_queue<std::size_t, std::vector<std::size_t>, decltype(later)> heap(later);
  Status error = Status::Ok();
  for (std::size_t i = 0; i < sources.size(); ++i) {
    if (sources[i]->Next(error)) heap.push(i);
    RETURN_IF_ERROR(error);
  }
  while (!heap.empty()) {
    std::size_t top = heap.top();
    heap.pop();
    RETURN_IF_ERROR(visit(sources[top]->key(), sources[top]->payload()));
    if (sources[top]->Next(error)) heap.push(top);
    RETURN_IF_ERROR(error);
  }
  return Status::Ok();
}

}  // namespace

Status ExternalSorter::MergeRuns(std::vector<fs::path> runs, const Visitor& visit,
                                 bool include_buffer) {
  std::vector<std::unique_ptr<Source>> sources;
  for (const fs::path& run : runs) sources.push_back(std::make_unique<RunSource>(run));
  std::vector<std::size_t> offsets;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sizes;
  if (include_buffer) {
    SortBuffer();
    offsets.reserve(entries_.size());
    sizes.reserve(entries_.size());
    for (const Entry& entry : entries_) {
      offsets.push_back(entry.offset);
      sizes.emplace_back(entry.key_size, entry.payload_size);
    }
    entries_.clear();
    entries_.shrink_to_fit();
    sources.push_back(std::make_unique<BufferSourceImpl>(arena_, offsets, sizes));
  }
  return MergeSources(sources, visit);
}

Status ExternalSorter::Drain(const Visitor& visit) {
  // Too many runs to open at once: merge the oldest into one run until few enough remain.
  // The merged run takes their place at the front, so ties still come out in Add order.
  while (runs_.size() + 1 > kMaxFanIn) {
    std::vector<fs::path> oldest(runs_.begin(), runs_.begin() + kMaxFanIn);
    fs::path merged = NextRunPath();
    RunWriter writer(merged);
    RETURN_IF_ERROR(MergeRuns(
        oldest,
        [&writer](std::string_view key, std::string_view payload) {
          writer.Write(key, payload);
          return Status::Ok();
        },
        false));
    RETURN_IF_ERROR(writer.Close());
    std::vector<fs::path> rest{merged};
    rest.insert(rest.end(), runs_.begin() + kMaxFanIn, runs_.end());
    for (const fs::path& path : oldest) {
      std::error_code ignored;
      fs::remove(path, ignored);
    }
    runs_ = std::move(rest);
  }
  std::vector<fs::path> runs = std::move(runs_);
  runs_.clear();
  Status merged = MergeRuns(runs, visit, true);
  arena_.clear();
  arena_.shrink_to_fit();
  for (const fs::path& path : runs) {
    std::error_code ignored;
    fs::remove(path, ignored);
  }
  return merged;
}

}  // namespace liaison::review
