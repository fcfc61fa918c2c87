// Organisations that share Liaison (a hospital trust, a local authority), their sites, and
// their teams. Plain value types; validation happens in Validate*() at the edge.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/strong_id.h"

namespace liaison::domain {

struct OrgTag;
struct SiteTag;
struct TeamTag;
using OrgId = StrongId<OrgTag>;
using SiteId = StrongId<SiteTag>;
using TeamId = StrongId<TeamTag>;

enum class OrgKind { kTrust, kLocalAuthority };
std::string_view OrgKindSlug(OrgKind kind);  // "trust", "local_authority"
std::optional<OrgKind> OrgKindFromSlug(std::string_view slug);

struct Organisation {
  OrgId id;
  std::string code;  // e.g. an ODS code "RXX" or a local-authority code "E09000001"
  std::string name;
  OrgKind kind = OrgKind::kTrust;
};

struct Site {
  SiteId id;
  OrgId org;
  std::string code;
  std::string name;
};

enum class TeamKind {
  kEmergencyDepartment,
  kHospitalSafeguarding,
  kHospitalSocialWork,
  kHospitalLiaisonSocialWork,
  kFrontDoor,  // community team or MASH
  kPaediatrics,
  kMaternity,
  kHealthVisiting,
};
std::string_view TeamKindSlug(TeamKind kind);
std::optional<TeamKind> TeamKindFromSlug(std::string_view slug);

struct Team {
  TeamId id;
  OrgId org;
  std::string code;
  std::string name;
  TeamKind kind = TeamKind::kEmergencyDepartment;
};

// Codes are short identifiers other systems use: 1-32 characters of A-Z, a-z, 0-9, '-', '_'.
// `field` names the input for the error.
Status ValidateCode(std::string_view code, std::string_view field);
// Names are 1-200 characters with no control characters.
Status ValidateName(std::string_view name, std::string_view field);

}  // namespace liaison::domain
