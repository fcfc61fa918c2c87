#include "linkage/training.h"

#include <random>

#include <gtest/gtest.h>

namespace liaison::linkage {
namespace {

// Simulates pairs from known parameters and checks that EM recovers m and λ (u fixed), as
// Splink's known-parameters test does.
TEST(TrainingTest, EmRecoversKnownParameters) {
  // The shipped parameters, normalised so that each field's m and u are distributions.
  auto truth = std::make_shared<Model>(*Model::Default());
  for (int f = 0; f < kFieldCount; ++f) {
    auto field = static_cast<Field>(f);
    double m_total = 0, u_total = 0;
    for (int l = 1; l < LevelCount(field); ++l) {
      m_total += truth->level(field, l).m;
      u_total += truth->level(field, l).u;
    }
    for (int l = 1; l < LevelCount(field); ++l) {
      truth->mutable_level(field, l).m /= m_total;
      truth->mutable_level(field, l).u /= u_total;
    }
  }
  ASSERT_TRUE(truth->Finish().ok());
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const double lambda = 0.05;
  auto draw = [&](Field field, bool match) {
    double roll = uniform(rng);
    int levels = LevelCount(field);
    for (int l = 1; l < levels; ++l) {
      const LevelParameters& p = truth->level(field, l);
      double probability = match ? p.m : p.u;
      if (roll < probability) return l;
      roll -= probability;
    }
    return levels - 1;
  };
  std::unordered_map<std::uint32_t, double> counts;
  for (int i = 0; i < 400000; ++i) {
    bool match = uniform(rng) < lambda;
    Gamma gamma{};
    for (int f = 0; f < kFieldCount; ++f)
      gamma[f] = static_cast<std::uint8_t>(draw(static_cast<Field>(f), match));
    counts[PatternOf(gamma)] += 1.0;
  }
  std::vector<GammaCount> patterns;
  for (const auto& [pattern, count] : counts) patterns.push_back({GammaOfPattern(pattern), count});

  // Start from flat m values, far from the truth.
  Model start = *truth;
  for (int f = 0; f < kFieldCount; ++f) {
    auto field = static_cast<Field>(f);
    for (int l = 1; l < LevelCount(field); ++l) {
      start.mutable_level(field, l).m = 1.0 / (LevelCount(field) - 1);
    }
  }
  start.mutable_level(Field::kNhsNumber, nhs_level::kExact).m = 0.6;
  start.mutable_level(Field::kNhsNumber, nhs_level::kDifferent).m = 0.4;
  EmResult em = EstimateMByEm(patterns, start, 0.2, 500, 1e-9);
  EXPECT_NEAR(em.lambda, lambda, 0.01);
  for (int f = 0; f < kFieldCount; ++f) {
    auto field = static_cast<Field>(f);
    for (int l = 1; l < LevelCount(field); ++l) {
      EXPECT_NEAR(em.m[f][l], truth->level(field, l).m, 0.02)
          << FieldName(field) << "." << LevelNames(field)[l];
    }
  }
}

TEST(TrainingTest, TrainingNeedsData) {
  Result<Model> model = TrainModel({}, {}, *Model::Default(), TrainingOptions{}, nullptr);
  ASSERT_FALSE(model.ok());
  EXPECT_EQ(model.status().reason(), "no_training_data");
}

}  // namespace
}  // namespace liaison::linkage
