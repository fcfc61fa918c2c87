// Use cases for organisations, their sites and their teams. Thread-safe; stateless beyond its
// collaborators. Every write is audited in its own transaction.
#pragma once

#include <string>
#include <vector>

#include "app/actor.h"
#include "app/audit_log.h"
#include "domain/organisation.h"
#include "storage/store.h"

namespace liaison::app {

struct NewSite {
  std::string org_code;
  std::string code;
  std::string name;
};

struct NewTeam {
  std::string org_code;
  std::string code;
  std::string name;
  domain::TeamKind kind = domain::TeamKind::kEmergencyDepartment;
};

struct OrganisationDetail {
  domain::Organisation organisation;
  std::vector<domain::Site> sites;
  std::vector<domain::Team> teams;
};

class OrganisationService {
 public:
  OrganisationService(storage::Store& store, const AuditLog& audit)
      : store_(store), audit_(audit) {}

  // Fails with kAlreadyExists (field /code) if the code is taken.
  Result<domain::Organisation> Create(const Actor& actor, domain::Organisation organisation);
  Result<std::vector<domain::Organisation>> List(const Actor& actor);
  // Fails with kNotFound when no organisation has `code`.
  Result<OrganisationDetail> Get(const Actor& actor, std::string_view code);
  Result<domain::Site> AddSite(const Actor& actor, const NewSite& site);
  Result<domain::Team> AddTeam(const Actor& actor, const NewTeam& team);

 private:
  storage::Store& store_;
  const AuditLog& audit_;
};

}  // namespace liaison::app
