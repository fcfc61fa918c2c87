#include "linkage/nicknames.h"

#include <algorithm>

#include "linkage/embedded_data.h"
#include "linkage/standardise.h"

namespace liaison::linkage {

Result<NicknameTable> NicknameTable::Parse(std::string_view text) {
  NicknameTable table;
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (std::size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    std::vector<std::string> names;
    std::size_t from = 0;
    while (from <= line.size()) {
      std::size_t comma = line.find(',', from);
      if (comma == std::string_view::npos) comma = line.size();
      std::string name = FoldText(line.substr(from, comma - from));
      if (!name.empty()) names.push_back(std::move(name));
      from = comma + 1;
    }
    if (end == text.size() && names.empty()) break;
    if (names.empty()) continue;
    if (names.size() < 2) {
      return InvalidArgument("invalid_nickname_table",
                             "line " + std::to_string(line_number) + ": a group needs two names");
    }
    if (table.groups_ >= 65535) {
      return InvalidArgument("invalid_nickname_table", "more than 65535 groups");
    }
    auto group = static_cast<std::uint16_t>(table.groups_++);
    for (std::string& name : names) {
      NicknameGroups& groups = table.by_name_[std::move(name)];
      if (groups.empty() || groups.back() != group) groups.push_back(group);
    }
    if (end == text.size()) break;
  }
  return table;
}

const NicknameTable& NicknameTable::Default() {
  static const NicknameTable* table = [] {
    Result<NicknameTable> parsed = Parse(DefaultNicknamesText());
    LIAISON_CHECK(parsed.ok());  // the shipped file is checked by a test
    return new NicknameTable(std::move(*parsed));
  }();
  return *table;
}

NicknameGroups NicknameTable::GroupsOf(std::string_view folded_name) const {
  auto found = by_name_.find(std::string(folded_name));
  return found == by_name_.end() ? NicknameGroups{} : found->second;
}

bool ShareGroup(const NicknameGroups& a, const NicknameGroups& b) {
  auto i = a.begin();
  auto j = b.begin();
  while (i != a.end() && j != b.end()) {
    if (*i == *j) return true;
    if (*i < *j) {
      ++i;
    } else {
      ++j;
    }
  }
  return false;
}

}  // namespace liaison::linkage
