#include "cli/cli.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <CLI/CLI.hpp>

#include "app/audit_anchor.h"
#include "app/audit_log.h"
#include "app/demo_data.h"
#include "app/organisation_service.h"
#include "app/outbox_worker.h"
#include "common/log.h"
#include "http/api.h"
#include "http/server.h"
#include "storage/store.h"

namespace liaison::cli {
namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct DatabaseOptions {
  std::string url;
  std::string anchor;  // defaults beside the database; see app::DefaultAnchorPath
  bool relaxed_durability = false;
};

void AddDatabaseOptions(CLI::App& command, DatabaseOptions& options) {
  command.add_option("--db", options.url, "sqlite:PATH or postgresql://...")->required();
  command.add_option("--audit-anchor", options.anchor,
                     "file that keeps the audit chain's head outside the database");
}

int Fail(const Status& status) {
  std::cerr << "error: " << status.message();
  if (!status.field().empty()) std::cerr << " (" << status.field() << ")";
  std::cerr << " [" << status.reason() << "]\n";
  return kExitFailure;
}

// The pieces every database command needs, wired together.
struct Context {
  std::unique_ptr<storage::Store> store;
  SystemClock clock;
  std::unique_ptr<app::AuditAnchor> anchor;
  std::unique_ptr<app::AuditLog> audit;
};

Result<std::unique_ptr<Context>> Connect(const DatabaseOptions& options, bool migrate) {
  auto context = std::make_unique<Context>();
  storage::StoreOptions store_options;
  store_options.durability =
      options.relaxed_durability ? storage::Durability::kNormal : storage::Durability::kFull;
  ASSIGN_OR_RETURN(context->store, storage::OpenStore(options.url, store_options));
  if (migrate) {
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

int Migrate(const DatabaseOptions& options) {
  Result<std::unique_ptr<Context>> context = Connect(options, true);
  if (!context.ok()) return Fail(context.status());
  std::cout << "schema at version " << *(*context)->store->SchemaVersion() << "\n";
  return 0;
}

int Demo(const DatabaseOptions& options) {
  Result<std::unique_ptr<Context>> context = Connect(options, true);
  if (!context.ok()) return Fail(context.status());
  Result<app::DemoSummary> summary = app::LoadDemoData(*(*context)->store, *(*context)->audit);
  if (!summary.ok()) return Fail(summary.status());
  std::cout << "demo data: " << summary->organisations << " organisations, " << summary->sites
            << " sites, " << summary->teams << " teams, " << summary->people << " people\n";
  return 0;
}

int AuditVerify(const DatabaseOptions& options) {
  Result<std::unique_ptr<Context>> context = Connect(options, false);
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

struct OrgAddOptions {
  std::string code;
  std::string name;
  std::string kind;
};

int OrgAdd(const DatabaseOptions& db, const OrgAddOptions& options) {
  std::optional<domain::OrgKind> kind = domain::OrgKindFromSlug(options.kind);
  if (!kind) {
    std::cerr << "error: --kind is trust or local_authority\n";
    return kExitUsage;
  }
  Result<std::unique_ptr<Context>> context = Connect(db, false);
  if (!context.ok()) return Fail(context.status());
  app::OrganisationService service(*(*context)->store, *(*context)->audit);
  Result<domain::Organisation> created =
      service.Create({"cli", "administration"}, {{}, options.code, options.name, *kind});
  if (!created.ok()) return Fail(created.status());
  std::cout << "added organisation " << created->code << "\n";
  return 0;
}

struct SiteAddOptions {
  std::string code;
  std::string name;
  std::string org;
};

int SiteAdd(const DatabaseOptions& db, const SiteAddOptions& options) {
  Result<std::unique_ptr<Context>> context = Connect(db, false);
  if (!context.ok()) return Fail(context.status());
  app::OrganisationService service(*(*context)->store, *(*context)->audit);
  Result<domain::Site> created =
      service.AddSite({"cli", "administration"}, {options.org, options.code, options.name});
  if (!created.ok()) return Fail(created.status());
  std::cout << "added site " << created->code << "\n";
  return 0;
}

struct ServeOptions {
  std::string listen = "127.0.0.1:8080";
  std::string web_root = "web";
  std::string outbox_dir;
  int threads = 2;
};

int Serve(const DatabaseOptions& db, const ServeOptions& options) {
  Result<std::pair<std::string, std::uint16_t>> address = http::ParseListenAddress(options.listen);
  if (!address.ok()) {
    std::cerr << "error: " << address.status().message() << " (--listen)\n";
    return kExitUsage;
  }
  Result<std::unique_ptr<Context>> context = Connect(db, false);
  if (!context.ok()) return Fail(context.status());
  Context& c = **context;

  http::Api api(*c.store, *c.audit, c.clock, {options.web_root, "0.1.0"});
  http::ServerOptions server_options;
  server_options.host = address->first;
  server_options.port = address->second;
  server_options.threads = std::max(1, options.threads);
  http::Server server(server_options, {[&api](const http::Request& r) { return api.Handle(r); },
                                       [&api](const http::Request& r) { return api.RouteFor(r); }});
  Result<std::string> where = server.Listen();
  if (!where.ok()) return Fail(where.status());

  std::string spool =
      options.outbox_dir.empty() ? app::DefaultAnchorPath(db.url) + ".outbox" : options.outbox_dir;
  std::unique_ptr<app::Deliverer> deliverer = app::NewSpoolDirectoryDeliverer(spool);
  app::OutboxWorker worker(*c.store, *deliverer, c.clock, {});
  worker.Start();

  std::cout << "listening on http://" << *where << std::endl;
  server.Run();
  worker.Stop();
  spdlog::info("stopped");
  return 0;
}

}  // namespace

int Run(int argc, char** argv) {
  ConfigureLogging("info");
  CLI::App cli{"Liaison: safeguarding children across a hospital trust and its local authorities"};
  cli.require_subcommand(1);
  std::string log_level = "info";
  cli.add_option("--log-level", log_level, "debug, info, warn or error");

  DatabaseOptions db;
  int exit_code = 0;

  CLI::App* migrate = cli.add_subcommand("migrate", "create or upgrade the schema");
  AddDatabaseOptions(*migrate, db);
  migrate->callback([&] { exit_code = Migrate(db); });

  CLI::App* demo = cli.add_subcommand("demo", "load the demo data set (replaces it if present)");
  AddDatabaseOptions(*demo, db);
  demo->callback([&] { exit_code = Demo(db); });

  ServeOptions serve_options;
  CLI::App* serve = cli.add_subcommand("serve", "serve the web application and API");
  AddDatabaseOptions(*serve, db);
  serve->add_option("--listen", serve_options.listen, "HOST:PORT; port 0 picks a free port");
  serve->add_option("--web-root", serve_options.web_root, "folder with templates/ and assets");
  serve->add_option("--outbox-dir", serve_options.outbox_dir, "where notifications are spooled");
  serve->add_option("--threads", serve_options.threads, "network threads");
  serve->add_flag("--relaxed-durability", db.relaxed_durability,
                  "SQLite synchronous=NORMAL: survives a crash, not a power loss");
  serve->callback([&] { exit_code = Serve(db, serve_options); });

  CLI::App* org = cli.add_subcommand("org", "organisations");
  org->require_subcommand(1);
  OrgAddOptions org_options;
  CLI::App* org_add = org->add_subcommand("add", "add a hospital trust or local authority");
  AddDatabaseOptions(*org_add, db);
  org_add->add_option("--code", org_options.code)->required();
  org_add->add_option("--name", org_options.name)->required();
  org_add->add_option("--kind", org_options.kind, "trust or local_authority")->required();
  org_add->callback([&] { exit_code = OrgAdd(db, org_options); });

  CLI::App* site = cli.add_subcommand("site", "sites of an organisation");
  site->require_subcommand(1);
  SiteAddOptions site_options;
  CLI::App* site_add = site->add_subcommand("add", "add a site");
  AddDatabaseOptions(*site_add, db);
  site_add->add_option("--code", site_options.code)->required();
  site_add->add_option("--name", site_options.name)->required();
  site_add->add_option("--org", site_options.org, "the organisation's code")->required();
  site_add->callback([&] { exit_code = SiteAdd(db, site_options); });

  CLI::App* audit = cli.add_subcommand("audit", "the audit trail");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand("verify", "check the hash chain and its anchor");
  AddDatabaseOptions(*verify, db);
  verify->callback([&] { exit_code = AuditVerify(db); });

  try {
    cli.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    std::cout << cli.help();
    return 0;
  } catch (const CLI::CallForAllHelp& help) {
    std::cout << cli.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::ParseError& error) {
    std::cerr << "error: " << error.what() << "\n";
    return kExitUsage;
  }
  return exit_code;
}

}  // namespace liaison::cli
