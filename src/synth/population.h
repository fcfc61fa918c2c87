// Population: a synthetic population of households, computed on demand from a seed, so that
// any household can be looked up in O(1) and a population of tens of millions costs no memory.
//
// Households come in blocks of 16 with a fixed mix of sizes (1 to 6 people, mean 2.6),
// shuffled per block; a person's key is its position in that layout, which also gives each
// person a unique synthetic NHS number (starting with 999 while the population fits the test
// range, else with 9; always with a valid check digit). Families have one or two adults and
// siblings a few years apart, sometimes twins; some households move house and some children
// change family name during the period.
//
// Immutable after construction; safe to share between threads.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/person.h"

namespace liaison::synth {

struct SynthPerson {
  std::uint64_t key = 0;  // unique within the population; "P<key>" in the truth file
  int member = 0;         // position in the household; adults first
  bool adult = false;
  domain::Sex sex = domain::Sex::kUnknown;
  std::string given_name;
  std::string family_name;
  // A family name used before `name_change_day` (a child taking a step-parent's name).
  std::optional<std::string> earlier_family_name;
  std::chrono::sys_days name_change_day{};
  std::chrono::sys_days birth{};
  std::string nhs_number;  // ten digits, valid check digit

  // The family name in use on `day`.
  const std::string& FamilyNameOn(std::chrono::sys_days day) const {
    return earlier_family_name && day < name_change_day ? *earlier_family_name : family_name;
  }
};

// The register statuses of the register upload CSV (contracts.md).
enum class RegisterStatus { kNone, kCpPlan, kLookedAfter, kChildInNeed };

struct SynthHousehold {
  std::uint64_t index = 0;
  std::vector<SynthPerson> people;  // adults first, then children eldest first
  std::string postcode;
  std::optional<std::string> postcode_after_move;
  std::chrono::sys_days move_day{};
  bool on_register = false;  // its children are on the register (see RegisterStatusOf)

  std::string PostcodeOn(std::chrono::sys_days day) const {
    return postcode_after_move && day >= move_day ? *postcode_after_move : postcode;
  }
  int adults() const;
  int children() const;
};

class Population {
 public:
  // `households` is rounded up to whole blocks, and down so that every person gets a distinct
  // NHS number. Birth dates are spread so that ages are right on [first_day, last_day].
  Population(std::uint64_t seed, std::uint64_t households, std::chrono::sys_days first_day,
             std::chrono::sys_days last_day);

  std::uint64_t households() const { return households_; }
  std::uint64_t people() const { return households_ / kBlockHouseholds * kBlockPeople; }
  SynthHousehold Household(std::uint64_t index) const;

  // Households whose children are on the register: every kRegisterStride-th, from
  // kRegisterOffset, so that they can be sampled directly.
  static constexpr std::uint64_t kRegisterStride = 113;
  static constexpr std::uint64_t kRegisterOffset = 7;
  // Households of frequent attenders, sampled the same way.
  static constexpr std::uint64_t kFrequentStride = 2003;
  static constexpr std::uint64_t kFrequentOffset = 5;

  RegisterStatus RegisterStatusOf(const SynthHousehold& household, const SynthPerson& person) const;

  static constexpr std::uint64_t kBlockHouseholds = 16;
  static constexpr std::uint64_t kBlockPeople = 42;

 private:
  std::uint64_t seed_;
  std::uint64_t households_;
  std::chrono::sys_days first_day_;
  std::chrono::sys_days last_day_;
  bool test_range_;  // all NHS numbers fit the 999 range
};

// The ten-digit NHS number of person `key`. With `test_range`, it starts 999 (REQUIRES
// key < 900,000); otherwise it starts 9 (REQUIRES key < 90,000,000). Always a valid check
// digit, and distinct keys give distinct numbers.
std::string SyntheticNhsNumber(std::uint64_t key, bool test_range);

std::string_view RegisterStatusSlug(RegisterStatus status);

}  // namespace liaison::synth
