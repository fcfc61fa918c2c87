#include "recognition/text_matcher.h"

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

// The one-pass screen over all of an attendance's texts must never miss what Find finds in
// one of them.
TEST(TextMatcherTest, ScreenOverAllTextsNeverMissesAField) {
  Result<std::unique_ptr<TextMatcher>> matcher = TextMatcher::Build(ShippedConcepts());
  ASSERT_TRUE(matcher.ok());
  std::vector<std::string_view> quiet = {"Sore throat", "Alert and well, eating and drinking"};
  EXPECT_FALSE((*matcher)->MayMatchAny(quiet));
  for (std::string_view text : quiet) EXPECT_TRUE((*matcher)->Find(text).empty());
  std::vector<std::string_view> one_field = {"Sore throat", "", "small bruise to ear"};
  EXPECT_TRUE((*matcher)->MayMatchAny(one_field));
  EXPECT_FALSE((*matcher)->Find(one_field[2]).empty());
  EXPECT_FALSE((*matcher)->MayMatchAny({}));
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
  files.erase("VERSION");
  EXPECT_FALSE(Concepts::Parse(files).ok());
}

}  // namespace
}  // namespace liaison::recognition
