// The SQLite schema, as an ordered list of migrations. Migration N is at index N-1. Never
// edit a released migration: add a new one.
#pragma once

#include <span>
#include <string_view>

namespace liaison::storage::sqlite_internal {

std::span<const std::string_view> Migrations();

}  // namespace liaison::storage::sqlite_internal
