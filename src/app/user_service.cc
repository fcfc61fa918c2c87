#include "app/user_service.h"

#include "app/access_policy.h"
#include "app/auth_service.h"
#include "common/hash.h"

namespace liaison::app {
namespace {

using domain::Role;

Result<domain::Organisation> FindOrganisation(storage::UnitOfWork& work, std::string_view code) {
  Result<domain::Organisation> org = work.GetOrganisationByCode(code);
  if (!org.ok() && org.status().code() == StatusCode::kNotFound) {
    return NotFound("unknown_organisation", "no organisation has this code", "/org");
  }
  return org;
}

Status UnknownUser() {
  return NotFound("unknown_user", "your organisation has no user with this username", "/username");
}

// The user named `username`, if the actor may manage users of their organisation. A user of
// another organisation is reported exactly like a missing one, and the attempt is audited.
Result<storage::UserCredentials> FindManagedUser(AuditedWork& work, const Actor& actor,
                                                 std::string_view username,
                                                 std::string_view action) {
  RETURN_IF_ERROR(AuthorizeRole(work, actor, Action::kUserManage, "user", ""));
  ASSIGN_OR_RETURN(std::optional<storage::UserCredentials> found,
                   work.store().FindUserByUsername(username));
  if (!found) {
    RETURN_IF_ERROR(
        work.Append({actor.id, std::string(action), "user", "", actor.reason, "not_found"}));
    RETURN_IF_ERROR(work.Commit());
    return UnknownUser();
  }
  Status allowed = Authorize(work, actor, Action::kUserManage, found->user.org, "user",
                             std::to_string(found->user.id.value()));
  if (allowed.reason() == "out_of_scope") return UnknownUser();
  RETURN_IF_ERROR(allowed);
  return *std::move(found);
}

Result<std::optional<domain::TeamId>> TeamByCode(storage::UnitOfWork& work, domain::OrgId org,
                                                 const std::optional<std::string>& code) {
  if (!code) return std::optional<domain::TeamId>();
  ASSIGN_OR_RETURN(std::vector<domain::Team> teams, work.ListTeams(org));
  for (const domain::Team& team : teams) {
    if (team.code == *code) return std::optional<domain::TeamId>(team.id);
  }
  return NotFound("unknown_team", "the organisation has no team with this code", "/team");
}

std::optional<std::string> TeamCode(const std::vector<domain::Team>& teams,
                                    const domain::User& user) {
  for (const domain::Team& team : teams) {
    if (user.team && team.id == *user.team) return team.code;
  }
  return std::nullopt;
}

}  // namespace

bool RoleFitsOrganisation(Role role, domain::OrgKind kind) {
  switch (role) {
    case Role::kHospitalSocialWorker:
    case Role::kLaFrontDoor:
    case Role::kLaManager:
      return kind == domain::OrgKind::kLocalAuthority;
    case Role::kAdmin:
    case Role::kAuditor:
    case Role::kSystemFeed:
      return true;
    default:
      return kind == domain::OrgKind::kTrust;
  }
}

Result<domain::User> UserService::CreateUser(const Actor& actor, const NewUser& request) {
  RETURN_IF_ERROR(domain::ValidateUsername(request.username, "/username"));
  RETURN_IF_ERROR(CheckPasswordRules(request.password, request.username));
  ASSIGN_OR_RETURN(std::string hash, HashPassword(request.password, cost_));
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(AuthorizeRole(work, actor, Action::kUserManage, "user", ""));
  ASSIGN_OR_RETURN(domain::Organisation org, FindOrganisation(work.store(), request.org_code));
  RETURN_IF_ERROR(Authorize(work, actor, Action::kUserManage, org.id, "organisation",
                            std::to_string(org.id.value())));
  if (!RoleFitsOrganisation(request.role, org.kind)) {
    return InvalidArgument("role_not_valid_for_organisation",
                           "this role does not belong in this kind of organisation", "/role");
  }
  domain::User user{{}, request.username, request.role, org.id, std::nullopt};
  ASSIGN_OR_RETURN(user.team, TeamByCode(work.store(), org.id, request.team_code));
  ASSIGN_OR_RETURN(user.id, work.store().InsertUser(user, hash));
  RETURN_IF_ERROR(work.Append(
      {actor.id, "user.create", "user", std::to_string(user.id.value()), actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return user;
}

Result<std::vector<ManagedUser>> UserService::ListUsers(const Actor& actor) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(AuthorizeRole(work, actor, Action::kUserManage, "user", ""));
  if (!actor.principal) {
    return FailedPrecondition("not_signed_in", "list users as a signed-in administrator");
  }
  std::string org_id = std::to_string(actor.principal->org.value());
  RETURN_IF_ERROR(
      Authorize(work, actor, Action::kUserManage, actor.principal->org, "organisation", org_id));
  ASSIGN_OR_RETURN(std::vector<domain::User> users, work.store().ListUsers(actor.principal->org));
  ASSIGN_OR_RETURN(std::vector<domain::Team> teams, work.store().ListTeams(actor.principal->org));
  RETURN_IF_ERROR(work.Append({actor.id, "user.list", "organisation", org_id, actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  std::vector<ManagedUser> listed;
  listed.reserve(users.size());
  for (domain::User& user : users) {
    std::optional<std::string> team = TeamCode(teams, user);
    listed.push_back({std::move(user), std::move(team)});
  }
  return listed;
}

Result<ManagedUser> UserService::UpdateUser(const Actor& actor, std::string_view username,
                                            const UserChange& change) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  ASSIGN_OR_RETURN(storage::UserCredentials found,
                   FindManagedUser(work, actor, username, "user.update"));
  domain::User user = found.user;
  std::string record_id = std::to_string(user.id.value());
  std::string changed;
  bool end_sessions = false;
  if (change.role && *change.role != user.role) {
    ASSIGN_OR_RETURN(domain::Organisation org, work.store().GetOrganisation(user.org));
    if (!RoleFitsOrganisation(*change.role, org.kind)) {
      return InvalidArgument("role_not_valid_for_organisation",
                             "this role does not belong in this kind of organisation", "/role");
    }
    user.role = *change.role;
    changed += " role=" + std::string(domain::RoleSlug(user.role));
    end_sessions = true;
  }
  if (change.team_code) {
    ASSIGN_OR_RETURN(user.team, TeamByCode(work.store(), user.org, *change.team_code));
    changed += " team=" + change.team_code->value_or("none");
  }
  if (change.disabled) {
    bool self = actor.principal && actor.principal->kind == Principal::Kind::kUser &&
                actor.principal->id == user.id.value();
    if (*change.disabled && self) {
      return FailedPrecondition("cannot_disable_self", "another administrator must disable you",
                                "/disabled");
    }
    if (*change.disabled && !user.disabled_at) {
      user.disabled_at = clock_.Now();
      RETURN_IF_ERROR(work.store().SetUserDisabled(user.id, user.disabled_at));
      changed += " disabled";
      end_sessions = true;
    } else if (!*change.disabled && user.disabled_at) {
      user.disabled_at.reset();
      RETURN_IF_ERROR(work.store().SetUserDisabled(user.id, std::nullopt));
      changed += " enabled";
    }
  }
  RETURN_IF_ERROR(work.store().UpdateUser(user, found.password_hash));
  if (end_sessions) {
    ASSIGN_OR_RETURN(std::int64_t ended, work.store().DeleteUserSessions(user.id));
    changed += " sessions_ended=" + std::to_string(ended);
  }
  RETURN_IF_ERROR(
      work.Append({actor.id, "user.update", "user", record_id,
                   actor.reason + " [" + (changed.empty() ? " none" : changed) + " ]"}));
  ASSIGN_OR_RETURN(std::vector<domain::Team> teams, work.store().ListTeams(user.org));
  RETURN_IF_ERROR(work.Commit());
  std::optional<std::string> team = TeamCode(teams, user);
  return ManagedUser{std::move(user), std::move(team)};
}

Status UserService::ResetPassword(const Actor& actor, std::string_view username,
                                  std::string_view password) {
  RETURN_IF_ERROR(CheckPasswordRules(password, username));
  ASSIGN_OR_RETURN(std::string hash, HashPassword(password, cost_));
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  ASSIGN_OR_RETURN(storage::UserCredentials found,
                   FindManagedUser(work, actor, username, "user.password_reset"));
  RETURN_IF_ERROR(work.store().UpdateUser(found.user, hash));
  ASSIGN_OR_RETURN(std::int64_t ended, work.store().DeleteUserSessions(found.user.id));
  RETURN_IF_ERROR(
      work.Append({actor.id, "user.password_reset", "user", std::to_string(found.user.id.value()),
                   actor.reason + " [sessions_ended=" + std::to_string(ended) + "]"}));
  return work.Commit();
}

Status UserService::ChangeOwnPassword(const Actor& actor, std::string_view current_password,
                                      std::string_view new_password) {
  if (!actor.principal || actor.principal->kind != Principal::Kind::kUser) {
    return FailedPrecondition("not_a_user", "only a signed-in user has a password to change");
  }
  if (current_password.size() > kMaxPasswordBytes) {
    return InvalidArgument("invalid_password", "a password has at most 1024 bytes",
                           "/current_password");
  }
  Status rules = CheckPasswordRules(new_password, actor.principal->username);
  if (!rules.ok()) return Status(rules.code(), rules.reason(), rules.message(), "/new_password");
  if (current_password == new_password) {
    return InvalidArgument("same_password", "choose a password different from the current one",
                           "/new_password");
  }
  const std::string& username = actor.principal->username;
  if (throttle_ != nullptr) {
    // No address: the session already identifies the caller; the username's lockout applies.
    ASSIGN_OR_RETURN(std::chrono::seconds wait, throttle_->RetryAfter(username, ""));
    if (wait > std::chrono::seconds(0)) {
      return Status(StatusCode::kResourceExhausted, "too_many_attempts",
                    "too many wrong passwords; try again later");
    }
  }
  ASSIGN_OR_RETURN(std::string hash, HashPassword(new_password, cost_));
  std::string user_id = std::to_string(actor.principal->id);
  std::optional<storage::UserCredentials> found;
  {
    ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
    RETURN_IF_ERROR(
        Authorize(work, actor, Action::kOwnAccount, actor.principal->org, "user", user_id));
    ASSIGN_OR_RETURN(found, work.store().FindUserByUsername(username));
  }
  // Verified outside any transaction: argon2id takes ~100 ms and must not hold a lock.
  if (!found || !VerifyPassword(found->password_hash, current_password)) {
    if (throttle_ != nullptr) RETURN_IF_ERROR(throttle_->RecordFailure(username));
    ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
    RETURN_IF_ERROR(work.Append({actor.id, "account.password", "user", user_id,
                                 actor.reason + " [denied: wrong current password]", "deny"}));
    RETURN_IF_ERROR(work.Commit());
    return Status(StatusCode::kPermissionDenied, "wrong_password",
                  "the current password is not right", "/current_password");
  }
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(work.store().UpdateUser(found->user, hash));
  ASSIGN_OR_RETURN(std::int64_t ended, work.store().DeleteUserSessions(found->user.id));
  RETURN_IF_ERROR(work.Append({actor.id, "account.password", "user", user_id,
                               actor.reason + " [sessions_ended=" + std::to_string(ended) + "]"}));
  return work.Commit();
}

Result<CreatedApiToken> UserService::CreateToken(const Actor& actor, const NewApiToken& request) {
  RETURN_IF_ERROR(domain::ValidateName(request.name, "/name"));
  if (request.expires_in_days &&
      (*request.expires_in_days < 1 || *request.expires_in_days > 3660)) {
    return InvalidArgument("invalid_expiry", "a token expires in 1 to 3660 days", "/expires_days");
  }
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(AuthorizeRole(work, actor, Action::kTokenManage, "token", ""));
  ASSIGN_OR_RETURN(domain::Organisation org, FindOrganisation(work.store(), request.org_code));
  RETURN_IF_ERROR(Authorize(work, actor, Action::kTokenManage, org.id, "organisation",
                            std::to_string(org.id.value())));
  CreatedApiToken created;
  created.secret = AuthService::NewApiTokenSecret();
  created.token.name = request.name;
  created.token.scope = request.scope;
  created.token.org = org.id;
  created.token.created_at = clock_.Now();
  if (request.expires_in_days) {
    created.token.expires_at =
        created.token.created_at + std::chrono::days(*request.expires_in_days);
  }
  ASSIGN_OR_RETURN(created.token.id,
                   work.store().InsertApiToken(created.token, Blake2bHex(created.secret)));
  RETURN_IF_ERROR(work.Append(
      {actor.id, "token.create", "token", std::to_string(created.token.id.value()), actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return created;
}

Status UserService::RevokeToken(const Actor& actor, domain::ApiTokenId id) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  std::string record_id = std::to_string(id.value());
  RETURN_IF_ERROR(AuthorizeRole(work, actor, Action::kTokenManage, "token", record_id));
  ASSIGN_OR_RETURN(std::vector<domain::ApiToken> tokens, work.store().ListApiTokens());
  std::optional<domain::OrgId> owner;
  for (const domain::ApiToken& token : tokens) {
    if (token.id == id) owner = token.org;
  }
  if (!owner) return NotFound("unknown_token", "no API token has this id", "/id");
  RETURN_IF_ERROR(Authorize(work, actor, Action::kTokenManage, *owner, "token", record_id));
  RETURN_IF_ERROR(work.store().RevokeApiToken(id, clock_.Now()));
  RETURN_IF_ERROR(work.Append({actor.id, "token.revoke", "token", record_id, actor.reason}));
  return work.Commit();
}

}  // namespace liaison::app
