// Negation-aware matching of concept terms in free text (notes, presenting complaint,
// diagnosis display text).
//
// A trie of every term of every concept (lower-cased bytes, a separator edge for a run of spaces or
// hyphens between words) is walked from every word boundary of an attendance's free texts, in one
// pass over them all, and reports where each term occurs (start and end); the matches are then
// walked as RE2 would find them (leftmost, greedy, non-overlapping) and each occurrence is checked
// for negation: a negation cue shortly before the term in the same clause ("no bruising seen",
// "denies assault", "nil injuries", "no evidence of fracture") or a negating word shortly
// after it ("fracture excluded", "bruising: nil"). A clause boundary (". ; ! ? newline", "but",
// "however", "apart from") ends the scope, so "no fever but bruise to ear" matches. Pseudo-
// negations that keep a finding open ("cannot exclude", "not ruled out") do not negate. A term
// followed by "test", "swab", "screen" or "status" is a test ordered, not a finding, unless a
// positive result follows ("pregnancy test positive").
//
// What matches is exactly what the RE2 pattern TermPattern gives for each term matches (RE2's
// case-insensitive UTF-8 matching, whose \b and \w are ASCII). The trie is that, byte for byte,
// for a term of printable ASCII in text without U+017F or U+212A (which RE2's case folding matches
// for s and k). Any other term, and every term in an attendance whose text has those characters,
// is matched with the RE2 pattern itself (an RE2::Set screen, then RE2 to locate), as before.
// docs/decisions/0024-engine-text-matching-speed.md.
//
// Immutable after construction and safe to use from many threads.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "common/status.h"
#include "recognition/concepts.h"

namespace liaison::recognition {

struct TextHit {
  Concept concept_id;
  std::size_t begin = 0;  // byte offsets of the matched term in the text
  std::size_t end = 0;
  std::string snippet;                // the term and the rest of its clause, at most a few words
  std::vector<std::string> sites;     // canonical body sites named in the same clause
  std::vector<std::string> patterns;  // canonical patterns named in the same clause
  std::string clause;                 // the clause, at most 80 bytes, quotes replaced
};

// A non-negated occurrence of a concept term in one of the texts given to Locate, without the
// details of TextHit (which the caller builds only for what it uses).
struct LocatedHit {
  Concept concept_id;
  std::uint32_t text = 0;  // index of the text
  std::size_t begin = 0;   // byte offsets in that text
  std::size_t end = 0;
};

class TextMatcher {
 public:
  static Result<std::unique_ptr<TextMatcher>> Build(const Concepts& concepts);
  ~TextMatcher();
  TextMatcher(const TextMatcher&) = delete;
  TextMatcher& operator=(const TextMatcher&) = delete;

  // Every non-negated occurrence of every concept term in `text`, in text order. A concept
  // matched by two terms at overlapping places is reported once.
  std::vector<TextHit> Find(std::string_view text) const;
  // Every non-negated occurrence in each of `texts`, as Find reports them for each text (the
  // same occurrences in the same order), found with one scan over them all. `hits` is cleared
  // first; it is ordered by text, then as Find orders.
  void Locate(std::span<const std::string_view> texts, std::vector<LocatedHit>& hits) const;

  // The details Find gives a hit at text[begin, end).
  std::string SnippetOf(std::string_view text, std::size_t begin, std::size_t end) const;
  std::vector<std::string> SitesOf(std::string_view text, std::size_t begin, std::size_t end) const;
  std::vector<std::string> PatternsOf(std::string_view text, std::size_t begin,
                                      std::size_t end) const;
  std::string ClauseOf(std::string_view text, std::size_t begin, std::size_t end) const;

  // Every match of every term in each of `texts` as RE2 walks it (leftmost, greedy,
  // non-overlapping), before negation and exclusion: (text, term, begin, end), ordered by text,
  // term, begin. The term is its index in concept order; within a concept, the terms in file
  // order, then the excluded terms in file order. `use_re2` matches every term with
  // its RE2 pattern instead of the trie. Exposed for tests.
  struct Occurrence {
    std::uint32_t text;
    std::uint32_t term;
    std::size_t begin;
    std::size_t end;
    bool operator==(const Occurrence&) const = default;
  };
  std::vector<Occurrence> Occurrences(std::span<const std::string_view> texts,
                                      bool use_re2 = false) const;
  // Whether a term is matched with RE2 rather than the trie. Exposed for tests.
  bool MatchedWithRe2(std::size_t term) const { return terms_[term].residual; }

 private:
  struct Term {
    Concept concept_id;
    std::string text;  // as written in the concept file
    bool wildcard = false;
    bool residual = false;  // not in the trie: matched with `pattern` always
    // An exclusion (ConceptSet::excluded_terms): never a hit itself, and a term of the same
    // concept found inside its match is not one either.
    bool excludes = false;
    std::unique_ptr<RE2> pattern;
  };
  // A trie node: edges on lower-cased bytes, one edge for a run of [\t\n\f\r -], and the terms
  // that end here.
  // Whether `found` lies inside a match of an excluded term of its concept, among the
  // occurrences of its text.
  bool IsExcluded(const Occurrence& found, std::span<const Occurrence> in_text) const;
  struct Node {
    std::uint32_t first_edge = 0;
    std::uint32_t edge_count = 0;
    std::int32_t separator = -1;
    std::uint32_t first_term = 0;
    std::uint32_t term_count = 0;
  };
  struct Edge {
    unsigned char byte;
    std::uint32_t node;
  };
  TextMatcher(const Concepts& concepts) : concepts_(concepts) {}
  void BuildTrie();

  // Append every match of the trie's terms in `texts`, and of the residual terms (or of
  // `all_terms`) in `joined` (the texts, each followed by a newline, starting at `starts`).
  void ScanTrie(std::span<const std::string_view> texts,
                std::vector<Occurrence>& occurrences) const;
  void ScanRe2(std::string_view joined, std::span<const std::size_t> starts, bool all_terms,
               std::vector<Occurrence>& occurrences) const;
  // Occurrences, without the walk and unordered.
  void Scan(std::span<const std::string_view> texts, bool use_re2,
            std::vector<Occurrence>& occurrences) const;
  // Leaves, of occurrences ordered by text, term and begin, those RE2's walk finds.
  static void Walk(std::vector<Occurrence>& occurrences);

  const Concepts& concepts_;
  std::vector<Term> terms_;
  std::array<std::int32_t, 256> root_{};  // the node after the first byte, or -1
  // For a word start's first two text bytes (first << 8 | second): kSkipStart when no term may
  // start with them (most word starts); kWalkStart when the walk must start at root_[first] (a
  // term ends after the first byte, or the second is a separator the trie has an edge for);
  // otherwise the node after both bytes, where the walk goes on from the third byte.
  static constexpr std::int32_t kSkipStart = -1;
  static constexpr std::int32_t kWalkStart = -2;
  std::vector<std::int32_t> start_pairs_;
  std::vector<Node> nodes_;
  std::vector<Edge> edges_;
  std::vector<std::uint32_t> node_terms_;
  std::unique_ptr<RE2::Set> all_;              // every term
  std::unique_ptr<RE2::Set> residual_;         // the residual terms, or null
  std::vector<std::uint32_t> residual_terms_;  // index in residual_ -> term
};

// Whether the occurrence text[begin, end) is negated in its clause, or names a test without a
// positive result. Exposed for tests.
bool IsNegated(std::string_view text, std::size_t begin, std::size_t end);

// The regular expression for a concept term: words matched whole, case-insensitive, any run
// of spaces or hyphens between words, a trailing '*' matching the rest of a word.
std::string TermPattern(std::string_view term);

}  // namespace liaison::recognition
