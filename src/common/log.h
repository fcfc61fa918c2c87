// The logging facade. Log lines are structured key=value text on stderr. Never log an NHS
// number, a name or a date of birth: refer to records by internal id.
#pragma once

#include <spdlog/spdlog.h>

namespace liaison {

enum class LogFormat { kText };

// Sets the process-wide log level from "debug", "info", "warn" or "error".
void ConfigureLogging(std::string_view level);

}  // namespace liaison
