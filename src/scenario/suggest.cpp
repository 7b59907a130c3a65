#include "scenario/suggest.hpp"

#include <algorithm>
#include <cctype>

namespace nadra::detail {

namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

constexpr std::size_t max_word = 100;   // longer words get no suggestion
constexpr std::size_t max_listed = 30;  // names listed when none is near

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b) {
    const std::size_t n = a.size(), m = b.size();
    // Three rows suffice: the transposition looks two rows back.
    std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
    for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1]))
                current[j] = std::min(current[j], before[j - 2] + 1);
        }
        std::swap(before, previous);
        std::swap(previous, current);
    }
    return previous[m];
}

std::string nearest(std::string_view word, const std::vector<std::string>& candidates) {
    std::string best;
    std::size_t best_distance = 0;
    // A word this long is no misspelt name; the distances would cost its length squared.
    if (word.size() > max_word) return best;
    for (const auto& candidate : candidates) {
        // Up to half the longer word may differ: 'captal' still finds 'capex'.
        const std::size_t allowed =
            std::max<std::size_t>(1, std::max(word.size(), candidate.size()) / 2);
        const std::size_t shorter = std::min(word.size(), candidate.size());
        const std::size_t longer = std::max(word.size(), candidate.size());
        if (longer - shorter > allowed) continue;  // the distance is at least that
        const std::size_t d = edit_distance(word, candidate);
        if (d <= allowed && (best.empty() || d < best_distance)) {
            best = candidate;
            best_distance = d;
        }
    }
    return best;
}

std::string join(const std::vector<std::string>& words) {
    std::string text;
    for (const auto& w : words) text += (text.empty() ? "" : ", ") + w;
    return text;
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates,
                       std::string_view listing) {
    if (auto best = nearest(word, candidates); !best.empty()) return "did you mean '" + best + "'?";
    if (candidates.empty()) return "none is defined";
    if (candidates.size() <= max_listed) return std::string(listing) + ": " + join(candidates);
    const std::vector<std::string> first(candidates.begin(),
                                         candidates.begin() + static_cast<long>(max_listed));
    return std::string(listing) + ": " + join(first) + " and " +
           std::to_string(candidates.size() - max_listed) + " more";
}

}  // namespace nadra::detail
