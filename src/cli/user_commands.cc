// `liaison user add|disable|enable` and `liaison token add|revoke`: account administration
// from the command line, as a local operator (actor "cli"), for bootstrapping a deployment
// before any administrator can sign in, and for cutting off an account when none can.
#include <cstdlib>
#include <iostream>
#include <iterator>

#include "app/user_service.h"
#include "cli/commands.h"
#include "cli/context.h"

namespace liaison::cli {
namespace {

// LIAISON_PASSWORD_COST=minimum selects libsodium's minimum argon2id cost. For tests only:
// hashes made that way are cheap to attack, so production never sets it.
app::PasswordCost CostFromEnvironment() {
  const char* cost = std::getenv("LIAISON_PASSWORD_COST");
  if (cost != nullptr && std::string_view(cost) == "minimum") return app::PasswordCost::Minimum();
  return app::PasswordCost::Interactive();
}

struct UserAddOptions {
  std::string username;
  std::string role;
  std::string org;
  std::string team;
};

int UserAdd(const DatabaseOptions& db, const UserAddOptions& options) {
  std::optional<domain::Role> role = domain::RoleFromSlug(options.role);
  if (!role) {
    std::cerr << "error: --role is one of the role slugs in docs/contracts (e.g. liaison_nurse)\n";
    return kExitUsage;
  }
  // The password comes from stdin so it never appears in the process list or shell history.
  std::string password(std::istreambuf_iterator<char>(std::cin), {});
  if (password.ends_with("\r\n")) {
    password.resize(password.size() - 2);
  } else if (password.ends_with('\n')) {
    password.pop_back();
  }
  Result<std::unique_ptr<Context>> context = Connect(db, SchemaPolicy::kRequireCurrent);
  if (!context.ok()) return Fail(context.status());
  app::UserService service(*(*context)->store, *(*context)->audit, (*context)->clock,
                           CostFromEnvironment());
  app::NewUser user{options.username, *role, options.org, std::nullopt, std::move(password)};
  if (!options.team.empty()) user.team_code = options.team;
  Result<domain::User> created = service.CreateUser({"cli", "administration"}, user);
  if (!created.ok()) return Fail(created.status());
  std::cout << "added user " << created->username << "\n";
  return 0;
}

// Disabling ends the user's sessions at once, in the same audited unit of work, so a running
// `serve` refuses their next request.
int UserSetDisabled(const DatabaseOptions& db, const std::string& username, bool disabled) {
  Result<std::unique_ptr<Context>> context = Connect(db, SchemaPolicy::kRequireCurrent);
  if (!context.ok()) return Fail(context.status());
  app::UserService service(*(*context)->store, *(*context)->audit, (*context)->clock,
                           CostFromEnvironment());
  app::UserChange change;
  change.disabled = disabled;
  Result<app::ManagedUser> changed =
      service.UpdateUser({"cli", "administration"}, username, change);
  if (!changed.ok()) return Fail(changed.status());
  std::cout << (disabled ? "disabled user " : "enabled user ") << changed->user.username << "\n";
  return 0;
}

struct TokenAddOptions {
  std::string name;
  std::string scope;
  std::string org;
  std::optional<int> expires_days;
};

int TokenAdd(const DatabaseOptions& db, const TokenAddOptions& options) {
  std::optional<domain::TokenScope> scope = domain::TokenScopeFromSlug(options.scope);
  if (!scope) {
    std::cerr << "error: --scope is attendance_feed or register_upload\n";
    return kExitUsage;
  }
  Result<std::unique_ptr<Context>> context = Connect(db, SchemaPolicy::kRequireCurrent);
  if (!context.ok()) return Fail(context.status());
  app::UserService service(*(*context)->store, *(*context)->audit, (*context)->clock,
                           CostFromEnvironment());
  Result<app::CreatedApiToken> created = service.CreateToken(
      {"cli", "administration"}, {options.name, *scope, options.org, options.expires_days});
  if (!created.ok()) return Fail(created.status());
  // The only time the secret is shown; the database keeps its hash.
  std::cout << created->secret << "\n";
  std::cerr << "token " << created->token.id.value()
            << " created; store it now, it cannot be shown again\n";
  return 0;
}

int TokenRevoke(const DatabaseOptions& db, std::int64_t id) {
  Result<std::unique_ptr<Context>> context = Connect(db, SchemaPolicy::kRequireCurrent);
  if (!context.ok()) return Fail(context.status());
  app::UserService service(*(*context)->store, *(*context)->audit, (*context)->clock,
                           CostFromEnvironment());
  Status revoked = service.RevokeToken({"cli", "administration"}, domain::ApiTokenId(id));
  if (!revoked.ok()) return Fail(revoked);
  std::cout << "revoked token " << id << "\n";
  return 0;
}

}  // namespace

void AddUserCommands(CLI::App& root, int& exit_code) {
  auto db = std::make_shared<DatabaseOptions>();
  CLI::App* user = root.add_subcommand("user", "user accounts");
  user->require_subcommand(1);
  auto user_options = std::make_shared<UserAddOptions>();
  CLI::App* user_add = user->add_subcommand("add", "add a user; the password is read from stdin");
  AddDatabaseOptions(*user_add, *db);
  user_add->add_option("--username", user_options->username)->required();
  user_add->add_option("--role", user_options->role, "a role slug")->required();
  user_add->add_option("--org", user_options->org, "the organisation's code")->required();
  user_add->add_option("--team", user_options->team, "the team's code in the organisation");
  user_add->callback([db, user_options, &exit_code] { exit_code = UserAdd(*db, *user_options); });

  auto username = std::make_shared<std::string>();
  for (bool disabled : {true, false}) {
    CLI::App* command = user->add_subcommand(
        disabled ? "disable" : "enable",
        disabled ? "disable a user and end their sessions at once" : "enable a disabled user");
    AddDatabaseOptions(*command, *db);
    command->add_option("--username", *username)->required();
    command->callback([db, username, disabled, &exit_code] {
      exit_code = UserSetDisabled(*db, *username, disabled);
    });
  }

  CLI::App* token = root.add_subcommand("token", "API tokens for system feeds");
  token->require_subcommand(1);
  auto token_options = std::make_shared<TokenAddOptions>();
  CLI::App* token_add = token->add_subcommand("add", "add a token and print it once");
  AddDatabaseOptions(*token_add, *db);
  token_add->add_option("--name", token_options->name)->required();
  token_add->add_option("--scope", token_options->scope, "attendance_feed or register_upload")
      ->required();
  token_add->add_option("--org", token_options->org, "the organisation's code")->required();
  token_add->add_option("--expires-days", token_options->expires_days, "1 to 3660 days")
      ->check(CLI::Range(1, 3660));
  token_add->callback(
      [db, token_options, &exit_code] { exit_code = TokenAdd(*db, *token_options); });

  auto revoke_id = std::make_shared<std::int64_t>(0);
  CLI::App* token_revoke = token->add_subcommand("revoke", "revoke a token by id");
  AddDatabaseOptions(*token_revoke, *db);
  token_revoke->add_option("--id", *revoke_id, "the token's id")->required();
  token_revoke->callback([db, revoke_id, &exit_code] { exit_code = TokenRevoke(*db, *revoke_id); });
}

}  // namespace liaison::cli
