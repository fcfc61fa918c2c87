// Model: the Fellegi-Sunter parameters of the linker, read from a versioned JSON file
// (data/linkage/model-v1.json is compiled in as the default; `--model FILE` overrides it).
// Per field and non-null level: m = P(level | match), u = P(level | non-match); the weight of
// a level is log2(m/u), null levels weigh 0. Term-frequency adjustment (Splink's form) applies
// to the exact levels of the fields that ask for it. The prior odds of a candidate pair come
// from the expected share of queries that are on the register, divided by the register's
// size at run time. Bands: match needs the probability, a margin over the runner-up and no
// conflict. Never retrained implicitly: training writes a new file (linkage/training.h).
// Immutable after Parse; thread-safe.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"
#include "linkage/comparison.h"

namespace liaison::linkage {

struct LevelParameters {
  double m = 1.0;
  double u = 1.0;
  // The two training estimates, kept for comparison; -1 when unknown. `m` is one of them.
  double m_em = -1.0;          // expectation-maximisation over blocked pairs
  double m_supervised = -1.0;  // pairs sharing a valid NHS number
};

struct Bands {
  double match_probability = 0.999;
  double margin_bits = 5.0;  // the best must beat the runner-up by this many bits
  double potential_probability = 0.2;
};

class Model {
 public:
  inline static constexpr std::string_view kFormat = "liaison-linkage-model";

  // Fails with reason "invalid_model" and a message naming the JSON path of the problem
  // ("comparisons.given_name.levels.exact.m: must be in (0, 1)").
  static Result<Model> Parse(std::string_view json);
  static Result<Model> Load(const std::string& path);
  // The compiled-in data/linkage/model-v1.json.
  static std::shared_ptr<const Model> Default();

  std::string ToJson() const;

  const std::string& version() const { return version_; }
  const std::string& description() const { return description_; }
  const LevelParameters& level(Field field, int level) const {
    return levels_[static_cast<int>(field)][level];
  }
  LevelParameters& mutable_level(Field field, int level) {
    return levels_[static_cast<int>(field)][level];
  }
  // log2(m/u), 0 for null levels.
  double Weight(Field field, int level) const { return weights_[static_cast<int>(field)][level]; }
  bool term_frequency(Field field) const { return tf_[static_cast<int>(field)]; }
  double tf_minimum() const { return tf_minimum_; }
  double tf_prior_records() const { return tf_prior_records_; }
  double on_register_rate() const { return on_register_rate_; }
  const Bands& bands() const { return bands_; }
  const std::string& training_notes() const { return training_notes_; }

  // Used by training to build a new model from an old one's structure.
  void set_version(std::string version) { version_ = std::move(version); }
  void set_description(std::string text) { description_ = std::move(text); }
  void set_on_register_rate(double rate) { on_register_rate_ = rate; }
  void set_training_notes(std::string notes) { training_notes_ = std::move(notes); }
  // Recomputes the weights after m or u changed. Fails when a value is outside (0, 1).
  Status Finish();

 private:
  std::string version_;
  std::string description_;
  std::array<std::array<LevelParameters, kMaxLevels>, kFieldCount> levels_{};
  std::array<std::array<double, kMaxLevels>, kFieldCount> weights_{};
  std::array<bool, kFieldCount> tf_{};
  double tf_minimum_ = 1e-5;
  double tf_prior_records_ = 1000;
  double on_register_rate_ = 0.01;
  Bands bands_;
  std::string training_notes_;
};

}  // namespace liaison::linkage
