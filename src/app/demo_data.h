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

struct DemoAttendanceSummary {
  std::int64_t generated = 0;
  std::int64_t created = 0;
  std::int64_t updated = 0;
  std::int64_t unchanged = 0;
  std::int64_t rejected = 0;
  std::int64_t register_alerts = 0;
  std::int64_t register_referred = 0;  // potential matches sent to the review queue
};

// Loads `count` attendances for the demo trust from the synthetic generator (fixed seed,
// the 365 days up to 2026-11-20) through the real intake, so a second load changes nothing.
// The generator's three sites are mapped onto the demo trust's three.
// REQUIRES: LoadDemoData has run.
Result<DemoAttendanceSummary> LoadDemoAttendances(storage::Store& store, const AuditLog& audit,
                                                  const Clock& clock, std::int64_t count);

struct DemoRegisterSummary {
  std::int64_t read = 0;
  std::int64_t accepted = 0;
  std::int64_t rejected = 0;
  std::int64_t warnings = 0;
};

// Loads the generator's register (synth::WriteRegister, same seed and population as
// LoadDemoAttendances with `attendances`) as a full upload by the demo local authority
// (LA-NORTH), so the demo attendances of children on plans raise alerts. Run it before
// LoadDemoAttendances. REQUIRES: LoadDemoData has run.
Result<DemoRegisterSummary> LoadDemoRegister(storage::Store& store, const AuditLog& audit,
                                             const Clock& clock, std::int64_t attendances);

// The demo local authority that uploads the register.
inline constexpr std::string_view kDemoRegisterOrg = "LA-NORTH";

// The i-th synthetic NHS number in the 999 range (skipping numbers with no valid check digit).
std::string SyntheticNhsNumber(int index);

}  // namespace liaison::app
