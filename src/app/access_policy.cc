#include "app/access_policy.h"

#include <array>

namespace liaison::app {
namespace {

using domain::Role;

struct Rule {
  Role role;
  Action action;
  Scope scope;
};

constexpr Scope kOwn = Scope::kOwnOrganisation;
constexpr Scope kAny = Scope::kAnyOrganisation;

// THE POLICY TABLE. Deny by default: a (role, action) pair that is not here is refused.
// Trust clinical and safeguarding staff see people their trust recorded; local-authority
// staff see people their authority recorded; administrators manage accounts and the
// directory but see no person records; auditors read the audit trail of their organisation;
// system feeds (API tokens) only send data to their own organisation.
constexpr std::array kRules = std::to_array<Rule>({
    // The directory of organisations, sites and teams: every person who signs in needs it
    // to address referrals, so it is readable across organisations.
    {Role::kEdClinician, Action::kOrganisationRead, kAny},
    {Role::kLiaisonNurse, Action::kOrganisationRead, kAny},
    {Role::kSafeguardingNurse, Action::kOrganisationRead, kAny},
    {Role::kNamedProfessional, Action::kOrganisationRead, kAny},
    {Role::kMidwife, Action::kOrganisationRead, kAny},
    {Role::kConsultantPaediatrician, Action::kOrganisationRead, kAny},
    {Role::kHealthVisitor, Action::kOrganisationRead, kAny},
    {Role::kSafeguardingAdmin, Action::kOrganisationRead, kAny},
    {Role::kHospitalSocialWorker, Action::kOrganisationRead, kAny},
    {Role::kLaFrontDoor, Action::kOrganisationRead, kAny},
    {Role::kLaManager, Action::kOrganisationRead, kAny},
    {Role::kAuditor, Action::kOrganisationRead, kAny},
    {Role::kAdmin, Action::kOrganisationRead, kAny},
    // Administration.
    {Role::kAdmin, Action::kOrganisationCreate, kAny},
    {Role::kAdmin, Action::kSiteCreate, kOwn},
    {Role::kAdmin, Action::kTeamCreate, kOwn},
    {Role::kAdmin, Action::kUserManage, kOwn},
    {Role::kAdmin, Action::kTokenManage, kOwn},
    {Role::kAuditor, Action::kAuditRead, kOwn},
    // People: read and record within the owning organisation only.
    {Role::kEdClinician, Action::kPersonRead, kOwn},
    {Role::kEdClinician, Action::kPersonCreate, kOwn},
    {Role::kLiaisonNurse, Action::kPersonRead, kOwn},
    {Role::kLiaisonNurse, Action::kPersonCreate, kOwn},
    {Role::kSafeguardingNurse, Action::kPersonRead, kOwn},
    {Role::kSafeguardingNurse, Action::kPersonCreate, kOwn},
    {Role::kNamedProfessional, Action::kPersonRead, kOwn},
    {Role::kNamedProfessional, Action::kPersonCreate, kOwn},
    {Role::kMidwife, Action::kPersonRead, kOwn},
    {Role::kMidwife, Action::kPersonCreate, kOwn},
    {Role::kConsultantPaediatrician, Action::kPersonRead, kOwn},
    {Role::kConsultantPaediatrician, Action::kPersonCreate, kOwn},
    {Role::kHealthVisitor, Action::kPersonRead, kOwn},
    {Role::kHealthVisitor, Action::kPersonCreate, kOwn},
    {Role::kSafeguardingAdmin, Action::kPersonRead, kOwn},
    {Role::kSafeguardingAdmin, Action::kPersonCreate, kOwn},
    {Role::kHospitalSocialWorker, Action::kPersonRead, kOwn},
    {Role::kHospitalSocialWorker, Action::kPersonCreate, kOwn},
    {Role::kLaFrontDoor, Action::kPersonRead, kOwn},
    {Role::kLaFrontDoor, Action::kPersonCreate, kOwn},
    {Role::kLaManager, Action::kPersonRead, kOwn},
    {Role::kLaManager, Action::kPersonCreate, kOwn},
    // Point-of-care assessment: clinical staff of a trust, in front of the patient. It reads
    // and stores no record, so the scope only says the role may use it.
    {Role::kEdClinician, Action::kAssess, kOwn},
    {Role::kLiaisonNurse, Action::kAssess, kOwn},
    {Role::kSafeguardingNurse, Action::kAssess, kOwn},
    {Role::kNamedProfessional, Action::kAssess, kOwn},
    {Role::kMidwife, Action::kAssess, kOwn},
    {Role::kConsultantPaediatrician, Action::kAssess, kOwn},
    {Role::kHealthVisitor, Action::kAssess, kOwn},
    // System feeds, reached only with an API token of the matching scope.
    {Role::kSystemFeed, Action::kAttendanceFeed, kOwn},
    {Role::kSystemFeed, Action::kRegisterUpload, kOwn},
});

constexpr std::array<std::pair<Action, std::string_view>, 12> kActionNames = {{
    {Action::kOrganisationRead, "organisation.read"},
    {Action::kOrganisationCreate, "organisation.create"},
    {Action::kSiteCreate, "site.create"},
    {Action::kTeamCreate, "team.create"},
    {Action::kPersonRead, "person.read"},
    {Action::kPersonCreate, "person.create"},
    {Action::kUserManage, "user.manage"},
    {Action::kTokenManage, "token.manage"},
    {Action::kAuditRead, "audit.read"},
    {Action::kAttendanceFeed, "attendance.feed"},
    {Action::kRegisterUpload, "register.upload"},
    {Action::kAssess, "recognition.assess"},
}};

constexpr std::array<Action, kActionNames.size()> kAllActions = [] {
  std::array<Action, kActionNames.size()> actions{};
  for (size_t i = 0; i < kActionNames.size(); ++i) actions[i] = kActionNames[i].first;
  return actions;
}();

bool IsLocalOperator(const Actor& actor) {
  return actor.origin == ActorOrigin::kLocal && !actor.principal;
}

// A token reaches only the action its scope names, whatever its role's rules say.
bool TokenMayTake(const Principal& principal, Action action) {
  if (principal.kind != Principal::Kind::kToken) return true;
  if (!principal.token_scope) return false;
  switch (*principal.token_scope) {
    case domain::TokenScope::kAttendanceFeed:
      return action == Action::kAttendanceFeed;
    case domain::TokenScope::kRegisterUpload:
      return action == Action::kRegisterUpload;
  }
  return false;
}

Status Deny(AuditedWork& work, const Actor& actor, Action action, std::string_view record_type,
            std::string_view record_id, AccessDecision decision) {
  RETURN_IF_ERROR(work.Append(
      {actor.id, std::string(ActionName(action)), std::string(record_type), std::string(record_id),
       actor.reason + " [denied: " + std::string(decision.why) + "]", "deny"}));
  RETURN_IF_ERROR(work.Commit());
  if (decision.why == "out_of_scope") {
    return Status(StatusCode::kPermissionDenied, "out_of_scope",
                  "this record belongs to another organisation");
  }
  return Status(StatusCode::kPermissionDenied, "forbidden", "your role does not allow this");
}

}  // namespace

std::string_view ActionName(Action action) {
  for (const auto& [value, name] : kActionNames) {
    if (value == action) return name;
  }
  return "unknown";
}

std::span<const Action> AllActions() { return kAllActions; }

Scope PolicyScope(domain::Role role, Action action) {
  for (const Rule& rule : kRules) {
    if (rule.role == role && rule.action == action) return rule.scope;
  }
  return Scope::kNone;
}

AccessDecision DecideRole(const Actor& actor, Action action) {
  if (IsLocalOperator(actor)) return {true, "local_operator"};
  if (!actor.principal) return {false, "role_not_permitted"};
  if (!TokenMayTake(*actor.principal, action)) return {false, "token_scope"};
  Scope scope = PolicyScope(actor.principal->role, action);
  if (scope == Scope::kNone) return {false, "role_not_permitted"};
  return {true, scope == Scope::kAnyOrganisation ? "any_organisation" : "own_organisation"};
}

AccessDecision Decide(const Actor& actor, Action action, std::optional<domain::OrgId> target) {
  AccessDecision role = DecideRole(actor, action);
  if (!role.allowed || !actor.principal) return role;
  Scope scope = PolicyScope(actor.principal->role, action);
  if (scope == Scope::kAnyOrganisation) return role;
  // kOwnOrganisation: the record must belong to the actor's organisation. An unknown owner
  // (an invalid id) never matches.
  if (target && target->valid() && *target == actor.principal->org) return role;
  return {false, "out_of_scope"};
}

Status Authorize(AuditedWork& work, const Actor& actor, Action action,
                 std::optional<domain::OrgId> target, std::string_view record_type,
                 std::string_view record_id) {
  AccessDecision decision = Decide(actor, action, target);
  if (decision.allowed) return Status::Ok();
  return Deny(work, actor, action, record_type, record_id, decision);
}

Status AuthorizeRole(AuditedWork& work, const Actor& actor, Action action,
                     std::string_view record_type, std::string_view record_id) {
  AccessDecision decision = DecideRole(actor, action);
  if (decision.allowed) return Status::Ok();
  return Deny(work, actor, action, record_type, record_id, decision);
}

Actor ActorFor(const Principal& principal, std::string reason) {
  std::string id = (principal.kind == Principal::Kind::kUser ? "user:" : "token:") +
                   std::to_string(principal.id);
  return {std::move(id), std::move(reason), principal, ActorOrigin::kNetwork};
}

}  // namespace liaison::app
