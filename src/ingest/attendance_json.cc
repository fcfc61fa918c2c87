#include "ingest/attendance_json.h"

#include <array>
#include <cstdint>
#include <cstring>
#include <exception>
#include <optional>

#include <boost/json.hpp>
#include <simdjson.h>

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

// The members the contract knows, one enum and one name table per kind of object. Each table
// lists the names in the enum's order, which is also the contract's (and the encoder's) order.
enum class RowMember {
  kAttendanceId,
  kSite,
  kArrival,
  kPatient,
  kDepartment,
  kMobility,
  kPresentingComplaint,
  kInjury,
  kInjuries,
  kDiagnoses,
  kExplanation,
  kSubstances,
  kConcerns,
  kNotes,
  kSafeguardingConcernCodes,
  kHousehold,
  kDischarge,
  kScreening,
  kObservations,
  kCount
};
constexpr std::array<std::string_view, 19> kRowMemberNames = {"attendance_id",
                                                              "site",
                                                              "arrival",
                                                              "patient",
                                                              "department",
                                                              "mobility",
                                                              "presenting_complaint",
                                                              "injury",
                                                              "injuries",
                                                              "diagnoses",
                                                              "explanation",
                                                              "substances",
                                                              "concerns",
                                                              "notes",
                                                              "safeguarding_concern_codes",
                                                              "household",
                                                              "discharge",
                                                              "screening",
                                                              "observations"};

enum class PatientMember {
  kLocalId,
  kNhsNumber,
  kGivenName,
  kFamilyName,
  kBirthDate,
  kSex,
  kPostcode,
  kPregnant,
  kCount
};
constexpr std::array<std::string_view, 8> kPatientMemberNames = {
    "local_id",   "nhs_number", "given_name", "family_name",
    "birth_date", "sex",        "postcode",   "pregnant"};

enum class InjuryEventMember { kDatetime, kIntent, kMechanism, kPlace, kCount };
constexpr std::array<std::string_view, 4> kInjuryEventMemberNames = {"datetime", "intent",
                                                                     "mechanism", "place"};

enum class InjuryMember { kType, kSite, kPattern, kCount, kEnd };
constexpr std::array<std::string_view, 4> kInjuryMemberNames = {"type", "site", "pattern", "count"};

enum class DiagnosisMember { kSystem, kCode, kDisplay, kCount };
constexpr std::array<std::string_view, 3> kDiagnosisMemberNames = {"system", "code", "display"};

enum class HouseholdMember { kRecorded, kChildren, kUnborn, kCount };
constexpr std::array<std::string_view, 3> kHouseholdMemberNames = {"recorded", "children",
                                                                   "unborn"};

enum class ChildMember { kGivenName, kFamilyName, kBirthDate, kNhsNumber, kCount };
constexpr std::array<std::string_view, 4> kChildMemberNames = {"given_name", "family_name",
                                                               "birth_date", "nhs_number"};

enum class DischargeMember { kDatetime, kStatus, kCount };
constexpr std::array<std::string_view, 2> kDischargeMemberNames = {"datetime", "status"};

enum class ScreeningMember {
  kHistoryConsistent,
  kDelayInSeekingHelp,
  kInjuryFitsDevelopment,
  kInteractionAppropriate,
  kExaminationConsistent,
  kOtherConcerns,
  kNotDoneReason,
  kCount
};
constexpr std::array<std::string_view, 7> kScreeningMemberNames = {
    "history_consistent",      "delay_in_seeking_help",  "injury_fits_development",
    "interaction_appropriate", "examination_consistent", "other_concerns",
    "not_done_reason"};

enum class ObservationMember { kTemperatureC, kHaemoglobinGDl, kHeadCircumferenceCentile, kCount };
constexpr std::array<std::string_view, 3> kObservationMemberNames = {
    "temperature_c", "haemoglobin_g_dl", "head_circumference_centile"};

// The number of members of `Name`: its last enumerator, which is not a member. (InjuryMember
// has a member called count, so it ends with kEnd.)
template <typename Name>
constexpr std::size_t MemberCount() {
  if constexpr (requires { Name::kEnd; }) {
    return static_cast<std::size_t>(Name::kEnd);
  } else {
    return static_cast<std::size_t>(Name::kCount);
  }
}

// The walker below reads a parsed document through one of two adapters: BoostDocument (the
// reference path, Boost.JSON) and SimdDocument (the fast path, simdjson's DOM). An adapter
// names the handle types and answers the few questions the walker asks of a value. A Value
// handle converts to false when the member is missing.
struct BoostDocument {
  using Value = const json::value*;
  using Object = const json::object*;
  using Array = const json::array*;
  // The parser keeps one member per key (the last one given).
  static constexpr bool kKeepsDuplicateKeys = false;
  // Boost.JSON validates UTF-8 too, but the reference path checks each text as it always has.
  static constexpr Utf8 kStrings = Utf8::kUnchecked;

  static bool IsNull(Value value) { return value->is_null(); }
  static bool IsString(Value value) { return value->is_string(); }
  static std::string_view String(Value value) {
    const json::string& text = value->get_string();
    return {text.data(), text.size()};
  }
  static bool IsBool(Value value) { return value->is_bool(); }
  static bool Bool(Value value) { return value->get_bool(); }
  static bool IsNumber(Value value) { return value->is_number(); }
  // Sets `out` to the number; false when the adapter cannot tell exactly what the reference
  // path would read (never, for the reference path itself).
  static bool Double(Value value, double& out) {
    out = value->to_number<double>();
    return true;
  }
  static bool IsInt64(Value value) { return value->is_int64(); }
  static std::int64_t Int64(Value value) { return value->get_int64(); }
  static bool IsUint64(Value value) { return value->is_uint64(); }
  static bool IsObject(Value value) { return value->is_object(); }
  static Object AsObject(Value value) { return &value->get_object(); }
  static bool IsArray(Value value) { return value->is_array(); }
  static Array AsArray(Value value) { return &value->get_array(); }
  static std::size_t Size(Array array) { return array->size(); }

  // Calls visit(key, value) for each member, in document order.
  template <typename Visit>
  static void ForEachMember(Object object, Visit visit) {
    for (const json::key_value_pair& member : *object) visit(member.key(), &member.value());
  }
  static std::size_t CountKey(Object, std::string_view) { return 1; }
  // Calls visit(value, index) for each item until one fails; returns that failure.
  template <typename Visit>
  static Status ForEachItem(Array array, Visit visit) {
    std::size_t index = 0;
    for (const json::value& item : *array) RETURN_IF_ERROR(visit(&item, index++));
    return Status::Ok();
  }
};

struct SimdDocument {
  using Type = simdjson::dom::element_type;
  class Value {
   public:
    Value() = default;
    // Reads the type, and a string's text, once: the walker asks for them more than once (a
    // member that is "" is not provided), and each asks the tape again.
    explicit Value(simdjson::dom::element element)
        : element_(element), type_(element.type()), present_(true) {
      if (type_ == Type::STRING) string_ = element.get_string().value_unsafe();
    }
    explicit operator bool() const { return present_; }
    Type type() const { return type_; }
    std::string_view string() const { return string_; }
    const simdjson::dom::element& element() const { return element_; }

   private:
    simdjson::dom::element element_;
    Type type_ = Type::NULL_VALUE;
    bool present_ = false;
    std::string_view string_;
  };
  using Object = simdjson::dom::object;
  using Array = simdjson::dom::array;
  // simdjson keeps every member of a repeated key; the walker gives up on such rows.
  static constexpr bool kKeepsDuplicateKeys = true;
  // simdjson validates the whole row as UTF-8 and fails on an escape that is not a character
  // (a lone surrogate), so every string it gives is valid UTF-8.
  static constexpr Utf8 kStrings = Utf8::kValid;

  static bool IsNull(const Value& value) { return value.type() == Type::NULL_VALUE; }
  static bool IsString(const Value& value) { return value.type() == Type::STRING; }
  static std::string_view String(const Value& value) { return value.string(); }
  static bool IsBool(const Value& value) { return value.type() == Type::BOOL; }
  static bool Bool(const Value& value) { return value.element().get_bool().value_unsafe(); }
  static bool IsNumber(const Value& value) {
    Type type = value.type();
    return type == Type::INT64 || type == Type::UINT64 || type == Type::DOUBLE;
  }
  // Integers convert as Boost.JSON converts them. A number with a fraction or an exponent is
  // not certain: Boost.JSON's default parsing is not always correctly rounded, simdjson's is.
  static bool Double(const Value& value, double& out) {
    switch (value.type()) {
      case Type::INT64:
        out = static_cast<double>(value.element().get_int64().value_unsafe());
        return true;
      case Type::UINT64:
        out = static_cast<double>(value.element().get_uint64().value_unsafe());
        return true;
      default:
        return false;
    }
  }
  static bool IsInt64(const Value& value) { return value.type() == Type::INT64; }
  static std::int64_t Int64(const Value& value) {
    return value.element().get_int64().value_unsafe();
  }
  static bool IsUint64(const Value& value) { return value.type() == Type::UINT64; }
  static bool IsObject(const Value& value) { return value.type() == Type::OBJECT; }
  static Object AsObject(const Value& value) { return value.element().get_object().value_unsafe(); }
  static bool IsArray(const Value& value) { return value.type() == Type::ARRAY; }
  static Array AsArray(const Value& value) { return value.element().get_array().value_unsafe(); }
  static std::size_t Size(const Array& array) { return array.size(); }

  template <typename Visit>
  static void ForEachMember(const Object& object, Visit visit) {
    for (simdjson::dom::key_value_pair member : object) visit(member.key, Value(member.value));
  }
  // How many members of `object` are called `key`.
  static std::size_t CountKey(const Object& object, std::string_view key) {
    std::size_t count = 0;
    for (simdjson::dom::key_value_pair member : object) count += member.key == key ? 1 : 0;
    return count;
  }
  template <typename Visit>
  static Status ForEachItem(const Array& array, Visit visit) {
    std::size_t index = 0;
    for (simdjson::dom::element item : array) RETURN_IF_ERROR(visit(Value(item), index++));
    return Status::Ok();
  }
};

template <typename Word>
Word LoadWord(const char* bytes) {
  Word word;
  std::memcpy(&word, bytes, sizeof word);
  return word;
}

// Whether a member's key is `name`. Names are short, and most keys match the first name tried,
// so the bytes are compared in words here rather than by a call to memcmp, which took 2% of a
// sweep's time.
bool SameName(std::string_view name, std::string_view key) {
  const std::size_t size = name.size();
  if (key.size() != size) return false;
  const char* a = name.data();
  const char* b = key.data();
  if (size >= 8) {
    for (std::size_t i = 0; i + 8 <= size; i += 8) {
      if (LoadWord<std::uint64_t>(a + i) != LoadWord<std::uint64_t>(b + i)) return false;
    }
    return LoadWord<std::uint64_t>(a + size - 8) == LoadWord<std::uint64_t>(b + size - 8);
  }
  if (size >= 4) {
    return LoadWord<std::uint32_t>(a) == LoadWord<std::uint32_t>(b) &&
           LoadWord<std::uint32_t>(a + size - 4) == LoadWord<std::uint32_t>(b + size - 4);
  }
  for (std::size_t i = 0; i < size; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// One member as the walker reads it: its value, or a missing one when it is missing, null or
// "" (all "not provided"), and its path for error lines.
template <typename Doc>
struct Member {
  // Refers to the value KnownMembers holds, which outlives the member.
  const typename Doc::Value& value;
  FieldPath path;
};

// The known members of one object, found in a single pass over it. Unknown members are
// reported as the pass meets them, in document order and before any known member is read:
// the order in which a row's warnings have always been reported. A key given twice sets
// `uncertain` when the document keeps both (Boost.JSON keeps one, and its choice is the
// contract's). Borrows the object, the names and the path; lives while its object is read.
template <typename Doc, typename Name>
class KnownMembers {
 public:
  static constexpr std::size_t kSize = MemberCount<Name>();

  KnownMembers(const typename Doc::Object& object, const std::array<std::string_view, kSize>& names,
               const FieldPath& path, RowWarnings& warnings, bool& uncertain)
      : names_(names), path_(path) {
    std::size_t expected = 0;
    Doc::ForEachMember(object, [&](std::string_view key, typename Doc::Value value) {
      std::size_t index = Find(key, expected);
      if (index == kSize) {
        if (Doc::kKeepsDuplicateKeys && Doc::CountKey(object, key) > 1) uncertain = true;
        warnings.Add(FieldPath::Member(path, key).ToString(), reason::kUnknownField);
        return;
      }
      if (Doc::kKeepsDuplicateKeys && seen_[index]) uncertain = true;
      seen_[index] = true;
      // Not provided (null or "") is settled here, once, so that operator[] copies nothing.
      bool provided = !Doc::IsNull(value) && !(Doc::IsString(value) && Doc::String(value).empty());
      values_[index] = provided ? value : typename Doc::Value();
      expected = index + 1;
    });
  }

  Member<Doc> operator[](Name name) const {
    auto index = static_cast<std::size_t>(name);
    return {values_[index], FieldPath::Member(path_, names_[index])};
  }

 private:
  // The index of `key` in names_, or kSize. Feeds usually send members in the contract's
  // order, so the search starts at the name after the previous match.
  std::size_t Find(std::string_view key, std::size_t start) const {
    for (std::size_t i = start; i < kSize; ++i) {
      if (SameName(names_[i], key)) return i;
    }
    for (std::size_t i = 0; i < start && i < kSize; ++i) {
      if (SameName(names_[i], key)) return i;
    }
    return kSize;
  }

  const std::array<std::string_view, kSize>& names_;
  const FieldPath& path_;
  std::array<typename Doc::Value, kSize> values_{};
  // Which members were given, null or not: a key given twice is noticed even after a null.
  std::array<bool, kSize> seen_{};
};

// The failure the fast path gives when it cannot be certain of the reference path's answer.
// Never leaves the decoder: the row is decoded again by the reference path.
Status Uncertain() { return InvalidArgument("uncertain", "decode again", ""); }

// Walks a parsed document into an Attendance. Holds references only; lives for one Decode.
// A row's first error, in the contract's member order, is the one reported. Through
// SimdDocument, `uncertain()` after a successful Read means the result may differ from the
// reference path's and must not be used.
template <typename Doc>
class Walker {
 public:
  using Value = typename Doc::Value;
  using Object = typename Doc::Object;
  using Array = typename Doc::Array;

  Walker(const AttendanceLimits& limits, RowWarnings& warnings)
      : limits_(limits), warnings_(warnings) {}

  Status Read(const Object& root, Attendance& out);
  bool uncertain() const { return uncertain_; }

 private:
  template <typename Name>
  KnownMembers<Doc, Name> Members(const Object& object,
                                  const std::array<std::string_view, MemberCount<Name>()>& names,
                                  const FieldPath& path) {
    return KnownMembers<Doc, Name>(object, names, path, warnings_, uncertain_);
  }

  // Every reader below sets its field, or resets it when the member is not provided, so that
  // `out` need not be cleared before a row (DecodeInto reuses it, and its strings' memory).

  // The checked text of a string member (which operator[] has made sure is not "").
  Result<std::string_view> CheckedText(const Member<Doc>& member, TextKind kind) const {
    if (!Doc::IsString(member.value)) return WrongType(member.path, "a string");
    std::string_view text = Doc::String(member.value);
    RETURN_IF_ERROR(CheckText(text, kind, limits_, member.path, Doc::kStrings));
    return text;
  }

  Status Text(const Member<Doc>& member, TextKind kind, std::optional<std::string>& out) {
    if (!member.value) {
      out.reset();
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(std::string_view text, CheckedText(member, kind));
    if (out) {
      out->assign(text);
    } else {
      out.emplace(text);
    }
    return Status::Ok();
  }

  Status RequiredText(const Member<Doc>& member, TextKind kind, std::string& out) {
    if (!member.value) {
      return InvalidArgument(std::string(reason::kMissingField), "this field is required",
                             member.path.ToString());
    }
    ASSIGN_OR_RETURN(std::string_view text, CheckedText(member, kind));
    out.assign(text);
    return Status::Ok();
  }

  // A string member whose text is then parsed by `parse(text, path)`.
  template <typename T, typename Parse>
  Status Parsed(const Member<Doc>& member, std::optional<T>& out, Parse parse) {
    if (!member.value) {
      out.reset();
      return Status::Ok();
    }
    if (!Doc::IsString(member.value)) return WrongType(member.path, "a string");
    ASSIGN_OR_RETURN(T parsed, parse(Doc::String(member.value), member.path));
    out = std::move(parsed);
    return Status::Ok();
  }

  template <typename Enum>
  Status EnumMember(const Member<Doc>& member, std::optional<Enum>& out) {
    return Parsed(member, out, EnumValue<Enum>);
  }

  Status NhsMember(const Member<Doc>& member, std::optional<domain::RecordedNhsNumber>& out) {
    return Parsed(member, out, [this](std::string_view text, const FieldPath& field) {
      if (text.size() > limits_.max_identifier_bytes) {
        return Result<domain::RecordedNhsNumber>(
            InvalidArgument(std::string(reason::kTooLong),
                            "the value is too long for an NHS number", field.ToString()));
      }
      return Result<domain::RecordedNhsNumber>(NhsNumberValue(text, field, warnings_));
    });
  }

  static Status Bool(const Member<Doc>& member, std::optional<bool>& out) {
    out.reset();
    if (!member.value) return Status::Ok();
    if (!Doc::IsBool(member.value)) return WrongType(member.path, "true or false");
    out = Doc::Bool(member.value);
    return Status::Ok();
  }

  static Status Number(const Member<Doc>& member, double low, double high,
                       std::optional<double>& out) {
    out.reset();
    if (!member.value) return Status::Ok();
    if (!Doc::IsNumber(member.value)) return WrongType(member.path, "a number");
    double number = 0;
    if (!Doc::Double(member.value, number)) return Uncertain();
    ASSIGN_OR_RETURN(out, ObservationValue(number, low, high, member.path));
    return Status::Ok();
  }

  static Status Count(const Member<Doc>& member, std::optional<int>& out) {
    out.reset();
    if (!member.value) return Status::Ok();
    constexpr std::int64_t kMaxCount = 10000;
    std::int64_t count = 0;
    if (Doc::IsInt64(member.value)) {
      count = Doc::Int64(member.value);
    } else if (Doc::IsUint64(member.value)) {
      count = kMaxCount + 1;  // only values beyond int64 land here
    } else {
      return WrongType(member.path, "a whole number");
    }
    if (count < 1 || count > kMaxCount) {
      return InvalidArgument(std::string(reason::kOutOfRange), "expected a count from 1 to 10000",
                             member.path.ToString());
    }
    out = static_cast<int>(count);
    return Status::Ok();
  }

  // The member as an object, or nullopt when not provided.
  static Result<std::optional<Object>> ObjectMember(const Member<Doc>& member) {
    if (!member.value) return std::optional<Object>();
    if (!Doc::IsObject(member.value)) return WrongType(member.path, "an object");
    return std::optional<Object>(Doc::AsObject(member.value));
  }

  // Reads the member, an object, into `out` with `read`, or resets `out` when not provided (a
  // reused row keeps nothing of an earlier one).
  template <typename Value>
  Status OptionalObject(const Member<Doc>& member,
                        Status (Walker::*read)(const Object&, const FieldPath&, Value&),
                        Value& out) {
    ASSIGN_OR_RETURN(std::optional<Object> object, ObjectMember(member));
    if (!object) {
      out = {};
      return Status::Ok();
    }
    return (this->*read)(*object, member.path, out);
  }

  // The member as an array (bounded), or nullopt when not provided.
  Result<std::optional<Array>> ArrayMember(const Member<Doc>& member) const {
    if (!member.value) return std::optional<Array>();
    if (!Doc::IsArray(member.value)) return WrongType(member.path, "an array");
    Array array = Doc::AsArray(member.value);
    if (Doc::Size(array) > limits_.max_items) {
      return InvalidArgument(std::string(reason::kTooManyItems),
                             "more than " + std::to_string(limits_.max_items) + " items",
                             member.path.ToString());
    }
    return std::optional<Array>(array);
  }

  // Arrays of objects: `read(object, path, item)` fills one item; null items are skipped.
  template <typename Item, typename ReadItem>
  Status ObjectArray(const Member<Doc>& member, std::vector<Item>& out, ReadItem read) {
    out.clear();
    ASSIGN_OR_RETURN(std::optional<Array> items, ArrayMember(member));
    if (!items) return Status::Ok();
    out.reserve(Doc::Size(*items));
    return Doc::ForEachItem(*items, [&](const Value& value, std::size_t i) {
      if (Doc::IsNull(value)) return Status::Ok();
      const FieldPath path = FieldPath::Item(member.path, i);
      if (!Doc::IsObject(value)) return WrongType(path, "an object");
      return read(Doc::AsObject(value), path, out.emplace_back());
    });
  }

  // Arrays of strings, each parsed by `parse(text, path)`; null and "" items are skipped.
  template <typename Item, typename Parse>
  Status StringArray(const Member<Doc>& member, std::vector<Item>& out, Parse parse) {
    out.clear();
    ASSIGN_OR_RETURN(std::optional<Array> items, ArrayMember(member));
    if (!items) return Status::Ok();
    out.reserve(Doc::Size(*items));
    return Doc::ForEachItem(*items, [&](const Value& value, std::size_t i) {
      if (Doc::IsNull(value) || (Doc::IsString(value) && Doc::String(value).empty())) {
        return Status::Ok();
      }
      const FieldPath path = FieldPath::Item(member.path, i);
      if (!Doc::IsString(value)) return WrongType(path, "a string");
      ASSIGN_OR_RETURN(Item item, parse(Doc::String(value), path));
      out.push_back(std::move(item));
      return Status::Ok();
    });
  }

  Status ReadPatient(const Object& object, const FieldPath& path,
                     domain::AttendancePatient& patient);
  Status ReadInjuryEvent(const Object& object, const FieldPath& path, domain::InjuryEvent& injury);
  Status ReadInjury(const Object& object, const FieldPath& path, domain::Injury& injury);
  Status ReadDiagnosis(const Object& object, const FieldPath& path, domain::Diagnosis& diagnosis);
  Status ReadHousehold(const Object& object, const FieldPath& path, domain::Household& household);
  Status ReadChild(const Object& object, const FieldPath& path, domain::HouseholdChild& child);
  Status ReadDischarge(const Object& object, const FieldPath& path, domain::Discharge& discharge);
  Status ReadScreening(const Object& object, const FieldPath& path, domain::Screening& screening);
  Status ReadObservations(const Object& object, const FieldPath& path,
                          domain::Observations& observations);

  const AttendanceLimits& limits_;
  RowWarnings& warnings_;
  bool uncertain_ = false;
};

template <typename Doc>
Status Walker<Doc>::ReadPatient(const Object& object, const FieldPath& path,
                                domain::AttendancePatient& patient) {
  using enum PatientMember;
  auto members = Members<PatientMember>(object, kPatientMemberNames, path);
  RETURN_IF_ERROR(Text(members[kLocalId], TextKind::kIdentifier, patient.local_id));
  RETURN_IF_ERROR(NhsMember(members[kNhsNumber], patient.nhs_number));
  RETURN_IF_ERROR(Text(members[kGivenName], TextKind::kName, patient.given_name));
  RETURN_IF_ERROR(Text(members[kFamilyName], TextKind::kName, patient.family_name));
  RETURN_IF_ERROR(Parsed(members[kBirthDate], patient.birth_date, DateValue));
  RETURN_IF_ERROR(Parsed(members[kSex], patient.sex, SexValue));
  RETURN_IF_ERROR(Text(members[kPostcode], TextKind::kIdentifier, patient.postcode));
  RETURN_IF_ERROR(Bool(members[kPregnant], patient.pregnant));
  return Status::Ok();
}

template <typename Doc>
Status Walker<Doc>::ReadInjuryEvent(const Object& object, const FieldPath& path,
                                    domain::InjuryEvent& injury) {
  using enum InjuryEventMember;
  auto members = Members<InjuryEventMember>(object, kInjuryEventMemberNames, path);
  RETURN_IF_ERROR(Parsed(members[kDatetime], injury.datetime, TimestampValue));
  RETURN_IF_ERROR(EnumMember(members[kIntent], injury.intent));
  RETURN_IF_ERROR(Text(members[kMechanism], TextKind::kFreeText, injury.mechanism));
  RETURN_IF_ERROR(EnumMember(members[kPlace], injury.place));
  return Status::Ok();
}

template <typename Doc>
Status Walker<Doc>::ReadInjury(const Object& object, const FieldPath& path,
                               domain::Injury& injury) {
  auto members = Members<InjuryMember>(object, kInjuryMemberNames, path);
  RETURN_IF_ERROR(EnumMember(members[InjuryMember::kType], injury.type));
  RETURN_IF_ERROR(Text(members[InjuryMember::kSite], TextKind::kName, injury.site));
  RETURN_IF_ERROR(Text(members[InjuryMember::kPattern], TextKind::kName, injury.pattern));
  RETURN_IF_ERROR(Count(members[InjuryMember::kCount], injury.count));
  return Status::Ok();
}

template <typename Doc>
Status Walker<Doc>::ReadDiagnosis(const Object& object, const FieldPath& path,
                                  domain::Diagnosis& diagnosis) {
  using enum DiagnosisMember;
  auto members = Members<DiagnosisMember>(object, kDiagnosisMemberNames, path);
  RETURN_IF_ERROR(EnumMember(members[kSystem], diagnosis.system));
  RETURN_IF_ERROR(Text(members[kCode], TextKind::kIdentifier, diagnosis.code));
  RETURN_IF_ERROR(Text(members[kDisplay], TextKind::kName, diagnosis.display));
  return Status::Ok();
}

template <typename Doc>
Status Walker<Doc>::ReadHousehold(const Object& object, const FieldPath& path,
                                  domain::Household& household) {
  using enum HouseholdMember;
  auto members = Members<HouseholdMember>(object, kHouseholdMemberNames, path);
  RETURN_IF_ERROR(Bool(members[kRecorded], household.recorded));
  RETURN_IF_ERROR(Bool(members[kUnborn], household.unborn));
  return ObjectArray(
      members[kChildren], household.children,
      [this](const Object& child_object, const FieldPath& child_path,
             domain::HouseholdChild& child) { return ReadChild(child_object, child_path, child); });
}

template <typename Doc>
Status Walker<Doc>::ReadChild(const Object& object, const FieldPath& path,
                              domain::HouseholdChild& child) {
  using enum ChildMember;
  auto members = Members<ChildMember>(object, kChildMemberNames, path);
  RETURN_IF_ERROR(Text(members[kGivenName], TextKind::kName, child.given_name));
  RETURN_IF_ERROR(Text(members[kFamilyName], TextKind::kName, child.family_name));
  RETURN_IF_ERROR(Parsed(members[kBirthDate], child.birth_date, DateValue));
  RETURN_IF_ERROR(NhsMember(members[kNhsNumber], child.nhs_number));
  return Status::Ok();
}

template <typename Doc>
Status Walker<Doc>::ReadDischarge(const Object& object, const FieldPath& path,
                                  domain::Discharge& discharge) {
  using enum DischargeMember;
  auto members = Members<DischargeMember>(object, kDischargeMemberNames, path);
  RETURN_IF_ERROR(Parsed(members[kDatetime], discharge.datetime, TimestampValue));
  RETURN_IF_ERROR(EnumMember(members[kStatus], discharge.status));
  return Status::Ok();
}

template <typename Doc>
Status Walker<Doc>::ReadScreening(const Object& object, const FieldPath& path,
                                  domain::Screening& screening) {
  using enum ScreeningMember;
  auto members = Members<ScreeningMember>(object, kScreeningMemberNames, path);
  RETURN_IF_ERROR(Bool(members[kHistoryConsistent], screening.history_consistent));
  RETURN_IF_ERROR(Bool(members[kDelayInSeekingHelp], screening.delay_in_seeking_help));
  RETURN_IF_ERROR(Bool(members[kInjuryFitsDevelopment], screening.injury_fits_development));
  RETURN_IF_ERROR(Bool(members[kInteractionAppropriate], screening.interaction_appropriate));
  RETURN_IF_ERROR(Bool(members[kExaminationConsistent], screening.examination_consistent));
  RETURN_IF_ERROR(Bool(members[kOtherConcerns], screening.other_concerns));
  RETURN_IF_ERROR(Text(members[kNotDoneReason], TextKind::kFreeText, screening.not_done_reason));
  return Status::Ok();
}

template <typename Doc>
Status Walker<Doc>::ReadObservations(const Object& object, const FieldPath& path,
                                     domain::Observations& observations) {
  using enum ObservationMember;
  auto members = Members<ObservationMember>(object, kObservationMemberNames, path);
  RETURN_IF_ERROR(Number(members[kTemperatureC], 10, 50, observations.temperature_c));
  RETURN_IF_ERROR(Number(members[kHaemoglobinGDl], 0, 30, observations.haemoglobin_g_dl));
  RETURN_IF_ERROR(
      Number(members[kHeadCircumferenceCentile], 0, 100, observations.head_circumference_centile));
  return Status::Ok();
}

template <typename Doc>
Status Walker<Doc>::Read(const Object& root, Attendance& out) {
  using enum RowMember;
  auto members = Members<RowMember>(root, kRowMemberNames, kRow);
  RETURN_IF_ERROR(RequiredText(members[kAttendanceId], TextKind::kIdentifier, out.attendance_id));
  RETURN_IF_ERROR(RequiredText(members[kSite], TextKind::kIdentifier, out.site));
  std::optional<Timestamp> arrival;
  const Member<Doc> arrival_member = members[kArrival];
  RETURN_IF_ERROR(Parsed(arrival_member, arrival, TimestampValue));
  if (!arrival) {
    return InvalidArgument(std::string(reason::kMissingField), "this field is required",
                           arrival_member.path.ToString());
  }
  out.arrival = *arrival;
  const Member<Doc> patient_member = members[kPatient];
  ASSIGN_OR_RETURN(std::optional<Object> patient, ObjectMember(patient_member));
  if (!patient) {
    return InvalidArgument(std::string(reason::kMissingField), "this field is required",
                           patient_member.path.ToString());
  }
  RETURN_IF_ERROR(ReadPatient(*patient, patient_member.path, out.patient));

  RETURN_IF_ERROR(EnumMember(members[kDepartment], out.department));
  RETURN_IF_ERROR(EnumMember(members[kMobility], out.mobility));
  RETURN_IF_ERROR(
      Text(members[kPresentingComplaint], TextKind::kFreeText, out.presenting_complaint));

  const Member<Doc> injury_member = members[kInjury];
  ASSIGN_OR_RETURN(std::optional<Object> injury, ObjectMember(injury_member));
  if (injury) {
    RETURN_IF_ERROR(ReadInjuryEvent(*injury, injury_member.path, out.injury));
  } else {
    out.injury = {};
  }

  RETURN_IF_ERROR(
      ObjectArray(members[kInjuries], out.injuries,
                  [this](const Object& object, const FieldPath& path, domain::Injury& item) {
                    return ReadInjury(object, path, item);
                  }));
  RETURN_IF_ERROR(
      ObjectArray(members[kDiagnoses], out.diagnoses,
                  [this](const Object& object, const FieldPath& path, domain::Diagnosis& item) {
                    return ReadDiagnosis(object, path, item);
                  }));

  std::optional<domain::Explanation> explanation;
  RETURN_IF_ERROR(EnumMember(members[kExplanation], explanation));
  out.explanation = explanation.value_or(domain::Explanation::kNotRecorded);

  RETURN_IF_ERROR(StringArray(members[kSubstances], out.substances, EnumValue<domain::Substance>));
  RETURN_IF_ERROR(StringArray(members[kConcerns], out.concerns, EnumValue<domain::Concern>));
  RETURN_IF_ERROR(Text(members[kNotes], TextKind::kFreeText, out.notes));
  RETURN_IF_ERROR(StringArray(
      members[kSafeguardingConcernCodes], out.safeguarding_concern_codes,
      [this](std::string_view text, const FieldPath& path) -> Result<std::string> {
        // Empty items were skipped, so the value is present.
        RETURN_IF_ERROR(CheckText(text, TextKind::kIdentifier, limits_, path, Doc::kStrings));
        return std::string(text);
      }));

  RETURN_IF_ERROR(OptionalObject(members[kHousehold], &Walker::ReadHousehold, out.household));
  RETURN_IF_ERROR(OptionalObject(members[kDischarge], &Walker::ReadDischarge, out.discharge));
  RETURN_IF_ERROR(OptionalObject(members[kScreening], &Walker::ReadScreening, out.screening));
  return OptionalObject(members[kObservations], &Walker::ReadObservations, out.observations);
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
  Impl(AttendanceLimits limits_in, JsonDecodePath path)
      : limits(limits_in), parser(json::storage_ptr(), MakeOptions(limits_in)) {
    // The same depth bound as the reference parser's: simdjson counts levels alike, and a row
    // it turns away for depth goes to the reference path anyway.
    fast = path == JsonDecodePath::kFast &&
           fast_parser.allocate(kInitialFastCapacity, limits.max_depth + 1) == simdjson::SUCCESS;
  }

  static json::parse_options MakeOptions(const AttendanceLimits& limits) {
    json::parse_options options;
    // +1: the parser counts the root object as a level, the contract's depth does not.
    options.max_depth = limits.max_depth + 1;
    return options;
  }

  // The fast path: true when `out` holds what DecodeReference would give, false when the row
  // must go to the reference path (any simdjson error, a key given twice, a fractional number,
  // any error of the walk). Only ever fails over; never produces an error of its own.
  // `padded`: json_text is followed by AttendanceJsonDecoder::kPaddingBytes readable bytes.
  bool DecodeFast(std::string_view json_text, bool padded, DecodedAttendance& out);
  Status Decode(std::string_view json_text, bool padded, DecodedAttendance& out);
  Status DecodeReference(std::string_view json_text, DecodedAttendance& out);

  // Enough for the document of a typical row, so that most rows allocate nothing.
  static constexpr std::size_t kArenaBytes = 16 * 1024;
  static constexpr std::size_t kInitialFastCapacity = 4 * 1024;

  AttendanceLimits limits;
  // Holds one row's document. Made afresh for each row (over the same arena_buffer), which
  // frees the previous row's document as a whole: monotonic_resource::release() would keep
  // the size of its next block, which doubles with every row that outgrows arena_buffer,
  // until a valid row fails for want of memory.
  std::array<unsigned char, kArenaBytes> arena_buffer;
  std::optional<json::monotonic_resource> arena;
  json::parser parser;
  // Keeps its buffers (the padded copy of the row, the tape, the strings) from row to row.
  simdjson::dom::parser fast_parser;
  bool fast = false;
  std::uint64_t fast_rows = 0;
};

static_assert(AttendanceJsonDecoder::kPaddingBytes >= simdjson::SIMDJSON_PADDING);

bool AttendanceJsonDecoder::Impl::DecodeFast(std::string_view json_text, bool padded,
                                             DecodedAttendance& out) {
  try {
    simdjson::dom::element root;
    // simdjson reads up to SIMDJSON_PADDING bytes past the end: a row without them is copied
    // into the parser's own padded buffer (reused from row to row).
    if (fast_parser.parse(json_text.data(), json_text.size(), !padded).get(root) !=
        simdjson::SUCCESS) {
      return false;
    }
    if (root.type() != simdjson::dom::element_type::OBJECT) return false;
    RowWarnings warnings(limits.max_warnings_per_row);
    Walker<SimdDocument> walker(limits, warnings);
    if (!walker.Read(root.get_object().value_unsafe(), out.attendance).ok() || walker.uncertain()) {
      return false;
    }
    CheckAttendance(out.attendance, warnings);
    out.warnings = warnings.Take();
    return true;
  } catch (const std::exception&) {
    return false;  // the reference path meets the same problem and reports it
  }
}

Status AttendanceJsonDecoder::Impl::DecodeReference(std::string_view json_text,
                                                    DecodedAttendance& out) {
  // Boost.JSON reports allocation failure and a few internal limits by throwing: this is the
  // adapter, so nothing thrown gets past it.
  try {
    parser.reset();  // lets go of anything left of the last row while its arena stands
    arena.emplace(arena_buffer.data(), arena_buffer.size());
    parser.reset(&*arena);
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
    RowWarnings warnings(limits.max_warnings_per_row);
    Walker<BoostDocument> walker(limits, warnings);
    RETURN_IF_ERROR(walker.Read(&root.get_object(), out.attendance));
    CheckAttendance(out.attendance, warnings);
    out.warnings = warnings.Take();
    return Status::Ok();
  } catch (const std::bad_alloc&) {
    return InvalidArgument(std::string(reason::kTooLong), "the row needs too much memory", "");
  } catch (const std::exception&) {
    return InvalidArgument(std::string(reason::kInvalidJson), "the row could not be parsed", "");
  }
}

AttendanceJsonDecoder::AttendanceJsonDecoder(AttendanceLimits limits, JsonDecodePath path)
    : impl_(std::make_unique<Impl>(limits, path)) {}

AttendanceJsonDecoder::~AttendanceJsonDecoder() = default;

Result<DecodedAttendance> AttendanceJsonDecoder::Decode(std::string_view json_text) {
  // Filled in place: an attendance full of strings costs more to move than an empty one.
  Result<DecodedAttendance> decoded = DecodedAttendance();
  RETURN_IF_ERROR(DecodeInto(json_text, *decoded));
  return decoded;
}

Status AttendanceJsonDecoder::Impl::Decode(std::string_view json_text, bool padded,
                                           DecodedAttendance& out) {
  if (json_text.size() > limits.max_row_bytes) {
    return InvalidArgument(std::string(reason::kTooLong), "the row is longer than the limit", "");
  }
  if (fast && DecodeFast(json_text, padded, out)) {
    ++fast_rows;
    return Status::Ok();
  }
  return DecodeReference(json_text, out);
}

Status AttendanceJsonDecoder::DecodeInto(std::string_view json_text, DecodedAttendance& out) {
  return impl_->Decode(json_text, false, out);
}

Status AttendanceJsonDecoder::DecodeIntoPadded(std::string_view json_text, DecodedAttendance& out) {
  return impl_->Decode(json_text, true, out);
}

std::uint64_t AttendanceJsonDecoder::fast_rows() const { return impl_->fast_rows; }

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
