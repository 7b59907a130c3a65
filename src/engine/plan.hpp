// What a run computes once, before any path: world variants (the ways deals change the world),
// breakevens, the Cholesky factor, discount and escalation factors, each deal's scope per asset.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/project_flows.hpp"
#include "scenario/scenario.hpp"

namespace nadra::engine {

// A deal's fund as co-investor in this world (MODEL.md 4.1).
struct CoInvestment {
    double share = 0, receipt_share = 0;
    double rate = 0;                // the investor's rate of the decision (arrears grow at it)
    int term_end = 0;               // projects starting before this year are co-invested
    std::vector<char> eligible;     // per project: passes the co-investment's scope
    std::vector<double> breakeven;  // per project: on the investor's part, for eligible ones
    // The same terms (breakevens follow from them).
    [[nodiscard]] bool same_terms(const CoInvestment& o) const {
        return share == o.share && receipt_share == o.receipt_share && rate == o.rate &&
               term_end == o.term_end && eligible == o.eligible;
    }
};

// A world as one or more deals change it: hazard multipliers, the guarantee, regime overrides.
// Deals that change the world alike share one simulation of it on each path.
struct WorldVariant {
    bool guarantee = false;
    bool overrides_regimes = false;
    double end_multiplier = 1;
    double renew_multiplier = 1;
    std::vector<Regime> regimes;    // the world's, with the deal's overrides
    std::vector<double> breakeven;  // per project: constant real price, year-0 money
    // Where regimes change (Plan::regimes_change, MODEL.md 3.6 v1.3), per project the breakeven
    // for each regime it can start under: [j][2 * k + changed], k the place of the scheduled
    // regime in the `then` chain of the project's regime (0: its own), changed 1 under the
    // changed law. Empty otherwise (`breakeven` serves).
    std::vector<std::vector<double>> breakeven_by_state;
    std::optional<CoInvestment> co_invest;  // a co-investing deal's: its own world
    std::vector<RoyaltyRule> royalty;       // per regime: its royalty schedule, ready to evaluate
    // Per year t of the horizon: the probability that a war in year t ends at its end (peace in
    // t + 1), and that a peace in year t ends in war; each hazard times its multiplier, at most 1.
    std::vector<double> end_probability, renew_probability;
};

struct Plan {
    const Scenario* scenario = nullptr;
    int horizon = 0;
    std::vector<int> deals;         // indices into Scenario::deals, in run order
    std::vector<int> deal_variant;  // per run deal: index into variants
    std::vector<WorldVariant> variants;
    std::vector<double> cholesky;          // lower-triangular factor of the correlation, row-major
    std::vector<double> log_level;         // per commodity: ln(level)
    std::vector<double> escalation;        // (1 + inflation)^t
    std::vector<double> host_discount;     // (1 + r_host)^-(t+1)
    std::vector<double> partner_discount;  // (1 + r_partner)^-(t+1)
    // Per run deal, per asset (projects, then streams): bit i set when RevenueItem i is in scope.
    std::vector<std::vector<std::uint8_t>> scope_mask;
    // Per run deal: the first run deal with the same world variant and scope mask. Deals of one
    // group see the same scoped revenue on a path, so it is summed once (a sweep's variants).
    std::vector<int> scope_group;
    std::vector<bool> asset_occupied;  // the asset's region was occupied at signing
    // Regimes that change (MODEL.md 3.6, v1.3): a regime with `then`, or world.fiscal_risk.
    bool regimes_change = false;
    std::vector<double> law_probability;     // [t]: the law changes at the end of year t
    std::vector<RoyaltyRule> world_royalty;  // per world regime, for streams with a `regime`

    // Computed once by make_plan for the paths (path.cpp), each as a path would compute it.
    std::vector<double> log_price0;  // per commodity: ln(price0)
    // The Cholesky factor's nonzero entries, row by row: row c's are entries
    // [cholesky_row_begin[c], cholesky_row_begin[c + 1]) of cholesky_column and cholesky_value,
    // in column order.
    std::vector<int> cholesky_row_begin, cholesky_column;
    std::vector<double> cholesky_value;
    std::vector<double> region_war_access;           // per region: 1 - its war disruption
    std::vector<std::uint8_t> project_free;          // per project: its region is free
    std::vector<RoyaltyRule> stream_royalty;         // per stream
    std::vector<std::vector<double>> stream_volume;  // per stream, per year: volume * growth
    // Per stream: an earlier stream with the same commodity and (bit for bit) the same royalty
    // schedule, whose royalty factors on a path are this one's; or -1.
    std::vector<int> stream_factor_source;
    // Per run deal, per year: the partner's cash and in-kind support as scheduled.
    std::vector<std::vector<double>> support_cash, support_in_kind;

    [[nodiscard]] int asset_count() const {
        return static_cast<int>(scenario->world.projects.size() + scenario->world.streams.size());
    }
};

// `deals` empty: every deal of the scenario.
Plan make_plan(const Scenario& scenario, const std::vector<int>& deals);

// A world variant for a deal (deal < 0: the world without a deal).
WorldVariant make_variant(const Scenario& scenario, int deal);

// Lower-triangular L with L L^T = correlation (n x n, row-major). The loader has checked that
// the matrix is positive definite.
std::vector<double> cholesky(const std::vector<double>& correlation, int n);

}  // namespace nadra::engine
