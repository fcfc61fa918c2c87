// What every database subcommand shares: the --db and --audit-anchor options, the wired
// store, clock and audit log, and the one-line error report. Subcommands live in
// *_commands.cc files, each registering itself through a function declared in commands.h.
#pragma once

#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "app/audit_anchor.h"
#include "app/audit_log.h"
#include "common/clock.h"
#include "common/status.h"
#include "storage/store.h"

namespace liaison::cli {

inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct DatabaseOptions {
  std::string url;
  std::string anchor;  // defaults beside the database; see app::DefaultAnchorPath
  bool relaxed_durability = false;
};

void AddDatabaseOptions(CLI::App& command, DatabaseOptions& options);
// --db and --audit-anchor for commands where the database is optional; returns --db.
CLI::Option* AddOptionalDatabaseOptions(CLI::App& command, DatabaseOptions& options,
                                        const std::string& db_help);

// Prints "error: MESSAGE (FIELD) [REASON]" on stderr and returns kExitFailure.
int Fail(const Status& status);

// The pieces every database command needs, wired together.
struct Context {
  std::unique_ptr<storage::Store> store;
  SystemClock clock;
  std::unique_ptr<app::AuditAnchor> anchor;
  std::unique_ptr<app::AuditLog> audit;
};

enum class SchemaPolicy { kMigrate, kRequireCurrent };

Result<std::unique_ptr<Context>> Connect(const DatabaseOptions& options, SchemaPolicy schema);

}  // namespace liaison::cli
