#include "app/person_service.h"

#include "domain/working_day_calendar.h"

namespace liaison::app {

Result<domain::Person> PersonService::Create(const Actor& actor, domain::Person person) {
  RETURN_IF_ERROR(domain::ValidatePerson(person, domain::LondonDate(clock_.Now())));
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  ASSIGN_OR_RETURN(person.id, work.store().InsertPerson(person));
  RETURN_IF_ERROR(work.Append(
      {actor.id, "person.create", "person", std::to_string(person.id.value()), actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return person;
}

Result<domain::Person> PersonService::Get(const Actor& actor, domain::PersonId id) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  Result<domain::Person> person = work.store().GetPerson(id);
  if (!person.ok()) {
    if (person.status().code() != StatusCode::kNotFound) return person.status();
    // Failed lookups are audited too: guessing ids leaves a trace.
    RETURN_IF_ERROR(work.Append({actor.id, "person.read", "person", std::to_string(id.value()),
                                 actor.reason, "not_found"}));
    RETURN_IF_ERROR(work.Commit());
    return NotFound("unknown_person", "no person has this id", "/id");
  }
  RETURN_IF_ERROR(
      work.Append({actor.id, "person.read", "person", std::to_string(id.value()), actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return person;
}

}  // namespace liaison::app
