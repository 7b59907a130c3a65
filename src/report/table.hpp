// Tables for the terminal: aligned columns, rounded for reading (the files keep full precision).
#pragma once

#include <string>
#include <vector>

#include "analysis/statistics.hpp"
#include "engine/engine.hpp"
#include "report/run_info.hpp"

namespace nadra {

// Rounded to `digits` decimals; "-" for a number that is not finite, and no "-0.0".
std::string fixed_digits(double value, int digits);

// Rounded for reading: one decimal, or two significant figures below 1 in size (0.15, 0.012).
std::string readable_digits(double value);

// Rows as aligned columns: the first left-aligned, the others right-aligned, two spaces apart.
std::string aligned_columns(const std::vector<std::vector<std::string>>& rows);

// The discount rates of each side's values (World::host_discount_rate, partner_discount_rate).
struct DiscountRates {
    double host = 0, partner = 0;
};

// One row per deal: means of host value, partner value and host contributions in $ bn, the
// probability that the cap is reached by the horizon, and the median cap year over the paths
// that reach it ("-" when none does); with more than one deal, each deal's paired host and
// partner gain over the baseline (gain = deal - baseline, analysis/gains.hpp) with its standard
// error. Then lines naming the columns, the discount rates, and paths, seed and horizon.
std::string run_table(const RunInfo& info, const RunSummary& summary, const DiscountRates& rates);

// A year's AssetState for reading: "waiting for licence", "shut in", ...
std::string asset_state_label(AssetState state);

// What a cash-flow table shows beside the years: a stream's columns (no capex, licence fee,
// cost recovery, profit share or depreciation; the profit base as taxable income, what the
// producer keeps as the investor's cash flow), and a deal column when `deal_header` is set.
struct CashflowColumns {
    bool stream = false;
    std::string deal_header;
    std::vector<double> deal;  // per year, as the years
};

// One row per year of an asset's cash flow: war or peace, the region's access, the asset's
// state, production, price, and money in $ m.
std::string cashflow_table(const std::vector<CashflowYear>& years,
                           const CashflowColumns& columns = {});

struct CashflowFootInfo {
    double investor_rate = 0, host_rate = 0;
    int last_year = 0;  // the table's last calendar year
};
// The foot of the table: investor NPV, IRRs, payback, take, AETR, state revenue NPV; "not
// defined" where MODEL.md 5 says so.
std::string cashflow_foot(const CashflowMeasures& measures, const CashflowFootInfo& info);
// A project's base-case breakeven, METR and progressivity (MODEL.md 5, v1.3), for the foot of
// its base cash flow; `unit` is the commodity's price unit.
std::string fiscal_indicator_lines(const ProjectFiscal& f, const std::string& unit);

// With input sets (MODEL.md 4.3), printed under run_table: one line per deal saying how much of
// the spread of host and partner value lies between input sets (judgement) rather than within
// them (chance). Empty without input sets.
std::string judgement_lines(const RunSummary& summary);

}  // namespace nadra
