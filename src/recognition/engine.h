// The recognition engine: one set of rules for the point of care (`assess`) and the nightly
// ED review (`sweep`). See docs/recognition.md for the contract and the rule catalogue.
//
// An Engine is immutable once loaded and safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "domain/attendance.h"

namespace liaison::recognition {

// A finding's level. `kAudit` marks a documentation or process gap and never counts towards
// the overall level. The others are ordered review < prompt < consider < suspect.
enum class FindingLevel { kAudit, kReview, kPrompt, kConsider, kSuspect };

// The overall level of an assessment: the highest non-audit finding, or kNone.
enum class OverallLevel { kNone, kReview, kPrompt, kConsider, kSuspect };

std::string_view FindingLevelSlug(FindingLevel level);
std::string_view OverallLevelSlug(OverallLevel level);

struct Finding {
  std::string rule;      // catalogue id, e.g. "CG89-P3"
  FindingLevel level = FindingLevel::kReview;
  std::string category;  // one of the contract's categories, e.g. "bruising"
  std::string reason;    // plain words a clinician reads
  std::string source;    // guideline and recommendation, or paper
  std::vector<std::string> evidence;  // e.g. `injuries[0].site=ear`, `notes:"bruise to forehead"`
};

struct Assessment {
  OverallLevel level = OverallLevel::kNone;
  std::vector<Finding> findings;
};

// What the register knows about the person, when the caller looked it up (assess --db, the
// point-of-care check). Findings from it can only raise the level.
struct SocialCareStatus {
  std::string status;  // cp_plan | looked_after | unborn_cp_plan | child_in_need | previous_cp_plan
  std::string responsible_org;
};

struct AssessInput {
  const domain::Attendance& attendance;
  // Earlier attendances of the same person, any order; later ones than `attendance` are ignored.
  std::span<const domain::Attendance> history;
  std::optional<SocialCareStatus> social_care;
};

class Engine {
 public:
  // Loads the rule catalogue and the concept sets from `data_dir` (normally data/recognition).
  static Result<std::unique_ptr<Engine>> Load(const std::filesystem::path& data_dir);

  virtual ~Engine() = default;
  virtual Assessment Assess(const AssessInput& input) const = 0;
};

// The note the contract requires with every assessment.
std::string_view AssessmentNote(OverallLevel level);

}  // namespace liaison::recognition
