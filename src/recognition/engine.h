// The recognition engine: one set of rules for the point of care (`assess`) and the nightly
// ED review (`sweep`). See docs/recognition.md for the contract and the rule catalogue.
//
// An Engine is immutable once loaded and safe to call from many threads at once.
#pragma once

#include <array>
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

// The categories a finding may carry (the recognition issue's contract; docs/recognition.md).
inline constexpr std::array<std::string_view, 21> kCategories = {"bruising",
                                                                 "fracture",
                                                                 "burn",
                                                                 "head_injury",
                                                                 "bite",
                                                                 "wound",
                                                                 "oral_injury",
                                                                 "eye_injury",
                                                                 "spinal_injury",
                                                                 "visceral_injury",
                                                                 "poisoning",
                                                                 "sexual_abuse",
                                                                 "neglect",
                                                                 "emotional_abuse",
                                                                 "fabricated_illness",
                                                                 "self_harm",
                                                                 "substance_misuse",
                                                                 "think_family",
                                                                 "frequent_attendance",
                                                                 "known_to_social_care",
                                                                 "documentation"};

std::string_view FindingLevelSlug(FindingLevel level);
std::string_view OverallLevelSlug(OverallLevel level);

struct Finding {
  std::string rule;  // catalogue id, e.g. "CG89-P3"
  FindingLevel level = FindingLevel::kReview;
  std::string category;               // one of the contract's categories, e.g. "bruising"
  std::string reason;                 // plain words a clinician reads
  std::string source;                 // guideline and recommendation, or paper
  std::vector<std::string> evidence;  // e.g. `injuries[0].site=ear`, `notes:"bruise to forehead"`
};

struct Assessment {
  OverallLevel level = OverallLevel::kNone;
  std::vector<Finding> findings;
};

// The overall level of `findings`: the highest non-audit level, or kNone.
OverallLevel OverallLevelOf(std::span<const Finding> findings);

// One entry of the rule catalogue (docs/recognition.md): what the rule is, what it reads and
// where it comes from, so a clinician can check it.
struct RuleInfo {
  std::string_view id;
  std::string_view title;
  std::string_view category;
  std::string_view level;  // the level it gives, in words: "suspect (consider when ...)"
  FindingLevel highest = FindingLevel::kReview;  // the highest level it can give
  std::string_view inputs;                       // the attendance fields it reads
  std::string_view source;
  std::string_view verification;  // the reference's tag: "V", "V-sec" or "K"
  bool verified = false;          // true only for "V": the wording was read in the source
  bool never_downgrades = false;  // exempt from the explanation downgrade
};

// The version of the rule catalogue; it changes whenever a rule is added, removed or changes
// what it does.
inline constexpr std::string_view kCatalogueVersion = "liaison-rules-2";

// Every rule, in catalogue order.
std::span<const RuleInfo> RuleCatalogue();

// A child is younger than this many days (18 years, as the rules count them); callers that
// choose who to treat as a child, such as the sweep's register linkage, use the same line.
inline constexpr std::int64_t kAdultAgeDays = 6570;

// Settings a trust may change.
struct EngineOptions {
  // When mobility is not recorded, a child younger than this many days is treated as not
  // independently mobile (TEN-4-FACESp uses under 5 months; local protocols 6 months).
  std::int64_t not_mobile_proxy_days = 183;
  // Frequent attendance: this attendance and earlier ones, more than 3 within 183 days or at
  // least 4 within 365 days (Leeds THT SOP 1198; Greenfield et al. 2021).
  int frequent_in_6_months = 4;
  int frequent_in_12_months = 4;
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

// What the history rules read of an earlier attendance. The sweep keeps these per person
// instead of whole attendances: each attendance's facts are then gathered once, not once more
// for every later visit of the same person.
struct PastAttendance {
  Timestamp arrival;
  std::string site;           // with attendance_id, to leave out a re-sent copy
  std::string attendance_id;  // of the attendance being assessed
  bool poisoning = false;
  bool injury = false;
};

// AssessInput with the history already summarised (Engine::Summarise or a previous
// Assess below); positions in `history` are the `history[i]` of the evidence.
struct SummarisedAssessInput {
  const domain::Attendance& attendance;
  std::span<const PastAttendance> history;
  std::optional<SocialCareStatus> social_care;
};

class Engine {
 public:
  // Loads the rule catalogue and the concept sets from `data_dir`, a concept-set release
  // directory such as data/recognition/concepts-v2 (VERSION, sites.tsv, patterns.tsv and one
  // <concept>.tsv per concept).
  static Result<std::unique_ptr<Engine>> Load(const std::filesystem::path& data_dir);
  static Result<std::unique_ptr<Engine>> Load(const std::filesystem::path& data_dir,
                                              const EngineOptions& options);
  // The concept sets compiled into the binary (data/recognition/concepts-v2), so that the
  // binary works from any directory.
  static Result<std::unique_ptr<Engine>> LoadDefault(const EngineOptions& options = {});

  virtual ~Engine() = default;
  virtual Assessment Assess(const AssessInput& input) const = 0;
  // The same assessment from summarised history. `summary` receives this attendance's own
  // summary, for the person's later attendances.
  virtual Assessment Assess(const SummarisedAssessInput& input, PastAttendance& summary) const = 0;
  virtual PastAttendance Summarise(const domain::Attendance& attendance) const = 0;
  // The version of the loaded concept sets, e.g. "liaison-concepts-v2.1".
  virtual const std::string& concepts_version() const = 0;
};

// The note the contract requires with every assessment.
std::string_view AssessmentNote(OverallLevel level);

}  // namespace liaison::recognition
