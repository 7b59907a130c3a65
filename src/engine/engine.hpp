// The simulation engine (MODEL.md 2-5): takes a validated Scenario, samples paths of the world,
// runs every deal on the same paths, returns per-path results. No files, no terminal, no
// threads visible to the caller beyond RunOptions::threads.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <vector>

#include "scenario/scenario.hpp"

namespace nadra {

struct RunOptions {
    std::uint64_t seed = 1;
    std::int64_t paths = 10'000;
    int threads = 0;              // 0: all cores
    std::vector<int> deals;       // indices into Scenario::deals; empty: all, in scenario order
    bool keep_fund_paths = true;  // keep every path's fund balance per year (for bands)
    // Keep every path's per-year series and per-asset contributions (DealPaths::years,
    // asset_contributions): `nadra run`'s by-year and by-asset results. Off, nothing is paid.
    bool keep_years = false;
    // Input sets (MODEL.md 4.3): with K > 0 of them, path p runs on input_sets[p mod K], each a
    // scenario of the same structure (entities, horizon, deals) whose uncertain inputs were drawn
    // by the caller; a path's own draws are those of its index, whatever K. Empty: every path on
    // the scenario given. The scenarios must outlive the run.
    std::vector<const Scenario*> input_sets;
};

// Called as paths complete, possibly from several threads at once (it must be thread-safe).
// Returning false cancels the run; simulate() then throws Cancelled.
using Progress = std::function<bool(std::int64_t paths_done, std::int64_t paths_total)>;

struct Cancelled {};

inline constexpr double not_reached = std::numeric_limits<double>::quiet_NaN();

// Per-path outcomes of one deal; every vector has one entry per path, in path order.
struct DealPaths {
    int deal = 0;  // index into Scenario::deals
    std::vector<double> host_value;
    std::vector<double> partner_value;
    std::vector<double> in_kind_support_npv;
    std::vector<double> host_contributions;
    std::vector<double> host_revenue;
    std::vector<double> host_kept;
    std::vector<double> share_ceded;
    std::vector<double> cap_year;  // calendar year the cap was first reached, or not_reached
    // With support valued (MODEL.md 4.2): host_value + host.support_value x the NPV at the
    // host's rate of in-kind support; partner_value - partner.support_cost x in_kind_support_npv.
    std::vector<double> host_total_value;
    std::vector<double> partner_net_value;
    // Fund balance at the end of each year after distributions, path-major: [path * horizon + t].
    // The last year's balance is before the terminal payout. Empty unless keep_fund_paths.
    std::vector<double> fund_balance;
    // Per path and project, path-major: [path * projects + j]. The year index in which the
    // project started construction in the deal's world, -1 if it never did; and 1 where it
    // started co-invested by the deal's fund (MODEL.md 4.1), else 0.
    int projects = 0;
    std::vector<std::int16_t> project_start;
    std::vector<char> project_co_invested;
    // With RunOptions::keep_years: each YearSeries, [(path * year_series_count + s) * horizon + t];
    // and per asset (projects, then streams) the contributions that come from it, undiscounted
    // and as NPV at the host's rate, [path * assets + a] (MODEL.md 5, 7 v1.3). Empty otherwise.
    std::vector<double> years;
    std::vector<double> asset_contributions, asset_contributions_npv;
};

// The per-year series of a deal on a path (RunOptions::keep_years), in DealPaths::years' order:
// all host revenue, the scoped part, contributions and their running sum, the cap in force (+inf
// without a cap), distributions to each party, and a co-investing fund's payments, receipts and
// unpaid dues (MODEL.md 4.1; zeros for other deals). The fund balance is DealPaths::fund_balance.
enum class YearSeries {
    host_revenue,
    scoped_revenue,
    contributions,
    cumulative_contributions,
    cap,
    distributions_to_host,
    distributions_to_partner,
    co_invest_paid,
    co_invest_receipts,
    co_invest_unpaid,
};
inline constexpr int year_series_count = 10;

struct SimulationResult {
    std::int64_t paths = 0;
    int horizon = 0;
    std::vector<DealPaths> deals;  // in the order of RunOptions::deals
};

SimulationResult simulate(const Scenario& scenario, const RunOptions& options,
                          const Progress& progress = {});

// The same paths, handed over a block at a time so that nothing need hold every path: `block`
// holds paths [first_path, first_path + block.paths) (path i of the run at index i - first_path).
// Called once per block, in path order, never two at once, on whichever thread; blocks are
// simulated side by side meanwhile, at most a few per thread held at a time. An exception from
// the consumer stops the run and is rethrown. Progress counts consumed paths.
using BlockConsumer = std::function<void(const SimulationResult& block, std::int64_t first_path)>;

// Which blocks a process simulates when several share a run (an MPI job, analysis/workers.hpp):
// those whose index is `part` mod `parts`, handed over in order. A block's paths and draws are
// those of its index whoever runs it, so the blocks are the same as one process's.
struct BlockShare {
    int part = 0;
    int parts = 1;
};

void simulate_blocks(const Scenario& scenario, const RunOptions& options, std::int64_t block_paths,
                     const BlockConsumer& consume, const Progress& progress = {},
                     const BlockShare& share = {});

// Roughly what a run holds at its peak, in bytes: `fixed` (every thread's working space) plus
// `per_path` for each path (every deal's results, the analysis's working copies). For refusing a
// run that would not fit in memory before starting it.
struct RunMemory {
    std::uint64_t fixed = 0;
    std::uint64_t per_path = 0;
    [[nodiscard]] std::uint64_t total(std::int64_t paths) const {
        return fixed + per_path * static_cast<std::uint64_t>(paths);
    }
};
RunMemory estimate_run_memory(const Scenario& scenario, const RunOptions& options);
// What one input set adds (RunOptions::input_sets, MODEL.md 4.3): its scenario and its plan, at
// most (the built-in scenario's measure about 0.2 MiB a set; this says about twice that).
std::uint64_t estimate_input_set_bytes(const Scenario& scenario, const RunOptions& options);
// The same for simulate_blocks: its working space and the blocks it holds at once, all fixed.
RunMemory estimate_block_memory(const Scenario& scenario, const RunOptions& options,
                                std::int64_t block_paths);

// One deal's ledger on one path, year by year: for tests and for reading a single future.
struct LedgerYear {
    double host_revenue = 0;    // all host government revenue from the subsoil
    double scoped_revenue = 0;  // the part the deal's scope selects
    double contribution = 0;
    double partner_cash = 0;
    double partner_in_kind = 0;
    double fund_return = 0;  // F(t) * r(t)
    double distribution = 0;
    double to_host = 0;
    double to_partner = 0;
    double fund_balance = 0;  // F(t+1)
    double cap = 0;           // cap in force this year (grown), +inf without a cap
    bool war = false;
    // With a co-investing fund (MODEL.md 4.1): its receipts, what it paid of what it owed, and
    // what it still owes at the year's end (before the investor's interest).
    double co_invest_receipts = 0;
    double co_invest_paid = 0;
    double co_invest_unpaid = 0;
};

struct PathLedger {
    std::vector<LedgerYear> years;
    double terminal_to_host = 0;
    double terminal_to_partner = 0;
    double co_invest_stakes = 0;  // the fund's stakes' value at the horizon (MODEL.md 4.1)
};

PathLedger ledger_for_path(const Scenario& scenario, int deal, std::uint64_t seed,
                           std::int64_t path);

struct Payback {
    bool defined = false;     // the investor's cumulative cash flow was negative at some point
    std::optional<int> year;  // the first calendar year it is >= 0 again; none: not by the end
};

// Government take and AETR on a constant real price of `price_factor` times the commodity's
// level (MODEL.md 5, v1.3: progressivity); NaN where not defined.
struct Progressivity {
    double price_factor = 0;
    double government_take = 0, aetr = 0;
};

// Why a METR is not defined (MODEL.md 5), or `defined`.
enum class MetrGap {
    defined,
    breakeven_zero,      // the investor's NPV is positive at every price
    breakeven_infinite,  // and at none
    no_construction,     // lead time 0: no construction years to earn a return on
    pretax_irr_undefined,
    pretax_irr_not_positive,  // real pre-tax IRR at the breakeven <= 0
};

// Fiscal measures of one project on base inputs and the base price path (MODEL.md 5, 7), under
// its regime or another one. NaN where MODEL.md says "not defined".
struct ProjectFiscal {
    int project = 0;
    double breakeven_price = 0;  // constant real price, year-0 money; +inf if never economic
    double government_take = 0;
    double aetr = 0;
    // (v1.3) The investor's NPV at its rate, its IRR, the pre-tax IRR (of R - opex - capex), the
    // payback, the effective royalty rate (the smallest yearly state revenue over R), the METR
    // (real terms, at the breakeven) and progressivity at 0.5-2 times the commodity's level.
    double investor_npv = 0;
    double irr = 0, pretax_irr = 0;
    Payback payback;
    double effective_royalty_rate = 0;
    double metr = 0;
    MetrGap metr_gap = MetrGap::defined;
    std::vector<Progressivity> progressivity;
    double state_revenue_npv = 0;  // at the host's rate (what `nadra fiscal` compares)
};

// The price factors of progressivity (MODEL.md 5, v1.3).
inline constexpr double progressivity_factors[] = {0.5, 0.75, 1.0, 1.25, 1.5, 2.0};

std::vector<ProjectFiscal> project_fiscal_summaries(const Scenario& scenario);
// Project `project`'s measures under `regime` (a world regime or any other) at the no-guarantee
// investor rate.
ProjectFiscal project_fiscal(const Scenario& scenario, int project, const Regime& regime);

// What an asset is doing in a year, so that a row of zeros explains itself (`nadra cashflow`).
// A project before its start: not viable (its viability draw failed), waiting for its licence
// year, for access (its region inaccessible, or at war where the investor does not invest), or
// for the price (below its breakeven); then constructing, producing, shut in (MODEL.md 3.3), no
// access (a started project's region inaccessible: construction paused or nothing produced) and
// exhausted (its reserve produced). A stream is producing or without access.
enum class AssetState : std::uint8_t {
    producing,
    not_viable,
    waiting_licence,
    waiting_access,
    waiting_price,
    constructing,
    shut_in,
    no_access,
    exhausted,
};

// The year-by-year cash flow of one project (FARI-style), or of a stream: its volume as
// production, its unit cost as opex, its profit base (volume x (price x realisation - unit cost)
// - royalty, at least 0) as taxable income, its income-tax and dividend takes, and what the
// producer keeps as the investor's cash flow.
struct CashflowYear {
    int year = 0;  // calendar year
    double production = 0, price = 0, revenue = 0, opex = 0, capex = 0, licence_fee = 0;
    double royalty = 0, cost_recovered = 0, profit_share = 0, depreciation = 0;
    double taxable_income = 0, income_tax = 0, dividend = 0, investor_cash_flow = 0;
    double state_revenue = 0;
    double rent_tax = 0;  // MODEL.md 3.6 (v1.3); in state_revenue
    // Shut in this year (MODEL.md 3.3): no output, opex the shut-in cost. On a constant real
    // price, also every year after the one that ended the project's life.
    bool shut_in = false;
    // Filled by project_cashflow and asset_cashflow only: the year at war, the region's
    // production factor (MODEL.md 3.3: 0 inaccessible, 1 - war_disruption for a free region at
    // war, else 1), and the asset's state.
    bool war = false;
    double access = 1;
    AssetState state = AssetState::producing;
};

struct CashflowOptions {
    bool base = true;        // base inputs, base price path, construction at licence_year
    std::uint64_t seed = 1;  // with base = false: this path of this seed
    std::int64_t path = 0;
    int deal = -1;  // world as this deal changes it; -1: the world without a deal
};

std::vector<CashflowYear> project_cashflow(const Scenario& scenario, int project,
                                           const CashflowOptions& options);

// One asset's cash flow (projects, then streams: asset = projects + stream index) with what the
// foot of its table needs. The base view of a stream is its years of the horizon at peace with
// access, on the base price path.
struct AssetCashflow {
    bool stream = false;
    std::vector<CashflowYear> years;
    double investor_rate = 0;  // hurdle + premium, the premium lowered by the deal's guarantee
    double host_rate = 0;
    // With options.deal >= 0, one entry per year: on a path, the asset's contributions to the
    // deal's fund, the year's contributions split over assets in proportion to their scoped
    // revenue times the share that applies (MODEL.md 5, 7 v1.3); on the base view, where there
    // is no fund, the asset's scoped revenue times that share in the deal's term, no cap.
    // Empty without a deal.
    std::vector<double> deal_column;
};

AssetCashflow asset_cashflow(const Scenario& scenario, int asset, const CashflowOptions& options);

// The measures at the foot of a cash-flow table (MODEL.md 5), over its years; NaN where MODEL.md
// says "not defined". Year t (calendar year start_year + t) is discounted by (1 + r)^-(t+1).
struct CashflowMeasures {
    double investor_npv = 0;         // at the investor's rate
    double irr = 0, pretax_irr = 0;  // of the investor's flow, and of R - opex - capex
    Payback payback;
    double government_take = 0, aetr = 0;
    double state_revenue_npv = 0;       // at the host's rate
    double effective_royalty_rate = 0;  // the smallest yearly state revenue over R (R > 0)
};

// The rate in (-1, 10] at which the NPV of `flows` (year t discounted by (1 + r)^-(t+1))
// changes sign, for a flow that starts negative (its first nonzero entry) and changes sign
// exactly once; NaN otherwise.
double internal_rate_of_return(const std::vector<double>& flows);
// NPV at `rate` of each year's `flow(y)`.
double cashflow_npv(const std::vector<CashflowYear>& years, int start_year, double rate,
                    double (*flow)(const CashflowYear&));
Payback payback(const std::vector<CashflowYear>& years);
// Undiscounted state revenue over undiscounted R - opex - capex (the licence fee counted as
// state revenue and not deducted, MODEL.md 7); the same ratio of NPVs at the host's rate.
double government_take(const std::vector<CashflowYear>& years);
double aetr(const std::vector<CashflowYear>& years, int start_year, double host_rate);
// The smallest yearly ratio of state revenue to R over the years with R > 0; NaN without one.
double effective_royalty_rate(const std::vector<CashflowYear>& years);
CashflowMeasures cashflow_measures(const std::vector<CashflowYear>& years, int start_year,
                                   double investor_rate, double host_rate);

}  // namespace nadra
