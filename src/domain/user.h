// Users and their roles. A role slug is part of the HTTP and CLI contract.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/strong_id.h"
#include "domain/organisation.h"

namespace liaison::domain {

struct UserTag;
using UserId = StrongId<UserTag>;

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
};

}  // namespace liaison::domain
