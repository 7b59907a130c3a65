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

// A project's progressivity (MODEL.md 5, v1.3): [{price_factor, government_take, aetr}], null
// where a ratio is not defined.
nlohmann::ordered_json progressivity_json(const std::vector<Progressivity>& points);

// `differences`: every pair (a, b) of the run's deals, a - b per path; `gains`: every deal but
// the baseline (no_deal, else the first deal), gain = deal - baseline per path
// (analysis/gains.hpp).
std::string summary_json(const RunInfo& info, const Scenario& scenario, const RunSummary& summary,
                         const std::vector<ProjectFiscal>& projects);

}  // namespace nadra
