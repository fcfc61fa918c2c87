// StrongId<Tag>: a typed database id, so a PersonId can never be passed as an OrgId.
#pragma once

#include <cstdint>
#include <functional>

namespace liaison {

template <typename Tag>
class StrongId {
 public:
  constexpr StrongId() = default;
  constexpr explicit StrongId(std::int64_t value) : value_(value) {}
  constexpr std::int64_t value() const { return value_; }
  constexpr bool valid() const { return value_ > 0; }
  friend constexpr auto operator<=>(StrongId, StrongId) = default;

 private:
  std::int64_t value_ = 0;
};

}  // namespace liaison

template <typename Tag>
struct std::hash<liaison::StrongId<Tag>> {
  std::size_t operator()(liaison::StrongId<Tag> id) const noexcept {
    return std::hash<std::int64_t>()(id.value());
  }
};
