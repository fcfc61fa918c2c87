#include "domain/user.h"

#include <array>
#include <utility>

namespace liaison::domain {
namespace {

constexpr std::array<std::pair<Role, std::string_view>, 14> kRoles = {{
    {Role::kEdClinician, "ed_clinician"},
    {Role::kLiaisonNurse, "liaison_nurse"},
    {Role::kSafeguardingNurse, "safeguarding_nurse"},
    {Role::kNamedProfessional, "named_professional"},
    {Role::kMidwife, "midwife"},
    {Role::kConsultantPaediatrician, "consultant_paediatrician"},
    {Role::kHealthVisitor, "health_visitor"},
    {Role::kSafeguardingAdmin, "safeguarding_admin"},
    {Role::kHospitalSocialWorker, "hospital_social_worker"},
    {Role::kLaFrontDoor, "la_front_door"},
    {Role::kLaManager, "la_manager"},
    {Role::kAuditor, "auditor"},
    {Role::kAdmin, "admin"},
    {Role::kSystemFeed, "system_feed"},
}};

constexpr std::array<Role, 14> kAllRoles = [] {
  std::array<Role, 14> roles{};
  for (size_t i = 0; i < kRoles.size(); ++i) roles[i] = kRoles[i].first;
  return roles;
}();

constexpr std::array<std::pair<TokenScope, std::string_view>, 2> kScopes = {{
    {TokenScope::kAttendanceFeed, "attendance_feed"},
    {TokenScope::kRegisterUpload, "register_upload"},
}};

}  // namespace

std::string_view RoleSlug(Role role) {
  for (const auto& [value, slug] : kRoles) {
    if (value == role) return slug;
  }
  return "unknown";
}

std::optional<Role> RoleFromSlug(std::string_view slug) {
  for (const auto& [value, name] : kRoles) {
    if (name == slug) return value;
  }
  return std::nullopt;
}

std::span<const Role> AllRoles() { return kAllRoles; }

Status ValidateUsername(std::string_view username, std::string_view field) {
  if (username.size() < 3 || username.size() > 64) {
    return InvalidArgument("invalid_username", "a username has 3 to 64 characters",
                           std::string(field));
  }
  for (char c : username) {
    bool allowed =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!allowed) {
      return InvalidArgument("invalid_username",
                             "a username may contain only a-z, 0-9, '.', '_' and '-'",
                             std::string(field));
    }
  }
  return Status::Ok();
}

std::string_view TokenScopeSlug(TokenScope scope) {
  for (const auto& [value, slug] : kScopes) {
    if (value == scope) return slug;
  }
  return "unknown";
}

std::optional<TokenScope> TokenScopeFromSlug(std::string_view slug) {
  for (const auto& [value, name] : kScopes) {
    if (name == slug) return value;
  }
  return std::nullopt;
}

bool ApiToken::ActiveAt(Timestamp now) const {
  if (revoked_at && *revoked_at <= now) return false;
  return !expires_at || now < *expires_at;
}

}  // namespace liaison::domain
