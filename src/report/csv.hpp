// Tidy CSV files of a run, for plotting and for other tools. Lines end in "\n"; a field holding
// a comma, quote, CR or LF is quoted as RFC 4180 says. Numbers are shortest-round-trip doubles
// (full precision); a missing or non-finite number is an empty field.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "analysis/statistics.hpp"
#include "engine/engine.hpp"
#include "scenario/scenario.hpp"

namespace nadra {

// One field, quoted when it must be.
std::string csv_field(std::string_view text);

// deal,year,mean,sd,sem,p5,p25,p50,p75,p95: one row per deal and year (none for a deal whose
// run kept no fund paths).
std::string fund_bands_csv(const RunSummary& summary, int start_year);

// deal,year,cap_reached_probability: one row per deal and year, every deal (0 without a cap).
std::string cap_curve_csv(const RunSummary& summary, int start_year);

// path,deal,METRIC...,cap_year: one row per path and deal, path by path, deals in run order;
// cap_year empty where the cap is not reached.
std::string paths_csv(const Scenario& scenario, const SimulationResult& result);

// One row per year, the columns of CashflowYear, in US dollars.
std::string cashflow_csv(const std::vector<CashflowYear>& years);

}  // namespace nadra
