// Use cases for people. Reading a person's record is audited like a write: the read and its
// audit event commit together, so no record is ever shown without a trace. Reads follow the
// whole policy rule: role, organisation scope and relationship (app/case_relationship.h).
// Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "app/actor.h"
#include "app/audit_log.h"
#include "app/case_relationship.h"
#include "domain/person.h"
#include "storage/store.h"

namespace liaison::app {

// Who to mark as involved in a case: a user of the person's organisation by username, or one
// of its teams by code. Exactly one is set.
struct NewInvolvement {
  std::optional<std::string> username;
  std::optional<std::string> team_code;
};

class PersonService {
 public:
  PersonService(storage::Store& store, const AuditLog& audit, const Clock& clock,
                RelationshipOptions relationship = {})
      : store_(store), audit_(audit), clock_(clock), relationship_(relationship) {}

  // Validates and stores a person. A verified NHS number already on record gives
  // kAlreadyExists (field /nhs_number). A signed-in user who records a person is involved in
  // their case from then on.
  Result<domain::Person> Create(const Actor& actor, domain::Person person);
  // Reads a person and audits the read with actor.reason and the ground of access ("involved",
  // "break_glass", ...). kNotFound "unknown_person" for an unknown id and, identically, for
  // another organisation's person; kPermissionDenied "not_involved" outside the relationship.
  Result<domain::Person> Get(const Actor& actor, domain::PersonId id);
  // Marks a user or team as involved in the person's case; audited. Errors as Get for the
  // person, then kNotFound "unknown_user" (/username) or "unknown_team" (/team) when the
  // organisation that owns the person has no such user or team.
  Status AddInvolvement(const Actor& actor, domain::PersonId id, const NewInvolvement& involvement);

 private:
  storage::Store& store_;
  const AuditLog& audit_;
  const Clock& clock_;
  const RelationshipOptions relationship_;
};

// Looks up the owner of person `id` inside `work` and checks the organisation half of
// `action` (audited on denial). Another organisation's person answers exactly like a missing
// one: kNotFound "unknown_person", so ids cannot be probed across organisations. Shared by the
// person and break-glass use cases.
Result<domain::OrgId> OwnerInScope(AuditedWork& work, const Actor& actor, Action action,
                                   domain::PersonId id);

}  // namespace liaison::app
