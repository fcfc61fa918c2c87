// Negation-aware matching of concept terms in free text (notes, presenting complaint,
// diagnosis display text).
//
// One RE2::Set holding every term of every concept scans the text once. Only the terms that
// matched (usually none) are then located with their own RE2 to check each occurrence for
// negation: a negation cue shortly before the term in the same clause ("no bruising seen",
// "denies assault", "nil injuries", "no evidence of fracture") or a negating word shortly
// after it ("fracture excluded", "bruising: nil"). A clause boundary (". ; ! ? newline", "but",
// "however", "apart from") ends the scope, so "no fever but bruise to ear" matches. Pseudo-
// negations that keep a finding open ("cannot exclude", "not ruled out") do not negate. A term
// followed by "test", "swab", "screen" or "status" is a test ordered, not a finding, unless a
// positive result follows ("pregnancy test positive").
//
// Immutable after construction and safe to use from many threads.
#pragma once

#include <cstddef>
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

class TextMatcher {
 public:
  static Result<std::unique_ptr<TextMatcher>> Build(const Concepts& concepts);

  // Every non-negated occurrence of every concept term in `text`, in text order. A concept
  // matched by two terms at overlapping places is reported once.
  std::vector<TextHit> Find(std::string_view text) const;
  // Whether any term may occur in any of `texts`: one pass over them all, so that an attendance
  // whose free text names nothing (most of them) costs one scan, not one per field. It can
  // say yes when Find would find nothing (a term spanning two fields, or negated), never no
  // when Find would find something.
  bool MayMatchAny(std::span<const std::string_view> texts) const;

 private:
  struct Term {
    Concept concept_id;
    std::unique_ptr<RE2> pattern;
  };
  TextMatcher(const Concepts& concepts, std::unique_ptr<RE2::Set> set, std::vector<Term> terms)
      : concepts_(concepts), set_(std::move(set)), terms_(std::move(terms)) {}

  const Concepts& concepts_;
  std::unique_ptr<RE2::Set> set_;
  std::vector<Term> terms_;  // index = the pattern's index in set_
};

// Whether the occurrence text[begin, end) is negated in its clause, or names a test without a
// positive result. Exposed for tests.
bool IsNegated(std::string_view text, std::size_t begin, std::size_t end);

// The regular expression for a concept term: words matched whole, case-insensitive, any run
// of spaces or hyphens between words, a trailing '*' matching the rest of a word.
std::string TermPattern(std::string_view term);

}  // namespace liaison::recognition
