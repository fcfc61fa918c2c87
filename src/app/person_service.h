// Use cases for people. Reading a person's record is audited like a write: the read and its
// audit event commit together, so no record is ever shown without a trace. Thread-safe.
#pragma once

#include "app/actor.h"
#include "app/audit_log.h"
#include "domain/person.h"
#include "storage/store.h"

namespace liaison::app {

class PersonService {
 public:
  PersonService(storage::Store& store, const AuditLog& audit, const Clock& clock)
      : store_(store), audit_(audit), clock_(clock) {}

  // Validates and stores a person. A verified NHS number already on record gives
  // kAlreadyExists (field /nhs_number).
  Result<domain::Person> Create(const Actor& actor, domain::Person person);
  // Reads a person and audits the read with actor.reason. kNotFound for an unknown id.
  Result<domain::Person> Get(const Actor& actor, domain::PersonId id);

 private:
  storage::Store& store_;
  const AuditLog& audit_;
  const Clock& clock_;
};

}  // namespace liaison::app
