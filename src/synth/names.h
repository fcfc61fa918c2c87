// Word lists for the synthetic population: given names, family names, nicknames and postcode
// areas. Written for Liaison, skewed roughly as in England (a few very common names, a long
// tail). Postcode areas are invented (no real area starts with "X"), so no synthetic address
// is a real one. Immutable static data; thread-safe.
#pragma once

#include <span>
#include <string_view>

#include "synth/random.h"

namespace liaison::synth {

std::span<const Weighted> FemaleGivenNames();
std::span<const Weighted> MaleGivenNames();
std::span<const Weighted> FamilyNames();
std::span<const Weighted> PostcodeAreas();

// A common informal form of `given_name` ("Thomas" -> "Tom"), or the name itself.
std::string_view Nickname(std::string_view given_name);

}  // namespace liaison::synth
