#include <iostream>

#include "app/demo_data.h"
#include "cli/commands.h"
#include "cli/context.h"

namespace liaison::cli {
namespace {

int Migrate(const DatabaseOptions& options) {
  Result<std::unique_ptr<Context>> context = Connect(options, SchemaPolicy::kMigrate);
  if (!context.ok()) return Fail(context.status());
  std::cout << "schema at version " << *(*context)->store->SchemaVersion() << "\n";
  return 0;
}

int Demo(const DatabaseOptions& options, std::int64_t attendances) {
  if (attendances < 0) {
    std::cerr << "error: --attendances is a number from 0 up\n";
    return kExitUsage;
  }
  Result<std::unique_ptr<Context>> context = Connect(options, SchemaPolicy::kMigrate);
  if (!context.ok()) return Fail(context.status());
  Context& c = **context;
  Result<app::DemoSummary> summary = app::LoadDemoData(*c.store, *c.audit);
  if (!summary.ok()) return Fail(summary.status());
  std::cout << "demo data: " << summary->organisations << " organisations, " << summary->sites
            << " sites, " << summary->teams << " teams, " << summary->people << " people\n";
  // The register first, so that attendances of children on plans raise alerts as they arrive.
  Result<app::DemoRegisterSummary> register_loaded =
      app::LoadDemoRegister(*c.store, *c.audit, c.clock, attendances);
  if (!register_loaded.ok()) return Fail(register_loaded.status());
  std::cout << "demo register (" << app::kDemoRegisterOrg << "): " << register_loaded->read
            << " read, " << register_loaded->accepted << " accepted, " << register_loaded->rejected
            << " rejected, " << register_loaded->warnings << " warnings\n";
  Result<app::DemoAttendanceSummary> loaded =
      app::LoadDemoAttendances(*c.store, *c.audit, c.clock, attendances);
  if (!loaded.ok()) return Fail(loaded.status());
  std::cout << "demo attendances: " << loaded->generated << " generated, " << loaded->created
            << " created, " << loaded->updated << " updated, " << loaded->unchanged
            << " unchanged, " << loaded->rejected << " rejected, " << loaded->register_alerts
            << " register alerts, " << loaded->register_referred << " referred for review\n";
  return 0;
}

int AuditVerify(const DatabaseOptions& options) {
  Result<std::unique_ptr<Context>> context = Connect(options, SchemaPolicy::kRequireCurrent);
  if (!context.ok()) return Fail(context.status());
  Result<app::AuditVerification> result =
      app::VerifyAuditChain(*(*context)->store, (*context)->anchor.get());
  if (!result.ok()) return Fail(result.status());
  if (!result->ok) {
    std::cout << "bad event " << result->first_bad_seq << ": " << result->problem << "\n";
    return kExitFailure;
  }
  std::cout << "ok: " << result->events << " events\n";
  return 0;
}

}  // namespace

void AddDatabaseCommands(CLI::App& root, int& exit_code) {
  auto db = std::make_shared<DatabaseOptions>();
  CLI::App* migrate = root.add_subcommand("migrate", "create or upgrade the schema");
  AddDatabaseOptions(*migrate, *db);
  migrate->callback([db, &exit_code] { exit_code = Migrate(*db); });

  CLI::App* demo = root.add_subcommand("demo", "load the demo data set (replaces it if present)");
  AddDatabaseOptions(*demo, *db);
  // A year of the demo trust's attendances; scripts/run-demo.sh asks for a realistic volume,
  // the default keeps `demo` quick for tests.
  auto attendances = std::make_shared<std::int64_t>(2000);
  demo->add_option("--attendances", *attendances,
                   "attendances over the 365 days up to 2026-11-20 (default 2000)");
  demo->callback([db, attendances, &exit_code] { exit_code = Demo(*db, *attendances); });

  CLI::App* audit = root.add_subcommand("audit", "the audit trail");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand("verify", "check the hash chain and its anchor");
  AddDatabaseOptions(*verify, *db);
  verify->callback([db, &exit_code] { exit_code = AuditVerify(*db); });
}

}  // namespace liaison::cli
