#include "recognition/text_matcher.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace liaison::recognition {
namespace {

constexpr std::size_t kPreWindowWords = 6;   // NegEx-style window before the term
constexpr std::size_t kPostWindowWords = 3;  // and after it
constexpr std::size_t kSnippetWords = 6;
constexpr std::size_t kMaxTextBytes = 1 << 20;  // longer text is scanned up to this length

// ASCII only, as the C locale's isalnum (the engine never changes the locale), without the
// per-character library call.
bool IsWordChar(char c) {
  unsigned char u = static_cast<unsigned char>(c);
  return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || c == '\'' ||
         u >= 0x80;
}

char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c; }

bool IsHardBoundary(char c) {
  return c == '.' || c == ';' || c == '!' || c == '?' || c == '\n' || c == '\r';
}

// A word of the lower-cased text (AsciiLowered), with its offsets, which are the same in the
// original text.
struct Word {
  std::string_view text;
  std::size_t begin;
  std::size_t end;
};

std::string AsciiLowered(std::string_view text) {
  std::string lowered(text);
  for (char& c : lowered) c = AsciiLower(c);
  return lowered;
}

// Words of lowered[from, to), with their offsets.
std::vector<Word> WordsIn(std::string_view lowered, std::size_t from, std::size_t to) {
  std::vector<Word> words;
  std::size_t i = from;
  while (i < to) {
    while (i < to && !IsWordChar(lowered[i])) ++i;
    std::size_t start = i;
    while (i < to && IsWordChar(lowered[i])) ++i;
    if (i > start) words.push_back({lowered.substr(start, i - start), start, i});
  }
  return words;
}

bool IsClauseWord(std::string_view word) {
  static constexpr std::array<std::string_view, 7> kWords = {
      "but", "however", "although", "though", "except", "whereas", "yet"};
  return std::find(kWords.begin(), kWords.end(), word) != kWords.end();
}

// Where the clause holding `position` starts and ends (hard boundaries only; clause words are
// handled on the word lists, so that "apart from" can be two words).
std::pair<std::size_t, std::size_t> ClauseAround(std::string_view text, std::size_t begin,
                                                 std::size_t end) {
  std::size_t start = begin;
  while (start > 0 && !IsHardBoundary(text[start - 1])) --start;
  std::size_t stop = end;
  while (stop < text.size() && !IsHardBoundary(text[stop])) ++stop;
  return {start, stop};
}

bool IsPreCue(std::string_view word) {
  static constexpr std::array<std::string_view, 14> kCues = {
      "no",     "not",    "nil",  "nor",     "neither",  "never",  "without",
      "denies", "denied", "deny", "denying", "negative", "absent", "none"};
  return std::find(kCues.begin(), kCues.end(), word) != kCues.end();
}

bool IsPostCue(std::string_view word) {
  static constexpr std::array<std::string_view, 8> kCues = {
      "nil", "none", "absent", "excluded", "negative", "denied", "unlikely", "resolved"};
  return std::find(kCues.begin(), kCues.end(), word) != kCues.end();
}

// "cannot exclude", "not ruled out", "can't rule out": uncertainty, which keeps the finding.
bool IsPseudoNegation(const std::vector<Word>& words, std::size_t cue) {
  auto at = [&](std::size_t i) -> std::string_view {
    return i < words.size() ? std::string_view(words[i].text) : std::string_view();
  };
  std::string_view next = at(cue + 1);
  std::string_view after = at(cue + 2);
  if (next == "exclude" || next == "excluded" || next == "rule" || next == "ruled") return true;
  if (next == "be" && (after == "excluded" || after == "ruled")) return true;
  if (next == "only" || next == "just") return true;  // "not only"
  return false;
}

bool StartsClause(const std::vector<Word>& words, std::size_t i) {
  if (IsClauseWord(words[i].text)) return true;
  if (i + 1 < words.size()) {
    std::string_view next = words[i + 1].text;
    if ((words[i].text == "apart" || words[i].text == "aside") && next == "from") return true;
    if (words[i].text == "other" && next == "than") return true;
  }
  return false;
}

// Whether the term at [begin, end) continues a list that a negation cue opened: "no rash,
// bruising or petechiae", "no rash, swelling or bruising". Otherwise a comma between the cue and
// the term ends the cue's scope, so "not independently mobile, bruise to cheek" and "no fever,
// bruise to ear" still match.
bool ContinuesList(std::string_view text, const std::vector<Word>& before, std::size_t end,
                   std::size_t clause_end) {
  auto joins = [](std::string_view word) { return word == "or" || word == "nor" || word == "and"; };
  if (!before.empty() && joins(before.back().text)) return true;
  std::size_t next = end;
  while (next < clause_end && text[next] == ' ') ++next;
  if (next < clause_end && text[next] == ',') return true;
  std::vector<Word> after = WordsIn(text, end, clause_end);
  return !after.empty() && joins(after.front().text) &&
         text.substr(end, after.front().begin - end).find(',') == std::string_view::npos;
}

bool NegatedBefore(std::string_view text, std::size_t clause_start, std::size_t begin,
                   std::size_t end, std::size_t clause_end) {
  std::vector<Word> words = WordsIn(text, clause_start, begin);
  // Words after the last clause word only.
  std::size_t first = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (StartsClause(words, i)) first = i + 1;
  }
  std::size_t window_start =
      words.size() - first > kPreWindowWords ? words.size() - kPreWindowWords : first;
  for (std::size_t i = window_start; i < words.size(); ++i) {
    bool cue = IsPreCue(words[i].text) || words[i].text.ends_with("n't");  // "doesn't"
    if (!cue || IsPseudoNegation(words, i)) continue;
    bool comma =
        text.substr(words[i].end, begin - words[i].end).find(',') != std::string_view::npos;
    if (!comma || ContinuesList(text, words, end, clause_end)) return true;
  }
  return false;
}

// "pregnancy test done", "HIV test requested", "chlamydia swab taken": a test was ordered, which
// says nothing about the result. Only a positive result right after counts.
bool IsUnresultedTest(std::string_view text, std::size_t end, std::size_t clause_end) {
  static constexpr std::array<std::string_view, 10> kTestWords = {
      "test", "tests", "testing",  "screen", "screening",
      "swab", "swabs", "serology", "status", "bloods"};
  std::vector<Word> words = WordsIn(text, end, clause_end);
  if (words.empty() ||
      std::find(kTestWords.begin(), kTestWords.end(), words[0].text) == kTestWords.end()) {
    return false;
  }
  for (std::size_t i = 1; i < words.size() && i <= kPostWindowWords; ++i) {
    if (words[i].text == "positive" || words[i].text == "detected" ||
        words[i].text == "confirmed") {
      return false;
    }
  }
  return true;
}

bool NegatedAfter(std::string_view text, std::size_t end, std::size_t clause_end) {
  std::vector<Word> words = WordsIn(text, end, clause_end);
  for (std::size_t i = 0; i < words.size() && i < kPostWindowWords; ++i) {
    if (StartsClause(words, i)) return false;
    // A comma after the term starts a new item: "bruise to ear, fracture excluded".
    std::string_view between = text.substr(end, words[i].begin - end);
    if (between.find(',') != std::string_view::npos) return false;
    bool after_not = i > 0 && (words[i - 1].text == "not" || words[i - 1].text == "cannot" ||
                               words[i - 1].text.ends_with("n't"));
    if (IsPostCue(words[i].text)) return !after_not;  // "not excluded" keeps it open
    if (words[i].text == "not" && i + 1 < words.size()) {
      std::string_view next = words[i + 1].text;
      if (next == "seen" || next == "found" || next == "present" || next == "identified" ||
          next == "shown" || next == "evident") {
        return true;
      }
    }
    if (words[i].text == "ruled" && i + 1 < words.size() && words[i + 1].text == "out" &&
        !(i > 0 && (words[i - 1].text == "not" || words[i - 1].text.ends_with("n't")))) {
      return true;
    }
  }
  return false;
}

// Text safe to quote inside an evidence string: `"` and `\` become `'`, controls a space, and
// leading and trailing spaces go.
std::string Quoted(std::string_view text) {
  std::string quoted;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      quoted.push_back('\'');
    } else if (u < 0x20) {
      quoted.push_back(' ');
    } else {
      quoted.push_back(c);
    }
  }
  while (!quoted.empty() && quoted.front() == ' ') quoted.erase(quoted.begin());
  while (!quoted.empty() && quoted.back() == ' ') quoted.pop_back();
  return quoted;
}

// The first `limit` bytes of `text`, shortened so that no UTF-8 character is cut.
std::string_view Prefix(std::string_view text, std::size_t limit) {
  if (text.size() <= limit) return text;
  while (limit > 0 && (static_cast<unsigned char>(text[limit]) & 0xC0) == 0x80) --limit;
  return text.substr(0, limit);
}

std::string Snippet(std::string_view text, std::string_view lowered, std::size_t begin,
                    std::size_t clause_end) {
  std::vector<Word> words = WordsIn(lowered, begin, clause_end);
  std::size_t stop = begin;
  for (std::size_t i = 0; i < words.size() && i < kSnippetWords; ++i) {
    if (i > 0 && StartsClause(words, i)) break;
    std::string_view between = text.substr(stop, words[i].begin - stop);
    if (i > 0 && between.find(',') != std::string_view::npos) break;
    stop = words[i].end;
  }
  if (stop == begin) return Quoted(Prefix(text.substr(begin, clause_end - begin), 40));
  return Quoted(text.substr(begin, stop - begin));
}

RE2::Options MatcherOptions() {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);
  return options;
}

}  // namespace

std::string TermPattern(std::string_view term) {
  std::string pattern = "\\b";
  std::string word;
  bool first = true;
  bool wildcard = false;
  auto flush = [&] {
    if (word.empty()) return;
    if (!first) pattern += "[\\s\\-]+";
    pattern += RE2::QuoteMeta(word);
    word.clear();
    first = false;
  };
  for (std::size_t i = 0; i < term.size(); ++i) {
    char c = term[i];
    if (c == '*' && i + 1 == term.size()) {
      wildcard = true;
    } else if (c == ' ' || c == '-') {
      flush();
    } else {
      word.push_back(c);
    }
  }
  flush();
  pattern += wildcard ? "\\w*" : "\\b";
  return pattern;
}

namespace {

// IsNegated over text already lower-cased by AsciiLowered.
bool IsNegatedLowered(std::string_view lowered, std::size_t begin, std::size_t end) {
  auto [clause_start, clause_end] = ClauseAround(lowered, begin, end);
  return NegatedBefore(lowered, clause_start, begin, end, clause_end) ||
         NegatedAfter(lowered, end, clause_end) || IsUnresultedTest(lowered, end, clause_end);
}

}  // namespace

bool IsNegated(std::string_view text, std::size_t begin, std::size_t end) {
  return IsNegatedLowered(AsciiLowered(text), begin, end);
}

Result<std::unique_ptr<TextMatcher>> TextMatcher::Build(const Concepts& concepts) {
  auto set = std::make_unique<RE2::Set>(MatcherOptions(), RE2::UNANCHORED);
  std::vector<Term> terms;
  for (std::size_t i = 0; i < kConceptCount; ++i) {
    Concept concept_id = static_cast<Concept>(i);
    for (const std::string& term : concepts.set(concept_id).terms) {
      std::string pattern = TermPattern(term);
      std::string error;
      if (set->Add(pattern, &error) < 0) {
        return InvalidArgument("invalid_concept_file", std::string(ConceptSlug(concept_id)) +
                                                           ".tsv: term cannot be compiled");
      }
      auto compiled = std::make_unique<RE2>(pattern, MatcherOptions());
      if (!compiled->ok()) {
        return InvalidArgument("invalid_concept_file", std::string(ConceptSlug(concept_id)) +
                                                           ".tsv: term cannot be compiled");
      }
      terms.push_back({concept_id, std::move(compiled)});
    }
  }
  if (!set->Compile()) {
    return Internal("matcher_too_large", "the concept terms do not fit the matcher's memory");
  }
  return std::unique_ptr<TextMatcher>(new TextMatcher(concepts, std::move(set), std::move(terms)));
}

bool TextMatcher::MayMatchAny(std::span<const std::string_view> texts) const {
  std::string joined;
  for (std::string_view text : texts) {
    // Find scans each text up to the same bound; a newline keeps words of two texts apart.
    if (text.size() > kMaxTextBytes) text = text.substr(0, kMaxTextBytes);
    joined.append(text);
    joined.push_back('\n');
  }
  return set_->Match(re2::StringPiece(joined.data(), joined.size()), nullptr);
}

std::vector<TextHit> TextMatcher::Find(std::string_view text) const {
  std::vector<TextHit> hits;
  if (text.size() > kMaxTextBytes) text = text.substr(0, kMaxTextBytes);
  std::vector<int> matched;
  if (text.empty() || !set_->Match(re2::StringPiece(text.data(), text.size()), &matched)) {
    return hits;
  }
  std::sort(matched.begin(), matched.end());
  // Negation and snippets compare words in lower case; one copy serves every hit.
  std::string lowered = AsciiLowered(text);
  for (int index : matched) {
    const Term& term = terms_[static_cast<std::size_t>(index)];
    re2::StringPiece input(text.data(), text.size());
    std::size_t position = 0;
    re2::StringPiece found;
    while (position <= text.size() &&
           term.pattern->Match(input, position, text.size(), RE2::UNANCHORED, &found, 1)) {
      std::size_t begin = static_cast<std::size_t>(found.data() - text.data());
      std::size_t end = begin + found.size();
      position = end > begin ? end : begin + 1;
      bool overlaps = std::any_of(hits.begin(), hits.end(), [&](const TextHit& hit) {
        return hit.concept_id == term.concept_id && hit.begin < end && begin < hit.end;
      });
      if (overlaps || IsNegatedLowered(lowered, begin, end)) continue;
      auto [clause_start, clause_end] = ClauseAround(text, begin, end);
      std::string_view clause = text.substr(clause_start, clause_end - clause_start);
      TextHit hit{term.concept_id,
                  begin,
                  end,
                  Snippet(text, lowered, begin, clause_end),
                  concepts_.sites().FindAll(clause),
                  concepts_.patterns().FindAll(clause),
                  Quoted(Prefix(clause, 80))};
      hits.push_back(std::move(hit));
    }
  }
  std::sort(hits.begin(), hits.end(), [](const TextHit& a, const TextHit& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.concept_id < b.concept_id;
  });
  return hits;
}

}  // namespace liaison::recognition
