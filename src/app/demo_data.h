// The demo data set: a hospital trust with its sites and teams, two local authorities, and a
// small synthetic population. Fixed seed, so every run produces the same records; loading
// again replaces the demo records in place (matched by code and NHS number).
// Synthetic NHS numbers use the 999 test range, never issued to patients.
#pragma once

#include <string>
#include <vector>

#include "app/audit_log.h"
#include "app/password.h"
#include "domain/user.h"
#include "storage/store.h"

namespace liaison::app {

struct DemoSummary {
  int organisations = 0;
  int sites = 0;
  int teams = 0;
  int people = 0;
  int users = 0;
};

// One demo account per role. Their passwords are published (README "Demo users"), so these
// accounts exist only in demo data, never in a real deployment.
struct DemoUser {
  std::string username;  // "demo." + role slug
  domain::Role role;
  std::string org_code;
  std::string team_code;  // empty: no team
  std::string password;   // role slug + "-demo-2026"; meets app/password.h rules
};
std::vector<DemoUser> DemoUsers();

struct DemoOptions {
  PasswordCost password_cost = PasswordCost::Interactive();
};

// REQUIRES: the store is migrated.
Result<DemoSummary> LoadDemoData(storage::Store& store, const AuditLog& audit);
Result<DemoSummary> LoadDemoData(storage::Store& store, const AuditLog& audit,
                                 const DemoOptions& options);

// The i-th synthetic NHS number in the 999 range (skipping numbers with no valid check digit).
std::string SyntheticNhsNumber(int index);

}  // namespace liaison::app
