#include "linkage/model.h"

#include <cmath>

#include <gtest/gtest.h>

#include "linkage/embedded_data.h"

namespace liaison::linkage {
namespace {

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  std::size_t at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

TEST(ModelTest, ShippedModelParsesWithWeightsFromMAndU) {
  std::shared_ptr<const Model> model = Model::Default();
  EXPECT_FALSE(model->version().empty());
  const LevelParameters& exact = model->level(Field::kNhsNumber, nhs_level::kExact);
  EXPECT_DOUBLE_EQ(model->Weight(Field::kNhsNumber, nhs_level::kExact),
                   std::log2(exact.m / exact.u));
  EXPECT_DOUBLE_EQ(model->Weight(Field::kGivenName, given_level::kNull), 0.0);
  EXPECT_GT(model->Weight(Field::kNhsNumber, nhs_level::kExact), 10.0);
  EXPECT_LT(model->Weight(Field::kNhsNumber, nhs_level::kDifferent), -3.0);
  EXPECT_LT(model->Weight(Field::kGivenName, given_level::kDifferent), 0.0);
  EXPECT_TRUE(model->term_frequency(Field::kFamilyName));
}

TEST(ModelTest, RoundTripsThroughJson) {
  std::shared_ptr<const Model> model = Model::Default();
  Result<Model> again = Model::Parse(model->ToJson());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  for (int f = 0; f < kFieldCount; ++f) {
    for (int l = 1; l < LevelCount(static_cast<Field>(f)); ++l) {
      EXPECT_NEAR(again->Weight(static_cast<Field>(f), l), model->Weight(static_cast<Field>(f), l),
                  1e-3);
    }
  }
  EXPECT_EQ(again->version(), model->version());
  EXPECT_DOUBLE_EQ(again->bands().match_probability, model->bands().match_probability);
}

TEST(ModelTest, BadFilesFailWithTheJsonPath) {
  std::string good(DefaultModelText());
  struct Case {
    std::string text;
    std::string expected;
  };
  std::vector<Case> cases = {
      {"{not json", "not valid JSON"},
      {"[]", "(root): must be an object"},
      {Replace(good, "\"liaison-linkage-model\"", "\"other\""), "format"},
      {Replace(good, "\"exact\": {\"m\": ", "\"exact\": {\"m\": 1.5, \"x\": "),
       "comparisons.nhs_number.levels.exact.m: must be in (0, 1)"},
      {Replace(good, "\"different\"", "\"differs\""),
       "comparisons.nhs_number.levels.differs: unknown level"},
      {Replace(good, "\"on_register_rate\": ", "\"on_register_rate\": 2, \"x\": "),
       "prior.on_register_rate"},
      {Replace(good, "\"margin_bits\"", "\"margin\""), "bands.margin_bits: missing"},
  };
  for (const Case& c : cases) {
    Result<Model> model = Model::Parse(c.text);
    ASSERT_FALSE(model.ok()) << c.expected;
    EXPECT_EQ(model.status().reason(), "invalid_model");
    EXPECT_NE(model.status().message().find(c.expected), std::string::npos)
        << model.status().message();
  }
}

TEST(ModelTest, MissingFileIsNotFound) {
  Result<Model> model = Model::Load("/nonexistent/model.json");
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().reason(), "model_not_found");
}

}  // namespace
}  // namespace liaison::linkage
