// The PostgreSQL schema as an ordered list of migrations. Migration i (0-based) is schema
// version i + 1; an applied migration is never edited, only followed by a new one.
#pragma once

#include <span>

namespace liaison::storage {

// Each entry is one or more SQL statements, run in a single transaction by Migrate().
std::span<const char* const> PostgresMigrations();

}  // namespace liaison::storage
