#include "ingest/attendance_csv.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>
#include <set>

#include "common/time_format.h"
#include "ingest/csv_reader.h"

namespace liaison::ingest {
namespace {

using domain::Attendance;

// What one row accumulates while its cells are read. Numbered items are kept sparse by
// number and compacted at the end, so injury_3 without injury_2 is simply the second injury.
struct RowState {
  explicit RowState(const AttendanceLimits& limits_in)
      : limits(limits_in), warnings(limits_in.max_warnings_per_row) {}

  const AttendanceLimits& limits;
  RowWarnings warnings;
  Attendance attendance;
  bool has_arrival = false;
  std::vector<std::optional<domain::Injury>> injuries;
  std::vector<std::optional<domain::Diagnosis>> diagnoses;
  std::vector<std::optional<domain::HouseholdChild>> children;
};

template <typename Item>
Item& Slot(std::vector<std::optional<Item>>& items, int index) {
  if (items.size() <= static_cast<std::size_t>(index)) items.resize(index + 1);
  if (!items[index]) items[index].emplace();
  return *items[index];
}

template <typename Item>
std::vector<Item> Compact(std::vector<std::optional<Item>>& items) {
  std::vector<Item> out;
  for (std::optional<Item>& item : items) {
    if (item) out.push_back(std::move(*item));
  }
  return out;
}

// Cell readers: `value` is never empty here (empty cells are skipped before).
Status SetText(std::optional<std::string>& target, std::string_view value, TextKind kind,
               RowState& row, const std::string& column) {
  ASSIGN_OR_RETURN(target, TextValue(value, kind, row.limits, column));
  return Status::Ok();
}

template <typename Enum>
Status SetEnum(std::optional<Enum>& target, std::string_view value, const std::string& column) {
  ASSIGN_OR_RETURN(target, EnumValue<Enum>(value, column));
  return Status::Ok();
}

Status SetBool(std::optional<bool>& target, std::string_view value, const std::string& column) {
  std::string lower(value);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "true" || lower == "yes" || lower == "y" || lower == "1") {
    target = true;
  } else if (lower == "false" || lower == "no" || lower == "n" || lower == "0") {
    target = false;
  } else {
    return InvalidArgument(std::string(reason::kInvalidBoolean), "expected true or false", column);
  }
  return Status::Ok();
}

Status SetTime(std::optional<Timestamp>& target, std::string_view value,
               const std::string& column) {
  ASSIGN_OR_RETURN(target, TimestampValue(value, column));
  return Status::Ok();
}

Status SetDate(std::optional<std::chrono::year_month_day>& target, std::string_view value,
               const std::string& column) {
  ASSIGN_OR_RETURN(target, DateValue(value, column));
  return Status::Ok();
}

Status SetNhs(std::optional<domain::RecordedNhsNumber>& target, std::string_view value,
              RowState& row, const std::string& column) {
  if (value.size() > row.limits.max_identifier_bytes) {
    return InvalidArgument(std::string(reason::kTooLong), "the value is too long", column);
  }
  if (!IsValidUtf8(value)) {
    return InvalidArgument(std::string(reason::kInvalidUtf8), "the value is not valid UTF-8",
                           column);
  }
  target = NhsNumberValue(value, column, row.warnings);
  return Status::Ok();
}

Status SetNumber(std::optional<double>& target, std::string_view value, double low, double high,
                 const std::string& column) {
  double number = 0;
  std::from_chars_result result =
      std::from_chars(value.data(), value.data() + value.size(), number);
  if (result.ec != std::errc() || result.ptr != value.data() + value.size()) {
    return InvalidArgument(std::string(reason::kInvalidNumber), "expected a number", column);
  }
  ASSIGN_OR_RETURN(target, ObservationValue(number, low, high, column));
  return Status::Ok();
}

Status SetCount(std::optional<int>& target, std::string_view value, const std::string& column) {
  long long number = 0;
  std::from_chars_result result =
      std::from_chars(value.data(), value.data() + value.size(), number);
  if (result.ec == std::errc::result_out_of_range)
    number = -1;
  else if (result.ec != std::errc() || result.ptr != value.data() + value.size()) {
    return InvalidArgument(std::string(reason::kInvalidNumber), "expected a whole number", column);
  }
  if (number < 1 || number > 10000) {
    return InvalidArgument(std::string(reason::kOutOfRange), "expected a count from 1 to 10000",
                           column);
  }
  target = static_cast<int>(number);
  return Status::Ok();
}

// A ';'-separated list; blank items are skipped.
template <typename Item, typename Parse>
Status SetList(std::vector<Item>& target, std::string_view value, const RowState& row,
               const std::string& column, Parse parse) {
  while (!value.empty()) {
    std::size_t end = value.find(';');
    std::string_view item = value.substr(0, end);
    value = end == std::string_view::npos ? std::string_view() : value.substr(end + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.empty()) continue;
    if (target.size() >= row.limits.max_items) {
      return InvalidArgument(std::string(reason::kTooManyItems), "too many items", column);
    }
    ASSIGN_OR_RETURN(Item parsed, parse(item, column));
    target.push_back(std::move(parsed));
  }
  return Status::Ok();
}

// Cell writers: append the cell text (nothing when not provided).
void CellText(const std::optional<std::string>& value, std::string& out) {
  if (value) AppendCsvField(*value, out);
}
template <typename Enum>
void CellEnum(const std::optional<Enum>& value, std::string& out) {
  if (value) out.append(domain::Slug(*value));
}
void CellBool(const std::optional<bool>& value, std::string& out) {
  if (value) out += *value ? "true" : "false";
}
void CellTime(const std::optional<Timestamp>& value, std::string& out) {
  if (value) out += FormatTimestamp(*value);
}
void CellDate(const std::optional<std::chrono::year_month_day>& value, std::string& out) {
  if (value) out += FormatDate(*value);
}
void CellNhs(const std::optional<domain::RecordedNhsNumber>& value, std::string& out) {
  if (value) AppendCsvField(value->text, out);
}
void CellNumber(const std::optional<double>& value, std::string& out) {
  if (value) AppendDouble(*value, out);
}
template <typename Item>
void CellList(const std::vector<Item>& values, std::string& out) {
  std::string joined;
  for (const Item& value : values) {
    if (!joined.empty()) joined.push_back(';');
    if constexpr (std::is_same_v<Item, std::string>) {
      joined += value;
    } else {
      joined += domain::Slug(value);
    }
  }
  AppendCsvField(joined, out);
}

using Setter = Status (*)(RowState&, std::string_view, const std::string&);
using Getter = void (*)(const Attendance&, std::string&);

struct SimpleColumn {
  std::string_view name;
  Setter set;
  Getter get;
};

// The fixed columns, in the order a writer emits them. Numbered groups follow injury_event
// fields, then the remaining fields (see kTailColumns).
const SimpleColumn kHeadColumns[] = {
    {"attendance_id",
     [](RowState& r, std::string_view v, const std::string& c) {
       std::optional<std::string> text;
       RETURN_IF_ERROR(SetText(text, v, TextKind::kIdentifier, r, c));
       r.attendance.attendance_id = std::move(*text);
       return Status::Ok();
     },
     [](const Attendance& a, std::string& out) { AppendCsvField(a.attendance_id, out); }},
    {"site",
     [](RowState& r, std::string_view v, const std::string& c) {
       std::optional<std::string> text;
       RETURN_IF_ERROR(SetText(text, v, TextKind::kIdentifier, r, c));
       r.attendance.site = std::move(*text);
       return Status::Ok();
     },
     [](const Attendance& a, std::string& out) { AppendCsvField(a.site, out); }},
    {"arrival",
     [](RowState& r, std::string_view v, const std::string& c) {
       std::optional<Timestamp> at;
       RETURN_IF_ERROR(SetTime(at, v, c));
       r.attendance.arrival = *at;
       r.has_arrival = true;
       return Status::Ok();
     },
     [](const Attendance& a, std::string& out) { out += FormatTimestamp(a.arrival); }},
    {"patient_local_id",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetText(r.attendance.patient.local_id, v, TextKind::kIdentifier, r, c);
     },
     [](const Attendance& a, std::string& out) { CellText(a.patient.local_id, out); }},
    {"patient_nhs_number",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetNhs(r.attendance.patient.nhs_number, v, r, c);
     },
     [](const Attendance& a, std::string& out) { CellNhs(a.patient.nhs_number, out); }},
    {"patient_given_name",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetText(r.attendance.patient.given_name, v, TextKind::kName, r, c);
     },
     [](const Attendance& a, std::string& out) { CellText(a.patient.given_name, out); }},
    {"patient_family_name",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetText(r.attendance.patient.family_name, v, TextKind::kName, r, c);
     },
     [](const Attendance& a, std::string& out) { CellText(a.patient.family_name, out); }},
    {"patient_birth_date",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetDate(r.attendance.patient.birth_date, v, c);
     },
     [](const Attendance& a, std::string& out) { CellDate(a.patient.birth_date, out); }},
    {"patient_sex",
     [](RowState& r, std::string_view v, const std::string& c) {
       ASSIGN_OR_RETURN(r.attendance.patient.sex, SexValue(v, c));
       return Status::Ok();
     },
     [](const Attendance& a, std::string& out) { CellEnum(a.patient.sex, out); }},
    {"patient_postcode",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetText(r.attendance.patient.postcode, v, TextKind::kIdentifier, r, c);
     },
     [](const Attendance& a, std::string& out) { CellText(a.patient.postcode, out); }},
    {"patient_pregnant",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetBool(r.attendance.patient.pregnant, v, c);
     },
     [](const Attendance& a, std::string& out) { CellBool(a.patient.pregnant, out); }},
    {"department",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetEnum(r.attendance.department, v, c);
     },
     [](const Attendance& a, std::string& out) { CellEnum(a.department, out); }},
    {"mobility",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetEnum(r.attendance.mobility, v, c);
     },
     [](const Attendance& a, std::string& out) { CellEnum(a.mobility, out); }},
    {"presenting_complaint",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetText(r.attendance.presenting_complaint, v, TextKind::kFreeText, r, c);
     },
     [](const Attendance& a, std::string& out) { CellText(a.presenting_complaint, out); }},
    {"injury_datetime",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetTime(r.attendance.injury.datetime, v, c);
     },
     [](const Attendance& a, std::string& out) { CellTime(a.injury.datetime, out); }},
    {"injury_intent",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetEnum(r.attendance.injury.intent, v, c);
     },
     [](const Attendance& a, std::string& out) { CellEnum(a.injury.intent, out); }},
    {"injury_mechanism",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetText(r.attendance.injury.mechanism, v, TextKind::kFreeText, r, c);
     },
     [](const Attendance& a, std::string& out) { CellText(a.injury.mechanism, out); }},
    {"injury_place",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetEnum(r.attendance.injury.place, v, c);
     },
     [](const Attendance& a, std::string& out) { CellEnum(a.injury.place, out); }},
};

const SimpleColumn kTailColumns[] = {
    {"explanation",
     [](RowState& r, std::string_view v, const std::string& c) {
       ASSIGN_OR_RETURN(r.attendance.explanation, EnumValue<domain::Explanation>(v, c));
       return Status::Ok();
     },
     [](const Attendance& a, std::string& out) { out += domain::Slug(a.explanation); }},
    {"substances",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetList(r.attendance.substances, v, r, c, EnumValue<domain::Substance>);
     },
     [](const Attendance& a, std::string& out) { CellList(a.substances, out); }},
    {"concerns",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetList(r.attendance.concerns, v, r, c, EnumValue<domain::Concern>);
     },
     [](const Attendance& a, std::string& out) { CellList(a.concerns, out); }},
    {"notes",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetText(r.attendance.notes, v, TextKind::kFreeText, r, c);
     },
     [](const Attendance& a, std::string& out) { CellText(a.notes, out); }},
    {"safeguarding_concern_codes",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetList(
           r.attendance.safeguarding_concern_codes, v, r, c,
           [&r](std::string_view item, const std::string& column) -> Result<std::string> {
             ASSIGN_OR_RETURN(std::optional<std::string> code,
                              TextValue(item, TextKind::kIdentifier, r.limits, column));
             return std::move(code).value_or(std::string());
           });
     },
     [](const Attendance& a, std::string& out) { CellList(a.safeguarding_concern_codes, out); }},
    {"household_recorded",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetBool(r.attendance.household.recorded, v, c);
     },
     [](const Attendance& a, std::string& out) { CellBool(a.household.recorded, out); }},
    {"household_unborn",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetBool(r.attendance.household.unborn, v, c);
     },
     [](const Attendance& a, std::string& out) { CellBool(a.household.unborn, out); }},
    {"discharge_datetime",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetTime(r.attendance.discharge.datetime, v, c);
     },
     [](const Attendance& a, std::string& out) { CellTime(a.discharge.datetime, out); }},
    {"discharge_status",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetEnum(r.attendance.discharge.status, v, c);
     },
     [](const Attendance& a, std::string& out) { CellEnum(a.discharge.status, out); }},
    {"screening_history_consistent",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetBool(r.attendance.screening.history_consistent, v, c);
     },
     [](const Attendance& a, std::string& out) { CellBool(a.screening.history_consistent, out); }},
    {"screening_delay_in_seeking_help",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetBool(r.attendance.screening.delay_in_seeking_help, v, c);
     },
     [](const Attendance& a, std::string& out) {
       CellBool(a.screening.delay_in_seeking_help, out);
     }},
    {"screening_injury_fits_development",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetBool(r.attendance.screening.injury_fits_development, v, c);
     },
     [](const Attendance& a, std::string& out) {
       CellBool(a.screening.injury_fits_development, out);
     }},
    {"screening_interaction_appropriate",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetBool(r.attendance.screening.interaction_appropriate, v, c);
     },
     [](const Attendance& a, std::string& out) {
       CellBool(a.screening.interaction_appropriate, out);
     }},
    {"screening_examination_consistent",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetBool(r.attendance.screening.examination_consistent, v, c);
     },
     [](const Attendance& a, std::string& out) {
       CellBool(a.screening.examination_consistent, out);
     }},
    {"screening_other_concerns",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetBool(r.attendance.screening.other_concerns, v, c);
     },
     [](const Attendance& a, std::string& out) { CellBool(a.screening.other_concerns, out); }},
    {"screening_not_done_reason",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetText(r.attendance.screening.not_done_reason, v, TextKind::kFreeText, r, c);
     },
     [](const Attendance& a, std::string& out) { CellText(a.screening.not_done_reason, out); }},
    {"observation_temperature_c",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetNumber(r.attendance.observations.temperature_c, v, 10, 50, c);
     },
     [](const Attendance& a, std::string& out) { CellNumber(a.observations.temperature_c, out); }},
    {"observation_haemoglobin_g_dl",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetNumber(r.attendance.observations.haemoglobin_g_dl, v, 0, 30, c);
     },
     [](const Attendance& a, std::string& out) {
       CellNumber(a.observations.haemoglobin_g_dl, out);
     }},
    {"observation_head_circumference_centile",
     [](RowState& r, std::string_view v, const std::string& c) {
       return SetNumber(r.attendance.observations.head_circumference_centile, v, 0, 100, c);
     },
     [](const Attendance& a, std::string& out) {
       CellNumber(a.observations.head_circumference_centile, out);
     }},
};

enum class Group { kInjury, kDiagnosis, kHouseholdChild };

using ItemSetter = Status (*)(RowState&, int, std::string_view, const std::string&);
using ItemGetter = void (*)(const Attendance&, int, std::string&);

struct ItemColumn {
  Group group;
  std::string_view suffix;
  ItemSetter set;
  ItemGetter get;
};

const ItemColumn kItemColumns[] = {
    {Group::kInjury, "type",
     [](RowState& r, int i, std::string_view v, const std::string& c) {
       return SetEnum(Slot(r.injuries, i).type, v, c);
     },
     [](const Attendance& a, int i, std::string& out) { CellEnum(a.injuries[i].type, out); }},
    {Group::kInjury, "site",
     [](RowState& r, int i, std::string_view v, const std::string& c) {
       return SetText(Slot(r.injuries, i).site, v, TextKind::kName, r, c);
     },
     [](const Attendance& a, int i, std::string& out) { CellText(a.injuries[i].site, out); }},
    {Group::kInjury, "pattern",
     [](RowState& r, int i, std::string_view v, const std::string& c) {
       return SetText(Slot(r.injuries, i).pattern, v, TextKind::kName, r, c);
     },
     [](const Attendance& a, int i, std::string& out) { CellText(a.injuries[i].pattern, out); }},
    {Group::kInjury, "count",
     [](RowState& r, int i, std::string_view v, const std::string& c) {
       return SetCount(Slot(r.injuries, i).count, v, c);
     },
     [](const Attendance& a, int i, std::string& out) {
       if (a.injuries[i].count) out += std::to_string(*a.injuries[i].count);
     }},
    {Group::kDiagnosis, "system",
     [](RowState& r, int i, std::string_view v, const std::string& c) {
       return SetEnum(Slot(r.diagnoses, i).system, v, c);
     },
     [](const Attendance& a, int i, std::string& out) { CellEnum(a.diagnoses[i].system, out); }},
    {Group::kDiagnosis, "code",
     [](RowState& r, int i, std::string_view v, const std::string& c) {
       return SetText(Slot(r.diagnoses, i).code, v, TextKind::kIdentifier, r, c);
     },
     [](const Attendance& a, int i, std::string& out) { CellText(a.diagnoses[i].code, out); }},
    {Group::kDiagnosis, "display",
     [](RowState& r, int i, std::string_view v, const std::string& c) {
       return SetText(Slot(r.diagnoses, i).display, v, TextKind::kName, r, c);
     },
     [](const Attendance& a, int i, std::string& out) { CellText(a.diagnoses[i].display, out); }},
    {Group::kHouseholdChild, "given_name",
     [](RowState& r, int i, std::string_view v, const std::string& c) {
       return SetText(Slot(r.children, i).given_name, v, TextKind::kName, r, c);
     },
     [](const Attendance& a, int i, std::string& out) {
       CellText(a.household.children[i].given_name, out);
     }},
    {Group::kHouseholdChild, "family_name",
     [](RowState& r, int i, std::string_view v, const std::string& c) {
       return SetText(Slot(r.children, i).family_name, v, TextKind::kName, r, c);
     },
     [](const Attendance& a, int i, std::string& out) {
       CellText(a.household.children[i].family_name, out);
     }},
    {Group::kHouseholdChild, "birth_date",
     [](RowState& r, int i, std::string_view v, const std::string& c) {
       return SetDate(Slot(r.children, i).birth_date, v, c);
     },
     [](const Attendance& a, int i, std::string& out) {
       CellDate(a.household.children[i].birth_date, out);
     }},
    {Group::kHouseholdChild, "nhs_number",
     [](RowState& r, int i, std::string_view v, const std::string& c) {
       return SetNhs(Slot(r.children, i).nhs_number, v, r, c);
     },
     [](const Attendance& a, int i, std::string& out) {
       CellNhs(a.household.children[i].nhs_number, out);
     }},
};

std::string_view GroupPrefix(Group group) {
  switch (group) {
    case Group::kInjury:
      return "injury_";
    case Group::kDiagnosis:
      return "diagnosis_";
    case Group::kHouseholdChild:
      return "household_child_";
  }
  return "";
}

constexpr int kHeadCount = static_cast<int>(std::size(kHeadColumns));
constexpr int kTailCount = static_cast<int>(std::size(kTailColumns));
// Column ids: [0, head) head columns, [head, head + tail) tail columns, then item columns.
constexpr int kItemBase = kHeadCount + kTailCount;

// "injury_12_site" -> (item column id, 11), when `name` is a numbered column.
std::optional<std::pair<int, int>> MatchItemColumn(std::string_view name, std::size_t max_items) {
  for (int k = 0; k < static_cast<int>(std::size(kItemColumns)); ++k) {
    const ItemColumn& column = kItemColumns[k];
    std::string_view prefix = GroupPrefix(column.group);
    if (!name.starts_with(prefix)) continue;
    std::string_view rest = name.substr(prefix.size());
    std::size_t underscore = rest.find('_');
    if (underscore == std::string_view::npos || rest.substr(underscore + 1) != column.suffix) {
      continue;
    }
    std::string_view digits = rest.substr(0, underscore);
    int number = 0;
    std::from_chars_result result =
        std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (result.ec != std::errc() || result.ptr != digits.data() + digits.size() ||
        digits.front() == '0' || number < 1 || static_cast<std::size_t>(number) > max_items) {
      return std::nullopt;
    }
    return std::pair{kItemBase + k, number - 1};
  }
  return std::nullopt;
}

int GroupSize(Group group, const CsvLayout& layout) {
  switch (group) {
    case Group::kInjury:
      return layout.injuries;
    case Group::kDiagnosis:
      return layout.diagnoses;
    case Group::kHouseholdChild:
      return layout.household_children;
  }
  return 0;
}

// Calls `visit(name, writer)` for every column of `layout`, in header order: `name()` gives
// the column name (built only when asked, since writing rows never needs it) and `writer`
// appends the cell of an attendance.
template <typename Visit>
void ForEachColumn(const CsvLayout& layout, Visit visit) {
  for (const SimpleColumn& column : kHeadColumns) {
    visit([&column] { return std::string(column.name); },
          [&column](const Attendance& a, std::string& out) { column.get(a, out); });
  }
  for (Group group : {Group::kInjury, Group::kDiagnosis, Group::kHouseholdChild}) {
    for (int i = 0; i < GroupSize(group, layout); ++i) {
      for (const ItemColumn& column : kItemColumns) {
        if (column.group != group) continue;
        auto name = [&column, group, i] {
          return std::string(GroupPrefix(group)) + std::to_string(i + 1) + "_" +
                 std::string(column.suffix);
        };
        visit(name, [&column, group, i](const Attendance& a, std::string& out) {
          std::size_t count = group == Group::kInjury      ? a.injuries.size()
                              : group == Group::kDiagnosis ? a.diagnoses.size()
                                                           : a.household.children.size();
          if (static_cast<std::size_t>(i) < count) column.get(a, i, out);
        });
      }
    }
  }
  for (const SimpleColumn& column : kTailColumns) {
    visit([&column] { return std::string(column.name); },
          [&column](const Attendance& a, std::string& out) { column.get(a, out); });
  }
}

}  // namespace

std::vector<std::string> AttendanceCsvColumns(const CsvLayout& layout) {
  std::vector<std::string> names;
  ForEachColumn(layout, [&names](auto name, auto) { names.push_back(name()); });
  return names;
}

std::string AttendanceCsvHeader(const CsvLayout& layout) {
  std::string line;
  for (const std::string& name : AttendanceCsvColumns(layout)) {
    if (!line.empty()) line.push_back(',');
    line += name;
  }
  line.push_back('\n');
  return line;
}

Status AppendAttendanceCsv(const Attendance& attendance, const CsvLayout& layout,
                           std::string& out) {
  if (attendance.injuries.size() > static_cast<std::size_t>(layout.injuries) ||
      attendance.diagnoses.size() > static_cast<std::size_t>(layout.diagnoses) ||
      attendance.household.children.size() > static_cast<std::size_t>(layout.household_children)) {
    return InvalidArgument(std::string(reason::kTooManyItems),
                           "the attendance has more items than the CSV layout has columns for");
  }
  bool first = true;
  ForEachColumn(layout, [&](auto, auto write) {
    if (!first) out.push_back(',');
    first = false;
    write(attendance, out);
  });
  out.push_back('\n');
  return Status::Ok();
}

Result<AttendanceCsvDecoder> AttendanceCsvDecoder::Create(std::span<const std::string_view> header,
                                                          AttendanceLimits limits) {
  AttendanceCsvDecoder decoder;
  decoder.limits_ = limits;
  std::set<std::string_view> seen;
  for (std::string_view raw : header) {
    std::string_view name = raw;
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    std::string safe_name(name.substr(0, 64));
    if (!IsValidUtf8(safe_name)) safe_name = "(column " + std::to_string(seen.size() + 1) + ")";
    if (!name.empty() && !seen.insert(name).second) {
      return InvalidArgument("duplicate_column", "a column appears twice in the header", safe_name);
    }
    Column column;
    column.name = safe_name;
    for (int k = 0; k < kHeadCount && column.id < 0; ++k) {
      if (kHeadColumns[k].name == name) column.id = k;
    }
    for (int k = 0; k < kTailCount && column.id < 0; ++k) {
      if (kTailColumns[k].name == name) column.id = kHeadCount + k;
    }
    if (column.id < 0) {
      if (std::optional<std::pair<int, int>> item = MatchItemColumn(name, limits.max_items)) {
        column.id = item->first;
        column.index = item->second;
      } else {
        decoder.header_warnings_.push_back({safe_name, std::string(reason::kUnknownField)});
      }
    }
    decoder.columns_.push_back(std::move(column));
  }
  for (std::string_view required : {"attendance_id", "site", "arrival"}) {
    if (!seen.contains(required)) {
      return InvalidArgument("missing_column", "the header has no required column",
                             std::string(required));
    }
  }
  return decoder;
}

Result<DecodedAttendance> AttendanceCsvDecoder::Decode(
    std::span<const std::string_view> fields) const {
  if (fields.size() != columns_.size()) {
    return InvalidArgument("wrong_field_count",
                           "the record has " + std::to_string(fields.size()) +
                               " fields; the header has " + std::to_string(columns_.size()),
                           "");
  }
  RowState row(limits_);
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const Column& column = columns_[i];
    if (column.id < 0 || fields[i].empty()) continue;
    if (column.id < kHeadCount) {
      RETURN_IF_ERROR(kHeadColumns[column.id].set(row, fields[i], column.name));
    } else if (column.id < kItemBase) {
      RETURN_IF_ERROR(kTailColumns[column.id - kHeadCount].set(row, fields[i], column.name));
    } else {
      RETURN_IF_ERROR(
          kItemColumns[column.id - kItemBase].set(row, column.index, fields[i], column.name));
    }
  }
  Attendance& attendance = row.attendance;
  if (attendance.attendance_id.empty()) {
    return InvalidArgument(std::string(reason::kMissingField), "this field is required",
                           "attendance_id");
  }
  if (attendance.site.empty()) {
    return InvalidArgument(std::string(reason::kMissingField), "this field is required", "site");
  }
  if (!row.has_arrival) {
    return InvalidArgument(std::string(reason::kMissingField), "this field is required", "arrival");
  }
  attendance.injuries = Compact(row.injuries);
  attendance.diagnoses = Compact(row.diagnoses);
  attendance.household.children = Compact(row.children);
  CheckAttendance(attendance, row.warnings);
  DecodedAttendance decoded;
  decoded.warnings = row.warnings.Take();
  // CheckAttendance names JSON pointers; a CSV reader names columns.
  for (FieldWarning& warning : decoded.warnings) {
    if (warning.field == "/patient/birth_date") warning.field = "patient_birth_date";
  }
  decoded.attendance = std::move(attendance);
  return decoded;
}

}  // namespace liaison::ingest
