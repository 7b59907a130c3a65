#include "report/fiscal_outputs.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <vector>

#include "report/fiscal_words.hpp"
#include "report/summary_json.hpp"
#include "report/table.hpp"

namespace nadra {
namespace {

using nlohmann::ordered_json;

// Points of the progressivity scatter kept per regime: enough to see its shape, few enough to
// keep the file small (every k-th path, k fixed by the path count, the same paths per regime).
constexpr std::size_t scatter_points = 1000;

ordered_json base_json(const ProjectFiscal& f) {
    ordered_json json = ordered_json::object();
    json["state_revenue_npv"] = json_number(f.state_revenue_npv);
    add_fiscal_measures(json, f);
    return json;
}

// (mean real price, AETR) of the paths where the project started and the AETR is defined.
ordered_json scatter_json(const RegimeOutcome& r) {
    ordered_json points = ordered_json::array();
    const std::size_t step = std::max<std::size_t>(1, r.aetr.size() / scatter_points);
    for (std::size_t i = 0; i < r.aetr.size(); i += step) {
        if (!r.started[i] || !std::isfinite(r.aetr[i])) continue;
        points.push_back(ordered_json::array({r.mean_real_price[i], r.aetr[i]}));
    }
    return points;
}

std::string csv_number(double value) {
    return std::isfinite(value) ? fmt::format("{}", value) : std::string();
}

std::string percent(double ratio) {
    return std::isfinite(ratio) ? fixed_digits(100 * ratio, 1) + "%" : "n/d";
}

std::string bn(double usd) { return fixed_digits(usd / 1e9, 3); }

}  // namespace

OutputFiles fiscal_outputs(const RunInfo& info, const FiscalComparison& result) {
    ordered_json json = run_identification(info);
    json["analysis"] = "fiscal";
    if (!info.command.empty()) json["command"] = info.command;
    json["project"] = result.project;
    json["commodity"] = result.commodity;
    json["unit"] = result.unit;
    json["price_level"] = json_number(result.price_level);
    json["investor_rate"] = result.investor_rate;
    json["host_rate"] = result.host_rate;
    json["regimes"] = ordered_json::array();
    for (const RegimeOutcome& r : result.regimes) {
        ordered_json item = ordered_json::object();
        item["name"] = r.regime;
        item["base"] = base_json(r.base);
        item["started_probability"] = json_number(r.started_probability);
        item["state_npv"] = stats_json(r.state_npv_stats);
        item["investor_npv"] = stats_json(r.investor_npv_stats);
        item["government_take"] = stats_json(r.take_stats);
        item["aetr"] = stats_json(r.aetr_stats);
        item["aetr_by_mean_real_price"] = scatter_json(r);
        json["regimes"].push_back(std::move(item));
    }
    json["differences"] = ordered_json::array();
    for (const RegimeDifference& d : result.differences) {
        json["differences"].push_back(ordered_json{{"a", d.a},
                                                   {"b", d.b},
                                                   {"state_npv", stats_json(d.state_npv)},
                                                   {"investor_npv", stats_json(d.investor_npv)}});
    }
    std::string csv =
        "regime,breakeven_price,government_take,aetr,investor_npv,state_revenue_npv,irr,"
        "pretax_irr,payback_year,effective_royalty_rate,metr,started_probability,state_npv_mean,"
        "state_npv_p5,state_npv_p95,investor_npv_mean,investor_npv_p5,investor_npv_p95,"
        "government_take_p50,aetr_mean,aetr_p5,aetr_p50,aetr_p95,state_npv_diff_mean,"
        "state_npv_diff_sem,investor_npv_diff_mean,investor_npv_diff_sem\n";
    for (std::size_t k = 0; k < result.regimes.size(); ++k) {
        const RegimeOutcome& r = result.regimes[k];
        const ProjectFiscal& f = r.base;
        const RegimeDifference* d = k > 0 ? &result.differences[k - 1] : nullptr;
        const std::vector<std::string> fields{
            r.regime,
            csv_number(f.breakeven_price),
            csv_number(f.government_take),
            csv_number(f.aetr),
            csv_number(f.investor_npv),
            csv_number(f.state_revenue_npv),
            csv_number(f.irr),
            csv_number(f.pretax_irr),
            f.payback.year ? std::to_string(*f.payback.year) : "",
            csv_number(f.effective_royalty_rate),
            csv_number(f.metr),
            csv_number(r.started_probability),
            csv_number(r.state_npv_stats.mean),
            csv_number(r.state_npv_stats.p5),
            csv_number(r.state_npv_stats.p95),
            csv_number(r.investor_npv_stats.mean),
            csv_number(r.investor_npv_stats.p5),
            csv_number(r.investor_npv_stats.p95),
            r.take_stats.count ? csv_number(r.take_stats.p50) : "",
            r.aetr_stats.count ? csv_number(r.aetr_stats.mean) : "",
            r.aetr_stats.count ? csv_number(r.aetr_stats.p5) : "",
            r.aetr_stats.count ? csv_number(r.aetr_stats.p50) : "",
            r.aetr_stats.count ? csv_number(r.aetr_stats.p95) : "",
            d ? csv_number(d->state_npv.mean) : "0",
            d ? csv_number(d->state_npv.sem) : "0",
            d ? csv_number(d->investor_npv.mean) : "0",
            d ? csv_number(d->investor_npv.sem) : "0"};
        for (std::size_t i = 0; i < fields.size(); ++i) csv += (i ? "," : "") + fields[i];
        csv += "\n";
    }
    return {
        {"fiscal.json", json.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n"},
        {"fiscal.csv", csv}};
}

std::string fiscal_table(const FiscalComparison& result) {
    std::string out = fmt::format(
        "{} ({}) under each regime: base case (base inputs, base price path), then over paths "
        "(NPVs in $ bn: state at {}, investor at {}; take and AETR where it starts; d: paired "
        "differences from the first regime)\n",
        result.project, result.commodity, percent(result.host_rate), percent(result.investor_rate));
    std::vector<std::vector<std::string>> rows{
        {"regime", "breakeven", "take", "AETR", "METR", "eff.roy", "IRR", "inv.NPV", "state NPV",
         "P(start)", "mean state", "mean inv.", "AETR p5-p95", "d state", "d investor"}};
    for (std::size_t k = 0; k < result.regimes.size(); ++k) {
        const RegimeOutcome& r = result.regimes[k];
        const ProjectFiscal& f = r.base;
        const RegimeDifference* d = k > 0 ? &result.differences[k - 1] : nullptr;
        rows.push_back(
            {r.regime, fixed_digits(f.breakeven_price, 0), percent(f.government_take),
             percent(f.aetr), percent(f.metr), percent(f.effective_royalty_rate), percent(f.irr),
             bn(f.investor_npv), bn(f.state_revenue_npv), percent(r.started_probability),
             bn(r.state_npv_stats.mean), bn(r.investor_npv_stats.mean),
             r.aetr_stats.count ? percent(r.aetr_stats.p5) + "-" + percent(r.aetr_stats.p95)
                                : "n/d",
             d ? bn(d->state_npv.mean) + " ± " + bn(d->state_npv.sem) : "(reference)",
             d ? bn(d->investor_npv.mean) + " ± " + bn(d->investor_npv.sem) : ""});
    }
    out += aligned_columns(rows);
    out +=
        "d state, d investor: the paired difference from the first regime on the same paths "
        "(mean ± standard error); n/d: not defined (fiscal.json's notes say why)\n";
    for (const RegimeOutcome& r : result.regimes) {
        for (const auto& [key, note] : fiscal_notes(r.base)) {
            out += fmt::format("  {}: {}: {}\n", r.regime, key, note);
        }
    }
    return out;
}

}  // namespace nadra
