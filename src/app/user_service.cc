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
  if (request.team_code) {
    ASSIGN_OR_RETURN(std::vector<domain::Team> teams, work.store().ListTeams(org.id));
    for (const domain::Team& team : teams) {
      if (team.code == *request.team_code) user.team = team.id;
    }
    if (!user.team) {
      return NotFound("unknown_team", "the organisation has no team with this code", "/team");
    }
  }
  ASSIGN_OR_RETURN(user.id, work.store().InsertUser(user, hash));
  RETURN_IF_ERROR(work.Append(
      {actor.id, "user.create", "user", std::to_string(user.id.value()), actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return user;
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
