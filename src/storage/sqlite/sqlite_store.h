// The embedded backend: SQLite 3 in WAL mode with foreign keys, a busy timeout, a pool of
// connections each with its reused prepared statements, and versioned migrations.
#pragma once

#include <memory>
#include <string_view>

#include "storage/store.h"

namespace liaison::storage {

// Opens (creating if missing) the SQLite database file at `path`.
Result<std::unique_ptr<Store>> OpenSqliteStore(std::string_view path, const StoreOptions& options);

}  // namespace liaison::storage
