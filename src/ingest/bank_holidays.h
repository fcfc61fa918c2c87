// Reads the England and Wales bank-holiday data file (data/bank-holidays-england-and-wales.json,
// the GOV.UK shape: {"events": [{"date": "YYYY-MM-DD", "title": ...}, ...]}).
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace liaison::ingest {

// Parses the file's text. Fails with the JSON pointer of the first bad entry.
Result<std::vector<std::chrono::year_month_day>> ParseBankHolidays(std::string_view json_text);

// Reads and parses the file at `path`.
Result<std::vector<std::chrono::year_month_day>> LoadBankHolidays(const std::string& path);

}  // namespace liaison::ingest
