// One path of the world: its draws, its war and peace, what every asset yields, and each deal's
// ledger on it (MODEL.md 3, 4). The run loop (simulate.cpp) calls these for every path.
#pragma once

#include <algorithm>
#include <cstdint>
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
    std::vector<double> shocks;       // scratch: independent normals of one year
};

void draw_shared(const Plan& plan, const Random& random, std::int64_t path, SharedDraws& out);

// War and access in a world variant.
struct ConflictPath {
    std::vector<char> war;         // [t]
    std::vector<char> accessible;  // [region * horizon + t]
    std::vector<double> access;    // [region * horizon + t]: production factor
};

void simulate_conflict(const Plan& plan, const WorldVariant& variant, const Random& random,
                       std::int64_t path, ConflictPath& out);

// Host government revenue of every asset: [(asset * revenue_item_count + item) * horizon + t].
struct AssetRevenue {
    std::vector<double> items;
    std::vector<double> total;  // [t]: all items of all assets
};

// `record_project` >= 0: also write that project's cash flow into `record`.
void simulate_assets(const Plan& plan, const WorldVariant& variant, const SharedDraws& draws,
                     const ConflictPath& conflict, AssetRevenue& out, int record_project = -1,
                     std::vector<CashflowYear>* record = nullptr);

struct DealOutcome {
    double host_value = 0, partner_value = 0, in_kind_support_npv = 0;
    double host_contributions = 0, host_revenue = 0, host_kept = 0, share_ceded = 0;
    double cap_year = not_reached;
};

// Reused between calls to avoid allocating per path. Holds each scope group's scoped revenue
// (Plan::scope_group) once summed on the current path; begin_path() forgets them.
struct DealScratch {
    std::vector<std::vector<double>> scoped, scoped_occupied;  // [group][t]
    std::vector<char> summed;                                  // [group]
    void begin_path() { std::fill(summed.begin(), summed.end(), 0); }
};

// The deal's fund ledger on this path. `fund_balance` (horizon entries) and `ledger` optional.
DealOutcome run_deal(const Plan& plan, int run_deal_index, const Random& random, std::int64_t path,
                     const SharedDraws& draws, const ConflictPath& conflict,
                     const AssetRevenue& revenue, DealScratch& scratch,
                     double* fund_balance = nullptr, PathLedger* ledger = nullptr);

}  // namespace nadra::engine
