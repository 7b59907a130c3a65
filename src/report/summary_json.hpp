// summary.json: a run's statistics, deal by deal, pair by pair, and each project's fiscal
// measures (MODEL.md 5).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/statistics.hpp"
#include "engine/engine.hpp"
#include "report/run_info.hpp"
#include "scenario/scenario.hpp"

namespace nadra {

// The document (docs/summary.schema.json describes every key), indented, keys in the order the
// issue lists them, money in US dollars, years as calendar-year strings. Doubles are written
// shortest-round-trip, so identical results give identical bytes. Never NaN or Infinity: a Stats of
// no values (cap_year when no path reaches the cap) has null for every statistic and "count": 0;
// any non-finite number, such as the infinite breakeven_price of a project that is never economic,
// is null. The run identification summary.json and every analysis file start with: nadra_version,
// scenario, scenario_sha256, seed, paths, start_year, horizon.
nlohmann::ordered_json run_identification(const RunInfo& info);

// A finite number, else null (JSON has no NaN or Infinity).
nlohmann::ordered_json json_number(double value);

// {mean, sd, sem, p5, p25, p50, p75, p95, count}; every statistic null when count is 0.
nlohmann::ordered_json stats_json(const Stats& stats);

// A project's fiscal measures (MODEL.md 5, v1.3) added to `json`, as summary.json's projects[]
// and fiscal.json's regimes[].base have them: breakeven_price, government_take, aetr,
// investor_npv, irr, pretax_irr, payback_year, effective_royalty_rate, metr, progressivity
// ([{price_factor, government_take, aetr}]), null where not defined, and notes (why a measure is
// null, what a take above 100% means, in words: report/fiscal_words.hpp).
void add_fiscal_measures(nlohmann::ordered_json& json, const ProjectFiscal& project);

// `differences`: every pair (a, b) of the run's deals, a - b per path; `gains`: every deal but
// the baseline (no_deal, else the first deal), gain = deal - baseline per path
// (analysis/gains.hpp).
std::string summary_json(const RunInfo& info, const Scenario& scenario, const RunSummary& summary,
                         const std::vector<ProjectFiscal>& projects);

}  // namespace nadra
