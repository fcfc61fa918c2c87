#include "app/person_service.h"

#include "app/access_policy.h"
#include "domain/working_day_calendar.h"

namespace liaison::app {

Result<domain::Person> PersonService::Create(const Actor& actor, domain::Person person) {
  RETURN_IF_ERROR(domain::ValidatePerson(person, domain::LondonDate(clock_.Now())));
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  // The person belongs to the organisation of whoever records them.
  std::optional<domain::OrgId> owner;
  if (actor.principal) owner = actor.principal->org;
  // A local operator records people outside any organisation; no network user sees them.
  RETURN_IF_ERROR(Authorize(work, actor, Action::kPersonCreate, owner, "person", ""));
  ASSIGN_OR_RETURN(person.id, work.store().InsertPerson(person, owner));
  RETURN_IF_ERROR(work.Append(
      {actor.id, "person.create", "person", std::to_string(person.id.value()), actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return person;
}

Result<domain::Person> PersonService::Get(const Actor& actor, domain::PersonId id) {
  std::string record_id = std::to_string(id.value());
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  // A role that may never read people is refused before the lookup, so it learns nothing
  // about which ids exist.
  RETURN_IF_ERROR(AuthorizeRole(work, actor, Action::kPersonRead, "person", record_id));
  Result<std::optional<domain::OrgId>> owner = work.store().GetPersonOwner(id);
  if (!owner.ok()) {
    if (owner.status().code() != StatusCode::kNotFound) return owner.status();
    // Failed lookups are audited too: guessing ids leaves a trace.
    RETURN_IF_ERROR(
        work.Append({actor.id, "person.read", "person", record_id, actor.reason, "not_found"}));
    RETURN_IF_ERROR(work.Commit());
    return NotFound("unknown_person", "no person has this id", "/id");
  }
  Status allowed = Authorize(work, actor, Action::kPersonRead, owner->value_or(domain::OrgId()),
                             "person", record_id);
  if (allowed.reason() == "out_of_scope") {
    // Another organisation's person looks exactly like a missing one from outside, so ids
    // cannot be probed across organisations; the denial is in the audit trail.
    return NotFound("unknown_person", "no person has this id", "/id");
  }
  RETURN_IF_ERROR(allowed);
  ASSIGN_OR_RETURN(domain::Person person, work.store().GetPerson(id));
  RETURN_IF_ERROR(work.Append({actor.id, "person.read", "person", record_id, actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return person;
}

}  // namespace liaison::app
