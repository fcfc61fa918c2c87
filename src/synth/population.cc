#include "synth/population.h"

#include <algorithm>
#include <array>

#include "common/check.h"
#include "synth/names.h"
#include "synth/random.h"

namespace liaison::synth {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

constexpr std::array<int, Population::kBlockHouseholds> kBlockSizes = {1, 1, 1, 1, 2, 2, 2, 2,
                                                                       2, 3, 3, 3, 4, 4, 5, 6};
constexpr std::uint64_t kTestRangePeople = 900000;
constexpr std::uint64_t kFullRangePeople = 90000000;
constexpr int kYear = 365;

// Salts keep the hash streams of different purposes apart.
enum Salt : std::uint64_t { kBlockSalt = 1, kHouseholdSalt = 2, kPersonSalt = 3 };

std::string MakePostcode(Rng& rng) {
  static constexpr std::string_view kUnitLetters = "ABDEFGHJLNPQRSTUWXYZ";
  std::string code(PickWeighted(rng, PostcodeAreas()));
  code += std::to_string(rng.Between(1, 29));
  code.push_back(' ');
  code += std::to_string(rng.Between(1, 9));
  code.push_back(kUnitLetters[rng.Below(kUnitLetters.size())]);
  code.push_back(kUnitLetters[rng.Below(kUnitLetters.size())]);
  return code;
}

std::string GivenName(Rng& rng, domain::Sex sex) {
  return std::string(
      PickWeighted(rng, sex == domain::Sex::kFemale ? FemaleGivenNames() : MaleGivenNames()));
}

}  // namespace

std::string SyntheticNhsNumber(std::uint64_t key, bool test_range) {
  // Nine valid ninth digits exist for every eight-digit prefix (the ninth digit has weight 2,
  // so its ten values give ten different remainders, at most one of them the invalid 10):
  // key / 9 picks the prefix, key % 9 the ninth digit among the valid ones.
  std::uint64_t prefix_number = key / 9;
  int choice = static_cast<int>(key % 9);
  std::string digits = test_range ? "999" : "9";
  std::string tail = std::to_string(prefix_number);
  std::size_t width = test_range ? 5 : 7;
  LIAISON_CHECK(tail.size() <= width);  // the caller keeps keys within the range's capacity
  digits += std::string(width - tail.size(), '0') + tail;
  int partial = 0;
  for (int i = 0; i < 8; ++i) partial += (digits[i] - '0') * (10 - i);
  for (int ninth = 0; ninth <= 9; ++ninth) {
    int sum = partial + ninth * 2;
    int check = 11 - sum % 11;
    if (check == 11) check = 0;
    if (check == 10) continue;
    if (choice-- == 0) {
      digits.push_back(static_cast<char>('0' + ninth));
      digits.push_back(static_cast<char>('0' + check));
      return digits;
    }
  }
  LIAISON_CHECK(false);  // unreachable: nine valid choices always exist
  return digits;
}

std::string_view RegisterStatusSlug(RegisterStatus status) {
  switch (status) {
    case RegisterStatus::kNone:
      return "";
    case RegisterStatus::kCpPlan:
      return "cp_plan";
    case RegisterStatus::kLookedAfter:
      return "looked_after";
    case RegisterStatus::kChildInNeed:
      return "child_in_need";
  }
  return "";
}

int SynthHousehold::adults() const {
  return static_cast<int>(
      std::count_if(people.begin(), people.end(), [](const SynthPerson& p) { return p.adult; }));
}
int SynthHousehold::children() const { return static_cast<int>(people.size()) - adults(); }

Population::Population(std::uint64_t seed, std::uint64_t households, sys_days first_day,
                       sys_days last_day)
    : seed_(seed), first_day_(first_day), last_day_(last_day) {
  std::uint64_t blocks =
      std::max<std::uint64_t>(1, (households + kBlockHouseholds - 1) / kBlockHouseholds);
  blocks = std::min(blocks, kFullRangePeople / kBlockPeople);
  households_ = blocks * kBlockHouseholds;
  test_range_ = blocks * kBlockPeople <= kTestRangePeople;
}

SynthHousehold Population::Household(std::uint64_t index) const {
  std::uint64_t block = index / kBlockHouseholds;
  std::uint64_t slot = index % kBlockHouseholds;
  // Shuffle the block's sizes the same way every time.
  std::array<int, kBlockHouseholds> sizes = kBlockSizes;
  Rng block_rng(Hash(seed_, kBlockSalt, block));
  for (std::size_t i = sizes.size() - 1; i > 0; --i) {
    std::swap(sizes[i], sizes[block_rng.Below(i + 1)]);
  }
  std::uint64_t first_key = block * kBlockPeople;
  for (std::uint64_t i = 0; i < slot; ++i) first_key += sizes[i];
  int size = sizes[slot];

  Rng rng(Hash(seed_, kHouseholdSalt, index));
  SynthHousehold household;
  household.index = index;
  household.postcode = MakePostcode(rng);
  if (rng.Chance(0.08)) {
    household.postcode_after_move = MakePostcode(rng);
    household.move_day = first_day_ + days(rng.Below((last_day_ - first_day_).count() + 1));
  }
  household.on_register = index % kRegisterStride == kRegisterOffset;

  int adults = 1;
  if (size == 2) adults = rng.Chance(0.7) ? 2 : 1;
  if (size >= 3) adults = rng.Chance(0.8) ? 2 : 1;
  int children = size - adults;
  if (household.on_register && children == 0 && size >= 2) {
    adults = 1;  // a register household always has a child
    children = size - 1;
  }
  std::string family(PickWeighted(rng, FamilyNames()));
  std::string partner_family =
      rng.Chance(0.3) ? std::string(PickWeighted(rng, FamilyNames())) : family;

  // Children first, so that the adults' ages can follow the eldest child's.
  std::vector<sys_days> child_births;
  if (children > 0) {
    int eldest_min = std::min(17, (children - 1) * 2);
    sys_days birth = last_day_ - days(rng.Between(eldest_min * kYear, 18 * kYear - 30));
    for (int c = 0; c < children; ++c) {
      if (c > 0) {
        bool twin = rng.Chance(0.03);
        birth += days(twin ? 0 : rng.Between(300, 5 * kYear));
        if (birth > last_day_) birth = last_day_ - days(rng.Below(kYear));
      }
      child_births.push_back(birth);
    }
  }
  sys_days eldest = children > 0 ? child_births.front() : last_day_;

  for (int a = 0; a < adults; ++a) {
    SynthPerson person;
    person.adult = true;
    if (a == 0) {
      person.sex = (children == 0 || adults == 2 || rng.Chance(0.9)) ? domain::Sex::kFemale
                                                                     : domain::Sex::kMale;
      if (children == 0 && rng.Chance(0.5)) person.sex = domain::Sex::kMale;
    } else {
      person.sex = rng.Chance(0.95) ? domain::Sex::kMale : domain::Sex::kFemale;
    }
    person.family_name = a == 0 ? family : partner_family;
    if (children > 0) {
      person.birth = eldest - days(rng.Between(18 * kYear, 40 * kYear));
      if (a == 1) person.birth += days(rng.Between(-6 * kYear, 3 * kYear));
    } else {
      person.birth = last_day_ - days(rng.Between(18 * kYear + 30, 90 * kYear));
    }
    // No adult is under 18 on the first day.
    person.birth = std::min(person.birth, first_day_ - days(18 * kYear + 1));
    household.people.push_back(std::move(person));
  }
  for (int c = 0; c < children; ++c) {
    SynthPerson person;
    person.sex = rng.Chance(0.51) ? domain::Sex::kMale : domain::Sex::kFemale;
    person.birth = child_births[c];
    person.family_name = (adults == 2 && rng.Chance(0.2)) ? partner_family : family;
    if (rng.Chance(0.03)) {
      person.earlier_family_name =
          person.family_name == family ? std::string(PickWeighted(rng, FamilyNames())) : family;
      person.name_change_day = first_day_ + days(rng.Below((last_day_ - first_day_).count() + 1));
    }
    household.people.push_back(std::move(person));
  }
  for (std::size_t m = 0; m < household.people.size(); ++m) {
    SynthPerson& person = household.people[m];
    person.member = static_cast<int>(m);
    person.key = first_key + m;
    person.nhs_number = SyntheticNhsNumber(person.key, test_range_);
    person.given_name = GivenName(rng, person.sex);
    // Siblings (twins especially) get different given names.
    for (int attempt = 0; attempt < 4; ++attempt) {
      bool clash = false;
      for (std::size_t other = 0; other < m; ++other) {
        clash = clash || household.people[other].given_name == person.given_name;
      }
      if (!clash) break;
      person.given_name = GivenName(rng, person.sex);
    }
  }
  return household;
}

RegisterStatus Population::RegisterStatusOf(const SynthHousehold& household,
                                            const SynthPerson& person) const {
  if (!household.on_register || person.adult) return RegisterStatus::kNone;
  std::uint64_t roll = Hash(seed_, kPersonSalt, person.key) % 10;
  if (roll < 4) return RegisterStatus::kCpPlan;
  if (roll < 8) return RegisterStatus::kLookedAfter;
  return RegisterStatus::kChildInNeed;
}

}  // namespace liaison::synth
