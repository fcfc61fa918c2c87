// Invariant checks. Never use these for input: anything from a request, a file or the
// database is reported as a Status instead.
#pragma once

namespace liaison::internal {
[[noreturn]] void CheckFailed(const char* condition, const char* file, int line);
}  // namespace liaison::internal

// Fatal in every build: the program cannot continue safely if `cond` is false.
#define LIAISON_CHECK(cond) \
  ((cond) ? static_cast<void>(0) : ::liaison::internal::CheckFailed(#cond, __FILE__, __LINE__))

#ifdef NDEBUG
#define LIAISON_DCHECK(cond) static_cast<void>(0)
#else
#define LIAISON_DCHECK(cond) LIAISON_CHECK(cond)
#endif
