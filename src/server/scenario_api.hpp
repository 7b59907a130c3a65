// GET /api/scenario and the results document a page renders.
#pragma once

#include <string>

#include "report/atomic_write.hpp"
#include "runner/scenario_input.hpp"
#include "server/run_request.hpp"

namespace nadra::server {

// {"scenario", "name", "description", "paths", "seed", "preview_paths", "max_paths",
//  "baseline", "deals": [{"name", "description", "terms": {...}}], "uncertain_inputs": [...],
//  "support_value", "discount_rates"}: the deals' terms as terms.json writes them (the keys a
// `set` names: deals.NAME.KEY), the uncertain inputs as {key, value, low, high}.
std::string scenario_json(const Loaded& loaded, const ServeConfig& config);

// What GET /api/runs/ID carries as "document": the run's results document
// (report/results_document.hpp, docs/results-document.md), which the report's front-end renders.
std::string document_for(const OutputFiles& files);

}  // namespace nadra::server
