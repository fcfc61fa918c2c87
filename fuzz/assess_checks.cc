#include "assess_checks.h"

#include <algorithm>
#include <array>

#include <boost/json.hpp>

#include "common/check.h"
#include "recognition/assess_json.h"
#include "recognition/engine.h"

namespace liaison::fuzz {
namespace {

const recognition::Engine& Shipped() {
  static const std::unique_ptr<recognition::Engine> engine = [] {
    Result<std::unique_ptr<recognition::Engine>> loaded = recognition::Engine::LoadDefault();
    LIAISON_CHECK(loaded.ok());
    return std::move(*loaded);
  }();
  return *engine;
}

}  // namespace

void CheckAssessInput(std::string_view data) {
  Result<recognition::AssessRequest> request = recognition::DecodeAssessRequest(data);
  if (!request.ok()) {
    LIAISON_CHECK(!request.status().reason().empty());
    return;
  }
  recognition::Assessment assessment =
      Shipped().Assess({request->attendance, request->history, std::nullopt});
  LIAISON_CHECK(assessment.level == recognition::OverallLevelOf(assessment.findings));
  for (const recognition::Finding& finding : assessment.findings) {
    LIAISON_CHECK(std::find(recognition::kCategories.begin(), recognition::kCategories.end(),
                            finding.category) != recognition::kCategories.end());
    LIAISON_CHECK(!finding.rule.empty() && !finding.reason.empty() && !finding.source.empty());
  }
  boost::system::error_code error;
  boost::json::value answer = boost::json::parse(recognition::EncodeAssessment(assessment), error);
  LIAISON_CHECK(!error && answer.is_object());
  LIAISON_CHECK(answer.as_object().at("note").as_string().size() > 0);
}

}  // namespace liaison::fuzz
