// Limits on what a scenario may hold, so that no input, however large or strange, can crash
// the loader or the engine, hang them, or take every index out of range. Each is far above
// what a real scenario needs (docs/model.md, "Limits and failures").
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace nadra::limits {

// Bytes of one scenario file, and of all its files together (read before parsing).
inline constexpr std::size_t max_file_bytes = 16u << 20;
inline constexpr std::size_t max_total_bytes = 64u << 20;
// Includes of includes of includes...
inline constexpr std::size_t max_include_depth = 32;
// Parts of one dotted key or table header (`a.b.c` has 3), and levels of nested [ and {.
inline constexpr int max_key_parts = 32;
inline constexpr int max_nesting = 32;
// Errors reported; after this many the loader stops describing further ones.
inline constexpr std::size_t max_errors = 1000;

// Named entries; assets are projects and streams together.
inline constexpr std::size_t max_commodities = 200;
inline constexpr std::size_t max_regions = 1000;
inline constexpr std::size_t max_regimes = 1000;
inline constexpr std::size_t max_assets = 10000;
inline constexpr std::size_t max_deals = 1000;

// Numbers of the run.
inline constexpr std::int64_t max_paths = 1'000'000'000;
inline constexpr int max_horizon = 1000;
inline constexpr double max_lead_time = 1000;  // years

// A place in a file's text where a limit is exceeded, and what to say about it.
struct TextProblem {
    int line = 1;
    int column = 1;
    std::string message;
};

// Scans TOML text, without parsing it, for what the TOML parser (toml++ 3.3) cannot be trusted
// with: keys with too many parts and brackets nested too deep (it recurses once per level and
// would run out of stack), and characters other than ASCII outside strings and comments (on
// some of those it reaches code it marks unreachable, which is undefined behaviour; TOML allows
// none of them there anyway). Strings and comments are skipped; anything else malformed is left
// to the parser.
std::optional<TextProblem> check_text(std::string_view text);

}  // namespace nadra::limits
