#include "app/organisation_service.h"

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
  ASSIGN_OR_RETURN(organisation.id, work.store().InsertOrganisation(organisation));
  RETURN_IF_ERROR(work.Append({actor.id, "organisation.create", "organisation",
                               std::to_string(organisation.id.value()), actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return organisation;
}

Result<std::vector<domain::Organisation>> OrganisationService::List(const Actor& actor) {
  ASSIGN_OR_RETURN(std::unique_ptr<storage::UnitOfWork> work, store_.Begin());
  return work->ListOrganisations();
}

Result<OrganisationDetail> OrganisationService::Get(const Actor& actor, std::string_view code) {
  ASSIGN_OR_RETURN(std::unique_ptr<storage::UnitOfWork> work, store_.Begin());
  OrganisationDetail detail;
  ASSIGN_OR_RETURN(detail.organisation, FindOrganisation(*work, code, ""));
  ASSIGN_OR_RETURN(detail.sites, work->ListSites(detail.organisation.id));
  ASSIGN_OR_RETURN(detail.teams, work->ListTeams(detail.organisation.id));
  return detail;
}

Result<domain::Site> OrganisationService::AddSite(const Actor& actor, const NewSite& site) {
  RETURN_IF_ERROR(domain::ValidateCode(site.code, "/code"));
  RETURN_IF_ERROR(domain::ValidateName(site.name, "/name"));
  ASSIGN_OR_RETURN(AuditedWork work, AuditedWork::Begin(store_, audit_));
  ASSIGN_OR_RETURN(domain::Organisation org, FindOrganisation(work.store(), site.org_code, "/org"));
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
  ASSIGN_OR_RETURN(domain::Organisation org, FindOrganisation(work.store(), team.org_code, "/org"));
  domain::Team created{{}, org.id, team.code, team.name, team.kind};
  ASSIGN_OR_RETURN(created.id, work.store().InsertTeam(created));
  RETURN_IF_ERROR(work.Append(
      {actor.id, "team.create", "team", std::to_string(created.id.value()), actor.reason}));
  RETURN_IF_ERROR(work.Commit());
  return created;
}

}  // namespace liaison::app
