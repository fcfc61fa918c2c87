#include "review/person_table.h"

#include <functional>
#include <limits>

#include "common/check.h"

namespace liaison::review {
namespace {

constexpr std::size_t kInitialSlots = 1024;

}  // namespace

PersonTable::PersonTable() : slots_(kInitialSlots) {}

std::uint32_t PersonTable::HashOf(std::string_view key) {
  std::size_t hash = std::hash<std::string_view>{}(key);
  return static_cast<std::uint32_t>(hash ^ (hash >> 32));
}

void PersonTable::Prefetch(std::uint32_t hash) const { __builtin_prefetch(&slots_[Home(hash)]); }

PersonTable::Index PersonTable::FindOrAdd(std::string_view key, std::uint32_t hash) {
  std::size_t mask = slots_.size() - 1;
  for (std::size_t i = Home(hash);; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.index_plus_one == 0) break;
    if (slot.hash == hash && pool_[slot.index_plus_one - 1].key == key) {
      return slot.index_plus_one - 1;
    }
  }
  Index index;
  if (!free_.empty()) {
    index = free_.back();
    free_.pop_back();
  } else {
    // Over four billion people in one worker's window cannot fit in memory anyway.
    LIAISON_CHECK(pool_.size() < std::numeric_limits<Index>::max() - 1);
    index = static_cast<Index>(pool_.size());
    pool_.emplace_back();
  }
  Person& person = pool_[index];
  person.key.assign(key);
  person.hash = hash;
  person.present = true;
  person.past.clear();
  ++size_;
  if (size_ * 2 > slots_.size()) {
    Grow();  // places every present person, this one included
  } else {
    Place(hash, index);
  }
  return index;
}

void PersonTable::Place(std::uint32_t hash, Index index) {
  std::size_t mask = slots_.size() - 1;
  std::size_t i = Home(hash);
  while (slots_[i].index_plus_one != 0) i = (i + 1) & mask;
  slots_[i] = {hash, index + 1};
}

void PersonTable::Grow() {
  slots_.assign(slots_.size() * 2, Slot{});
  for (Index index = 0; index < pool_.size(); ++index) {
    if (pool_[index].present) Place(pool_[index].hash, index);
  }
}

// Linear probing with backward-shift deletion: the entries after the hole that would be found
// from before it move back, so no tombstones build up over a long sweep.
void PersonTable::Remove(Index index) {
  Person& person = pool_[index];
  if (!person.present) return;
  std::size_t mask = slots_.size() - 1;
  std::size_t hole = Home(person.hash);
  while (slots_[hole].index_plus_one != index + 1) hole = (hole + 1) & mask;
  for (std::size_t next = (hole + 1) & mask; slots_[next].index_plus_one != 0;
       next = (next + 1) & mask) {
    std::size_t home = Home(slots_[next].hash);
    // Move `next` into the hole unless its home lies cyclically in (hole, next].
    bool home_after_hole =
        hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
    if (home_after_hole) continue;
    slots_[hole] = slots_[next];
    hole = next;
  }
  slots_[hole] = Slot{};
  person.present = false;
  person.key.clear();
  std::vector<recognition::PastAttendance>().swap(person.past);
  free_.push_back(index);
  --size_;
}

}  // namespace liaison::review
