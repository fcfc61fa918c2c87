// Text forms of instants and dates used by every contract: RFC 3339 instants with microseconds
// in UTC, and ISO 8601 calendar dates.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "common/clock.h"
#include "common/status.h"

namespace liaison {

// "2026-11-26T09:30:00.000000Z". Always UTC, always six fractional digits, so the text is
// canonical: equal instants give equal strings (the audit hash relies on this).
std::string FormatTimestamp(Timestamp at);

// Accepts RFC 3339: "2026-11-26T09:30:00Z", "...:00.5+01:00", "...T09:30:00-05:00".
// Fractions beyond microseconds are truncated. Fails with reason "invalid_datetime".
Result<Timestamp> ParseTimestamp(std::string_view text);

// The instant of a text in exactly the canonical form FormatTimestamp writes
// ("2026-11-26T09:30:00.000000Z"), or nullopt for any other text, valid or not, which the
// caller then gives to ParseTimestamp. A fast path for feeds, nearly all of whose instants are
// canonical: ParseTimestamp stays the authority, and accepts every text this accepts with the
// same instant (time_format_test compares them over many inputs).
std::optional<Timestamp> ParseCanonicalTimestamp(std::string_view text);

// "YYYY-MM-DD". Fails with reason "invalid_date" for malformed or impossible dates.
Result<std::chrono::year_month_day> ParseDate(std::string_view text);
std::string FormatDate(std::chrono::year_month_day date);

}  // namespace liaison
