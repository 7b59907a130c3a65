// What a run computes once, before any path: world variants (the ways deals change the world),
// breakevens, the Cholesky factor, discount and escalation factors, each deal's scope per asset.
#pragma once

#include <cstdint>
#include <vector>

#include "scenario/scenario.hpp"

namespace nadra::engine {

// A world as one or more deals change it: hazard multipliers, the guarantee, regime overrides.
// Deals that change the world alike share one simulation of it on each path.
struct WorldVariant {
    bool guarantee = false;
    bool overrides_regimes = false;
    double end_multiplier = 1;
    double renew_multiplier = 1;
    std::vector<Regime> regimes;    // the world's, with the deal's overrides
    std::vector<double> breakeven;  // per project: constant real price, year-0 money
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
