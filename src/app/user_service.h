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
#include "app/login_throttle.h"
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

// What an administrator changes about an account; unset fields stay as they are.
struct UserChange {
  std::optional<domain::Role> role;
  // Set: change the team; set to nullopt inside: remove the team.
  std::optional<std::optional<std::string>> team_code;
  std::optional<bool> disabled;
};

// An account as its administrators see it: the user and their team's code.
struct ManagedUser {
  domain::User user;
  std::optional<std::string> team_code;
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
  // With a `throttle`, wrong current passwords in ChangeOwnPassword count as failed sign-ins
  // of the user, so a stolen session cannot be used to guess the password at leisure.
  UserService(storage::Store& store, const AuditLog& audit, const Clock& clock, PasswordCost cost,
              LoginThrottle* throttle = nullptr)
      : store_(store), audit_(audit), clock_(clock), cost_(cost), throttle_(throttle) {}

  // Errors: "invalid_username", "weak_password", "unknown_organisation" (/org),
  // "unknown_team" (/team), "role_not_valid_for_organisation" (/role), "duplicate_username".
  Result<domain::User> CreateUser(const Actor& actor, const NewUser& user);

  // The users of the administrator's own organisation, by username. Audited.
  Result<std::vector<ManagedUser>> ListUsers(const Actor& actor);

  // Changes role, team or disabled state. Disabling ends every session of the user at once
  // (and sign-in refuses them); a role change does too, so no session outlives the role it was
  // opened with. Errors: "unknown_user" (/username; also for another organisation's user),
  // "unknown_team" (/team), "role_not_valid_for_organisation" (/role), "cannot_disable_self".
  Result<ManagedUser> UpdateUser(const Actor& actor, std::string_view username,
                                 const UserChange& change);

  // Sets a new password (NCSC rules) for another user and ends their sessions.
  Status ResetPassword(const Actor& actor, std::string_view username, std::string_view password);

  // The signed-in user changes their own password, giving the current one. Ends every session
  // of the user, the current one included, so they sign in again with the new password.
  // Errors: kPermissionDenied "wrong_password" (/current_password), "weak_password"
  // (/new_password), "same_password" (/new_password), kResourceExhausted "too_many_attempts"
  // while the username is locked out.
  Status ChangeOwnPassword(const Actor& actor, std::string_view current_password,
                           std::string_view new_password);

  Result<CreatedApiToken> CreateToken(const Actor& actor, const NewApiToken& token);
  // kNotFound "unknown_token" for an unknown id.
  Status RevokeToken(const Actor& actor, domain::ApiTokenId id);

 private:
  storage::Store& store_;
  const AuditLog& audit_;
  const Clock& clock_;
  const PasswordCost cost_;
  LoginThrottle* const throttle_;  // may be null
};

}  // namespace liaison::app
