// Deterministic randomness for the generator. The same seed must give byte-identical output on
// every platform and library version, so nothing here uses <random>'s distributions (their
// results are implementation-defined): only SplitMix64 and explicit arithmetic.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

namespace liaison::synth {

// Mixes values into one well-spread 64-bit hash (SplitMix64 finaliser). Pure function.
constexpr std::uint64_t Mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}
constexpr std::uint64_t Hash(std::uint64_t a, std::uint64_t b) { return Mix(Mix(a) ^ b); }
constexpr std::uint64_t Hash(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return Mix(Hash(a, b) ^ c);
}

// A small seeded generator (SplitMix64). Value type; not thread-safe (copy one per thread).
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}

  std::uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    std::uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, bound). REQUIRES: bound > 0.
  std::uint64_t Below(std::uint64_t bound) {
    return Next() % bound;  // the bias (< bound / 2^64) is irrelevant for synthetic data
  }
  // Uniform in [low, high].
  std::int64_t Between(std::int64_t low, std::int64_t high) {
    return low + static_cast<std::int64_t>(Below(static_cast<std::uint64_t>(high - low + 1)));
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double probability) { return Uniform() < probability; }
  template <typename T>
  const T& Pick(std::span<const T> items) {
    return items[Below(items.size())];
  }

 private:
  std::uint64_t state_;
};

// A list of words with integer weights, for skewed choices (common names are common).
struct Weighted {
  std::string_view word;
  int weight;
};

// Picks by weight. REQUIRES: a non-empty list with positive total weight.
std::string_view PickWeighted(Rng& rng, std::span<const Weighted> items);

}  // namespace liaison::synth
