#include "http/router.h"

#include <gtest/gtest.h>

namespace liaison::http {
namespace {

Response Named(const char* name) { return {200, "text/plain", name, {}}; }

TEST(RouterTest, MatchesLiteralsParametersAndPrefixes) {
  Router router;
  router.Add("GET", "/api/people/{id}", Access::kProtected,
             [](const Request&, const PathParams&, const app::Actor&) { return Named("person"); });
  router.Add("POST", "/api/people", Access::kProtected,
             [](const Request&, const PathParams&, const app::Actor&) { return Named("create"); });
  router.Add("GET", "/assets/x/{*}", Access::kPublic,
             [](const Request&, const PathParams&, const app::Actor&) { return Named("asset"); });
  RouteMatch person = router.Match("GET", "/api/people/42");
  ASSERT_NE(person.handler, nullptr);
  EXPECT_EQ(person.params.at("id"), "42");
  EXPECT_EQ(person.pattern, "/api/people/{id}");
  EXPECT_EQ(person.access, Access::kProtected);
  RouteMatch asset = router.Match("GET", "/assets/x/a/b.css");
  ASSERT_NE(asset.handler, nullptr);
  EXPECT_EQ(asset.params.at("*"), "a/b.css");
  EXPECT_EQ(asset.access, Access::kPublic);
  RouteMatch wrong_method = router.Match("DELETE", "/api/people");
  EXPECT_EQ(wrong_method.handler, nullptr);
  EXPECT_TRUE(wrong_method.path_known);
  EXPECT_EQ(wrong_method.allowed_methods, std::vector<std::string>{"POST"});
  EXPECT_FALSE(router.Match("GET", "/api/people/").path_known);
  EXPECT_FALSE(router.Match("GET", "/nothing").path_known);
}

}  // namespace
}  // namespace liaison::http
