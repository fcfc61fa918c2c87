#include "common/time_format.h"

#include <cstdio>
#include <optional>
#include <random>

#include <gtest/gtest.h>

namespace liaison {
namespace {

using namespace std::chrono_literals;  // NOLINT(google-build-using-namespace)

TEST(TimeFormatTest, ParsesRfc3339WithOffsetsAndFractions) {
  struct Case {
    const char* text;
    const char* utc;
  } cases[] = {
      {"2026-11-26T09:30:00Z", "2026-11-26T09:30:00.000000Z"},
      {"2026-11-26T09:30:00.5Z", "2026-11-26T09:30:00.500000Z"},
      {"2026-07-01T10:00:00+01:00", "2026-07-01T09:00:00.000000Z"},
      {"2026-01-01T00:30:00-05:30", "2026-01-01T06:00:00.000000Z"},
      {"2026-11-26T09:30:00.1234567Z", "2026-11-26T09:30:00.123456Z"},
      {"2024-02-29T23:59:59Z", "2024-02-29T23:59:59.000000Z"},
  };
  for (const Case& c : cases) {
    Result<Timestamp> at = ParseTimestamp(c.text);
    ASSERT_TRUE(at.ok()) << c.text << ": " << at.status().ToString();
    EXPECT_EQ(FormatTimestamp(*at), c.utc) << c.text;
  }
}

TEST(TimeFormatTest, RejectsMalformedAndImpossibleDateTimes) {
  const char* bad[] = {"",
                       "2026-11-26",
                       "2026-11-26T09:30:00",
                       "2026-02-30T09:30:00Z",
                       "2023-02-29T00:00:00Z",
                       "2026-11-26T24:00:00Z",
                       "2026-11-26T09:60:00Z",
                       "2026-11-26T09:30:00+1:00",
                       "2026-11-26T09:30:00Zjunk",
                       "2026-11-26T09:30:00.Z",
                       "26-11-2026T09:30:00Z",
                       "0000-06-01T00:00:00Z",
                       "0001-01-01T00:00:00+01:00",
                       "9999-12-31T23:30:00-01:00"};
  for (const char* text : bad) {
    Result<Timestamp> at = ParseTimestamp(text);
    ASSERT_FALSE(at.ok()) << text;
    EXPECT_EQ(at.status().reason(), "invalid_datetime") << text;
  }
}

TEST(TimeFormatTest, DatesRoundTripAndImpossibleDatesFail) {
  ASSERT_TRUE(ParseDate("2024-02-29").ok());
  EXPECT_EQ(FormatDate(*ParseDate("2024-02-29")), "2024-02-29");
  for (const char* text :
       {"2023-02-29", "2026-13-01", "2026-00-10", "2026-1-01", "abcd-ef-gh", "0000-01-01"}) {
    Result<std::chrono::year_month_day> date = ParseDate(text);
    ASSERT_FALSE(date.ok()) << text;
    EXPECT_EQ(date.status().reason(), "invalid_date");
  }
}

// The digit writer against the printf formula it replaced, over random instants from year 0 to
// 9999 and the years four digits cannot hold (which fall back to printf).
TEST(TimeFormatTest, FormatsLikePrintfAcrossTheRange) {
  auto expected = [](Timestamp at) {
    auto days = std::chrono::floor<std::chrono::days>(at);
    std::chrono::year_month_day date{days};
    std::chrono::hh_mm_ss<std::chrono::microseconds> time{at - days};
    char buffer[64];
    std::snprintf(buffer, sizeof(buffer), "%04d-%02u-%02uT%02d:%02d:%02d.%06ldZ",
                  static_cast<int>(date.year()), static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), static_cast<int>(time.hours().count()),
                  static_cast<int>(time.minutes().count()),
                  static_cast<int>(time.seconds().count()),
                  static_cast<long>(time.subseconds().count()));
    return std::string(buffer);
  };
  auto micros_at = [](int y) {
    return std::chrono::sys_days(std::chrono::year(y) / 1 / 1).time_since_epoch() /
           std::chrono::microseconds(1);
  };
  std::mt19937_64 random(7);
  std::uniform_int_distribution<std::int64_t> micros(micros_at(-20), micros_at(10020));
  std::vector<std::int64_t> samples = {0, micros_at(0), micros_at(0) - 1, micros_at(10000),
                                       micros_at(10000) - 1};
  for (int i = 0; i < 20000; ++i) samples.push_back(micros(random));
  for (std::int64_t sample : samples) {
    Timestamp at{std::chrono::microseconds(sample)};
    ASSERT_EQ(FormatTimestamp(at), expected(at)) << sample;
    std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(at)};
    ASSERT_EQ(FormatDate(date), expected(at).substr(0, expected(at).find('T'))) << sample;
  }
}

// The canonical fast path against ParseTimestamp, the authority: over canonical texts of random
// instants and their mutations (digits and bytes changed, which make impossible dates, hours out
// of range, leap seconds, other separators and lengths), whatever the fast path accepts the
// general parser accepts as the same instant, and every canonical text the general parser
// accepts (leap seconds aside) the fast path accepts too.
TEST(TimeFormatTest, CanonicalFastPathAgreesWithTheGeneralParser) {
  std::mt19937_64 random(11);
  auto micros_at = [](int y) {
    return std::chrono::sys_days(std::chrono::year(y) / 1 / 1).time_since_epoch() /
           std::chrono::microseconds(1);
  };
  std::uniform_int_distribution<std::int64_t> micros(micros_at(1), micros_at(10000) - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  const std::string replacements = "0123456789-:T.Zzt +";
  int fast_accepted = 0;
  for (int i = 0; i < 200000; ++i) {
    std::string text = FormatTimestamp(Timestamp{std::chrono::microseconds(micros(random))});
    int mutations = static_cast<int>(random() % 4);
    for (int m = 0; m < mutations; ++m) {
      std::size_t at = random() % text.size();
      switch (random() % 4) {
        case 0:
          text[at] = replacements[random() % replacements.size()];
          break;
        case 1:
          text[at] = static_cast<char>('0' + random() % 10);
          break;
        case 2:
          text[at] = static_cast<char>(byte(random));
          break;
        default:
          text.erase(at, 1 + random() % 3);
          if (text.empty()) text = "Z";
      }
    }
    std::optional<Timestamp> fast = ParseCanonicalTimestamp(text);
    Result<Timestamp> general = ParseTimestamp(text);
    if (fast) {
      ++fast_accepted;
      ASSERT_TRUE(general.ok()) << text;
      ASSERT_EQ(*fast, *general) << text;
    } else if (general.ok() && text.size() == 27 && text[10] == 'T' && text[26] == 'Z' &&
               text.substr(17, 2) != "60") {
      ADD_FAILURE() << "the fast path turned away a canonical instant: " << text;
    }
  }
  EXPECT_GT(fast_accepted, 50000);  // a quarter are not mutated at all
}

}  // namespace
}  // namespace liaison
