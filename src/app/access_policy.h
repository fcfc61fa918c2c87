// The access policy: one table, in one place, deny by default. A rule gives, for a role and an
// action, the organisations in which the role may take it (none, its own, or any) and whether
// the user must also be in a relationship with the case: involved in it (app/case_relationship.h
// says who is), or holding an unexpired break-glass grant taken with a stated reason. Whatever
// the table does not list is denied. Services gather the facts (owner, relationship), ask here
// before they act, and audit the answer; HTTP handlers never decide access themselves.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "app/actor.h"
#include "app/audit_log.h"
#include "domain/organisation.h"
#include "domain/user.h"

namespace liaison::app {

enum class Action {
  kOrganisationRead,  // organisations, their sites and teams: a directory, not patient data
  kOrganisationCreate,
  kSiteCreate,
  kTeamCreate,
  kPersonRead,
  kPersonCreate,
  kUserManage,
  kTokenManage,
  kAuditRead,
  kAttendanceFeed,  // send attendances (API token scope attendance_feed)
  kRegisterUpload,  // upload the register (API token scope register_upload, or LA staff)
  // Security, second slice (#3).
  kPersonInvolve,     // record that a user or team is involved in a person's case
  kBreakGlass,        // open a record outside the relationship, with a stated reason
  kBreakGlassReview,  // list and review break-glass accesses to the organisation's records
  kOwnAccount,        // change one's own password
  // The register (#6).
  kRegisterLookup,  // look a child up on the register at the point of care (any authority's)
  kRegisterReview,  // see and decide potential register matches (the safeguarding team)
  kAssess,          // point-of-care recognition of possible maltreatment (POST /api/assess)
};

// "organisation.read", "person.create", ...: the audit trail's action names.
std::string_view ActionName(Action action);
std::span<const Action> AllActions();

enum class Scope {
  kNone,             // never
  kOwnOrganisation,  // records of the actor's own organisation
  kAnyOrganisation,  // records of any organisation
};

// Whether a rule also needs the user to be in a relationship with the case.
enum class Relationship {
  kNotNeeded,  // organisation scope is enough (the safeguarding team, administration, feeds)
  kRequired,   // involved in the case, or an active break-glass grant on it
};

// What the service found out about the actor and the case, for rules that need it.
struct CaseRelation {
  bool involved = false;     // see app/case_relationship.h
  bool break_glass = false;  // an unexpired break-glass grant of this user on this person
};

// The table. Roles and actions not listed give kNone (and kNotNeeded).
Scope PolicyScope(domain::Role role, Action action);
Relationship PolicyRelationship(domain::Role role, Action action);

// `target` is the organisation that owns the record, or nullopt when the action spans
// organisations (listing all organisations, creating one), which needs kAnyOrganisation.
struct AccessDecision {
  bool allowed = false;
  // Why, for the audit trail: "local_operator", "own_organisation", "any_organisation",
  // "involved", "break_glass", "role_not_permitted", "out_of_scope", "not_involved",
  // "token_scope".
  std::string_view why;
};

// Pure: no I/O. Local operators (ActorOrigin::kLocal, no principal) are allowed; a network
// actor without a principal is denied. `relation` is what the service found; a rule that needs
// a relationship denies when it is nullopt.
AccessDecision Decide(const Actor& actor, Action action, std::optional<domain::OrgId> target,
                      std::optional<CaseRelation> relation = std::nullopt);

// The role and organisation halves of Decide, without the relationship. For a service that
// must first find out whether a case is in scope before it gathers relationship facts; it
// still has to call AuthorizeCase before it acts.
AccessDecision DecideScope(const Actor& actor, Action action, std::optional<domain::OrgId> target);

// Whether the actor's role may take `action` in some organisation. Used to answer 403 before
// looking a record up, so a role with no access at all learns nothing about which ids exist.
AccessDecision DecideRole(const Actor& actor, Action action);

// Decides; on denial appends a "deny" audit event for the attempt to `work` and commits it (so
// the denial is recorded although the request fails), then returns kPermissionDenied with
// reason "forbidden" (role not permitted) or "out_of_scope". On allow returns OK and writes
// nothing: the caller's own audit event for the action records the allowed access.
// REQUIRES: nothing has been written to `work` yet that must not commit.
Status Authorize(AuditedWork& work, const Actor& actor, Action action,
                 std::optional<domain::OrgId> target, std::string_view record_type,
                 std::string_view record_id);

// Like Authorize, for actions on one person's case: also applies the relationship half of the
// rule with what the service found (`relation`). A denial for want of a relationship is
// kPermissionDenied "not_involved". On allow returns the decision, whose `why` ("involved",
// "break_glass", "own_organisation", ...) the caller quotes in its own audit event.
Result<AccessDecision> AuthorizeCase(AuditedWork& work, const Actor& actor, Action action,
                                     std::optional<domain::OrgId> target,
                                     std::string_view record_type, std::string_view record_id,
                                     CaseRelation relation);

// Like Authorize, for DecideScope.
Status AuthorizeScope(AuditedWork& work, const Actor& actor, Action action,
                      std::optional<domain::OrgId> target, std::string_view record_type,
                      std::string_view record_id);

// Like Authorize, for DecideRole.
Status AuthorizeRole(AuditedWork& work, const Actor& actor, Action action,
                     std::string_view record_type, std::string_view record_id);

}  // namespace liaison::app
