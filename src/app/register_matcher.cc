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

// The day/month swap of a birth date, when it is a date: the linker compares it, so the
// store's blocking must fetch it.
std::vector<std::chrono::year_month_day> BirthDateKeys(std::chrono::year_month_day date) {
  std::vector<std::chrono::year_month_day> keys = {date};
  std::chrono::year_month_day swapped{date.year(),
                                      std::chrono::month(static_cast<unsigned>(date.day())),
                                      std::chrono::day(static_cast<unsigned>(date.month()))};
  if (swapped.ok() && swapped != date) keys.push_back(swapped);
  return keys;
}

}  // namespace

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
  if (linker_ && query.birth_date) {
    ASSIGN_OR_RETURN(std::vector<domain::RegisterEntry> blocked,
                     work.FindRegisterEntriesBornOn(BirthDateKeys(*query.birth_date)));
    std::erase_if(blocked, [&](const domain::RegisterEntry& entry) {
      return seen(entry) || !domain::IsVisible(domain::StandingOn(entry, today));
    });
    if (!blocked.empty()) {
      ASSIGN_OR_RETURN(std::vector<RegisterCandidate> scored, linker_->Score(query, blocked));
      for (RegisterCandidate& candidate : scored) {
        if (seen(candidate.entry)) continue;
        candidate.basis = "demographics";
        found.push_back(std::move(candidate));
      }
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
