// Per-project fiscal measures and cash-flow tables (MODEL.md 5, 7).
#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/deal_years.hpp"
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

double internal_rate_of_return(const std::vector<double>& flows) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    // Leading and trailing zeros change neither the sign changes nor the root.
    std::size_t first = 0, end = flows.size();
    while (first < end && flows[first] == 0) ++first;
    while (end > first && flows[end - 1] == 0) --end;
    if (first == end || flows[first] > 0) return nan;
    int changes = 0;
    bool negative = true;
    for (std::size_t t = first; t < end; ++t) {
        if (flows[t] == 0 || (flows[t] < 0) == negative) continue;
        negative = flows[t] < 0;
        ++changes;
    }
    if (changes != 1) return nan;
    // The sign of the NPV at r: for r >= 0 the NPV itself; for r in (-1, 0) the flows
    // compounded to the last year, the NPV times (1 + r)^n > 0 (no overflow as r nears -1).
    // With one change of sign from negative, it is positive below the root and negative above.
    const auto above_root = [&](double r) {
        double sum = 0;
        if (r >= 0) {
            double discount = 1;
            for (std::size_t t = first; t < end; ++t) sum += flows[t] * (discount /= 1 + r);
        } else {
            double growth = 1;
            for (std::size_t t = end; t-- > first;) {
                sum += flows[t] * growth;
                growth *= 1 + r;
            }
        }
        return sum;
    };
    constexpr double highest = 10;
    const double at_highest = above_root(highest);
    if (at_highest == 0) return highest;
    if (at_highest > 0) return nan;
    double low = -1, high = highest;
    for (int i = 0; i < 200 && high - low > 1e-14; ++i) {
        const double mid = 0.5 * (low + high);
        (above_root(mid) > 0 ? low : high) = mid;
    }
    return 0.5 * (low + high);
}

double cashflow_npv(const std::vector<CashflowYear>& years, int start_year, double rate,
                    double (*flow)(const CashflowYear&)) {
    double npv = 0;
    for (const CashflowYear& y : years)
        npv += flow(y) * std::pow(1 + rate, -(y.year - start_year + 1));
    return npv;
}

Payback payback(const std::vector<CashflowYear>& years) {
    Payback out;
    double cumulative = 0;
    for (const CashflowYear& y : years) {
        cumulative += y.investor_cash_flow;
        if (cumulative < 0) out.defined = true;
        if (out.defined && cumulative >= 0) {
            out.year = y.year;
            return out;
        }
    }
    return out;
}

namespace {

double state_flow(const CashflowYear& y) { return y.state_revenue; }
double pretax_flow(const CashflowYear& y) { return y.revenue - y.opex - y.capex; }
double investor_flow(const CashflowYear& y) { return y.investor_cash_flow; }

std::vector<double> flows_of(const std::vector<CashflowYear>& years,
                             double (*flow)(const CashflowYear&)) {
    std::vector<double> out;
    out.reserve(years.size());
    for (const CashflowYear& y : years) out.push_back(flow(y));
    return out;
}

}  // namespace

double government_take(const std::vector<CashflowYear>& years) {
    double state = 0, pretax = 0;
    for (const CashflowYear& y : years) {
        state += state_flow(y);
        pretax += pretax_flow(y);
    }
    return ratio_or_nan(state, pretax);
}

double aetr(const std::vector<CashflowYear>& years, int start_year, double host_rate) {
    return ratio_or_nan(cashflow_npv(years, start_year, host_rate, state_flow),
                        cashflow_npv(years, start_year, host_rate, pretax_flow));
}

double effective_royalty_rate(const std::vector<CashflowYear>& years) {
    double lowest = std::numeric_limits<double>::infinity();
    for (const CashflowYear& y : years) {
        if (y.revenue > 0) lowest = std::min(lowest, y.state_revenue / y.revenue);
    }
    return std::isfinite(lowest) ? lowest : std::numeric_limits<double>::quiet_NaN();
}

CashflowMeasures cashflow_measures(const std::vector<CashflowYear>& years, int start_year,
                                   double investor_rate, double host_rate) {
    CashflowMeasures m;
    m.investor_npv = cashflow_npv(years, start_year, investor_rate, investor_flow);
    m.irr = internal_rate_of_return(flows_of(years, investor_flow));
    m.pretax_irr = internal_rate_of_return(flows_of(years, pretax_flow));
    m.payback = payback(years);
    m.government_take = government_take(years);
    m.aetr = aetr(years, start_year, host_rate);
    m.state_revenue_npv = cashflow_npv(years, start_year, host_rate, state_flow);
    m.effective_royalty_rate = effective_royalty_rate(years);
    return m;
}

std::vector<ProjectFiscal> project_fiscal_summaries(const Scenario& scenario) {
    std::vector<ProjectFiscal> out;
    for (std::size_t j = 0; j < scenario.world.projects.size(); ++j) {
        const int project = static_cast<int>(j);
        out.push_back(project_fiscal(scenario, project,
                                     scenario.world.regimes[scenario.world.projects[j].regime]));
    }
    return out;
}

namespace {

// A stream's base view: the horizon's years at peace with access, on the base price path.
std::vector<CashflowYear> stream_base_case(const Scenario& scenario, const Stream& stream) {
    const World& world = scenario.world;
    const Commodity& commodity = world.commodities[stream.commodity];
    const engine::RoyaltyRule own(stream.royalty);
    // A stream paying a regime's royalty pays its scheduled regime's (the law as it is).
    std::vector<engine::RoyaltyRule> rules;
    if (stream.regime) {
        for (const Regime& r : world.regimes) rules.emplace_back(r.royalty);
    }
    std::vector<CashflowYear> years;
    double log_price = std::log(commodity.price0);
    double growth = 1;
    for (int t = 0; t < scenario.horizon; ++t, growth *= 1 + stream.volume_growth) {
        CashflowYear y;
        y.year = scenario.start_year + t;
        y.price = std::exp(log_price);
        y.production = stream.volume * growth;
        y.revenue = y.production * y.price * stream.realisation;
        y.opex = y.production * stream.unit_cost * std::pow(1 + world.inflation, t);
        const engine::RoyaltyRule& royalty =
            stream.regime ? rules[engine::scheduled_regime(world.regimes, *stream.regime, t)] : own;
        y.royalty = royalty.on_revenue(y.price, y.revenue);
        y.taxable_income = std::max(0.0, y.revenue - y.opex - y.royalty);
        y.income_tax = stream.income_tax_take * y.taxable_income;
        y.dividend = stream.dividend_take * y.taxable_income;
        y.state_revenue = y.royalty + y.income_tax + y.dividend;
        y.investor_cash_flow = y.revenue - y.opex - y.state_revenue;
        y.state = y.production > 0 ? AssetState::producing : AssetState::exhausted;
        years.push_back(y);
        log_price += commodity.drift + commodity.kappa * (std::log(commodity.level) +
                                                          commodity.drift * t - log_price);
    }
    return years;
}

// The base view's deal column: the asset's items in the deal's scope times the share that
// applies to it, in the deal's term (no cap: there is no fund on base inputs).
std::vector<double> base_due(const Scenario& scenario, const engine::Plan& plan, int asset,
                             const std::vector<CashflowYear>& years) {
    const Deal& deal = scenario.deals[plan.deals[0]];
    const std::uint8_t mask = plan.scope_mask[0][asset];
    const double share =
        plan.asset_occupied[asset] ? deal.share_liberated.value_or(deal.share) : deal.share;
    const int term_end =
        std::min(scenario.horizon, deal.term_years ? *deal.term_years : scenario.horizon);
    const auto in_scope = [&](RevenueItem item) {
        return (mask & (1u << static_cast<int>(item))) != 0;
    };
    std::vector<double> out;
    for (const CashflowYear& y : years) {
        const int t = y.year - scenario.start_year;
        double scoped = 0;
        if (in_scope(RevenueItem::royalty)) scoped += y.royalty;
        if (in_scope(RevenueItem::licence_fee)) scoped += y.licence_fee;
        if (in_scope(RevenueItem::profit_share)) scoped += y.profit_share;
        if (in_scope(RevenueItem::income_tax)) scoped += y.income_tax;
        if (in_scope(RevenueItem::dividend)) scoped += y.dividend;
        if (in_scope(RevenueItem::rent_tax)) scoped += y.rent_tax;
        out.push_back(t < term_end ? share * scoped : 0.0);
    }
    return out;
}

}  // namespace

AssetCashflow asset_cashflow(const Scenario& scenario, int asset, const CashflowOptions& options) {
    const World& world = scenario.world;
    const int projects = static_cast<int>(world.projects.size());
    const bool with_deal = options.deal >= 0;
    // The deal's plan (its world, its scope); without a deal, the world without one (and a plan
    // for the path's draws, which no deal changes).
    const std::optional<engine::Plan> plan =
        with_deal || !options.base
            ? std::optional(engine::make_plan(
                  scenario, with_deal ? std::vector<int>{options.deal} : std::vector<int>{}))
            : std::nullopt;
    const engine::WorldVariant variant =
        with_deal ? plan->variants[0] : engine::make_variant(scenario, -1);
    AssetCashflow out;
    out.stream = asset >= projects;
    out.investor_rate = engine::investor_rate(world, variant.guarantee);
    out.host_rate = world.host_discount_rate;
    if (options.base) {
        if (out.stream) {
            out.years = stream_base_case(scenario, world.streams[asset - projects]);
        } else {
            const Project& p = world.projects[asset];
            // The regime's schedule applies; the law as it is (MODEL.md 3.6, v1.3).
            out.years = engine::base_case(
                scenario, p, engine::RegimePath{&variant.regimes, p.regime}, std::nullopt);
        }
        if (with_deal) out.deal_column = base_due(scenario, *plan, asset, out.years);
        return out;
    }
    const engine::Random random(options.seed);
    engine::SharedDraws draws;
    engine::ConflictPath conflict;
    engine::AssetRevenue revenue;
    const engine::Plan& paths = *plan;
    engine::draw_shared(paths, random, options.path, draws);
    engine::simulate_conflict(paths, variant, random, options.path, conflict);
    engine::simulate_assets(paths, variant, draws, conflict, revenue, out.stream ? -1 : asset,
                            &out.years);
    if (out.stream) engine::record_stream(paths, draws, conflict, asset - projects, out.years);
    if (with_deal) {
        engine::DealScratch scratch;
        PathLedger ledger;
        engine::run_deal(paths, 0, random, options.path, draws, conflict, revenue, scratch, nullptr,
                         &ledger);
        engine::DealYearsScratch split;
        out.deal_column.assign(static_cast<std::size_t>(paths.horizon), 0.0);
        engine::asset_contribution_years(paths, 0, revenue, ledger, asset, split,
                                         out.deal_column.data());
    }
    return out;
}

std::vector<CashflowYear> project_cashflow(const Scenario& scenario, int project,
                                           const CashflowOptions& options) {
    return asset_cashflow(scenario, project, options).years;
}

}  // namespace nadra
