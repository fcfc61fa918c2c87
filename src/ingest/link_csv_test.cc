#include "ingest/link_csv.h"

#include <sstream>

#include <gtest/gtest.h>

namespace liaison::ingest {
namespace {

struct Read {
  std::vector<LinkRow> rows;
  std::vector<RowIssue> issues;
};

Read ReadAll(const std::string& text) {
  std::istringstream in(text);
  LinkCsvReader reader(in);
  Read read;
  EXPECT_TRUE(reader.ReadHeader().ok());
  LinkRow row;
  std::vector<RowIssue> issues;
  for (;;) {
    Result<LinkCsvReader::Outcome> outcome = reader.Next(row, issues);
    EXPECT_TRUE(outcome.ok());
    if (!outcome.ok() || *outcome == LinkCsvReader::Outcome::kEnd) break;
    read.issues.insert(read.issues.end(), issues.begin(), issues.end());
    if (*outcome == LinkCsvReader::Outcome::kRow) read.rows.push_back(row);
  }
  return read;
}

TEST(LinkCsvTest, MatchesColumnsByHeaderAndIgnoresExtras) {
  Read read = ReadAll(
      "postcode,extra,sex,id,birth_date,given_name,family_name,nhs_number\n"
      "XA1 2AB,ignored,F,Q1,2019-03-04,Olivia,Smith,999 000 0018\n");
  ASSERT_EQ(read.rows.size(), 1u);
  const LinkRow& row = read.rows[0];
  EXPECT_EQ(row.id, "Q1");
  EXPECT_EQ(row.postcode, "XA1 2AB");
  EXPECT_EQ(row.sex, domain::Sex::kFemale);
  EXPECT_EQ(row.given_name, "Olivia");
  EXPECT_EQ(row.family_name, "Smith");
  EXPECT_EQ(row.nhs_number, "999 000 0018");
  ASSERT_TRUE(row.birth_date.has_value());
  EXPECT_EQ(row.line, 2);
  EXPECT_TRUE(read.issues.empty());
}

TEST(LinkCsvTest, EveryValueMayBeEmptyAndColumnsMayBeMissing) {
  Read read = ReadAll("id,given_name\nQ1,\nQ2,Ann\n");
  ASSERT_EQ(read.rows.size(), 2u);
  EXPECT_EQ(read.rows[0].given_name, "");
  EXPECT_FALSE(read.rows[0].birth_date.has_value());
  EXPECT_EQ(read.rows[0].sex, domain::Sex::kUnknown);
}

TEST(LinkCsvTest, SexValuesFollowTheContract) {
  Read read = ReadAll("id,sex\nA,female\nB,MALE\nC,m\nD,Other\nE,unknown\nF,x\n");
  ASSERT_EQ(read.rows.size(), 5u);
  EXPECT_EQ(read.rows[1].sex, domain::Sex::kMale);
  EXPECT_EQ(read.rows[2].sex, domain::Sex::kMale);
  EXPECT_EQ(read.rows[3].sex, domain::Sex::kOther);
  ASSERT_EQ(read.issues.size(), 1u);
  EXPECT_EQ(read.issues[0].line, 7);
  EXPECT_EQ(read.issues[0].field, "sex");
}

TEST(LinkCsvTest, BadRowsAreRejectedWithLineAndFieldButNotTheValue) {
  Read read = ReadAll("id,birth_date,family_name\nQ1,2020-02-30,Zebedee\nQ2,2020-01-01\n,,Jones\n");
  EXPECT_TRUE(read.rows.empty());
  ASSERT_EQ(read.issues.size(), 3u);
  EXPECT_EQ(read.issues[0].field, "birth_date");
  EXPECT_EQ(read.issues[0].line, 2);
  EXPECT_EQ(read.issues[0].reason.find("Zebedee"), std::string::npos);
  EXPECT_EQ(read.issues[0].reason.find("2020"), std::string::npos);
  EXPECT_EQ(read.issues[1].field, "");  // the row as a whole: wrong number of fields
  EXPECT_EQ(read.issues[2].field, "id");
}

TEST(LinkCsvTest, InvalidNhsNumberIsAWarningNotARejection) {
  Read read = ReadAll("id,nhs_number\nQ1,9990000019\n");
  ASSERT_EQ(read.rows.size(), 1u);
  ASSERT_EQ(read.issues.size(), 1u);
  EXPECT_EQ(read.issues[0].kind, IssueKind::kWarning);
  EXPECT_EQ(read.issues[0].field, "nhs_number");
  EXPECT_EQ(read.issues[0].reason.find("9990000019"), std::string::npos);
}

TEST(LinkCsvTest, HeaderWithoutIdOrLinkColumnsFails) {
  for (std::string text : {"", "given_name,family_name\n", "id,status\n"}) {
    std::istringstream in(text);
    LinkCsvReader reader(in);
    Status status = reader.ReadHeader();
    EXPECT_FALSE(status.ok()) << text;
    EXPECT_EQ(status.reason(), "invalid_header");
  }
}

}  // namespace
}  // namespace liaison::ingest
