// Internal to synth: the register rows of a population, shared by the register writer and
// the linkage evaluation data (linkage_data.h), and the typos both kinds of data use.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "synth/generator.h"
#include "synth/population.h"
#include "synth/random.h"

namespace liaison::synth {

struct RegisterRow {
  const SynthHousehold& household;
  const SynthPerson* person;  // null for an unborn child under a pre-birth plan
  std::string id;             // "R<n>", in file order
  std::string_view status;
  std::string_view plan_category;
  std::chrono::sys_days start;
  std::string org;
  std::string worker;
  std::string mother;  // the mother's NHS number, for unborn entries
};

// The population behind `liaison generate` for these options.
Population RegisterPopulation(const GeneratorOptions& options);

// Calls `visit` for each register row in file order.
void VisitRegisterRows(const GeneratorOptions& options, const Population& population,
                       const std::function<void(const RegisterRow&)>& visit);

// A swapped pair of letters or a dropped letter.
std::string Misspell(Rng& rng, std::string name);
// Two digits swapped or one digit changed.
std::string Mistype(Rng& rng, std::string digits);

}  // namespace liaison::synth
