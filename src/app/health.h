// The health of Liaison's parts, for /readyz and the home page.
#pragma once

#include <string>
#include <vector>

#include "storage/store.h"

namespace liaison::app {

struct ComponentHealth {
  std::string name;  // "database", "schema", "outbox"
  bool ok = false;
  std::string detail;  // plain words, no patient data
};

// Checks the database answers, its schema is current, and the outbox is draining.
std::vector<ComponentHealth> CheckHealth(storage::Store& store);
bool AllHealthy(const std::vector<ComponentHealth>& components);

}  // namespace liaison::app
