// Who is acting and why: every use case takes one, and every audit event records both.
#pragma once

#include <string>

namespace liaison::app {

struct Actor {
  std::string id;      // "user:42", "cli", "system:demo", "token:7"
  std::string reason;  // why the access is needed, e.g. "direct care"
};

}  // namespace liaison::app
