#include "runner/memory.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "analysis/streaming.hpp"

namespace nadra {
namespace {

// A run may use this share of the memory available; the rest is for the system and for the
// estimate being rough.
constexpr double usable_share = 0.9;

std::optional<std::uint64_t> read_number(const char* path) {
    std::ifstream in(path);
    std::string text;
    if (!(in >> text) || text == "max") return std::nullopt;
    try {
        return std::stoull(text);
    } catch (const std::exception&) {
        return std::nullopt;
    }
}

std::optional<std::uint64_t> mem_available() {
    std::ifstream in("/proc/meminfo");
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string key;
        std::uint64_t kilobytes = 0;
        if (words >> key >> kilobytes && key == "MemAvailable:") return kilobytes * 1024;
    }
    return std::nullopt;
}

// What a control group's limit leaves: limit minus usage.
std::optional<std::uint64_t> cgroup_left(const char* limit_path, const char* usage_path) {
    const auto limit = read_number(limit_path);
    if (!limit || *limit >= (std::uint64_t{1} << 60)) return std::nullopt;  // v1's "no limit"
    const std::uint64_t usage = read_number(usage_path).value_or(0);
    return *limit > usage ? *limit - usage : 0;
}

}  // namespace

std::optional<std::uint64_t> available_memory() {
    std::optional<std::uint64_t> available = mem_available();
    for (const auto& left :
         {cgroup_left("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),
          cgroup_left("/sys/fs/cgroup/memory/memory.limit_in_bytes",
                      "/sys/fs/cgroup/memory/memory.usage_in_bytes")})
        if (left) available = available ? std::min(*available, *left) : *left;
    return available;
}

std::string bytes_text(std::uint64_t bytes) {
    constexpr const char* units[] = {"bytes", "kB", "MB", "GB", "TB", "PB", "EB"};
    auto value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1000 && unit < 6) {
        value /= 1000;
        ++unit;
    }
    if (unit == 0) return fmt::format("{} bytes", bytes);
    return value < 100 ? fmt::format("{:.1f} {}", value, units[unit])
                       : fmt::format("{:.0f} {}", value, units[unit]);
}

std::optional<std::string> memory_refusal(const RunMemory& need, std::uint64_t extra_per_path,
                                          std::int64_t paths, std::uint64_t available) {
    const auto usable = static_cast<std::uint64_t>(static_cast<double>(available) * usable_share);
    const std::uint64_t per_path = need.per_path + extra_per_path;
    const std::uint64_t total = need.fixed + per_path * static_cast<std::uint64_t>(paths);
    if (total <= usable) return std::nullopt;
    if (need.fixed >= usable)
        return fmt::format(
            "error: this run needs about {} of memory for its threads' working space alone, "
            "more than the {} available; use fewer --threads, or a scenario with fewer "
            "assets, deals or years",
            bytes_text(need.fixed), bytes_text(available));
    const std::uint64_t most = (usable - need.fixed) / std::max<std::uint64_t>(per_path, 1);
    return fmt::format(
        "error: --paths {} would need about {} of memory, more than the {} available; use "
        "--paths {} or fewer (or run fewer deals with --deals)",
        paths, bytes_text(total), bytes_text(available), most);
}

std::optional<std::string> run_memory_refusal(const Scenario& scenario, const RunOptions& options,
                                              std::int64_t block_paths, std::size_t deals,
                                              bool per_path, std::uint64_t available,
                                              std::int64_t input_sets) {
    RunMemory need = estimate_block_memory(scenario, options, block_paths);
    need.fixed += StreamingSummary::estimated_bytes(deals, scenario.horizon, options.paths);
    // Input sets (MODEL.md 4.3): each its own scenario and plan, counted before any is made.
    const std::uint64_t per_set = estimate_input_set_bytes(scenario, options);
    if (auto refusal = input_sets_refusal(input_sets, per_set, need.fixed, available))
        return refusal;
    need.fixed += static_cast<std::uint64_t>(std::max<std::int64_t>(0, input_sets)) * per_set;
    const std::uint64_t csv_per_path = per_path ? 400 * deals : 0;  // paths.csv, built in memory
    // The per-year series' brackets grow with the paths (as their square root): counted as so
    // much a path, so that a refusal names the paths that would fit (fewer, if anything).
    const auto paths = static_cast<std::uint64_t>(std::max<std::int64_t>(1, options.paths));
    const std::uint64_t years_per_path =
        options.keep_years
            ? (StreamingSummary::estimated_year_bytes(deals, scenario.horizon, options.paths) +
               paths - 1) /
                  paths
            : 0;
    return memory_refusal(need, csv_per_path + years_per_path, options.paths, available);
}

std::optional<std::string> input_sets_refusal(std::int64_t sets, std::uint64_t per_set,
                                              std::uint64_t fixed, std::uint64_t available) {
    const auto usable = static_cast<std::uint64_t>(static_cast<double>(available) * usable_share);
    const auto count = static_cast<std::uint64_t>(std::max<std::int64_t>(0, sets));
    per_set = std::max<std::uint64_t>(per_set, 1);
    if (fixed < usable && count <= (usable - fixed) / per_set) return std::nullopt;
    const std::uint64_t most = fixed < usable ? (usable - fixed) / per_set : 0;
    // The product is for the message only: saturate rather than wrap.
    const std::uint64_t need = count > UINT64_MAX / per_set ? UINT64_MAX : count * per_set;
    return fmt::format(
        "error: --sample-inputs {} would need about {} of memory for its input sets (each its own "
        "scenario and plan), more than the {} available; use --sample-inputs {} or fewer",
        sets, bytes_text(need), bytes_text(available), most);
}

}  // namespace nadra
