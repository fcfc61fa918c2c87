#include "targets.h"

#include <string_view>

#include "common/check.h"
#include "common/time_format.h"
#include "domain/nhs_number.h"
#include "http/dto.h"

namespace liaison::fuzz {
namespace {
std::string_view AsText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}
}  // namespace

int FuzzNhsNumber(const std::uint8_t* data, std::size_t size) {
  Result<domain::NhsNumber> parsed = domain::NhsNumber::Parse(AsText(data, size));
  if (parsed.ok()) {
    LIAISON_CHECK(domain::NhsNumber::Parse(parsed->digits()).value() == *parsed);
    LIAISON_CHECK(domain::NhsNumber::Parse(parsed->Display()).value() == *parsed);
  } else {
    LIAISON_CHECK(parsed.status().reason() == "invalid_nhs_number");
  }
  return 0;
}

int FuzzTimestamp(const std::uint8_t* data, std::size_t size) {
  std::string_view text = AsText(data, size);
  Result<Timestamp> at = ParseTimestamp(text);
  if (at.ok()) LIAISON_CHECK(ParseTimestamp(FormatTimestamp(*at)).value() == *at);
  Result<std::chrono::year_month_day> date = ParseDate(text);
  if (date.ok()) LIAISON_CHECK(FormatDate(*date) == text);
  return 0;
}

int FuzzApiJson(const std::uint8_t* data, std::size_t size) {
  std::string_view text = AsText(data, size);
  Result<domain::Person> person = http::DecodePerson(text);
  if (!person.ok()) LIAISON_CHECK(!person.status().reason().empty());
  Result<domain::Organisation> organisation = http::DecodeOrganisation(text);
  if (organisation.ok()) {
    LIAISON_CHECK(http::DecodeOrganisation(http::EncodeOrganisation(*organisation)).ok());
  }
  (void)http::DecodeTeam(text, "ORG");
  (void)http::DecodeSite(text, "ORG");
  return 0;
}

}  // namespace liaison::fuzz
