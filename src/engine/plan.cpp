#include "engine/plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "engine/project_flows.hpp"

namespace nadra::engine {
namespace {

template <class T>
bool selects(const std::vector<T>& allowed, const T& value) {
    return allowed.empty() || std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

std::uint8_t scope_mask_for(const Scope& scope, const std::string& licence_class, int commodity,
                            RegionStatus status) {
    if (!selects(scope.licence_classes, licence_class) || !selects(scope.commodities, commodity) ||
        !selects(scope.statuses, status)) {
        return 0;
    }
    std::uint8_t mask = 0;
    for (int i = 0; i < revenue_item_count; ++i) {
        if (selects(scope.items, static_cast<RevenueItem>(i))) mask |= std::uint8_t(1u << i);
    }
    return mask;
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// The schedules make the same RoyaltyRule: every field the same to the bit.
bool same_schedule(const RoyaltySchedule& a, const RoyaltySchedule& b) {
    if (!same_bits(a.rate, b.rate) || a.bands.size() != b.bands.size()) return false;
    for (std::size_t i = 0; i < a.bands.size(); ++i) {
        if (!same_bits(a.bands[i].lower, b.bands[i].lower) ||
            !same_bits(a.bands[i].rate, b.bands[i].rate) || a.bands[i].mode != b.bands[i].mode) {
            return false;
        }
    }
    return true;
}

// Deals with regime overrides get a world of their own; the others share by multipliers.
bool same_world(const WorldVariant& a, const WorldVariant& b) {
    return !a.overrides_regimes && !b.overrides_regimes && a.guarantee == b.guarantee &&
           a.end_multiplier == b.end_multiplier && a.renew_multiplier == b.renew_multiplier &&
           a.co_invest.has_value() == b.co_invest.has_value() &&
           (!a.co_invest || a.co_invest->same_terms(*b.co_invest));
}

}  // namespace

std::vector<double> cholesky(const std::vector<double>& correlation, int n) {
    std::vector<double> l(static_cast<std::size_t>(n) * n, 0.0);
    for (int i = 0; i < n; ++i) {
        for (int j = 0; j <= i; ++j) {
            double sum = correlation[i * n + j];
            for (int k = 0; k < j; ++k) sum -= l[i * n + k] * l[j * n + k];
            l[i * n + j] = i == j ? std::sqrt(std::max(0.0, sum)) : sum / l[j * n + j];
        }
    }
    return l;
}

namespace {

bool regimes_change(const World& world) {
    return world.fiscal_risk.has_value() ||
           std::any_of(world.regimes.begin(), world.regimes.end(),
                       [](const Regime& r) { return r.then.has_value(); });
}

// make_variant but for the breakevens.
WorldVariant variant_terms(const Scenario& scenario, int deal) {
    const World& world = scenario.world;
    WorldVariant v;
    v.regimes = world.regimes;
    if (deal >= 0) {
        const Deal& d = scenario.deals[deal];
        v.guarantee = d.security_guarantee;
        v.end_multiplier = d.end_hazard_multiplier;
        v.renew_multiplier = d.renew_hazard_multiplier *
                             (d.security_guarantee ? world.guarantee.renew_hazard_multiplier : 1.0);
        for (const auto& [index, regime] : d.regime_overrides) v.regimes[index] = regime;
        // Overrides that change nothing (a deal writing out a field as the world has it) leave
        // the deal in the world's regimes, shared with the other deals.
        v.overrides_regimes = v.regimes != world.regimes;
        if (d.co_invest) {
            const CoInvest& c = *d.co_invest;
            CoInvestment co;
            co.share = c.share;
            co.receipt_share = c.receipt_share;
            co.rate = investor_rate(world, v.guarantee, c.premium_multiplier);
            co.term_end = d.term_years ? *d.term_years : scenario.horizon;
            for (const Project& p : world.projects) {
                co.eligible.push_back(scope_mask_for(c.scope, p.licence_class, p.commodity,
                                                     world.regions[p.region].status) != 0);
            }
            v.co_invest = std::move(co);
        }
    }
    for (const Regime& regime : v.regimes) v.royalty.emplace_back(regime.royalty);
    const Conflict& conflict = world.conflict;
    for (int t = 0; t < scenario.horizon; ++t) {
        v.end_probability.push_back(
            std::min(1.0, value_in_year(conflict.end_hazard, t) * v.end_multiplier));
        v.renew_probability.push_back(
            std::min(1.0, value_in_year(conflict.renew_hazard, t) * v.renew_multiplier));
    }
    return v;
}

// The breakevens of the projects a co-investing fund may join, on the investor's part of the
// flows at the decision's rate (MODEL.md 4.1). With the fund taking its share of the cash flow
// (rho = s) at the usual rate, the investor's flow is (1 - s) times its whole flow: the same
// decision (MODEL.md 4.1, also at s = 1), so the same breakeven, from the search without a fund.
void set_co_invest_breakevens(const Scenario& scenario, WorldVariant& v) {
    if (!v.co_invest) return;
    CoInvestment& co = *v.co_invest;
    const bool same_decision =
        co.receipt_share == co.share && co.rate == investor_rate(scenario.world, v.guarantee);
    const InvestorStake stake{1 - co.share, 1 - co.receipt_share};
    co.breakeven.clear();
    for (std::size_t j = 0; j < scenario.world.projects.size(); ++j) {
        const Project& p = scenario.world.projects[j];
        const Regime& regime = v.regimes[p.regime];
        if (!co.eligible[j]) {
            co.breakeven.push_back(std::numeric_limits<double>::quiet_NaN());
        } else if (same_decision) {
            co.breakeven.push_back(breakeven_price(scenario, p, regime, co.rate));
        } else {
            co.breakeven.push_back(breakeven_price(scenario, p, regime, co.rate, stake));
        }
    }
}

// Every project's breakeven in `v`. A breakeven depends on the project, its regime and the
// investor's rate (with or without a guarantee) alone, so a variant with the world's own regimes
// takes them from one among `made` with the same guarantee: the same searches on the same inputs.
void set_breakevens(const Scenario& scenario, WorldVariant& v,
                    const std::vector<WorldVariant>& made) {
    set_co_invest_breakevens(scenario, v);
    for (const WorldVariant& w : made) {
        if (!v.overrides_regimes && !w.overrides_regimes && w.guarantee == v.guarantee) {
            v.breakeven = w.breakeven;
            v.breakeven_by_state = w.breakeven_by_state;
            return;
        }
    }
    const double rate = investor_rate(scenario.world, v.guarantee);
    const World& world = scenario.world;
    if (!regimes_change(world)) {
        for (const Project& p : world.projects) {
            v.breakeven.push_back(breakeven_price(scenario, p, v.regimes[p.regime], rate));
        }
        return;
    }
    // Every regime a project can start under: each of its schedule's regimes, under the law as
    // it is and (with a fiscal risk) as changed, construction at its licence year (MODEL.md 3.6).
    const std::vector<int>* changes = world.fiscal_risk ? &world.fiscal_risk->changes : nullptr;
    for (const Project& p : world.projects) {
        std::vector<double> states;
        for (int x = p.regime;; x = *v.regimes[x].then) {
            // The law's change matters where it changes a regime of the schedule from x on.
            bool changed = false;
            for (int y = x; changes && !changed; y = *v.regimes[y].then) {
                changed = (*changes)[y] >= 0;
                if (!v.regimes[y].then) break;
            }
            states.push_back(breakeven_price(scenario, p, RegimePath{&v.regimes, x}, rate));
            states.push_back(
                changed ? breakeven_price(scenario, p, RegimePath{&v.regimes, x, changes, 0}, rate)
                        : states.back());
            if (!v.regimes[x].then) break;
        }
        v.breakeven.push_back(states[0]);
        v.breakeven_by_state.push_back(std::move(states));
    }
}

}  // namespace

WorldVariant make_variant(const Scenario& scenario, int deal) {
    WorldVariant v = variant_terms(scenario, deal);
    set_breakevens(scenario, v, {});
    return v;
}

Plan make_plan(const Scenario& scenario, const std::vector<int>& deals) {
    const World& world = scenario.world;
    Plan plan;
    plan.scenario = &scenario;
    plan.horizon = scenario.horizon;
    plan.deals = deals;
    if (plan.deals.empty()) {
        for (int i = 0; i < static_cast<int>(scenario.deals.size()); ++i) plan.deals.push_back(i);
    }
    for (int deal : plan.deals) {
        WorldVariant v = variant_terms(scenario, deal);
        auto found = std::find_if(plan.variants.begin(), plan.variants.end(),
                                  [&](const WorldVariant& w) { return same_world(w, v); });
        plan.deal_variant.push_back(static_cast<int>(found - plan.variants.begin()));
        if (found == plan.variants.end()) {
            // Breakevens only for a world not made yet: searching them is most of a plan's cost.
            set_breakevens(scenario, v, plan.variants);
            plan.variants.push_back(std::move(v));
        }
    }
    const int n = static_cast<int>(world.commodities.size());
    plan.cholesky = cholesky(world.correlation, n);
    for (const Commodity& c : world.commodities) plan.log_level.push_back(std::log(c.level));
    for (const Commodity& c : world.commodities) plan.log_price0.push_back(std::log(c.price0));
    // The paths sum L[c][k] * shock[k] over k <= c from 0; a zero entry adds a zero (the shocks
    // are finite), which leaves such a sum as it is, so only the others are kept.
    for (int c = 0; c < n; ++c) {
        plan.cholesky_row_begin.push_back(static_cast<int>(plan.cholesky_column.size()));
        for (int k = 0; k <= c; ++k) {
            if (plan.cholesky[c * n + k] == 0) continue;
            plan.cholesky_column.push_back(k);
            plan.cholesky_value.push_back(plan.cholesky[c * n + k]);
        }
    }
    plan.cholesky_row_begin.push_back(static_cast<int>(plan.cholesky_column.size()));
    for (const Region& r : world.regions) {
        plan.region_war_access.push_back(1 -
                                         r.war_disruption.value_or(world.conflict.war_disruption));
    }
    for (const Project& p : world.projects) {
        plan.project_free.push_back(world.regions[p.region].status == RegionStatus::free);
    }
    plan.regimes_change = regimes_change(world);
    if (world.fiscal_risk) {
        for (int t = 0; t < plan.horizon; ++t) {
            plan.law_probability.push_back(
                std::min(1.0, value_in_year(world.fiscal_risk->hazard, t)));
        }
    }
    for (const Regime& r : world.regimes) plan.world_royalty.emplace_back(r.royalty);
    for (const Stream& s : world.streams) {
        plan.stream_royalty.emplace_back(s.royalty);
        std::vector<double> volume;
        double growth = 1;
        for (int t = 0; t < plan.horizon; ++t, growth *= 1 + s.volume_growth) {
            volume.push_back(s.volume * growth);
        }
        plan.stream_volume.push_back(std::move(volume));
    }
    for (int t = 0; t < plan.horizon; ++t) {
        plan.escalation.push_back(std::pow(1 + world.inflation, t));
        plan.host_discount.push_back(std::pow(1 + world.host_discount_rate, -(t + 1)));
        plan.partner_discount.push_back(std::pow(1 + world.partner_discount_rate, -(t + 1)));
    }
    for (const Project& p : world.projects) {
        plan.asset_occupied.push_back(world.regions[p.region].status == RegionStatus::occupied);
    }
    for (const Stream& s : world.streams) {
        plan.asset_occupied.push_back(world.regions[s.region].status == RegionStatus::occupied);
    }
    for (int deal : plan.deals) {
        const Scope& scope = scenario.deals[deal].scope;
        std::vector<std::uint8_t> masks;
        for (const Project& p : world.projects) {
            masks.push_back(scope_mask_for(scope, p.licence_class, p.commodity,
                                           world.regions[p.region].status));
        }
        for (const Stream& s : world.streams) {
            masks.push_back(
                scope_mask_for(scope, "existing", s.commodity, world.regions[s.region].status));
        }
        plan.scope_mask.push_back(std::move(masks));
        const PartnerSupport& support = scenario.deals[deal].partner_support;
        std::vector<double> cash, in_kind;
        for (int t = 0; t < plan.horizon; ++t) {
            cash.push_back(value_in_year(support.cash, t));
            in_kind.push_back(value_in_year(support.in_kind, t));
        }
        plan.support_cash.push_back(std::move(cash));
        plan.support_in_kind.push_back(std::move(in_kind));
    }
    for (std::size_t k = 0; k < plan.deals.size(); ++k) {
        std::size_t first = 0;
        while (plan.deal_variant[first] != plan.deal_variant[k] ||
               plan.scope_mask[first] != plan.scope_mask[k]) {
            ++first;
        }
        plan.scope_group.push_back(static_cast<int>(first));
    }
    for (std::size_t s = 0; s < world.streams.size(); ++s) {
        int source = -1;
        for (std::size_t e = 0; e < s && source < 0; ++e) {
            // Streams that pay a regime's royalty share factors only with the same regime.
            if (world.streams[e].commodity == world.streams[s].commodity &&
                world.streams[e].regime == world.streams[s].regime &&
                same_schedule(world.streams[e].royalty, world.streams[s].royalty)) {
                source = static_cast<int>(e);
            }
        }
        plan.stream_factor_source.push_back(source);
    }
    return plan;
}

}  // namespace nadra::engine
