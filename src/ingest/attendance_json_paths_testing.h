// Test support: decodes with both paths of AttendanceJsonDecoder and compares the results,
// and mutates rows into odd ones. Used by the differential tests in ingest/ and synth/.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "ingest/attendance_json.h"

namespace liaison::ingest::testing {

// Decodes with both paths, reusing each decoder and its decoded row from one input to the next
// as the feed reader does (so the fast path's reused buffers are exercised too), and compares;
// also compares the reused row with one decoded afresh, since both paths fill a reused row in
// place and would agree on anything left over from the previous input.
class TwoPaths {
 public:
  explicit TwoPaths(AttendanceLimits limits = {})
      : fast_(limits, JsonDecodePath::kFast),
        padded_(limits, JsonDecodePath::kFast),
        reference_(limits, JsonDecodePath::kReference),
        fresh_(limits, JsonDecodePath::kReference) {}

  // Returns a description of the first difference, or "" when the paths agree. Statuses are
  // shown whole (they never contain a value from the input); attendances are not.
  std::string Compare(std::string_view text) {
    ++rows_;
    Status fast_status = fast_.DecodeInto(text, fast_row_);
    Status reference_status = reference_.DecodeInto(text, reference_row_);
    if (fast_status.ok() != reference_status.ok()) {
      return "fast: " + fast_status.ToString() + ", reference: " + reference_status.ToString();
    }
    if (!reference_status.ok()) {
      if (fast_status.code() != reference_status.code() ||
          fast_status.reason() != reference_status.reason() ||
          fast_status.field() != reference_status.field() ||
          fast_status.message() != reference_status.message()) {
        return "fast: " + fast_status.ToString() + ", reference: " + reference_status.ToString();
      }
      return "";
    }
    std::string fast_json = EncodeAttendanceJson(fast_row_.attendance);
    std::string reference_json = EncodeAttendanceJson(reference_row_.attendance);
    if (fast_json != reference_json) {
      // Where they part, not what they hold: rows may carry names and NHS numbers.
      std::size_t at = 0;
      while (at < fast_json.size() && at < reference_json.size() &&
             fast_json[at] == reference_json[at]) {
        ++at;
      }
      return "encodings differ from byte " + std::to_string(at);
    }
    if (!(fast_row_.attendance == reference_row_.attendance)) return "attendances differ";
    Result<DecodedAttendance> fresh = fresh_.Decode(text);
    if (!fresh.ok()) return "a fresh decode failed: " + fresh.status().ToString();
    if (!(fresh->attendance == reference_row_.attendance) ||
        fresh->warnings != reference_row_.warnings) {
      return "a reused row differs from a fresh one";
    }
    if (std::string padded = ComparePadded(text, fast_status); !padded.empty()) return padded;
    if (fast_row_.warnings != reference_row_.warnings) {
      std::string both = "warnings differ:";  // paths and reasons only
      for (const FieldWarning& w : fast_row_.warnings) both += " fast " + w.field + " " + w.reason;
      for (const FieldWarning& w : reference_row_.warnings) {
        both += " reference " + w.field + " " + w.reason;
      }
      return both;
    }
    return "";
  }

  std::uint64_t rows() const { return rows_; }
  std::uint64_t fast_rows() const { return fast_.fast_rows(); }

 private:
  // The fast path again, through DecodeIntoPadded, with the row followed by bytes that would
  // change its meaning if the parser read them as part of it; the answer must not change.
  std::string ComparePadded(std::string_view text, const Status& fast_status) {
    using namespace std::string_view_literals;
    static constexpr std::string_view kJunk = "\",\"x\":[1,{\"}]\\\n\0\xFF"sv;
    padded_text_.assign(text);
    while (padded_text_.size() < text.size() + AttendanceJsonDecoder::kPaddingBytes) {
      padded_text_ += kJunk;
    }
    Status padded_status = padded_.DecodeIntoPadded(
        std::string_view(padded_text_).substr(0, text.size()), padded_row_);
    if (padded_status.ToString() != fast_status.ToString()) {
      return "padded: " + padded_status.ToString() + ", unpadded: " + fast_status.ToString();
    }
    if (fast_status.ok() && (!(padded_row_.attendance == fast_row_.attendance) ||
                             padded_row_.warnings != fast_row_.warnings)) {
      return "a padded row decodes differently";
    }
    return "";
  }

  AttendanceJsonDecoder fast_;
  AttendanceJsonDecoder padded_;
  std::string padded_text_;
  DecodedAttendance padded_row_;
  AttendanceJsonDecoder reference_;
  AttendanceJsonDecoder fresh_;
  DecodedAttendance fast_row_;
  DecodedAttendance reference_row_;
  std::uint64_t rows_ = 0;
};

// Names the input of a failure by its number among the inputs compared and its size, never by
// its content: rows may carry names and NHS numbers (synthetic here, but the habit matters).
#define EXPECT_SAME(paths, text)                                                        \
  do {                                                                                  \
    std::string difference_ = (paths).Compare(text);                                    \
    EXPECT_EQ(difference_, "") << "input " << (paths).rows() << " of " << (text).size() \
                               << " bytes";                                             \
  } while (false)

// The smallest valid attendance, and a helper that adds members to it.
inline constexpr std::string_view kMinimal =
    R"({"attendance_id":"A1","site":"RSY01","arrival":"2026-01-02T03:04:05Z","patient":{}})";

inline std::string With(std::string_view members) {
  std::string text(kMinimal);
  text.pop_back();
  text += ",";
  text += members;
  text += "}";
  return text;
}

// Small edits that turn a valid row into an odd one: flipped, dropped and doubled bytes, a
// repeated or unknown member, a member's value swapped for another type, truncation.
inline std::string Mutate(const std::string& line, std::mt19937_64& random) {
  if (line.empty()) return line;
  std::string out = line;
  auto at = [&](std::size_t size) {
    return static_cast<std::size_t>(random() % std::max<std::size_t>(size, 1));
  };
  static const std::vector<std::string> kInserts = {
      R"("x":1,)",
      R"("site":"OTHER",)",
      R"("notes":"twice",)",
      R"("x":{"y":[[[[[[[[1]]]]]]]]},)",
      R"("x":1,"x":2,)",
      R"("observations":{"temperature_c":36.125},)",
      R"("observations":{"temperature_c":37.20000000000000000001},)",
      R"("observations":{"temperature_c":15.434999999999999},)",
      R"("injuries":[{"count":1.0}],)",
      R"("notes":"\ud800",)",
      R"("notes":"\ud83d\ude00",)",
      R"("notes":null,)",
      R"("notes":"",)",
      R"("notes":7,)",
  };
  switch (random() % 8) {
    case 0:
      out[at(out.size())] ^= static_cast<char>(1 + random() % 255);
      break;
    case 1:
      out.erase(at(out.size()), 1);
      break;
    case 2: {
      std::size_t begin = at(out.size());
      out.insert(begin, out.substr(begin, 1 + at(20)));
      break;
    }
    case 3:
    case 4: {
      // After an object's opening brace, so that the row stays JSON more often than not.
      std::size_t brace = out.find('{', at(out.size()));
      if (brace == std::string::npos) brace = 0;
      out.insert(brace + 1, kInserts[at(kInserts.size())]);
      break;
    }
    case 5:
      out.resize(at(out.size()));
      break;
    case 6: {
      // A string value becomes a number, or a number a string.
      std::size_t colon = out.find(":\"", at(out.size()));
      if (colon != std::string::npos) {
        std::size_t close = out.find('"', colon + 2);
        if (close != std::string::npos) out.replace(colon + 1, close - colon, "12345");
      }
      break;
    }
    default: {
      std::size_t quote = out.find('"', at(out.size()));
      if (quote != std::string::npos) out.insert(quote + 1, "\xC3\xA9\\u00e9\xF0\x9F\x98\x80");
      break;
    }
  }
  return out;
}

}  // namespace liaison::ingest::testing
