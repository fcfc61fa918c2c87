#include "review/attendance_record.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <optional>
#include <type_traits>

namespace liaison::review {
namespace {

using domain::Attendance;

constexpr std::uint8_t kAbsent = 0xFF;

class Writer {
 public:
  explicit Writer(std::string& out) : out_(out) {}

  void Varint(std::uint64_t value) {
    while (value >= 0x80) {
      out_.push_back(static_cast<char>((value & 0x7F) | 0x80));
      value >>= 7;
    }
    out_.push_back(static_cast<char>(value));
  }
  // Zig-zag, so that small negative numbers stay short.
  void Signed(std::int64_t value) {
    Varint((static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63));
  }
  void Byte(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }
  void String(std::string_view text) {
    Varint(text.size());
    out_.append(text);
  }
  void OptString(const std::optional<std::string>& text) {
    Byte(text ? 1 : 0);
    if (text) String(*text);
  }
  void OptBool(const std::optional<bool>& value) { Byte(value ? (*value ? 2 : 1) : 0); }
  template <typename Enum>
  void Enumerated(Enum value) {
    Byte(static_cast<std::uint8_t>(value));
  }
  template <typename Enum>
  void OptEnum(const std::optional<Enum>& value) {
    Byte(value ? static_cast<std::uint8_t>(*value) : kAbsent);
  }
  void OptInt(const std::optional<int>& value) {
    Byte(value ? 1 : 0);
    if (value) Signed(*value);
  }
  void OptDouble(const std::optional<double>& value) {
    Byte(value ? 1 : 0);
    if (!value) return;
    auto bits = std::bit_cast<std::uint64_t>(*value);
    char bytes[8];
    std::memcpy(bytes, &bits, sizeof bytes);
    out_.append(bytes, sizeof bytes);
  }
  void Time(Timestamp at) { Signed(at.time_since_epoch().count()); }
  void OptTime(const std::optional<Timestamp>& at) {
    Byte(at ? 1 : 0);
    if (at) Time(*at);
  }
  void OptDate(const std::optional<std::chrono::year_month_day>& date) {
    Byte(date ? 1 : 0);
    if (date) Signed(std::chrono::sys_days(*date).time_since_epoch().count());
  }
  void OptNhs(const std::optional<domain::RecordedNhsNumber>& number) {
    Byte(number ? (number->verified ? 2 : 1) : 0);
    if (number) String(number->text);
  }

 private:
  std::string& out_;
};

// Reads what Writer wrote. Any overrun sets `failed` and returns empty values, so decoding
// carries on harmlessly to the end and reports one error.
class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}

  bool failed() const { return failed_; }
  bool at_end() const { return position_ == bytes_.size(); }

  std::uint64_t Varint() {
    std::uint64_t value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (position_ >= bytes_.size()) return Fail(0);
      auto byte = static_cast<std::uint8_t>(bytes_[position_++]);
      value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) return value;
    }
    return Fail(0);
  }
  std::int64_t Signed() {
    std::uint64_t raw = Varint();
    return static_cast<std::int64_t>((raw >> 1) ^ (~(raw & 1) + 1));
  }
  std::uint8_t Byte() {
    if (position_ >= bytes_.size()) return Fail(0);
    return static_cast<std::uint8_t>(bytes_[position_++]);
  }
  std::string String() {
    std::uint64_t size = Varint();
    if (size > bytes_.size() - position_) return Fail(std::string());
    std::string text(bytes_.substr(position_, size));
    position_ += size;
    return text;
  }
  std::optional<std::string> OptString() {
    if (Byte() == 0) return std::nullopt;
    return String();
  }
  std::optional<bool> OptBool() {
    switch (Byte()) {
      case 0:
        return std::nullopt;
      case 1:
        return false;
      case 2:
        return true;
      default:
        return Fail(std::nullopt);
    }
  }
  // `count` is the number of enumerators; anything outside them is corruption.
  template <typename Enum>
  Enum Enumerated() {
    std::uint8_t raw = Byte();
    if (raw >= domain::AllSlugs<Enum>().size()) return Fail(Enum{});
    return static_cast<Enum>(raw);
  }
  template <typename Enum>
  std::optional<Enum> OptEnum() {
    std::uint8_t raw = Byte();
    if (raw == kAbsent) return std::nullopt;
    if (raw >= domain::AllSlugs<Enum>().size()) return Fail(std::nullopt);
    return static_cast<Enum>(raw);
  }
  std::optional<int> OptInt() {
    if (Byte() == 0) return std::nullopt;
    return static_cast<int>(Signed());
  }
  std::optional<double> OptDouble() {
    if (Byte() == 0) return std::nullopt;
    if (bytes_.size() - position_ < 8) return Fail(std::nullopt);
    std::uint64_t bits;
    std::memcpy(&bits, bytes_.data() + position_, sizeof bits);
    position_ += 8;
    return std::bit_cast<double>(bits);
  }
  Timestamp Time() { return Timestamp(std::chrono::microseconds(Signed())); }
  std::optional<Timestamp> OptTime() {
    if (Byte() == 0) return std::nullopt;
    return Time();
  }
  std::optional<std::chrono::year_month_day> OptDate() {
    if (Byte() == 0) return std::nullopt;
    return std::chrono::year_month_day(std::chrono::sys_days(std::chrono::days(Signed())));
  }
  std::optional<domain::RecordedNhsNumber> OptNhs() {
    std::uint8_t tag = Byte();
    if (tag == 0) return std::nullopt;
    if (tag > 2) return Fail(std::nullopt);
    return domain::RecordedNhsNumber{String(), tag == 2};
  }
  // A count of items that each take at least one byte: larger than what is left is corrupt.
  std::size_t Count() {
    std::uint64_t count = Varint();
    if (count > bytes_.size() - position_) return Fail(std::size_t{0});
    return static_cast<std::size_t>(count);
  }

 private:
  template <typename T>
  T Fail(T value) {
    failed_ = true;
    position_ = bytes_.size();
    return value;
  }

  std::string_view bytes_;
  std::size_t position_ = 0;
  bool failed_ = false;
};

void WritePatient(const domain::AttendancePatient& patient, Writer& w) {
  w.OptString(patient.local_id);
  w.OptNhs(patient.nhs_number);
  w.OptString(patient.given_name);
  w.OptString(patient.family_name);
  w.OptDate(patient.birth_date);
  w.OptEnum(patient.sex);
  w.OptString(patient.postcode);
  w.OptBool(patient.pregnant);
}

domain::AttendancePatient ReadPatient(Reader& r) {
  domain::AttendancePatient patient;
  patient.local_id = r.OptString();
  patient.nhs_number = r.OptNhs();
  patient.given_name = r.OptString();
  patient.family_name = r.OptString();
  patient.birth_date = r.OptDate();
  patient.sex = r.OptEnum<domain::Sex>();
  patient.postcode = r.OptString();
  patient.pregnant = r.OptBool();
  return patient;
}

void WriteHousehold(const domain::Household& household, Writer& w) {
  w.OptBool(household.recorded);
  w.Varint(household.children.size());
  for (const domain::HouseholdChild& child : household.children) {
    w.OptString(child.given_name);
    w.OptString(child.family_name);
    w.OptDate(child.birth_date);
    w.OptNhs(child.nhs_number);
  }
  w.OptBool(household.unborn);
}

domain::Household ReadHousehold(Reader& r) {
  domain::Household household;
  household.recorded = r.OptBool();
  household.children.resize(r.Count());
  for (domain::HouseholdChild& child : household.children) {
    child.given_name = r.OptString();
    child.family_name = r.OptString();
    child.birth_date = r.OptDate();
    child.nhs_number = r.OptNhs();
  }
  household.unborn = r.OptBool();
  return household;
}

void WriteScreening(const domain::Screening& s, Writer& w) {
  w.OptBool(s.history_consistent);
  w.OptBool(s.delay_in_seeking_help);
  w.OptBool(s.injury_fits_development);
  w.OptBool(s.interaction_appropriate);
  w.OptBool(s.examination_consistent);
  w.OptBool(s.other_concerns);
  w.OptString(s.not_done_reason);
}

domain::Screening ReadScreening(Reader& r) {
  domain::Screening s;
  s.history_consistent = r.OptBool();
  s.delay_in_seeking_help = r.OptBool();
  s.injury_fits_development = r.OptBool();
  s.interaction_appropriate = r.OptBool();
  s.examination_consistent = r.OptBool();
  s.other_concerns = r.OptBool();
  s.not_done_reason = r.OptString();
  return s;
}

}  // namespace

void AppendAttendanceRecord(const Attendance& a, std::string& out) {
  Writer w(out);
  w.String(a.attendance_id);
  w.String(a.site);
  w.Time(a.arrival);
  WritePatient(a.patient, w);
  w.OptEnum(a.department);
  w.OptEnum(a.mobility);
  w.OptString(a.presenting_complaint);
  w.OptTime(a.injury.datetime);
  w.OptEnum(a.injury.intent);
  w.OptString(a.injury.mechanism);
  w.OptEnum(a.injury.place);
  w.Varint(a.injuries.size());
  for (const domain::Injury& injury : a.injuries) {
    w.OptEnum(injury.type);
    w.OptString(injury.site);
    w.OptString(injury.pattern);
    w.OptInt(injury.count);
  }
  w.Varint(a.diagnoses.size());
  for (const domain::Diagnosis& diagnosis : a.diagnoses) {
    w.OptEnum(diagnosis.system);
    w.OptString(diagnosis.code);
    w.OptString(diagnosis.display);
  }
  w.Enumerated(a.explanation);
  w.Varint(a.substances.size());
  for (domain::Substance substance : a.substances) w.Enumerated(substance);
  w.Varint(a.concerns.size());
  for (domain::Concern concern : a.concerns) w.Enumerated(concern);
  w.OptString(a.notes);
  w.Varint(a.safeguarding_concern_codes.size());
  for (const std::string& code : a.safeguarding_concern_codes) w.String(code);
  WriteHousehold(a.household, w);
  w.OptTime(a.discharge.datetime);
  w.OptEnum(a.discharge.status);
  WriteScreening(a.screening, w);
  w.OptDouble(a.observations.temperature_c);
  w.OptDouble(a.observations.haemoglobin_g_dl);
  w.OptDouble(a.observations.head_circumference_centile);
}

Result<Attendance> DecodeAttendanceRecord(std::string_view bytes) {
  Reader r(bytes);
  Attendance a;
  a.attendance_id = r.String();
  a.site = r.String();
  a.arrival = r.Time();
  a.patient = ReadPatient(r);
  a.department = r.OptEnum<domain::Department>();
  a.mobility = r.OptEnum<domain::Mobility>();
  a.presenting_complaint = r.OptString();
  a.injury.datetime = r.OptTime();
  a.injury.intent = r.OptEnum<domain::InjuryIntent>();
  a.injury.mechanism = r.OptString();
  a.injury.place = r.OptEnum<domain::InjuryPlace>();
  a.injuries.resize(r.Count());
  for (domain::Injury& injury : a.injuries) {
    injury.type = r.OptEnum<domain::InjuryType>();
    injury.site = r.OptString();
    injury.pattern = r.OptString();
    injury.count = r.OptInt();
  }
  a.diagnoses.resize(r.Count());
  for (domain::Diagnosis& diagnosis : a.diagnoses) {
    diagnosis.system = r.OptEnum<domain::DiagnosisSystem>();
    diagnosis.code = r.OptString();
    diagnosis.display = r.OptString();
  }
  a.explanation = r.Enumerated<domain::Explanation>();
  a.substances.resize(r.Count());
  for (domain::Substance& substance : a.substances) substance = r.Enumerated<domain::Substance>();
  a.concerns.resize(r.Count());
  for (domain::Concern& concern : a.concerns) concern = r.Enumerated<domain::Concern>();
  a.notes = r.OptString();
  a.safeguarding_concern_codes.resize(r.Count());
  for (std::string& code : a.safeguarding_concern_codes) code = r.String();
  a.household = ReadHousehold(r);
  a.discharge.datetime = r.OptTime();
  a.discharge.status = r.OptEnum<domain::DischargeStatus>();
  a.screening = ReadScreening(r);
  a.observations.temperature_c = r.OptDouble();
  a.observations.haemoglobin_g_dl = r.OptDouble();
  a.observations.head_circumference_centile = r.OptDouble();
  if (r.failed() || !r.at_end()) {
    return DataLoss("corrupt_record", "a temporary sweep record could not be read back");
  }
  return a;
}

}  // namespace liaison::review
