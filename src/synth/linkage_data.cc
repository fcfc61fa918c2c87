#include "synth/linkage_data.h"

#include <vector>

#include "common/time_format.h"
#include "ingest/csv_reader.h"
#include "synth/names.h"
#include "synth/register_rows.h"

namespace liaison::synth {
namespace {

using std::chrono::days;
using std::chrono::sys_days;
using std::chrono::year_month_day;

enum Salt : std::uint64_t { kQuerySalt = 31 };

struct Entry {
  std::uint64_t household = 0;
  int member = 0;
  std::string id;
  bool twin = false;
};

std::string NewPostcode(Rng& rng) {
  static constexpr std::string_view kLetters = "ABDEFGHJLNPQRSTUWXYZ";
  std::string code = "X" + std::string(1, "ABCDEF"[rng.Below(6)]);
  code += std::to_string(rng.Between(1, 29)) + " " + std::to_string(rng.Between(1, 9));
  code.push_back(kLetters[rng.Below(kLetters.size())]);
  code.push_back(kLetters[rng.Below(kLetters.size())]);
  return code;
}

// One query as an emergency department might record this person on `day`.
void AppendQuery(Rng& rng, const std::string& query_id, const SynthHousehold& household,
                 const SynthPerson& person, sys_days day, const std::string& register_id,
                 std::string& out) {
  std::string nhs;
  if (!rng.Chance(0.15)) {
    nhs = person.nhs_number;
    if (rng.Chance(0.01)) nhs = Mistype(rng, nhs);
    if (rng.Chance(0.2)) nhs = nhs.substr(0, 3) + " " + nhs.substr(3, 3) + " " + nhs.substr(6);
  }
  std::string given = person.given_name;
  std::string family = person.FamilyNameOn(day);
  auto age_days = (day - person.birth).count();
  if (age_days < 120 && rng.Chance(0.25)) {
    given = rng.Chance(0.5) ? "Baby" : "Twin 1";
  } else if (rng.Chance(0.01)) {
    given = "Unknown";
  } else {
    if (rng.Chance(0.05)) given = std::string(Nickname(given));
    if (rng.Chance(0.02)) given = Misspell(rng, given);
  }
  if (rng.Chance(0.02)) family = Misspell(rng, family);
  if (rng.Chance(0.01)) std::swap(given, family);

  std::string birth;
  if (!rng.Chance(0.02)) {
    year_month_day date(person.birth);
    auto y = static_cast<int>(date.year());
    auto m = static_cast<unsigned>(date.month());
    auto d = static_cast<unsigned>(date.day());
    double roll = rng.Uniform();
    if (roll < 0.01 && d <= 12 && d != m) {
      std::swap(m, d);
    } else if (roll < 0.02) {
      d = d >= 28 ? d - 1 : d + 1;  // one digit off
    } else if (roll < 0.025) {
      m = 1;
      d = 1;  // only the year was known
    }
    birth = FormatDate(
        year_month_day{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)});
  }
  std::string_view sex = rng.Chance(0.05) ? "" : domain::SexSlug(person.sex);
  std::string postcode = household.PostcodeOn(day);
  double place = rng.Uniform();
  if (place < 0.05) {
    postcode.clear();
  } else if (place < 0.08) {
    postcode = NewPostcode(rng);  // moved; the register does not know yet
  } else if (place < 0.10 && household.postcode_after_move) {
    postcode = household.postcode;  // the old address
  }

  out += query_id + ",";
  out += nhs + ",";
  ingest::AppendCsvField(given, out);
  out.push_back(',');
  ingest::AppendCsvField(family, out);
  out += "," + birth + "," + std::string(sex) + "," + postcode + "," + register_id + ",P" +
         std::to_string(person.key) + ",H" + std::to_string(household.index) + "," +
         FormatDate(year_month_day(person.birth)) + "\n";
}

}  // namespace

Status WriteLinkQueries(const LinkageDataOptions& options, std::ostream& out) {
  RETURN_IF_ERROR(ValidateOptions(options.population));
  if (options.queries < 1) {
    return InvalidArgument("invalid_count", "at least one query is needed", "--queries");
  }
  const GeneratorOptions& generator = options.population;
  Population population = RegisterPopulation(generator);
  sys_days first_day{generator.from};
  sys_days last_day{generator.to};

  std::vector<Entry> entries;
  std::vector<std::size_t> twins;
  VisitRegisterRows(generator, population, [&](const RegisterRow& row) {
    if (!row.person) return;
    Entry entry{row.household.index, row.person->member, row.id, false};
    for (const SynthPerson& other : row.household.people) {
      if (&other != row.person && !other.adult && other.birth == row.person->birth)
        entry.twin = true;
    }
    if (entry.twin) twins.push_back(entries.size());
    entries.push_back(std::move(entry));
  });
  if (entries.empty()) {
    return InvalidArgument("population_too_small", "the population has no register entries");
  }

  std::string buffer =
      "id,nhs_number,given_name,family_name,birth_date,sex,postcode,true_register_id,person_key,"
      "household_key,true_birth_date\n";
  const auto period = static_cast<std::uint64_t>((last_day - first_day).count() + 1);
  for (std::int64_t i = 0; i < options.queries; ++i) {
    Rng rng(Hash(generator.seed, kQuerySalt, static_cast<std::uint64_t>(i)));
    sys_days day = first_day + days(rng.Below(period));
    std::string query_id = "Q" + std::to_string(i + 1);
    if (rng.Chance(options.on_register_share)) {
      const Entry& entry = !twins.empty() && rng.Chance(options.twin_share)
                               ? entries[twins[rng.Below(twins.size())]]
                               : entries[rng.Below(entries.size())];
      SynthHousehold household = population.Household(entry.household);
      const SynthPerson& person = household.people[static_cast<std::size_t>(entry.member)];
      if (day < person.birth) day = person.birth + days(rng.Below(30));
      AppendQuery(rng, query_id, household, person, day, entry.id, buffer);
    } else {
      // Half the others are adults of register households (same family name and address),
      // half anyone from a household not on the register.
      std::uint64_t h;
      bool register_adult = rng.Chance(0.5);
      if (register_adult) {
        h = population.households() > Population::kRegisterOffset
                ? Population::kRegisterOffset +
                      Population::kRegisterStride *
                          rng.Below((population.households() - Population::kRegisterOffset +
                                     Population::kRegisterStride - 1) /
                                    Population::kRegisterStride)
                : 0;
      } else {
        do {
          h = rng.Below(population.households());
        } while (h % Population::kRegisterStride == Population::kRegisterOffset);
      }
      SynthHousehold household = population.Household(h);
      const SynthPerson* person = &household.people[rng.Below(household.people.size())];
      if (register_adult || household.on_register) person = &household.people[0];
      if (population.RegisterStatusOf(household, *person) != RegisterStatus::kNone) continue;
      if (day < person->birth) day = person->birth + days(rng.Below(30));
      AppendQuery(rng, query_id, household, *person, day, "", buffer);
    }
    if (buffer.size() >= (1 << 20)) {
      out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  }
  out.write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  if (!out) return Unavailable("write_failed", "could not write the queries");
  return Status::Ok();
}

}  // namespace liaison::synth
