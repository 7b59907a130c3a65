// A deal's per-year series and per-asset contributions on one path (RunOptions::keep_years),
// from its ledger (MODEL.md 5 and 7, v1.3). Computed beside run_deal, not in it: a run without
// them pays nothing.
#pragma once

#include <vector>

#include "engine/engine.hpp"
#include "engine/path.hpp"
#include "engine/plan.hpp"

namespace nadra::engine {

// Reused between calls to avoid allocating per path.
struct DealYearsScratch {
    PathLedger ledger;
    // An asset with items in the deal's scope on the path: its item rows, the years they may
    // be nonzero in [first, end), and the share that applies to it.
    struct Asset {
        int index = 0, first = 0, end = 0, row_count = 0;
        double share = 0;
        const double* rows[revenue_item_count] = {};
    };
    std::vector<Asset> assets;
    std::vector<double> weight;  // [t]: the assets' weights summed (the year's due)
    // [t]: the year's contribution per unit of weight, and the same discounted
    std::vector<double> per_weight, per_weight_npv;
};

// Run deal k's years on `ledger` (run_deal's) into `years` (year_series_count * horizon values,
// [s * horizon + t]) and, per asset, the contributions that come from it into `contributions`
// and their NPV at the host's rate into `contributions_npv` (asset_count values each): a year's
// contributions, capped or not, split over the assets in proportion to their scoped revenue
// times the share that applies to each (`share`, or `share_liberated` for an asset in a region
// occupied at signing).
void record_deal_years(const Plan& plan, int k, const AssetRevenue& revenue,
                       const PathLedger& ledger, DealYearsScratch& scratch, double* years,
                       double* contributions, double* contributions_npv);

// Per year (horizon values into `contributions`), the part of deal k's contributions on the path
// that comes from asset `asset`: record_deal_years' split, year by year (its years sum to that
// asset's contributions there).
void asset_contribution_years(const Plan& plan, int k, const AssetRevenue& revenue,
                              const PathLedger& ledger, int asset, DealYearsScratch& scratch,
                              double* contributions);

}  // namespace nadra::engine
