// The access policy: one table, in one place, deny by default. A rule gives, for a role and an
// action, the organisations in which the role may take it: none, its own, or any. Whatever
// the table does not list is denied. Services ask here before they act and audit the answer;
// HTTP handlers never decide access themselves.
//
// Not yet modelled (#3): the relationship to the case (whether the user is involved) and
// break-glass access with a stated reason. Until they are, organisation scope is the boundary.
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
  kRegisterUpload,  // upload the register (API token scope register_upload)
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

// The table. Roles and actions not listed give kNone.
Scope PolicyScope(domain::Role role, Action action);

// `target` is the organisation that owns the record, or nullopt when the action spans
// organisations (listing all organisations, creating one), which needs kAnyOrganisation.
struct AccessDecision {
  bool allowed = false;
  // Why, for the audit trail: "local_operator", "own_organisation", "any_organisation",
  // "role_not_permitted", "out_of_scope", "token_scope".
  std::string_view why;
};

// Pure: no I/O. Local operators (ActorOrigin::kLocal, no principal) are allowed; a network
// actor without a principal is denied.
AccessDecision Decide(const Actor& actor, Action action, std::optional<domain::OrgId> target);

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

// Like Authorize, for DecideRole.
Status AuthorizeRole(AuditedWork& work, const Actor& actor, Action action,
                     std::string_view record_type, std::string_view record_id);

}  // namespace liaison::app
