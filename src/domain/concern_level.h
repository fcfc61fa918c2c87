// ConcernLevel: how strongly the recorded information points towards possible maltreatment.
// Ordered none < review < prompt < consider < suspect.
//
// The only way to combine levels is upward (RaisedBy), so social-care data can raise a
// level but code cannot lower one by accident: there is no setter and no "lower" operation.
// "none" means no rule fired; it is never a statement that a child is safe.
#pragma once

#include <optional>
#include <string_view>

namespace liaison::domain {

class ConcernLevel {
 public:
  enum class Value { kNone = 0, kReview = 1, kPrompt = 2, kConsider = 3, kSuspect = 4 };

  constexpr ConcernLevel() = default;
  static constexpr ConcernLevel None() { return ConcernLevel(Value::kNone); }
  static constexpr ConcernLevel Review() { return ConcernLevel(Value::kReview); }
  static constexpr ConcernLevel Prompt() { return ConcernLevel(Value::kPrompt); }
  static constexpr ConcernLevel Consider() { return ConcernLevel(Value::kConsider); }
  static constexpr ConcernLevel Suspect() { return ConcernLevel(Value::kSuspect); }
  // "none", "review", "prompt", "consider", "suspect"; nullopt for anything else.
  static std::optional<ConcernLevel> FromSlug(std::string_view slug);

  // The higher of the two levels. [[nodiscard]] so a raise is never silently dropped.
  [[nodiscard]] constexpr ConcernLevel RaisedBy(ConcernLevel other) const {
    return other.value_ > value_ ? other : *this;
  }

  constexpr Value value() const { return value_; }
  std::string_view Slug() const;

  friend constexpr auto operator<=>(ConcernLevel, ConcernLevel) = default;

 private:
  constexpr explicit ConcernLevel(Value value) : value_(value) {}
  Value value_ = Value::kNone;
};

}  // namespace liaison::domain
