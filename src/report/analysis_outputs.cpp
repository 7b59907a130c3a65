#include "report/analysis_outputs.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "report/csv.hpp"
#include "report/summary_json.hpp"
#include "report/table.hpp"

namespace nadra {
namespace {

using nlohmann::ordered_json;
using Row = std::vector<std::string>;

ordered_json number(double value) {
    return std::isfinite(value) ? ordered_json(value) : ordered_json(nullptr);
}

ordered_json number(const std::optional<double>& value) {
    return value ? number(*value) : ordered_json(nullptr);
}

ordered_json estimate_json(const Estimate& e) {
    return ordered_json{{"mean", number(e.mean)}, {"se", number(e.se)}};
}

// The run identification every analysis file starts with (as summary.json's first keys).
ordered_json header_json(const RunInfo& info, const char* analysis) {
    ordered_json json = run_identification(info);
    json["analysis"] = analysis;
    if (!info.command.empty()) json["command"] = info.command;
    if (info.sample_inputs > 0) {
        json["sample_inputs"] = info.sample_inputs;
        json["sampled_inputs"] = info.sampled_inputs;
    }
    return json;
}

std::string dumped(const ordered_json& json) {
    return json.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

// A CSV number field: shortest round trip; empty when not finite.
std::string csv_number(double value) {
    return std::isfinite(value) ? fmt::format("{}", value) : std::string();
}

std::string csv_number(const std::optional<double>& value) {
    return value ? csv_number(*value) : std::string();
}

std::string csv_line(const Row& fields) {
    std::string line;
    for (std::size_t i = 0; i < fields.size(); ++i) line.append(i ? "," : "").append(fields[i]);
    return line + "\n";
}

std::string bn(double usd) { return fixed_digits(usd / 1e9, 2); }

// "1.23 ± 0.04" in $ bn.
std::string bn_with_se(const Estimate& e) { return bn(e.mean) + " ± " + bn(e.se); }

std::string percent(double fraction) { return fixed_digits(100 * fraction, 1) + "%"; }

ordered_json outputs_json(const OutputEstimates& estimates) {
    ordered_json json = ordered_json::object();
    for (Output o : all_outputs())
        json[std::string(output_name(o))] = estimate_json(estimates.at(o));
    return json;
}

ordered_json inputs_json(const Factor& factor) {
    ordered_json list = ordered_json::array();
    for (const UncertainInput& input : factor.inputs) {
        ordered_json item = {{"key", input.key}};
        if (!input.label.empty()) item["label"] = input.label;
        item["value"] = number(input.value);
        item["low"] = number(input.low);
        item["high"] = number(input.high);
        list.push_back(std::move(item));
    }
    return list;
}

// An output's value for people: money in $ bn, a year, or a probability.
std::string output_text(Output output, double value) {
    switch (output) {
        case Output::cap_year:
            return fixed_digits(value, 1);
        case Output::cap_probability:
            return percent(value);
        default:
            return bn(value);
    }
}

// An input's value for people: 22000 rather than 2.2e+04, 0.035 as it is.
std::string input_text(double value) {
    return std::abs(value) >= 1000 && std::abs(value) < 1e15 ? fmt::format("{:.0f}", value)
                                                             : fmt::format("{:.4g}", value);
}

std::string output_unit(Output output) {
    switch (output) {
        case Output::cap_year:
            return "years";
        case Output::cap_probability:
            return "share of paths";
        default:
            return "$ bn";
    }
}

}  // namespace

OutputFiles sweep_outputs(const RunInfo& info, const SweepResult& result) {
    ordered_json json = header_json(info, "sweep");
    std::string joined;
    for (const std::string& d : result.deals) joined += (joined.empty() ? "" : ",") + d;
    json["deal"] = joined;
    json["deals"] = result.deals;
    json["baseline"] = result.baseline;
    // The basis the frontier, the zone and the Nash point are drawn on (MODEL.md 4.2).
    json["value"] = std::string(basis_name(result.basis));
    json["axes"] = ordered_json::array();
    for (const SweepAxis& axis : result.axes) {
        json["axes"].push_back(ordered_json{{"key", axis.key}, {"values", axis.values}});
    }
    json["baseline_value"] =
        ordered_json{{"host", estimate_json(result.baseline_host)},
                     {"partner", estimate_json(result.baseline_partner)},
                     {"host_total", estimate_json(result.baseline_host_total)},
                     {"partner_net", estimate_json(result.baseline_partner_net)}};
    json["variants"] = ordered_json::array();
    ordered_json frontier = ordered_json::array(), zone = ordered_json::array();
    ordered_json nash = nullptr;

    std::string csv = "variant,deal";
    for (const SweepAxis& axis : result.axes) csv.append(",").append(csv_field(axis.key));
    csv +=
        ",host_value,host_value_se,partner_value,partner_value_se,host_gain,host_gain_se,"
        "partner_gain,partner_gain_se,cap_probability,on_frontier,in_zone,"
        "host_total_value,host_total_value_se,partner_net_value,partner_net_value_se,"
        "host_total_gain,host_total_gain_se,partner_net_gain,partner_net_gain_se,nash,value\n";
    const std::string basis(basis_name(result.basis));
    for (const SweepVariant& v : result.variants) {
        const std::string& name = v.name;
        ordered_json settings = ordered_json::object();
        for (const Setting& s : v.settings) settings[s.key] = s.value;
        json["variants"].push_back(
            ordered_json{{"name", name},
                         {"deal", v.deal},
                         {"settings", settings},
                         {"host_value", estimate_json(v.host)},
                         {"partner_value", estimate_json(v.partner)},
                         {"host_gain", estimate_json(v.host_gain)},
                         {"partner_gain", estimate_json(v.partner_gain)},
                         {"host_total_value", estimate_json(v.host_total)},
                         {"partner_net_value", estimate_json(v.partner_net)},
                         {"host_total_gain", estimate_json(v.host_total_gain)},
                         {"partner_net_gain", estimate_json(v.partner_net_gain)},
                         {"cap_probability", number(v.cap_probability)},
                         {"on_frontier", v.on_frontier},
                         {"in_zone", v.in_zone},
                         {"nash", v.nash}});
        if (v.on_frontier) frontier.push_back(name);
        if (v.in_zone) zone.push_back(name);
        if (v.nash) nash = name;
        Row row{csv_field(name), csv_field(v.deal)};
        for (const Setting& s : v.settings) row.push_back(csv_field(s.value));
        for (const Estimate& e : {v.host, v.partner, v.host_gain, v.partner_gain}) {
            row.push_back(csv_number(e.mean));
            row.push_back(csv_number(e.se));
        }
        row.push_back(csv_number(v.cap_probability));
        row.push_back(v.on_frontier ? "true" : "false");
        row.push_back(v.in_zone ? "true" : "false");
        for (const Estimate& e :
             {v.host_total, v.partner_net, v.host_total_gain, v.partner_net_gain}) {
            row.push_back(csv_number(e.mean));
            row.push_back(csv_number(e.se));
        }
        row.push_back(v.nash ? "true" : "false");
        row.push_back(basis);
        csv += csv_line(row);
    }
    json["frontier"] = frontier;
    json["zone"] = zone;
    json["nash"] = nash;
    return {{"sweep.json", dumped(json)}, {"sweep.csv", csv}};
}

std::string sweep_table(const SweepResult& result) {
    const Basis basis = result.basis;
    const bool total = basis == Basis::total;
    std::vector<Row> rows;
    // A deal column when several deals are swept (or none varies: the deals are the rows).
    const bool deal_column = result.deals.size() > 1 || result.axes.empty();
    Row header;
    if (deal_column) header.push_back("deal");
    for (const SweepAxis& axis : result.axes) header.push_back(axis.key);
    for (const char* column :
         {total ? "host total gain" : "host gain", total ? "partner net gain" : "partner gain",
          total ? "host total value" : "host value", total ? "partner net value" : "partner value",
          "P(cap)", ""}) {
        header.push_back(column);
    }
    rows.push_back(header);
    for (const SweepVariant& v : result.variants) {
        Row row;
        if (deal_column) row.push_back(v.deal);
        for (const Setting& s : v.settings) row.push_back(s.value);
        row.push_back(bn_with_se(v.host_gain_on(basis)));
        row.push_back(bn_with_se(v.partner_gain_on(basis)));
        row.push_back(bn(v.host_value_on(basis).mean));
        row.push_back(bn(v.partner_value_on(basis).mean));
        row.push_back(percent(v.cap_probability));
        row.push_back(std::string(v.on_frontier ? "F" : " ") + (v.in_zone ? "Z" : " ") +
                      (v.nash ? "N" : " "));
        rows.push_back(row);
    }
    std::string out = aligned_columns(rows);
    std::size_t in_zone = 0, on_frontier = 0;
    for (const SweepVariant& v : result.variants) {
        in_zone += v.in_zone;
        on_frontier += v.on_frontier;
    }
    out += fmt::format(
        "$ bn, mean ± standard error; gains are paired against {} (host {}, partner {}).\n",
        result.baseline, bn(total ? result.baseline_host_total.mean : result.baseline_host.mean),
        bn(total ? result.baseline_partner_net.mean : result.baseline_partner.mean));
    out += total ? "Values with in-kind support valued (--value total: host_total_value, "
                   "partner_net_value, MODEL.md 4.2); sweep.csv has both bases.\n"
                 : "Values of money from the subsoil (--value money); --value total counts "
                   "in-kind support as each side values it; sweep.csv has both bases.\n";
    out += fmt::format(
        "F: on the Pareto frontier ({} of {}); Z: in the zone of possible agreement, both gains "
        "above two standard errors ({} of {}); N: the Nash point, the variant in the zone with "
        "the largest product of the gains{}.\n",
        on_frontier, result.variants.size(), in_zone, result.variants.size(),
        in_zone == 0 ? " (none: the zone is empty)" : "");
    return out;
}

OutputFiles breakeven_outputs(const RunInfo& info, const BreakevenResult& result) {
    ordered_json json = header_json(info, "breakeven");
    json["deal"] = result.deal;
    json["baseline"] = result.baseline;
    json["param"] = result.param;
    json["value"] = std::string(basis_name(result.basis));
    json["range"] = {result.low, result.high};
    json["confidence"] = 0.95;
    json["parties"] = ordered_json::array();
    std::string csv = "party,value,ci_low,ci_high,gain_at_low,gain_at_high\n";
    for (const Breakeven& b : result.parties) {
        json["parties"].push_back(ordered_json{{"party", std::string(party_name(b.party))},
                                               {"value", number(b.value)},
                                               {"ci_low", number(b.ci_low)},
                                               {"ci_high", number(b.ci_high)},
                                               {"gain_at_low", number(b.gain_at_low)},
                                               {"gain_at_high", number(b.gain_at_high)},
                                               {"evaluations", b.evaluations}});
        csv += csv_line({std::string(party_name(b.party)), csv_number(b.value),
                         csv_number(b.ci_low), csv_number(b.ci_high), csv_number(b.gain_at_low),
                         csv_number(b.gain_at_high)});
    }
    return {{"breakeven.json", dumped(json)}, {"breakeven.csv", csv}};
}

// A term's value, short: 0.25, 2e11 (not 200000000000 or 2e+11).
std::string term_text(double value) {
    std::string text = fmt::format("{:.4g}", value);
    if (const auto e = text.find("e+"); e != std::string::npos) text.erase(e + 1, 1);
    if (const auto e = text.find('e'); e != std::string::npos) {
        const std::size_t digits = text[e + 1] == '-' ? e + 2 : e + 1;
        while (digits + 1 < text.size() && text[digits] == '0') text.erase(digits, 1);
    }
    return text;
}

std::string breakeven_table(const BreakevenResult& result) {
    const auto x = [](const std::optional<double>& v, const std::string& open) {
        return v ? term_text(*v) : open;
    };
    const std::string low = term_text(result.low), high = term_text(result.high);
    std::vector<Row> rows{{"party", result.param + " at indifference", "95% interval",
                           "gain at " + low, "gain at " + high}};
    std::string notes;
    for (const Breakeven& b : result.parties) {
        const std::string interval =
            b.value ? fmt::format("[{}, {}]", x(b.ci_low, "<" + low), x(b.ci_high, ">" + high))
                    : "-";
        rows.push_back({std::string(party_name(b.party)), x(b.value, "none in range"), interval,
                        bn(b.gain_at_low), bn(b.gain_at_high)});
        if (!b.value) {
            const bool prefers_deal = b.gain_at_low > 0;
            notes +=
                fmt::format("{}: prefers {} to {} for every {} in [{}, {}]\n", party_name(b.party),
                            prefers_deal ? result.deal : result.baseline,
                            prefers_deal ? result.baseline : result.deal, result.param, low, high);
        }
    }
    return aligned_columns(rows) + notes +
           fmt::format("gains in $ bn against {}{}; the value is where the mean paired gain is 0\n",
                       result.baseline,
                       result.basis == Basis::total
                           ? ", with in-kind support valued (host_total_gain, partner_net_gain)"
                           : "");
}

OutputFiles tornado_outputs(const RunInfo& info, const TornadoResult& result) {
    ordered_json json = header_json(info, "tornado");
    json["deal"] = result.deal;
    json["baseline"] = result.baseline;
    json["output"] = std::string(output_name(result.output));
    json["cap_by_year"] = result.cap_by_year;
    json["base"] = outputs_json(result.base);
    json["bars"] = ordered_json::array();
    std::string csv = "rank,factor,inputs";
    for (Output o : all_outputs()) {
        const std::string n(output_name(o));
        csv += "," + n + "_low," + n + "_high," + n + "_swing," + n + "_swing_se";
    }
    csv += "\n";
    int rank = 0;
    for (const TornadoBar& bar : result.bars) {
        ordered_json swing = ordered_json::object();
        for (std::size_t i = 0; i < all_outputs().size(); ++i) {
            swing[std::string(output_name(all_outputs()[i]))] = estimate_json(bar.swing[i]);
        }
        json["bars"].push_back(ordered_json{{"factor", bar.factor.name},
                                            {"inputs", inputs_json(bar.factor)},
                                            {"low", outputs_json(bar.low)},
                                            {"high", outputs_json(bar.high)},
                                            {"swing", swing}});
        Row row{std::to_string(++rank), csv_field(bar.factor.name),
                std::to_string(bar.factor.inputs.size())};
        for (std::size_t i = 0; i < all_outputs().size(); ++i) {
            const Output o = all_outputs()[i];
            row.push_back(csv_number(bar.low.at(o).mean));
            row.push_back(csv_number(bar.high.at(o).mean));
            row.push_back(csv_number(bar.swing[i].mean));
            row.push_back(csv_number(bar.swing[i].se));
        }
        csv += csv_line(row);
    }
    return {{"tornado.json", dumped(json)}, {"tornado.csv", csv}};
}

std::string tornado_table(const TornadoResult& result, int rows_wanted) {
    const Output o = result.output;
    std::size_t at = 0;
    while (all_outputs()[at] != o) ++at;
    std::vector<Row> rows{{"input (low .. high)", "at low", "at high", "swing", "± se"}};
    const std::size_t shown = rows_wanted <= 0
                                  ? result.bars.size()
                                  : std::min(result.bars.size(), std::size_t(rows_wanted));
    for (std::size_t i = 0; i < shown; ++i) {
        const TornadoBar& bar = result.bars[i];
        std::string name = bar.factor.name;
        if (bar.factor.inputs.size() == 1) {
            name += fmt::format(" ({} .. {})", input_text(bar.factor.inputs[0].low),
                                input_text(bar.factor.inputs[0].high));
        } else {
            name += fmt::format(" ({} inputs)", bar.factor.inputs.size());
        }
        rows.push_back({name, output_text(o, bar.low.at(o).mean),
                        output_text(o, bar.high.at(o).mean), output_text(o, bar.swing[at].mean),
                        output_text(o, bar.swing[at].se)});
    }
    std::string out = aligned_columns(rows);
    out += fmt::format("{} of {}, {}; at the scenario's values: {}.", output_name(o), result.deal,
                       output_unit(o), output_text(o, result.base.at(o).mean));
    if (o == Output::host_gain || o == Output::partner_gain || o == Output::host_total_gain ||
        o == Output::partner_net_gain) {
        out += fmt::format(" Gains are paired against {}.", result.baseline);
    }
    out += "\n";
    if (shown < result.bars.size()) {
        out += fmt::format("{} more in tornado.csv\n", result.bars.size() - shown);
    }
    return out;
}

OutputFiles sobol_outputs(const RunInfo& info, const SobolResult& result) {
    ordered_json json = header_json(info, "sobol");
    json["deal"] = result.deal;
    json["baseline"] = result.baseline;
    json["output"] = std::string(output_name(result.output));
    json["cap_by_year"] = result.cap_by_year;
    json["samples"] = result.estimate.samples;
    json["runs"] = result.estimate.samples * static_cast<std::int64_t>(result.factors.size() + 2);
    json["confidence"] = 0.95;
    json["distribution"] = "triangular(low, value, high)";
    json["mean"] = number(result.estimate.mean);
    json["variance"] = number(result.estimate.variance);
    json["indices"] = ordered_json::array();
    std::string csv = "factor,inputs,first,first_low,first_high,total,total_low,total_high\n";
    for (std::size_t i = 0; i < result.estimate.indices.size(); ++i) {
        const SobolIndex& s = result.estimate.indices[i];
        json["indices"].push_back(ordered_json{{"factor", s.factor},
                                               {"inputs", inputs_json(result.factors[i])},
                                               {"first", number(s.first)},
                                               {"first_low", number(s.first_low)},
                                               {"first_high", number(s.first_high)},
                                               {"total", number(s.total)},
                                               {"total_low", number(s.total_low)},
                                               {"total_high", number(s.total_high)}});
        csv += csv_line({csv_field(s.factor), std::to_string(result.factors[i].inputs.size()),
                         csv_number(s.first), csv_number(s.first_low), csv_number(s.first_high),
                         csv_number(s.total), csv_number(s.total_low), csv_number(s.total_high)});
    }
    return {{"sobol.json", dumped(json)}, {"sobol.csv", csv}};
}

std::string sobol_table(const SobolResult& result) {
    std::vector<std::size_t> order(result.estimate.indices.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const double x = result.estimate.indices[a].total, y = result.estimate.indices[b].total;
        if (std::isnan(y)) return !std::isnan(x);
        return x > y;
    });
    const auto interval = [](double low, double high) {
        return fmt::format("[{}, {}]", fixed_digits(low, 2), fixed_digits(high, 2));
    };
    std::vector<Row> rows{{"factor", "first order", "95% interval", "total", "95% interval"}};
    for (std::size_t i : order) {
        const SobolIndex& s = result.estimate.indices[i];
        rows.push_back({s.factor, fixed_digits(s.first, 2), interval(s.first_low, s.first_high),
                        fixed_digits(s.total, 2), interval(s.total_low, s.total_high)});
    }
    return aligned_columns(rows) +
           fmt::format(
               "{} of {}: mean {}, sd {} over the inputs' ranges ({}); N = {} "
               "samples, {} runs\n",
               output_name(result.output), result.deal,
               output_text(result.output, result.estimate.mean),
               output_text(result.output, std::sqrt(result.estimate.variance)),
               output_unit(result.output), result.estimate.samples,
               result.estimate.samples * static_cast<std::int64_t>(result.factors.size() + 2));
}

}  // namespace nadra
