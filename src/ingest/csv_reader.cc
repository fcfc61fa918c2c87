#include "ingest/csv_reader.h"

namespace liaison::ingest {
CsvReader::CsvReader(std::istream& in, std::size_t max_record_bytes)
    : input_(in), max_record_bytes_(max_record_bytes) {}

CsvReader::Outcome CsvReader::Next() {
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };
  for (;;) {
    record_.clear();
    ends_.clear();
    fields_.clear();
    error_ = {};
    record_line_ = current_line_;
    State state = State::kFieldStart;
    bool too_long = false;
    bool bad_quote = false;
    bool has_content = false;  // anything besides the line end
    bool at_end = false;

    auto append = [&](char c) {
      if (record_.size() >= max_record_bytes_) {
        too_long = true;
        return;
      }
      record_.push_back(c);
    };
    auto end_field = [&] { ends_.push_back(record_.size()); };

    for (;;) {
      std::string_view available = input_.Available();
      if (available.empty()) {
        at_end = true;
        break;
      }
      char c = available.front();
      input_.Consume(1);
      if (skip_line_feed_) {
        skip_line_feed_ = false;
        if (c == '\n') continue;
      }
      bool line_end = false;
      switch (state) {
        case State::kFieldStart:
          if (c == '"') {
            state = State::kQuoted;
            has_content = true;
          } else if (c == ',') {
            end_field();
            has_content = true;
          } else if (c == '\n' || c == '\r') {
            line_end = true;
          } else {
            append(c);
            state = State::kUnquoted;
            has_content = true;
          }
          break;
        case State::kUnquoted:
          if (c == ',') {
            end_field();
            state = State::kFieldStart;
          } else if (c == '\n' || c == '\r') {
            line_end = true;
          } else {
            append(c);  // a stray quote inside an unquoted field is kept as data
          }
          break;
        case State::kQuoted:
          if (c == '"') {
            state = State::kQuoteInQuoted;
          } else {
            if (c == '\n') ++current_line_;
            append(c);
          }
          break;
        case State::kQuoteInQuoted:
          if (c == '"') {
            append('"');
            state = State::kQuoted;
          } else if (c == ',') {
            end_field();
            state = State::kFieldStart;
          } else if (c == '\n' || c == '\r') {
            line_end = true;
          } else {
            bad_quote = true;
            append(c);
            state = State::kUnquoted;
          }
          break;
      }
      if (line_end) {
        ++current_line_;
        if (c == '\r') skip_line_feed_ = true;
        break;
      }
    }

    if (at_end && !has_content) {
      return input_.read_error() ? Outcome::kReadError : Outcome::kEnd;
    }
    if (!has_content) continue;  // a blank line is not a record
    if (input_.read_error()) return Outcome::kReadError;
    if (too_long) {
      error_ = "record_too_long";
      return Outcome::kBadRecord;
    }
    if (at_end && state == State::kQuoted) {
      error_ = "unterminated_quote";
      return Outcome::kBadRecord;
    }
    if (bad_quote) {
      error_ = "invalid_quote";
      return Outcome::kBadRecord;
    }
    end_field();
    std::size_t start = 0;
    for (std::size_t end : ends_) {
      fields_.emplace_back(record_.data() + start, end - start);
      start = end;
    }
    return Outcome::kRecord;
  }
}

void AppendCsvField(std::string_view value, std::string& out) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(value);
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace liaison::ingest
