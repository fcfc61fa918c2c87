// NhsNumber: a 10-digit NHS number whose modulus-11 check digit is valid. Parse once at the
// edge and trust the value afterwards. Immutable value type.
//
// Debug text is redacted: an NHS number must never reach a log or an error message.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "common/status.h"

namespace liaison::domain {

class NhsNumber {
 public:
  // Accepts "9434765919", "943 476 5919" and "943-476-5919". Fails with reason
  // "invalid_nhs_number" and a message naming what is wrong (never echoing the value).
  static Result<NhsNumber> Parse(std::string_view text);

  // The ten digits, no separators.
  const std::string& digits() const { return digits_; }
  // "943 476 5919", the form shown to people.
  std::string Display() const;

  friend bool operator==(const NhsNumber&, const NhsNumber&) = default;
  friend auto operator<=>(const NhsNumber&, const NhsNumber&) = default;
  // Redacted: prints "NhsNumber(***)".
  friend std::ostream& operator<<(std::ostream& out, const NhsNumber&);

 private:
  explicit NhsNumber(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

// True when `text` is exactly ten digits, no separators, with a valid check digit: a fast test
// for the form feeds nearly always send. NhsNumber::Parse stays the authority and accepts every
// such text as those digits (nhs_number_test compares them).
bool IsValidBareNhsNumber(std::string_view text);

// An NHS number as a feed recorded it. A feed keeps an invalid number (the child did attend)
// but marks it unverified, and an unverified number is never used for matching.
struct RecordedNhsNumber {
  std::string text;  // As received, trimmed.
  bool verified = false;

  static RecordedNhsNumber From(std::string_view text);
};

}  // namespace liaison::domain
