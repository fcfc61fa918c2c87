#include "ingest/attendance_json.h"

#include <array>
#include <cstdint>
#include <exception>
#include <optional>

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

// One member as the walker reads it: its value, or nullptr when it is missing, null or ""
// (all "not provided"), and its path for error lines.
struct Member {
  const json::value* value;
  FieldPath path;
};

// The known members of one object, found in a single pass over it. Unknown members are
// reported as the pass meets them, in document order and before any known member is read:
// the order in which a row's warnings have always been reported. Borrows the object, the
// names and the path; lives while its object is read.
template <typename Name>
class KnownMembers {
 public:
  static constexpr std::size_t kSize = MemberCount<Name>();

  KnownMembers(const json::object& object, const std::array<std::string_view, kSize>& names,
               const FieldPath& path, RowWarnings& warnings)
      : names_(names), path_(path) {
    std::size_t expected = 0;
    for (const json::key_value_pair& member : object) {
      std::string_view key = member.key();
      std::size_t index = Find(key, expected);
      if (index == kSize) {
        warnings.Add(FieldPath::Member(path, key).ToString(), reason::kUnknownField);
        continue;
      }
      // The parser keeps one member per key (the last one given), so no slot is set twice.
      values_[index] = &member.value();
      expected = index + 1;
    }
  }

  Member operator[](Name name) const {
    auto index = static_cast<std::size_t>(name);
    const json::value* value = values_[index];
    if (value != nullptr &&
        (value->is_null() || (value->is_string() && value->get_string().empty()))) {
      value = nullptr;
    }
    return {value, FieldPath::Member(path_, names_[index])};
  }

 private:
  // The index of `key` in names_, or kSize. Feeds usually send members in the contract's
  // order, so the search starts at the name after the previous match.
  std::size_t Find(std::string_view key, std::size_t start) const {
    for (std::size_t i = start; i < kSize; ++i) {
      if (names_[i] == key) return i;
    }
    for (std::size_t i = 0; i < start && i < kSize; ++i) {
      if (names_[i] == key) return i;
    }
    return kSize;
  }

  const std::array<std::string_view, kSize>& names_;
  const FieldPath& path_;
  std::array<const json::value*, kSize> values_{};
};

// Walks a parsed document into an Attendance. Holds references only; lives for one Decode.
// A row's first error, in the contract's member order, is the one reported.
class Walker {
 public:
  Walker(const AttendanceLimits& limits, RowWarnings& warnings)
      : limits_(limits), warnings_(warnings) {}

  Status Read(const json::object& root, Attendance& out);

 private:
  static std::string_view View(const json::string& text) { return {text.data(), text.size()}; }

  Status Text(const Member& member, TextKind kind, std::optional<std::string>& out) {
    if (member.value == nullptr) return Status::Ok();
    if (!member.value->is_string()) return WrongType(member.path, "a string");
    ASSIGN_OR_RETURN(out, TextValue(View(member.value->get_string()), kind, limits_, member.path));
    return Status::Ok();
  }

  Status RequiredText(const Member& member, TextKind kind, std::string& out) {
    std::optional<std::string> text;
    RETURN_IF_ERROR(Text(member, kind, text));
    if (!text) {
      return InvalidArgument(std::string(reason::kMissingField), "this field is required",
                             member.path.ToString());
    }
    out = std::move(*text);
    return Status::Ok();
  }

  // A string member whose text is then parsed by `parse(text, path)`.
  template <typename T, typename Parse>
  Status Parsed(const Member& member, std::optional<T>& out, Parse parse) {
    if (member.value == nullptr) return Status::Ok();
    if (!member.value->is_string()) return WrongType(member.path, "a string");
    ASSIGN_OR_RETURN(T parsed, parse(View(member.value->get_string()), member.path));
    out = std::move(parsed);
    return Status::Ok();
  }

  template <typename Enum>
  Status EnumMember(const Member& member, std::optional<Enum>& out) {
    return Parsed(member, out, EnumValue<Enum>);
  }

  Status NhsMember(const Member& member, std::optional<domain::RecordedNhsNumber>& out) {
    return Parsed(member, out, [this](std::string_view text, const FieldPath& field) {
      if (text.size() > limits_.max_identifier_bytes) {
        return Result<domain::RecordedNhsNumber>(
            InvalidArgument(std::string(reason::kTooLong),
                            "the value is too long for an NHS number", field.ToString()));
      }
      return Result<domain::RecordedNhsNumber>(NhsNumberValue(text, field, warnings_));
    });
  }

  static Status Bool(const Member& member, std::optional<bool>& out) {
    if (member.value == nullptr) return Status::Ok();
    if (!member.value->is_bool()) return WrongType(member.path, "true or false");
    out = member.value->get_bool();
    return Status::Ok();
  }

  static Status Number(const Member& member, double low, double high, std::optional<double>& out) {
    if (member.value == nullptr) return Status::Ok();
    if (!member.value->is_number()) return WrongType(member.path, "a number");
    ASSIGN_OR_RETURN(out,
                     ObservationValue(member.value->to_number<double>(), low, high, member.path));
    return Status::Ok();
  }

  static Status Count(const Member& member, std::optional<int>& out) {
    if (member.value == nullptr) return Status::Ok();
    constexpr std::int64_t kMaxCount = 10000;
    std::int64_t count = 0;
    if (member.value->is_int64()) {
      count = member.value->get_int64();
    } else if (member.value->is_uint64()) {
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

  // The member as an object, or nullptr when not provided.
  static Result<const json::object*> Object(const Member& member) {
    if (member.value == nullptr) return static_cast<const json::object*>(nullptr);
    if (!member.value->is_object()) return WrongType(member.path, "an object");
    return &member.value->get_object();
  }

  // The member as an array (bounded), or nullptr when not provided.
  Result<const json::array*> Array(const Member& member) const {
    if (member.value == nullptr) return static_cast<const json::array*>(nullptr);
    if (!member.value->is_array()) return WrongType(member.path, "an array");
    if (member.value->get_array().size() > limits_.max_items) {
      return InvalidArgument(std::string(reason::kTooManyItems),
                             "more than " + std::to_string(limits_.max_items) + " items",
                             member.path.ToString());
    }
    return &member.value->get_array();
  }

  // Arrays of objects: `read(object, path, item)` fills one item; null items are skipped.
  template <typename Item, typename ReadItem>
  Status ObjectArray(const Member& member, std::vector<Item>& out, ReadItem read) {
    ASSIGN_OR_RETURN(const json::array* items, Array(member));
    if (items == nullptr) return Status::Ok();
    for (std::size_t i = 0; i < items->size(); ++i) {
      const json::value& value = (*items)[i];
      if (value.is_null()) continue;
      const FieldPath path = FieldPath::Item(member.path, i);
      if (!value.is_object()) return WrongType(path, "an object");
      Item item;
      RETURN_IF_ERROR(read(value.get_object(), path, item));
      out.push_back(std::move(item));
    }
    return Status::Ok();
  }

  // Arrays of strings, each parsed by `parse(text, path)`; null and "" items are skipped.
  template <typename Item, typename Parse>
  Status StringArray(const Member& member, std::vector<Item>& out, Parse parse) {
    ASSIGN_OR_RETURN(const json::array* items, Array(member));
    if (items == nullptr) return Status::Ok();
    for (std::size_t i = 0; i < items->size(); ++i) {
      const json::value& value = (*items)[i];
      if (value.is_null() || (value.is_string() && value.get_string().empty())) continue;
      const FieldPath path = FieldPath::Item(member.path, i);
      if (!value.is_string()) return WrongType(path, "a string");
      ASSIGN_OR_RETURN(Item item, parse(View(value.get_string()), path));
      out.push_back(std::move(item));
    }
    return Status::Ok();
  }

  Status ReadPatient(const json::object& object, const FieldPath& path,
                     domain::AttendancePatient& patient);
  Status ReadInjuryEvent(const json::object& object, const FieldPath& path,
                         domain::InjuryEvent& injury);
  Status ReadInjury(const json::object& object, const FieldPath& path, domain::Injury& injury);
  Status ReadDiagnosis(const json::object& object, const FieldPath& path,
                       domain::Diagnosis& diagnosis);
  Status ReadHousehold(const json::object& object, const FieldPath& path,
                       domain::Household& household);
  Status ReadChild(const json::object& object, const FieldPath& path,
                   domain::HouseholdChild& child);
  Status ReadDischarge(const json::object& object, const FieldPath& path,
                       domain::Discharge& discharge);
  Status ReadScreening(const json::object& object, const FieldPath& path,
                       domain::Screening& screening);
  Status ReadObservations(const json::object& object, const FieldPath& path,
                          domain::Observations& observations);

  const AttendanceLimits& limits_;
  RowWarnings& warnings_;
};

Status Walker::ReadPatient(const json::object& object, const FieldPath& path,
                           domain::AttendancePatient& patient) {
  using enum PatientMember;
  KnownMembers<PatientMember> members(object, kPatientMemberNames, path, warnings_);
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

Status Walker::ReadInjuryEvent(const json::object& object, const FieldPath& path,
                               domain::InjuryEvent& injury) {
  using enum InjuryEventMember;
  KnownMembers<InjuryEventMember> members(object, kInjuryEventMemberNames, path, warnings_);
  RETURN_IF_ERROR(Parsed(members[kDatetime], injury.datetime, TimestampValue));
  RETURN_IF_ERROR(EnumMember(members[kIntent], injury.intent));
  RETURN_IF_ERROR(Text(members[kMechanism], TextKind::kFreeText, injury.mechanism));
  RETURN_IF_ERROR(EnumMember(members[kPlace], injury.place));
  return Status::Ok();
}

Status Walker::ReadInjury(const json::object& object, const FieldPath& path,
                          domain::Injury& injury) {
  KnownMembers<InjuryMember> members(object, kInjuryMemberNames, path, warnings_);
  RETURN_IF_ERROR(EnumMember(members[InjuryMember::kType], injury.type));
  RETURN_IF_ERROR(Text(members[InjuryMember::kSite], TextKind::kName, injury.site));
  RETURN_IF_ERROR(Text(members[InjuryMember::kPattern], TextKind::kName, injury.pattern));
  RETURN_IF_ERROR(Count(members[InjuryMember::kCount], injury.count));
  return Status::Ok();
}

Status Walker::ReadDiagnosis(const json::object& object, const FieldPath& path,
                             domain::Diagnosis& diagnosis) {
  using enum DiagnosisMember;
  KnownMembers<DiagnosisMember> members(object, kDiagnosisMemberNames, path, warnings_);
  RETURN_IF_ERROR(EnumMember(members[kSystem], diagnosis.system));
  RETURN_IF_ERROR(Text(members[kCode], TextKind::kIdentifier, diagnosis.code));
  RETURN_IF_ERROR(Text(members[kDisplay], TextKind::kName, diagnosis.display));
  return Status::Ok();
}

Status Walker::ReadHousehold(const json::object& object, const FieldPath& path,
                             domain::Household& household) {
  using enum HouseholdMember;
  KnownMembers<HouseholdMember> members(object, kHouseholdMemberNames, path, warnings_);
  RETURN_IF_ERROR(Bool(members[kRecorded], household.recorded));
  RETURN_IF_ERROR(Bool(members[kUnborn], household.unborn));
  return ObjectArray(
      members[kChildren], household.children,
      [this](const json::object& child_object, const FieldPath& child_path,
             domain::HouseholdChild& child) { return ReadChild(child_object, child_path, child); });
}

Status Walker::ReadChild(const json::object& object, const FieldPath& path,
                         domain::HouseholdChild& child) {
  using enum ChildMember;
  KnownMembers<ChildMember> members(object, kChildMemberNames, path, warnings_);
  RETURN_IF_ERROR(Text(members[kGivenName], TextKind::kName, child.given_name));
  RETURN_IF_ERROR(Text(members[kFamilyName], TextKind::kName, child.family_name));
  RETURN_IF_ERROR(Parsed(members[kBirthDate], child.birth_date, DateValue));
  RETURN_IF_ERROR(NhsMember(members[kNhsNumber], child.nhs_number));
  return Status::Ok();
}

Status Walker::ReadDischarge(const json::object& object, const FieldPath& path,
                             domain::Discharge& discharge) {
  using enum DischargeMember;
  KnownMembers<DischargeMember> members(object, kDischargeMemberNames, path, warnings_);
  RETURN_IF_ERROR(Parsed(members[kDatetime], discharge.datetime, TimestampValue));
  RETURN_IF_ERROR(EnumMember(members[kStatus], discharge.status));
  return Status::Ok();
}

Status Walker::ReadScreening(const json::object& object, const FieldPath& path,
                             domain::Screening& screening) {
  using enum ScreeningMember;
  KnownMembers<ScreeningMember> members(object, kScreeningMemberNames, path, warnings_);
  RETURN_IF_ERROR(Bool(members[kHistoryConsistent], screening.history_consistent));
  RETURN_IF_ERROR(Bool(members[kDelayInSeekingHelp], screening.delay_in_seeking_help));
  RETURN_IF_ERROR(Bool(members[kInjuryFitsDevelopment], screening.injury_fits_development));
  RETURN_IF_ERROR(Bool(members[kInteractionAppropriate], screening.interaction_appropriate));
  RETURN_IF_ERROR(Bool(members[kExaminationConsistent], screening.examination_consistent));
  RETURN_IF_ERROR(Bool(members[kOtherConcerns], screening.other_concerns));
  RETURN_IF_ERROR(Text(members[kNotDoneReason], TextKind::kFreeText, screening.not_done_reason));
  return Status::Ok();
}

Status Walker::ReadObservations(const json::object& object, const FieldPath& path,
                                domain::Observations& observations) {
  using enum ObservationMember;
  KnownMembers<ObservationMember> members(object, kObservationMemberNames, path, warnings_);
  RETURN_IF_ERROR(Number(members[kTemperatureC], 10, 50, observations.temperature_c));
  RETURN_IF_ERROR(Number(members[kHaemoglobinGDl], 0, 30, observations.haemoglobin_g_dl));
  RETURN_IF_ERROR(
      Number(members[kHeadCircumferenceCentile], 0, 100, observations.head_circumference_centile));
  return Status::Ok();
}

Status Walker::Read(const json::object& root, Attendance& out) {
  using enum RowMember;
  KnownMembers<RowMember> members(root, kRowMemberNames, kRow, warnings_);
  RETURN_IF_ERROR(RequiredText(members[kAttendanceId], TextKind::kIdentifier, out.attendance_id));
  RETURN_IF_ERROR(RequiredText(members[kSite], TextKind::kIdentifier, out.site));
  std::optional<Timestamp> arrival;
  const Member arrival_member = members[kArrival];
  RETURN_IF_ERROR(Parsed(arrival_member, arrival, TimestampValue));
  if (!arrival) {
    return InvalidArgument(std::string(reason::kMissingField), "this field is required",
                           arrival_member.path.ToString());
  }
  out.arrival = *arrival;
  const Member patient_member = members[kPatient];
  ASSIGN_OR_RETURN(const json::object* patient, Object(patient_member));
  if (patient == nullptr) {
    return InvalidArgument(std::string(reason::kMissingField), "this field is required",
                           patient_member.path.ToString());
  }
  RETURN_IF_ERROR(ReadPatient(*patient, patient_member.path, out.patient));

  RETURN_IF_ERROR(EnumMember(members[kDepartment], out.department));
  RETURN_IF_ERROR(EnumMember(members[kMobility], out.mobility));
  RETURN_IF_ERROR(
      Text(members[kPresentingComplaint], TextKind::kFreeText, out.presenting_complaint));

  const Member injury_member = members[kInjury];
  ASSIGN_OR_RETURN(const json::object* injury, Object(injury_member));
  if (injury != nullptr) RETURN_IF_ERROR(ReadInjuryEvent(*injury, injury_member.path, out.injury));

  RETURN_IF_ERROR(
      ObjectArray(members[kInjuries], out.injuries,
                  [this](const json::object& object, const FieldPath& path, domain::Injury& item) {
                    return ReadInjury(object, path, item);
                  }));
  RETURN_IF_ERROR(
      ObjectArray(members[kDiagnoses], out.diagnoses,
                  [this](const json::object& object, const FieldPath& path,
                         domain::Diagnosis& item) { return ReadDiagnosis(object, path, item); }));

  std::optional<domain::Explanation> explanation;
  RETURN_IF_ERROR(EnumMember(members[kExplanation], explanation));
  out.explanation = explanation.value_or(domain::Explanation::kNotRecorded);

  RETURN_IF_ERROR(StringArray(members[kSubstances], out.substances, EnumValue<domain::Substance>));
  RETURN_IF_ERROR(StringArray(members[kConcerns], out.concerns, EnumValue<domain::Concern>));
  RETURN_IF_ERROR(Text(members[kNotes], TextKind::kFreeText, out.notes));
  RETURN_IF_ERROR(
      StringArray(members[kSafeguardingConcernCodes], out.safeguarding_concern_codes,
                  [this](std::string_view text, const FieldPath& path) -> Result<std::string> {
                    // Empty items were skipped, so the value is present.
                    ASSIGN_OR_RETURN(std::optional<std::string> code,
                                     TextValue(text, TextKind::kIdentifier, limits_, path));
                    return std::move(code).value_or(std::string());
                  }));

  const Member household_member = members[kHousehold];
  ASSIGN_OR_RETURN(const json::object* household, Object(household_member));
  if (household != nullptr) {
    RETURN_IF_ERROR(ReadHousehold(*household, household_member.path, out.household));
  }
  const Member discharge_member = members[kDischarge];
  ASSIGN_OR_RETURN(const json::object* discharge, Object(discharge_member));
  if (discharge != nullptr) {
    RETURN_IF_ERROR(ReadDischarge(*discharge, discharge_member.path, out.discharge));
  }
  const Member screening_member = members[kScreening];
  ASSIGN_OR_RETURN(const json::object* screening, Object(screening_member));
  if (screening != nullptr) {
    RETURN_IF_ERROR(ReadScreening(*screening, screening_member.path, out.screening));
  }
  const Member observations_member = members[kObservations];
  ASSIGN_OR_RETURN(const json::object* observations, Object(observations_member));
  if (observations != nullptr) {
    RETURN_IF_ERROR(ReadObservations(*observations, observations_member.path, out.observations));
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

  // Enough for the document of a typical row, so that most rows allocate nothing.
  static constexpr std::size_t kArenaBytes = 16 * 1024;

  AttendanceLimits limits;
  // Holds one row's document. Made afresh for each row (over the same arena_buffer), which
  // frees the previous row's document as a whole: monotonic_resource::release() would keep
  // the size of its next block, which doubles with every row that outgrows arena_buffer,
  // until a valid row fails for want of memory.
  std::array<unsigned char, kArenaBytes> arena_buffer;
  std::optional<json::monotonic_resource> arena;
  json::parser parser;
};

AttendanceJsonDecoder::AttendanceJsonDecoder(AttendanceLimits limits)
    : impl_(std::make_unique<Impl>(limits)) {}

AttendanceJsonDecoder::~AttendanceJsonDecoder() = default;

Result<DecodedAttendance> AttendanceJsonDecoder::Decode(std::string_view json_text) {
  // Filled in place: an attendance full of strings costs more to move than an empty one.
  Result<DecodedAttendance> decoded = DecodedAttendance();
  RETURN_IF_ERROR(DecodeInto(json_text, *decoded));
  return decoded;
}

Status AttendanceJsonDecoder::DecodeInto(std::string_view json_text, DecodedAttendance& out) {
  if (json_text.size() > impl_->limits.max_row_bytes) {
    return InvalidArgument(std::string(reason::kTooLong), "the row is longer than the limit", "");
  }
  // Boost.JSON reports allocation failure and a few internal limits by throwing: this is the
  // adapter, so nothing thrown gets past it.
  try {
    json::parser& parser = impl_->parser;
    parser.reset();  // lets go of anything left of the last row while its arena stands
    impl_->arena.emplace(impl_->arena_buffer.data(), impl_->arena_buffer.size());
    parser.reset(&*impl_->arena);
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
    out.attendance = Attendance();
    Walker walker(impl_->limits, warnings);
    RETURN_IF_ERROR(walker.Read(root.get_object(), out.attendance));
    CheckAttendance(out.attendance, warnings);
    out.warnings = warnings.Take();
    return Status::Ok();
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
