#include "common/log.h"

#include <spdlog/sinks/stdout_sinks.h>

namespace liaison {

void ConfigureLogging(std::string_view level) {
  // stdout is reserved for results (the first line of `serve` is part of the CLI contract),
  // so every log line goes to stderr.
  auto logger = spdlog::stderr_logger_mt("liaison");
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %l %v", spdlog::pattern_time_type::utc);
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(std::string(level)));
}

}  // namespace liaison
