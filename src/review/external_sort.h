// ExternalSorter: sorts more records than fit in memory. Records (a key and a payload, both
// bytes) are gathered in memory up to a byte budget; a full buffer is sorted and spilled to
// a temporary file as one sorted run. Drain() merges the runs (k-way, by a heap) with what is
// still in memory, and hands every record to a visitor in key order.
//
// Keys compare as unsigned bytes (memcmp), so callers encode composite keys so that byte
// order is the order they want (see review/sort_key.h). Equal keys come out in the order they
// were added (stable), so output never depends on where run boundaries fell.
//
// Memory: the budget, plus one read buffer per run while merging (kMergeBufferBytes each); at
// most kMaxFanIn runs are merged at once, in several passes when there are more. Temporary
// files live in a private directory under `temp_root`, removed by the destructor.
// Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace liaison::review {

class ExternalSorter {
 public:
  static constexpr std::size_t kMaxFanIn = 64;
  static constexpr std::size_t kMergeBufferBytes = 256 * 1024;

  // Fails when the private temporary directory cannot be created.
  static Result<std::unique_ptr<ExternalSorter>> Create(const std::filesystem::path& temp_root,
                                                        std::size_t memory_budget_bytes);
  ~ExternalSorter();
  ExternalSorter(const ExternalSorter&) = delete;
  ExternalSorter& operator=(const ExternalSorter&) = delete;

  // Adds one record; may spill a run. Fails when a run cannot be written.
  Status Add(std::string_view key, std::string_view payload);

  using Visitor = std::function<Status(std::string_view key, std::string_view payload)>;
  // Visits every record in key order, then leaves the sorter empty. A visitor failure stops
  // the drain and is returned. Call once, after the last Add.
  Status Drain(const Visitor& visit);
  // As Drain, over the records of several sorters together, so that threads can each fill
  // their own sorter without a lock. Equal keys come out sorter by sorter, in the order given,
  // and in Add order within one sorter.
  static Status DrainAll(std::span<ExternalSorter* const> sorters, const Visitor& visit);
  // Sorts the records still in memory, which a drain would otherwise do first: several
  // sorters can so be readied on threads of their own before DrainAll. Adding afterwards is
  // allowed; the drain then sorts again.
  void SortInMemory();

  std::int64_t records() const { return records_; }
  // How many sorted runs went to disk so far (0 when everything fitted in memory).
  std::int64_t spilled_runs() const { return spilled_runs_; }
  std::uint64_t spilled_bytes() const { return spilled_bytes_; }

 private:
  struct Entry {
    std::size_t offset;  // into arena_: key bytes, then payload bytes
    std::uint32_t key_size;
    std::uint32_t payload_size;
  };

  ExternalSorter(std::filesystem::path directory, std::size_t memory_budget_bytes);
  std::size_t BufferedBytes() const;
  Status SpillBuffer();
  // Merges the oldest runs into one until at most `max_runs` remain.
  Status CompactRuns(std::size_t max_runs);
  Status MergeRuns(const std::vector<std::filesystem::path>& runs, const Visitor& visit);
  std::filesystem::path NextRunPath();

  const std::filesystem::path directory_;
  const std::size_t memory_budget_bytes_;
  std::string arena_;
  std::vector<Entry> entries_;
  bool buffer_sorted_ = true;  // entries_ is in key order (true while empty)
  std::vector<std::filesystem::path> runs_;
  std::int64_t next_run_number_ = 0;
  std::int64_t records_ = 0;
  std::int64_t spilled_runs_ = 0;
  std::uint64_t spilled_bytes_ = 0;
};

}  // namespace liaison::review
