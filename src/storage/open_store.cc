#include "storage/postgres/postgres_store.h"
#include "storage/sqlite/sqlite_store.h"
#include "storage/store.h"

namespace liaison::storage {

Result<std::unique_ptr<Store>> OpenStore(std::string_view url, const StoreOptions& options) {
  if (url.starts_with("sqlite:")) return OpenSqliteStore(url.substr(7), options);
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return OpenPostgresStore(url, options);
  }
  return InvalidArgument("invalid_database_url",
                         "a database URL starts with sqlite: or postgresql://", "/db");
}

}  // namespace liaison::storage
