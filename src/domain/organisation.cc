#include "domain/organisation.h"

#include <array>
#include <utility>

namespace liaison::domain {
namespace {

constexpr std::array<std::pair<OrgKind, std::string_view>, 2> kOrgKinds = {{
    {OrgKind::kTrust, "trust"},
    {OrgKind::kLocalAuthority, "local_authority"},
}};

constexpr std::array<std::pair<TeamKind, std::string_view>, 8> kTeamKinds = {{
    {TeamKind::kEmergencyDepartment, "emergency_department"},
    {TeamKind::kHospitalSafeguarding, "hospital_safeguarding"},
    {TeamKind::kHospitalSocialWork, "hospital_social_work"},
    {TeamKind::kHospitalLiaisonSocialWork, "hospital_liaison_social_work"},
    {TeamKind::kFrontDoor, "front_door"},
    {TeamKind::kPaediatrics, "paediatrics"},
    {TeamKind::kMaternity, "maternity"},
    {TeamKind::kHealthVisiting, "health_visiting"},
}};

template <typename Enum, size_t N>
std::string_view SlugOf(const std::array<std::pair<Enum, std::string_view>, N>& table, Enum e) {
  for (const auto& [value, slug] : table) {
    if (value == e) return slug;
  }
  return "unknown";
}

template <typename Enum, size_t N>
std::optional<Enum> FromSlug(const std::array<std::pair<Enum, std::string_view>, N>& table,
                             std::string_view slug) {
  for (const auto& [value, name] : table) {
    if (name == slug) return value;
  }
  return std::nullopt;
}

}  // namespace

std::string_view OrgKindSlug(OrgKind kind) { return SlugOf(kOrgKinds, kind); }
std::optional<OrgKind> OrgKindFromSlug(std::string_view slug) { return FromSlug(kOrgKinds, slug); }
std::string_view TeamKindSlug(TeamKind kind) { return SlugOf(kTeamKinds, kind); }
std::optional<TeamKind> TeamKindFromSlug(std::string_view slug) {
  return FromSlug(kTeamKinds, slug);
}

Status ValidateCode(std::string_view code, std::string_view field) {
  if (code.empty() || code.size() > 32) {
    return InvalidArgument("invalid_code", "a code has 1 to 32 characters", std::string(field));
  }
  for (char c : code) {
    bool allowed = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                   c == '-' || c == '_';
    if (!allowed) {
      return InvalidArgument("invalid_code", "a code may contain only letters, digits, - and _",
                             std::string(field));
    }
  }
  return Status::Ok();
}

Status ValidateName(std::string_view name, std::string_view field) {
  if (name.empty() || name.size() > 200) {
    return InvalidArgument("invalid_name", "a name has 1 to 200 characters", std::string(field));
  }
  for (char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return InvalidArgument("invalid_name", "a name may not contain control characters",
                             std::string(field));
    }
  }
  return Status::Ok();
}

}  // namespace liaison::domain
