// The demo data set: a hospital trust with its sites and teams, two local authorities, and a
// small synthetic population. Fixed seed, so every run produces the same records; loading
// again replaces the demo records in place (matched by code and NHS number).
// Synthetic NHS numbers use the 999 test range, never issued to patients.
#pragma once

#include "app/audit_log.h"
#include "storage/store.h"

namespace liaison::app {

struct DemoSummary {
  int organisations = 0;
  int sites = 0;
  int teams = 0;
  int people = 0;
};

// REQUIRES: the store is migrated.
Result<DemoSummary> LoadDemoData(storage::Store& store, const AuditLog& audit);

// The i-th synthetic NHS number in the 999 range (skipping numbers with no valid check digit).
std::string SyntheticNhsNumber(int index);

}  // namespace liaison::app
