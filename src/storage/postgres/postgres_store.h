// The server backend: PostgreSQL 15 through libpq, a pool of connections with prepared
// statements, versioned migrations, and advisory locks to serialise audit appends.
#pragma once

#include <memory>
#include <string_view>

#include "storage/store.h"

namespace liaison::storage {

// `url` is a libpq connection URI: postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?params].
Result<std::unique_ptr<Store>> OpenPostgresStore(std::string_view url, const StoreOptions& options);

}  // namespace liaison::storage
