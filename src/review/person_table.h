// The people a sweep worker holds history for, keyed by person key. An open-addressing table
// of small slots (a 32-bit hash tag and an index) over a pool of people: the sweep looks up
// one person per attendance, at random across hundreds of thousands, and a node-based map
// spent most of that time in cache misses walking its chains. Not thread-safe: one per worker.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "recognition/engine.h"

namespace liaison::review {

class PersonTable {
 public:
  using Index = std::uint32_t;

  struct Person {
    std::string key;
    std::uint32_t hash = 0;
    bool present = false;  // false once removed, until the pool entry is reused
    // A vector, not a deque: most people have one or two attendances in the window, and an
    // empty libstdc++ deque already costs over 500 bytes.
    std::vector<recognition::PastAttendance> past;
  };

  PersonTable();

  static std::uint32_t HashOf(std::string_view key);

  // The person with `key` (hash = HashOf(key)), added with no history when new.
  Index FindOrAdd(std::string_view key, std::uint32_t hash);
  // Hints the memory of `hash`'s slot into cache ahead of a FindOrAdd.
  void Prefetch(std::uint32_t hash) const;

  Person& at(Index index) { return pool_[index]; }
  const Person& at(Index index) const { return pool_[index]; }
  // Forgets a present person; its index may be handed out again.
  void Remove(Index index);
  std::size_t size() const { return size_; }

 private:
  struct Slot {
    std::uint32_t hash = 0;
    Index index_plus_one = 0;  // 0: empty
  };

  std::size_t Home(std::uint32_t hash) const { return hash & (slots_.size() - 1); }
  void Grow();
  void Place(std::uint32_t hash, Index index);

  std::vector<Slot> slots_;  // a power of two, at most half full
  std::vector<Person> pool_;
  std::vector<Index> free_;
  std::size_t size_ = 0;
};

}  // namespace liaison::review
