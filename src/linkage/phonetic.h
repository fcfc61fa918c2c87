// Phonetic keys: NYSIIS (New York State Identification and Intelligence System), our own
// implementation of the published algorithm, over folded upper-case text. Used as a blocking
// key and as a comparison level, never as the only evidence. Pure function; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace liaison::linkage {

// The NYSIIS key of `folded` (upper-case letters; anything else is skipped), at most six
// characters as in the original; "" for a name with no letters.
std::string Nysiis(std::string_view folded);

}  // namespace liaison::linkage
