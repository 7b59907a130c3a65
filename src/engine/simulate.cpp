#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "engine/deal_years.hpp"
#include "engine/engine.hpp"
#include "engine/path.hpp"
#include "engine/plan.hpp"

namespace nadra {
namespace {

using engine::AssetRevenue;
using engine::ConflictPath;
using engine::DealOutcome;
using engine::Plan;
using engine::Random;
using engine::SharedDraws;

// Paths per task: large enough to amortise scheduling, small enough for smooth progress.
constexpr std::int64_t paths_per_task = 64;

struct Scratch {
    SharedDraws draws;
    std::vector<ConflictPath> conflict;  // per world variant
    std::vector<AssetRevenue> revenue;   // per world variant
    engine::DealScratch deal;
    engine::DealYearsScratch years;  // with RunOptions::keep_years
};

// Every per-path array of `d` to `paths` paths (the fund balances only if `keep_fund`).
void resize_deal_paths(DealPaths& d, std::int64_t paths, int horizon, bool keep_fund) {
    const auto n = static_cast<std::size_t>(paths);
    for (auto* v : {&d.host_value, &d.partner_value, &d.in_kind_support_npv, &d.host_contributions,
                    &d.host_revenue, &d.host_kept, &d.share_ceded, &d.cap_year, &d.host_total_value,
                    &d.partner_net_value}) {
        v->resize(n);
    }
    if (keep_fund) d.fund_balance.resize(n * static_cast<std::size_t>(horizon));
    d.project_start.resize(n * static_cast<std::size_t>(d.projects));
    d.project_co_invested.resize(n * static_cast<std::size_t>(d.projects));
}

// The per-year series and per-asset contributions of `d` (RunOptions::keep_years) to `paths`.
void resize_year_paths(DealPaths& d, std::int64_t paths, int horizon, int assets) {
    const auto n = static_cast<std::size_t>(paths);
    d.years.resize(n * year_series_count * static_cast<std::size_t>(horizon));
    d.asset_contributions.resize(n * static_cast<std::size_t>(assets));
    d.asset_contributions_npv.resize(n * static_cast<std::size_t>(assets));
}

DealPaths sized_deal_paths(int deal, int projects, std::int64_t paths, int horizon,
                           bool keep_fund) {
    DealPaths d;
    d.deal = deal;
    d.projects = projects;
    resize_deal_paths(d, paths, horizon, keep_fund);
    return d;
}

// Each project's construction start on the path in the deal's world (-1: never), and whether it
// started co-invested (none does yet: the fund does not co-invest).
void store_starts(DealPaths& d, std::int64_t index, const AssetRevenue& revenue) {
    const auto projects = static_cast<std::size_t>(d.projects);
    const std::size_t at = static_cast<std::size_t>(index) * projects;
    for (std::size_t j = 0; j < projects; ++j) {
        d.project_start[at + j] = static_cast<std::int16_t>(revenue.project_start[j]);
        d.project_co_invested[at + j] = revenue.co_invested.empty() ? 0 : revenue.co_invested[j];
    }
}

void store(DealPaths& d, std::int64_t path, const DealOutcome& o) {
    const auto i = static_cast<std::size_t>(path);
    d.host_value[i] = o.host_value;
    d.partner_value[i] = o.partner_value;
    d.in_kind_support_npv[i] = o.in_kind_support_npv;
    d.host_contributions[i] = o.host_contributions;
    d.host_revenue[i] = o.host_revenue;
    d.host_kept[i] = o.host_kept;
    d.share_ceded[i] = o.share_ceded;
    d.cap_year[i] = o.cap_year;
    d.host_total_value[i] = o.host_total_value;
    d.partner_net_value[i] = o.partner_net_value;
}

// Path `path` of the run, stored at `index` of `result` (its path minus the block's first).
void run_path(const Plan& plan, const Random& random, std::int64_t path, std::int64_t index,
              Scratch& s, SimulationResult& result) {
    engine::draw_shared(plan, random, path, s.draws);
    s.deal.begin_path();
    s.conflict.resize(plan.variants.size());
    s.revenue.resize(plan.variants.size());
    for (std::size_t v = 0; v < plan.variants.size(); ++v)
        engine::simulate_conflict(plan, plan.variants[v], random, path, s.conflict[v]);
    engine::simulate_all_assets(plan, s.draws, s.conflict, s.revenue);
    for (std::size_t k = 0; k < plan.deals.size(); ++k) {
        const int v = plan.deal_variant[k];
        DealPaths& d = result.deals[k];
        double* fund = d.fund_balance.empty()
                           ? nullptr
                           : d.fund_balance.data() + static_cast<std::size_t>(index) * plan.horizon;
        store_starts(d, index, s.revenue[v]);
        if (d.years.empty()) {
            store(d, index,
                  engine::run_deal(plan, static_cast<int>(k), random, path, s.draws, s.conflict[v],
                                   s.revenue[v], s.deal, fund));
            continue;
        }
        // Per-year and per-asset results from the deal's ledger (the outcome is the same).
        store(d, index,
              engine::run_deal(plan, static_cast<int>(k), random, path, s.draws, s.conflict[v],
                               s.revenue[v], s.deal, fund, &s.years.ledger));
        const auto i = static_cast<std::size_t>(index);
        const auto assets = static_cast<std::size_t>(plan.asset_count());
        engine::record_deal_years(
            plan, static_cast<int>(k), s.revenue[v], s.years.ledger, s.years,
            d.years.data() + i * year_series_count * static_cast<std::size_t>(plan.horizon),
            d.asset_contributions.data() + i * assets,
            d.asset_contributions_npv.data() + i * assets);
    }
}

SimulationResult sized_result(const Plan& plan, std::int64_t paths, bool keep_fund,
                              bool keep_years = false) {
    SimulationResult result;
    result.paths = paths;
    result.horizon = plan.horizon;
    for (int deal : plan.deals) {
        result.deals.push_back(
            sized_deal_paths(deal, static_cast<int>(plan.scenario->world.projects.size()), paths,
                             plan.horizon, keep_fund));
        if (keep_years)
            resize_year_paths(result.deals.back(), paths, plan.horizon, plan.asset_count());
    }
    return result;
}

int thread_count(const RunOptions& options) {
    return options.threads > 0 ? options.threads : tbb::info::default_concurrency();
}

// The run's plans: one, or one per input set (MODEL.md 4.3), each made once and side by side.
// A set must have the scenario's structure, so that every path's results have one shape.
std::vector<Plan> make_plans(const Scenario& scenario, const RunOptions& options) {
    std::vector<Plan> plans;
    if (options.input_sets.empty()) {
        plans.push_back(engine::make_plan(scenario, options.deals));
        return plans;
    }
    for (const Scenario* set : options.input_sets) {
        if (set == nullptr || set->horizon != scenario.horizon ||
            set->start_year != scenario.start_year || set->deals.size() != scenario.deals.size() ||
            set->world.projects.size() != scenario.world.projects.size() ||
            set->world.streams.size() != scenario.world.streams.size() ||
            set->world.regions.size() != scenario.world.regions.size() ||
            set->world.commodities.size() != scenario.world.commodities.size())
            throw std::invalid_argument(
                "an input set must have the scenario's years, deals and world entities");
    }
    plans.resize(options.input_sets.size());
    const auto make = [&](std::size_t k) {
        plans[k] = engine::make_plan(*options.input_sets[k], options.deals);
    };
#ifdef NADRA_STD_THREADS
    for (std::size_t k = 0; k < plans.size(); ++k) make(k);
#else
    tbb::task_arena arena(thread_count(options));
    arena.execute([&] { tbb::parallel_for(std::size_t{0}, plans.size(), make); });
#endif
    return plans;
}

// The plan path `path` runs on: of its input set, path mod K (the one plan without sets).
const Plan& plan_of(const std::vector<Plan>& plans, std::int64_t path) {
    return plans.size() == 1
               ? plans.front()
               : plans[static_cast<std::size_t>(path % static_cast<std::int64_t>(plans.size()))];
}

}  // namespace

SimulationResult simulate(const Scenario& scenario, const RunOptions& options,
                          const Progress& progress) {
    const std::vector<Plan> plans = make_plans(scenario, options);
    const Plan& plan = plans.front();
    SimulationResult result =
        sized_result(plan, options.paths, options.keep_fund_paths, options.keep_years);
    const Random random(options.seed);
    std::atomic<std::int64_t> done{0};
    std::atomic<bool> cancelled{false};
    // Paths [begin, end), on whichever thread; each path writes only its own entries.
    const auto run_paths = [&](std::int64_t begin, std::int64_t end, Scratch& s) {
        if (cancelled.load(std::memory_order_relaxed)) return;
        for (std::int64_t path = begin; path != end; ++path)
            run_path(plan_of(plans, path), random, path, path, s, result);
        const std::int64_t now = done += end - begin;
        if (progress && !progress(now, options.paths)) cancelled = true;
    };
    const int threads = thread_count(options);
#ifdef NADRA_STD_THREADS
    // ThreadSanitizer cannot see the synchronisation inside TBB's library (it is not
    // instrumented), so its build (scripts/sanitize) runs the same batches on std::threads.
    std::atomic<std::int64_t> next{0};
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            Scratch s;
            for (std::int64_t begin; (begin = next.fetch_add(paths_per_task)) < options.paths;)
                run_paths(begin, std::min(begin + paths_per_task, options.paths), s);
        });
    }
    for (std::thread& worker : workers) worker.join();
#else
    tbb::enumerable_thread_specific<Scratch> scratch;
    tbb::task_arena arena(threads);
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, options.paths, paths_per_task),
                          [&](const tbb::blocked_range<std::int64_t>& range) {
                              run_paths(range.begin(), range.end(), scratch.local());
                          });
    });
#endif
    if (cancelled) throw Cancelled{};
    return result;
}

void simulate_blocks(const Scenario& scenario, const RunOptions& options, std::int64_t block_paths,
                     const BlockConsumer& consume, const Progress& progress,
                     const BlockShare& share) {
    if (share.parts < 1 || share.part < 0 || share.part >= share.parts)
        throw std::invalid_argument("simulate_blocks: a share's part must be in [0, parts)");
    const std::vector<Plan> plans = make_plans(scenario, options);
    const Plan& plan = plans.front();
    const Random random(options.seed);
    const std::int64_t block_size = std::max<std::int64_t>(1, block_paths);
    const std::int64_t blocks = (options.paths + block_size - 1) / block_size;
    const int threads = thread_count(options);
    std::atomic<bool> cancelled{false};

    // A block's results; the arrays are reused for later blocks rather than allocated anew.
    struct Block {
        std::int64_t index = 0;
        SimulationResult result;
    };
    // Every block made, and those not in use (in flight ones are neither freed nor leaked when
    // the consumer throws: `made` owns them).
    std::mutex pool_mutex;
    std::vector<std::unique_ptr<Block>> made;
    std::vector<Block*> pool;
    const auto take_block = [&](std::int64_t index) {
        const std::lock_guard lock(pool_mutex);
        if (pool.empty()) {
            made.push_back(std::make_unique<Block>());
            made.back()->result =
                sized_result(plan, block_size, options.keep_fund_paths, options.keep_years);
            pool.push_back(made.back().get());
        }
        Block* block = pool.back();
        pool.pop_back();
        block->index = index;
        return block;
    };
    const auto give_back = [&](Block* block) {
        const std::lock_guard lock(pool_mutex);
        pool.push_back(block);
    };
    const auto first_of = [&](std::int64_t index) { return index * block_size; };
    const auto size_of = [&](std::int64_t index) {
        return std::min(block_size, options.paths - first_of(index));
    };
    const auto run_block = [&](Block& block, Scratch& s) {
        const std::int64_t first = first_of(block.index);
        const std::int64_t size = size_of(block.index);
        for (std::int64_t i = 0; i != size; ++i)
            run_path(plan_of(plans, first + i), random, first + i, i, s, block.result);
    };
    // The last block may be short: its result says so (the arrays keep their full size).
    const auto consume_block = [&](Block& block) {
        const std::int64_t size = size_of(block.index);
        block.result.paths = size;
        if (size != block_size) {
            SimulationResult last = block.result;
            for (DealPaths& d : last.deals) {
                resize_deal_paths(d, size, plan.horizon, !d.fund_balance.empty());
                if (!d.years.empty()) resize_year_paths(d, size, plan.horizon, plan.asset_count());
            }
            consume(last, first_of(block.index));
        } else {
            consume(block.result, first_of(block.index));
        }
        block.result.paths = block_size;
        const std::int64_t done = first_of(block.index) + size;
        if (progress && !progress(done, options.paths)) cancelled = true;
    };

#ifdef NADRA_STD_THREADS
    // As in simulate(): std::threads for ThreadSanitizer. Each worker simulates a block, then
    // waits for its turn to hand it over, so blocks are consumed in order.
    std::atomic<std::int64_t> next{0};
    std::mutex turn_mutex;
    std::condition_variable turn_changed;
    std::int64_t turn = 0;
    std::exception_ptr failure;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&] {
            Scratch s;
            // The k-th block of this share, in turn.
            for (std::int64_t k, index;
                 (index = share.part + (k = next.fetch_add(1)) * share.parts) < blocks;) {
                Block* block = take_block(index);
                if (!cancelled) run_block(*block, s);
                std::unique_lock lock(turn_mutex);
                turn_changed.wait(lock, [&] { return turn == k; });
                if (!cancelled && !failure) {
                    try {
                        consume_block(*block);
                    } catch (...) {
                        failure = std::current_exception();
                        cancelled = true;
                    }
                }
                ++turn;
                turn_changed.notify_all();
                lock.unlock();
                give_back(block);
            }
        });
    }
    for (std::thread& worker : workers) worker.join();
    if (failure) std::rethrow_exception(failure);
#else
    tbb::enumerable_thread_specific<Scratch> scratch;
    tbb::task_arena arena(threads);
    std::int64_t next = share.part;
    arena.execute([&] {
        tbb::parallel_pipeline(
            static_cast<std::size_t>(2 * threads),
            tbb::make_filter<void, Block*>(tbb::filter_mode::serial_in_order,
                                           [&](tbb::flow_control& control) -> Block* {
                                               if (next >= blocks || cancelled) {
                                                   control.stop();
                                                   return nullptr;
                                               }
                                               Block* block = take_block(next);
                                               next += share.parts;
                                               return block;
                                           }) &
                tbb::make_filter<Block*, Block*>(tbb::filter_mode::parallel,
                                                 [&](Block* block) {
                                                     run_block(*block, scratch.local());
                                                     return block;
                                                 }) &
                tbb::make_filter<Block*, void>(tbb::filter_mode::serial_in_order,
                                               [&](Block* block) {
                                                   if (!cancelled) consume_block(*block);
                                                   give_back(block);
                                               }));
    });
#endif
    if (cancelled) throw Cancelled{};
}

PathLedger ledger_for_path(const Scenario& scenario, int deal, std::uint64_t seed,
                           std::int64_t path) {
    const Plan plan = engine::make_plan(scenario, {deal});
    const Random random(seed);
    Scratch s;
    engine::draw_shared(plan, random, path, s.draws);
    ConflictPath conflict;
    AssetRevenue revenue;
    engine::simulate_conflict(plan, plan.variants[0], random, path, conflict);
    engine::simulate_assets(plan, plan.variants[0], s.draws, conflict, revenue);
    PathLedger ledger;
    engine::run_deal(plan, 0, random, path, s.draws, conflict, revenue, s.deal, nullptr, &ledger);
    return ledger;
}

}  // namespace nadra
