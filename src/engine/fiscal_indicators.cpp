// The measures fiscal analysts compare regimes by, for one project on base inputs (MODEL.md 5,
// v1.3): those of the base price path, the METR at the breakeven and progressivity on constant
// real prices.
#include <cmath>
#include <limits>
#include <vector>

#include "engine/engine.hpp"
#include "engine/project_flows.hpp"

namespace nadra {
namespace {

constexpr double not_defined = std::numeric_limits<double>::quiet_NaN();

double pretax_flow(const CashflowYear& y) { return y.revenue - y.opex - y.capex; }

// A nominal rate in real terms: (1 + x) / (1 + inflation) - 1.
double real_rate(double nominal, double inflation) { return (1 + nominal) / (1 + inflation) - 1; }

// METR = (p - r) / p in real terms, p the pre-tax IRR at the breakeven price (MODEL.md 5).
void set_metr(const Scenario& scenario, const Project& project, const engine::RegimePath& regime,
              double rate, ProjectFiscal& f) {
    f.metr = not_defined;
    if (f.breakeven_price <= 0) {
        f.metr_gap = MetrGap::breakeven_zero;
        return;
    }
    if (!std::isfinite(f.breakeven_price)) {
        f.metr_gap = MetrGap::breakeven_infinite;
        return;
    }
    if (engine::base_draws(project).lead_time == 0) {
        f.metr_gap = MetrGap::no_construction;
        return;
    }
    std::vector<double> pretax;
    for (const CashflowYear& y : engine::base_case(scenario, project, regime, f.breakeven_price))
        pretax.push_back(pretax_flow(y));
    const double p = internal_rate_of_return(pretax);
    if (!std::isfinite(p)) {
        f.metr_gap = MetrGap::pretax_irr_undefined;
        return;
    }
    const double inflation = scenario.world.inflation;
    const double real_p = real_rate(p, inflation);
    if (real_p <= 0) {
        f.metr_gap = MetrGap::pretax_irr_not_positive;
        return;
    }
    f.metr = (real_p - real_rate(rate, inflation)) / real_p;
    f.metr_gap = MetrGap::defined;
}

}  // namespace

ProjectFiscal project_fiscal(const Scenario& scenario, int index, const Regime& regime) {
    const World& world = scenario.world;
    const Project& project = world.projects.at(static_cast<std::size_t>(index));
    const double rate = engine::investor_rate(world, false);
    const double host_rate = world.host_discount_rate;
    // The regime as the world's regimes' last, so that its schedule (`then`) follows it
    // (MODEL.md 3.6, v1.3); the law as it is.
    std::vector<Regime> regimes = world.regimes;
    regimes.push_back(regime);
    const engine::RegimePath path{&regimes, static_cast<int>(regimes.size()) - 1};
    ProjectFiscal f;
    f.project = index;
    f.breakeven_price = engine::breakeven_price(scenario, project, path, rate);
    const std::vector<CashflowYear> years =
        engine::base_case(scenario, project, path, std::nullopt);
    const CashflowMeasures m = cashflow_measures(years, scenario.start_year, rate, host_rate);
    f.government_take = m.government_take;
    f.aetr = m.aetr;
    f.investor_npv = m.investor_npv;
    f.irr = m.irr;
    f.pretax_irr = m.pretax_irr;
    f.payback = m.payback;
    f.effective_royalty_rate = m.effective_royalty_rate;
    f.state_revenue_npv = m.state_revenue_npv;
    set_metr(scenario, project, path, rate, f);
    const double level = world.commodities[project.commodity].level;
    for (const double factor : progressivity_factors) {
        const std::vector<CashflowYear> at_price =
            engine::base_case(scenario, project, path, factor * level);
        f.progressivity.push_back(
            {factor, government_take(at_price), aetr(at_price, scenario.start_year, host_rate)});
    }
    return f;
}

}  // namespace nadra
