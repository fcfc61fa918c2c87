#include "linkage/standardise.h"

#include <gtest/gtest.h>

#include "linkage/nicknames.h"
#include "linkage/phonetic.h"
#include "linkage/similarity.h"

namespace liaison::linkage {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;
using std::chrono::year_month_day;

TEST(FoldTextTest, FoldsCaseDiacriticsAndPunctuation) {
  EXPECT_EQ(FoldText("  zoë  "), "ZOE");
  EXPECT_EQ(FoldText("Łukasz Wiśniewski"), "LUKASZ WISNIEWSKI");
  EXPECT_EQ(FoldText("O'Brien"), "OBRIEN");
  EXPECT_EQ(FoldText("O\xE2\x80\x99"
                     "Brien"),
            "OBRIEN");  // right single quotation mark
  EXPECT_EQ(FoldText("Smith-Jones"), "SMITH JONES");
  EXPECT_EQ(FoldText("Straße"), "STRASSE");
  EXPECT_EQ(FoldText("Émile   Zola"), "EMILE ZOLA");
  EXPECT_EQ(FoldText(""), "");
  EXPECT_EQ(FoldText("--"), "");
}

TEST(StandardiseTest, PlaceholderGivenNamesBecomeAbsent) {
  for (std::string name : {"BABY", "Baby", "Twin 1", "TWIN B", "Unknown", "B/O Sarah", "NK",
                           "Not Known", "Infant", "boy", "J"}) {
    PersonRecord record;
    record.given_name = name;
    Features f = Standardise(record, NicknameTable::Default());
    EXPECT_EQ(f.given, "") << name;
    EXPECT_EQ(f.given_phonetic, "") << name;
  }
  PersonRecord record;
  record.given_name = "Olivia Rose";
  record.family_name = "Unknown";
  Features f = Standardise(record, NicknameTable::Default());
  EXPECT_EQ(f.given, "OLIVIA");
  EXPECT_EQ(f.other_given, "ROSE");
  EXPECT_EQ(f.family, "");
}

TEST(StandardiseTest, FirstOfJanuaryIsEstimated) {
  PersonRecord record;
  record.birth_date = year_month_day{year(2019), month(1), day(1)};
  EXPECT_TRUE(Standardise(record, NicknameTable::Default()).birth_estimated);
  record.birth_date = year_month_day{year(2019), month(1), day(2)};
  Features f = Standardise(record, NicknameTable::Default());
  EXPECT_FALSE(f.birth_estimated);
  EXPECT_EQ(f.birth_year, 2019);
  EXPECT_EQ(f.birth_month, 1);
  EXPECT_EQ(f.birth_day, 2);
}

TEST(StandardiseTest, InvalidNhsNumberIsAbsentButNoted) {
  PersonRecord record;
  record.nhs_number = "943 476 5919";
  EXPECT_EQ(Standardise(record, NicknameTable::Default()).nhs_number, 9434765919u);
  record.nhs_number = "9434765918";  // wrong check digit
  Features f = Standardise(record, NicknameTable::Default());
  EXPECT_EQ(f.nhs_number, 0u);
  EXPECT_TRUE(f.nhs_number_invalid);
  record.nhs_number = "";
  EXPECT_FALSE(Standardise(record, NicknameTable::Default()).nhs_number_invalid);
}

TEST(PostcodeTest, NormalisesAndDerivesSectorDistrictArea) {
  std::optional<Postcode> p = NormalisePostcode(" sw1a1aa ");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->full, "SW1A 1AA");
  EXPECT_EQ(p->district(), "SW1A");
  EXPECT_EQ(p->sector(), "SW1A 1");
  EXPECT_EQ(p->area(), "SW");
  ASSERT_TRUE(NormalisePostcode("M1 1AE"));
  EXPECT_EQ(NormalisePostcode("m11ae")->area(), "M");
  EXPECT_EQ(NormalisePostcode("XA12 3AB")->district(), "XA12");
  EXPECT_FALSE(NormalisePostcode("not a postcode"));
  EXPECT_FALSE(NormalisePostcode("12345"));
  EXPECT_FALSE(NormalisePostcode(""));
}

TEST(StandardiseTest, KeepsAddressHistoryWithoutDuplicates) {
  PersonRecord record;
  record.postcode = "XA1 2AB";
  record.earlier_postcodes = {"xa12ab", "XB3 4CD", "nonsense"};
  Features f = Standardise(record, NicknameTable::Default());
  ASSERT_EQ(f.postcodes.size(), 2u);
  EXPECT_EQ(f.postcodes[0].full, "XA1 2AB");
  EXPECT_EQ(f.postcodes[1].full, "XB3 4CD");
}

TEST(NysiisTest, KnownCodes) {
  // Worked through the original algorithm's steps by hand.
  EXPECT_EQ(Nysiis("MACINTOSH"), "MCANT");  // MAC -> MCC, trailing S and A dropped
  EXPECT_EQ(Nysiis("KNUTH"), "NAT");        // KN -> NN, H after a consonant
  EXPECT_EQ(Nysiis("SCHMIDT"), "SNAD");     // SCH -> SSS, DT -> D
  EXPECT_EQ(Nysiis("PHILLIPS"), "FALAP");   // PH -> FF
  EXPECT_EQ(Nysiis(""), "");
  // Spelling variants share a code.
  EXPECT_EQ(Nysiis("BROWN"), Nysiis("BROWNE"));
  EXPECT_EQ(Nysiis("CATHERINE"), Nysiis("KATHERINE"));
  EXPECT_EQ(Nysiis("MOHAMMED"), Nysiis("MOHAMED"));
  EXPECT_NE(Nysiis("SMITH"), Nysiis("JONES"));
}

TEST(JaroWinklerTest, KnownValues) {
  EXPECT_DOUBLE_EQ(JaroWinkler("MARTHA", "MARTHA"), 1.0);
  EXPECT_NEAR(JaroWinkler("MARTHA", "MARHTA"), 0.9611, 1e-4);
  EXPECT_NEAR(JaroWinkler("DWAYNE", "DUANE"), 0.84, 1e-4);
  EXPECT_NEAR(JaroWinkler("DIXON", "DICKSONX"), 0.8133, 1e-4);
  EXPECT_DOUBLE_EQ(JaroWinkler("", "A"), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler("ABC", "XYZ"), 0.0);
}

TEST(OneEditApartTest, SubstitutionOrAdjacentTransposition) {
  EXPECT_TRUE(OneEditApart("20190304", "20190305"));
  EXPECT_TRUE(OneEditApart("20190304", "20190340"));
  EXPECT_FALSE(OneEditApart("20190304", "20190304"));
  EXPECT_FALSE(OneEditApart("20190304", "20190413"));
  EXPECT_FALSE(OneEditApart("123", "1234"));
}

TEST(NicknameTableTest, ShippedTableParsesAndGroupsNames) {
  const NicknameTable& table = NicknameTable::Default();
  EXPECT_GT(table.groups(), 100u);
  EXPECT_TRUE(ShareGroup(table.GroupsOf("ALEX"), table.GroupsOf("ALEXANDER")));
  EXPECT_TRUE(ShareGroup(table.GroupsOf("ALEX"), table.GroupsOf("ALEXANDRA")));
  EXPECT_FALSE(ShareGroup(table.GroupsOf("ALEXANDER"), table.GroupsOf("ALEXANDRA")));
  EXPECT_TRUE(ShareGroup(table.GroupsOf("MOHAMMED"), table.GroupsOf("MUHAMMAD")));
  EXPECT_TRUE(table.GroupsOf("ZEBEDEE").empty());
}

TEST(NicknameTableTest, ParseRejectsAGroupOfOne) {
  Result<NicknameTable> table = NicknameTable::Parse("# comment\nAlexander, Alex\nTom\n");
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().reason(), "invalid_nickname_table");
  EXPECT_NE(table.status().message().find("line 3"), std::string::npos);
  Result<NicknameTable> good = NicknameTable::Parse("Thomas, Tom # short\n\nKate,Katherine");
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(good->groups(), 2u);
  EXPECT_TRUE(ShareGroup(good->GroupsOf("TOM"), good->GroupsOf("THOMAS")));
}

}  // namespace
}  // namespace liaison::linkage
