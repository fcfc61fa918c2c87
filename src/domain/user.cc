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

}  // namespace liaison::domain
