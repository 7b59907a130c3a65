// How much memory a run needs (engine.hpp: estimate_run_memory).
#include <tbb/info.h>

#include <algorithm>

#include "engine/engine.hpp"
#include "engine/plan.hpp"

namespace nadra {

RunMemory estimate_run_memory(const Scenario& scenario, const RunOptions& options) {
    constexpr std::uint64_t word = sizeof(double);
    constexpr std::uint64_t metrics = 10;  // the vectors of DealPaths other than fund_balance
    const engine::Plan plan = engine::make_plan(scenario, options.deals);
    const auto horizon = static_cast<std::uint64_t>(plan.horizon);
    const auto deals = static_cast<std::uint64_t>(plan.deals.size());
    const auto variants = static_cast<std::uint64_t>(plan.variants.size());
    const auto assets = static_cast<std::uint64_t>(plan.asset_count());
    const World& world = scenario.world;
    const auto regions = static_cast<std::uint64_t>(world.regions.size());
    const auto commodities = static_cast<std::uint64_t>(world.commodities.size());
    const auto threads = static_cast<std::uint64_t>(
        options.threads > 0 ? options.threads : tbb::info::default_concurrency());

    RunMemory memory;
    // Each deal's results for one path, and the analysis's working copy of one metric (three
    // vectors of one double a path: a metric, a paired difference, a year's fund balances).
    // Each project's start year and co-investment flag, per deal (DealPaths::project_start and
    // project_co_invested: 3 bytes a project).
    const auto projects = static_cast<std::uint64_t>(scenario.world.projects.size());
    memory.per_path = deals * (metrics + (options.keep_fund_paths ? horizon : 0)) * word +
                      deals * projects * 3 + 3 * word;
    // With per-year results: every series each year, and each asset's two sums.
    if (options.keep_years)
        memory.per_path += deals * (year_series_count * horizon + 2 * assets) * word;
    // Each thread's scratch: shared draws, and per world variant its conflict and assets.
    const std::uint64_t draws = (commodities + 1) * horizon * word + commodities * word +
                                static_cast<std::uint64_t>(world.projects.size()) * 32;
    const std::uint64_t conflict = horizon + regions * horizon * (1 + word);
    const std::uint64_t revenue = (assets * revenue_item_count + 1) * horizon * word;
    const std::uint64_t scratch = draws + variants * (conflict + revenue) + 2 * horizon * word;
    memory.fixed = threads * scratch;
    return memory;
}

std::uint64_t estimate_input_set_bytes(const Scenario& scenario, const RunOptions& options) {
    constexpr std::uint64_t word = sizeof(double);
    const engine::Plan plan = engine::make_plan(scenario, options.deals);
    const auto horizon = static_cast<std::uint64_t>(plan.horizon);
    const auto variants = static_cast<std::uint64_t>(plan.variants.size());
    const auto assets = static_cast<std::uint64_t>(plan.asset_count());
    // The plan's per-variant, per-asset schedules over the years (a few a year), and the
    // scenario's own tables, about a kilobyte an asset and a deal.
    return variants * assets * horizon * 4 * word +
           (assets + static_cast<std::uint64_t>(scenario.deals.size())) * 1024;
}

RunMemory estimate_block_memory(const Scenario& scenario, const RunOptions& options,
                                std::int64_t block_paths) {
    const RunMemory stored = estimate_run_memory(scenario, options);
    const auto threads = static_cast<std::uint64_t>(
        options.threads > 0 ? options.threads : tbb::info::default_concurrency());
    // simulate_blocks keeps at most 2 blocks a thread in flight, each reused, plus the last
    // (short) block's copy.
    const std::uint64_t blocks = 2 * threads + 1;
    RunMemory memory;
    memory.fixed =
        stored.fixed + blocks * static_cast<std::uint64_t>(std::max<std::int64_t>(1, block_paths)) *
                           stored.per_path;
    return memory;
}

}  // namespace nadra
