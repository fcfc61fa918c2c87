// The JSON and query shapes of the register routes (docs/register.md). Handlers use these and
// never build JSON by hand.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "app/register_matcher.h"
#include "app/register_service.h"
#include "common/status.h"
#include "ingest/feed_reader.h"
#include "ingest/register_csv.h"

namespace liaison::http {

// Most entries in one JSON upload (the body limit usually binds first); larger registers are
// uploaded as a CSV file with the CLI, or as several delta uploads.
inline constexpr std::size_t kMaxRegisterUploadEntries = 5000;

// {"mode": "full"|"delta", "entries": [{column: "text" or null, ...}]}: each entry has the CSV
// columns (docs/register.md) as members. A bad entry is an issue with field
// "/entries/N/COLUMN"; only a bad body (not JSON, no mode, entries not an array, too many) is a
// failure.
struct RegisterUploadBody {
  app::UploadMode mode = app::UploadMode::kFull;
  std::vector<Result<ingest::RegisterRow>> rows;  // by index; a failed row names its field
};
Result<RegisterUploadBody> DecodeRegisterUpload(std::string_view body);

// {"mode", "read", "accepted", "rejected", "warnings", "removed", "issues": [{"index",
// "field", "reason", "kind"}]}
struct RegisterUploadReport {
  std::string mode;
  ingest::FeedSummary summary;
  std::int64_t removed = 0;
  std::vector<ingest::RowIssue> issues;  // `line` holds the entry's index
};
std::string EncodeRegisterUploadReport(const RegisterUploadReport& report);

// The lookup's query string: nhs_number, or given_name, family_name, birth_date, sex, postcode;
// plus silent=true|false and pregnant=true|false. An invalid NHS number (the key of the
// request) is 400 invalid_nhs_number on /nhs_number; an unknown parameter, 400
// unknown_parameter; neither a number nor a family name with a birth date, 400 missing_query.
struct LookupRequest {
  app::RegisterQuery query;
  bool silent = false;
};
Result<LookupRequest> DecodeLookupQuery(std::string_view query_string);

// {"found", "message", "referred_for_review", "demographic_matching", "alerts": [...]}
std::string EncodeLookupResult(const app::LookupResult& result);

// {"items": [{"id", "state", "probability", "created_at", "first_reviewer", "subject",
// "explanation", "entry": {...}}]}
std::string EncodeReviewQueue(const std::vector<app::ReviewQueueItem>& items);
// {"decision": "same"|"different"} -> true for same.
Result<bool> DecodeReviewDecision(std::string_view body);
// {"id", "state", "decision"}
std::string EncodeReviewDecision(const storage::RegisterReviewItem& item);

}  // namespace liaison::http
