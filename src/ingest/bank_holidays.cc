#include "ingest/bank_holidays.h"

#include <fstream>
#include <sstream>

#include <boost/json.hpp>

#include "common/time_format.h"

namespace liaison::ingest {

Result<std::vector<std::chrono::year_month_day>> ParseBankHolidays(std::string_view json_text) {
  boost::system::error_code error;
  boost::json::value root = boost::json::parse(json_text, error);
  if (error) return InvalidArgument("invalid_json", "the bank-holiday file is not valid JSON");
  const boost::json::object* object = root.if_object();
  const boost::json::value* events = object ? object->if_contains("events") : nullptr;
  if (events == nullptr || !events->is_array()) {
    return InvalidArgument("invalid_bank_holidays", "expected an \"events\" array", "/events");
  }
  std::vector<std::chrono::year_month_day> dates;
  const boost::json::array& list = events->get_array();
  for (size_t i = 0; i < list.size(); ++i) {
    std::string field = "/events/" + std::to_string(i) + "/date";
    const boost::json::object* event = list[i].if_object();
    const boost::json::value* date = event ? event->if_contains("date") : nullptr;
    if (date == nullptr || !date->is_string()) {
      return InvalidArgument("invalid_bank_holidays", "each event needs a date", field);
    }
    Result<std::chrono::year_month_day> parsed = ParseDate(date->get_string());
    if (!parsed.ok()) return parsed.status().WithField(field);
    dates.push_back(*parsed);
  }
  return dates;
}

Result<std::vector<std::chrono::year_month_day>> LoadBankHolidays(const std::string& path) {
  std::ifstream in(path);
  if (!in) return NotFound("file_not_found", "cannot open the bank-holiday file");
  std::ostringstream text;
  text << in.rdbuf();
  return ParseBankHolidays(text.str());
}

}  // namespace liaison::ingest
