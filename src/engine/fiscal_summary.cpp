// Per-project fiscal measures and cash-flow tables (MODEL.md 5, 7).
#include <cmath>
#include <limits>

#include "engine/engine.hpp"
#include "engine/path.hpp"
#include "engine/plan.hpp"
#include "engine/project_flows.hpp"

namespace nadra {
namespace {

double ratio_or_nan(double numerator, double denominator) {
    return denominator > 0 ? numerator / denominator : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

std::vector<ProjectFiscal> project_fiscal_summaries(const Scenario& scenario) {
    const World& world = scenario.world;
    const double rate = engine::investor_rate(world, false);
    const double host_rate = world.host_discount_rate;
    std::vector<ProjectFiscal> out;
    for (std::size_t j = 0; j < world.projects.size(); ++j) {
        const Project& project = world.projects[j];
        const Regime& regime = world.regimes[project.regime];
        ProjectFiscal f;
        f.project = static_cast<int>(j);
        f.breakeven_price = engine::breakeven_price(scenario, project, regime, rate);
        double state = 0, pretax = 0, state_npv = 0, pretax_npv = 0;
        for (const CashflowYear& y : engine::base_case(scenario, project, regime, std::nullopt)) {
            const double discount = std::pow(1 + host_rate, -(y.year - scenario.start_year + 1));
            const double pretax_flow = y.revenue - y.opex - y.capex;
            state += y.state_revenue;
            pretax += pretax_flow;
            state_npv += y.state_revenue * discount;
            pretax_npv += pretax_flow * discount;
        }
        f.government_take = ratio_or_nan(state, pretax);
        f.aetr = ratio_or_nan(state_npv, pretax_npv);
        out.push_back(f);
    }
    return out;
}

std::vector<CashflowYear> project_cashflow(const Scenario& scenario, int project,
                                           const CashflowOptions& options) {
    const engine::WorldVariant variant = engine::make_variant(scenario, options.deal);
    const Project& p = scenario.world.projects[project];
    if (options.base)
        return engine::base_case(scenario, p, variant.regimes[p.regime], std::nullopt);
    engine::Plan plan = engine::make_plan(scenario, {});
    const engine::Random random(options.seed);
    engine::SharedDraws draws;
    engine::ConflictPath conflict;
    engine::AssetRevenue revenue;
    engine::draw_shared(plan, random, options.path, draws);
    engine::simulate_conflict(plan, variant, random, options.path, conflict);
    std::vector<CashflowYear> years;
    engine::simulate_assets(plan, variant, draws, conflict, revenue, project, &years);
    return years;
}

}  // namespace nadra
