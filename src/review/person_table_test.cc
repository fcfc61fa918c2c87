#include "review/person_table.h"

#include <random>
#include <unordered_map>

#include <gtest/gtest.h>

namespace liaison::review {
namespace {

TEST(PersonTableTest, FindsWhatWasAddedAndForgetsWhatWasRemoved) {
  PersonTable table;
  PersonTable::Index a = table.FindOrAdd("nhs:1", PersonTable::HashOf("nhs:1"));
  PersonTable::Index b = table.FindOrAdd("nhs:2", PersonTable::HashOf("nhs:2"));
  EXPECT_NE(a, b);
  EXPECT_EQ(table.FindOrAdd("nhs:1", PersonTable::HashOf("nhs:1")), a);
  EXPECT_EQ(table.size(), 2u);
  table.at(a).past.push_back({});
  table.Remove(a);
  EXPECT_FALSE(table.at(a).present);
  EXPECT_EQ(table.size(), 1u);
  table.Remove(a);  // a second removal changes nothing
  EXPECT_EQ(table.size(), 1u);
  PersonTable::Index again = table.FindOrAdd("nhs:1", PersonTable::HashOf("nhs:1"));
  EXPECT_TRUE(table.at(again).past.empty());  // a new person, with no history
  EXPECT_EQ(table.FindOrAdd("nhs:2", PersonTable::HashOf("nhs:2")), b);
}

// Keys that all share one hash probe the same run of slots: removal must keep the others
// reachable (backward-shift deletion), at the start, middle and end of the run.
TEST(PersonTableTest, CollidingKeysStayReachableAcrossRemovals) {
  PersonTable table;
  constexpr std::uint32_t kSameHash = 7;
  std::vector<PersonTable::Index> indexes;
  for (int i = 0; i < 6; ++i)
    indexes.push_back(table.FindOrAdd("k" + std::to_string(i), kSameHash));
  table.Remove(indexes[0]);
  table.Remove(indexes[3]);
  table.Remove(indexes[5]);
  for (int i : {1, 2, 4}) {
    EXPECT_EQ(table.FindOrAdd("k" + std::to_string(i), kSameHash), indexes[i]) << i;
  }
  EXPECT_EQ(table.size(), 3u);
}

// Against std::unordered_map over a long random run of adds, lookups and removals, through
// several growths and with hashes forced into few slots so that probe runs wrap around.
TEST(PersonTableTest, AgreesWithAStandardMapOverARandomRun) {
  PersonTable table;
  std::unordered_map<std::string, PersonTable::Index> reference;
  std::mt19937 random(42);
  for (int step = 0; step < 200000; ++step) {
    std::string key = "p" + std::to_string(random() % 5000);
    // A third of the keys crowd into the table's last slots; a key always gets the same hash.
    std::uint32_t hash = PersonTable::HashOf(key);
    if (hash % 3 == 0) hash |= 0xFFFFFC00u;
    auto found = reference.find(key);
    if (random() % 3 == 0 && found != reference.end()) {
      table.Remove(found->second);
      reference.erase(found);
      continue;
    }
    PersonTable::Index index = table.FindOrAdd(key, hash);
    if (found != reference.end()) {
      ASSERT_EQ(index, found->second) << step;
    } else {
      reference.emplace(key, index);
    }
    ASSERT_EQ(table.at(index).key, key);
    ASSERT_EQ(table.size(), reference.size());
  }
}

}  // namespace
}  // namespace liaison::review
