#include "domain/concern_level.h"

#include <gtest/gtest.h>

namespace liaison::domain {
namespace {

TEST(ConcernLevelTest, IsOrderedNoneToSuspect) {
  EXPECT_LT(ConcernLevel::None(), ConcernLevel::Review());
  EXPECT_LT(ConcernLevel::Review(), ConcernLevel::Prompt());
  EXPECT_LT(ConcernLevel::Prompt(), ConcernLevel::Consider());
  EXPECT_LT(ConcernLevel::Consider(), ConcernLevel::Suspect());
}

TEST(ConcernLevelTest, CombinesOnlyUpward) {
  ConcernLevel levels[] = {ConcernLevel::None(), ConcernLevel::Review(), ConcernLevel::Prompt(),
                           ConcernLevel::Consider(), ConcernLevel::Suspect()};
  for (ConcernLevel a : levels) {
    for (ConcernLevel b : levels) {
      ConcernLevel raised = a.RaisedBy(b);
      EXPECT_GE(raised, a);
      EXPECT_GE(raised, b);
      EXPECT_TRUE(raised == a || raised == b);
    }
  }
  EXPECT_EQ(ConcernLevel::Suspect().RaisedBy(ConcernLevel::None()), ConcernLevel::Suspect());
}

TEST(ConcernLevelTest, SlugsRoundTrip) {
  for (const char* slug : {"none", "review", "prompt", "consider", "suspect"}) {
    ASSERT_TRUE(ConcernLevel::FromSlug(slug).has_value()) << slug;
    EXPECT_EQ(ConcernLevel::FromSlug(slug)->Slug(), slug);
  }
  EXPECT_FALSE(ConcernLevel::FromSlug("safe").has_value());
}

}  // namespace
}  // namespace liaison::domain
