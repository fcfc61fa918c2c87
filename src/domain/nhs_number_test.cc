#include "domain/nhs_number.h"

#include <random>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace liaison::domain {
namespace {

TEST(NhsNumberTest, AcceptsValidNumbersWithOrWithoutSeparators) {
  for (const char* text : {"9434765919", "943 476 5919", "943-476-5919", "9990000018"}) {
    Result<NhsNumber> parsed = NhsNumber::Parse(text);
    ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  }
  EXPECT_EQ(NhsNumber::Parse("943 476 5919")->digits(), "9434765919");
  EXPECT_EQ(NhsNumber::Parse("9434765919")->Display(), "943 476 5919");
}

TEST(NhsNumberTest, RejectsEverythingElseWithAClearReason) {
  struct Case {
    const char* text;
    const char* message_part;
  } cases[] = {
      {"", "empty"},
      {"943476591", "exactly 10 digits"},
      {"94347659190", "exactly 10 digits"},
      {"9434765918", "check digit"},
      {"94347659l9", "only digits"},
      {"9434 765919", "3-3-4"},
      {"943 476-5919", "3-3-4"},
      {" 9434765919", "3-3-4"},
      // Weighted sum gives remainder 1, so the check digit would be 10: never issued.
      {"1000000010", "no valid NHS number"},
  };
  for (const Case& c : cases) {
    Result<NhsNumber> parsed = NhsNumber::Parse(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.status().reason(), "invalid_nhs_number");
    EXPECT_NE(parsed.status().message().find(c.message_part), std::string::npos)
        << c.text << " gave: " << parsed.status().message();
    // The message never echoes the input.
    if (std::string(c.text).size() > 3) {
      EXPECT_EQ(parsed.status().message().find(c.text), std::string::npos);
    }
  }
}

TEST(NhsNumberTest, DebugOutputIsRedacted) {
  std::ostringstream out;
  out << *NhsNumber::Parse("9434765919");
  EXPECT_EQ(out.str().find("943"), std::string::npos);
}

TEST(RecordedNhsNumberTest, KeepsInvalidNumbersAsUnverified) {
  RecordedNhsNumber good = RecordedNhsNumber::From(" 943 476 5919 ");
  EXPECT_TRUE(good.verified);
  EXPECT_EQ(good.text, "9434765919");
  RecordedNhsNumber bad = RecordedNhsNumber::From("9434765918");
  EXPECT_FALSE(bad.verified);
  EXPECT_EQ(bad.text, "9434765918");
}

// The fast test against NhsNumber::Parse, the authority, over random ten-digit texts (a tenth of
// them valid) and mutations of them (separators, other bytes, other lengths).
TEST(NhsNumberTest, BareFastPathAgreesWithParse) {
  std::mt19937_64 random(5);
  int valid = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string text;
    for (int d = 0; d < 10; ++d) text.push_back(static_cast<char>('0' + random() % 10));
    switch (random() % 4) {
      case 0:
        text[random() % text.size()] = " -x\x80"[random() % 4];
        break;
      case 1:
        text.insert(random() % text.size(), 1, static_cast<char>('0' + random() % 10));
        break;
      case 2:
        text.erase(random() % text.size(), 1);
        break;
      default:
        break;
    }
    Result<NhsNumber> parsed = NhsNumber::Parse(text);
    bool bare = text.size() == 10 && text.find_first_not_of("0123456789") == std::string::npos;
    ASSERT_EQ(IsValidBareNhsNumber(text), bare && parsed.ok()) << i;
    if (IsValidBareNhsNumber(text)) {
      ++valid;
      // Compared as booleans: a failure must not print a number.
      ASSERT_TRUE(parsed->digits() == text) << i;
      RecordedNhsNumber recorded = RecordedNhsNumber::From(text);
      ASSERT_TRUE(recorded.verified) << i;
      ASSERT_TRUE(recorded.text == text) << i;
    }
  }
  EXPECT_GT(valid, 1000);
}

}  // namespace
}  // namespace liaison::domain
