// One path of the world: its draws, its war and peace, what every asset yields, and each deal's
// ledger on it (MODEL.md 3, 4). The run loop (simulate.cpp) calls these for every path.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

#include "engine/engine.hpp"
#include "engine/plan.hpp"
#include "engine/project_flows.hpp"
#include "engine/random.hpp"

namespace nadra::engine {

// Draws every deal shares: prices, project draws, fund returns.
struct SharedDraws {
    std::vector<double> price;  // [commodity * horizon + t]
    std::vector<ProjectDraws> projects;
    std::vector<double> fund_return;  // r(t)
    // scratch: [commodity * (horizon - 1) + t], year t's independent normals and correlated
    // shocks; each commodity's ln price
    std::vector<double> independent, shocks, log_price;
    // [stream * horizon + t]: the stream's RoyaltyRule::revenue_factor at its price (0 where the
    // price is at or below 0): the same in every world variant.
    std::vector<double> stream_royalty_factor;
    // The first year of the changed law (MODEL.md 3.6, v1.3); int max when it never changes.
    int law_year = std::numeric_limits<int>::max();
    // scratch: a batch of Philox blocks' first two words, and the normal pairs made of them
    // (as long as the largest batch of the path: a batch uses its first entries)
    std::vector<std::uint64_t> angle_bits, radius_bits;
    std::vector<double> normal_x, normal_y;
};

void draw_shared(const Plan& plan, const Random& random, std::int64_t path, SharedDraws& out);

// War and access in a world variant.
struct ConflictPath {
    std::vector<char> war;            // [t]
    std::vector<char> accessible;     // [region * horizon + t]
    std::vector<double> access;       // [region * horizon + t]: production factor
    std::vector<int> liberated_from;  // scratch: [region], the year an occupied region is free
};

void simulate_conflict(const Plan& plan, const WorldVariant& variant, const Random& random,
                       std::int64_t path, ConflictPath& out);

// Host government revenue of every asset: [(asset * revenue_item_count + item) * horizon + t].
struct AssetRevenue {
    std::vector<double> items;
    std::vector<double> total;  // [t]: all items of all assets
    // Per asset: its items are zero outside years [first_year, end_year), and so are those of
    // its items whose bit (1 << item) is not set in `items_written`. simulate_assets keeps this
    // true and clears only what it wrote on the last call; the sums skip what is zero.
    std::vector<int> first_year, end_year;
    std::vector<std::uint8_t> items_written;
    // In a world with a co-investing fund (MODEL.md 4.1), over the projects it joins: what it
    // owes each year (its part of capex and licence fees, and of operating losses), what it
    // receives (its part of operating gains), its stakes' value at the horizon; and per project
    // whether the fund joined it. Empty (and 0) in other worlds.
    std::vector<double> fund_dues, fund_receipts;  // [t]
    double fund_stakes = 0;
    std::vector<char> co_invested;  // [project]
    // Per project: the year index its construction started, or -1 if it never did.
    std::vector<int> project_start;
};

// `record_project` >= 0: also write that project's cash flow into `record`.
void simulate_assets(const Plan& plan, const WorldVariant& variant, const SharedDraws& draws,
                     const ConflictPath& conflict, AssetRevenue& out, int record_project = -1,
                     std::vector<CashflowYear>* record = nullptr);

// Stream s's years on the path (simulate_assets' items, with its revenue, costs, the profit base
// and what the producer keeps) into `record`, one row per year of the horizon.
void record_stream(const Plan& plan, const SharedDraws& draws, const ConflictPath& conflict, int s,
                   std::vector<CashflowYear>& record);

// simulate_assets for every world variant of the plan, variant v's with conflict[v] into
// out[v]: the same results, but a project whose rows in an earlier variant are its rows here
// (started the same year under the same regimes, its region as open in its years) is copied,
// not stepped again.
void simulate_all_assets(const Plan& plan, const SharedDraws& draws,
                         const std::vector<ConflictPath>& conflict, std::vector<AssetRevenue>& out);

struct DealOutcome {
    double host_value = 0, partner_value = 0, in_kind_support_npv = 0;
    double host_contributions = 0, host_revenue = 0, host_kept = 0, share_ceded = 0;
    double cap_year = not_reached;
    double host_total_value = 0, partner_net_value = 0;  // MODEL.md 4.2
};

// Reused between calls to avoid allocating per path. Holds each scope group's scoped revenue
// (Plan::scope_group) once summed on the current path; begin_path() forgets them. Also holds the
// support continuation uniforms drawn on the path (every deal draws the same one in a year).
struct DealScratch {
    std::vector<std::vector<double>> scoped, scoped_occupied;  // [group][t]
    std::vector<char> summed;                                  // [group]
    // The item rows a scope group sums, with the years [first, end) outside which they are 0.
    struct Row {
        const double* values;
        int first, end;
    };
    std::vector<Row> rows, rows_occupied;
    std::vector<double> zeros;    // [t]: the scoped sums of a deal that takes no share
    std::vector<double> support;  // [t]: the year's uniform, NaN until drawn
    bool support_valid = false;   // `support` holds draws of this path and seed
    std::int64_t support_path = 0;
    std::uint64_t support_seed = 0;
    void begin_path() {
        std::fill(summed.begin(), summed.end(), 0);
        support_valid = false;
    }
};

// The deal's fund ledger on this path. `fund_balance` (horizon entries) and `ledger` optional.
DealOutcome run_deal(const Plan& plan, int run_deal_index, const Random& random, std::int64_t path,
                     const SharedDraws& draws, const ConflictPath& conflict,
                     const AssetRevenue& revenue, DealScratch& scratch,
                     double* fund_balance = nullptr, PathLedger* ledger = nullptr);

}  // namespace nadra::engine
