// The sweep's worklist item (contracts.md, "sweep worklist item"): one attendance in the
// date range with a finding at review level or above, as one JSON object per line with the
// members attendance_id, site, arrival, age_days (absent when unknown), level, findings,
// person_key, in that order.
//
// Items are ordered by level (highest first), then age_days (youngest first, unknown last),
// then arrival, then site and attendance_id so that the order is total and a run's output
// never depends on threads or on the input's order.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "domain/attendance.h"
#include "recognition/engine.h"

namespace liaison::review {

struct WorklistItem {
  std::string attendance_id;
  std::string site;
  Timestamp arrival{};
  std::optional<std::int64_t> age_days;
  recognition::OverallLevel level = recognition::OverallLevel::kNone;
  std::vector<recognition::Finding> findings;
  std::string person_key;
};

// Who an attendance belongs to, for history: "nhs:" and the number when it is verified, else
// "local:" site ":" local id, else nullopt (the attendance has no history and builds none).
std::optional<std::string> PersonKeyOf(const domain::Attendance& attendance);
// The two kinds of key, written into `key` (replacing what it held): for a verified NHS number
// (its ten digits), and for a site's local id.
void NhsPersonKey(std::string_view digits, std::string& key);
void LocalPersonKey(std::string_view site, std::string_view local_id, std::string& key);

// The item for an assessed attendance, taking the findings as the engine gave them.
WorklistItem MakeWorklistItem(const domain::Attendance& attendance,
                              recognition::Assessment assessment, std::string person_key);

// A byte string whose memcmp order is the worklist order (see the header comment).
std::string WorklistSortKey(const WorklistItem& item);

// The item's JSON line, members in contract order, without the trailing newline.
std::string WorklistItemJson(const WorklistItem& item);
// The item's findings as the JSON array of its line (what a stored worklist keeps).
std::string WorklistFindingsJson(const WorklistItem& item);
// Reads a line WorklistItemJson wrote (for storing a worklist and for tests).
Result<WorklistItem> ParseWorklistItemJson(std::string_view line);

// Level slugs as the assess contract spells them; Parse fails with "invalid_level".
std::string_view LevelSlug(recognition::OverallLevel level);
std::string_view LevelSlug(recognition::FindingLevel level);
Result<recognition::OverallLevel> ParseOverallLevel(std::string_view slug);
Result<recognition::FindingLevel> ParseFindingLevel(std::string_view slug);

}  // namespace liaison::review
