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

// The first `limit` words of lowered[from, to), with their offsets, into `words` (cleared
// first).
void WordsInto(std::string_view lowered, std::size_t from, std::size_t to, std::vector<Word>& words,
               std::size_t limit = std::string_view::npos) {
  words.clear();
  std::size_t i = from;
  while (i < to && words.size() < limit) {
    while (i < to && !IsWordChar(lowered[i])) ++i;
    std::size_t start = i;
    while (i < to && IsWordChar(lowered[i])) ++i;
    if (i > start) words.push_back({lowered.substr(start, i - start), start, i});
  }
}

// The words after a term that negation reads: NegatedAfter and IsUnresultedTest look at most
// kPostWindowWords + 1 words on (a cue and the word after it).
constexpr std::size_t kAfterWords = kPostWindowWords + 1;

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
                   std::size_t clause_end, const std::vector<Word>& after) {
  auto joins = [](std::string_view word) { return word == "or" || word == "nor" || word == "and"; };
  if (!before.empty() && joins(before.back().text)) return true;
  std::size_t next = end;
  while (next < clause_end && text[next] == ' ') ++next;
  if (next < clause_end && text[next] == ',') return true;
  return !after.empty() && joins(after.front().text) &&
         text.substr(end, after.front().begin - end).find(',') == std::string_view::npos;
}

// `words` are the clause's words before the term, `after` its first kAfterWords after it.
bool NegatedBefore(std::string_view text, const std::vector<Word>& words, std::size_t begin,
                   std::size_t end, std::size_t clause_end, const std::vector<Word>& after) {
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
    if (!comma || ContinuesList(text, words, end, clause_end, after)) return true;
  }
  return false;
}

// "pregnancy test done", "HIV test requested", "chlamydia swab taken": a test was ordered, which
// says nothing about the result. Only a positive result right after counts.
bool IsUnresultedTest(const std::vector<Word>& words) {
  static constexpr std::array<std::string_view, 10> kTestWords = {
      "test", "tests", "testing",  "screen", "screening",
      "swab", "swabs", "serology", "status", "bloods"};
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

bool NegatedAfter(std::string_view text, std::size_t end, const std::vector<Word>& words) {
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
  // The snippet reads at most kSnippetWords words and the word after them (StartsClause).
  thread_local std::vector<Word> words;
  WordsInto(lowered, begin, clause_end, words, kSnippetWords + 1);
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

// Splits a term as TermPattern does: words separated by spaces or hyphens, and whether it ends
// in the '*' wildcard.
template <typename OnWord>
bool SplitTerm(std::string_view term, OnWord on_word) {
  std::string word;
  bool wildcard = false;
  for (std::size_t i = 0; i < term.size(); ++i) {
    char c = term[i];
    if (c == '*' && i + 1 == term.size()) {
      wildcard = true;
    } else if (c == ' ' || c == '-') {
      if (!word.empty()) on_word(word);
      word.clear();
    } else {
      word.push_back(c);
    }
  }
  if (!word.empty()) on_word(word);
  return wildcard;
}

// RE2's \w and the bytes its \b counts as word bytes: [0-9A-Za-z_].
constexpr bool IsAsciiWordByte(unsigned char u) {
  return (u >= '0' && u <= '9') || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || u == '_';
}

// RE2's [\s\-]: \s is [\t\n\f\r ].
constexpr bool IsSeparator(unsigned char u) {
  return u == ' ' || u == '-' || u == '\t' || u == '\n' || u == '\f' || u == '\r';
}

// IsAsciiWordByte and IsSeparator of every byte, and its ASCII lower case, for the trie scan.
struct ByteTable {
  std::array<bool, 256> word{};
  std::array<bool, 256> separator{};
  std::array<unsigned char, 256> lower{};
};

constexpr ByteTable MakeByteTable() {
  ByteTable table;
  for (unsigned byte = 0; byte < 256; ++byte) {
    auto u = static_cast<unsigned char>(byte);
    table.word[byte] = IsAsciiWordByte(u);
    table.separator[byte] = IsSeparator(u);
    table.lower[byte] = u >= 'A' && u <= 'Z' ? static_cast<unsigned char>(u + ('a' - 'A')) : u;
  }
  return table;
}

constexpr ByteTable kBytes = MakeByteTable();

// Whether RE2's \b holds at `position` of `text`.
bool IsBoundary(std::string_view text, std::size_t position) {
  bool before = position > 0 && IsAsciiWordByte(static_cast<unsigned char>(text[position - 1]));
  bool after =
      position < text.size() && IsAsciiWordByte(static_cast<unsigned char>(text[position]));
  return before != after;
}

// A term the trie matches exactly as RE2 does: its words are printable ASCII, so none holds a
// separator byte and none a character RE2 folds to something else than its ASCII other case.
bool IsTrieTerm(std::string_view term) {
  bool printable = true;
  SplitTerm(term, [&](const std::string& word) {
    for (char c : word) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x21 || u > 0x7E) printable = false;
    }
  });
  return printable;
}

// Whether `text` has U+017F or U+212A, which RE2's case-insensitive matching takes for s and k
// (in letters and in \w), and the trie does not.
bool HasFoldedLetter(std::string_view text) {
  return text.find("\xC5\xBF") != std::string_view::npos ||
         text.find("\xE2\x84\xAA") != std::string_view::npos;
}

// Buffers one scan reuses, per thread.
struct ScanBuffers {
  std::string joined;
  std::vector<std::size_t> starts;  // of each text in joined
  std::vector<int> matched;
  std::vector<TextMatcher::Occurrence> occurrences;
  std::string lowered;
  std::string snippet_lowered;
};

ScanBuffers& Buffers() {
  thread_local ScanBuffers buffers;
  return buffers;
}

}  // namespace

std::string TermPattern(std::string_view term) {
  std::string pattern = "\\b";
  bool first = true;
  bool wildcard = SplitTerm(term, [&](const std::string& word) {
    if (!first) pattern += "[\\s\\-]+";
    pattern += RE2::QuoteMeta(word);
    first = false;
  });
  pattern += wildcard ? "\\w*" : "\\b";
  return pattern;
}

namespace {

std::string_view ClauseText(std::string_view text, std::size_t begin, std::size_t end) {
  if (text.size() > kMaxTextBytes) text = text.substr(0, kMaxTextBytes);
  auto [clause_start, clause_end] = ClauseAround(text, begin, end);
  return text.substr(clause_start, clause_end - clause_start);
}

// IsNegated over text already lower-cased by AsciiLowered.
bool IsNegatedLowered(std::string_view lowered, std::size_t begin, std::size_t end) {
  auto [clause_start, clause_end] = ClauseAround(lowered, begin, end);
  // Buffers reused, per thread: this runs for every occurrence found.
  thread_local std::vector<Word> before;
  thread_local std::vector<Word> after;
  WordsInto(lowered, clause_start, begin, before);
  WordsInto(lowered, end, clause_end, after, kAfterWords);
  return NegatedBefore(lowered, before, begin, end, clause_end, after) ||
         NegatedAfter(lowered, end, after) || IsUnresultedTest(after);
}

}  // namespace

bool IsNegated(std::string_view text, std::size_t begin, std::size_t end) {
  return IsNegatedLowered(AsciiLowered(text), begin, end);
}

TextMatcher::~TextMatcher() = default;

Result<std::unique_ptr<TextMatcher>> TextMatcher::Build(const Concepts& concepts) {
  std::unique_ptr<TextMatcher> matcher(new TextMatcher(concepts));
  matcher->all_ = std::make_unique<RE2::Set>(MatcherOptions(), RE2::UNANCHORED);
  for (std::size_t i = 0; i < kConceptCount; ++i) {
    Concept concept_id = static_cast<Concept>(i);
    const ConceptSet& set = concepts.set(concept_id);
    for (bool excludes : {false, true}) {
      for (const std::string& term : excludes ? set.excluded_terms : set.terms) {
        std::string pattern = TermPattern(term);
        std::string error;
        auto compiled = std::make_unique<RE2>(pattern, MatcherOptions());
        if (matcher->all_->Add(pattern, &error) < 0 || !compiled->ok()) {
          return InvalidArgument("invalid_concept_file", std::string(ConceptSlug(concept_id)) +
                                                             ".tsv: term cannot be compiled");
        }
        bool wildcard = SplitTerm(term, [](const std::string&) {});
        matcher->terms_.push_back(
            {concept_id, term, wildcard, !IsTrieTerm(term), excludes, std::move(compiled)});
      }
    }
  }
  if (!matcher->all_->Compile()) {
    return Internal("matcher_too_large", "the concept terms do not fit the matcher's memory");
  }
  for (std::size_t i = 0; i < matcher->terms_.size(); ++i) {
    const Term& term = matcher->terms_[i];
    if (!term.residual) continue;
    if (!matcher->residual_) {
      matcher->residual_ = std::make_unique<RE2::Set>(MatcherOptions(), RE2::UNANCHORED);
    }
    std::string error;
    matcher->residual_->Add(term.pattern->pattern(), &error);
    matcher->residual_terms_.push_back(static_cast<std::uint32_t>(i));
  }
  if (matcher->residual_ && !matcher->residual_->Compile()) {
    return Internal("matcher_too_large", "the concept terms do not fit the matcher's memory");
  }
  matcher->BuildTrie();
  return matcher;
}

void TextMatcher::BuildTrie() {
  // Built with a child map per node, then flattened.
  struct Building {
    std::vector<std::pair<unsigned char, std::uint32_t>> children;
    std::int32_t separator = -1;
    std::vector<std::uint32_t> terms;
  };
  std::vector<Building> building(1);  // node 0 is the root, before the first byte
  auto child = [&](std::uint32_t node, unsigned char byte) {
    for (const auto& [edge, next] : building[node].children) {
      if (edge == byte) return next;
    }
    auto next = static_cast<std::uint32_t>(building.size());
    building[node].children.emplace_back(byte, next);
    building.emplace_back();
    return next;
  };
  for (std::uint32_t term_index = 0; term_index < terms_.size(); ++term_index) {
    const Term& term = terms_[term_index];
    if (term.residual) continue;
    std::uint32_t node = 0;
    bool first = true;
    SplitTerm(term.text, [&](const std::string& word) {
      if (!first) {
        if (building[node].separator < 0) {
          building[node].separator = static_cast<std::int32_t>(building.size());
          building.emplace_back();
        }
        node = static_cast<std::uint32_t>(building[node].separator);
      }
      first = false;
      for (char c : word) node = child(node, static_cast<unsigned char>(AsciiLower(c)));
    });
    building[node].terms.push_back(term_index);
  }
  root_.fill(-1);
  for (const auto& [byte, next] : building[0].children) {
    root_[byte] = static_cast<std::int32_t>(next);
    if (byte >= 'a' && byte <= 'z') root_[byte - ('a' - 'A')] = static_cast<std::int32_t>(next);
  }
  nodes_.resize(building.size());
  for (std::size_t i = 0; i < building.size(); ++i) {
    Node& node = nodes_[i];
    node.first_edge = static_cast<std::uint32_t>(edges_.size());
    node.edge_count = static_cast<std::uint32_t>(building[i].children.size());
    for (const auto& [byte, next] : building[i].children) edges_.push_back({byte, next});
    node.separator = building[i].separator;
    node.first_term = static_cast<std::uint32_t>(node_terms_.size());
    node.term_count = static_cast<std::uint32_t>(building[i].terms.size());
    node_terms_.insert(node_terms_.end(), building[i].terms.begin(), building[i].terms.end());
  }
  start_pairs_.assign(std::size_t{1} << 16, kSkipStart);
  for (unsigned first = 0; first < 256; ++first) {
    if (root_[first] < 0) continue;
    const Node& node = nodes_[static_cast<std::size_t>(root_[first])];
    for (unsigned second = 0; second < 256; ++second) {
      auto byte = static_cast<unsigned char>(second);
      auto lower = static_cast<unsigned char>(AsciiLower(static_cast<char>(byte)));
      auto edge = std::find_if(edges_.begin() + node.first_edge,
                               edges_.begin() + node.first_edge + node.edge_count,
                               [&](const Edge& e) { return e.byte == lower; });
      std::int32_t& start = start_pairs_[first << 8 | second];
      if (node.term_count > 0 || (IsSeparator(byte) && node.separator >= 0)) {
        start = kWalkStart;
      } else if (edge != edges_.begin() + node.first_edge + node.edge_count) {
        // No word byte of a term is a separator, so the walk takes this edge.
        start = static_cast<std::int32_t>(edge->node);
      }
    }
  }
}

void TextMatcher::ScanTrie(std::span<const std::string_view> texts,
                           std::vector<Occurrence>& occurrences) const {
  for (std::uint32_t index = 0; index < texts.size(); ++index) {
    std::string_view text = texts[index];
    if (text.size() > kMaxTextBytes) text = text.substr(0, kMaxTextBytes);
    // Every term starts at a \b: the start of a run of word bytes, or of a run of other bytes
    // after a word. Each run is passed over whole after its first byte.
    std::size_t next = 0;
    while (next < text.size()) {
      std::size_t begin = next;
      unsigned char first = static_cast<unsigned char>(text[begin]);
      bool word = kBytes.word[first];
      ++next;
      while (next < text.size() && kBytes.word[static_cast<unsigned char>(text[next])] == word) {
        ++next;
      }
      if (!word && begin == 0) continue;
      std::int32_t node = root_[first];
      std::size_t position = begin + 1;
      if (position < text.size()) {
        std::int32_t start =
            start_pairs_[unsigned{first} << 8 | static_cast<unsigned char>(text[position])];
        if (start == kSkipStart) continue;
        if (start != kWalkStart) {
          node = start;
          ++position;
        }
      }
      if (node < 0) continue;
      while (true) {
        const Node& at = nodes_[static_cast<std::size_t>(node)];
        for (std::uint32_t t = 0; t < at.term_count; ++t) {
          std::uint32_t term = node_terms_[at.first_term + t];
          if (terms_[term].wildcard) {
            std::size_t end = position;
            while (end < text.size() && kBytes.word[static_cast<unsigned char>(text[end])]) {
              ++end;
            }
            occurrences.push_back({index, term, begin, end});
          } else if (IsBoundary(text, position)) {
            occurrences.push_back({index, term, begin, position});
          }
        }
        if (position == text.size()) break;
        unsigned char byte = static_cast<unsigned char>(text[position]);
        if (kBytes.separator[byte]) {
          if (at.separator < 0) break;
          while (position < text.size() &&
                 kBytes.separator[static_cast<unsigned char>(text[position])]) {
            ++position;
          }
          node = at.separator;
          continue;
        }
        unsigned char lower = kBytes.lower[byte];
        node = -1;
        for (std::uint32_t e = 0; e < at.edge_count; ++e) {
          const Edge& edge = edges_[at.first_edge + e];
          if (edge.byte == lower) {
            node = static_cast<std::int32_t>(edge.node);
            break;
          }
        }
        if (node < 0) break;
        ++position;
      }
    }
  }
}

void TextMatcher::ScanRe2(std::string_view joined, std::span<const std::size_t> starts,
                          bool all_terms, std::vector<Occurrence>& occurrences) const {
  const RE2::Set* set = all_terms ? all_.get() : residual_.get();
  if (set == nullptr) return;
  std::vector<int>& matched = Buffers().matched;
  if (!set->Match(re2::StringPiece(joined.data(), joined.size()), &matched)) return;
  for (int found_index : matched) {
    std::uint32_t term = all_terms ? static_cast<std::uint32_t>(found_index)
                                   : residual_terms_[static_cast<std::size_t>(found_index)];
    const RE2& pattern = *terms_[term].pattern;
    for (std::uint32_t index = 0; index < starts.size(); ++index) {
      std::size_t stop = index + 1 < starts.size() ? starts[index + 1] - 1 : joined.size() - 1;
      std::string_view text = joined.substr(starts[index], stop - starts[index]);
      re2::StringPiece input(text.data(), text.size());
      std::size_t position = 0;
      re2::StringPiece found;
      while (position <= text.size() &&
             pattern.Match(input, position, text.size(), RE2::UNANCHORED, &found, 1)) {
        std::size_t begin = static_cast<std::size_t>(found.data() - text.data());
        std::size_t end = begin + found.size();
        position = end > begin ? end : begin + 1;
        occurrences.push_back({index, term, begin, end});
      }
    }
  }
}

void TextMatcher::Scan(std::span<const std::string_view> texts, bool use_re2,
                       std::vector<Occurrence>& occurrences) const {
  occurrences.clear();
  auto bounded = [](std::string_view text) {
    return text.size() > kMaxTextBytes ? text.substr(0, kMaxTextBytes) : text;
  };
  bool folded = use_re2 || std::any_of(texts.begin(), texts.end(), [&](std::string_view text) {
                  return HasFoldedLetter(bounded(text));
                });
  if (!folded) ScanTrie(texts, occurrences);
  if (!folded && !residual_) return;
  // RE2 screens every text at once, joined: each up to the bound, and a newline keeps words of
  // two texts apart.
  ScanBuffers& buffers = Buffers();
  std::string& joined = buffers.joined;
  joined.clear();
  buffers.starts.clear();
  for (std::string_view text : texts) {
    buffers.starts.push_back(joined.size());
    joined.append(bounded(text));
    joined.push_back('\n');
  }
  ScanRe2(joined, buffers.starts, folded, occurrences);
}

void TextMatcher::Walk(std::vector<Occurrence>& occurrences) {
  std::sort(occurrences.begin(), occurrences.end(), [](const Occurrence& a, const Occurrence& b) {
    if (a.text != b.text) return a.text < b.text;
    if (a.term != b.term) return a.term < b.term;
    return a.begin < b.begin;
  });
  // Per text and term, RE2 takes the leftmost match, then looks on from its end.
  std::size_t kept = 0;
  std::size_t position = 0;
  for (std::size_t i = 0; i < occurrences.size(); ++i) {
    const Occurrence& found = occurrences[i];
    bool same =
        i > 0 && found.text == occurrences[i - 1].text && found.term == occurrences[i - 1].term;
    if (!same) position = 0;
    if (found.begin < position) continue;
    position = found.end > found.begin ? found.end : found.begin + 1;
    occurrences[kept++] = found;
  }
  occurrences.resize(kept);
}

std::vector<TextMatcher::Occurrence> TextMatcher::Occurrences(
    std::span<const std::string_view> texts, bool use_re2) const {
  std::vector<Occurrence> occurrences;
  Scan(texts, use_re2, occurrences);
  Walk(occurrences);
  return occurrences;
}

bool TextMatcher::IsExcluded(const Occurrence& found, std::span<const Occurrence> in_text) const {
  Concept concept_id = terms_[found.term].concept_id;
  return std::any_of(in_text.begin(), in_text.end(), [&](const Occurrence& other) {
    const Term& term = terms_[other.term];
    return term.excludes && term.concept_id == concept_id && other.begin <= found.begin &&
           found.end <= other.end;
  });
}

void TextMatcher::Locate(std::span<const std::string_view> texts,
                         std::vector<LocatedHit>& hits) const {
  hits.clear();
  ScanBuffers& buffers = Buffers();
  std::vector<Occurrence>& occurrences = buffers.occurrences;
  Scan(texts, false, occurrences);
  if (occurrences.empty()) return;
  Walk(occurrences);
  std::string& lowered = buffers.lowered;
  std::size_t i = 0;
  while (i < occurrences.size()) {
    std::uint32_t index = occurrences[i].text;
    std::string_view text = texts[index];
    if (text.size() > kMaxTextBytes) text = text.substr(0, kMaxTextBytes);
    // Negation compares words in lower case; one copy serves every occurrence in the text.
    lowered.assign(text);
    for (char& c : lowered) c = AsciiLower(c);
    std::size_t first_hit = hits.size();
    std::size_t text_end = i;
    while (text_end < occurrences.size() && occurrences[text_end].text == index) ++text_end;
    const std::span<const Occurrence> in_text(occurrences.data() + i, text_end - i);
    for (; i < text_end; ++i) {
      const Occurrence& found = occurrences[i];
      Concept concept_id = terms_[found.term].concept_id;
      bool overlaps = std::any_of(hits.begin() + static_cast<std::ptrdiff_t>(first_hit), hits.end(),
                                  [&](const LocatedHit& hit) {
                                    return hit.concept_id == concept_id && hit.begin < found.end &&
                                           found.begin < hit.end;
                                  });
      if (overlaps || terms_[found.term].excludes || IsExcluded(found, in_text) ||
          IsNegatedLowered(lowered, found.begin, found.end)) {
        continue;
      }
      hits.push_back({concept_id, index, found.begin, found.end});
    }
    std::sort(hits.begin() + static_cast<std::ptrdiff_t>(first_hit), hits.end(),
              [](const LocatedHit& a, const LocatedHit& b) {
                return a.begin != b.begin ? a.begin < b.begin : a.concept_id < b.concept_id;
              });
  }
}

std::string TextMatcher::SnippetOf(std::string_view text, std::size_t begin,
                                   std::size_t end) const {
  if (text.size() > kMaxTextBytes) text = text.substr(0, kMaxTextBytes);
  std::size_t clause_end = ClauseAround(text, begin, end).second;
  // Only the words from the term to the clause's end are read in lower case.
  std::string& lowered = Buffers().snippet_lowered;
  lowered.assign(text.substr(0, clause_end));
  for (std::size_t i = begin; i < clause_end; ++i) lowered[i] = AsciiLower(lowered[i]);
  return Snippet(text, lowered, begin, clause_end);
}

std::vector<std::string> TextMatcher::SitesOf(std::string_view text, std::size_t begin,
                                              std::size_t end) const {
  return concepts_.sites().FindAll(ClauseText(text, begin, end));
}

std::vector<std::string> TextMatcher::PatternsOf(std::string_view text, std::size_t begin,
                                                 std::size_t end) const {
  return concepts_.patterns().FindAll(ClauseText(text, begin, end));
}

std::string TextMatcher::ClauseOf(std::string_view text, std::size_t begin, std::size_t end) const {
  return Quoted(Prefix(ClauseText(text, begin, end), 80));
}

std::vector<TextHit> TextMatcher::Find(std::string_view text) const {
  std::vector<TextHit> hits;
  std::vector<LocatedHit> located;
  Locate(std::span<const std::string_view>(&text, 1), located);
  for (const LocatedHit& hit : located) {
    hits.push_back({hit.concept_id, hit.begin, hit.end, SnippetOf(text, hit.begin, hit.end),
                    SitesOf(text, hit.begin, hit.end), PatternsOf(text, hit.begin, hit.end),
                    ClauseOf(text, hit.begin, hit.end)});
  }
  return hits;
}

}  // namespace liaison::recognition
