// A run's per-year and per-asset results (MODEL.md 5 v1.3; RunOptions::keep_years): summary.json's
// deals[].by_year, by_asset and by_commodity, and the tidy by_year.csv and by_asset.csv.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "analysis/statistics.hpp"

namespace nadra {

// Adds "by_year", "by_asset" and "by_commodity" to a deal's object in summary.json, if the run
// has them (nothing otherwise). by_year is {"years": [calendar years], "series": {NAME: {"mean":
// [...], "p5": [...], "p25": [...], "p50": [...], "p75": [...], "p95": [...]}}}, one entry a year;
// a value that is not defined (the cap of a deal without a cap) is null.
void add_year_results(nlohmann::ordered_json& deal_json, const DealSummary& deal, int start_year);

// deal,year,series,mean,p5,p25,p50,p75,p95: one row per deal, series and year (in that order);
// empty fields where not defined. Only a header without per-year results.
std::string by_year_csv(const RunSummary& summary, int start_year);

// deal,asset,kind,commodity,contributions,contributions_npv,share: one row per deal and asset
// (projects, then streams); share empty where the deal's mean contributions are 0.
std::string by_asset_csv(const RunSummary& summary);

}  // namespace nadra
