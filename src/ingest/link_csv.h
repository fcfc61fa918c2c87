// LinkCsvReader: reads the `liaison link` input CSV (contracts.md, "link"): columns matched by
// header name (id, nhs_number, given_name, family_name, birth_date, sex, postcode), extra
// columns ignored, any value may be empty. Sex is female/male/other/unknown in any case, or
// F/M. A row with a bad birth date or sex, a missing id, or the wrong number of fields is
// rejected with a RowIssue naming the field; an NHS number that fails its check is kept (the
// linker treats it as absent) with a warning. Issues never carry the value itself.
// Streams in bounded memory; reads from a caller-owned stream. Not thread-safe.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "domain/person.h"
#include "ingest/csv_reader.h"
#include "ingest/feed_reader.h"

namespace liaison::ingest {

struct LinkRow {
  std::int64_t line = 0;
  std::string id;
  std::string nhs_number;
  std::string given_name;
  std::string family_name;
  std::optional<std::chrono::year_month_day> birth_date;
  domain::Sex sex = domain::Sex::kUnknown;
  std::string postcode;
};

class LinkCsvReader {
 public:
  enum class Outcome { kRow, kRejected, kEnd };

  explicit LinkCsvReader(std::istream& in, std::size_t max_record_bytes = 64 * 1024);

  // Reads the header. Fails ("invalid_header") when the file is empty, has no id column, or
  // none of the other link columns.
  Status ReadHeader();

  // The next row. kRow: `row` holds it, `issues` may hold warnings. kRejected: `issues` says
  // why. kEnd: no more rows. Fails ("read_failed") when the stream fails.
  Result<Outcome> Next(LinkRow& row, std::vector<RowIssue>& issues);

 private:
  enum Column { kId, kNhsNumber, kGivenName, kFamilyName, kBirthDate, kSex, kPostcode, kColumns };
  CsvReader csv_;
  std::array<int, kColumns> position_{};
  std::size_t header_fields_ = 0;
};

}  // namespace liaison::ingest
