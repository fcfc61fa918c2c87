#include "linkage/register_index.h"

#include <atomic>
#include <cmath>
#include <thread>

#include <gtest/gtest.h>

namespace liaison::linkage {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

PersonRecord Person(std::string id, std::string nhs, std::string given, std::string family, int y,
                    unsigned m, unsigned d, domain::Sex sex, std::string postcode) {
  PersonRecord r;
  r.id = std::move(id);
  r.nhs_number = std::move(nhs);
  r.given_name = std::move(given);
  r.family_name = std::move(family);
  r.birth_date = year_month_day{year(y), month(m), day(d)};
  r.sex = sex;
  r.postcode = std::move(postcode);
  return r;
}

constexpr auto kF = domain::Sex::kFemale;
constexpr auto kM = domain::Sex::kMale;

// A small register: twins Amelia and Isla Okafor, their brother, and unrelated children.
std::vector<PersonRecord> Register() {
  return {
      Person("R1", "9990000018", "Amelia", "Okafor", 2020, 5, 14, kF, "XA3 1BD"),
      Person("R2", "9990000026", "Isla", "Okafor", 2020, 5, 14, kF, "XA3 1BD"),
      Person("R3", "9990000107", "Noah", "Okafor", 2016, 9, 2, kM, "XA3 1BD"),
      Person("R4", "9990001006", "Oliver", "Smith", 2018, 2, 7, kM, "XB9 4EF"),
      Person("R5", "", "Freya", "Nowak", 2021, 11, 30, kF, "XC2 7GH"),
  };
}

std::shared_ptr<const RegisterIndex> Index() {
  return RegisterIndex::Build(Register(), Model::Default());
}

std::string LinkedId(const RegisterIndex& index, const LinkResult& result) {
  return result.candidates.empty() ? "" : index.entry(result.candidates[0].entry).id;
}

TEST(RegisterIndexTest, ExactRecordIsAnAutomaticMatch) {
  auto index = Index();
  LinkResult result = index->Link(Register()[3]);
  EXPECT_EQ(result.band, Band::kMatch);
  EXPECT_EQ(LinkedId(*index, result), "R4");
  EXPECT_GT(result.probability(), 0.999);
}

TEST(RegisterIndexTest, ExplanationAddsUpToTheMatchWeight) {
  auto index = Index();
  LinkResult result = index->Link(Register()[3]);
  ASSERT_FALSE(result.candidates.empty());
  const Candidate& best = result.candidates[0];
  ASSERT_EQ(best.contributions.size(), static_cast<std::size_t>(kFieldCount));
  double total = result.prior_weight;
  for (const Contribution& c : best.contributions) total += c.weight + c.tf_adjustment;
  EXPECT_NEAR(total, best.match_weight, 1e-4);
  EXPECT_NEAR(best.probability, std::exp2(total) / (1 + std::exp2(total)), 1e-9);
  std::string text = ExplanationText(result, best);
  EXPECT_NE(text.find("nhs_number=exact"), std::string::npos);
  EXPECT_EQ(text.find("Smith"), std::string::npos);  // no identifiers
  EXPECT_EQ(text.find("SMITH"), std::string::npos);
}

TEST(RegisterIndexTest, MissingNhsNumberStillMatchesOnDemographics) {
  auto index = Index();
  PersonRecord query = Register()[3];
  query.nhs_number = "";
  query.given_name = "Olly";  // nickname
  LinkResult result = index->Link(query);
  EXPECT_EQ(LinkedId(*index, result), "R4");
  EXPECT_NE(result.band, Band::kNoMatch);
}

TEST(RegisterIndexTest, TwinWithoutNhsNumberAndPlaceholderNameNeverAutoLinks) {
  auto index = Index();
  PersonRecord query = Register()[0];
  query.nhs_number = "";
  query.given_name = "Twin 1";
  LinkResult result = index->Link(query);
  EXPECT_NE(result.band, Band::kMatch);
  EXPECT_EQ(result.band, Band::kPotential);
  ASSERT_GE(result.candidates.size(), 2u);
  EXPECT_NEAR(result.candidates[0].match_weight, result.candidates[1].match_weight, 1e-9);
}

TEST(RegisterIndexTest, TwinRecordedWithTheOtherTwinsNhsNumberNeverAutoLinks) {
  auto index = Index();
  // Isla's demographics with Amelia's number: a classic twin mix-up.
  PersonRecord query = Register()[1];
  query.nhs_number = Register()[0].nhs_number;
  LinkResult result = index->Link(query);
  EXPECT_NE(result.band, Band::kMatch);
  for (const Candidate& c : result.candidates) {
    if (index->entry(c.entry).id == "R1") {
      EXPECT_NE(c.conflicts & kTwinPattern, 0);
    }
    if (index->entry(c.entry).id == "R2") {
      EXPECT_NE(c.conflicts & kDifferentNhsNumbers, 0);
    }
  }
}

TEST(RegisterIndexTest, EachTwinWithTheirOwnNameLinksToThemselves) {
  auto index = Index();
  for (int twin : {0, 1}) {
    PersonRecord query = Register()[twin];
    query.nhs_number = "";
    LinkResult result = index->Link(query);
    EXPECT_EQ(LinkedId(*index, result), Register()[twin].id);
    EXPECT_TRUE(index->has_multiple_birth(static_cast<std::uint32_t>(twin)));
  }
  EXPECT_FALSE(index->has_multiple_birth(2));
}

TEST(RegisterIndexTest, ConflictingValidNhsNumbersNeverAutoLink) {
  auto index = Index();
  PersonRecord query = Register()[3];
  query.nhs_number = "9990000107";  // Noah's number on Oliver's demographics
  LinkResult result = index->Link(query);
  EXPECT_NE(result.band, Band::kMatch);
  ASSERT_FALSE(result.candidates.empty());
  EXPECT_EQ(LinkedId(*index, result), "R4");
  EXPECT_NE(result.candidates[0].conflicts & kDifferentNhsNumbers, 0);
}

TEST(RegisterIndexTest, InvalidNhsNumberIsTreatedAsAbsent) {
  auto index = Index();
  PersonRecord query = Register()[3];
  query.nhs_number = "9990001007";  // fails the check digit
  LinkResult result = index->Link(query);
  ASSERT_FALSE(result.candidates.empty());
  EXPECT_EQ(result.candidates[0].gamma[0], nhs_level::kNull);
  EXPECT_EQ(result.candidates[0].conflicts, kNoConflict);
}

TEST(RegisterIndexTest, DayMonthSwapAndNameSwapAreFound) {
  auto index = Index();
  PersonRecord query = Register()[3];
  query.nhs_number = "";
  query.birth_date = year_month_day{year(2018), month(7), day(2)};
  LinkResult result = index->Link(query);
  ASSERT_FALSE(result.candidates.empty());
  EXPECT_EQ(LinkedId(*index, result), "R4");
  EXPECT_EQ(result.candidates[0].gamma[3], birth_level::kDayMonthSwapped);

  PersonRecord swapped = Register()[4];
  std::swap(swapped.given_name, swapped.family_name);
  result = index->Link(swapped);
  ASSERT_FALSE(result.candidates.empty());
  EXPECT_EQ(LinkedId(*index, result), "R5");
  EXPECT_EQ(result.candidates[0].gamma[1], given_level::kSwapped);
}

TEST(RegisterIndexTest, StrangerIsNoMatchWithProbabilityOfBestOrZero) {
  auto index = Index();
  PersonRecord stranger = Person("Q", "", "Zebedee", "Quigley", 1990, 6, 6, kM, "XF1 1AA");
  LinkResult result = index->Link(stranger);
  EXPECT_EQ(result.band, Band::kNoMatch);
  EXPECT_TRUE(result.candidates.empty());
  EXPECT_EQ(result.probability(), 0.0);
}

TEST(RegisterIndexTest, TermFrequencyMakesCommonNamesWeighLess) {
  // A register where SMITH is common and QUIGLEY is rare.
  std::vector<PersonRecord> entries;
  for (int i = 0; i < 3000; ++i) {
    entries.push_back(Person("S" + std::to_string(i), "", "Child" + std::string(1, 'A' + i % 26),
                             i % 2 ? "Smith" : "Jones", 2010 + i % 10, 1 + i % 12, 1 + i % 28, kM,
                             "XA1 1AA"));
  }
  entries.push_back(Person("RARE", "", "Oliver", "Quigley", 2018, 2, 7, kM, "XB9 4EF"));
  entries.push_back(Person("COMMON", "", "Oliver", "Smith", 2018, 2, 7, kM, "XB9 4EF"));
  auto index = RegisterIndex::Build(entries, Model::Default());
  auto family_tf = [&](const std::string& family) {
    PersonRecord query = Person("Q", "", "Oliver", family, 2018, 2, 7, kM, "XB9 4EF");
    LinkResult result = index->Link(query, 3);
    for (const Candidate& c : result.candidates) {
      if (index->entry(c.entry).family_name == family) {
        return c.contributions[static_cast<int>(Field::kFamilyName)].tf_adjustment;
      }
    }
    ADD_FAILURE() << "no candidate";
    return 0.0;
  };
  double rare = family_tf("Quigley");
  double common = family_tf("Smith");
  EXPECT_GT(rare, 0.0);
  EXPECT_LT(common, 0.0);
}

TEST(RegisterIndexTest, WithChangesAddsReplacesAndRemoves) {
  auto index = Index();
  PersonRecord moved = Register()[3];
  moved.postcode = "XD5 5JJ";
  PersonRecord added = Person("R6", "", "Zara", "Begum", 2015, 1, 20, kF, "XE1 2AB");
  auto changed = index->WithChanges({moved, added}, {"R5"});
  EXPECT_EQ(index->size(), 5u);
  EXPECT_EQ(changed->size(), 5u);
  LinkResult result = changed->Link(added);
  EXPECT_EQ(LinkedId(*changed, result), "R6");
  EXPECT_EQ(changed->Link(Register()[4]).band, Band::kNoMatch);
  EXPECT_EQ(index->Link(Register()[4]).band, Band::kMatch);  // the old index is unchanged
}

TEST(RegisterIndexTest, ConcurrentReadersGetTheSameAnswers) {
  LiveRegisterIndex live(Index());
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  const std::vector<PersonRecord> entries = Register();
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 500; ++i) {
        auto index = live.Current();
        const PersonRecord& query = entries[static_cast<std::size_t>(i % 5)];
        LinkResult result = index->Link(query);
        if (result.candidates.empty() || index->entry(result.candidates[0].entry).id != query.id) {
          ++wrong;
        }
      }
    });
  }
  live.Replace(Index());
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace liaison::linkage
