#include "app/register_matcher.h"

#include <algorithm>
#include <cctype>

#include "common/hash.h"
#include "common/time_format.h"

namespace liaison::app {
namespace {

std::string Folded(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '-' || c == '\'') continue;
    out.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  return out;
}

}  // namespace

std::vector<std::chrono::year_month_day> BirthDateKeys(std::chrono::year_month_day date) {
  std::vector<std::chrono::year_month_day> keys = {date};
  std::chrono::year_month_day swapped{date.year(),
                                      std::chrono::month(static_cast<unsigned>(date.day())),
                                      std::chrono::day(static_cast<unsigned>(date.month()))};
  if (swapped.ok() && swapped != date) keys.push_back(swapped);
  return keys;
}

std::string_view MatchBandSlug(MatchBand band) {
  return band == MatchBand::kMatch ? "match" : "potential";
}

Result<std::vector<RegisterCandidate>> RegisterMatcher::Find(
    storage::UnitOfWork& work, const RegisterQuery& query,
    std::chrono::year_month_day today) const {
  std::vector<RegisterCandidate> found;
  auto seen = [&](const domain::RegisterEntry& entry) {
    return std::any_of(found.begin(), found.end(),
                       [&](const RegisterCandidate& c) { return c.entry.id == entry.id; });
  };
  if (query.nhs_number) {
    ASSIGN_OR_RETURN(std::vector<domain::RegisterEntry> entries,
                     work.FindRegisterEntriesByNhsNumber(*query.nhs_number));
    for (domain::RegisterEntry& entry : entries) {
      if (!domain::IsVisible(domain::StandingOn(entry, today)) || seen(entry)) continue;
      found.push_back({std::move(entry), MatchBand::kMatch, "nhs_number", 1.0, "[]"});
    }
    if (query.pregnant) {
      ASSIGN_OR_RETURN(std::vector<domain::RegisterEntry> unborn,
                       work.FindUnbornEntriesByMother(*query.nhs_number));
      for (domain::RegisterEntry& entry : unborn) {
        if (!domain::IsVisible(domain::StandingOn(entry, today)) || seen(entry)) continue;
        found.push_back({std::move(entry), MatchBand::kMatch, "mother_nhs_number", 1.0, "[]"});
      }
    }
  }
  if (linker_) {
    ASSIGN_OR_RETURN(std::vector<LinkedEntry> linked, linker_->Link(work, query));
    for (const LinkedEntry& link : linked) {
      if (std::any_of(found.begin(), found.end(),
                      [&](const RegisterCandidate& c) { return c.entry.id == link.entry; })) {
        continue;
      }
      Result<domain::RegisterEntry> entry = work.GetRegisterEntry(link.entry);
      if (!entry.ok()) {
        // An index a little behind the store may name an entry removed since: skip it.
        if (entry.status().code() == StatusCode::kNotFound) continue;
        return entry.status();
      }
      if (!domain::IsVisible(domain::StandingOn(*entry, today))) continue;
      found.push_back(
          {*std::move(entry), link.band, "demographics", link.probability, link.explanation});
    }
  }
  return found;
}

std::string SubjectKey(const RegisterQuery& query) {
  std::string text = "subject-v1|" + (query.nhs_number ? query.nhs_number->digits() : "") + "|" +
                     Folded(query.given_name) + "|" + Folded(query.family_name) + "|" +
                     (query.birth_date ? FormatDate(*query.birth_date) : "") + "|" +
                     std::string(domain::SexSlug(query.sex)) + "|" + Folded(query.postcode);
  return Blake2bHex(text);
}

}  // namespace liaison::app
