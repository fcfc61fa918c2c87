// The property the assess fuzz target checks, as a plain function so that a gtest replays the
// corpus (fuzz/corpus/assess) with gcc in CI: any request body either fails to decode with a
// named reason, or is assessed without crashing, and the answer keeps the contract (overall
// level = highest non-audit finding, categories from the contract's list, the note present).
// Aborts (LIAISON_CHECK) when the contract breaks. Thread-safe.
#pragma once

#include <string_view>

namespace liaison::fuzz {

void CheckAssessInput(std::string_view data);

}  // namespace liaison::fuzz
