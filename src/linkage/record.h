// PersonRecord: the demographics the linker reads, for a register entry or a query, as the
// source gave them (unstandardised). Every field may be empty. Plain value type.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "domain/person.h"

namespace liaison::linkage {

struct PersonRecord {
  std::string id;          // the source's own id (register entry id, query id)
  std::string nhs_number;  // as recorded; an invalid number is treated as absent
  std::string given_name;
  std::string family_name;
  std::optional<std::chrono::year_month_day> birth_date;
  domain::Sex sex = domain::Sex::kUnknown;
  std::string postcode;                        // the current postcode
  std::vector<std::string> earlier_postcodes;  // address history, most recent first
};

}  // namespace liaison::linkage
