// The field rules of the attendance contract v1 that both codecs (JSON and CSV) share: size
// limits, enumeration and date parsing, NHS numbers, and the stable reason codes of row errors.
// Keeping them in one place means a CSV row and the same JSON row are accepted or rejected
// alike.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/clock.h"
#include "common/status.h"
#include "domain/attendance.h"

namespace liaison::ingest {

// Bounds that keep hostile input from taking unbounded memory or time. A value beyond a bound
// rejects the row (reason "too_long", "too_many_items" or "too_deep"). Plain value type.
struct AttendanceLimits {
  std::size_t max_row_bytes = 1 << 20;     // one JSON document or CSV record
  std::size_t max_identifier_bytes = 128;  // ids, codes, postcodes
  std::size_t max_name_bytes = 256;        // names, sites, patterns, displays
  std::size_t max_text_bytes = 32 * 1024;  // notes and other free text
  std::size_t max_items = 64;              // per array
  std::size_t max_depth = 8;               // JSON nesting
  std::size_t max_warnings_per_row = 16;   // beyond this, further warnings are dropped
};

// A problem with one field of a row that is still accepted, e.g. an unverified NHS number or
// an unknown field. `field` is a JSON pointer (JSON) or a column name (CSV).
struct FieldWarning {
  std::string field;
  std::string reason;

  friend bool operator==(const FieldWarning&, const FieldWarning&) = default;
};

// Stable reasons of row errors and warnings (part of the contract; see
// docs/attendance-contract.md).
namespace reason {
inline constexpr std::string_view kInvalidJson = "invalid_json";
inline constexpr std::string_view kInvalidUtf8 = "invalid_utf8";
inline constexpr std::string_view kMissingField = "missing_field";
inline constexpr std::string_view kInvalidType = "invalid_type";
inline constexpr std::string_view kInvalidEnum = "invalid_enum";
inline constexpr std::string_view kInvalidNumber = "invalid_number";
inline constexpr std::string_view kInvalidBoolean = "invalid_boolean";
inline constexpr std::string_view kOutOfRange = "out_of_range";
inline constexpr std::string_view kTooLong = "too_long";
inline constexpr std::string_view kTooManyItems = "too_many_items";
inline constexpr std::string_view kTooDeep = "too_deep";
inline constexpr std::string_view kUnknownField = "unknown_field";
inline constexpr std::string_view kUnverifiedNhsNumber = "unverified_nhs_number";
inline constexpr std::string_view kBirthDateAfterArrival = "birth_date_after_arrival";
}  // namespace reason

// Where a value sits in its row: a CSV column name, or a JSON pointer built as a chain of
// member names and array indexes. Naming a field costs nothing; the text is built by
// ToString() only when an error or warning reports it, because almost every field is valid.
// Refers to its parent and to the strings it was made from without owning them: keep those
// alive (named variables, the parsed document) while the path is in use. A plain value type.
class FieldPath {
 public:
  // The whole row: the empty JSON pointer.
  FieldPath() = default;
  // A complete name, used as it is (a CSV column).
  FieldPath(const std::string& name)  // NOLINT(google-explicit-constructor): names pass as-is
      : kind_(Kind::kName), text_(name) {}

  // The member `key` of `parent` ("/patient" + "sex" gives "/patient/sex").
  static FieldPath Member(const FieldPath& parent, std::string_view key) {
    return FieldPath(Kind::kMember, &parent, key, 0);
  }
  // The item at `index` of the array `parent` ("/injuries" + 3 gives "/injuries/3").
  static FieldPath Item(const FieldPath& parent, std::size_t index) {
    return FieldPath(Kind::kItem, &parent, {}, index);
  }

  // The name or JSON pointer. Member names are escaped as RFC 6901 asks, control characters
  // become '?', and names longer than 64 bytes are cut (at a UTF-8 boundary), because unknown
  // member names come from the input and end up in error lines.
  std::string ToString() const;

 private:
  enum class Kind { kRoot, kName, kMember, kItem };
  FieldPath(Kind kind, const FieldPath* parent, std::string_view text, std::size_t index)
      : kind_(kind), parent_(parent), text_(text), index_(index) {}
  void AppendTo(std::string& out) const;

  Kind kind_ = Kind::kRoot;
  const FieldPath* parent_ = nullptr;
  std::string_view text_;
  std::size_t index_ = 0;
};

// Collects the warnings of one row, up to a bound.
class RowWarnings {
 public:
  explicit RowWarnings(std::size_t max) : max_(max) {}
  void Add(std::string field, std::string_view why);
  std::vector<FieldWarning> Take() { return std::move(warnings_); }

 private:
  std::size_t max_;
  std::vector<FieldWarning> warnings_;
};

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates).
bool IsValidUtf8(std::string_view text);

enum class TextKind { kIdentifier, kName, kFreeText };

// Whether a text value still needs its UTF-8 checked, or came from a parser that guarantees
// it (simdjson validates the whole document, escapes included).
enum class Utf8 { kUnchecked, kValid };

// The checks of a non-empty text value: the bound for `kind`, then UTF-8 unless `utf8` says it
// is known valid. TextValue's checks, for callers that copy the text themselves.
Status CheckText(std::string_view text, TextKind kind, const AttendanceLimits& limits,
                 const FieldPath& field, Utf8 utf8);

// A free or identifying text value: "" gives nullopt; otherwise checks UTF-8 and the bound
// for `kind`.
Result<std::optional<std::string>> TextValue(std::string_view text, TextKind kind,
                                             const AttendanceLimits& limits,
                                             const FieldPath& field);

// An enumeration value by exact slug; fails with "invalid_enum" naming `field`.
template <typename Enum>
Result<Enum> EnumValue(std::string_view text, const FieldPath& field) {
  std::optional<Enum> value = domain::FromSlug<Enum>(text);
  if (!value) {
    std::string expected;
    for (std::string_view slug : domain::AllSlugs<Enum>()) {
      if (!expected.empty()) expected += ", ";
      expected += slug;
    }
    return InvalidArgument(std::string(reason::kInvalidEnum), "expected one of: " + expected,
                           field.ToString());
  }
  return *value;
}

// Sex also takes the link aliases ("F", "M", any case), because ED systems send them.
Result<domain::Sex> SexValue(std::string_view text, const FieldPath& field);

Result<Timestamp> TimestampValue(std::string_view text, const FieldPath& field);
Result<std::chrono::year_month_day> DateValue(std::string_view text, const FieldPath& field);

// A recorded NHS number: an invalid one is kept unverified, with a warning.
domain::RecordedNhsNumber NhsNumberValue(std::string_view text, const FieldPath& field,
                                         RowWarnings& warnings);

// Observations are kept to two decimal places, so that a value survives any text round trip
// (and clinically, more precision means nothing). Fails "out_of_range" outside [low, high].
Result<double> ObservationValue(double value, double low, double high, const FieldPath& field);

// Checks that hold across fields once a row is decoded (birth date against arrival).
void CheckAttendance(const domain::Attendance& attendance, RowWarnings& warnings);

// Writes `text` as a JSON string literal (with quotes) onto `out`.
void AppendJsonString(std::string_view text, std::string& out);
// Shortest text that reads back as the same double (std::to_chars).
void AppendDouble(double value, std::string& out);

}  // namespace liaison::ingest
