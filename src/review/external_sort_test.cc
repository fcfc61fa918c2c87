#include "review/external_sort.h"

#include <algorithm>
#include <filesystem>
#include <random>

#include <gtest/gtest.h>

#include "review/sort_key.h"

namespace liaison::review {
namespace {

struct Record {
  std::string key;
  std::string payload;
  bool operator==(const Record&) const = default;
};

std::vector<Record> DrainAll(ExternalSorter& sorter) {
  std::vector<Record> out;
  Status drained = sorter.Drain([&out](std::string_view key, std::string_view payload) {
    out.push_back({std::string(key), std::string(payload)});
    return Status::Ok();
  });
  EXPECT_TRUE(drained.ok()) << drained.ToString();
  return out;
}

// Keys with many duplicates, so stability is visible: the payload carries the Add order.
std::vector<Record> ShuffledRecords(int count) {
  std::mt19937 random(7);
  std::vector<Record> records;
  for (int i = 0; i < count; ++i) {
    std::string key;
    AppendKeySigned(static_cast<std::int64_t>(random() % 50) - 25, key);
    records.push_back({key, "payload-" + std::to_string(i)});
  }
  return records;
}

std::vector<Record> StableSorted(std::vector<Record> records) {
  std::stable_sort(records.begin(), records.end(),
                   [](const Record& a, const Record& b) { return a.key < b.key; });
  return records;
}

std::unique_ptr<ExternalSorter> MakeSorter(std::size_t budget) {
  Result<std::unique_ptr<ExternalSorter>> sorter =
      ExternalSorter::Create(std::filesystem::temp_directory_path(), budget);
  EXPECT_TRUE(sorter.ok());
  return std::move(*sorter);
}

TEST(ExternalSorterTest, SmallInputStaysInMemory) {
  auto sorter = MakeSorter(1 << 20);
  std::vector<Record> records = ShuffledRecords(500);
  for (const Record& r : records) ASSERT_TRUE(sorter->Add(r.key, r.payload).ok());
  EXPECT_EQ(sorter->spilled_runs(), 0);
  EXPECT_EQ(DrainAll(*sorter), StableSorted(records));
}

TEST(ExternalSorterTest, ATinyBudgetSpillsRunsAndTheMergeIsSortedAndStable) {
  auto sorter = MakeSorter(2048);
  std::vector<Record> records = ShuffledRecords(2000);
  for (const Record& r : records) ASSERT_TRUE(sorter->Add(r.key, r.payload).ok());
  EXPECT_GT(sorter->spilled_runs(), 10);
  EXPECT_LT(sorter->spilled_runs(), static_cast<std::int64_t>(ExternalSorter::kMaxFanIn));
  EXPECT_GT(sorter->spilled_bytes(), 0u);
  EXPECT_EQ(DrainAll(*sorter), StableSorted(records));
}

// Sorting ahead of the drain (as the sweep's workers do on their own threads) changes nothing,
// and records added after it are still sorted in.
TEST(ExternalSorterTest, SortingInMemoryAheadOfTheDrainKeepsEveryRecordInOrder) {
  auto sorter = MakeSorter(1 << 20);
  std::vector<Record> records = ShuffledRecords(600);
  for (std::size_t i = 0; i < 400; ++i) {
    ASSERT_TRUE(sorter->Add(records[i].key, records[i].payload).ok());
  }
  sorter->SortInMemory();
  sorter->SortInMemory();  // a second call has nothing left to do
  for (std::size_t i = 400; i < records.size(); ++i) {
    ASSERT_TRUE(sorter->Add(records[i].key, records[i].payload).ok());
  }
  EXPECT_EQ(DrainAll(*sorter), StableSorted(records));

  auto sorted_last = MakeSorter(1 << 20);
  for (const Record& r : records) ASSERT_TRUE(sorted_last->Add(r.key, r.payload).ok());
  sorted_last->SortInMemory();
  EXPECT_EQ(DrainAll(*sorted_last), StableSorted(records));
}

TEST(ExternalSorterTest, MoreRunsThanTheFanInMergeInPasses) {
  auto sorter = MakeSorter(256);
  std::vector<Record> records = ShuffledRecords(3000);
  for (const Record& r : records) ASSERT_TRUE(sorter->Add(r.key, r.payload).ok());
  EXPECT_GT(sorter->spilled_runs(), static_cast<std::int64_t>(2 * ExternalSorter::kMaxFanIn));
  EXPECT_EQ(DrainAll(*sorter), StableSorted(records));
}

// Three sorters filled as three threads would, one of them with more runs than its share of the
// fan-in: the drain is one sorted stream, ties in sorter order and then Add order.
TEST(ExternalSorterTest, SeveralSortersDrainAsOneStableStream) {
  std::vector<std::unique_ptr<ExternalSorter>> sorters;
  sorters.push_back(MakeSorter(1 << 20));  // stays in memory
  sorters.push_back(MakeSorter(256));      // many runs
  sorters.push_back(MakeSorter(2048));
  std::vector<Record> records = ShuffledRecords(4000);
  std::vector<std::vector<Record>> shares(sorters.size());
  for (std::size_t i = 0; i < records.size(); ++i) shares[i % sorters.size()].push_back(records[i]);
  for (std::size_t s = 0; s < sorters.size(); ++s) {
    for (const Record& r : shares[s]) ASSERT_TRUE(sorters[s]->Add(r.key, r.payload).ok());
  }
  EXPECT_GT(sorters[1]->spilled_runs(), static_cast<std::int64_t>(ExternalSorter::kMaxFanIn));
  std::vector<Record> in_sorter_order;
  for (const std::vector<Record>& share : shares) {
    in_sorter_order.insert(in_sorter_order.end(), share.begin(), share.end());
  }
  std::vector<ExternalSorter*> all;
  for (auto& sorter : sorters) all.push_back(sorter.get());
  std::vector<Record> out;
  Status drained =
      ExternalSorter::DrainAll(all, [&out](std::string_view key, std::string_view payload) {
        out.push_back({std::string(key), std::string(payload)});
        return Status::Ok();
      });
  ASSERT_TRUE(drained.ok()) << drained.ToString();
  EXPECT_EQ(out, StableSorted(in_sorter_order));
}

TEST(ExternalSorterTest, RunFilesAreRemoved) {
  std::filesystem::path root = std::filesystem::temp_directory_path() / "liaison-sort-test-root";
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root);
  {
    Result<std::unique_ptr<ExternalSorter>> sorter = ExternalSorter::Create(root, 128);
    ASSERT_TRUE(sorter.ok());
    for (const Record& r : ShuffledRecords(100)) ASSERT_TRUE((*sorter)->Add(r.key, r.payload).ok());
    EXPECT_GT((*sorter)->spilled_runs(), 0);
    EXPECT_FALSE(std::filesystem::is_empty(root));
  }
  EXPECT_TRUE(std::filesystem::is_empty(root));
  std::filesystem::remove_all(root);
}

TEST(ExternalSorterTest, AnUnwritableTemporaryRootIsAClearError) {
  Result<std::unique_ptr<ExternalSorter>> sorter =
      ExternalSorter::Create("/nonexistent/liaison/dir", 1024);
  ASSERT_FALSE(sorter.ok());
  EXPECT_EQ(sorter.status().reason(), "temp_dir_failed");
}

TEST(ExternalSorterTest, AVisitorFailureStopsTheDrain) {
  auto sorter = MakeSorter(64);
  for (const Record& r : ShuffledRecords(50)) ASSERT_TRUE(sorter->Add(r.key, r.payload).ok());
  int seen = 0;
  Status drained = sorter->Drain([&seen](std::string_view, std::string_view) {
    return ++seen == 3 ? Unavailable("sink_full", "stop") : Status::Ok();
  });
  EXPECT_EQ(drained.reason(), "sink_full");
  EXPECT_EQ(seen, 3);
}

TEST(SortKeyTest, SignedKeysCompareAsNumbers) {
  std::vector<std::int64_t> numbers = {-1000000, -1, 0, 1, 255, 256, 1LL << 40};
  for (std::size_t i = 0; i + 1 < numbers.size(); ++i) {
    std::string a, b;
    AppendKeySigned(numbers[i], a);
    AppendKeySigned(numbers[i + 1], b);
    EXPECT_LT(a, b) << numbers[i];
  }
}

}  // namespace
}  // namespace liaison::review
