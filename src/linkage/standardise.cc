#include "linkage/standardise.h"

#include <algorithm>
#include <array>

#include "linkage/phonetic.h"

namespace liaison::linkage {
namespace {

// ASCII letters for U+00C0 to U+017F (Latin-1 Supplement and Latin Extended-A), "" where the
// code point is not a letter. Index = code point - 0xC0.
constexpr std::array<std::string_view, 0x180 - 0xC0> kLatinFold = {
    // U+00C0
    "A",
    "A",
    "A",
    "A",
    "A",
    "A",
    "AE",
    "C",
    "E",
    "E",
    "E",
    "E",
    "I",
    "I",
    "I",
    "I",
    // U+00D0
    "D",
    "N",
    "O",
    "O",
    "O",
    "O",
    "O",
    "",
    "O",
    "U",
    "U",
    "U",
    "U",
    "Y",
    "TH",
    "SS",
    // U+00E0
    "A",
    "A",
    "A",
    "A",
    "A",
    "A",
    "AE",
    "C",
    "E",
    "E",
    "E",
    "E",
    "I",
    "I",
    "I",
    "I",
    // U+00F0
    "D",
    "N",
    "O",
    "O",
    "O",
    "O",
    "O",
    "",
    "O",
    "U",
    "U",
    "U",
    "U",
    "Y",
    "TH",
    "Y",
    // U+0100
    "A",
    "A",
    "A",
    "A",
    "A",
    "A",
    "C",
    "C",
    "C",
    "C",
    "C",
    "C",
    "C",
    "C",
    "D",
    "D",
    // U+0110
    "D",
    "D",
    "E",
    "E",
    "E",
    "E",
    "E",
    "E",
    "E",
    "E",
    "E",
    "E",
    "G",
    "G",
    "G",
    "G",
    // U+0120
    "G",
    "G",
    "G",
    "G",
    "H",
    "H",
    "H",
    "H",
    "I",
    "I",
    "I",
    "I",
    "I",
    "I",
    "I",
    "I",
    // U+0130
    "I",
    "I",
    "IJ",
    "IJ",
    "J",
    "J",
    "K",
    "K",
    "K",
    "L",
    "L",
    "L",
    "L",
    "L",
    "L",
    "L",
    // U+0140
    "L",
    "L",
    "L",
    "N",
    "N",
    "N",
    "N",
    "N",
    "N",
    "N",
    "N",
    "N",
    "O",
    "O",
    "O",
    "O",
    // U+0150
    "O",
    "O",
    "OE",
    "OE",
    "R",
    "R",
    "R",
    "R",
    "R",
    "R",
    "S",
    "S",
    "S",
    "S",
    "S",
    "S",
    // U+0160
    "S",
    "S",
    "T",
    "T",
    "T",
    "T",
    "T",
    "T",
    "U",
    "U",
    "U",
    "U",
    "U",
    "U",
    "U",
    "U",
    // U+0170
    "U",
    "U",
    "U",
    "U",
    "W",
    "W",
    "Y",
    "Y",
    "Y",
    "Z",
    "Z",
    "Z",
    "Z",
    "Z",
    "Z",
    "S",
};

constexpr std::string_view kPlaceholderTokens[] = {
    "BABY",     "BABYOF",  "INFANT",  "NEWBORN", "NN",   "UNKNOWN", "UNK",    "NK",
    "NOTKNOWN", "TWIN",    "TRIPLET", "BOY",     "GIRL", "MALE",    "FEMALE", "BO",
    "CHILD",    "UNNAMED", "NONAME",  "XX",      "XXX",  "TEST"};

constexpr std::string_view kPlaceholderFamily[] = {"UNKNOWN",   "UNK", "NK", "NOTKNOWN",
                                                   "NOT KNOWN", "XX",  "XXX"};

std::vector<std::string_view> Tokens(std::string_view folded) {
  std::vector<std::string_view> tokens;
  std::size_t start = 0;
  while (start < folded.size()) {
    std::size_t end = folded.find(' ', start);
    if (end == std::string_view::npos) end = folded.size();
    if (end > start) tokens.push_back(folded.substr(start, end - start));
    start = end + 1;
  }
  return tokens;
}

bool IsLetter(char c) { return c >= 'A' && c <= 'Z'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Days since 1970-01-01 of a valid date.
std::int32_t DaysOf(std::chrono::year_month_day date) {
  return static_cast<std::int32_t>(std::chrono::sys_days(date).time_since_epoch().count());
}

// "NOT KNOWN" as two tokens means the same as NOTKNOWN; "B/O" folds to "B O".
bool IsPlaceholderGiven(const std::vector<std::string_view>& tokens) {
  if (tokens.empty()) return true;
  if (IsPlaceholderGivenToken(tokens[0])) return true;
  if (tokens.size() >= 2 && tokens[0] == "B" && tokens[1] == "O") return true;  // "B/O Mother"
  if (tokens.size() >= 2 && tokens[0] == "NOT" && tokens[1] == "KNOWN") return true;
  // A lone initial says too little to compare; it still counts as absent.
  return tokens.size() == 1 && tokens[0].size() == 1;
}

}  // namespace

std::string FoldText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  auto append = [&](std::string_view letters) {
    if (letters.empty()) return;
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.append(letters);
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c >= 'a' && c <= 'z') {
        char upper = static_cast<char>(c - 'a' + 'A');
        append(std::string_view(&upper, 1));
      } else if (IsLetter(static_cast<char>(c)) || IsDigit(static_cast<char>(c))) {
        append(std::string_view(&text[i], 1));
      } else if (c == '\'' || c == '`') {
        // O'Brien and OBrien are one name.
      } else {
        pending_space = true;
      }
      continue;
    }
    // Two-byte UTF-8 sequences cover the Latin letters we fold; anything else separates.
    if ((c & 0xE0) == 0xC0 && i + 1 < text.size()) {
      auto c2 = static_cast<unsigned char>(text[i + 1]);
      unsigned code = ((c & 0x1Fu) << 6) | (c2 & 0x3Fu);
      ++i;
      if (code >= 0xC0 && code < 0x180) {
        append(kLatinFold[code - 0xC0]);
        continue;
      }
      if (code == 0x2019 || code == 0x2018) continue;
      pending_space = true;
      continue;
    }
    // U+2019 (right single quotation mark) is an apostrophe in names such as O’Brien.
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) == 0x99 ||
         static_cast<unsigned char>(text[i + 2]) == 0x98)) {
      i += 2;
      continue;
    }
    pending_space = true;
  }
  return out;
}

bool IsPlaceholderGivenToken(std::string_view token) {
  return std::find(std::begin(kPlaceholderTokens), std::end(kPlaceholderTokens), token) !=
         std::end(kPlaceholderTokens);
}

std::optional<Postcode> NormalisePostcode(std::string_view text) {
  std::string compact;
  for (char c : text) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (IsLetter(c) || IsDigit(c)) {
      compact.push_back(c);
    } else if (c != ' ' && c != '-') {
      return std::nullopt;
    }
  }
  if (compact.size() < 5 || compact.size() > 7) return std::nullopt;
  std::string_view inward = std::string_view(compact).substr(compact.size() - 3);
  std::string_view outward = std::string_view(compact).substr(0, compact.size() - 3);
  if (!IsDigit(inward[0]) || !IsLetter(inward[1]) || !IsLetter(inward[2])) return std::nullopt;
  // Outward: one or two letters, a digit, then an optional letter or digit.
  std::size_t letters = 0;
  while (letters < outward.size() && IsLetter(outward[letters])) ++letters;
  if (letters < 1 || letters > 2 || letters >= outward.size()) return std::nullopt;
  if (!IsDigit(outward[letters])) return std::nullopt;
  std::size_t rest = outward.size() - letters - 1;
  if (rest > 1) return std::nullopt;
  Postcode postcode;
  postcode.full = std::string(outward) + " " + std::string(inward);
  postcode.outward_length = static_cast<std::uint8_t>(outward.size());
  postcode.area_length = static_cast<std::uint8_t>(letters);
  return postcode;
}

std::uint64_t ValidNhsNumber(std::string_view text) {
  std::uint64_t value = 0;
  int digits[10];
  int count = 0;
  for (char c : text) {
    if (IsDigit(c)) {
      if (count == 10) return 0;
      digits[count++] = c - '0';
      value = value * 10 + static_cast<std::uint64_t>(c - '0');
    } else if (c != ' ' && c != '-') {
      return 0;
    }
  }
  if (count != 10) return 0;
  int sum = 0;
  for (int i = 0; i < 9; ++i) sum += digits[i] * (10 - i);
  int check = 11 - sum % 11;
  if (check == 11) check = 0;
  if (check == 10 || check != digits[9]) return 0;
  return value;
}

Features Standardise(const PersonRecord& record, const NicknameTable& nicknames) {
  Features features;
  std::string_view nhs = record.nhs_number;
  while (!nhs.empty() && nhs.front() == ' ') nhs.remove_prefix(1);
  while (!nhs.empty() && nhs.back() == ' ') nhs.remove_suffix(1);
  if (!nhs.empty()) {
    features.nhs_number = ValidNhsNumber(nhs);
    features.nhs_number_invalid = features.nhs_number == 0;
  }

  std::string given = FoldText(record.given_name);
  std::vector<std::string_view> given_tokens = Tokens(given);
  if (!IsPlaceholderGiven(given_tokens)) {
    features.given = std::string(given_tokens[0]);
    for (std::size_t i = 1; i < given_tokens.size(); ++i) {
      if (given_tokens[i].size() < 2) continue;  // middle initials
      if (!features.other_given.empty()) features.other_given.push_back(' ');
      features.other_given.append(given_tokens[i]);
    }
    features.given_phonetic = Nysiis(features.given);
    features.given_groups = nicknames.GroupsOf(features.given);
  }
  std::string family = FoldText(record.family_name);
  bool family_placeholder = std::find(std::begin(kPlaceholderFamily), std::end(kPlaceholderFamily),
                                      family) != std::end(kPlaceholderFamily);
  if (!family.empty() && !family_placeholder) {
    features.family = std::move(family);
    features.family_phonetic = Nysiis(features.family);
  }

  if (record.birth_date && record.birth_date->ok()) {
    const std::chrono::year_month_day& date = *record.birth_date;
    features.birth_days = DaysOf(date);
    features.birth_year = static_cast<std::int16_t>(static_cast<int>(date.year()));
    features.birth_month = static_cast<std::uint8_t>(static_cast<unsigned>(date.month()));
    features.birth_day = static_cast<std::uint8_t>(static_cast<unsigned>(date.day()));
    features.birth_estimated = features.birth_month == 1 && features.birth_day == 1;
  }
  features.sex = record.sex;

  auto add_postcode = [&](std::string_view text) {
    std::optional<Postcode> postcode = NormalisePostcode(text);
    if (!postcode) return;
    for (const Postcode& seen : features.postcodes) {
      if (seen.full == postcode->full) return;
    }
    features.postcodes.push_back(std::move(*postcode));
  };
  add_postcode(record.postcode);
  for (const std::string& earlier : record.earlier_postcodes) add_postcode(earlier);
  return features;
}

}  // namespace liaison::linkage
