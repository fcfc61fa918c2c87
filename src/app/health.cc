#include "app/health.h"

#include <algorithm>

namespace liaison::app {

std::vector<ComponentHealth> CheckHealth(storage::Store& store) {
  std::vector<ComponentHealth> components;
  Status ping = store.Ping();
  components.push_back({"database", ping.ok(),
                        ping.ok() ? std::string(store.Backend()) + " answering"
                                  : "not answering: " + ping.reason()});
  Result<int> version = store.SchemaVersion();
  bool current = version.ok() && *version == store.LatestSchemaVersion();
  components.push_back({"schema", current,
                        version.ok() ? "version " + std::to_string(*version) + " of " +
                                           std::to_string(store.LatestSchemaVersion())
                                     : "unknown: " + version.status().reason()});
  Result<storage::OutboxStats> outbox = store.GetOutboxStats();
  components.push_back({"outbox", outbox.ok(),
                        outbox.ok() ? std::to_string(outbox->pending) + " waiting, " +
                                          std::to_string(outbox->delivered) + " delivered"
                                    : "unknown: " + outbox.status().reason()});
  return components;
}

bool AllHealthy(const std::vector<ComponentHealth>& components) {
  return std::all_of(components.begin(), components.end(),
                     [](const ComponentHealth& c) { return c.ok; });
}

}  // namespace liaison::app
