#include "report/results_document.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <initializer_list>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "report/csv.hpp"
#include "report/run_info.hpp"

namespace nadra {
namespace {

using nlohmann::ordered_json;

// The analyses a report can show, in the order it shows them; each is NAME.json.
constexpr std::array<std::string_view, 4> analysis_names{"sweep", "breakeven", "tornado", "sobol"};

ordered_json parse_json(const OutputFiles& files, const std::string& file) {
    try {
        return ordered_json::parse(files.at(file));
    } catch (const ordered_json::exception& e) {
        throw std::runtime_error(file + ": " + e.what());
    }
}

// A CSV field as a JSON number; null where it is empty or not finite ("nan", "inf").
ordered_json number_field(const std::string& text, std::string_view file) {
    if (text.empty() || text == "nan" || text == "-nan" || text == "inf" || text == "-inf")
        return nullptr;
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        throw std::runtime_error(fmt::format("{}: '{}' is not a number", file, text));
    if (!std::isfinite(value)) return nullptr;
    // Whole numbers (years, path numbers, zeros) as integers: shorter, and read back exactly.
    if (value == std::trunc(value) && std::abs(value) < 9e15)
        return static_cast<std::int64_t>(value);
    return value;
}

// A CSV file as one object a row: `text_columns` as strings, `number_columns` as numbers; each
// must be in the header.
ordered_json csv_rows(std::string_view text, std::string_view file,
                      const std::vector<std::string>& text_columns,
                      const std::vector<std::string>& number_columns) {
    CsvReader reader(text);
    std::vector<std::string> header;
    if (!reader.next(header)) throw std::runtime_error(fmt::format("{} is empty", file));
    const auto index = [&](const std::string& column) {
        const auto it = std::find(header.begin(), header.end(), column);
        if (it == header.end())
            throw std::runtime_error(fmt::format("{} has no column '{}'", file, column));
        return static_cast<std::size_t>(it - header.begin());
    };
    std::vector<std::size_t> texts, numbers;
    for (const std::string& c : text_columns) texts.push_back(index(c));
    for (const std::string& c : number_columns) numbers.push_back(index(c));
    ordered_json rows = ordered_json::array();
    for (std::vector<std::string> fields; reader.next(fields);) {
        if (fields.size() != header.size())
            throw std::runtime_error(fmt::format("{}: a row has {} fields, the header {}", file,
                                                 fields.size(), header.size()));
        ordered_json row = ordered_json::object();
        for (std::size_t i = 0; i < texts.size(); ++i) row[text_columns[i]] = fields[texts[i]];
        for (std::size_t i = 0; i < numbers.size(); ++i)
            row[number_columns[i]] = number_field(fields[numbers[i]], file);
        rows.push_back(std::move(row));
    }
    return rows;
}

// paths.csv's host and partner values of each deal on the sampled paths (path_sample()), as
// columns in the order of the sample; null where the file has no value for a path.
ordered_json path_values(std::string_view text, const std::vector<std::string>& deals,
                         std::int64_t paths) {
    const std::vector<std::int64_t> sample = path_sample(paths, report_path_sample);
    CsvReader reader(text);
    std::vector<std::string> fields;
    if (!reader.next(fields)) throw std::runtime_error("paths.csv is empty");
    const auto column = [&](const char* name) {
        const auto it = std::find(fields.begin(), fields.end(), name);
        if (it == fields.end())
            throw std::runtime_error(fmt::format("paths.csv has no column '{}'", name));
        return static_cast<std::size_t>(it - fields.begin());
    };
    const std::size_t path = column("path"), deal = column("deal");
    const std::size_t host = column("host_value"), partner = column("partner_value");
    const std::size_t width = fields.size();
    std::map<std::string, std::pair<ordered_json, ordered_json>> values;
    for (const std::string& name : deals) {
        auto& [h, p] = values[name];
        h = ordered_json::array();
        p = ordered_json::array();
        for (std::size_t i = 0; i < sample.size(); ++i) {
            h.push_back(nullptr);
            p.push_back(nullptr);
        }
    }
    while (reader.next(fields)) {
        if (fields.size() != width) throw std::runtime_error("paths.csv: a row is short");
        const ordered_json id = number_field(fields[path], "paths.csv");
        if (!id.is_number()) throw std::runtime_error("paths.csv: a row has no path number");
        const auto at = std::lower_bound(sample.begin(), sample.end(), id.get<std::int64_t>());
        if (at == sample.end() || *at != id.get<std::int64_t>()) continue;
        const auto it = values.find(fields[deal]);
        if (it == values.end()) continue;
        const auto i = static_cast<std::size_t>(at - sample.begin());
        it->second.first[i] = number_field(fields[host], "paths.csv");
        it->second.second[i] = number_field(fields[partner], "paths.csv");
    }
    ordered_json out = {{"path", sample}, {"values", ordered_json::object()}};
    for (const std::string& name : deals)
        out["values"][name] = {{"host_value", std::move(values[name].first)},
                               {"partner_value", std::move(values[name].second)}};
    return out;
}

// The keys each item of `list` must have.
void require_each(const ordered_json& list, std::initializer_list<const char*> keys) {
    for (const ordered_json& item : list)
        for (const char* key : keys) (void)item.at(key);
}

// The outputs a tornado or Sobol indices may be of (analysis/outputs).
constexpr std::array<std::string_view, 10> output_names{
    "host_gain",       "partner_gain",     "host_value",       "partner_value",
    "host_total_gain", "partner_net_gain", "host_total_value", "partner_net_value",
    "cap_year",        "cap_probability"};

// What the front-end reads of each analysis's file is there (ordered_json::exception if not).
void check_analysis(std::string_view name, const ordered_json& json) {
    const auto output = [&]() {
        const auto o = json.at("output").get<std::string>();
        if (std::find(output_names.begin(), output_names.end(), o) == output_names.end())
            throw std::runtime_error(fmt::format("{}.json: unknown output '{}'", name, o));
        return o;
    };
    if (name == "sweep") {
        require_each(json.at("axes"), {"key", "values"});
        const bool total = json.value("value", std::string("money")) == "total";
        (void)json.at("baseline_value").at(total ? "host_total" : "host");
        require_each(json.at("variants"),
                     {"name", "deal", "settings", "host_gain", "partner_gain", "host_value",
                      "partner_value", "cap_probability", "on_frontier", "in_zone"});
        if (total)
            require_each(json.at("variants"), {"host_total_gain", "partner_net_gain",
                                               "host_total_value", "partner_net_value"});
    } else if (name == "breakeven") {
        (void)json.at("param").get<std::string>();
        if (json.at("range").size() != 2) throw std::runtime_error("breakeven.json: range");
        require_each(json.at("parties"),
                     {"party", "value", "ci_low", "ci_high", "gain_at_low", "gain_at_high"});
    } else if (name == "tornado") {
        const std::string o = output();
        (void)json.at("base").at(o);
        for (const ordered_json& bar : json.at("bars")) {
            require_each(bar.at("inputs"), {"key", "value", "low", "high"});
            for (const char* end : {"low", "high", "swing"}) (void)bar.at(end).at(o);
            (void)bar.at("factor").get<std::string>();
        }
    } else if (name == "sobol") {
        (void)output();
        for (const char* key : {"samples", "runs", "confidence", "mean", "variance"})
            (void)json.at(key);
        require_each(json.at("indices"), {"factor", "inputs", "first", "first_low", "first_high",
                                          "total", "total_low", "total_high"});
    }
}

// An analysis's file, checked to be what nadra writes.
ordered_json read_analysis(const OutputFiles& files, std::string_view name) {
    const std::string file = std::string(name) + ".json";
    ordered_json json = parse_json(files, file);
    if (!json.is_object() || json.value("analysis", "") != name)
        throw std::runtime_error(fmt::format(
            "{} is not the output of nadra {}: its \"analysis\" is not \"{}\"", file, name, name));
    try {
        for (const char* key : {"paths", "start_year", "horizon", "baseline"}) (void)json.at(key);
        if (!json.contains("deals")) (void)json.at("deal").get<std::string>();
        (void)json.at("baseline").get<std::string>();
        check_analysis(name, json);
    } catch (const ordered_json::exception& e) {
        throw std::runtime_error(file + ": " + e.what());
    }
    return json;
}

// fiscal.json (`nadra fiscal`), checked to hold what the report's fiscal section reads.
ordered_json read_fiscal(const OutputFiles& files) {
    ordered_json json = parse_json(files, "fiscal.json");
    if (!json.is_object() || json.value("analysis", "") != "fiscal")
        throw std::runtime_error(
            "fiscal.json is not the output of nadra fiscal: its \"analysis\" is not \"fiscal\"");
    try {
        for (const char* key : {"paths", "seed", "start_year", "horizon", "investor_rate",
                                "host_rate", "regimes", "differences"})
            (void)json.at(key);
        for (const char* key : {"project", "commodity", "unit"})
            (void)json.at(key).get<std::string>();
        require_each(json.at("regimes"),
                     {"name", "base", "started_probability", "state_npv", "investor_npv",
                      "government_take", "aetr", "aetr_by_mean_real_price"});
        for (const ordered_json& regime : json.at("regimes"))
            for (const char* key : {"state_revenue_npv", "investor_npv", "government_take", "aetr",
                                    "progressivity", "notes"})
                (void)regime.at("base").at(key);
        require_each(json.at("differences"), {"a", "b", "state_npv", "investor_npv"});
        if (json.at("regimes").empty()) throw std::runtime_error("fiscal.json has no regimes");
    } catch (const ordered_json::exception& e) {
        throw std::runtime_error(std::string("fiscal.json: ") + e.what());
    }
    return json;
}

}  // namespace

ordered_json results_document(const OutputFiles& files, std::string_view generated) {
    ordered_json doc = ordered_json::object();
    doc["nadra_results"] = 1;
    doc["generated"] = generated;
    doc["reproduce"] = nullptr;
    doc["summary"] = nullptr;
    doc["terms"] = nullptr;
    doc["fund_bands"] = nullptr;
    doc["cap_curve"] = nullptr;
    doc["paths"] = nullptr;
    doc["analyses"] = ordered_json::object();
    for (const std::string_view name : analysis_names)
        if (files.contains(std::string(name) + ".json"))
            doc["analyses"][std::string(name)] = read_analysis(files, name);
    if (files.contains("fiscal.json")) doc["analyses"]["fiscal"] = read_fiscal(files);

    const bool has_run = files.contains("summary.json") || doc["analyses"].empty();
    if (!has_run) return doc;
    for (const char* name : {"summary.json", "fund_bands.csv", "cap_curve.csv"})
        if (!files.contains(name)) throw std::runtime_error(std::string("no ") + name);
    ordered_json summary = parse_json(files, "summary.json");
    std::vector<std::string> deals;
    std::int64_t paths = 0;
    try {
        for (const ordered_json& deal : summary.at("deals"))
            deals.push_back(deal.at("name").get<std::string>());
        paths = summary.at("paths").get<std::int64_t>();
        for (const char* key : {"start_year", "horizon", "differences", "projects"})
            (void)summary.at(key);
        doc["reproduce"] = reproduce_run_command(
            summary.value("scenario", ""), summary.value("seed", std::uint64_t{0}), paths, deals,
            files.contains("paths.csv"), summary.value("sample_inputs", std::int64_t{0}),
            summary.value("input_patterns", std::vector<std::string>{}));
    } catch (const ordered_json::exception& e) {
        throw std::runtime_error(std::string("summary.json: ") + e.what());
    }
    if (deals.empty()) throw std::runtime_error("summary.json has no deals");
    doc["summary"] = std::move(summary);
    if (files.contains("terms.json")) {
        ordered_json terms = parse_json(files, "terms.json");
        if (!terms.is_object() || !terms.contains("deals") || !terms["deals"].is_array())
            throw std::runtime_error("terms.json has no list of deals");
        doc["terms"] = std::move(terms);
    }
    doc["fund_bands"] = csv_rows(files.at("fund_bands.csv"), "fund_bands.csv", {"deal"},
                                 {"year", "p5", "p25", "p50", "p75", "p95"});
    doc["cap_curve"] = csv_rows(files.at("cap_curve.csv"), "cap_curve.csv", {"deal"},
                                {"year", "cap_reached_probability"});
    if (const auto csv = files.find("paths.csv"); csv != files.end())
        doc["paths"] = path_values(csv->second, deals, paths);
    return doc;
}

}  // namespace nadra
