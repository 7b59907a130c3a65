#include "report/summary_json.hpp"

#include <cmath>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <utility>

#include "analysis/gains.hpp"
#include "report/fiscal_words.hpp"
#include "report/year_outputs.hpp"

namespace nadra {
namespace {

using nlohmann::ordered_json;

ordered_json number(double value) { return json_number(value); }

// metric_names() fixes the order; the summaries' maps are sorted by name. With input sets
// (MODEL.md 4.3), each metric's share of variance between sets follows its statistics.
ordered_json metrics_json(const std::map<std::string, Stats>& metrics,
                          const std::map<std::string, double>& between_sets_share = {}) {
    ordered_json json = ordered_json::object();
    for (const std::string& name : metric_names()) {
        if (const auto it = metrics.find(name); it != metrics.end()) {
            json[name] = stats_json(it->second);
            if (const auto share = between_sets_share.find(name); share != between_sets_share.end())
                json[name]["between_sets_share"] = number(share->second);
        }
    }
    return json;
}

template <typename T, typename ToJson>
ordered_json by_year(const std::vector<T>& values, int start_year, ToJson to_json) {
    ordered_json json = ordered_json::object();
    for (std::size_t t = 0; t < values.size(); ++t) {
        json[std::to_string(start_year + static_cast<int>(t))] = to_json(values[t]);
    }
    return json;
}

ordered_json deal_json(const DealSummary& deal, int start_year) {
    ordered_json json = ordered_json::object();
    json["name"] = deal.name;
    json["metrics"] = metrics_json(deal.metrics, deal.between_sets_share);
    json["cap_reached_probability_by_year"] =
        by_year(deal.cap_reached_probability, start_year, number);
    json["fund_balance_by_year"] = by_year(deal.fund_balance, start_year, stats_json);
    json["projects"] = ordered_json::array();
    for (const ProjectStarts& project : deal.projects) {
        ordered_json p = ordered_json::object();
        p["name"] = project.name;
        p["started_probability"] = number(project.started_probability);
        p["started_by_year"] = by_year(project.started_by_year, start_year, number);
        p["median_start_year"] = number(project.median_start_year);
        p["co_invested_probability"] = number(project.co_invested_probability);
        json["projects"].push_back(std::move(p));
    }
    add_year_results(json, deal, start_year);  // with per-year results only
    return json;
}

ordered_json difference_json(const DifferenceSummary& difference) {
    ordered_json json = ordered_json::object();
    json["a"] = difference.a;
    json["b"] = difference.b;
    json["metrics"] = metrics_json(difference.metrics, difference.between_sets_share);
    return json;
}

// gain = deal - baseline (analysis/gains.hpp).
ordered_json gain_json(const GainSummary& gain) {
    ordered_json json = ordered_json::object();
    json["deal"] = gain.deal;
    json["baseline"] = gain.baseline;
    json["metrics"] = metrics_json(gain.metrics, gain.between_sets_share);
    return json;
}

ordered_json project_json(const Scenario& scenario, const ProjectFiscal& project) {
    ordered_json json = ordered_json::object();
    json["name"] = scenario.world.projects.at(static_cast<std::size_t>(project.project)).name;
    add_fiscal_measures(json, project);
    return json;
}

}  // namespace

ordered_json json_number(double value) {
    return std::isfinite(value) ? ordered_json(value) : ordered_json(nullptr);
}

ordered_json stats_json(const Stats& stats) {
    // Zeros from summarize() would read as real statistics; null says there were none.
    const auto value = [&](double v) { return stats.count == 0 ? ordered_json() : number(v); };
    ordered_json json = ordered_json::object();
    json["mean"] = value(stats.mean);
    json["sd"] = value(stats.sd);
    json["sem"] = value(stats.sem);
    json["p5"] = value(stats.p5);
    json["p25"] = value(stats.p25);
    json["p50"] = value(stats.p50);
    json["p75"] = value(stats.p75);
    json["p95"] = value(stats.p95);
    json["count"] = stats.count;
    return json;
}

void add_fiscal_measures(ordered_json& json, const ProjectFiscal& project) {
    json["breakeven_price"] = number(project.breakeven_price);
    json["government_take"] = number(project.government_take);
    json["aetr"] = number(project.aetr);
    json["investor_npv"] = number(project.investor_npv);
    json["irr"] = number(project.irr);
    json["pretax_irr"] = number(project.pretax_irr);
    json["payback_year"] = project.payback.year ? ordered_json(*project.payback.year) : nullptr;
    json["effective_royalty_rate"] = number(project.effective_royalty_rate);
    json["metr"] = number(project.metr);
    json["progressivity"] = ordered_json::array();
    for (const Progressivity& p : project.progressivity) {
        json["progressivity"].push_back(ordered_json{{"price_factor", p.price_factor},
                                                     {"government_take", number(p.government_take)},
                                                     {"aetr", number(p.aetr)}});
    }
    // Why a measure is null, and what a take above 100% means, in words for the report.
    json["notes"] = ordered_json::object();
    for (const auto& [key, note] : fiscal_notes(project)) json["notes"][key] = note;
}

ordered_json run_identification(const RunInfo& info) {
    ordered_json json = ordered_json::object();
    json["nadra_version"] = info.nadra_version;
    json["scenario"] = info.scenario;
    json["scenario_sha256"] = info.scenario_sha256;
    json["seed"] = info.seed;
    json["paths"] = info.paths;
    json["start_year"] = info.start_year;
    json["horizon"] = info.horizon;
    return json;
}

std::string summary_json(const RunInfo& info, const Scenario& scenario, const RunSummary& summary,
                         const std::vector<ProjectFiscal>& projects) {
    ordered_json json = run_identification(info);
    json["deals"] = ordered_json::array();
    for (const DealSummary& deal : summary.deals)
        json["deals"].push_back(deal_json(deal, info.start_year));
    json["differences"] = ordered_json::array();
    for (const DifferenceSummary& d : summary.differences)
        json["differences"].push_back(difference_json(d));
    json["gains"] = ordered_json::array();
    for (const GainSummary& g : paired_gains(summary)) json["gains"].push_back(gain_json(g));
    json["projects"] = ordered_json::array();
    for (const ProjectFiscal& p : projects) json["projects"].push_back(project_json(scenario, p));
    if (summary.inputs.sets > 0) {  // input sets (MODEL.md 4.3): how the run sampled its inputs
        json["sample_inputs"] = summary.inputs.sets;
        json["input_patterns"] = summary.inputs.patterns;
        json["sampled_inputs"] = summary.inputs.keys;
        const InputCorrelations& c = summary.inputs.correlations;
        if (!c.reference.empty()) {
            ordered_json rows = ordered_json::array();
            for (const InputCorrelation& r : c.rows) {
                rows.push_back({{"deal", r.deal},
                                {"metric", r.metric},
                                {"input", r.input},
                                {"spearman", number(r.spearman)},
                                {"low", number(r.low)},
                                {"high", number(r.high)}});
            }
            json["input_correlations"] = {{"reference", c.reference},
                                          {"bootstrap", c.bootstrap},
                                          {"confidence", c.confidence},
                                          {"rows", std::move(rows)}};
        }
    }
    // Replace, not throw, on a name that is not UTF-8: the run's results are worth more.
    return json.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace nadra
