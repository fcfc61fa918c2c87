#include "common/time_format.h"

#include <charconv>
#include <cstdio>

namespace liaison {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

// Reads exactly `width` digits at `pos`; fails on anything else.
bool ReadDigits(std::string_view text, size_t pos, size_t width, int& out) {
  if (pos + width > text.size()) return false;
  int value = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    char c = text[i];
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  out = value;
  return true;
}

Status BadDatetime(std::string message) {
  return InvalidArgument("invalid_datetime", std::move(message));
}

// Writes `value` as exactly `width` decimal digits, zero-padded, and returns the end. Dates
// and instants are formatted for every worklist item and audit event, and snprintf's format
// parsing cost more than the rest of the item.
char* PutDigits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

// "YYYY-MM-DD" into `out` (10 bytes) for years 0 to 9999, the ones four digits can hold.
bool PutDate(char* out, year_month_day date) {
  int y = static_cast<int>(date.year());
  if (y < 0 || y > 9999) return false;
  out = PutDigits(out, static_cast<unsigned>(y), 4);
  *out++ = '-';
  out = PutDigits(out, static_cast<unsigned>(date.month()), 2);
  *out++ = '-';
  PutDigits(out, static_cast<unsigned>(date.day()), 2);
  return true;
}

}  // namespace

std::string FormatDate(year_month_day date) {
  char buffer[16];
  if (PutDate(buffer, date)) return std::string(buffer, 10);
  std::snprintf(buffer, sizeof(buffer), "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

Result<year_month_day> ParseDate(std::string_view text) {
  int y = 0, m = 0, d = 0;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !ReadDigits(text, 0, 4, y) ||
      !ReadDigits(text, 5, 2, m) || !ReadDigits(text, 8, 2, d)) {
    return InvalidArgument("invalid_date", "a date must be written YYYY-MM-DD");
  }
  year_month_day date{year(y), month(static_cast<unsigned>(m)), day(static_cast<unsigned>(d))};
  if (!date.ok()) return InvalidArgument("invalid_date", "the date does not exist in the calendar");
  if (y < 1) return InvalidArgument("invalid_date", "years run from 0001 to 9999");
  return date;
}

std::string FormatTimestamp(Timestamp at) {
  auto days = std::chrono::floor<std::chrono::days>(at);
  year_month_day date{days};
  std::chrono::hh_mm_ss<std::chrono::microseconds> time{at - days};
  char buffer[40];
  if (PutDate(buffer, date)) {
    char* out = buffer + 10;
    *out++ = 'T';
    out = PutDigits(out, static_cast<unsigned>(time.hours().count()), 2);
    *out++ = ':';
    out = PutDigits(out, static_cast<unsigned>(time.minutes().count()), 2);
    *out++ = ':';
    out = PutDigits(out, static_cast<unsigned>(time.seconds().count()), 2);
    *out++ = '.';
    out = PutDigits(out, static_cast<unsigned>(time.subseconds().count()), 6);
    *out++ = 'Z';
    return std::string(buffer, static_cast<std::size_t>(out - buffer));
  }
  std::snprintf(buffer, sizeof(buffer), "%sT%02d:%02d:%02d.%06ldZ", FormatDate(date).c_str(),
                static_cast<int>(time.hours().count()), static_cast<int>(time.minutes().count()),
                static_cast<int>(time.seconds().count()),
                static_cast<long>(time.subseconds().count()));
  return buffer;
}

Result<Timestamp> ParseTimestamp(std::string_view text) {
  if (text.size() < 20)
    return BadDatetime("a date-time must be RFC 3339, e.g. 2026-11-26T09:30:00Z");
  auto date = ParseDate(text.substr(0, 10));
  if (!date.ok()) return BadDatetime("the date part is not a valid YYYY-MM-DD date");
  if (text[10] != 'T' && text[10] != 't' && text[10] != ' ') {
    return BadDatetime("expected 'T' between date and time");
  }
  int hh = 0, mm = 0, ss = 0;
  if (!ReadDigits(text, 11, 2, hh) || text[13] != ':' || !ReadDigits(text, 14, 2, mm) ||
      text[16] != ':' || !ReadDigits(text, 17, 2, ss)) {
    return BadDatetime("the time must be written HH:MM:SS");
  }
  if (hh > 23 || mm > 59 || ss > 60) return BadDatetime("the time of day is out of range");
  if (ss == 60) ss = 59;  // A leap second is kept inside its minute.
  size_t pos = 19;
  std::int64_t micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int digits = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (digits < 6) micros = micros * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return BadDatetime("a fraction of a second needs at least one digit");
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  if (pos >= text.size()) return BadDatetime("a date-time needs a time zone: Z or +HH:MM");
  int offset_minutes = 0;
  char zone = text[pos];
  if (zone == 'Z' || zone == 'z') {
    ++pos;
  } else if (zone == '+' || zone == '-') {
    int oh = 0, om = 0;
    if (!ReadDigits(text, pos + 1, 2, oh) || pos + 3 >= text.size() || text[pos + 3] != ':' ||
        !ReadDigits(text, pos + 4, 2, om) || oh > 23 || om > 59) {
      return BadDatetime("the time zone offset must be written +HH:MM");
    }
    offset_minutes = (oh * 60 + om) * (zone == '+' ? 1 : -1);
    pos += 6;
  } else {
    return BadDatetime("a date-time needs a time zone: Z or +HH:MM");
  }
  if (pos != text.size()) return BadDatetime("unexpected characters after the date-time");
  Timestamp at = std::chrono::sys_days(*date) + std::chrono::hours(hh) + std::chrono::minutes(mm) +
                 std::chrono::seconds(ss) + std::chrono::microseconds(micros) -
                 std::chrono::minutes(offset_minutes);
  // An offset can carry 0001-01-01 or 9999-12-31 out of the four-digit years that every
  // format (and so the audit hash) relies on.
  int utc_year = static_cast<int>(
      std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(at)).year());
  if (utc_year < 1 || utc_year > 9999) return BadDatetime("the instant is outside years 0001-9999");
  return at;
}

std::optional<Timestamp> ParseCanonicalTimestamp(std::string_view text) {
  // The separators of "YYYY-MM-DDTHH:MM:SS.ffffffZ" first: a text that is not canonical mostly
  // fails there, before any digit is read.
  if (text.size() != 27 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text[19] != '.' || text[26] != 'Z') {
    return std::nullopt;
  }
  int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0, micros = 0;
  if (!ReadDigits(text, 0, 4, y) || !ReadDigits(text, 5, 2, m) || !ReadDigits(text, 8, 2, d) ||
      !ReadDigits(text, 11, 2, hh) || !ReadDigits(text, 14, 2, mm) ||
      !ReadDigits(text, 17, 2, ss) || !ReadDigits(text, 20, 6, micros)) {
    return std::nullopt;
  }
  // A leap second (ss == 60) is rare enough to leave to ParseTimestamp.
  if (y < 1 || hh > 23 || mm > 59 || ss > 59) return std::nullopt;
  year_month_day date{year(y), month(static_cast<unsigned>(m)), day(static_cast<unsigned>(d))};
  if (!date.ok()) return std::nullopt;
  // With no offset, a year of 0001 to 9999 stays one: ParseTimestamp's range check holds.
  return std::chrono::sys_days(date) + std::chrono::hours(hh) + std::chrono::minutes(mm) +
         std::chrono::seconds(ss) + std::chrono::microseconds(micros);
}

}  // namespace liaison
