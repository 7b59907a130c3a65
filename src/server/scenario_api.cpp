#include "server/scenario_api.hpp"

#include <nlohmann/json.hpp>
#include <numeric>
#include <vector>

#include "report/html_report.hpp"
#include "report/results_document.hpp"
#include "report/terms_json.hpp"

namespace nadra::server {

using nlohmann::ordered_json;

std::string scenario_json(const Loaded& loaded, const ServeConfig& config) {
    const Scenario& scenario = loaded.scenario;
    std::vector<int> all(scenario.deals.size());
    std::iota(all.begin(), all.end(), 0);
    const ordered_json terms = ordered_json::parse(terms_json(scenario, all));
    ordered_json json = ordered_json::object();
    json["scenario"] = loaded.label;
    json["name"] = scenario.name;
    json["description"] = scenario.description;
    json["start_year"] = scenario.start_year;
    json["horizon"] = scenario.horizon;
    json["paths"] = default_run_paths(scenario, config);
    json["seed"] = scenario.seed.value_or(default_seed);
    json["sample_inputs"] = scenario.sample_inputs.value_or(0);
    json["preview_paths"] = std::min(preview_paths, config.max_paths);
    json["max_paths"] = config.max_paths;
    // The deal each side's value is measured against (summary.json's gains).
    std::string baseline = scenario.deals.empty() ? "" : scenario.deals.front().name;
    for (const Deal& deal : scenario.deals)
        if (deal.name == "no_deal") baseline = deal.name;
    json["baseline"] = baseline;
    json["deals"] = ordered_json::array();
    for (const ordered_json& deal : terms["deals"]) {
        ordered_json entry = {{"name", deal["name"]}, {"description", deal["description"]}};
        ordered_json only_terms = deal;
        only_terms.erase("name");
        only_terms.erase("description");
        entry["terms"] = only_terms;
        json["deals"].push_back(entry);
    }
    json["uncertain_inputs"] = ordered_json::array();
    for (const UncertainInput& input : scenario.uncertain_inputs)
        json["uncertain_inputs"].push_back(
            {{"key", input.key}, {"value", input.value}, {"low", input.low}, {"high", input.high}});
    json["support_value"] = terms["support_value"];
    json["discount_rates"] = terms["discount_rates"];
    return json.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string document_for(const OutputFiles& files) {
    // The results document the report renders (docs/results-document.md), so that the live page
    // draws with the report's own code.
    return results_document(files, utc_now())
        .dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace nadra::server
