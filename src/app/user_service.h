// Administration of accounts: users and API tokens. Every change is authorised by the policy
// (user.manage, token.manage) and audited. Passwords are checked against the rules in
// app/password.h and hashed with the configured cost before any transaction opens, so the
// database is never locked while argon2id runs. Thread-safe; stateless beyond collaborators.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "app/password.h"
#include "domain/user.h"
#include "storage/store.h"

namespace liaison::app {

struct NewUser {
  std::string username;
  domain::Role role = domain::Role::kEdClinician;
  std::string org_code;
  std::optional<std::string> team_code;
  std::string password;
};

struct NewApiToken {
  std::string name;
  domain::TokenScope scope = domain::TokenScope::kAttendanceFeed;
  std::string org_code;
  std::optional<int> expires_in_days;  // none: never expires
};

struct CreatedApiToken {
  domain::ApiToken token;
  std::string secret;  // shown once; only its hash is stored
};

// Whether `role` belongs in an organisation of `kind`: trust roles in trusts, local-authority
// roles (hospital social worker, front door, manager) in local authorities; administrators,
// auditors and system feeds in either.
bool RoleFitsOrganisation(domain::Role role, domain::OrgKind kind);

class UserService {
 public:
  UserService(storage::Store& store, const AuditLog& audit, const Clock& clock, PasswordCost cost)
      : store_(store), audit_(audit), clock_(clock), cost_(cost) {}

  // Errors: "invalid_username", "weak_password", "unknown_organisation" (/org),
  // "unknown_team" (/team), "role_not_valid_for_organisation" (/role), "duplicate_username".
  Result<domain::User> CreateUser(const Actor& actor, const NewUser& user);

  Result<CreatedApiToken> CreateToken(const Actor& actor, const NewApiToken& token);
  // kNotFound "unknown_token" for an unknown id.
  Status RevokeToken(const Actor& actor, domain::ApiTokenId id);

 private:
  storage::Store& store_;
  const AuditLog& audit_;
  const Clock& clock_;
  const PasswordCost cost_;
};

}  // namespace liaison::app
