#include "app/break_glass.h"

#include "app/access_policy.h"
#include "app/person_service.h"

namespace liaison::app {
namespace {

bool HasControlCharacters(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return true;
  }
  return false;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

Status CheckReason(std::string_view reason) {
  if (reason.size() < kMinBreakGlassReason || reason.size() > kMaxBreakGlassReason ||
      HasControlCharacters(reason)) {
    return InvalidArgument("invalid_reason",
                           "state why you need this record in 10 to 500 characters, on one line",
                           "/reason");
  }
  return Status::Ok();
}

}  // namespace

bool IsReviewOutcome(std::string_view outcome) {
  return outcome == "appropriate" || outcome == "inappropriate";
}

Result<storage::BreakGlassGrant> BreakGlassService::Open(const Actor& actor,
                                                         domain::PersonId person_id,
                                                         std::string_view reason_text) {
  std::string_view reason = Trim(reason_text);
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  ASSIGN_OR_RETURN(domain::OrgId owner, OwnerInScope(work, actor, Action::kBreakGlass, person_id));
  if (Status valid = CheckReason(reason); !valid.ok()) {
    // An attempt to break the glass without a usable reason is itself worth recording; the
    // text is not, since it may be anything (its length is).
    RETURN_IF_ERROR(work.Append(
        {actor.id, "person.break_glass", "person", std::to_string(person_id.value()),
         "[denied: invalid reason of " + std::to_string(reason.size()) + " bytes]", "deny"}));
    RETURN_IF_ERROR(work.Commit());
    return valid;
  }
  if (!actor.principal || actor.principal->kind != Principal::Kind::kUser) {
    return FailedPrecondition("not_a_user", "only a signed-in user can take break-glass access");
  }
  ASSIGN_OR_RETURN(domain::Person person, work.store().GetPerson(person_id));
  ASSIGN_OR_RETURN(CaseRelation relation,
                   RelationOf(work.store(), actor, person, owner, clock_.Now(), relationship_));
  if (relation.involved) {
    return FailedPrecondition("already_involved",
                              "you are involved in this case and can open the record already");
  }
  storage::BreakGlassGrant grant;
  grant.user = domain::UserId(actor.principal->id);
  grant.person = person_id;
  grant.org = owner;
  grant.reason = std::string(reason);
  grant.granted_at = clock_.Now();
  grant.expires_at = grant.granted_at + options_.duration;
  ASSIGN_OR_RETURN(grant.id, work.store().InsertBreakGlassGrant(grant));
  // The stated reason, not the request's X-Access-Reason, is what the reviewer judges.
  RETURN_IF_ERROR(
      work.Append({actor.id, "person.break_glass", "person", std::to_string(person_id.value()),
                   grant.reason + " [grant " + std::to_string(grant.id) + "]"}));
  RETURN_IF_ERROR(work.Commit());
  return grant;
}

Result<std::vector<storage::BreakGlassGrant>> BreakGlassService::ListForReview(const Actor& actor) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(AuthorizeRole(work, actor, Action::kBreakGlassReview, "break_glass", ""));
  if (!actor.principal) {
    return FailedPrecondition("not_a_user", "only a signed-in user reviews break-glass access");
  }
  RETURN_IF_ERROR(Authorize(work, actor, Action::kBreakGlassReview, actor.principal->org,
                            "organisation", std::to_string(actor.principal->org.value())));
  ASSIGN_OR_RETURN(std::vector<storage::BreakGlassGrant> grants,
                   work.store().ListUnreviewedBreakGlassGrants(actor.principal->org));
  RETURN_IF_ERROR(work.Append({actor.id, "break_glass.list", "organisation",
                               std::to_string(actor.principal->org.value()), actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return grants;
}

Result<storage::BreakGlassGrant> BreakGlassService::Review(const Actor& actor,
                                                           std::int64_t grant_id,
                                                           std::string_view outcome,
                                                           std::string_view note) {
  if (!IsReviewOutcome(outcome)) {
    return InvalidArgument("invalid_outcome", "the outcome is appropriate or inappropriate",
                           "/outcome");
  }
  if (note.size() > kMaxReviewNote || HasControlCharacters(note)) {
    return InvalidArgument("invalid_note", "a note has at most 1000 characters, on one line",
                           "/note");
  }
  std::string record_id = std::to_string(grant_id);
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(AuthorizeRole(work, actor, Action::kBreakGlassReview, "break_glass", record_id));
  Result<storage::BreakGlassGrant> grant = work.store().GetBreakGlassGrant(grant_id);
  Status unknown = NotFound("unknown_grant", "no break-glass access has this id", "/id");
  if (!grant.ok()) {
    if (grant.status().code() != StatusCode::kNotFound) return grant.status();
    RETURN_IF_ERROR(work.Append(
        {actor.id, "break_glass.review", "break_glass", record_id, actor.reason, "not_found"}));
    RETURN_IF_ERROR(work.Commit());
    return unknown;
  }
  Status allowed =
      Authorize(work, actor, Action::kBreakGlassReview, grant->org, "break_glass", record_id);
  if (allowed.reason() == "out_of_scope") return unknown;
  RETURN_IF_ERROR(allowed);
  if (!actor.principal || actor.principal->kind != Principal::Kind::kUser) {
    return FailedPrecondition("not_a_user", "only a signed-in user reviews break-glass access");
  }
  domain::UserId reviewer(actor.principal->id);
  if (grant->user == reviewer) {
    RETURN_IF_ERROR(work.Append({actor.id, "break_glass.review", "break_glass", record_id,
                                 actor.reason + " [denied: own access]", "deny"}));
    RETURN_IF_ERROR(work.Commit());
    return Status(StatusCode::kPermissionDenied, "own_access",
                  "someone else must review your own break-glass access");
  }
  Timestamp now = clock_.Now();
  RETURN_IF_ERROR(work.store().ReviewBreakGlassGrant(grant_id, reviewer, outcome, note, now));
  RETURN_IF_ERROR(
      work.Append({actor.id, "break_glass.review", "break_glass", record_id,
                   std::string(outcome) + (note.empty() ? "" : ": ") + std::string(note)}));
  RETURN_IF_ERROR(work.Commit());
  grant->reviewed_at = now;
  grant->reviewed_by = reviewer;
  grant->review_outcome = std::string(outcome);
  grant->review_note = std::string(note);
  return grant;
}

}  // namespace liaison::app
