#include "ingest/raw_person_fields.h"

#include <algorithm>
#include <array>
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

// kBackslashes: whether to look for backslashes (a line without any need not).
template <bool kBackslashes>
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
    if constexpr (kBackslashes) masks.backslash |= bits(_mm_cmpeq_epi8(bytes, backslash));
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
        if (kBackslashes) masks.backslash |= bit;
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

// The wanted member a key names, at the top level or in patient. The names differ in length,
// so the length picks the one name to compare with (a table rather than a switch: key lengths
// come in no order a branch predictor could learn).
struct WantedName {
  Wanted wanted;
  std::string_view name;
};
constexpr std::size_t kLongestName = 13;
constexpr std::array<WantedName, kLongestName + 1> kTopLevelNames = [] {
  std::array<WantedName, kLongestName + 1> names{};
  for (WantedName& entry : names) entry = {Wanted::kNone, ""};
  names[13] = {Wanted::kAttendanceId, "attendance_id"};
  names[4] = {Wanted::kSite, "site"};
  names[7] = {Wanted::kPatient, "patient"};
  return names;
}();
constexpr std::array<WantedName, kLongestName + 1> kPatientNames = [] {
  std::array<WantedName, kLongestName + 1> names{};
  for (WantedName& entry : names) entry = {Wanted::kNone, ""};
  names[10] = {Wanted::kNhsNumber, "nhs_number"};
  names[8] = {Wanted::kLocalId, "local_id"};
  return names;
}();

template <typename Word>
Word Load(const char* bytes) {
  Word word;
  std::memcpy(&word, bytes, sizeof word);
  return word;
}

// Whether `key` spells `name`, of the same length (4 to 16): two overlapping loads of each.
bool SameName(const char* key, std::string_view name) {
  const std::size_t size = name.size();
  if (size >= 8) {
    return ((Load<std::uint64_t>(key) ^ Load<std::uint64_t>(name.data())) |
            (Load<std::uint64_t>(key + size - 8) ^ Load<std::uint64_t>(name.data() + size - 8))) ==
           0;
  }
  return ((Load<std::uint32_t>(key) ^ Load<std::uint32_t>(name.data())) |
          (Load<std::uint32_t>(key + size - 4) ^ Load<std::uint32_t>(name.data() + size - 4))) == 0;
}

Wanted KeyName(std::string_view key, const std::array<WantedName, kLongestName + 1>& names) {
  if (key.size() > kLongestName) return Wanted::kNone;
  const WantedName& entry = names[key.size()];
  if (entry.wanted == Wanted::kNone) return Wanted::kNone;
  return SameName(key.data(), entry.name) ? entry.wanted : Wanted::kNone;
}

// The scan from `first`, the line's opening brace. kBackslashes: whether the line has any
// backslash (most have none, and then no byte is escaped and no key or value has an escape).
template <bool kBackslashes>
std::optional<RawPersonFields> Scan(std::string_view line, const char* first) {
  const char* const begin = line.data();
  const char* const end = begin + line.size();

  RawPersonFields fields;
  // By Wanted: whether each was given, and where its value goes.
  std::array<bool, 6> seen{};
  const std::array<std::string_view*, 6> field_of = {
      nullptr, &fields.attendance_id, &fields.site, nullptr, &fields.nhs_number, &fields.local_id};
  // Nesting of {} and [] outside strings: 1 is the top-level object. in_patient is true while
  // depth 2 is the patient object (the only depth-2 object whose keys matter); patient_next
  // says the next opening bracket is the patient's.
  std::ptrdiff_t depth = 1;
  bool in_patient = false;
  bool patient_next = false;

  // Reads the member whose key ends just before the colon at `colon` (at depth 1, or directly
  // in patient): its key, and a wanted member's value. `all_quotes` has the unescaped quotes
  // of the colon's block, `backslashes` its backslashes. False when the line must be decoded
  // to be sure.
  constexpr auto index_of_patient = static_cast<std::size_t>(Wanted::kPatient);
  auto read_member = [&](const char* block, const char* colon, std::uint64_t all_quotes,
                         std::uint64_t backslashes) -> bool {
    const std::uint64_t quotes =
        all_quotes & ((std::uint64_t{1} << static_cast<std::size_t>(colon - block)) - 1);
    const char* open = nullptr;
    const char* close = nullptr;
    if ((quotes & (quotes - 1)) != 0) {  // two quotes or more
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
    const Wanted wanted = KeyName(key, depth == 1 ? kTopLevelNames : kPatientNames);
    if (wanted == Wanted::kNone) return true;
    const char* value = SkipSpace(colon + 1, end);
    if (value == end) return false;
    if (wanted == Wanted::kPatient) {
      if (seen[index_of_patient] || *value != '{') return false;
      seen[index_of_patient] = true;
      patient_next = true;
      return true;
    }
    if (*value != '"') return false;  // null, a number, an object, an array...
    // Its closing quote: the block's next quote when the value starts in this block (with no
    // backslash between), or found byte by byte, giving up at a backslash.
    const char* value_close = nullptr;
    const std::size_t value_at = static_cast<std::size_t>(value - block);
    const std::uint64_t later_quotes =
        value_at + 1 < kBlock ? all_quotes & (~std::uint64_t{0} << (value_at + 1)) : 0;
    if (later_quotes != 0) {
      const int close_at = std::countr_zero(later_quotes);
      const std::uint64_t inside = (std::uint64_t{1} << close_at) - (std::uint64_t{2} << value_at);
      if ((backslashes & inside) != 0) return false;
      value_close = block + close_at;
    } else {
      value_close = value + 1;
      while (true) {
        if (value_close == end || *value_close == '\\') return false;
        if (*value_close == '"') break;
        ++value_close;
      }
    }
    const std::string_view text(value + 1, static_cast<std::size_t>(value_close - value - 1));
    if (text.empty()) return false;
    if (wanted == Wanted::kNhsNumber && !NhsNumberKeptAsIs(text)) return false;
    const auto index = static_cast<std::size_t>(wanted);
    if (seen[index]) return false;
    seen[index] = true;
    *field_of[index] = text;
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
    // The last, partial block: the line's last 64 bytes, shifted, when it has 64; otherwise a
    // copy padded with zero bytes (none of the five).
    BlockMasks masks;
    if (size == kBlock) {
      masks = Classify<kBackslashes>(block);
    } else if (line.size() >= kBlock) {
      masks = Classify<kBackslashes>(end - kBlock);
      const std::size_t shift = kBlock - size;
      masks.quote >>= shift;
      masks.backslash >>= shift;
      masks.open >>= shift;
      masks.close >>= shift;
      masks.colon >>= shift;
    } else {
      std::memcpy(tail, block, size);
      std::memset(tail + size, 0, kBlock - size);
      masks = Classify<kBackslashes>(tail);
    }

    // Escaped bytes: rare, so worked out byte by byte, and only when there is a backslash.
    std::uint64_t escaped = 0;
    if (kBackslashes && (masks.backslash != 0 || escape_carry)) {
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
      // Without branches: the depth changes too often for a predictor.
      const bool relevant = (depth == 1) | ((depth == 2) & in_patient);
      const std::uint64_t events =
          (brackets | (colons & (std::uint64_t{0} - static_cast<std::uint64_t>(relevant)))) &
          remaining;
      if (events == 0) break;
      const std::uint64_t bit = events & (~events + 1);
      remaining &= ~(bit | (bit - 1));
      if ((brackets & bit) != 0) {
        // Without a branch on which: brackets come in no order a predictor could learn.
        depth += (opens & bit) != 0 ? 1 : -1;
        in_patient = (in_patient && depth != 1) || (patient_next && depth == 2);
        patient_next = false;
        if (depth == 0) {
          const char* after = block + std::countr_zero(bit) + 1;
          if (SkipSpace(after, end) != end ||
              !seen[static_cast<std::size_t>(Wanted::kAttendanceId)] ||
              !seen[static_cast<std::size_t>(Wanted::kSite)]) {
            return std::nullopt;
          }
          return fields;
        }
      } else if (!read_member(block, block + std::countr_zero(bit), quotes, masks.backslash)) {
        return std::nullopt;
      }
    }
  }
  return std::nullopt;  // the top-level object never closed
}

}  // namespace

std::optional<RawPersonFields> ScanRawPersonFields(std::string_view line) {
  const char* first = SkipSpace(line.data(), line.data() + line.size());
  if (first == line.data() + line.size() || *first != '{') return std::nullopt;
  if (std::memchr(first, '\\', line.size() - static_cast<std::size_t>(first - line.data())) ==
      nullptr) {
    return Scan<false>(line, first);
  }
  return Scan<true>(line, first);
}

}  // namespace liaison::ingest
