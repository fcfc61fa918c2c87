#include "domain/nhs_number.h"

#include <cctype>

namespace liaison::domain {
namespace {

Status Invalid(std::string message) {
  return InvalidArgument("invalid_nhs_number", std::move(message));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Digits in groups of 3, 3 and 4, joined by a single space or hyphen, or not at all.
Result<std::string> StripSeparators(std::string_view text) {
  if (text.empty()) return Invalid("the NHS number is empty");
  for (char c : text) {
    if (!IsDigit(c) && c != ' ' && c != '-') {
      return Invalid("an NHS number may contain only digits, spaces and hyphens");
    }
  }
  std::string digits;
  for (char c : text) {
    if (IsDigit(c)) digits.push_back(c);
  }
  if (digits.size() != 10) return Invalid("an NHS number has exactly 10 digits");
  if (text.size() == 12) {
    char sep = text[3];
    if ((sep != ' ' && sep != '-') || text[7] != sep) {
      return Invalid("separators must split the digits 3-3-4, as in 943 476 5919");
    }
  } else if (text.size() != 10) {
    return Invalid("separators must split the digits 3-3-4, as in 943 476 5919");
  }
  return digits;
}

// The modulus-11 check digit of the first nine of `digits`, or 10 when no valid number starts
// with them.
int CheckDigit(std::string_view digits) {
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += (digits[i] - '0') * (10 - i);
  int check = 11 - (sum % 11);
  return check == 11 ? 0 : check;
}

}  // namespace

Result<NhsNumber> NhsNumber::Parse(std::string_view text) {
  ASSIGN_OR_RETURN(std::string digits, StripSeparators(text));
  int check = CheckDigit(digits);
  if (check == 10) return Invalid("no valid NHS number has these first nine digits");
  if (check != digits[9] - '0') return Invalid("the check digit does not match");
  return NhsNumber(std::move(digits));
}

bool IsValidBareNhsNumber(std::string_view text) {
  if (text.size() != 10) return false;
  for (char c : text) {
    if (!IsDigit(c)) return false;
  }
  return CheckDigit(text) == text[9] - '0';
}

std::string NhsNumber::Display() const {
  return digits_.substr(0, 3) + " " + digits_.substr(3, 3) + " " + digits_.substr(6);
}

std::ostream& operator<<(std::ostream& out, const NhsNumber&) { return out << "NhsNumber(***)"; }

RecordedNhsNumber RecordedNhsNumber::From(std::string_view text) {
  // Feeds nearly always send the bare ten digits: they need no trimming, no separators stripped
  // and no Result of Parse.
  if (IsValidBareNhsNumber(text)) return {std::string(text), true};
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
    text.remove_prefix(1);
  }
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  Result<NhsNumber> parsed = NhsNumber::Parse(text);
  if (parsed.ok()) return {parsed->digits(), true};
  return {std::string(text), false};
}

}  // namespace liaison::domain
