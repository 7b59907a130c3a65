#include "engine/project_flows.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace nadra::engine {
namespace {

// A regime alone, whatever its schedule says (the index of its `then` is not among these).
std::vector<Regime> fixed(const Regime& regime) {
    std::vector<Regime> alone{regime};
    alone[0].then.reset();
    return alone;
}

// The base case runs until the project is finished; this bounds a reserve so large it would
// never be (years after the licence year).
constexpr int max_base_years = 1000;

}  // namespace

int round_lead_time(double years) { return std::max(0, static_cast<int>(std::floor(years + 0.5))); }

ProjectDraws base_draws(const Project& project) {
    return {true, round_lead_time(project.lead_time.mode), 1.0, 1.0};
}

RoyaltyRule::RoyaltyRule(const RoyaltySchedule& schedule)
    : constant_(schedule.rate), rate_{0.0}, below_{0.0}, band_lower_{0.0}, marginal_{0} {
    double below = 0;
    for (std::size_t i = 0; i < schedule.bands.size(); ++i) {
        const RoyaltyBand& band = schedule.bands[i];
        if (i > 0) {
            // RoyaltySchedule::per_unit's sum: what band i - 1 gives at this band's lower bound.
            const RoyaltyBand& under = schedule.bands[i - 1];
            below = under.mode == BandMode::whole ? under.rate * band.lower
                                                  : below + under.rate * (band.lower - under.lower);
        }
        lower_.push_back(band.lower);
        rate_.push_back(band.rate);
        below_.push_back(below);
        band_lower_.push_back(band.lower);
        marginal_.push_back(band.mode == BandMode::marginal);
    }
}

ShutIn shut_in_rule(const World& world) {
    return {world.investor.shut_in, world.investor.shut_in_cost, false};
}

ProjectFlows::ProjectFlows(const Project& project, const Regime& regime, const ProjectDraws& draws,
                           const RoyaltyRule* royalty, const ShutIn& shut_in)
    : project_(project),
      regime_(&regime),
      royalty_(royalty),
      depreciation_years_(regime.depreciation_years),
      state_equity_(project.state_equity.value_or(regime.state_equity)),
      viable_(draws.viable),
      lead_time_(draws.lead_time),
      capex_multiplier_(draws.capex_multiplier),
      opex_multiplier_(draws.opex_multiplier),
      shut_in_on_(shut_in.on),
      shut_in_ends_life_(shut_in.ends_life),
      shut_in_cost_(shut_in.cost) {}

double investor_rate(const World& world, bool guarantee, double premium_multiplier) {
    double premium = world.investor.country_risk_premium *
                     (guarantee ? world.guarantee.risk_premium_multiplier : 1.0);
    if (premium_multiplier != 1) premium *= premium_multiplier;
    return world.investor.hurdle_rate + premium;
}

namespace {

// base^(sign * t + offset) for t = 0, 1, ...: each computed once, with std::pow as the year loop
// would, and kept for the next evaluation (a breakeven search evaluates the same years tens of
// times).
class PowersOf {
  public:
    PowersOf(double base, int sign, int offset) : base_(base), sign_(sign), offset_(offset) {}
    double operator()(int t) {
        while (static_cast<int>(values_.size()) <= t) {
            const int k = static_cast<int>(values_.size());
            values_.push_back(std::pow(base_, sign_ * k + offset_));
        }
        return values_[t];
    }

  private:
    double base_;
    int sign_, offset_;
    std::vector<double> values_;
};

// The base case year by year, each year's flows given to `take(t, year)`; stops when the project
// is finished, or (on the base price path) leaves out the shut-in years it never restarts after.
template <class Take>
void step_base_case(const Scenario& scenario, const Project& project, const RegimePath& path,
                    std::optional<double> real_price, PowersOf& escalation_of, Take&& take) {
    const Commodity& commodity = scenario.world.commodities[project.commodity];
    const std::vector<Regime>& regimes = *path.regimes;
    // Each regime's royalty rule, made when the path first reaches it.
    std::vector<std::optional<RoyaltyRule>> rules(regimes.size());
    const auto rule_of = [&](int r) -> const RoyaltyRule* {
        if (!rules[r]) rules[r].emplace(regimes[r].royalty);
        return &*rules[r];
    };
    int in_force = path.at(0);
    // On a constant real price a shut-in year ends the project's life; on the base price path
    // it pauses it (MODEL.md 3.3).
    ShutIn shut_in = shut_in_rule(scenario.world);
    shut_in.ends_life = real_price.has_value();
    ProjectFlows flows(project, regimes[in_force], base_draws(project), rule_of(in_force), shut_in);
    // On the base price path, shut-in years are given only once the project produces again: a
    // project that never restarts (before the bound on its years) ends at its last producing
    // year, its mine closed rather than kept shut for centuries.
    std::vector<std::pair<int, CashflowYear>> held;
    double log_price = std::log(commodity.price0);
    for (int t = 0; t < project.licence_year + max_base_years; ++t) {
        if (const int r = path.at(t); r != in_force) {
            in_force = r;
            flows.use_regime(regimes[r], rule_of(r));
        }
        if (t == project.licence_year) flows.start(t);
        const double escalation = escalation_of(t);
        const double price = real_price ? *real_price * escalation : std::exp(log_price);
        CashflowYear year = flows.step(t, price, escalation, true, 1.0);
        year.state = flows.waiting() ? AssetState::waiting_licence : flows.state(t, true, year);
        if (!real_price && year.shut_in) {
            held.emplace_back(t, year);
        } else {
            for (const auto& [u, shut] : held) take(u, shut);
            held.clear();
            take(t, year);
        }
        if (flows.finished(t)) break;
        log_price += commodity.drift + commodity.kappa * (std::log(commodity.level) +
                                                          commodity.drift * t - log_price);
    }
}

// The investor's NPV of the base case at a constant real price, discounting year t by
// (1 + rate)^-(t + 1).
double base_case_npv(const Scenario& scenario, const Project& project, const RegimePath& path,
                     double real_price, PowersOf& escalation_of, PowersOf& discount_of,
                     const InvestorStake& stake = {}) {
    double npv = 0;
    step_base_case(scenario, project, path, real_price, escalation_of,
                   [&](int t, const CashflowYear& y) { npv += stake.flow(y) * discount_of(t); });
    return npv;
}

}  // namespace

std::vector<CashflowYear> base_case(const Scenario& scenario, const Project& project,
                                    const Regime& regime, std::optional<double> real_price) {
    const std::vector<Regime> alone = fixed(regime);
    return base_case(scenario, project, RegimePath{&alone}, real_price);
}

std::vector<CashflowYear> base_case(const Scenario& scenario, const Project& project,
                                    const RegimePath& path, std::optional<double> real_price) {
    PowersOf escalation_of(1 + scenario.world.inflation, 1, 0);
    std::vector<CashflowYear> years;
    step_base_case(scenario, project, path, real_price, escalation_of,
                   [&](int t, const CashflowYear& y) {
                       years.push_back(y);
                       years.back().year = scenario.start_year + t;
                   });
    return years;
}

double investor_npv_at_real_price(const Scenario& scenario, const Project& project,
                                  const Regime& regime, double real_price, double rate) {
    PowersOf escalation_of(1 + scenario.world.inflation, 1, 0);
    PowersOf discount_of(1 + rate, -1, -1);
    const std::vector<Regime> alone = fixed(regime);
    return base_case_npv(scenario, project, RegimePath{&alone}, real_price, escalation_of,
                         discount_of);
}

double breakeven_price(const Scenario& scenario, const Project& project, const Regime& regime,
                       double rate, const InvestorStake& stake) {
    const std::vector<Regime> alone = fixed(regime);
    return breakeven_price(scenario, project, RegimePath{&alone}, rate, stake);
}

double breakeven_price(const Scenario& scenario, const Project& project, const RegimePath& path,
                       double rate, const InvestorStake& stake) {
    // investor_npv_at_real_price, with each year's escalation and discount factor computed once
    // for the whole search.
    PowersOf escalation_of(1 + scenario.world.inflation, 1, 0);
    PowersOf discount_of(1 + rate, -1, -1);
    const auto npv = [&](double p) {
        return base_case_npv(scenario, project, path, p, escalation_of, discount_of, stake);
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
