// Point-of-care assessment (POST /api/assess): runs the recognition engine for a signed-in
// clinician, after the access policy allows it, and audits the call. The audit event names the
// overall level and how many findings there were, never the patient: the attendance is not
// stored and carries identifiers the trail must not hold.
#pragma once

#include "app/actor.h"
#include "app/audit_log.h"
#include "recognition/engine.h"
#include "storage/store.h"

namespace liaison::app {

class AssessService {
 public:
  AssessService(storage::Store& store, const AuditLog& audit, const recognition::Engine& engine)
      : store_(store), audit_(audit), engine_(engine) {}

  // kPermissionDenied ("forbidden") for roles the policy does not allow (audited as a deny).
  Result<recognition::Assessment> Assess(const Actor& actor, const recognition::AssessInput& input);

 private:
  storage::Store& store_;
  const AuditLog& audit_;
  const recognition::Engine& engine_;
};

}  // namespace liaison::app
