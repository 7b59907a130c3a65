// Nearest-name suggestions for misspelt keys, names and values in scenario files.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace nadra::detail {

// Optimal-string-alignment (restricted Damerau-Levenshtein) distance, ignoring ASCII case.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, or "" when none is close enough to be a likely misspelling.
std::string nearest(std::string_view word, const std::vector<std::string>& candidates);

// "did you mean 'x'?" when a candidate is close, else "<listing>: a, b, c" (the first 30, then
// "and N more"; or "none is defined" when there are no candidates).
std::string suggestion(std::string_view word, const std::vector<std::string>& candidates,
                       std::string_view listing);

// "a, b, c"
std::string join(const std::vector<std::string>& words);

}  // namespace nadra::detail
