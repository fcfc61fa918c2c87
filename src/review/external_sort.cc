#include "review/external_sort.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <queue>

namespace liaison::review {
namespace {

// The most Add reserves ahead (virtual memory, touched only as records arrive).
constexpr std::size_t kArenaReserveBytes = std::size_t{64} << 20;

namespace fs = std::filesystem;

bool KeyLess(std::string_view left, std::string_view right) {
  std::size_t common = std::min(left.size(), right.size());
  int order = common == 0 ? 0 : std::memcmp(left.data(), right.data(), common);
  return order != 0 ? order < 0 : left.size() < right.size();
}

Status WriteFailed() { return Unavailable("spill_failed", "could not write a temporary sort run"); }

// A stdio stream with a buffer of kMergeBufferBytes, so that runs are written and read in big
// pieces: with stdio's default buffer (a page), a run of kilobyte-sized worklist items took a
// system call every few records. The buffer is given, because glibc's setvbuf ignores the size
// when it is left to allocate one.
class BufferedFile {
 public:
  BufferedFile(const fs::path& path, const char* mode)
      : buffer_(std::make_unique<char[]>(ExternalSorter::kMergeBufferBytes)),
        file_(std::fopen(path.c_str(), mode)) {
    if (file_) std::setvbuf(file_, buffer_.get(), _IOFBF, ExternalSorter::kMergeBufferBytes);
  }
  ~BufferedFile() { (void)Close(); }
  BufferedFile(const BufferedFile&) = delete;
  BufferedFile& operator=(const BufferedFile&) = delete;

  std::FILE* get() const { return file_; }
  // True when the stream was open and closed cleanly (its last writes made).
  bool Close() {
    if (!file_) return false;
    bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    return closed;
  }

 private:
  std::unique_ptr<char[]> buffer_;  // declared first: the stream is closed before it goes
  std::FILE* file_;
};

// Writes one run file through stdio's buffer.
class RunWriter {
 public:
  explicit RunWriter(const fs::path& path) : file_(path, "wb") {}

  bool ok() const { return file_.get() != nullptr && ok_; }
  std::uint64_t bytes() const { return bytes_; }

  void Write(std::string_view key, std::string_view payload) {
    std::uint32_t sizes[2] = {static_cast<std::uint32_t>(key.size()),
                              static_cast<std::uint32_t>(payload.size())};
    Put(sizes, sizeof sizes);
    Put(key.data(), key.size());
    Put(payload.data(), payload.size());
  }
  Status Close() {
    bool closed = file_.Close();
    return ok_ && closed ? Status::Ok() : WriteFailed();
  }

 private:
  void Put(const void* data, std::size_t size) {
    if (!file_.get() || size == 0) return;
    if (std::fwrite(data, 1, size, file_.get()) != size) ok_ = false;
    bytes_ += size;
  }
  BufferedFile file_;
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
  explicit RunSource(const fs::path& path) : stream_(path, "rb"), file_(stream_.get()) {}

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
  BufferedFile stream_;
  std::FILE* file_;  // stream_'s, or null when the run could not be opened
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
  // Reserved once, up to a bound, so that filling the buffer does not copy it as it grows.
  if (arena_.empty() && arena_.capacity() < memory_budget_bytes_) {
    arena_.reserve(std::min(memory_budget_bytes_, kArenaReserveBytes));
  }
  entries_.push_back({arena_.size(), static_cast<std::uint32_t>(key.size()),
                      static_cast<std::uint32_t>(payload.size())});
  arena_.append(key);
  arena_.append(payload);
  buffer_sorted_ = false;
  ++records_;
  if (BufferedBytes() >= memory_budget_bytes_) return SpillBuffer();
  return Status::Ok();
}

void ExternalSorter::SortInMemory() {
  if (buffer_sorted_) return;
  buffer_sorted_ = true;
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
  SortInMemory();
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

// What a sorter still holds in memory, sorted, as one more source to merge.
class BufferSourceImpl final : public Source {
 public:
  struct Record {
    std::size_t offset;
    std::uint32_t key_size;
    std::uint32_t payload_size;
  };
  BufferSourceImpl(std::string_view arena, std::vector<Record> records)
      : arena_(arena), records_(std::move(records)) {}
  bool Next(Status&) override {
    if (next_ >= records_.size()) return false;
    current_ = next_++;
    return true;
  }
  std::string_view key() const override {
    return arena_.substr(records_[current_].offset, records_[current_].key_size);
  }
  std::string_view payload() const override {
    const Record& record = records_[current_];
    return arena_.substr(record.offset + record.key_size, record.payload_size);
  }

 private:
  std::string_view arena_;
  std::vector<Record> records_;
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

Status ExternalSorter::MergeRuns(const std::vector<fs::path>& runs, const Visitor& visit) {
  std::vector<std::unique_ptr<Source>> sources;
  for (const fs::path& run : runs) sources.push_back(std::make_unique<RunSource>(run));
  return MergeSources(sources, visit);
}

Status ExternalSorter::CompactRuns(std::size_t max_runs) {
  // The merged run takes the place of the ones it replaces at the front, so ties still come
  // out in Add order.
  while (runs_.size() > max_runs) {
    std::size_t count = std::min(kMaxFanIn, runs_.size() - max_runs + 1);
    std::vector<fs::path> oldest(runs_.begin(), runs_.begin() + static_cast<std::ptrdiff_t>(count));
    fs::path merged = NextRunPath();
    RunWriter writer(merged);
    RETURN_IF_ERROR(MergeRuns(oldest, [&writer](std::string_view key, std::string_view payload) {
      writer.Write(key, payload);
      return Status::Ok();
    }));
    RETURN_IF_ERROR(writer.Close());
    std::vector<fs::path> rest{merged};
    rest.insert(rest.end(), runs_.begin() + static_cast<std::ptrdiff_t>(count), runs_.end());
    for (const fs::path& path : oldest) {
      std::error_code ignored;
      fs::remove(path, ignored);
    }
    runs_ = std::move(rest);
  }
  return Status::Ok();
}

Status ExternalSorter::Drain(const Visitor& visit) {
  ExternalSorter* self = this;
  return DrainAll(std::span<ExternalSorter* const>(&self, 1), visit);
}

Status ExternalSorter::DrainAll(std::span<ExternalSorter* const> sorters, const Visitor& visit) {
  // Every sorter contributes its runs and its buffer; together they must fit the fan-in.
  std::size_t per_sorter = sorters.empty() ? kMaxFanIn : kMaxFanIn / sorters.size();
  std::size_t max_runs = per_sorter > 1 ? per_sorter - 1 : 1;
  Status outcome = Status::Ok();
  for (ExternalSorter* sorter : sorters) {
    if (outcome.ok()) outcome = sorter->CompactRuns(max_runs);
  }
  std::vector<std::unique_ptr<Source>> sources;
  if (outcome.ok()) {
    for (ExternalSorter* sorter : sorters) {
      for (const fs::path& run : sorter->runs_) sources.push_back(std::make_unique<RunSource>(run));
      sorter->SortInMemory();
      std::vector<BufferSourceImpl::Record> records;
      records.reserve(sorter->entries_.size());
      for (const Entry& entry : sorter->entries_) {
        records.push_back({entry.offset, entry.key_size, entry.payload_size});
      }
      sorter->entries_.clear();
      sorter->entries_.shrink_to_fit();
      sources.push_back(std::make_unique<BufferSourceImpl>(sorter->arena_, std::move(records)));
    }
    outcome = MergeSources(sources, visit);
  }
  sources.clear();
  for (ExternalSorter* sorter : sorters) {
    sorter->arena_.clear();
    sorter->arena_.shrink_to_fit();
    sorter->entries_.clear();
    for (const fs::path& path : sorter->runs_) {
      std::error_code ignored;
      fs::remove(path, ignored);
    }
    sorter->runs_.clear();
  }
  return outcome;
}

}  // namespace liaison::review
