#include "app/organisation_service.h"

#include "app/access_policy.h"

namespace liaison::app {
namespace {

Result<domain::Organisation> FindOrganisation(storage::UnitOfWork& work, std::string_view code,
                                              std::string_view field) {
  Result<domain::Organisation> org = work.GetOrganisationByCode(code);
  if (!org.ok() && org.status().code() == StatusCode::kNotFound) {
    return NotFound("unknown_organisation", "no organisation has this code", std::string(field));
  }
  return org;
}

}  // namespace

Result<domain::Organisation> OrganisationService::Create(const Actor& actor,
                                                         domain::Organisation organisation) {
  RETURN_IF_ERROR(domain::ValidateCode(organisation.code, "/code"));
  RETURN_IF_ERROR(domain::ValidateName(organisation.name, "/name"));
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(
      Authorize(work, actor, Action::kOrganisationCreate, std::nullopt, "organisation", ""));
  ASSIGN_OR_RETURN(organisation.id, work.store().InsertOrganisation(organisation));
  RETURN_IF_ERROR(work.Append({actor.id, "organisation.create", "organisation",
                               std::to_string(organisation.id.value()), actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return organisation;
}

Result<std::vector<domain::Organisation>> OrganisationService::List(const Actor& actor) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(
      Authorize(work, actor, Action::kOrganisationRead, std::nullopt, "organisation", "*"));
  ASSIGN_OR_RETURN(std::vector<domain::Organisation> list, work.store().ListOrganisations());
  RETURN_IF_ERROR(work.Append({actor.id, "organisation.list", "organisation", "*", actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return list;
}

Result<OrganisationDetail> OrganisationService::Get(const Actor& actor, std::string_view code) {
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(AuthorizeRole(work, actor, Action::kOrganisationRead, "organisation", ""));
  OrganisationDetail detail;
  ASSIGN_OR_RETURN(detail.organisation, FindOrganisation(work.store(), code, ""));
  std::string id = std::to_string(detail.organisation.id.value());
  RETURN_IF_ERROR(Authorize(work, actor, Action::kOrganisationRead, detail.organisation.id,
                            "organisation", id));
  ASSIGN_OR_RETURN(detail.sites, work.store().ListSites(detail.organisation.id));
  ASSIGN_OR_RETURN(detail.teams, work.store().ListTeams(detail.organisation.id));
  RETURN_IF_ERROR(work.Append({actor.id, "organisation.read", "organisation", id, actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return detail;
}

Result<domain::Site> OrganisationService::AddSite(const Actor& actor, const NewSite& site) {
  RETURN_IF_ERROR(domain::ValidateCode(site.code, "/code"));
  RETURN_IF_ERROR(domain::ValidateName(site.name, "/name"));
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(AuthorizeRole(work, actor, Action::kSiteCreate, "site", ""));
  ASSIGN_OR_RETURN(domain::Organisation org, FindOrganisation(work.store(), site.org_code, "/org"));
  RETURN_IF_ERROR(Authorize(work, actor, Action::kSiteCreate, org.id, "organisation",
                            std::to_string(org.id.value())));
  domain::Site created{{}, org.id, site.code, site.name};
  ASSIGN_OR_RETURN(created.id, work.store().InsertSite(created));
  RETURN_IF_ERROR(work.Append(
      {actor.id, "site.create", "site", std::to_string(created.id.value()), actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return created;
}

Result<domain::Team> OrganisationService::AddTeam(const Actor& actor, const NewTeam& team) {
  RETURN_IF_ERROR(domain::ValidateCode(team.code, "/code"));
  RETURN_IF_ERROR(domain::ValidateName(team.name, "/name"));
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  RETURN_IF_ERROR(AuthorizeRole(work, actor, Action::kTeamCreate, "team", ""));
  ASSIGN_OR_RETURN(domain::Organisation org, FindOrganisation(work.store(), team.org_code, "/org"));
  RETURN_IF_ERROR(Authorize(work, actor, Action::kTeamCreate, org.id, "organisation",
                            std::to_string(org.id.value())));
  domain::Team created{{}, org.id, team.code, team.name, team.kind};
  ASSIGN_OR_RETURN(created.id, work.store().InsertTeam(created));
  RETURN_IF_ERROR(work.Append(
      {actor.id, "team.create", "team", std::to_string(created.id.value()), actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return created;
}

}  // namespace liaison::app
