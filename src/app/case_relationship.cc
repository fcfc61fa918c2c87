#include "app/case_relationship.h"

namespace liaison::app {

bool InvolvedThroughAttendance(domain::Role role) {
  return role == domain::Role::kEdClinician || role == domain::Role::kConsultantPaediatrician;
}

Result<CaseRelation> RelationOf(storage::UnitOfWork& work, const Actor& actor,
                                const domain::Person& person, domain::OrgId owner, Timestamp now,
                                const RelationshipOptions& options) {
  CaseRelation relation;
  if (!actor.principal || actor.principal->kind != Principal::Kind::kUser) return relation;
  const Principal& user = *actor.principal;
  domain::UserId user_id(user.id);
  ASSIGN_OR_RETURN(relation.involved, work.IsInvolved(person.id, user_id, user.team));
  if (!relation.involved && InvolvedThroughAttendance(user.role) && person.nhs_number &&
      owner == user.org) {
    ASSIGN_OR_RETURN(relation.involved, work.HasAttendanceSince(*person.nhs_number, owner,
                                                                now - options.clinical_window));
  }
  if (!relation.involved) {
    ASSIGN_OR_RETURN(std::optional<storage::BreakGlassGrant> grant,
                     work.FindActiveBreakGlassGrant(user_id, person.id, now));
    relation.break_glass = grant.has_value();
  }
  return relation;
}

}  // namespace liaison::app
