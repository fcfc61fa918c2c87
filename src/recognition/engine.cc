#include "recognition/engine.h"

#include <algorithm>
#include <array>

#include "recognition/concepts.h"
#include "recognition/facts.h"
#include "recognition/rules.h"
#include "recognition/text_matcher.h"

namespace liaison::recognition {
namespace {

constexpr std::int64_t kHistoryDays = 365;

class RulesEngine final : public Engine {
 public:
  RulesEngine(Concepts concepts, EngineOptions options)
      : concepts_(std::move(concepts)), options_(options) {}

  Status Init() {
    ASSIGN_OR_RETURN(matcher_, TextMatcher::Build(concepts_));
    return Status::Ok();
  }

  Assessment Assess(const AssessInput& input) const override {
    std::vector<PastAttendance> history;
    history.reserve(input.history.size());
    for (const domain::Attendance& past : input.history) history.push_back(Summarise(past));
    PastAttendance unused;
    return Assess({input.attendance, history, input.social_care}, unused);
  }

  Assessment Assess(const SummarisedAssessInput& input, PastAttendance& summary) const override {
    // One Facts per thread, so that its sighting vectors keep their storage from one attendance
    // to the next. Assess does not call itself, so it is never in use twice on a thread.
    thread_local Facts facts;
    GatherFactsInto(facts, input.attendance, concepts_, *matcher_, options_);
    summary = SummaryOf(input.attendance, facts);
    std::vector<EarlierAttendance> earlier = Earlier(input);
    RuleContext context{facts, earlier, input.social_care, options_};
    Assessment assessment;
    for (const Rule& rule : Rules()) rule.evaluate(context, rule.info, assessment.findings);
    // Highest level first, audit last; catalogue order within a level. An insertion sort, which
    // is stable and takes no buffer (std::stable_sort takes one); there are a few findings.
    std::vector<Finding>& findings = assessment.findings;
    for (std::size_t i = 1; i < findings.size(); ++i) {
      std::size_t j = i;
      while (j > 0 &&
             static_cast<int>(findings[j - 1].level) < static_cast<int>(findings[j].level)) {
        std::swap(findings[j - 1], findings[j]);
        --j;
      }
    }
    assessment.level = OverallLevelOf(assessment.findings);
    return assessment;
  }

  PastAttendance Summarise(const domain::Attendance& attendance) const override {
    return SummaryOf(attendance, GatherFacts(attendance, concepts_, *matcher_, options_));
  }

  const std::string& concepts_version() const override { return concepts_.version(); }

 private:
  static PastAttendance SummaryOf(const domain::Attendance& attendance, const Facts& facts) {
    return {attendance.arrival, attendance.site, attendance.attendance_id,
            facts.Has(Concept::kPoisoning), facts.AnyInjury()};
  }

  // Earlier attendances within a year before this one; a re-sent copy of this attendance and
  // later attendances are left out.
  static std::vector<EarlierAttendance> Earlier(const SummarisedAssessInput& input) {
    std::vector<EarlierAttendance> earlier;
    const domain::Attendance& current = input.attendance;
    for (std::size_t i = 0; i < input.history.size(); ++i) {
      const PastAttendance& past = input.history[i];
      if (past.arrival >= current.arrival) continue;
      if (past.site == current.site && past.attendance_id == current.attendance_id) continue;
      auto days = std::chrono::duration_cast<std::chrono::days>(current.arrival - past.arrival);
      if (days.count() >= kHistoryDays) continue;
      earlier.push_back({i, past.arrival, days.count(), past.poisoning, past.injury});
    }
    return earlier;
  }

  Concepts concepts_;
  EngineOptions options_;
  std::unique_ptr<TextMatcher> matcher_;
};

Result<std::unique_ptr<Engine>> Build(const ConceptFiles& files, const EngineOptions& options) {
  if (options.not_mobile_proxy_days < 0 || options.frequent_in_6_months < 1 ||
      options.frequent_in_12_months < 1) {
    return InvalidArgument("invalid_engine_options", "the engine options are out of range");
  }
  ASSIGN_OR_RETURN(Concepts concepts, Concepts::Parse(files));
  auto engine = std::make_unique<RulesEngine>(std::move(concepts), options);
  RETURN_IF_ERROR(engine->Init());
  return std::unique_ptr<Engine>(std::move(engine));
}

}  // namespace

std::string_view FindingLevelSlug(FindingLevel level) {
  static constexpr std::array<std::string_view, 5> kSlugs = {"audit", "review", "prompt",
                                                             "consider", "suspect"};
  return kSlugs[static_cast<std::size_t>(level)];
}

std::string_view OverallLevelSlug(OverallLevel level) {
  static constexpr std::array<std::string_view, 5> kSlugs = {"none", "review", "prompt", "consider",
                                                             "suspect"};
  return kSlugs[static_cast<std::size_t>(level)];
}

OverallLevel OverallLevelOf(std::span<const Finding> findings) {
  OverallLevel level = OverallLevel::kNone;
  for (const Finding& finding : findings) {
    if (finding.level == FindingLevel::kAudit) continue;
    // FindingLevel kReview..kSuspect are 1..4, as are OverallLevel kReview..kSuspect.
    level = std::max(level, static_cast<OverallLevel>(static_cast<int>(finding.level)));
  }
  return level;
}

std::span<const RuleInfo> RuleCatalogue() {
  static const std::vector<RuleInfo> catalogue = [] {
    std::vector<RuleInfo> infos;
    for (const Rule& rule : Rules()) infos.push_back(rule.info);
    return infos;
  }();
  return catalogue;
}

std::string_view AssessmentNote(OverallLevel level) {
  if (level == OverallLevel::kNone) {
    return "No alerting features were found in the recorded information. This is not an "
           "all-clear.";
  }
  return "These findings support clinical judgement and do not replace it. They are not a "
         "diagnosis: act on them under local safeguarding procedures.";
}

Result<std::unique_ptr<Engine>> Engine::Load(const std::filesystem::path& data_dir) {
  return Load(data_dir, EngineOptions{});
}

Result<std::unique_ptr<Engine>> Engine::Load(const std::filesystem::path& data_dir,
                                             const EngineOptions& options) {
  ASSIGN_OR_RETURN(ConceptFiles files, ReadConceptDirectory(data_dir));
  return Build(files, options);
}

Result<std::unique_ptr<Engine>> Engine::LoadDefault(const EngineOptions& options) {
  return Build(DefaultConceptFiles(), options);
}

}  // namespace liaison::recognition
