#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <atomic>
#include <thread>

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
};

DealPaths sized_deal_paths(int deal, std::int64_t paths, int horizon, bool keep_fund) {
    DealPaths d;
    d.deal = deal;
    const auto n = static_cast<std::size_t>(paths);
    for (auto* v : {&d.host_value, &d.partner_value, &d.in_kind_support_npv, &d.host_contributions,
                    &d.host_revenue, &d.host_kept, &d.share_ceded, &d.cap_year}) {
        v->resize(n);
    }
    if (keep_fund) d.fund_balance.resize(n * static_cast<std::size_t>(horizon));
    return d;
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
}

void run_path(const Plan& plan, const Random& random, std::int64_t path, Scratch& s,
              SimulationResult& result) {
    engine::draw_shared(plan, random, path, s.draws);
    s.deal.begin_path();
    s.conflict.resize(plan.variants.size());
    s.revenue.resize(plan.variants.size());
    for (std::size_t v = 0; v < plan.variants.size(); ++v) {
        engine::simulate_conflict(plan, plan.variants[v], random, path, s.conflict[v]);
        engine::simulate_assets(plan, plan.variants[v], s.draws, s.conflict[v], s.revenue[v]);
    }
    for (std::size_t k = 0; k < plan.deals.size(); ++k) {
        const int v = plan.deal_variant[k];
        DealPaths& d = result.deals[k];
        double* fund = d.fund_balance.empty()
                           ? nullptr
                           : d.fund_balance.data() + static_cast<std::size_t>(path) * plan.horizon;
        store(d, path,
              engine::run_deal(plan, static_cast<int>(k), random, path, s.draws, s.conflict[v],
                               s.revenue[v], s.deal, fund));
    }
}

}  // namespace

SimulationResult simulate(const Scenario& scenario, const RunOptions& options,
                          const Progress& progress) {
    const Plan plan = engine::make_plan(scenario, options.deals);
    SimulationResult result;
    result.paths = options.paths;
    result.horizon = plan.horizon;
    for (int deal : plan.deals) {
        result.deals.push_back(
            sized_deal_paths(deal, options.paths, plan.horizon, options.keep_fund_paths));
    }
    const Random random(options.seed);
    std::atomic<std::int64_t> done{0};
    std::atomic<bool> cancelled{false};
    // Paths [begin, end), on whichever thread; each path writes only its own entries.
    const auto run_paths = [&](std::int64_t begin, std::int64_t end, Scratch& s) {
        if (cancelled.load(std::memory_order_relaxed)) return;
        for (std::int64_t path = begin; path != end; ++path)
            run_path(plan, random, path, s, result);
        const std::int64_t now = done += end - begin;
        if (progress && !progress(now, options.paths)) cancelled = true;
    };
    const int threads = options.threads > 0 ? options.threads : tbb::info::default_concurrency();
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
