#include "ingest/attendance_json.h"

#include <array>
#include <cstdint>
#include <exception>
#include <initializer_list>

#include <boost/json.hpp>

#include "common/time_format.h"

namespace liaison::ingest {
namespace {

namespace json = boost::json;
using domain::Attendance;

// The JSON pointer of the whole row, parent of the top-level members.
const FieldPath kRow;

Status WrongType(const FieldPath& field, std::string_view expected) {
  return InvalidArgument(std::string(reason::kInvalidType), "expected " + std::string(expected),
                         field.ToString());
}

// Walks a parsed document into an Attendance. Holds references only; lives for one Decode.
class Walker {
 public:
  Walker(const AttendanceLimits& limits, RowWarnings& warnings)
      : limits_(limits), warnings_(warnings) {}

  Status Read(const json::object& root, Attendance& out);

 private:
  // The member's value, or nullptr when it is missing, null or "" (all "not provided").
  static const json::value* Provided(const json::object& object, std::string_view key) {
    const json::value* value = object.if_contains(key);
    if (value == nullptr || value->is_null()) return nullptr;
    if (value->is_string() && value->get_string().empty()) return nullptr;
    return value;
  }

  void WarnUnknown(const json::object& object, const FieldPath& parent,
                   std::initializer_list<std::string_view> known) {
    for (const json::key_value_pair& member : object) {
      bool found = false;
      for (std::string_view name : known) {
        if (member.key() == name) {
          found = true;
          break;
        }
      }
      if (!found)
        warnings_.Add(FieldPath::Member(parent, member.key()).ToString(), reason::kUnknownField);
    }
  }

  Status Text(const json::object& object, std::string_view key, const FieldPath& parent,
              TextKind kind, std::optional<std::string>& out) {
    const json::value* value = Provided(object, key);
    if (value == nullptr) return Status::Ok();
    const FieldPath field = FieldPath::Member(parent, key);
    if (!value->is_string()) return WrongType(field, "a string");
    const json::string& text = value->get_string();
    ASSIGN_OR_RETURN(out,
                     TextValue(std::string_view(text.data(), text.size()), kind, limits_, field));
    return Status::Ok();
  }

  Status RequiredText(const json::object& object, std::string_view key, TextKind kind,
                      std::string& out) {
    std::optional<std::string> text;
    RETURN_IF_ERROR(Text(object, key, kRow, kind, text));
    if (!text) {
      return InvalidArgument(std::string(reason::kMissingField), "this field is required",
                             FieldPath::Member(kRow, key).ToString());
    }
    out = std::move(*text);
    return Status::Ok();
  }

  // A string member whose text is then parsed by `parse(text, field)`.
  template <typename T, typename Parse>
  Status Parsed(const json::object& object, std::string_view key, const FieldPath& parent,
                std::optional<T>& out, Parse parse) {
    const json::value* value = Provided(object, key);
    if (value == nullptr) return Status::Ok();
    const FieldPath field = FieldPath::Member(parent, key);
    if (!value->is_string()) return WrongType(field, "a string");
    const json::string& text = value->get_string();
    ASSIGN_OR_RETURN(T parsed, parse(std::string_view(text.data(), text.size()), field));
    out = std::move(parsed);
    return Status::Ok();
  }

  template <typename Enum>
  Status EnumMember(const json::object& object, std::string_view key, const FieldPath& parent,
                    std::optional<Enum>& out) {
    return Parsed(object, key, parent, out, [](std::string_view text, const FieldPath& field) {
      return EnumValue<Enum>(text, field);
    });
  }

  Status TimestampMember(const json::object& object, std::string_view key, const FieldPath& parent,
                         std::optional<Timestamp>& out) {
    return Parsed(object, key, parent, out, TimestampValue);
  }

  Status DateMember(const json::object& object, std::string_view key, const FieldPath& parent,
                    std::optional<std::chrono::year_month_day>& out) {
    return Parsed(object, key, parent, out, DateValue);
  }

  Status NhsMember(const json::object& object, std::string_view key, const FieldPath& parent,
                   std::optional<domain::RecordedNhsNumber>& out) {
    return Parsed(object, key, parent, out, [this](std::string_view text, const FieldPath& field) {
      if (text.size() > limits_.max_identifier_bytes) {
        return Result<domain::RecordedNhsNumber>(
            InvalidArgument(std::string(reason::kTooLong),
                            "the value is too long for an NHS number", field.ToString()));
      }
      return Result<domain::RecordedNhsNumber>(NhsNumberValue(text, field, warnings_));
    });
  }

  Status Bool(const json::object& object, std::string_view key, const FieldPath& parent,
              std::optional<bool>& out) {
    const json::value* value = Provided(object, key);
    if (value == nullptr) return Status::Ok();
    if (!value->is_bool()) return WrongType(FieldPath::Member(parent, key), "true or false");
    out = value->get_bool();
    return Status::Ok();
  }

  Status Number(const json::object& object, std::string_view key, const FieldPath& parent,
                double low, double high, std::optional<double>& out) {
    const json::value* value = Provided(object, key);
    if (value == nullptr) return Status::Ok();
    const FieldPath field = FieldPath::Member(parent, key);
    if (!value->is_number()) return WrongType(field, "a number");
    ASSIGN_OR_RETURN(out, ObservationValue(value->to_number<double>(), low, high, field));
    return Status::Ok();
  }

  Status Count(const json::object& object, std::string_view key, const FieldPath& parent,
               std::optional<int>& out) {
    const json::value* value = Provided(object, key);
    if (value == nullptr) return Status::Ok();
    const FieldPath field = FieldPath::Member(parent, key);
    constexpr std::int64_t kMaxCount = 10000;
    std::int64_t count = 0;
    if (value->is_int64()) {
      count = value->get_int64();
    } else if (value->is_uint64()) {
      count = kMaxCount + 1;  // only values beyond int64 land here
    } else {
      return WrongType(field, "a whole number");
    }
    if (count < 1 || count > kMaxCount) {
      return InvalidArgument(std::string(reason::kOutOfRange), "expected a count from 1 to 10000",
                             field.ToString());
    }
    out = static_cast<int>(count);
    return Status::Ok();
  }

  // The member as an object, or nullptr when not provided.
  Result<const json::object*> Object(const json::object& object, std::string_view key,
                                     const FieldPath& parent) {
    const json::value* value = Provided(object, key);
    if (value == nullptr) return static_cast<const json::object*>(nullptr);
    if (!value->is_object()) return WrongType(FieldPath::Member(parent, key), "an object");
    return &value->get_object();
  }

  // The member as an array (bounded), or nullptr when not provided.
  Result<const json::array*> Array(const json::object& object, std::string_view key,
                                   const FieldPath& parent) {
    const json::value* value = Provided(object, key);
    if (value == nullptr) return static_cast<const json::array*>(nullptr);
    const FieldPath field = FieldPath::Member(parent, key);
    if (!value->is_array()) return WrongType(field, "an array");
    if (value->get_array().size() > limits_.max_items) {
      return InvalidArgument(std::string(reason::kTooManyItems),
                             "more than " + std::to_string(limits_.max_items) + " items",
                             field.ToString());
    }
    return &value->get_array();
  }

  // Arrays of objects: `read(object, pointer, item)` fills one item; null items are skipped.
  template <typename Item, typename ReadItem>
  Status ObjectArray(const json::object& object, std::string_view key, std::vector<Item>& out,
                     ReadItem read) {
    ASSIGN_OR_RETURN(const json::array* items, Array(object, key, kRow));
    if (items == nullptr) return Status::Ok();
    const FieldPath array = FieldPath::Member(kRow, key);
    for (std::size_t i = 0; i < items->size(); ++i) {
      const json::value& value = (*items)[i];
      if (value.is_null()) continue;
      const FieldPath pointer = FieldPath::Item(array, i);
      if (!value.is_object()) return WrongType(pointer, "an object");
      Item item;
      RETURN_IF_ERROR(read(value.get_object(), pointer, item));
      out.push_back(std::move(item));
    }
    return Status::Ok();
  }

  // Arrays of strings, each parsed by `parse(text, pointer)`; null and "" items are skipped.
  template <typename Item, typename Parse>
  Status StringArray(const json::object& object, std::string_view key, std::vector<Item>& out,
                     Parse parse) {
    ASSIGN_OR_RETURN(const json::array* items, Array(object, key, kRow));
    if (items == nullptr) return Status::Ok();
    const FieldPath array = FieldPath::Member(kRow, key);
    for (std::size_t i = 0; i < items->size(); ++i) {
      const json::value& value = (*items)[i];
      if (value.is_null() || (value.is_string() && value.get_string().empty())) continue;
      const FieldPath pointer = FieldPath::Item(array, i);
      if (!value.is_string()) return WrongType(pointer, "a string");
      const json::string& text = value.get_string();
      ASSIGN_OR_RETURN(Item item, parse(std::string_view(text.data(), text.size()), pointer));
      out.push_back(std::move(item));
    }
    return Status::Ok();
  }

  Status ReadPatient(const json::object& object, domain::AttendancePatient& patient);
  Status ReadInjury(const json::object& object, const FieldPath& parent, domain::Injury& injury);
  Status ReadHousehold(const json::object& object, domain::Household& household);

  const AttendanceLimits& limits_;
  RowWarnings& warnings_;
};

Status Walker::ReadPatient(const json::object& object, domain::AttendancePatient& patient) {
  const FieldPath parent = FieldPath::Member(kRow, "patient");
  WarnUnknown(object, parent,
              {"local_id", "nhs_number", "given_name", "family_name", "birth_date", "sex",
               "postcode", "pregnant"});
  RETURN_IF_ERROR(Text(object, "local_id", parent, TextKind::kIdentifier, patient.local_id));
  RETURN_IF_ERROR(NhsMember(object, "nhs_number", parent, patient.nhs_number));
  RETURN_IF_ERROR(Text(object, "given_name", parent, TextKind::kName, patient.given_name));
  RETURN_IF_ERROR(Text(object, "family_name", parent, TextKind::kName, patient.family_name));
  RETURN_IF_ERROR(DateMember(object, "birth_date", parent, patient.birth_date));
  RETURN_IF_ERROR(Parsed(object, "sex", parent, patient.sex, SexValue));
  RETURN_IF_ERROR(Text(object, "postcode", parent, TextKind::kIdentifier, patient.postcode));
  RETURN_IF_ERROR(Bool(object, "pregnant", parent, patient.pregnant));
  return Status::Ok();
}

Status Walker::ReadInjury(const json::object& object, const FieldPath& parent,
                          domain::Injury& injury) {
  WarnUnknown(object, parent, {"type", "site", "pattern", "count"});
  RETURN_IF_ERROR(EnumMember(object, "type", parent, injury.type));
  RETURN_IF_ERROR(Text(object, "site", parent, TextKind::kName, injury.site));
  RETURN_IF_ERROR(Text(object, "pattern", parent, TextKind::kName, injury.pattern));
  RETURN_IF_ERROR(Count(object, "count", parent, injury.count));
  return Status::Ok();
}

Status Walker::ReadHousehold(const json::object& object, domain::Household& household) {
  const FieldPath parent = FieldPath::Member(kRow, "household");
  WarnUnknown(object, parent, {"recorded", "children", "unborn"});
  RETURN_IF_ERROR(Bool(object, "recorded", parent, household.recorded));
  RETURN_IF_ERROR(Bool(object, "unborn", parent, household.unborn));
  ASSIGN_OR_RETURN(const json::array* children, Array(object, "children", parent));
  if (children == nullptr) return Status::Ok();
  const FieldPath children_path = FieldPath::Member(parent, "children");
  for (std::size_t i = 0; i < children->size(); ++i) {
    const json::value& value = (*children)[i];
    if (value.is_null()) continue;
    const FieldPath pointer = FieldPath::Item(children_path, i);
    if (!value.is_object()) return WrongType(pointer, "an object");
    const json::object& child_object = value.get_object();
    WarnUnknown(child_object, pointer, {"given_name", "family_name", "birth_date", "nhs_number"});
    domain::HouseholdChild child;
    RETURN_IF_ERROR(Text(child_object, "given_name", pointer, TextKind::kName, child.given_name));
    RETURN_IF_ERROR(Text(child_object, "family_name", pointer, TextKind::kName, child.family_name));
    RETURN_IF_ERROR(DateMember(child_object, "birth_date", pointer, child.birth_date));
    RETURN_IF_ERROR(NhsMember(child_object, "nhs_number", pointer, child.nhs_number));
    household.children.push_back(std::move(child));
  }
  return Status::Ok();
}

Status Walker::Read(const json::object& root, Attendance& out) {
  WarnUnknown(root, kRow,
              {"attendance_id", "site", "arrival", "patient", "department", "mobility",
               "presenting_complaint", "injury", "injuries", "diagnoses", "explanation",
               "substances", "concerns", "notes", "safeguarding_concern_codes", "household",
               "discharge", "screening", "observations"});
  RETURN_IF_ERROR(RequiredText(root, "attendance_id", TextKind::kIdentifier, out.attendance_id));
  RETURN_IF_ERROR(RequiredText(root, "site", TextKind::kIdentifier, out.site));
  std::optional<Timestamp> arrival;
  RETURN_IF_ERROR(TimestampMember(root, "arrival", kRow, arrival));
  if (!arrival) {
    return InvalidArgument(std::string(reason::kMissingField), "this field is required",
                           "/arrival");
  }
  out.arrival = *arrival;
  ASSIGN_OR_RETURN(const json::object* patient, Object(root, "patient", kRow));
  if (patient == nullptr) {
    return InvalidArgument(std::string(reason::kMissingField), "this field is required",
                           "/patient");
  }
  RETURN_IF_ERROR(ReadPatient(*patient, out.patient));

  RETURN_IF_ERROR(EnumMember(root, "department", kRow, out.department));
  RETURN_IF_ERROR(EnumMember(root, "mobility", kRow, out.mobility));
  RETURN_IF_ERROR(
      Text(root, "presenting_complaint", kRow, TextKind::kFreeText, out.presenting_complaint));

  ASSIGN_OR_RETURN(const json::object* injury, Object(root, "injury", kRow));
  if (injury != nullptr) {
    const FieldPath parent = FieldPath::Member(kRow, "injury");
    WarnUnknown(*injury, parent, {"datetime", "intent", "mechanism", "place"});
    RETURN_IF_ERROR(TimestampMember(*injury, "datetime", parent, out.injury.datetime));
    RETURN_IF_ERROR(EnumMember(*injury, "intent", parent, out.injury.intent));
    RETURN_IF_ERROR(Text(*injury, "mechanism", parent, TextKind::kFreeText, out.injury.mechanism));
    RETURN_IF_ERROR(EnumMember(*injury, "place", parent, out.injury.place));
  }

  RETURN_IF_ERROR(
      ObjectArray(root, "injuries", out.injuries,
                  [this](const json::object& object, const FieldPath& pointer,
                         domain::Injury& item) { return ReadInjury(object, pointer, item); }));
  RETURN_IF_ERROR(ObjectArray(
      root, "diagnoses", out.diagnoses,
      [this](const json::object& object, const FieldPath& pointer, domain::Diagnosis& item) {
        WarnUnknown(object, pointer, {"system", "code", "display"});
        RETURN_IF_ERROR(EnumMember(object, "system", pointer, item.system));
        RETURN_IF_ERROR(Text(object, "code", pointer, TextKind::kIdentifier, item.code));
        RETURN_IF_ERROR(Text(object, "display", pointer, TextKind::kName, item.display));
        return Status::Ok();
      }));

  std::optional<domain::Explanation> explanation;
  RETURN_IF_ERROR(EnumMember(root, "explanation", kRow, explanation));
  out.explanation = explanation.value_or(domain::Explanation::kNotRecorded);

  RETURN_IF_ERROR(StringArray(root, "substances", out.substances, EnumValue<domain::Substance>));
  RETURN_IF_ERROR(StringArray(root, "concerns", out.concerns, EnumValue<domain::Concern>));
  RETURN_IF_ERROR(Text(root, "notes", kRow, TextKind::kFreeText, out.notes));
  RETURN_IF_ERROR(
      StringArray(root, "safeguarding_concern_codes", out.safeguarding_concern_codes,
                  [this](std::string_view text, const FieldPath& pointer) -> Result<std::string> {
                    // Empty items were skipped, so the value is present.
                    ASSIGN_OR_RETURN(std::optional<std::string> code,
                                     TextValue(text, TextKind::kIdentifier, limits_, pointer));
                    return std::move(code).value_or(std::string());
                  }));

  ASSIGN_OR_RETURN(const json::object* household, Object(root, "household", kRow));
  if (household != nullptr) RETURN_IF_ERROR(ReadHousehold(*household, out.household));

  ASSIGN_OR_RETURN(const json::object* discharge, Object(root, "discharge", kRow));
  if (discharge != nullptr) {
    const FieldPath parent = FieldPath::Member(kRow, "discharge");
    WarnUnknown(*discharge, parent, {"datetime", "status"});
    RETURN_IF_ERROR(TimestampMember(*discharge, "datetime", parent, out.discharge.datetime));
    RETURN_IF_ERROR(EnumMember(*discharge, "status", parent, out.discharge.status));
  }

  ASSIGN_OR_RETURN(const json::object* screening, Object(root, "screening", kRow));
  if (screening != nullptr) {
    const FieldPath parent = FieldPath::Member(kRow, "screening");
    domain::Screening& s = out.screening;
    WarnUnknown(
        *screening, parent,
        {"history_consistent", "delay_in_seeking_help", "injury_fits_development",
         "interaction_appropriate", "examination_consistent", "other_concerns", "not_done_reason"});
    RETURN_IF_ERROR(Bool(*screening, "history_consistent", parent, s.history_consistent));
    RETURN_IF_ERROR(Bool(*screening, "delay_in_seeking_help", parent, s.delay_in_seeking_help));
    RETURN_IF_ERROR(Bool(*screening, "injury_fits_development", parent, s.injury_fits_development));
    RETURN_IF_ERROR(Bool(*screening, "interaction_appropriate", parent, s.interaction_appropriate));
    RETURN_IF_ERROR(Bool(*screening, "examination_consistent", parent, s.examination_consistent));
    RETURN_IF_ERROR(Bool(*screening, "other_concerns", parent, s.other_concerns));
    RETURN_IF_ERROR(
        Text(*screening, "not_done_reason", parent, TextKind::kFreeText, s.not_done_reason));
  }

  ASSIGN_OR_RETURN(const json::object* observations, Object(root, "observations", kRow));
  if (observations != nullptr) {
    const FieldPath parent = FieldPath::Member(kRow, "observations");
    domain::Observations& o = out.observations;
    WarnUnknown(*observations, parent,
                {"temperature_c", "haemoglobin_g_dl", "head_circumference_centile"});
    RETURN_IF_ERROR(Number(*observations, "temperature_c", parent, 10, 50, o.temperature_c));
    RETURN_IF_ERROR(Number(*observations, "haemoglobin_g_dl", parent, 0, 30, o.haemoglobin_g_dl));
    RETURN_IF_ERROR(Number(*observations, "head_circumference_centile", parent, 0, 100,
                           o.head_circumference_centile));
  }
  return Status::Ok();
}

// Encoding helpers: each writes `,"key":value` (or `"key":value` for the first member).
class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void Open() {
    out_.push_back('{');
    first_ = true;
  }
  void Close() {
    out_.push_back('}');
    first_ = false;
  }
  void Key(std::string_view key) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_.push_back('"');
    out_.append(key);
    out_ += "\":";
  }
  void String(std::string_view key, std::string_view value) {
    Key(key);
    AppendJsonString(value, out_);
  }
  void Text(std::string_view key, const std::optional<std::string>& value) {
    if (value) String(key, *value);
  }
  template <typename EnumType>
  void Enum(std::string_view key, const std::optional<EnumType>& value) {
    if (value) String(key, domain::Slug(*value));
  }
  void Time(std::string_view key, const std::optional<Timestamp>& value) {
    if (value) String(key, FormatTimestamp(*value));
  }
  void Date(std::string_view key, const std::optional<std::chrono::year_month_day>& value) {
    if (value) String(key, FormatDate(*value));
  }
  void Nhs(std::string_view key, const std::optional<domain::RecordedNhsNumber>& value) {
    if (value) String(key, value->text);
  }
  void Bool(std::string_view key, const std::optional<bool>& value) {
    if (!value) return;
    Key(key);
    out_ += *value ? "true" : "false";
  }
  void Int(std::string_view key, const std::optional<int>& value) {
    if (!value) return;
    Key(key);
    out_ += std::to_string(*value);
  }
  void Number(std::string_view key, const std::optional<double>& value) {
    if (!value) return;
    Key(key);
    AppendDouble(*value, out_);
  }
  void BeginArray(std::string_view key) {
    Key(key);
    out_.push_back('[');
    first_ = true;
  }
  void EndArray() {
    out_.push_back(']');
    first_ = false;
  }
  // An array element: the separator only; the caller writes the value.
  void Element() {
    if (!first_) out_.push_back(',');
    first_ = false;
  }
  std::string& out() { return out_; }

 private:
  std::string& out_;
  bool first_ = true;
};

template <typename Enum>
void WriteEnumArray(Writer& writer, std::string_view key, const std::vector<Enum>& values) {
  if (values.empty()) return;
  writer.BeginArray(key);
  for (Enum value : values) {
    writer.Element();
    AppendJsonString(domain::Slug(value), writer.out());
  }
  writer.EndArray();
}

}  // namespace

struct AttendanceJsonDecoder::Impl {
  explicit Impl(AttendanceLimits limits_in)
      : limits(limits_in), parser(json::storage_ptr(), MakeOptions(limits_in)) {}

  static json::parse_options MakeOptions(const AttendanceLimits& limits) {
    json::parse_options options;
    // +1: the parser counts the root object as a level, the contract's depth does not.
    options.max_depth = limits.max_depth + 1;
    return options;
  }

  AttendanceLimits limits;
  json::parser parser;
};

AttendanceJsonDecoder::AttendanceJsonDecoder(AttendanceLimits limits)
    : impl_(std::make_unique<Impl>(limits)) {}

AttendanceJsonDecoder::~AttendanceJsonDecoder() = default;

Result<DecodedAttendance> AttendanceJsonDecoder::Decode(std::string_view json_text) {
  if (json_text.size() > impl_->limits.max_row_bytes) {
    return InvalidArgument(std::string(reason::kTooLong), "the row is longer than the limit", "");
  }
  // Boost.JSON reports allocation failure and a few internal limits by throwing: this is the
  // adapter, so nothing thrown gets past it.
  try {
    // One arena per row: the document is freed as a whole when the row is done.
    json::monotonic_resource arena;
    json::parser& parser = impl_->parser;
    parser.reset(&arena);
    boost::system::error_code error;
    // parser::write takes the whole document and fails on a truncated one.
    parser.write(json_text.data(), json_text.size(), error);
    if (error) {
      if (error == json::error::too_deep) {
        return InvalidArgument(std::string(reason::kTooDeep), "the JSON nests too deeply", "");
      }
      if (error == json::error::syntax && !IsValidUtf8(json_text)) {
        return InvalidArgument(std::string(reason::kInvalidUtf8), "the row is not valid UTF-8", "");
      }
      return InvalidArgument(std::string(reason::kInvalidJson), "the row is not valid JSON", "");
    }
    json::value root = parser.release();
    if (!root.is_object()) return WrongType(kRow, "a JSON object");
    RowWarnings warnings(impl_->limits.max_warnings_per_row);
    DecodedAttendance decoded;
    Walker walker(impl_->limits, warnings);
    RETURN_IF_ERROR(walker.Read(root.get_object(), decoded.attendance));
    CheckAttendance(decoded.attendance, warnings);
    decoded.warnings = warnings.Take();
    return decoded;
  } catch (const std::bad_alloc&) {
    return InvalidArgument(std::string(reason::kTooLong), "the row needs too much memory", "");
  } catch (const std::exception&) {
    return InvalidArgument(std::string(reason::kInvalidJson), "the row could not be parsed", "");
  }
}

Result<DecodedAttendance> DecodeAttendanceJson(std::string_view json_text) {
  AttendanceJsonDecoder decoder;
  return decoder.Decode(json_text);
}

void AppendAttendanceJson(const Attendance& attendance, std::string& out) {
  Writer w(out);
  w.Open();
  w.String("attendance_id", attendance.attendance_id);
  w.String("site", attendance.site);
  w.String("arrival", FormatTimestamp(attendance.arrival));
  w.Key("patient");
  {
    const domain::AttendancePatient& p = attendance.patient;
    w.Open();
    w.Text("local_id", p.local_id);
    w.Nhs("nhs_number", p.nhs_number);
    w.Text("given_name", p.given_name);
    w.Text("family_name", p.family_name);
    w.Date("birth_date", p.birth_date);
    w.Enum("sex", p.sex);
    w.Text("postcode", p.postcode);
    w.Bool("pregnant", p.pregnant);
    w.Close();
  }
  w.Enum("department", attendance.department);
  w.Enum("mobility", attendance.mobility);
  w.Text("presenting_complaint", attendance.presenting_complaint);
  if (!attendance.injury.empty()) {
    w.Key("injury");
    w.Open();
    w.Time("datetime", attendance.injury.datetime);
    w.Enum("intent", attendance.injury.intent);
    w.Text("mechanism", attendance.injury.mechanism);
    w.Enum("place", attendance.injury.place);
    w.Close();
  }
  if (!attendance.injuries.empty()) {
    w.BeginArray("injuries");
    for (const domain::Injury& injury : attendance.injuries) {
      w.Element();
      w.Open();
      w.Enum("type", injury.type);
      w.Text("site", injury.site);
      w.Text("pattern", injury.pattern);
      w.Int("count", injury.count);
      w.Close();
    }
    w.EndArray();
  }
  if (!attendance.diagnoses.empty()) {
    w.BeginArray("diagnoses");
    for (const domain::Diagnosis& diagnosis : attendance.diagnoses) {
      w.Element();
      w.Open();
      w.Enum("system", diagnosis.system);
      w.Text("code", diagnosis.code);
      w.Text("display", diagnosis.display);
      w.Close();
    }
    w.EndArray();
  }
  w.String("explanation", domain::Slug(attendance.explanation));
  WriteEnumArray(w, "substances", attendance.substances);
  WriteEnumArray(w, "concerns", attendance.concerns);
  w.Text("notes", attendance.notes);
  if (!attendance.safeguarding_concern_codes.empty()) {
    w.BeginArray("safeguarding_concern_codes");
    for (const std::string& code : attendance.safeguarding_concern_codes) {
      w.Element();
      AppendJsonString(code, out);
    }
    w.EndArray();
  }
  if (!attendance.household.empty()) {
    const domain::Household& h = attendance.household;
    w.Key("household");
    w.Open();
    w.Bool("recorded", h.recorded);
    if (!h.children.empty()) {
      w.BeginArray("children");
      for (const domain::HouseholdChild& child : h.children) {
        w.Element();
        w.Open();
        w.Text("given_name", child.given_name);
        w.Text("family_name", child.family_name);
        w.Date("birth_date", child.birth_date);
        w.Nhs("nhs_number", child.nhs_number);
        w.Close();
      }
      w.EndArray();
    }
    w.Bool("unborn", h.unborn);
    w.Close();
  }
  if (!attendance.discharge.empty()) {
    w.Key("discharge");
    w.Open();
    w.Time("datetime", attendance.discharge.datetime);
    w.Enum("status", attendance.discharge.status);
    w.Close();
  }
  if (!attendance.screening.empty()) {
    const domain::Screening& s = attendance.screening;
    w.Key("screening");
    w.Open();
    w.Bool("history_consistent", s.history_consistent);
    w.Bool("delay_in_seeking_help", s.delay_in_seeking_help);
    w.Bool("injury_fits_development", s.injury_fits_development);
    w.Bool("interaction_appropriate", s.interaction_appropriate);
    w.Bool("examination_consistent", s.examination_consistent);
    w.Bool("other_concerns", s.other_concerns);
    w.Text("not_done_reason", s.not_done_reason);
    w.Close();
  }
  if (!attendance.observations.empty()) {
    const domain::Observations& o = attendance.observations;
    w.Key("observations");
    w.Open();
    w.Number("temperature_c", o.temperature_c);
    w.Number("haemoglobin_g_dl", o.haemoglobin_g_dl);
    w.Number("head_circumference_centile", o.head_circumference_centile);
    w.Close();
  }
  w.Close();
}

std::string EncodeAttendanceJson(const Attendance& attendance) {
  std::string out;
  out.reserve(1024);
  AppendAttendanceJson(attendance, out);
  return out;
}

}  // namespace liaison::ingest
