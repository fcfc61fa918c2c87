#include "app/assess_service.h"

#include "app/access_policy.h"

namespace liaison::app {

Result<recognition::Assessment> AssessService::Assess(const Actor& actor,
                                                      const recognition::AssessInput& input) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(AuthorizeRole(work, actor, Action::kAssess, "assessment", ""));
  recognition::Assessment assessment = engine_.Assess(input);
  // "level=suspect findings=4": what was answered, without who it was about.
  std::string summary = "level=" + std::string(recognition::OverallLevelSlug(assessment.level)) +
                        " findings=" + std::to_string(assessment.findings.size());
  RETURN_IF_ERROR(work.Append(
      {actor.id, std::string(ActionName(Action::kAssess)), "assessment", summary, actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return assessment;
}

}  // namespace liaison::app
