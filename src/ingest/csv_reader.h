// CsvReader: splits an RFC 4180 CSV stream into records, in bounded memory.
//
// Accepts CRLF or LF line ends (and a lone CR inside quotes as data), a UTF-8 byte-order mark
// at the start, quoted fields with doubled quotes, and newlines inside quotes. A record longer
// than the bound is skipped to its end and reported, so one bad record never stops the file.
// Reads through a fixed buffer: memory is the buffer plus one record, whatever the file size.
//
// Owns its buffers; reads from a caller-owned stream that must outlive it. Not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/chunked_input.h"

namespace liaison::ingest {

class CsvReader {
 public:
  enum class Outcome {
    kRecord,     // fields() holds the record
    kBadRecord,  // the record was skipped; error() says why
    kEnd,        // no more records
    kReadError,  // the stream failed
  };

  CsvReader(std::istream& in, std::size_t max_record_bytes);

  Outcome Next();

  // The fields of the last record. Views stay valid until the next call to Next().
  const std::vector<std::string_view>& fields() const { return fields_; }
  // The physical line (1-based) on which the last record began.
  std::int64_t line() const { return record_line_; }
  // The stable reason of the last kBadRecord: "record_too_long", "unterminated_quote" or
  // "invalid_quote".
  std::string_view error() const { return error_; }

 private:
  ChunkedInput input_;
  std::size_t max_record_bytes_;
  bool skip_line_feed_ = false;  // the previous record ended with CR; drop the LF of a CRLF
  std::int64_t current_line_ = 1;
  std::int64_t record_line_ = 0;
  std::string record_;  // the unquoted bytes of the record's fields, back to back
  std::vector<std::size_t> ends_;
  std::vector<std::string_view> fields_;
  std::string_view error_;
};

// Writes one CSV field, quoting it when it holds a comma, a quote, CR or LF.
void AppendCsvField(std::string_view value, std::string& out);

}  // namespace liaison::ingest
