#include "domain/concern_level.h"

namespace liaison::domain {
namespace {
constexpr std::string_view kSlugs[] = {"none", "review", "prompt", "consider", "suspect"};
}  // namespace

std::optional<ConcernLevel> ConcernLevel::FromSlug(std::string_view slug) {
  for (int i = 0; i < 5; ++i) {
    if (kSlugs[i] == slug) return ConcernLevel(static_cast<Value>(i));
  }
  return std::nullopt;
}

std::string_view ConcernLevel::Slug() const { return kSlugs[static_cast<int>(value_)]; }

}  // namespace liaison::domain
