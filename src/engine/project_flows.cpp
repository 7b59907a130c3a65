#include "engine/project_flows.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace nadra::engine {
namespace {

// The base case runs until the project is finished; this bounds a reserve so large it would
// never be (years after the licence year).
constexpr int max_base_years = 1000;

}  // namespace

int round_lead_time(double years) { return std::max(0, static_cast<int>(std::floor(years + 0.5))); }

ProjectDraws base_draws(const Project& project) {
    return {true, round_lead_time(project.lead_time.mode), 1.0, 1.0};
}

ProjectFlows::ProjectFlows(const Project& project, const Regime& regime, const ProjectDraws& draws)
    : project_(project),
      regime_(regime),
      state_equity_(project.state_equity.value_or(regime.state_equity)),
      viable_(draws.viable),
      lead_time_(draws.lead_time),
      capex_multiplier_(draws.capex_multiplier),
      opex_multiplier_(draws.opex_multiplier) {}

void ProjectFlows::start(int t) {
    phase_ = Phase::building;
    start_year_ = t;
}

bool ProjectFlows::finished(int t) const {
    if (phase_ != Phase::producing) return false;
    const bool exhausted = produced_ >= project_.reserve || project_.capacity <= 0;
    return exhausted && t - first_production_ + 1 >= regime_.depreciation_years;
}

double ProjectFlows::production(int t, double access) {
    if (phase_ != Phase::producing || t < first_production_) return 0;
    const double k = t - first_production_ + 1;
    const double ramp = project_.ramp_years <= 1 ? 1.0 : std::min(1.0, k / project_.ramp_years);
    const double q = std::min(project_.capacity * ramp * access, project_.reserve - produced_);
    produced_ += q;
    return std::max(0.0, q);
}

CashflowYear ProjectFlows::step(int t, double price, double escalation, bool accessible,
                                double access) {
    CashflowYear y;
    y.price = price;
    if (t == start_year_) y.licence_fee = project_.licence_fee * escalation;
    if (phase_ == Phase::building) {
        if (lead_time_ == 0) {
            y.capex = project_.capex * capex_multiplier_ * escalation;
            first_production_ = t;
            phase_ = Phase::producing;
        } else if (accessible) {
            y.capex = project_.capex * capex_multiplier_ / lead_time_ * escalation;
            if (++built_years_ == lead_time_) {
                first_production_ = t + 1;
                phase_ = Phase::producing;
            }
        }
        capex_spent_ += y.capex;
    }
    y.production = production(t, access);
    if (phase_ == Phase::producing && t >= first_production_ &&
        t - first_production_ < regime_.depreciation_years) {
        y.depreciation = capex_spent_ / regime_.depreciation_years;
    }
    y.revenue = y.production * price * project_.realisation;
    y.opex = y.production * project_.opex * opex_multiplier_ * escalation;
    fiscal(y);
    return y;
}

void ProjectFlows::fiscal(CashflowYear& y) {
    y.royalty = regime_.royalty.on_revenue(y.price, y.revenue);
    if (regime_.type == RegimeType::production_sharing) {
        const double recoverable = unrecovered_ + y.opex + y.capex + y.licence_fee;
        const double base =
            regime_.limit_base == LimitBase::revenue ? y.revenue : y.revenue - y.royalty;
        y.cost_recovered = std::min(recoverable, regime_.cost_recovery_limit * std::max(0.0, base));
        unrecovered_ = recoverable - y.cost_recovered;
        const double r_factor = costs_ > 0 ? receipts_ / costs_ : 0.0;
        const double profit = y.revenue - y.royalty - y.cost_recovered;
        y.profit_share = regime_.profit_split.at(r_factor) * std::max(0.0, profit);
        receipts_ += y.revenue - y.royalty - y.profit_share;
        costs_ += y.capex + y.opex + y.licence_fee;
    }
    const double taxable = y.revenue - y.royalty - y.profit_share - y.opex - y.licence_fee -
                           y.depreciation - loss_carried_;
    loss_carried_ = std::max(0.0, -taxable);
    y.taxable_income = std::max(0.0, taxable);
    y.income_tax = regime_.tax_rate * y.taxable_income;
    const double after_tax =
        y.revenue - y.opex - y.capex - y.licence_fee - y.royalty - y.profit_share - y.income_tax;
    y.dividend = state_equity_ * std::max(0.0, after_tax);
    y.investor_cash_flow = after_tax - y.dividend;
    y.state_revenue = y.royalty + y.licence_fee + y.profit_share + y.income_tax + y.dividend;
}

double investor_rate(const World& world, bool guarantee) {
    const double premium = world.investor.country_risk_premium *
                           (guarantee ? world.guarantee.risk_premium_multiplier : 1.0);
    return world.investor.hurdle_rate + premium;
}

std::vector<CashflowYear> base_case(const Scenario& scenario, const Project& project,
                                    const Regime& regime, std::optional<double> real_price) {
    const Commodity& commodity = scenario.world.commodities[project.commodity];
    const double inflation = scenario.world.inflation;
    ProjectFlows flows(project, regime, base_draws(project));
    std::vector<CashflowYear> years;
    double log_price = std::log(commodity.price0);
    for (int t = 0; t < project.licence_year + max_base_years; ++t) {
        if (t == project.licence_year) flows.start(t);
        const double escalation = std::pow(1 + inflation, t);
        const double price = real_price ? *real_price * escalation : std::exp(log_price);
        CashflowYear y = flows.step(t, price, escalation, true, 1.0);
        y.year = scenario.start_year + t;
        years.push_back(y);
        if (flows.finished(t)) break;
        log_price += commodity.drift + commodity.kappa * (std::log(commodity.level) +
                                                          commodity.drift * t - log_price);
    }
    return years;
}

double investor_npv_at_real_price(const Scenario& scenario, const Project& project,
                                  const Regime& regime, double real_price, double rate) {
    double npv = 0;
    for (const CashflowYear& y : base_case(scenario, project, regime, real_price)) {
        npv += y.investor_cash_flow * std::pow(1 + rate, -(y.year - scenario.start_year + 1));
    }
    return npv;
}

double breakeven_price(const Scenario& scenario, const Project& project, const Regime& regime,
                       double rate) {
    const auto npv = [&](double p) {
        return investor_npv_at_real_price(scenario, project, regime, p, rate);
    };
    if (npv(0.0) >= 0) return 0.0;
    double high = std::max(1.0, scenario.world.commodities[project.commodity].price0);
    // Costs are finite, so some price covers them unless revenue is zero (no capacity, say).
    while (npv(high) < 0) {
        high *= 4;
        if (high > 1e15) return std::numeric_limits<double>::infinity();
    }
    double low = 0;
    for (int i = 0; i < 200 && high - low > 1e-10 * high; ++i) {
        const double mid = 0.5 * (low + high);
        (npv(mid) < 0 ? low : high) = mid;
    }
    return high;
}

}  // namespace nadra::engine
