#include "recognition/text_matcher.h"

#include <random>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace liaison::recognition {
namespace {

const Concepts& ShippedConcepts() {
  static const Concepts concepts = [] {
    Result<Concepts> parsed = Concepts::Parse(DefaultConceptFiles());
    LIAISON_CHECK(parsed.ok());
    return std::move(*parsed);
  }();
  return concepts;
}

std::vector<std::string> Found(std::string_view text, Concept wanted) {
  static const std::unique_ptr<TextMatcher> matcher = [] {
    Result<std::unique_ptr<TextMatcher>> built = TextMatcher::Build(ShippedConcepts());
    LIAISON_CHECK(built.ok());
    return std::move(*built);
  }();
  std::vector<std::string> snippets;
  for (const TextHit& hit : matcher->Find(text)) {
    if (hit.concept_id == wanted) snippets.push_back(hit.snippet);
  }
  return snippets;
}

TEST(TextMatcherTest, FindsTermsWithTheirClause) {
  EXPECT_THAT(Found("Triage: bruise to forehead, crying", Concept::kBruise),
              ::testing::ElementsAre("bruise to forehead"));
  EXPECT_THAT(Found("BRUISING over the left ear", Concept::kBruise),
              ::testing::ElementsAre("BRUISING over the left ear"));
  EXPECT_THAT(Found("Fractured radius", Concept::kFracture),
              ::testing::ElementsAre("Fractured radius"));
}

// The one pass over all of an attendance's texts must never miss what Find finds in one of them.
TEST(TextMatcherTest, ScreenOverAllTextsNeverMissesAField) {
  Result<std::unique_ptr<TextMatcher>> matcher = TextMatcher::Build(ShippedConcepts());
  ASSERT_TRUE(matcher.ok());
  std::vector<LocatedHit> hits;
  std::vector<std::string_view> quiet = {"Sore throat", "Alert and well, eating and drinking"};
  (*matcher)->Locate(quiet, hits);
  EXPECT_TRUE(hits.empty());
  for (std::string_view text : quiet) EXPECT_TRUE((*matcher)->Find(text).empty());
  std::vector<std::string_view> one_field = {"Sore throat", "", "small bruise to ear"};
  (*matcher)->Locate(one_field, hits);
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits.front().text, 2u);
  EXPECT_FALSE((*matcher)->Find(one_field[2]).empty());
  (*matcher)->Locate({}, hits);
  EXPECT_TRUE(hits.empty());
}

// fracture.tsv takes tooth fractures out (not_term): they are oral injuries, not broken bones.
// Only the words inside an excluded phrase go; another fracture in the same text still counts.
TEST(TextMatcherTest, ExcludedTermsTakeTheirMatchesOutOfTheConcept) {
  for (std::string_view text :
       {"Fractured tooth after fall", "upper incisor: tooth fracture", "Fracture of tooth",
        "dental fracture, no other injury", "FRACTURED FRONT TEETH"}) {
    EXPECT_TRUE(Found(text, Concept::kFracture).empty()) << text;
  }
  EXPECT_THAT(Found("Fractured tooth. Fractured femur", Concept::kFracture),
              ::testing::ElementsAre("Fractured femur"));
  EXPECT_THAT(Found("fractured skull", Concept::kFracture),
              ::testing::ElementsAre("fractured skull"));
  // An excluded term is never a hit of its own.
  Result<std::unique_ptr<TextMatcher>> matcher = TextMatcher::Build(ShippedConcepts());
  ASSERT_TRUE(matcher.ok());
  EXPECT_TRUE((*matcher)->Find("tooth fracture").empty());
}

TEST(TextMatcherTest, WholeWordsOnly) {
  EXPECT_TRUE(Found("a burnished surface", Concept::kBurn).empty());
  EXPECT_TRUE(Found("history of rape seed allergy", Concept::kBurn).empty());
  EXPECT_EQ(Found("self-harm", Concept::kSelfHarm).size(), 1u);
  EXPECT_EQ(Found("self harm", Concept::kSelfHarm).size(), 1u);
}

TEST(TextMatcherTest, NegationCuesBeforeAndAfter) {
  for (std::string_view text :
       {"no bruising seen", "No evidence of fracture", "nil bruises", "denies bruising",
        "without bruising", "fracture excluded", "bruising: nil", "fracture not seen",
        "fracture ruled out", "no rash, swelling or bruising"}) {
    EXPECT_TRUE(Found(text, Concept::kBruise).empty() && Found(text, Concept::kFracture).empty())
        << text;
  }
  EXPECT_TRUE(Found("denies assault", Concept::kAssault).empty());
}

TEST(TextMatcherTest, ScopeEndsAtClauseBoundaries) {
  EXPECT_EQ(Found("no fever but bruise to ear", Concept::kBruise).size(), 1u);
  EXPECT_EQ(Found("No fever. Bruise to ear", Concept::kBruise).size(), 1u);
  EXPECT_EQ(Found("no fever; bruise to ear", Concept::kBruise).size(), 1u);
  EXPECT_EQ(Found("no injuries apart from a bruise on the cheek", Concept::kBruise).size(), 1u);
  EXPECT_EQ(Found("bruise to ear, fracture excluded", Concept::kBruise).size(), 1u);
  // A comma ends a cue's scope unless the term continues the cue's list.
  EXPECT_EQ(Found("Not independently mobile, bruise to cheek", Concept::kBruise).size(), 1u);
  EXPECT_EQ(Found("no fever, bruise to ear", Concept::kBruise).size(), 1u);
  EXPECT_TRUE(Found("no rash, bruising or petechiae", Concept::kBruise).empty());
  EXPECT_TRUE(Found("no rash, swelling or bruising", Concept::kBruise).empty());
  EXPECT_TRUE(Found("no rash, bruising, petechiae or swelling", Concept::kBruise).empty());
  EXPECT_TRUE(Found("No bruising, fractures or burns", Concept::kFracture).empty());
  // Beyond the six-word window, a cue no longer reaches the term.
  EXPECT_EQ(
      Found("no fever reported by mum at triage this morning and bruise", Concept::kBruise).size(),
      1u);
}

TEST(TextMatcherTest, ATestOrderedIsNotAFinding) {
  EXPECT_TRUE(Found("urine pregnancy test done", Concept::kPregnancy).empty());
  EXPECT_TRUE(Found("HIV test requested", Concept::kStiMajor).empty());
  EXPECT_TRUE(Found("chlamydia swab sent", Concept::kStiMajor).empty());
  EXPECT_EQ(Found("pregnancy test positive", Concept::kPregnancy).size(), 1u);
  EXPECT_EQ(Found("chlamydia swab: positive", Concept::kStiMajor).size(), 1u);
  EXPECT_EQ(Found("chlamydia", Concept::kStiMajor).size(), 1u);
}

TEST(TextMatcherTest, PseudoNegationKeepsTheFinding) {
  EXPECT_EQ(Found("cannot exclude fracture", Concept::kFracture).size(), 1u);
  EXPECT_EQ(Found("fracture not ruled out", Concept::kFracture).size(), 1u);
  EXPECT_EQ(Found("fracture not excluded", Concept::kFracture).size(), 1u);
}

TEST(TextMatcherTest, SitesInTheClauseAreNormalised) {
  Result<std::unique_ptr<TextMatcher>> matcher = TextMatcher::Build(ShippedConcepts());
  ASSERT_TRUE(matcher.ok());
  std::vector<TextHit> hits = (*matcher)->Find("Bruising behind the left ear and on the neck.");
  ASSERT_FALSE(hits.empty());
  EXPECT_THAT(hits.front().sites, ::testing::ElementsAre("ear", "neck"));
}

TEST(TextMatcherTest, TermPatternsQuoteAndJoinWords) {
  EXPECT_EQ(TermPattern("bruis*"), "\\bbruis\\w*");
  EXPECT_EQ(TermPattern("self harm"), "\\bself[\\s\\-]+harm\\b");
  EXPECT_EQ(TermPattern("a.b"), "\\ba\\.b\\b");
}

// --- the trie against RE2 ----------------------------------------------------------------

// Shipped concepts plus terms that test the matcher's edges: a wildcard, words that repeat or
// overlap, words with non-word bytes, letters RE2 folds to non-ASCII characters (s, k), and
// terms the trie leaves to RE2 (non-ASCII, a control byte).
const Concepts& TrickyConcepts() {
  static const Concepts concepts = [] {
    ConceptFiles files = DefaultConceptFiles();
    files["bruise.tsv"] +=
        "term\tbru*\nterm\ta a\nterm\ta a a\nterm\tskin mark*\nterm\td&v\nterm\to'\n"
        "term\t'tis\nterm\tx_y\nterm\tk\nterm\t-- ss --\nterm\tsee\\ saw\nterm\tb-b*\n"
        "term\tcaf\xC3\xA9\nterm\t\xC3\xA9t\xC3\xA9*\nterm\tfoo\x01"
        "bar\nterm\tb\xE2\x84\xAA\n";
    files["burn.tsv"] += "term\ta\nterm\ta a\nterm\tbru\n";
    Result<Concepts> parsed = Concepts::Parse(files);
    LIAISON_CHECK(parsed.ok());
    return std::move(*parsed);
  }();
  return concepts;
}

const TextMatcher& TrickyMatcher() {
  static const std::unique_ptr<TextMatcher> matcher = [] {
    Result<std::unique_ptr<TextMatcher>> built = TextMatcher::Build(TrickyConcepts());
    LIAISON_CHECK(built.ok());
    return std::move(*built);
  }();
  return *matcher;
}

// Every term in the matcher's order: by concept, its terms, then its excluded terms.
std::vector<std::string> TermsInMatcherOrder(const Concepts& concepts) {
  std::vector<std::string> terms;
  for (std::size_t c = 0; c < kConceptCount; ++c) {
    const ConceptSet& set = concepts.set(static_cast<Concept>(c));
    terms.insert(terms.end(), set.terms.begin(), set.terms.end());
    terms.insert(terms.end(), set.excluded_terms.begin(), set.excluded_terms.end());
  }
  return terms;
}

// RE2 itself on TermPattern, walked as the matcher walks it: the reference.
std::vector<TextMatcher::Occurrence> Re2Reference(const Concepts& concepts,
                                                  std::span<const std::string_view> texts) {
  RE2::Options options;
  options.set_case_sensitive(false);
  options.set_log_errors(false);
  static const std::vector<std::unique_ptr<RE2>> patterns = [&] {
    std::vector<std::unique_ptr<RE2>> compiled;
    for (const std::string& written : TermsInMatcherOrder(concepts)) {
      compiled.push_back(std::make_unique<RE2>(TermPattern(written), options));
    }
    return compiled;
  }();
  std::vector<TextMatcher::Occurrence> occurrences;
  for (std::uint32_t index = 0; index < texts.size(); ++index) {
    std::string_view text = texts[index].substr(0, std::size_t{1} << 20);
    for (std::uint32_t term = 0; term < patterns.size(); ++term) {
      std::size_t position = 0;
      re2::StringPiece input(text.data(), text.size());
      re2::StringPiece match;
      while (position <= text.size() &&
             patterns[term]->Match(input, position, text.size(), RE2::UNANCHORED, &match, 1)) {
        std::size_t begin = static_cast<std::size_t>(match.data() - text.data());
        std::size_t end = begin + match.size();
        position = end > begin ? end : begin + 1;
        occurrences.push_back({index, term, begin, end});
      }
    }
  }
  std::sort(occurrences.begin(), occurrences.end(),
            [](const TextMatcher::Occurrence& a, const TextMatcher::Occurrence& b) {
              return std::tie(a.text, a.term, a.begin) < std::tie(b.text, b.term, b.begin);
            });
  return occurrences;
}

void ExpectSameAsRe2(std::vector<std::string_view> texts) {
  std::vector<TextMatcher::Occurrence> trie = TrickyMatcher().Occurrences(texts);
  std::vector<TextMatcher::Occurrence> reference = Re2Reference(TrickyConcepts(), texts);
  ASSERT_EQ(trie.size(), reference.size()) << ::testing::PrintToString(texts);
  for (std::size_t i = 0; i < trie.size(); ++i) {
    EXPECT_EQ(trie[i], reference[i]) << i << " " << ::testing::PrintToString(texts);
  }
  EXPECT_TRUE(TrickyMatcher().Occurrences(texts, true) == reference);
}

TEST(TextMatcherTrieTest, LeavesOnlyOddTermsToRe2) {
  const TextMatcher& matcher = TrickyMatcher();
  std::size_t term = 0;
  std::vector<std::string> residual;
  for (const std::string& written : TermsInMatcherOrder(TrickyConcepts())) {
    if (matcher.MatchedWithRe2(term++)) residual.push_back(written);
  }
  EXPECT_THAT(residual, ::testing::UnorderedElementsAre("caf\xC3\xA9", "\xC3\xA9t\xC3\xA9*",
                                                        "foo\x01"
                                                        "bar",
                                                        "b\xE2\x84\xAA"));
}

TEST(TextMatcherTrieTest, MatchesAsRe2OnTrickyTexts) {
  for (std::string_view text : {
           "",
           "a",
           "a a a a a",
           "a  -\t- a\na",
           "A-A-a",
           "aa a_a a'a",
           "bru bruise bruised bruising bru-bru bru_x BRUISE",
           "Bruis\xC5\xBFing",  // U+017F: RE2 folds it to s
           "s\xE2\x84\xAA"
           "in mark",  // U+212A: RE2 folds it to k
           "skin markings, skin-mark, skin  -  marked, skin\nmark",
           "d&v, D&V; d&vx, xd&v",
           "o' o'x yo' o''",
           "'tis x'tis 'tisn't",
           "x_y x_yz _x_y",
           "k K k_ kk",
           "ss -- ss -- ss",
           "see\\ saw",
           "b-b b b bbb b--bxyz b\xE2\x84\xAA"
           "b",
           "caf\xC3\xA9 CAF\xC3\x89 caf\xC3\xA9s",
           "\xC3\xA9t\xC3\xA9 \xC3\x89T\xC3\x89s",
           "foo\x01"
           "bar fOO\x01"
           "BAR",
           "\xFF\xFE bruise \xC3",
           "non-accidental injury, non accidental  injury, head\r\ninjury",
           "Triage: bruise to forehead. No fracture. ?NAI",
       }) {
    ExpectSameAsRe2({text});
  }
}

TEST(TextMatcherTrieTest, MatchesAsRe2AcrossSeveralTexts) {
  ExpectSameAsRe2({"bruise to", "", "ear a", "a a", "skin", "mark"});
  ExpectSameAsRe2({"plain text",
                   "Bruis\xC5\xBF"
                   "e",
                   "a a"});  // one text makes RE2 do all
}

TEST(TextMatcherTrieTest, ScansUpToTheBound) {
  constexpr std::size_t kBound = std::size_t{1} << 20;
  for (std::size_t cut : {3, 7}) {
    std::string text(kBound - cut, 'x');
    text += " bruise to ear";
    ExpectSameAsRe2({text, "a a"});
    text[kBound - cut - 1] = ' ';
    ExpectSameAsRe2({text});
  }
}

// `count` texts, each of 0 to `max_pieces` pieces drawn at random from `pieces` (strings or
// bytes).
template <std::size_t count, typename Pieces>
std::array<std::string, count> RandomTexts(std::mt19937& random, const Pieces& pieces,
                                           int max_pieces) {
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(0, max_pieces);
  std::array<std::string, count> texts;
  for (std::string& text : texts) {
    for (int i = length(random); i > 0; --i) text += pieces[piece(random)];
  }
  return texts;
}

TEST(TextMatcherTrieTest, MatchesAsRe2OnRandomTexts) {
  static constexpr std::array<std::string_view, 26> kPieces = {
      "a", "A", " ", "-",   "\t",  "\n",   "\v",   "\f",  "\r",       "_", "'", "&", "x",
      "s", "k", "b", "bru", "ise", "skin", "mark", "d&v", "\xC3\xA9", "t", ".", "o", "\\"};
  std::mt19937 random(24);
  for (int round = 0; round < 1000; ++round) {
    std::array<std::string, 3> texts = RandomTexts<3>(random, kPieces, 24);
    if (round % 50 == 0) texts[1] += "\xE2\x84\xAA";
    ExpectSameAsRe2({texts[0], texts[1], texts[2]});
  }
}

// The trie skips a word start whose first two bytes begin no term. The terms' first two bytes
// in every case and with every separator, a one-letter first word or term, a term at the very
// end of a text, and texts of single bytes drawn from the terms' first bytes, all as RE2 finds.
TEST(TextMatcherTrieTest, SkipsOnlyWordStartsThatBeginNoTerm) {
  for (std::string_view text : {
           "a",     "A",   "a ",       "A\t",       "aA",
           "Aa",    "a-A", "A\fa",     "A\ra",      "a\na",
           "a\va",  "a_a", "b",        "B-b",       "B-B",
           "b\tbx", "bR",  "BRU",      "Br",        "bx",
           "k",     "K",   "Kk",       "k-",        "'",
           "x'",    "x'T", "x'tis",    "x'Tis",     "o",
           "O'",    "o'",  "D",        "D&",        "d&V",
           "x",     "X_",  "x_Y",      "s",         "sK",
           "SKIN",  "sS",  "-- SS",    "sE",        "SEE\\ SAW",
           "F",     "fr",  "FRACTURE", "Fr-acture", "bruise to EAR",
           "zz a",  "9a",  "a9",       "_a",        "a_",
       }) {
    ExpectSameAsRe2({text});
  }
  static constexpr std::string_view kBytes = "aAbBkKsSxXoOdDtT'&_-  \t\n\r\f\v.9rRuUeEiI\\";
  std::mt19937 random(2024);
  for (int round = 0; round < 3000; ++round) {
    std::array<std::string, 2> texts = RandomTexts<2>(random, kBytes, 12);
    ExpectSameAsRe2({texts[0], texts[1]});
  }
}

// Locate is Find on each text, in one scan.
TEST(TextMatcherTrieTest, LocateIsFindOnEachText) {
  const TextMatcher& matcher = TrickyMatcher();
  std::vector<std::string_view> texts = {"No bruising. Bruise to ear", "", "no a a, but a a",
                                         "Skin markings on the back", "fracture excluded"};
  std::vector<LocatedHit> located;
  matcher.Locate(texts, located);
  std::size_t next = 0;
  for (std::uint32_t index = 0; index < texts.size(); ++index) {
    for (const TextHit& hit : matcher.Find(texts[index])) {
      ASSERT_LT(next, located.size());
      EXPECT_EQ(located[next].text, index);
      EXPECT_EQ(located[next].concept_id, hit.concept_id);
      EXPECT_EQ(located[next].begin, hit.begin);
      EXPECT_EQ(located[next].end, hit.end);
      EXPECT_EQ(matcher.SnippetOf(texts[index], hit.begin, hit.end), hit.snippet);
      ++next;
    }
  }
  EXPECT_EQ(next, located.size());
  EXPECT_GT(next, 3u);
}

TEST(TextMatcherTrieTest, AnUncompilableTermIsAConceptFileError) {
  ConceptFiles files = DefaultConceptFiles();
  files["burn.tsv"] +=
      "term\tbad\xFF"
      "term\n";  // not UTF-8: RE2 cannot compile it
  Result<Concepts> parsed = Concepts::Parse(files);
  ASSERT_TRUE(parsed.ok());
  Result<std::unique_ptr<TextMatcher>> built = TextMatcher::Build(*parsed);
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(built.status().reason(), "invalid_concept_file");
  EXPECT_THAT(built.status().message(), ::testing::HasSubstr("burn.tsv: term cannot be compiled"));
}

TEST(SynonymTableTest, NormalisesOpenVocabulary) {
  const SynonymTable& sites = ShippedConcepts().sites();
  EXPECT_EQ(sites.Lookup("Left ear lobe"), "ear");
  EXPECT_EQ(sites.Lookup("R BUTTOCK"), "buttock");
  EXPECT_EQ(sites.Lookup("back of the hand"), "back_of_hand");
  EXPECT_EQ(sites.Lookup("xyz"), std::nullopt);
  EXPECT_EQ(ShippedConcepts().patterns().Lookup("glove and stocking"), "immersion");
}

TEST(ConceptsTest, CodesMatchByPrefixAndRange) {
  const Concepts& concepts = ShippedConcepts();
  auto has = [&](domain::DiagnosisSystem system, std::string_view code, Concept wanted) {
    std::vector<Concept> found = concepts.ConceptsForCode(system, code);
    return std::find(found.begin(), found.end(), wanted) != found.end();
  };
  using domain::DiagnosisSystem;
  EXPECT_TRUE(has(DiagnosisSystem::kIcd10, "S06.5", Concept::kIntracranialInjury));
  EXPECT_TRUE(has(DiagnosisSystem::kIcd10, "s065", Concept::kIntracranialInjury));
  EXPECT_TRUE(has(DiagnosisSystem::kIcd10, "T25.1", Concept::kBurn));
  EXPECT_FALSE(has(DiagnosisSystem::kIcd10, "T33.1", Concept::kBurn));
  // S02 is a fracture, but not S02.5, a fracture of a tooth: an oral injury.
  EXPECT_TRUE(has(DiagnosisSystem::kIcd10, "S02.0", Concept::kFracture));
  EXPECT_FALSE(has(DiagnosisSystem::kIcd10, "S02.5", Concept::kFracture));
  EXPECT_FALSE(has(DiagnosisSystem::kIcd10, "S0251", Concept::kFracture));
  EXPECT_TRUE(has(DiagnosisSystem::kIcd10, "S02.5", Concept::kOralInjury));
  EXPECT_TRUE(has(DiagnosisSystem::kSnomedCt, "125667009", Concept::kBruise));
  EXPECT_FALSE(has(DiagnosisSystem::kSnomedCt, "S06.5", Concept::kIntracranialInjury));
}

TEST(ConceptsTest, RejectsMalformedFiles) {
  ConceptFiles files = DefaultConceptFiles();
  files["bruise.tsv"] += "colour\tblue\n";
  Result<Concepts> parsed = Concepts::Parse(files);
  ASSERT_FALSE(parsed.ok());
  EXPECT_THAT(parsed.status().message(), ::testing::HasSubstr("bruise.tsv line"));
  files = DefaultConceptFiles();
  files["brusie.tsv"] = "term\tbruise\n";
  EXPECT_THAT(Concepts::Parse(files).status().message(), ::testing::HasSubstr("brusie.tsv"));
  files = DefaultConceptFiles();
  files["fracture.tsv"] += "not_icd10\tfracture\n";
  EXPECT_THAT(Concepts::Parse(files).status().message(), ::testing::HasSubstr("fracture.tsv line"));
  files = DefaultConceptFiles();
  files["fracture.tsv"] += "not_term\t***\n";
  EXPECT_THAT(Concepts::Parse(files).status().message(), ::testing::HasSubstr("at least one word"));
  files = DefaultConceptFiles();
  files.erase("VERSION");
  EXPECT_FALSE(Concepts::Parse(files).ok());
}

}  // namespace
}  // namespace liaison::recognition
