// The rules: each is a RuleInfo (the catalogue entry) and a function that reads the facts and
// appends its findings. Internal to recognition/; docs/recognition.md lists them.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "recognition/engine.h"
#include "recognition/facts.h"

namespace liaison::recognition {

// An earlier attendance of the same person, within a year before this one.
struct EarlierAttendance {
  std::size_t index = 0;  // its position in the input's history
  Timestamp arrival;
  std::int64_t days_before = 0;
  bool poisoning = false;
  bool injury = false;
};

struct RuleContext {
  const Facts& facts;
  std::span<const EarlierAttendance> earlier;
  const std::optional<SocialCareStatus>& social_care;
  const EngineOptions& options;
};

using RuleFunction = void (*)(const RuleContext& context, const RuleInfo& info,
                              std::vector<Finding>& out);

struct Rule {
  RuleInfo info;
  RuleFunction evaluate;
};

std::span<const Rule> Rules();

}  // namespace liaison::recognition
