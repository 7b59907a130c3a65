#include "analysis/fiscal.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <span>

#include "engine/path.hpp"
#include "engine/plan.hpp"
#include "engine/project_flows.hpp"
#include "engine/random.hpp"

namespace nadra {
namespace {

constexpr double not_defined = std::numeric_limits<double>::quiet_NaN();

double state_flow(const CashflowYear& y) { return y.state_revenue; }
double investor_flow(const CashflowYear& y) { return y.investor_cash_flow; }

struct Scratch {
    engine::SharedDraws draws;
    engine::ConflictPath conflict;
    engine::AssetRevenue revenue;
    std::vector<CashflowYear> years;
};

// The regime's paths: the scenario with the project under `regime` (a regime of its own, so
// that no other project changes) and without deals, each path as `nadra cashflow --path` shows it.
void run_paths(const Scenario& scenario, int project, const Regime& regime, const RunOptions& run,
               double investor_rate, RegimeOutcome& out, std::atomic<std::int64_t>& done,
               std::int64_t total, const Progress& progress) {
    Scenario world = scenario;
    world.deals.clear();
    world.world.regimes.push_back(regime);
    world.world.projects[project].regime = static_cast<int>(world.world.regimes.size()) - 1;
    // The law changes the regime as it would the world's regime of the same name.
    if (world.world.fiscal_risk) {
        std::vector<int>& changes = world.world.fiscal_risk->changes;
        int change = -1;
        for (std::size_t x = 0; x < scenario.world.regimes.size(); ++x)
            if (scenario.world.regimes[x].name == regime.name) change = changes[x];
        changes.push_back(change);
    }
    const engine::Plan plan = engine::make_plan(world, {});
    const engine::WorldVariant variant = engine::make_variant(world, -1);
    const engine::Random random(run.seed);
    const int commodity = world.world.projects[project].commodity;
    const double host_rate = world.world.host_discount_rate;
    const auto paths = static_cast<std::size_t>(run.paths);
    out.state_npv.assign(paths, 0.0);
    out.investor_npv.assign(paths, 0.0);
    out.started.assign(paths, 0);
    out.take.assign(paths, not_defined);
    out.aetr.assign(paths, not_defined);
    out.mean_real_price.assign(paths, 0.0);
    tbb::enumerable_thread_specific<Scratch> scratch;
    tbb::task_arena arena(run.threads > 0 ? run.threads : tbb::task_arena::automatic);
    arena.execute([&] {
        tbb::parallel_for(std::int64_t{0}, run.paths, [&](std::int64_t p) {
            Scratch& s = scratch.local();
            engine::draw_shared(plan, random, p, s.draws);
            engine::simulate_conflict(plan, variant, random, p, s.conflict);
            s.years.clear();
            engine::simulate_assets(plan, variant, s.draws, s.conflict, s.revenue, project,
                                    &s.years);
            const auto i = static_cast<std::size_t>(p);
            out.state_npv[i] = cashflow_npv(s.years, world.start_year, host_rate, state_flow);
            out.investor_npv[i] =
                cashflow_npv(s.years, world.start_year, investor_rate, investor_flow);
            out.started[i] = s.revenue.project_start[project] >= 0;
            if (out.started[i]) {
                out.take[i] = government_take(s.years);
                out.aetr[i] = aetr(s.years, world.start_year, host_rate);
            }
            double sum = 0;
            for (int t = 0; t < plan.horizon; ++t)
                sum += s.draws.price[commodity * plan.horizon + t] / plan.escalation[t];
            out.mean_real_price[i] = sum / plan.horizon;
            const std::int64_t finished = ++done;
            if (progress && finished % 1024 == 0 && !progress(finished, total)) {
                throw Cancelled{};
            }
        });
    });
}

Stats stats_of(const std::vector<double>& values) { return summarize(std::span(values)); }

}  // namespace

FiscalComparison compare_regimes(const Scenario& scenario, int project,
                                 const std::vector<Regime>& regimes, const RunOptions& run,
                                 const Progress& progress, Workers& workers) {
    const World& world = scenario.world;
    const Project& p = world.projects.at(static_cast<std::size_t>(project));
    FiscalComparison out;
    out.project = p.name;
    out.commodity = world.commodities[p.commodity].name;
    out.unit = world.commodities[p.commodity].unit;
    out.price_level = world.commodities[p.commodity].level;
    out.investor_rate = engine::investor_rate(world, false);
    out.host_rate = world.host_discount_rate;
    std::atomic<std::int64_t> done{0};
    std::int64_t mine = 0;  // regimes this rank runs
    for (std::size_t k = 0; k < regimes.size(); ++k) mine += workers.owns(k) ? 1 : 0;
    const std::int64_t total = run.paths * mine;
    // Each regime's paths as bytes: run on the rank that owns the regime, then shared.
    const std::vector<std::string> shared =
        share_items(workers, regimes.size(), [&](std::size_t k) {
            RegimeOutcome r;
            run_paths(scenario, project, regimes[k], run, out.investor_rate, r, done, total,
                      progress);
            ByteWriter bytes;
            for (const std::vector<double>* v :
                 {&r.state_npv, &r.investor_npv, &r.take, &r.aetr, &r.mean_real_price})
                bytes.put_span(std::span<const double>(*v));
            bytes.put_span(std::span<const char>(r.started));
            return std::move(bytes).take();
        });
    for (std::size_t k = 0; k < regimes.size(); ++k) {
        RegimeOutcome r;
        r.regime = regimes[k].name;
        r.base = project_fiscal(scenario, project, regimes[k]);
        ByteReader bytes(shared[k]);
        for (std::vector<double>* v :
             {&r.state_npv, &r.investor_npv, &r.take, &r.aetr, &r.mean_real_price})
            *v = bytes.get_vector<double>();
        r.started = bytes.get_vector<char>();
        r.state_npv_stats = stats_of(r.state_npv);
        r.investor_npv_stats = stats_of(r.investor_npv);
        r.take_stats = stats_of(r.take);
        r.aetr_stats = stats_of(r.aetr);
        std::int64_t started = 0;
        for (const char s : r.started) started += s;
        r.started_probability =
            run.paths > 0 ? static_cast<double>(started) / static_cast<double>(run.paths) : 0.0;
        out.regimes.push_back(std::move(r));
    }
    for (std::size_t k = 1; k < out.regimes.size(); ++k) {
        const RegimeOutcome& a = out.regimes[k];
        const RegimeOutcome& b = out.regimes[0];
        RegimeDifference d{a.regime, b.regime, {}, {}};
        std::vector<double> state(a.state_npv.size()), investor(a.state_npv.size());
        for (std::size_t i = 0; i < state.size(); ++i) {
            state[i] = a.state_npv[i] - b.state_npv[i];
            investor[i] = a.investor_npv[i] - b.investor_npv[i];
        }
        d.state_npv = stats_of(state);
        d.investor_npv = stats_of(investor);
        out.differences.push_back(std::move(d));
    }
    return out;
}

}  // namespace nadra
