#include "ingest/attendance_fields.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "common/time_format.h"

namespace liaison::ingest {

std::string FieldPath::ToString() const {
  std::string text;
  AppendTo(text);
  return text;
}

void FieldPath::AppendTo(std::string& out) const {
  switch (kind_) {
    case Kind::kRoot:
      return;
    case Kind::kName:
      out.append(text_);
      return;
    case Kind::kItem:
      parent_->AppendTo(out);
      out.push_back('/');
      out += std::to_string(index_);
      return;
    case Kind::kMember:
      break;
  }
  parent_->AppendTo(out);
  constexpr std::size_t kMaxKeyBytes = 64;
  std::string_view key = text_;
  if (key.size() > kMaxKeyBytes) {
    std::size_t cut = kMaxKeyBytes;
    // Back up to a UTF-8 boundary so the pointer stays valid text.
    while (cut > 0 && (static_cast<unsigned char>(key[cut]) & 0xC0) == 0x80) --cut;
    key = key.substr(0, cut);
  }
  out.push_back('/');
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out.push_back('?');  // control characters never belong in an error line
    } else {
      out.push_back(c);
    }
  }
}

void RowWarnings::Add(std::string field, std::string_view why) {
  if (warnings_.size() >= max_) return;
  warnings_.push_back({std::move(field), std::string(why)});
}

bool IsValidUtf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t size = text.size();
  std::size_t i = 0;
  // Nearly all text is ASCII: skip it eight bytes at a time.
  constexpr std::uint64_t kHighBits = 0x8080808080808080;
  while (i + 8 <= size) {
    std::uint64_t word;
    std::memcpy(&word, bytes + i, sizeof(word));
    if ((word & kHighBits) != 0) break;
    i += 8;
  }
  while (i < size) {
    unsigned char lead = bytes[i];
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    unsigned int low = 0x80, high = 0xBF;  // bounds of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) low = 0xA0;   // no overlongs
      if (lead == 0xED) high = 0x9F;  // no surrogates
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) low = 0x90;
      if (lead == 0xF4) high = 0x8F;
    } else {
      return false;
    }
    if (i + length > size) return false;
    if (bytes[i + 1] < low || bytes[i + 1] > high) return false;
    for (std::size_t k = 2; k < length; ++k) {
      if (bytes[i + k] < 0x80 || bytes[i + k] > 0xBF) return false;
    }
    i += length;
  }
  return true;
}

Status CheckText(std::string_view text, TextKind kind, const AttendanceLimits& limits,
                 const FieldPath& field, Utf8 utf8) {
  std::size_t bound = kind == TextKind::kIdentifier ? limits.max_identifier_bytes
                      : kind == TextKind::kName     ? limits.max_name_bytes
                                                    : limits.max_text_bytes;
  if (text.size() > bound) {
    return InvalidArgument(std::string(reason::kTooLong),
                           "the value is longer than " + std::to_string(bound) + " bytes",
                           field.ToString());
  }
  if (utf8 == Utf8::kUnchecked && !IsValidUtf8(text)) {
    return InvalidArgument(std::string(reason::kInvalidUtf8), "the value is not valid UTF-8",
                           field.ToString());
  }
  return Status::Ok();
}

Result<std::optional<std::string>> TextValue(std::string_view text, TextKind kind,
                                             const AttendanceLimits& limits,
                                             const FieldPath& field) {
  if (text.empty()) return std::optional<std::string>();
  RETURN_IF_ERROR(CheckText(text, kind, limits, field, Utf8::kUnchecked));
  return std::optional<std::string>(std::string(text));
}

Result<domain::Sex> SexValue(std::string_view text, const FieldPath& field) {
  std::optional<domain::Sex> sex = domain::SexFromText(text);
  if (!sex) {
    return InvalidArgument(std::string(reason::kInvalidEnum),
                           "expected one of: female, male, other, unknown", field.ToString());
  }
  return *sex;
}

Result<Timestamp> TimestampValue(std::string_view text, const FieldPath& field) {
  if (std::optional<Timestamp> canonical = ParseCanonicalTimestamp(text)) return *canonical;
  Result<Timestamp> at = ParseTimestamp(text);
  if (!at.ok()) return at.status().WithField(field.ToString());
  return at;
}

Result<std::chrono::year_month_day> DateValue(std::string_view text, const FieldPath& field) {
  Result<std::chrono::year_month_day> date = ParseDate(text);
  if (!date.ok()) return date.status().WithField(field.ToString());
  if (date->year() < std::chrono::year(1880) || date->year() > std::chrono::year(2200)) {
    return InvalidArgument(std::string(reason::kOutOfRange), "the year is not plausible",
                           field.ToString());
  }
  return date;
}

domain::RecordedNhsNumber NhsNumberValue(std::string_view text, const FieldPath& field,
                                         RowWarnings& warnings) {
  domain::RecordedNhsNumber number = domain::RecordedNhsNumber::From(text);
  if (!number.verified) warnings.Add(field.ToString(), reason::kUnverifiedNhsNumber);
  return number;
}

Result<double> ObservationValue(double value, double low, double high, const FieldPath& field) {
  if (!std::isfinite(value) || value < low || value > high) {
    return InvalidArgument(
        std::string(reason::kOutOfRange),
        "expected a number from " + std::to_string(low) + " to " + std::to_string(high),
        field.ToString());
  }
  return std::round(value * 100.0) / 100.0;
}

void CheckAttendance(const domain::Attendance& attendance, RowWarnings& warnings) {
  if (attendance.patient.birth_date && !domain::AgeInDaysAtArrival(attendance)) {
    warnings.Add("/patient/birth_date", reason::kBirthDateAfterArrival);
  }
}

namespace {

// Whether any of the 8 bytes in `word` is a control character, '"' or '\\', the bytes a JSON
// string must escape. The sweep writes about a kilobyte of JSON text per worklist item, nearly
// all of it plain, so it is skipped 8 bytes at a time.
bool AnyByteNeedsEscape(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
  auto has_zero_byte = [](std::uint64_t v) { return ((v - kOnes) & ~v & kHighs) != 0; };
  // A byte below 0x20 borrows when 0x20 is taken from it; bytes of 0x80 and more are excluded
  // by ~word, so UTF-8 passes.
  bool control = ((word - kOnes * 0x20) & ~word & kHighs) != 0;
  return control || has_zero_byte(word ^ (kOnes * '"')) || has_zero_byte(word ^ (kOnes * '\\'));
}

// The first index at or after `from` whose 8-byte word may hold a byte to escape (exact per
// byte only in the caller's loop).
std::size_t SkipPlainWords(std::string_view text, std::size_t from) {
  while (from + 8 <= text.size()) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + from, 8);
    if (AnyByteNeedsEscape(word)) break;
    from += 8;
  }
  return from;
}

}  // namespace

void AppendJsonString(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run_start = 0;
  for (std::size_t i = SkipPlainWords(text, 0); i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(text.substr(run_start, i - run_start));
    run_start = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 0xF]);
    }
    i = SkipPlainWords(text, i + 1) - 1;  // the loop's ++i lands on the first unskipped byte
  }
  out.append(text.substr(run_start));
  out.push_back('"');
}

void AppendDouble(double value, std::string& out) {
  char buffer[32];
  std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  out.append(buffer, result.ptr);
}

}  // namespace liaison::ingest
