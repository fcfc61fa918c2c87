// Users, their roles, and API tokens. A role slug and a token scope slug are part of the HTTP
// and CLI contract (docs/contracts). Plain value types; validation happens in Validate*() at
// the edge. Credentials (password hashes, token hashes) never live in these types: the store
// keeps them beside the record, so a User can be logged or encoded without leaking a secret.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"
#include "common/strong_id.h"
#include "domain/organisation.h"

namespace liaison::domain {

struct UserTag;
using UserId = StrongId<UserTag>;
struct ApiTokenTag;
using ApiTokenId = StrongId<ApiTokenTag>;

enum class Role {
  kEdClinician,
  kLiaisonNurse,
  kSafeguardingNurse,
  kNamedProfessional,
  kMidwife,
  kConsultantPaediatrician,
  kHealthVisitor,
  kSafeguardingAdmin,
  kHospitalSocialWorker,
  kLaFrontDoor,
  kLaManager,
  kAuditor,
  kAdmin,
  kSystemFeed,
};

std::string_view RoleSlug(Role role);
std::optional<Role> RoleFromSlug(std::string_view slug);
std::span<const Role> AllRoles();

struct User {
  UserId id;
  std::string username;
  Role role = Role::kEdClinician;
  OrgId org;
  std::optional<TeamId> team;
  // When an administrator disabled the account; a disabled user cannot sign in.
  std::optional<Timestamp> disabled_at = std::nullopt;
};

// Usernames are 3-64 characters of a-z, 0-9, '.', '_', '-' (lower case, so "Alice" and
// "alice" cannot be two accounts). `field` names the input for the error.
Status ValidateUsername(std::string_view username, std::string_view field);

// What an API token may reach. Each scope names one system feed.
enum class TokenScope { kAttendanceFeed, kRegisterUpload };
std::string_view TokenScopeSlug(TokenScope scope);  // "attendance_feed", "register_upload"
std::optional<TokenScope> TokenScopeFromSlug(std::string_view slug);

// An API token for a system feed. The secret itself is shown once at creation and stored only
// as a hash.
struct ApiToken {
  ApiTokenId id;
  std::string name;
  TokenScope scope = TokenScope::kAttendanceFeed;
  OrgId org;
  Timestamp created_at;
  std::optional<Timestamp> expires_at;  // none: does not expire
  std::optional<Timestamp> revoked_at;  // none: not revoked

  // Usable at `now`: not revoked, and not expired.
  bool ActiveAt(Timestamp now) const;
};

}  // namespace liaison::domain
