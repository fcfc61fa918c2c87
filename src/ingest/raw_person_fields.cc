#include "ingest/raw_person_fields.h"

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace liaison::ingest {
namespace {

bool IsJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

const char* SkipSpace(const char* p, const char* end) {
  while (p != end && IsJsonSpace(*p)) ++p;
  return p;
}

// The line is read 64 bytes at a time, each block as bit masks (bit i for byte i): the bytes
// that are quotes, backslashes, opening brackets ({ or [), closing brackets (} or ]) and colons.
constexpr std::size_t kBlock = 64;

struct BlockMasks {
  std::uint64_t quote = 0;
  std::uint64_t backslash = 0;
  std::uint64_t open = 0;
  std::uint64_t close = 0;
  std::uint64_t colon = 0;
};

BlockMasks Classify(const char* block) {
  BlockMasks masks;
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  // '{' and '[' differ only in bit 0x20, as do '}' and ']'.
  const __m128i case_bit = _mm_set1_epi8(0x20);
  const __m128i open = _mm_set1_epi8('{');
  const __m128i close = _mm_set1_epi8('}');
  const __m128i colon = _mm_set1_epi8(':');
  for (int part = 0; part < 4; ++part) {
    const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * part));
    const __m128i folded = _mm_or_si128(bytes, case_bit);
    auto bits = [&](__m128i equal) {
      return static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(equal)))
             << (16 * part);
    };
    masks.quote |= bits(_mm_cmpeq_epi8(bytes, quote));
    masks.backslash |= bits(_mm_cmpeq_epi8(bytes, backslash));
    masks.open |= bits(_mm_cmpeq_epi8(folded, open));
    masks.close |= bits(_mm_cmpeq_epi8(folded, close));
    masks.colon |= bits(_mm_cmpeq_epi8(bytes, colon));
  }
#else
  for (std::size_t i = 0; i < kBlock; ++i) {
    const std::uint64_t bit = std::uint64_t{1} << i;
    switch (block[i]) {
      case '"':
        masks.quote |= bit;
        break;
      case '\\':
        masks.backslash |= bit;
        break;
      case '{':
      case '[':
        masks.open |= bit;
        break;
      case '}':
      case ']':
        masks.close |= bit;
        break;
      case ':':
        masks.colon |= bit;
        break;
      default:
        break;
    }
  }
#endif
  return masks;
}

// Bit i set when an odd number of bits 0..i of `bits` are set.
std::uint64_t PrefixXor(std::uint64_t bits) {
  bits ^= bits << 1;
  bits ^= bits << 2;
  bits ^= bits << 4;
  bits ^= bits << 8;
  bits ^= bits << 16;
  bits ^= bits << 32;
  return bits;
}

// Whether RecordedNhsNumber::From keeps `text` as it is: it trims white space (std::isspace,
// so any byte outside printable ASCII is suspect), and turns a valid number written with
// separators ("943 476 5919") into its digits.
bool NhsNumberKeptAsIs(std::string_view text) {
  auto printable = [](char c) { return c > ' ' && c < '\x7f'; };
  if (!printable(text.front()) || !printable(text.back())) return false;
  bool separators = false;
  for (char c : text) {
    if (c == ' ' || c == '-') {
      separators = true;
    } else if (c < '0' || c > '9') {
      return true;  // not an NHS number in any form: kept as it is
    }
  }
  return !separators;
}

enum class Wanted { kNone, kAttendanceId, kSite, kPatient, kNhsNumber, kLocalId };

Wanted TopLevelKey(std::string_view key) {
  if (key == "attendance_id") return Wanted::kAttendanceId;
  if (key == "site") return Wanted::kSite;
  if (key == "patient") return Wanted::kPatient;
  return Wanted::kNone;
}

Wanted PatientKey(std::string_view key) {
  if (key == "nhs_number") return Wanted::kNhsNumber;
  if (key == "local_id") return Wanted::kLocalId;
  return Wanted::kNone;
}

}  // namespace

std::optional<RawPersonFields> ScanRawPersonFields(std::string_view line) {
  const char* const begin = line.data();
  const char* const end = begin + line.size();
  const char* first = SkipSpace(begin, end);
  if (first == end || *first != '{') return std::nullopt;

  RawPersonFields fields;
  bool seen_attendance_id = false;
  bool seen_site = false;
  bool seen_patient = false;
  bool seen_nhs_number = false;
  bool seen_local_id = false;
  // Nesting of {} and [] outside strings: 1 is the top-level object. in_patient is true while
  // depth 2 is the patient object (the only depth-2 object whose keys matter); patient_next
  // says the next opening bracket is the patient's.
  int depth = 1;
  bool in_patient = false;
  bool patient_next = false;

  // Reads the member whose key ends just before the colon at `colon` (at depth 1, or directly
  // in patient): its key, and a wanted member's value. `quotes` has the unescaped quotes of
  // the colon's block before the colon, `backslashes` the block's backslashes. False when the
  // line must be decoded to be sure.
  auto read_member = [&](const char* block, const char* colon, std::uint64_t quotes,
                         std::uint64_t backslashes) -> bool {
    const char* open = nullptr;
    const char* close = nullptr;
    if (std::popcount(quotes) >= 2) {
      // The key is the block's last string before the colon: its quotes are the last two.
      const int close_at = 63 - std::countl_zero(quotes);
      const int open_at = 63 - std::countl_zero(quotes & ~(std::uint64_t{1} << close_at));
      const std::uint64_t inside = (std::uint64_t{1} << close_at) - (std::uint64_t{2} << open_at);
      if ((backslashes & inside) != 0) return false;  // an escaped key could spell anything
      open = block + open_at;
      close = block + close_at;
    } else {
      // The key starts in an earlier block: read back byte by byte.
      close = colon;
      while (close != first && IsJsonSpace(close[-1])) --close;
      if (close == first || *--close != '"') return false;
      // Back to the opening quote, giving up at a backslash. (A quote preceded by a backslash
      // would be an escaped one.)
      open = close;
      do {
        if (open == first) return false;
        --open;
        if (*open == '\\') return false;
      } while (*open != '"');
      if (open[-1] == '\\') return false;
    }
    const std::string_view key(open + 1, static_cast<std::size_t>(close - open - 1));
    const Wanted wanted = depth == 1 ? TopLevelKey(key) : PatientKey(key);
    if (wanted == Wanted::kNone) return true;
    const char* value = SkipSpace(colon + 1, end);
    if (value == end) return false;
    if (wanted == Wanted::kPatient) {
      if (seen_patient || *value != '{') return false;
      seen_patient = true;
      patient_next = true;
      return true;
    }
    if (*value != '"') return false;  // null, a number, an object, an array...
    // Forward to the closing quote, giving up at a backslash.
    const char* value_close = value + 1;
    while (true) {
      if (value_close == end || *value_close == '\\') return false;
      if (*value_close == '"') break;
      ++value_close;
    }
    const std::string_view text(value + 1, static_cast<std::size_t>(value_close - value - 1));
    if (text.empty()) return false;
    bool* seen = nullptr;
    std::string_view* field = nullptr;
    switch (wanted) {
      case Wanted::kAttendanceId:
        seen = &seen_attendance_id;
        field = &fields.attendance_id;
        break;
      case Wanted::kSite:
        seen = &seen_site;
        field = &fields.site;
        break;
      case Wanted::kNhsNumber:
        if (!NhsNumberKeptAsIs(text)) return false;
        seen = &seen_nhs_number;
        field = &fields.nhs_number;
        break;
      case Wanted::kLocalId:
        seen = &seen_local_id;
        field = &fields.local_id;
        break;
      case Wanted::kNone:
      case Wanted::kPatient:
        return false;  // handled above
    }
    if (*seen) return false;
    *seen = true;
    *field = text;
    return true;
  };

  // Carried from one block to the next: whether its first byte is escaped, and whether it
  // starts inside a string (all ones) or not (zero).
  bool escape_carry = false;
  std::uint64_t string_carry = 0;
  alignas(16) char tail[kBlock];
  for (std::size_t offset = static_cast<std::size_t>(first + 1 - begin); offset < line.size();
       offset += kBlock) {
    const char* const block = begin + offset;
    const std::size_t size = std::min(kBlock, line.size() - offset);
    const char* bytes = block;
    if (size < kBlock) {
      std::memcpy(tail, block, size);
      std::memset(tail + size, 0, kBlock - size);  // a zero byte is none of the five
      bytes = tail;
    }
    const BlockMasks masks = Classify(bytes);

    // Escaped bytes: rare, so worked out byte by byte, and only when there is a backslash.
    std::uint64_t escaped = 0;
    if (masks.backslash != 0 || escape_carry) {
      bool escape_next = escape_carry;
      for (unsigned i = 0; i < kBlock; ++i) {
        if (escape_next) {
          escaped |= std::uint64_t{1} << i;
          escape_next = false;
        } else {
          escape_next = ((masks.backslash >> i) & 1) != 0;
        }
      }
      escape_carry = escape_next;
    }
    const std::uint64_t quotes = masks.quote & ~escaped;
    // In a string: from its opening quote up to, not including, its closing quote.
    const std::uint64_t in_string = PrefixXor(quotes) ^ string_carry;
    string_carry = static_cast<std::uint64_t>(static_cast<std::int64_t>(in_string) >> 63);
    const std::uint64_t opens = masks.open & ~in_string;
    const std::uint64_t closes = masks.close & ~in_string;
    const std::uint64_t colons = masks.colon & ~in_string;

    // The events, in order: brackets, and the colons of members whose keys matter (where
    // they matter changes only at a bracket).
    const std::uint64_t brackets = opens | closes;
    std::uint64_t remaining = ~std::uint64_t{0};
    while (true) {
      const bool relevant = depth == 1 || (depth == 2 && in_patient);
      const std::uint64_t events = (brackets | (relevant ? colons : 0)) & remaining;
      if (events == 0) break;
      const std::uint64_t bit = events & (~events + 1);
      remaining &= ~(bit | (bit - 1));
      if ((opens & bit) != 0) {
        ++depth;
        if (patient_next) {
          in_patient = true;
          patient_next = false;
        }
      } else if ((closes & bit) != 0) {
        --depth;
        if (depth == 1) in_patient = false;
        if (depth == 0) {
          const char* after = block + std::countr_zero(bit) + 1;
          if (SkipSpace(after, end) != end || !seen_attendance_id || !seen_site) {
            return std::nullopt;
          }
          return fields;
        }
      } else if (!read_member(block, block + std::countr_zero(bit), quotes & (bit - 1),
                              masks.backslash)) {
        return std::nullopt;
      }
    }
  }
  return std::nullopt;  // the top-level object never closed
}

}  // namespace liaison::ingest
