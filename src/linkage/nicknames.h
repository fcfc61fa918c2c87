// NicknameTable: groups of given names that stand for one another (ALEXANDER, ALEX, SANDY),
// read from a data file: one group per line, names separated by commas, '#' starts a comment.
// A name may belong to several groups (ALEX: ALEXANDER and ALEXANDRA). The default table is
// data/linkage/nicknames.txt, compiled in. Immutable after construction; thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/status.h"

namespace liaison::linkage {

// The sorted group numbers of one name.
using NicknameGroups = std::vector<std::uint16_t>;

class NicknameTable {
 public:
  // Fails with "invalid_nickname_table" naming the line when a line has fewer than two names
  // or there are more than 65535 groups.
  static Result<NicknameTable> Parse(std::string_view text);
  // The compiled-in default table.
  static const NicknameTable& Default();

  // The groups of a folded given name; empty when it is in none.
  NicknameGroups GroupsOf(std::string_view folded_name) const;
  std::size_t groups() const { return groups_; }

 private:
  std::unordered_map<std::string, NicknameGroups> by_name_;
  std::size_t groups_ = 0;
};

// True when two sorted group lists share a group.
bool ShareGroup(const NicknameGroups& a, const NicknameGroups& b);

}  // namespace liaison::linkage
