#include "common/hash.h"

#include <gtest/gtest.h>

namespace liaison {
namespace {

TEST(HashTest, Blake2bMatchesTheReferenceVector) {
  // BLAKE2b-256 of the empty string (RFC 7693 family reference value).
  EXPECT_EQ(Blake2bHex(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_NE(Blake2bHex("a"), Blake2bHex("b"));
}

TEST(HashTest, RandomHexHasTheRequestedLengthAndVaries) {
  std::string first = RandomHex(16);
  EXPECT_EQ(first.size(), 32u);
  EXPECT_NE(first, RandomHex(16));
}

}  // namespace
}  // namespace liaison
