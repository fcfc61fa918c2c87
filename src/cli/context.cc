#include "cli/context.h"

#include <iostream>

namespace liaison::cli {

void AddDatabaseOptions(CLI::App& command, DatabaseOptions& options) {
  AddOptionalDatabaseOptions(command, options, "sqlite:PATH or postgresql://...")->required();
}

CLI::Option* AddOptionalDatabaseOptions(CLI::App& command, DatabaseOptions& options,
                                        const std::string& db_help) {
  CLI::Option* db = command.add_option("--db", options.url, db_help);
  command.add_option("--audit-anchor", options.anchor,
                     "file that keeps the audit chain's head outside the database");
  return db;
}

int Fail(const Status& status) {
  std::cerr << "error: " << status.message();
  if (!status.field().empty()) std::cerr << " (" << status.field() << ")";
  std::cerr << " [" << status.reason() << "]\n";
  return kExitFailure;
}

Result<std::unique_ptr<Context>> Connect(const DatabaseOptions& options, SchemaPolicy schema) {
  auto context = std::make_unique<Context>();
  storage::StoreOptions store_options;
  store_options.durability =
      options.relaxed_durability ? storage::Durability::kNormal : storage::Durability::kFull;
  ASSIGN_OR_RETURN(context->store, storage::OpenStore(options.url, store_options));
  if (schema == SchemaPolicy::kMigrate) {
    RETURN_IF_ERROR(context->store->Migrate());
  } else {
    ASSIGN_OR_RETURN(int version, context->store->SchemaVersion());
    if (version < context->store->LatestSchemaVersion()) {
      return FailedPrecondition("schema_out_of_date",
                                "the database schema is not current: run `liaison migrate`");
    }
  }
  context->anchor = app::NewFileAuditAnchor(
      options.anchor.empty() ? app::DefaultAnchorPath(options.url) : options.anchor);
  context->audit = std::make_unique<app::AuditLog>(context->clock, *context->anchor);
  return context;
}

}  // namespace liaison::cli
