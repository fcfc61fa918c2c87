#include <iostream>

#include "app/organisation_service.h"
#include "cli/commands.h"
#include "cli/context.h"

namespace liaison::cli {
namespace {

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
  Result<std::unique_ptr<Context>> context = Connect(db, SchemaPolicy::kRequireCurrent);
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
  Result<std::unique_ptr<Context>> context = Connect(db, SchemaPolicy::kRequireCurrent);
  if (!context.ok()) return Fail(context.status());
  app::OrganisationService service(*(*context)->store, *(*context)->audit);
  Result<domain::Site> created =
      service.AddSite({"cli", "administration"}, {options.org, options.code, options.name});
  if (!created.ok()) return Fail(created.status());
  std::cout << "added site " << created->code << "\n";
  return 0;
}

}  // namespace

void AddOrganisationCommands(CLI::App& root, int& exit_code) {
  auto db = std::make_shared<DatabaseOptions>();
  CLI::App* org = root.add_subcommand("org", "organisations");
  org->require_subcommand(1);
  auto org_options = std::make_shared<OrgAddOptions>();
  CLI::App* org_add = org->add_subcommand("add", "add a hospital trust or local authority");
  AddDatabaseOptions(*org_add, *db);
  org_add->add_option("--code", org_options->code)->required();
  org_add->add_option("--name", org_options->name)->required();
  org_add->add_option("--kind", org_options->kind, "trust or local_authority")->required();
  org_add->callback([db, org_options, &exit_code] { exit_code = OrgAdd(*db, *org_options); });

  CLI::App* site = root.add_subcommand("site", "sites of an organisation");
  site->require_subcommand(1);
  auto site_options = std::make_shared<SiteAddOptions>();
  CLI::App* site_add = site->add_subcommand("add", "add a site");
  AddDatabaseOptions(*site_add, *db);
  site_add->add_option("--code", site_options->code)->required();
  site_add->add_option("--name", site_options->name)->required();
  site_add->add_option("--org", site_options->org, "the organisation's code")->required();
  site_add->callback([db, site_options, &exit_code] { exit_code = SiteAdd(*db, *site_options); });
}

}  // namespace liaison::cli
