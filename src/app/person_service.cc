#include "app/person_service.h"

#include "app/access_policy.h"
#include "domain/working_day_calendar.h"

namespace liaison::app {
namespace {

Status UnknownPerson() { return NotFound("unknown_person", "no person has this id", "/id"); }

}  // namespace

Result<domain::OrgId> OwnerInScope(AuditedWork& work, const Actor& actor, Action action,
                                   domain::PersonId id) {
  std::string record_id = std::to_string(id.value());
  // A role that may never take the action is refused before the lookup, so it learns nothing
  // about which ids exist.
  RETURN_IF_ERROR(AuthorizeRole(work, actor, action, "person", record_id));
  Result<std::optional<domain::OrgId>> owner = work.store().GetPersonOwner(id);
  if (!owner.ok()) {
    if (owner.status().code() != StatusCode::kNotFound) return owner.status();
    // Failed lookups are audited too: guessing ids leaves a trace.
    RETURN_IF_ERROR(work.Append({actor.id, std::string(ActionName(action)), "person", record_id,
                                 actor.reason, "not_found"}));
    RETURN_IF_ERROR(work.Commit());
    return UnknownPerson();
  }
  domain::OrgId org = owner->value_or(domain::OrgId());
  Status allowed = AuthorizeScope(work, actor, action, org, "person", record_id);
  // Another organisation's person looks exactly like a missing one from outside; the denial
  // is in the audit trail.
  if (allowed.reason() == "out_of_scope") return UnknownPerson();
  RETURN_IF_ERROR(allowed);
  return org;
}

Result<domain::Person> PersonService::Create(const Actor& actor, domain::Person person) {
  RETURN_IF_ERROR(domain::ValidatePerson(person, domain::LondonDate(clock_.Now())));
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  // The person belongs to the organisation of whoever records them.
  std::optional<domain::OrgId> owner;
  if (actor.principal) owner = actor.principal->org;
  // A local operator records people outside any organisation; no network user sees them.
  RETURN_IF_ERROR(Authorize(work, actor, Action::kPersonCreate, owner, "person", ""));
  ASSIGN_OR_RETURN(person.id, work.store().InsertPerson(person, owner));
  if (actor.principal && actor.principal->kind == Principal::Kind::kUser) {
    RETURN_IF_ERROR(
        work.store().InsertInvolvement({0, person.id, domain::UserId(actor.principal->id),
                                        std::nullopt, "recorded", actor.id, clock_.Now()}));
  }
  RETURN_IF_ERROR(work.Append(
      {actor.id, "person.create", "person", std::to_string(person.id.value()), actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return person;
}

Result<domain::Person> PersonService::Get(const Actor& actor, domain::PersonId id) {
  std::string record_id = std::to_string(id.value());
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  ASSIGN_OR_RETURN(domain::OrgId owner, OwnerInScope(work, actor, Action::kPersonRead, id));
  ASSIGN_OR_RETURN(domain::Person person, work.store().GetPerson(id));
  // The relationship costs up to three lookups; only rules that need it pay for them.
  CaseRelation relation;
  if (actor.principal &&
      PolicyRelationship(actor.principal->role, Action::kPersonRead) == Relationship::kRequired) {
    ASSIGN_OR_RETURN(relation,
                     RelationOf(work.store(), actor, person, owner, clock_.Now(), relationship_));
  }
  ASSIGN_OR_RETURN(AccessDecision decision, AuthorizeCase(work, actor, Action::kPersonRead, owner,
                                                          "person", record_id, relation));
  RETURN_IF_ERROR(work.Append({actor.id, "person.read", "person", record_id,
                               actor.reason + " [access: " + std::string(decision.why) + "]"}));
  RETURN_IF_ERROR(work.Commit());
  return person;
}

Status PersonService::AddInvolvement(const Actor& actor, domain::PersonId id,
                                     const NewInvolvement& request) {
  std::string record_id = std::to_string(id.value());
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  ASSIGN_OR_RETURN(domain::OrgId owner, OwnerInScope(work, actor, Action::kPersonInvolve, id));
  storage::CaseInvolvement involvement{0,          id,       std::nullopt, std::nullopt,
                                       "assigned", actor.id, clock_.Now()};
  std::string what;
  if (request.username) {
    ASSIGN_OR_RETURN(std::optional<storage::UserCredentials> user,
                     work.store().FindUserByUsername(*request.username));
    // A user of another organisation is "unknown" here, like a missing one.
    if (!user || user->user.org != owner) {
      return NotFound("unknown_user", "the organisation has no user with this username",
                      "/username");
    }
    involvement.user = user->user.id;
    what = "user:" + std::to_string(user->user.id.value());
  } else if (request.team_code) {
    ASSIGN_OR_RETURN(std::vector<domain::Team> teams, work.store().ListTeams(owner));
    for (const domain::Team& team : teams) {
      if (team.code == *request.team_code) involvement.team = team.id;
    }
    if (!involvement.team) {
      return NotFound("unknown_team", "the organisation has no team with this code", "/team");
    }
    what = "team:" + std::to_string(involvement.team->value());
  } else {
    return InvalidArgument("missing_field", "name a username or a team", "/username");
  }
  RETURN_IF_ERROR(work.store().InsertInvolvement(involvement));
  RETURN_IF_ERROR(work.Append({actor.id, "person.involve", "person", record_id,
                               actor.reason + " [involved: " + what + "]"}));
  return work.Commit();
}

}  // namespace liaison::app
