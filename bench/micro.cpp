// Micro-benchmarks of the engine's stages on the built-in scenario, per path.
#include <benchmark/benchmark.h>

#include "analysis/statistics.hpp"
#include "engine/path.hpp"
#include "engine/plan.hpp"
#include "scenario/builtin.hpp"

namespace {

using namespace nadra;

const Scenario& builtin() {
    static const Scenario scenario = [] {
        LoadResult r = load_scenario_files(builtin_scenario(), builtin_scenario_root);
        return std::move(*r.scenario);
    }();
    return scenario;
}

const engine::Plan& plan() {
    static const engine::Plan p = engine::make_plan(builtin(), {});
    return p;
}

void set_asset_years(benchmark::State& state) {
    const double per_path = static_cast<double>(plan().asset_count()) * plan().horizon;
    state.counters["asset_years/s"] = benchmark::Counter(
        per_path * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

void BM_SharedDraws(benchmark::State& state) {
    const engine::Random random(1);
    engine::SharedDraws draws;
    std::int64_t path = 0;
    for (auto _ : state) {
        engine::draw_shared(plan(), random, path++, draws);
        benchmark::DoNotOptimize(draws.price.data());
    }
}
BENCHMARK(BM_SharedDraws);

void BM_Conflict(benchmark::State& state) {
    const engine::Random random(1);
    engine::ConflictPath conflict;
    std::int64_t path = 0;
    for (auto _ : state) {
        engine::simulate_conflict(plan(), plan().variants[0], random, path++, conflict);
        benchmark::DoNotOptimize(conflict.war.data());
    }
}
BENCHMARK(BM_Conflict);

void BM_AssetCashFlows(benchmark::State& state) {
    const engine::Random random(1);
    engine::SharedDraws draws;
    engine::ConflictPath conflict;
    engine::AssetRevenue revenue;
    engine::draw_shared(plan(), random, 0, draws);
    engine::simulate_conflict(plan(), plan().variants[0], random, 0, conflict);
    for (auto _ : state) {
        engine::simulate_assets(plan(), plan().variants[0], draws, conflict, revenue);
        benchmark::DoNotOptimize(revenue.items.data());
    }
    set_asset_years(state);
}
BENCHMARK(BM_AssetCashFlows);

void BM_DealLedgers(benchmark::State& state) {
    const engine::Random random(1);
    engine::SharedDraws draws;
    engine::ConflictPath conflict;
    engine::AssetRevenue revenue;
    engine::DealScratch scratch;
    engine::draw_shared(plan(), random, 0, draws);
    engine::simulate_conflict(plan(), plan().variants[0], random, 0, conflict);
    engine::simulate_assets(plan(), plan().variants[0], draws, conflict, revenue);
    for (auto _ : state) {
        scratch.begin_path();  // each iteration is a new path: scoped sums are not reused
        for (std::size_t k = 0; k < plan().deals.size(); ++k) {
            benchmark::DoNotOptimize(engine::run_deal(plan(), static_cast<int>(k), random, 0, draws,
                                                      conflict, revenue, scratch));
        }
    }
    state.counters["deals"] = static_cast<double>(plan().deals.size());
}
BENCHMARK(BM_DealLedgers);

void BM_Statistics(benchmark::State& state) {
    std::vector<double> values(static_cast<std::size_t>(state.range(0)));
    for (std::size_t i = 0; i < values.size(); ++i) {
        values[i] = static_cast<double>((i * 2654435761u) % 1000003u);
    }
    for (auto _ : state) benchmark::DoNotOptimize(summarize(values));
    state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Statistics)->Arg(10'000)->Arg(100'000);

}  // namespace

BENCHMARK_MAIN();
