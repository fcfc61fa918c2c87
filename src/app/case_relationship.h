// Who is involved in a person's case: the relationship half of the access policy.
//
// A signed-in user is involved in the case of a person (owned by their organisation) when:
//   1. a case_involvement row links the user to the person: written when the user recorded the
//      person ("recorded"), or when the safeguarding team, a liaison nurse or an LA manager
//      assigned them ("assigned", POST /api/people/{id}/involvements);
//   2. a case_involvement row links the user's team to the person ("assigned" to a team, e.g.
//      the front-door team that took the referral);
//   3. the user is trust clinical staff (ED clinician, consultant paediatrician) and the person,
//      by verified NHS number, attended one of the trust's sites within the clinical window
//      (default 72 hours): whoever is treating a child in the department may read their record.
// The safeguarding team (safeguarding nurses, named professionals) and the liaison nurses need
// no relationship at all: the policy table says so (Relationship::kNotNeeded).
// Everyone else reads only with a break-glass grant (app/break_glass.h).
#pragma once

#include <chrono>

#include "app/access_policy.h"
#include "app/actor.h"
#include "common/clock.h"
#include "domain/person.h"
#include "storage/store.h"

namespace liaison::app {

struct RelationshipOptions {
  // How long after arriving at a trust's site a person counts as in the care of the trust's
  // clinical staff.
  std::chrono::hours clinical_window{72};
};

// Whether `role` counts as clinical staff involved through a recent attendance (rule 3).
bool InvolvedThroughAttendance(domain::Role role);

// The facts the policy needs about `actor` and the case of `person` (owned by `owner`) at
// `now`: involvement by rules 1-3, and an unexpired break-glass grant. Reads only. Local
// operators and tokens are never involved (the policy judges them without relationship).
Result<CaseRelation> RelationOf(storage::UnitOfWork& work, const Actor& actor,
                                const domain::Person& person, domain::OrgId owner, Timestamp now,
                                const RelationshipOptions& options);

}  // namespace liaison::app
