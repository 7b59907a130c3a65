#include "report/html_report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <ctime>
#include <fstream>
#include <iterator>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <vector>

#include "report/csv.hpp"
#include "report/report_assets.hpp"
#include "report/run_info.hpp"

namespace nadra {
namespace {

using nlohmann::ordered_json;
namespace fs = std::filesystem;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double billion = 1e9;
constexpr std::string_view minus_sign = "\u2212";
constexpr std::string_view dash = "\u2013";

// ---------------------------------------------------------------------------------------------
// Reading the run's files

double parse_number(const std::string& text, std::string_view file) {
    if (text.empty()) return nan;
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size())
        throw std::runtime_error(fmt::format("{}: '{}' is not a number", file, text));
    return value;
}

double number_of(const ordered_json& json) { return json.is_number() ? json.get<double>() : nan; }

// A CSV file as rows of named fields, checking that the named columns are there.
std::vector<std::map<std::string, std::string>> read_csv(std::string_view text,
                                                         std::string_view file,
                                                         const std::vector<std::string>& needed) {
    CsvReader reader(text);
    std::vector<std::string> header;
    if (!reader.next(header)) throw std::runtime_error(fmt::format("{} is empty", file));
    for (const std::string& column : needed) {
        if (std::find(header.begin(), header.end(), column) == header.end())
            throw std::runtime_error(fmt::format("{} has no column '{}'", file, column));
    }
    std::vector<std::map<std::string, std::string>> rows;
    for (std::vector<std::string> fields; reader.next(fields);) {
        if (fields.size() != header.size())
            throw std::runtime_error(fmt::format("{}: a row has {} fields, the header {}", file,
                                                 fields.size(), header.size()));
        auto& row = rows.emplace_back();
        for (std::size_t i = 0; i < header.size(); ++i) row[header[i]] = fields[i];
    }
    return rows;
}

ordered_json parse_json(const OutputFiles& run, const std::string& file) {
    try {
        return ordered_json::parse(run.at(file));
    } catch (const ordered_json::exception& e) {
        throw std::runtime_error(file + ": " + e.what());
    }
}

// What the report shows, taken from the files.
struct Run {
    ordered_json summary;
    ordered_json terms;  // null without terms.json
    std::vector<std::string> deals;
    std::string reference;  // the deal others are compared with: no_deal, else the first
    int start_year = 0;
    int horizon = 0;
    std::int64_t paths = 0;
    bool per_path = false;  // the folder has paths.csv

    [[nodiscard]] const ordered_json* deal_terms(const std::string& name) const {
        if (terms.is_null()) return nullptr;
        for (const ordered_json& deal : terms.at("deals"))
            if (deal.at("name") == name) return &deal;
        return nullptr;
    }
    [[nodiscard]] const ordered_json* project_terms(const std::string& name) const {
        if (terms.is_null() || !terms.contains("projects")) return nullptr;
        for (const ordered_json& project : terms.at("projects"))
            if (project.at("name") == name) return &project;
        return nullptr;
    }
};

Run read_run(const OutputFiles& run) {
    Run r;
    r.summary = parse_json(run, "summary.json");
    if (run.contains("terms.json")) r.terms = parse_json(run, "terms.json");
    r.per_path = run.contains("paths.csv");
    try {
        for (const ordered_json& deal : r.summary.at("deals"))
            r.deals.push_back(deal.at("name").get<std::string>());
        r.start_year = r.summary.at("start_year").get<int>();
        r.horizon = r.summary.at("horizon").get<int>();
        r.paths = r.summary.at("paths").get<std::int64_t>();
    } catch (const ordered_json::exception& e) {
        throw std::runtime_error(std::string("summary.json: ") + e.what());
    }
    if (r.deals.empty()) throw std::runtime_error("summary.json has no deals");
    const bool has_no_deal = std::find(r.deals.begin(), r.deals.end(), "no_deal") != r.deals.end();
    r.reference = has_no_deal ? "no_deal" : r.deals.front();
    return r;
}

// What identifies a run: summary.json's first keys, which every analysis file starts with too.
struct Identity {
    std::string scenario, version, sha256;
    std::uint64_t seed = 0;
    std::int64_t paths = 0;
    int start_year = 0, horizon = 0;

    bool operator==(const Identity&) const = default;
};

Identity identity_of(const ordered_json& json) {
    Identity id;
    id.scenario = json.value("scenario", "");
    id.version = json.value("nadra_version", "");
    id.sha256 = json.value("scenario_sha256", "");
    id.seed = json.value("seed", std::uint64_t{0});
    id.paths = json.at("paths").get<std::int64_t>();
    id.start_year = json.at("start_year").get<int>();
    id.horizon = json.at("horizon").get<int>();
    return id;
}

// The analyses a report can show, in the order it shows them; each is NAME.json.
constexpr std::array<std::string_view, 4> analysis_names{"sweep", "breakeven", "tornado", "sobol"};

// One analysis's file.
struct Analysis {
    std::string name;  // "sweep", ...
    ordered_json json;
    Identity id;
    std::string deal, baseline;
    std::string command;  // the command line that made it, where the file records one

    [[nodiscard]] std::string file() const { return name + ".json"; }
    // "sweep of v5 against no_deal"
    [[nodiscard]] std::string description() const {
        return fmt::format("{} of {} against {}", name, deal, baseline);
    }
};

// The analyses' files that `files` holds; std::runtime_error naming the file that is not what
// nadra writes.
std::vector<Analysis> read_analyses(const OutputFiles& files) {
    std::vector<Analysis> analyses;
    for (const std::string_view name : analysis_names) {
        Analysis a;
        a.name = name;
        if (!files.contains(a.file())) continue;
        a.json = parse_json(files, a.file());
        try {
            if (!a.json.is_object() || a.json.value("analysis", "") != name)
                throw std::runtime_error(
                    fmt::format("{} is not the output of nadra {}: its \"analysis\" is not \"{}\"",
                                a.file(), name, name));
            a.id = identity_of(a.json);
            // A sweep may vary several deals: "deals" lists them.
            if (a.json.contains("deals")) {
                for (const ordered_json& deal : a.json.at("deals"))
                    a.deal += (a.deal.empty() ? "" : ", ") + deal.get<std::string>();
            } else {
                a.deal = a.json.at("deal").get<std::string>();
            }
            a.baseline = a.json.at("baseline").get<std::string>();
            a.command = a.json.value("command", "");
        } catch (const ordered_json::exception& e) {
            throw std::runtime_error(a.file() + ": " + e.what());
        }
        analyses.push_back(std::move(a));
    }
    return analyses;
}

// ---------------------------------------------------------------------------------------------
// Text for people

std::string digits_grouped(std::int64_t value) {
    const std::string digits = std::to_string(value < 0 ? -value : value);
    std::string text;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) text += ',';
        text += digits[i];
    }
    return value < 0 ? std::string(minus_sign) + text : text;
}

std::string signed_text(double value, const std::string& magnitude) {
    return value < 0 ? std::string(minus_sign) + magnitude : magnitude;
}

// Three significant digits of a positive number below 1000, never in exponent form.
std::string three_digits(double value) {
    const int decimals = value >= 99.95 ? 0 : value >= 9.995 ? 1 : value >= 0.9995 ? 2 : 3;
    return fmt::format("{:.{}f}", value, decimals);
}

// A commodity price in its own unit: whole units from 1,000 up, else three digits.
std::string format_price(double value) {
    if (!std::isfinite(value)) return "never economic";
    return std::abs(value) >= 1000 ? digits_grouped(std::llround(value))
                                   : signed_text(value, three_digits(std::abs(value)));
}

// Money, rates and years in one place, by metric name.
enum class Kind { money, fraction, year };

Kind kind_of(const std::string& metric) {
    if (metric == "share_ceded") return Kind::fraction;
    if (metric == "cap_year") return Kind::year;
    return Kind::money;
}

std::string format_value(Kind kind, double value) {
    switch (kind) {
        case Kind::fraction:
            return format_percent(value);
        case Kind::year:
            return format_year(value);
        case Kind::money:
            break;
    }
    return format_money(value);
}

// A standard error: money and rates as values, years as a number of years.
std::string format_spread(Kind kind, double value) {
    if (kind == Kind::year)
        return std::isfinite(value) ? fmt::format("{:.1f} yr", value) : std::string(dash);
    return format_value(kind, value);
}

const std::map<std::string, std::string>& metric_labels() {
    static const std::map<std::string, std::string> labels{
        {"host_value", "Host value: NPV of revenue, less contributions, plus distributions"},
        {"partner_value", "Partner value: NPV of distributions, less cash support"},
        {"in_kind_support_npv", "In-kind support (NPV at the partner's rate)"},
        {"host_contributions", "Host contributions to the fund (undiscounted)"},
        {"host_revenue", "Host revenue from the subsoil (NPV)"},
        {"host_kept", "Host revenue kept: revenue less contributions (NPV)"},
        {"share_ceded", "Share of revenue ceded (undiscounted)"},
        {"cap_year", "Year the cap is reached (over the paths that reach it)"},
        {"host_total_value",
         "Host total value: host value plus in-kind support as the host values it"},
        {"partner_net_value", "Partner net value: partner value less in-kind support at its cost"},
    };
    return labels;
}

std::string metric_label(const std::string& metric) {
    const auto it = metric_labels().find(metric);
    return it == metric_labels().end() ? metric : it->second;
}

// ---------------------------------------------------------------------------------------------
// Escaping and the template

// JSON for a <script> element: "<", ">" and "&" only ever occur inside JSON strings, where
// \u escapes mean the same, so no "</script" or "<!--" can close or confuse the element.
std::string script_json(const ordered_json& json) {
    const std::string text = json.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '<':
                out += "\\u003c";
                break;
            case '>':
                out += "\\u003e";
                break;
            case '&':
                out += "\\u0026";
                break;
            default:
                out += c;
        }
    }
    return out;
}

// Replaces each {{NAME}} of the template with values[NAME], which is inserted as it is, and keeps
// what lies between {{#PART}} and {{/PART}} only when `parts` holds PART.
std::string fill_template(std::string_view text, const std::map<std::string, std::string>& values,
                          const std::set<std::string>& parts) {
    std::string out;
    std::size_t at = 0;
    for (std::size_t open; (open = text.find("{{", at)) != std::string_view::npos;) {
        const std::size_t close = text.find("}}", open);
        if (close == std::string_view::npos) break;
        const std::string name(text.substr(open + 2, close - open - 2));
        out.append(text.substr(at, open - at));
        at = close + 2;
        if (name.starts_with('#')) {
            const std::string part = name.substr(1);
            const std::string end = "{{/" + part + "}}";
            const std::size_t stop = text.find(end, at);
            if (stop == std::string_view::npos)
                throw std::logic_error("report template: no " + end);
            if (parts.contains(part))
                out += fill_template(text.substr(at, stop - at), values, parts);
            at = stop + end.size();
            continue;
        }
        const auto value = values.find(name);
        if (value == values.end())
            throw std::logic_error("report template: no value for {{" + name + "}}");
        out += value->second;
    }
    out.append(text.substr(at));
    return out;
}

std::string note(std::string_view html) { return fmt::format("<p class=\"note\">{}</p>", html); }

// ---------------------------------------------------------------------------------------------
// The header

std::string header_html(const Identity& id, const Run* run, const std::vector<Analysis>& analyses,
                        std::string_view generated) {
    std::string html = "<dl class=\"run\">\n";
    const auto row = [&](std::string_view term, const std::string& value) {
        html += fmt::format("<dt>{}</dt><dd>{}</dd>\n", term, value);
    };
    row("Scenario", html_escape(id.scenario));
    if (run) {
        std::string deals;
        for (const std::string& deal : run->deals)
            deals += (deals.empty() ? "" : ", ") + html_escape(deal);
        row("Deals", deals);
    }
    if (!analyses.empty()) {
        std::string list;
        for (const Analysis& a : analyses)
            list += (list.empty() ? "" : "; ") + html_escape(a.description());
        row("Analyses", list);
    }
    row("Seed", html_escape(std::to_string(id.seed)));
    row("Paths", digits_grouped(id.paths));
    row("Years", fmt::format("{}{}{} ({} years)", id.start_year, dash,
                             id.start_year + id.horizon - 1, id.horizon));
    row("nadra version", html_escape(id.version));
    row("Scenario SHA-256", "<code>" + html_escape(id.sha256) + "</code>");
    row("Report made", html_escape(generated));
    if (run) {
        const ordered_json& summary = run->summary;
        const std::string command =
            reproduce_run_command(id.scenario, id.seed, id.paths, run->deals, run->per_path,
                                  summary.value("sample_inputs", std::int64_t{0}),
                                  summary.value("input_patterns", std::vector<std::string>{}));
        row("Reproduce", "<code>" + html_escape(command) + "</code>");
    }
    return html + "</dl>";
}

// ---------------------------------------------------------------------------------------------
// The terms side by side

// A per-year list's total over the run's years (the last value repeats).
double total_over(const ordered_json& list, int horizon) {
    if (!list.is_array() || list.empty()) return 0;
    double total = 0;
    for (int t = 0; t < horizon; ++t) {
        const auto index = std::min(static_cast<std::size_t>(t), list.size() - 1);
        total += number_of(list[index]);
    }
    return total;
}

std::string words(std::string text) {
    std::replace(text.begin(), text.end(), '_', ' ');
    return text;
}

std::string joined(const ordered_json& list, std::string_view empty) {
    if (!list.is_array() || list.empty()) return std::string(empty);
    std::string text;
    for (const ordered_json& item : list)
        text += (text.empty() ? "" : ", ") + html_escape(words(item.get<std::string>()));
    return text;
}

std::string multiplier(std::string_view what, double value) {
    return value == 1 ? "" : fmt::format("<br>{} &times;{:.2g}", what, value);
}

// An amount that a line never breaks inside.
std::string money(double usd) { return "<span class=\"amount\">" + format_money(usd) + "</span>"; }

std::string years(int count) { return fmt::format("{} year{}", count, count == 1 ? "" : "s"); }

// A scope's licence classes, commodities and region statuses, each on a line of its own.
std::string asset_filters(const ordered_json& scope) {
    std::string text;
    if (!scope.at("licence_classes").empty())
        text += "<br>licences: " + joined(scope.at("licence_classes"), "");
    if (!scope.at("commodities").empty())
        text += "<br>commodities: " + joined(scope.at("commodities"), "");
    if (!scope.at("statuses").empty()) text += "<br>regions: " + joined(scope.at("statuses"), "");
    return text;
}

// The rows of the terms table: a label and how to write one deal's cell.
struct TermRow {
    std::string_view label;
    std::string (*cell)(const ordered_json& deal, int horizon);
};

const std::vector<TermRow>& term_rows() {
    static const std::vector<TermRow> rows{
        {"What it is",
         [](const ordered_json& d, int) { return html_escape(d.value("description", "")); }},
        {"Share of revenue paid in",
         [](const ordered_json& d, int) {
             std::string text = format_percent(number_of(d.at("share")));
             const double liberated = number_of(d.at("share_liberated"));
             if (std::isfinite(liberated) && liberated != number_of(d.at("share")))
                 text += "<br>" + format_percent(liberated) + " in liberated regions";
             return text;
         }},
        {"Scope",
         [](const ordered_json& d, int) {
             const ordered_json& scope = d.at("scope");
             std::string text = joined(scope.at("items"), "all revenue items");
             return text + asset_filters(scope);
         }},
        {"Cap",
         [](const ordered_json& d, int) {
             if (d.at("cap").is_null()) return std::string("none");
             std::string text = money(number_of(d.at("cap")));
             const double growth = number_of(d.at("cap_growth_per_support"));
             if (growth > 0) text += fmt::format("<br>+ {:.3g} &times; support received", growth);
             return text;
         }},
        {"Term",
         [](const ordered_json& d, int) {
             return d.at("term_years").is_null() ? std::string("to the horizon")
                                                 : years(d.at("term_years").get<int>());
         }},
        {"Ownership of the fund",
         [](const ordered_json& d, int) {
             std::string text =
                 d.at("ownership") == "fixed"
                     ? "fixed: partner " + format_percent(number_of(d.at("partner_share")))
                     : std::string("pro rata to contributions");
             if (d.value("in_kind_counts", false)) text += "<br>in-kind support counts";
             const double initial = number_of(d.at("partner_initial_capital"));
             if (initial > 0) text += "<br>partner credited " + money(initial) + " at start";
             return text;
         }},
        {"Lock and payout",
         [](const ordered_json& d, int) {
             const int lock = d.at("lock_years").get<int>();
             return (lock == 0 ? std::string("no lock") : "locked " + years(lock)) +
                    "<br>pays out " + format_percent(number_of(d.at("payout_rate"))) + " a year";
         }},
        {"Waterfall",
         [](const ordered_json& d, int) {
             if (d.at("waterfall") == "pro_rata") return std::string("pro rata");
             return "partner first, until recouped at " +
                    format_percent(number_of(d.at("recoup_rate"))) + " a year";
         }},
        {"Security guarantee; effect on the war",
         [](const ordered_json& d, int) {
             const ordered_json& modifiers = d.at("world_modifiers");
             return std::string(d.value("security_guarantee", false) ? "yes" : "no") +
                    multiplier("war-end hazard", number_of(modifiers.at("end_hazard_multiplier"))) +
                    multiplier("renewal hazard",
                               number_of(modifiers.at("renew_hazard_multiplier")));
         }},
        {"Partner support over the horizon",
         [](const ordered_json& d, int horizon) {
             const ordered_json& support = d.at("partner_support");
             const double cash = total_over(support.at("cash"), horizon);
             const double in_kind = total_over(support.at("in_kind"), horizon);
             if (cash == 0 && in_kind == 0) return std::string("none");
             std::string text = "cash " + money(cash) + "<br>in kind " + money(in_kind);
             const double go_on = number_of(support.at("continuation_probability"));
             if (go_on < 1) text += "<br>continues each year with p = " + format_percent(go_on);
             return text;
         }},
        {"Fiscal regimes changed",
         [](const ordered_json& d, int) { return joined(d.at("regime_overrides"), "none"); }},
        {"The fund co-invests in new projects",
         [](const ordered_json& d, int) {
             if (!d.contains("co_invest") || d.at("co_invest").is_null()) return std::string("no");
             const ordered_json& co = d.at("co_invest");
             std::string text =
                 "pays " + format_percent(number_of(co.at("share"))) + " of capex, receives " +
                 format_percent(number_of(co.at("receipt_share"))) + " of the operating cash flow";
             const double m = number_of(co.at("premium_multiplier"));
             if (m != 1) text += "<br>investors' risk premium &times;" + fmt::format("{:.3g}", m);
             ordered_json deal_scope = d.at("scope");
             deal_scope.erase("items");
             const ordered_json& scope = co.at("scope");
             if (scope == deal_scope) return text + "<br>in projects of the deal's scope";
             return text + asset_filters(scope);
         }},
    };
    return rows;
}

std::string terms_html(const Run& run) {
    if (run.terms.is_null())
        return note(
            "This run directory has no terms.json; run the scenario again with this "
            "version of nadra to see the deals' terms here.");
    std::string html = "<div class=\"wide\"><table class=\"terms\">\n<thead><tr><th></th>";
    // Long names like signed_with_guarantee may break after an underscore, nowhere else.
    for (const std::string& deal : run.deals) {
        std::string name;
        for (const char c : html_escape(deal))
            name += c == '_' ? std::string("_<wbr>") : std::string(1, c);
        html += fmt::format("<th scope=\"col\">{}</th>", name);
    }
    html += "</tr></thead>\n<tbody>\n";
    for (const TermRow& row : term_rows()) {
        html += fmt::format("<tr><th scope=\"row\">{}</th>", row.label);
        for (const std::string& deal : run.deals) {
            const ordered_json* terms = run.deal_terms(deal);
            html += "<td>" + (terms ? row.cell(*terms, run.horizon) : std::string(dash)) + "</td>";
        }
        html += "</tr>\n";
    }
    return html + "</tbody></table></div>";
}

// ---------------------------------------------------------------------------------------------
// Tables of results

std::string stats_cells(const ordered_json& stats, Kind kind, bool negate = false) {
    const auto value = [&](const char* key) {
        const double v = number_of(stats.at(key));
        return negate ? -v : v;
    };
    // The difference b - a has the percentiles of a - b reversed and negated.
    const auto p = [&](const char* key, const char* mirror) {
        return value(negate ? mirror : key);
    };
    std::string html = "<td>" + format_value(kind, value("mean")) + "</td><td>" +
                       format_spread(kind, number_of(stats.at("sem"))) + "</td>";
    for (const auto& [key, mirror] :
         {std::pair{"p5", "p95"}, std::pair{"p25", "p75"}, std::pair{"p50", "p50"},
          std::pair{"p75", "p25"}, std::pair{"p95", "p5"}}) {
        html += "<td>" + format_value(kind, p(key, mirror)) + "</td>";
    }
    return html;
}

constexpr std::string_view stats_header =
    "<th>mean</th><th>&plusmn; s.e.</th><th>5%</th><th>25%</th><th>median</th><th>75%</th>"
    "<th>95%</th>";

std::string results_html(const Run& run) {
    std::string html = fmt::format(
        "<div class=\"wide\"><table class=\"numbers results\">\n<thead><tr><th>deal</th>{}</tr>"
        "</thead>\n",
        stats_header);
    const ordered_json& deals = run.summary.at("deals");
    const ordered_json& first = deals.front().at("metrics");
    for (auto metric = first.begin(); metric != first.end(); ++metric) {
        const Kind kind = kind_of(metric.key());
        html += fmt::format("<tbody><tr class=\"metric\"><th colspan=\"8\">{}</th></tr>\n",
                            html_escape(metric_label(metric.key())));
        for (const ordered_json& deal : deals) {
            const ordered_json& stats = deal.at("metrics").at(metric.key());
            std::string name = html_escape(deal.at("name").get<std::string>());
            const auto count = stats.value("count", std::int64_t{0});
            if (kind == Kind::year) {
                const double reached =
                    run.paths > 0 ? static_cast<double>(count) / static_cast<double>(run.paths) : 0;
                name += " <small>reached on " + format_percent(reached) + " of paths</small>";
            }
            html += fmt::format("<tr><th scope=\"row\">{}</th>", name);
            if (count == 0) {
                html += fmt::format("<td colspan=\"7\" class=\"none\">{}</td></tr>\n",
                                    kind == Kind::year ? "never reached" : "no values");
                continue;
            }
            html += stats_cells(stats, kind) + "</tr>\n";
        }
        html += "</tbody>\n";
    }
    return html + "</table></div>";
}

// With input sets (MODEL.md 4.3): a sentence under the results saying how much of each deal's
// spread of host and partner value lies between the sets (judgement) rather than within them.
std::string judgement_html(const Run& run) {
    if (!run.summary.contains("sample_inputs")) return {};
    std::string shares;
    for (const ordered_json& deal : run.summary.at("deals")) {
        const ordered_json& metrics = deal.at("metrics");
        const auto share = [&](const char* metric) {
            const ordered_json& stats = metrics.at(metric);
            return stats.contains("between_sets_share") && stats["between_sets_share"].is_number()
                       ? format_percent(stats["between_sets_share"].get<double>())
                       : std::string("-");
        };
        shares += fmt::format("{}{}: host {}, partner {}", shares.empty() ? "" : "; ",
                              html_escape(deal.at("name").get<std::string>()), share("host_value"),
                              share("partner_value"));
    }
    const std::size_t inputs = run.summary.value("sampled_inputs", ordered_json::array()).size();
    return note(fmt::format(
        "Judgement as well as chance: the {} uncertain input{} were drawn in {} input sets "
        "(triangular(low, value, high); path p on set p mod K), so the spreads above include not "
        "knowing them. The share of the variance of host and partner value that lies between the "
        "sets (judgement) rather than within them (the future): {}.",
        inputs, inputs == 1 ? "" : "s", run.summary.at("sample_inputs").get<std::int64_t>(),
        shares));
}

// Whether each side gains from each deal against the reference, on both bases (MODEL.md 4.2):
// money from the subsoil, and with in-kind support valued as each side values it.
std::string gains_html(const Run& run) {
    const ordered_json& differences = run.summary.at("differences");
    if (run.deals.size() < 2 || differences.empty() ||
        !differences.front().at("metrics").contains("host_total_value")) {
        return note("This run's summary has no paired gains on both bases.");
    }
    const auto cell = [](const ordered_json& stats, bool negate) {
        const double mean = negate ? -number_of(stats.at("mean")) : number_of(stats.at("mean"));
        const double se = number_of(stats.at("sem"));
        const bool clear = std::abs(mean) > 2 * se;
        const char* verdict = !clear ? "unclear" : mean > 0 ? "gains" : "loses";
        return fmt::format("<td class=\"{}\">{} <small>&plusmn; {}</small><br><b>{}</b></td>",
                           verdict, format_value(Kind::money, mean), format_spread(Kind::money, se),
                           verdict);
    };
    std::string body;
    for (const std::string& deal : run.deals) {
        if (deal == run.reference) continue;
        for (const ordered_json& difference : differences) {
            const auto a = difference.at("a").get<std::string>();
            const auto b = difference.at("b").get<std::string>();
            if (!((a == run.reference && b == deal) || (b == run.reference && a == deal))) continue;
            const bool negate = a == run.reference;  // the pair holds a - b
            const ordered_json& m = difference.at("metrics");
            body += fmt::format(
                "<tr><th scope=\"row\">{}</th>{}{}{}{}</tr>\n", html_escape(deal),
                cell(m.at("host_value"), negate), cell(m.at("host_total_value"), negate),
                cell(m.at("partner_value"), negate), cell(m.at("partner_net_value"), negate));
        }
    }
    std::string weights;
    if (!run.terms.is_null() && run.terms.contains("support_value")) {
        const ordered_json& w = run.terms.at("support_value");
        weights = fmt::format(
            " A dollar of in-kind support is worth $ {:.2f} to the host and costs the partner "
            "$ {:.2f} (<code>world.host.support_value</code>, "
            "<code>world.partner.support_cost</code>).",
            number_of(w.at("host")), number_of(w.at("partner_cost")));
    }
    return note(fmt::format(
               "Gain = deal &minus; {}, path by path, the mean &plusmn; one standard error; "
               "<b>gains</b> or <b>loses</b> where the mean is more than two standard errors "
               "from 0. <i>From the subsoil</i>: the money the deal moves (revenue, "
               "contributions, the fund's payouts and the partner's cash). <i>With support "
               "valued</i>: the host also counts the in-kind (military) support it receives, "
               "the partner the cost of what it gives.{}",
               html_escape(run.reference), weights)) +
           "<div class=\"wide\"><table class=\"numbers gains\">\n<thead><tr><th>deal</th>"
           "<th>host: from the subsoil</th><th>host: with support valued</th>"
           "<th>partner: from the subsoil</th><th>partner: net of support's cost</th></tr>"
           "</thead>\n<tbody>\n" +
           body + "</tbody></table></div>";
}

// Paired differences deal - reference, from summary.json's pairs (a, b), which hold a - b.
std::string differences_html(const Run& run) {
    if (run.deals.size() < 2) return "";
    std::string html = fmt::format(
        "<h3>Paired gains against {}: gain = deal &minus; {}, path by path</h3>\n"
        "<div class=\"wide\"><table class=\"numbers differences\">\n<thead><tr><th>deal</th>{}"
        "</tr></thead>\n",
        html_escape(run.reference), html_escape(run.reference), stats_header);
    for (const char* metric :
         {"host_value", "partner_value", "host_total_value", "partner_net_value"}) {
        // Support valued (MODEL.md 4.2): absent from summaries written before it was.
        if (!run.summary.at("differences").empty() &&
            !run.summary.at("differences").front().at("metrics").contains(metric)) {
            continue;
        }
        html +=
            fmt::format("<tbody><tr class=\"metric\"><th colspan=\"8\">{} {} {}</th></tr>\n",
                        html_escape(metric_label(metric)), minus_sign, html_escape(run.reference));
        for (const ordered_json& difference : run.summary.at("differences")) {
            const auto a = difference.at("a").get<std::string>();
            const auto b = difference.at("b").get<std::string>();
            if (a != run.reference && b != run.reference) continue;
            const std::string& deal = a == run.reference ? b : a;
            html += fmt::format(
                "<tr><th scope=\"row\">{}</th>{}</tr>\n", html_escape(deal),
                stats_cells(difference.at("metrics").at(metric), Kind::money, a == run.reference));
        }
        html += "</tbody>\n";
    }
    return html + "</table></div>";
}

std::string projects_html(const Run& run) {
    std::string html =
        "<div class=\"wide\"><table class=\"numbers projects\">\n<thead><tr><th>project</th>"
        "<th class=\"text\">commodity</th><th class=\"text\">region</th>"
        "<th>government take</th><th>AETR</th><th>breakeven price</th>"
        "<th class=\"text\">price unit</th></tr></thead>\n<tbody>\n";
    for (const ordered_json& project : run.summary.at("projects")) {
        const auto name = project.at("name").get<std::string>();
        const ordered_json* terms = run.project_terms(name);
        const auto text = [&](const char* key) {
            const ordered_json* value = terms && terms->contains(key) ? &terms->at(key) : nullptr;
            return value && value->is_string() ? html_escape(value->get<std::string>())
                                               : std::string(dash);
        };
        html += fmt::format(
            "<tr><th scope=\"row\">{}</th><td class=\"text\">{}</td><td class=\"text\">{}</td>"
            "<td>{}</td><td>{}</td><td>{}</td><td class=\"text unit\">{}</td></tr>\n",
            html_escape(name), text("commodity"), text("region"),
            format_percent(number_of(project.at("government_take"))),
            format_percent(number_of(project.at("aetr"))),
            html_escape(format_price(number_of(project.at("breakeven_price")))), text("unit"));
    }
    return html + "</tbody></table></div>";
}

// ---------------------------------------------------------------------------------------------
// Which mines get built

// A median start year: a whole year, or half-way between two.
std::string start_year_text(double year) {
    if (!std::isfinite(year)) return "never";
    return year == std::floor(year) ? fmt::format("{:.0f}", year) : fmt::format("{:.1f}", year);
}

// The deals whose mines are compared with the reference's: the signed agreement (v5, and with
// the guarantee) against no_deal where the run has them; otherwise every deal.
std::vector<std::string> mines_compared(const Run& run) {
    std::vector<std::string> compared;
    const auto has = [&](const std::string& name) {
        return std::find(run.deals.begin(), run.deals.end(), name) != run.deals.end();
    };
    if (run.reference == "no_deal") {
        for (const char* name : {"v5", "signed_with_guarantee"})
            if (has(name)) compared.emplace_back(name);
    }
    if (compared.empty()) {
        for (const std::string& deal : run.deals)
            if (deal != run.reference) compared.push_back(deal);
    }
    return compared;
}

// The projects whose probability of starting by the horizon a deal changes against the
// reference by at least a tenth of a percentage point: one row a project, a column for the
// reference and each compared deal (probability, median start year, how often co-invested).
std::string mines_html(const Run& run) {
    const ordered_json& deals = run.summary.at("deals");
    const auto projects_of = [&](const std::string& name) -> const ordered_json* {
        for (const ordered_json& deal : deals)
            if (deal.at("name") == name && deal.contains("projects")) return &deal.at("projects");
        return nullptr;
    };
    const ordered_json* reference = projects_of(run.reference);
    if (reference == nullptr) return note("This run's summary does not say which projects start.");
    std::vector<std::pair<std::string, const ordered_json*>> compared;
    for (const std::string& deal : mines_compared(run))
        if (const ordered_json* projects = projects_of(deal)) compared.emplace_back(deal, projects);
    const auto started = [](const ordered_json& p) {
        return fmt::format("{}<br><small>{}</small>",
                           format_percent(number_of(p.at("started_probability"))),
                           start_year_text(number_of(p.at("median_start_year"))));
    };
    std::vector<std::pair<double, std::string>> rows;  // the largest |difference|, the row
    for (std::size_t j = 0; j < reference->size(); ++j) {
        const ordered_json& base = reference->at(j);
        const double q = number_of(base.at("started_probability"));
        double largest = 0;
        std::string cells = "<td>" + started(base) + "</td>";
        for (const auto& [deal, projects] : compared) {
            if (j >= projects->size()) continue;
            const ordered_json& p = projects->at(j);
            largest = std::max(largest, std::abs(number_of(p.at("started_probability")) - q));
            const double co = p.contains("co_invested_probability")
                                  ? number_of(p.at("co_invested_probability"))
                                  : 0.0;
            cells += "<td>" + started(p) + "</td><td>" +
                     (co > 0 ? format_percent(co) : std::string(dash)) + "</td>";
        }
        if (largest < 0.001) continue;
        rows.push_back(
            {largest, fmt::format("<tr><th scope=\"row\">{}</th>{}</tr>\n",
                                  html_escape(base.at("name").get<std::string>()), cells)});
    }
    const int last_year = run.start_year + run.horizon - 1;
    if (rows.empty()) {
        return note(fmt::format(
            "No deal compared here changes the probability that any project starts construction "
            "by {} by a tenth of a percentage point or more.",
            last_year));
    }
    // The largest changes first; ties keep the projects' order.
    std::stable_sort(rows.begin(), rows.end(),
                     [](const auto& a, const auto& b) { return a.first > b.first; });
    std::string head =
        fmt::format("<th>{}: started by {}</th>", html_escape(run.reference), last_year);
    for (const auto& [deal, projects] : compared) {
        head += fmt::format("<th>{}: started by {}</th><th>co-invested</th>", html_escape(deal),
                            last_year);
    }
    std::string body;
    for (const auto& row : rows) body += row.second;
    return fmt::format(
        "<div class=\"wide\"><table class=\"numbers mines\">\n<thead><tr><th>project</th>{}</tr>"
        "</thead>\n<tbody>\n{}</tbody></table></div>",
        head, body);
}

// ---------------------------------------------------------------------------------------------
// Charts: Vega-Lite specs

// Billions, to the million: enough for a chart, and a sixth of the bytes of full precision.
ordered_json bn(double usd) {
    if (!std::isfinite(usd)) return nullptr;
    return std::round(usd / billion * 1000) / 1000;
}

ordered_json spec() {
    ordered_json json = ordered_json::object();
    json["$schema"] = "https://vega.github.io/schema/vega-lite/v6.json";
    json["config"] = {{"font", "system-ui, -apple-system, Segoe UI, Roboto, sans-serif"},
                      {"axis", {{"labelFontSize", 11}, {"titleFontSize", 12}}},
                      {"header", {{"labelFontSize", 13}, {"labelFontWeight", "bold"}}},
                      {"title", {{"fontSize", 13}, {"anchor", "start"}}}};
    return json;
}

ordered_json field(std::string_view name, std::string_view type, ordered_json extra = {}) {
    ordered_json json = {{"field", name}, {"type", type}};
    if (extra.is_object()) json.update(extra);
    return json;
}

ordered_json year_axis() {
    return field("year", "quantitative",
                 {{"axis", {{"format", "d"}, {"title", nullptr}}}, {"scale", {{"nice", false}}}});
}

struct Chart {
    std::optional<ordered_json> spec;  // none: the chart is left out and the note says why
    std::string note;                  // HTML
};

Chart fund_chart(const Run& run, std::string_view fund_bands) {
    ordered_json rows = ordered_json::array();
    std::vector<std::string> with_fund;
    for (const auto& row : read_csv(fund_bands, "fund_bands.csv",
                                    {"deal", "year", "p5", "p25", "p50", "p75", "p95"})) {
        std::map<std::string, double> v;
        for (const char* key : {"p5", "p25", "p50", "p75", "p95"})
            v[key] = parse_number(row.at(key), "fund_bands.csv");
        if (!std::isfinite(v["p50"])) continue;
        ordered_json r = {{"deal", row.at("deal")}, {"year", std::stoi(row.at("year"))}};
        for (const auto& [key, value] : v) r[key] = bn(value);
        rows.push_back(r);
        if (v["p95"] != 0 || v["p5"] != 0) {
            if (std::find(with_fund.begin(), with_fund.end(), row.at("deal")) == with_fund.end())
                with_fund.push_back(row.at("deal"));
        }
    }
    std::vector<std::string> without;
    for (const std::string& deal : run.deals)
        if (std::find(with_fund.begin(), with_fund.end(), deal) == with_fund.end())
            without.push_back(html_escape(deal));
    std::string text =
        "Median (line), 25&ndash;75th percentile (dark band) and 5&ndash;95th percentile (light "
        "band) of the fund's balance at the end of each year, in $ bn of the year. Each panel "
        "has its own scale.";
    if (!without.empty())
        text += fmt::format(
            " Balance nil on every path (no fund, or all paid out in the year it comes in): {}.",
            fmt::join(without, ", "));
    if (with_fund.empty()) return {std::nullopt, note(text)};
    std::vector<std::string> order;
    for (const std::string& deal : run.deals)
        if (std::find(with_fund.begin(), with_fund.end(), deal) != with_fund.end())
            order.push_back(deal);
    ordered_json kept = ordered_json::array();
    for (ordered_json& r : rows)
        if (std::find(order.begin(), order.end(), r["deal"].get<std::string>()) != order.end())
            kept.push_back(r);

    const ordered_json y_title = {{"title", "fund balance, $ bn"}};
    const auto band = [&](const char* low, const char* high, double opacity) {
        return ordered_json{
            {"mark", {{"type", "area"}, {"color", "#2c5282"}, {"opacity", opacity}}},
            {"encoding",
             {{"x", year_axis()},
              {"y", field(low, "quantitative", y_title)},
              {"y2", {{"field", high}}}}}};
    };
    ordered_json median = {
        {"mark", {{"type", "line"}, {"color", "#1a365d"}, {"strokeWidth", 2}}},
        {"encoding",
         {{"x", year_axis()},
          {"y", field("p50", "quantitative", y_title)},
          {"tooltip",
           {field("year", "quantitative", {{"title", "year"}}),
            field("p5", "quantitative", {{"title", "5%, $ bn"}, {"format", ",.1f"}}),
            field("p50", "quantitative", {{"title", "median, $ bn"}, {"format", ",.1f"}}),
            field("p95", "quantitative", {{"title", "95%, $ bn"}, {"format", ",.1f"}})}}}}};
    ordered_json json = spec();
    json["data"] = {{"values", kept}};
    json["columns"] = 4;
    json["facet"] = field("deal", "nominal", {{"sort", order}, {"title", nullptr}});
    json["spec"] = {{"width", 240},
                    {"height", 150},
                    {"layer", {band("p5", "p95", 0.18), band("p25", "p75", 0.35), median}}};
    json["resolve"] = {{"scale", {{"y", "independent"}}}};
    return {json, note(text)};
}

// --- Per-year and per-asset results (summary.json's by_year, by_commodity; MODEL.md 5 v1.3)

// A deal's by_year series as rows {deal, series (its label), year, p5..p95 in $ bn}; none where
// the run has no such series, or (unless `keep_zeros`) every value of it is 0 or not defined.
// Whether some value is not 0.
bool add_year_rows(const ordered_json& deal, const std::string& series, const std::string& label,
                   ordered_json& rows, bool keep_zeros = false) {
    if (!deal.contains("by_year")) return false;
    const ordered_json& by_year = deal.at("by_year");
    if (!by_year.at("series").contains(series)) return false;
    const ordered_json& stats = by_year.at("series").at(series);
    const ordered_json& years = by_year.at("years");
    bool nonzero = false;
    ordered_json out = ordered_json::array();
    for (std::size_t t = 0; t < years.size(); ++t) {
        ordered_json row = {{"deal", deal.at("name")}, {"series", label}, {"year", years[t]}};
        for (const char* key : {"p5", "p25", "p50", "p75", "p95"}) {
            const double v = number_of(stats.at(key)[t]);
            if (std::isfinite(v) && v != 0) nonzero = true;
            row[key] = bn(v);
        }
        out.push_back(std::move(row));
    }
    if (!nonzero && !keep_zeros) return false;
    for (ordered_json& row : out) rows.push_back(std::move(row));
    return nonzero;
}

// Fans of the rows' series: P5-P95 (light band), P25-P75 (darker band), the median (line),
// a colour a series, a panel a deal.
// `grid`: a row a deal and a column a series, each panel one fan; otherwise a panel a deal with
// every series in it, four panels a row.
ordered_json fan_spec(const ordered_json& rows, const std::vector<std::string>& deals,
                      const std::vector<std::string>& series,
                      const std::vector<std::string>& colours, const std::string& y_title,
                      bool grid) {
    const ordered_json y = {{"title", y_title}, {"axis", {{"format", ",.2~f"}}}};
    const ordered_json legend = grid ? ordered_json(nullptr)
                                     : ordered_json{{"orient", "top"},
                                                    {"labelLimit", 400},
                                                    {"symbolOpacity", 1},
                                                    {"symbolType", "square"}};
    const ordered_json colour = field("series", "nominal",
                                      {{"title", nullptr},
                                       {"scale", {{"domain", series}, {"range", colours}}},
                                       {"legend", legend}});
    const auto band = [&](const char* low, const char* high, double opacity) {
        return ordered_json{{"mark", {{"type", "area"}, {"opacity", opacity}}},
                            {"encoding",
                             {{"x", year_axis()},
                              {"y", field(low, "quantitative", y)},
                              {"y2", {{"field", high}}},
                              {"color", colour}}}};
    };
    const ordered_json median = {
        {"mark", {{"type", "line"}, {"strokeWidth", 2}}},
        {"encoding",
         {{"x", year_axis()},
          {"y", field("p50", "quantitative", y)},
          {"color", colour},
          {"tooltip",
           {field("series", "nominal", {{"title", "series"}}),
            field("year", "quantitative", {{"title", "year"}}),
            field("p5", "quantitative", {{"title", "5%, $ bn"}, {"format", ",.2f"}}),
            field("p50", "quantitative", {{"title", "median, $ bn"}, {"format", ",.2f"}}),
            field("p95", "quantitative", {{"title", "95%, $ bn"}, {"format", ",.2f"}})}}}}};
    ordered_json json = spec();
    json["data"] = {{"values", rows}};
    const ordered_json deal = field("deal", "nominal", {{"sort", deals}, {"title", nullptr}});
    if (grid) {
        // A wrapped facet over "deal: series" (a row and a column facet with independent scales
        // put the panels' data out of place).
        std::vector<std::string> panels;
        ordered_json with_panel = ordered_json::array();
        for (const std::string& d : deals)
            for (const std::string& name : series) panels.push_back(d + ": " + name);
        for (ordered_json row : rows) {
            row["panel"] = row["deal"].get<std::string>() + ": " + row["series"].get<std::string>();
            with_panel.push_back(std::move(row));
        }
        json["data"] = {{"values", with_panel}};
        json["columns"] = static_cast<int>(series.size());
        json["facet"] = field("panel", "nominal", {{"sort", panels}, {"title", nullptr}});
    } else {
        json["columns"] = 4;
        json["facet"] = deal;
    }
    json["spec"] = {{"width", grid ? 300 : 240},
                    {"height", grid ? 110 : 150},
                    {"layer", {band("p5", "p95", 0.15), band("p25", "p75", 0.3), median}}};
    json["resolve"] = {{"scale", {{"y", "independent"}}}};
    return json;
}

const char* const fan_note =
    " Median (line), 25&ndash;75th percentile (dark band) and 5&ndash;95th percentile (light "
    "band) over the paths; each panel has its own scale.";

Chart years_chart(const Run& run) {
    ordered_json rows = ordered_json::array();
    std::vector<std::string> shown, quiet;
    bool any = false;
    for (const ordered_json& deal : run.summary.at("deals")) {
        if (!deal.contains("by_year")) continue;
        any = true;
        // A deal's three panels together (one of them all zeros: a line at 0), or none.
        bool some = false;
        for (const bool keep : {false, true}) {
            ordered_json deal_rows = ordered_json::array();
            for (const auto& [name, label] :
                 {std::pair{"contributions", "host contributions"},
                  std::pair{"distributions_to_host", "distributions to the host"},
                  std::pair{"distributions_to_partner", "distributions to the partner"}})
                some |= add_year_rows(deal, name, label, deal_rows, keep);
            if (!keep && !some) break;
            if (keep)
                for (ordered_json& row : deal_rows) rows.push_back(std::move(row));
        }
        (some ? shown : quiet).push_back(deal.at("name").get<std::string>());
    }
    if (!any) return {std::nullopt, note("This run has no per-year results.")};
    std::string text =
        "What the host pays into the fund each year (left) and what the fund pays out to each "
        "party (middle and right), a row a deal, in $ bn of the year.";
    text += fan_note;
    if (!quiet.empty()) {
        std::vector<std::string> names;
        for (const std::string& d : quiet) names.push_back(html_escape(d));
        text += fmt::format(" Nothing paid in or out on any path: {}.", fmt::join(names, ", "));
    }
    if (shown.empty()) return {std::nullopt, note(text)};
    return {fan_spec(
                rows, shown,
                {"host contributions", "distributions to the host", "distributions to the partner"},
                {"#c05621", "#2f855a", "#2c5282"}, "$ bn a year", true),
            note(text)};
}

// Cumulative contributions as a fan against the cap in force (its median), one panel a deal
// with a cap: in place of the probability of reaching it when no path does.
Chart cumulative_cap_chart(const Run& run, const std::vector<std::string>& capped) {
    ordered_json rows = ordered_json::array();
    std::vector<std::string> shown;
    for (const ordered_json& deal : run.summary.at("deals")) {
        const auto name = deal.at("name").get<std::string>();
        if (std::find(capped.begin(), capped.end(), name) == capped.end()) continue;
        if (!add_year_rows(deal, "cumulative_contributions", "cumulative contributions", rows))
            continue;
        add_year_rows(deal, "cap", "the cap", rows);
        shown.push_back(name);
    }
    if (shown.empty()) return {std::nullopt, {}};
    // The cap as a line only: its bands (the cap grows with support on some paths) are left out.
    for (ordered_json& row : rows) {
        if (row["series"] != "the cap") continue;
        for (const char* key : {"p5", "p25", "p75", "p95"}) row[key] = row["p50"];
    }
    std::string text = fmt::format(
        "<strong>No path reaches a cap by {}.</strong> Instead: how close each capped deal's "
        "cumulative contributions come to its cap (the cap in force, its median over the paths, "
        "as a line), in $ bn of each year.",
        run.start_year + run.horizon - 1);
    text += fan_note;
    return {fan_spec(rows, shown, {"cumulative contributions", "the cap"}, {"#c05621", "#1a202c"},
                     "cumulative contributions, $ bn", false),
            note(text)};
}

// Where each deal's mean contributions come from, by commodity, stacked.
Chart sources_chart(const Run& run) {
    ordered_json rows = ordered_json::array();
    std::vector<std::string> deals, commodities;
    bool any = false;
    for (const ordered_json& deal : run.summary.at("deals")) {
        if (!deal.contains("by_commodity")) continue;
        any = true;
        const auto name = deal.at("name").get<std::string>();
        bool some = false;
        for (const ordered_json& c : deal.at("by_commodity")) {
            const double value = number_of(c.at("contributions"));
            if (!(value > 0)) continue;
            const auto commodity = c.at("commodity").get<std::string>();
            if (std::find(commodities.begin(), commodities.end(), commodity) == commodities.end())
                commodities.push_back(commodity);
            rows.push_back({{"deal", name},
                            {"commodity", commodity},
                            {"contributions", bn(value)},
                            {"npv", bn(number_of(c.at("contributions_npv")))},
                            {"share", c.at("share")}});
            some = true;
        }
        if (some) deals.push_back(name);
    }
    if (!any) return {std::nullopt, note("This run has no per-asset results.")};
    if (deals.empty()) return {std::nullopt, note("No deal takes contributions on any path.")};
    const ordered_json x_title = {{"title", "mean host contributions over the horizon, $ bn"}};
    ordered_json json = spec();
    json["data"] = {{"values", rows}};
    json["width"] = 1000;
    json["height"] = {{"step", 28}};
    json["mark"] = {{"type", "bar"}};
    json["encoding"] = {
        {"y", field("deal", "nominal", {{"sort", deals}, {"title", nullptr}})},
        {"x", field("contributions", "quantitative", x_title)},
        {"color", field("commodity", "nominal",
                        {{"sort", commodities},
                         {"title", "commodity"},
                         {"scale", {{"scheme", "tableau20"}}},
                         {"legend", {{"orient", "top"}}}})},
        {"tooltip",
         {field("deal", "nominal"), field("commodity", "nominal"),
          field("contributions", "quantitative",
                {{"title", "mean contributions, $ bn"}, {"format", ",.3f"}}),
          field("npv", "quantitative",
                {{"title", "their NPV at the host's rate, $ bn"}, {"format", ",.3f"}}),
          field("share", "quantitative", {{"title", "share of the deal's"}, {"format", ".1%"}})}}};
    const std::string text =
        "Where each deal's contributions come from: the mean over the paths of what each "
        "commodity's projects and streams pay into the fund, undiscounted, in $ bn. A year's "
        "contributions are split over the assets in proportion to their revenue in the deal's "
        "scope times the share that applies to each (docs/model.md). Hover for the present "
        "value at the host's rate and each commodity's share.";
    return {json, note(text)};
}

Chart cap_chart(const Run& run, std::string_view cap_curve) {
    std::vector<std::string> capped;
    for (const std::string& deal : run.deals) {
        const ordered_json* terms = run.deal_terms(deal);
        if (!terms || !terms->at("cap").is_null()) capped.push_back(deal);
    }
    if (capped.empty()) return {std::nullopt, note("No deal in this run has a cap.")};
    ordered_json rows = ordered_json::array();
    double highest = 0;
    for (const auto& row :
         read_csv(cap_curve, "cap_curve.csv", {"deal", "year", "cap_reached_probability"})) {
        if (std::find(capped.begin(), capped.end(), row.at("deal")) == capped.end()) continue;
        const double p = parse_number(row.at("cap_reached_probability"), "cap_curve.csv");
        highest = std::max(highest, p);
        rows.push_back({{"deal", row.at("deal")},
                        {"year", std::stoi(row.at("year"))},
                        {"probability", std::isfinite(p) ? ordered_json(p) : ordered_json()}});
    }
    std::string text =
        "The probability that the fund has reached the deal's cap by the end of "
        "each year, one line per deal with a cap.";
    if (highest == 0) {
        // Nothing to draw but lines at 0: how close contributions come instead, if the run has
        // per-year results.
        Chart instead = cumulative_cap_chart(run, capped);
        if (instead.spec) return instead;
        text += fmt::format(" <strong>No path reaches a cap by {}</strong>: every line is at 0.",
                            run.start_year + run.horizon - 1);
    }
    ordered_json json = spec();
    json["data"] = {{"values", rows}};
    json["width"] = 1000;
    json["height"] = 260;
    json["mark"] = {{"type", "line"}, {"strokeWidth", 2}, {"interpolate", "step-after"}};
    json["encoding"] = {{"x", year_axis()},
                        {"y", field("probability", "quantitative",
                                    {{"title", "P(cap reached)"},
                                     {"axis", {{"format", ".0%"}}},
                                     {"scale", {{"domain", {0, 1}}}}})},
                        {"color", field("deal", "nominal", {{"sort", capped}, {"title", "deal"}})},
                        {"tooltip",
                         {field("deal", "nominal"), field("year", "quantitative"),
                          field("probability", "quantitative", {{"format", ".1%"}})}}};
    return {json, note(text)};
}

Chart value_chart(const Run& run, const std::string& metric, std::string_view title) {
    ordered_json rows = ordered_json::array();
    double reference_median = nan;
    for (const ordered_json& deal : run.summary.at("deals")) {
        const ordered_json& stats = deal.at("metrics").at(metric);
        if (stats.value("count", std::int64_t{0}) == 0) continue;
        const auto name = deal.at("name").get<std::string>();
        ordered_json row = {{"deal", name}, {"role", name == run.reference ? "reference" : "deal"}};
        for (const char* key : {"mean", "p5", "p25", "p50", "p75", "p95"})
            row[key] = bn(number_of(stats.at(key)));
        if (name == run.reference) reference_median = number_of(stats.at("p50"));
        rows.push_back(row);
    }
    const ordered_json x_title = {{"title", std::string(title) + ", $ bn"}};
    const ordered_json y = field("deal", "nominal", {{"sort", run.deals}, {"title", nullptr}});
    const ordered_json color = field("role", "nominal",
                                     {{"legend", nullptr},
                                      {"scale",
                                       {{"domain", ordered_json::array({"reference", "deal"})},
                                        {"range", ordered_json::array({"#a0aec0", "#3182ce"})}}}});
    const auto layer = [&](ordered_json mark, ordered_json encoding) {
        encoding["y"] = y;
        return ordered_json{{"mark", std::move(mark)}, {"encoding", std::move(encoding)}};
    };
    ordered_json tooltip = ordered_json::array();
    tooltip.push_back(field("deal", "nominal"));
    for (const auto& [key, label] :
         {std::pair{"p5", "5%"}, std::pair{"p25", "25%"}, std::pair{"p50", "median"},
          std::pair{"mean", "mean"}, std::pair{"p75", "75%"}, std::pair{"p95", "95%"}}) {
        tooltip.push_back(field(key, "quantitative",
                                {{"title", std::string(label) + ", $ bn"}, {"format", ",.1f"}}));
    }
    ordered_json layers = ordered_json::array();
    layers.push_back(
        layer({{"type", "rule"}, {"color", "#4a5568"}},
              {{"x", field("p5", "quantitative", x_title)}, {"x2", {{"field", "p95"}}}}));
    layers.push_back(
        layer({{"type", "bar"}, {"size", 16}}, {{"x", field("p25", "quantitative", x_title)},
                                                {"x2", {{"field", "p75"}}},
                                                {"color", color},
                                                {"tooltip", tooltip}}));
    layers.push_back(layer({{"type", "tick"}, {"color", "white"}, {"size", 16}, {"thickness", 2}},
                           {{"x", field("p50", "quantitative", x_title)}}));
    layers.push_back(layer({{"type", "point"},
                            {"shape", "diamond"},
                            {"filled", true},
                            {"color", "#1a202c"},
                            {"size", 50}},
                           {{"x", field("mean", "quantitative", x_title)}}));
    if (std::isfinite(reference_median)) {
        layers.push_back(
            {{"data", {{"values", {{{"x", bn(reference_median)}}}}}},
             {"mark", {{"type", "rule"}, {"strokeDash", {5, 4}}, {"color", "#c05621"}}},
             {"encoding", {{"x", field("x", "quantitative", x_title)}}}});
    }
    ordered_json json = spec();
    json["data"] = {{"values", rows}};
    json["width"] = 1000;
    json["height"] = {{"step", 30}};
    json["layer"] = layers;
    const std::string text = fmt::format(
        "Box: 25&ndash;75th percentile; whiskers: 5&ndash;95th; white tick: median; diamond: "
        "mean; grey: {} (the reference); dashed line: {}'s median.",
        html_escape(run.reference), html_escape(run.reference));
    return {json, note(text)};
}

// Each sampled path's (host, partner) values of each deal, from paths.csv.
struct PathValues {
    std::vector<std::int64_t> sample;
    // deal -> values by position in the sample; NaN where paths.csv has none
    std::map<std::string, std::vector<std::pair<double, double>>> values;
};

PathValues read_paths(const Run& run, std::string_view paths_csv) {
    PathValues out;
    out.sample = path_sample(run.paths, report_path_sample);
    CsvReader reader(paths_csv);
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
    for (const std::string& name : run.deals)
        out.values[name].assign(out.sample.size(), {nan, nan});
    while (reader.next(fields)) {
        if (fields.size() != width) throw std::runtime_error("paths.csv: a row is short");
        const auto p = static_cast<std::int64_t>(parse_number(fields[path], "paths.csv"));
        const auto at = std::lower_bound(out.sample.begin(), out.sample.end(), p);
        if (at == out.sample.end() || *at != p) continue;
        const auto it = out.values.find(fields[deal]);
        if (it == out.values.end()) continue;
        it->second[static_cast<std::size_t>(at - out.sample.begin())] = {
            parse_number(fields[host], "paths.csv"), parse_number(fields[partner], "paths.csv")};
    }
    return out;
}

Chart scatter_chart(const Run& run, const OutputFiles& files) {
    if (run.deals.size() < 2) return {std::nullopt, note("Only one deal: nothing to compare.")};
    const auto csv = files.find("paths.csv");
    if (csv == files.end()) {
        return {std::nullopt,
                note("<strong>Left out: this run directory has no paths.csv.</strong> The "
                     "scatter needs every path's values: run with <code>--per-path</code>, or "
                     "make the report with <code>nadra run --report FILE</code>, which always "
                     "has them.")};
    }
    const PathValues paths = read_paths(run, csv->second);
    const auto& reference = paths.values.at(run.reference);
    ordered_json rows = ordered_json::array();
    ordered_json views = ordered_json::array();
    const ordered_json x_title = {{"title", "host gain, $ bn"}};
    const ordered_json y_title = {{"title", "partner gain, $ bn"}};
    std::size_t shown = 0;
    for (const std::string& deal : run.deals) {
        if (deal == run.reference) continue;
        std::size_t count = 0, both = 0;
        const auto& values = paths.values.at(deal);
        for (std::size_t i = 0; i < values.size(); ++i) {
            const double host = values[i].first - reference[i].first;
            const double partner = values[i].second - reference[i].second;
            if (!std::isfinite(host) || !std::isfinite(partner)) continue;
            ++count;
            if (host > 0 && partner > 0) ++both;
            rows.push_back({{"deal", deal}, {"host", bn(host)}, {"partner", bn(partner)}});
        }
        if (count == 0) continue;
        shown = std::max(shown, count);
        const std::string subtitle =
            fmt::format("both gain on {} of paths",
                        format_percent(static_cast<double>(both) / static_cast<double>(count)));
        const ordered_json one = {{"values", {ordered_json::object()}}};
        ordered_json quadrant = {
            {"data", one},
            {"mark", {{"type", "rect"}, {"color", "#c6f6d5"}, {"opacity", 0.7}}},
            {"encoding",
             {{"x", {{"datum", 0}, {"type", "quantitative"}}},
              {"x2", {{"value", "width"}}},
              {"y", {{"datum", 0}, {"type", "quantitative"}}},
              {"y2", {{"value", 0}}}}}};
        ordered_json points = {
            {"data", {{"name", "paths"}}},
            {"transform", {{{"filter", {{"field", "deal"}, {"equal", deal}}}}}},
            {"mark", {{"type", "point"}, {"filled", true}, {"size", 14}, {"opacity", 0.45}}},
            {"encoding",
             {{"x", field("host", "quantitative", x_title)},
              {"y", field("partner", "quantitative", y_title)},
              {"color",
               {{"condition",
                 {{"test", "datum.host > 0 && datum.partner > 0"}, {"value", "#276749"}}},
                {"value", "#718096"}}},
              {"tooltip",
               {field("host", "quantitative", {{"title", "host gain, $ bn"}, {"format", ",.2f"}}),
                field("partner", "quantitative",
                      {{"title", "partner gain, $ bn"}, {"format", ",.2f"}})}}}}};
        const auto axis_line = [&](const char* channel) {
            return ordered_json{
                {"data", one},
                {"mark", {{"type", "rule"}, {"color", "#2d3748"}, {"strokeWidth", 1}}},
                {"encoding", {{channel, {{"datum", 0}, {"type", "quantitative"}}}}}};
        };
        views.push_back({{"title", {{"text", deal}, {"subtitle", subtitle}}},
                         {"width", 220},
                         {"height", 180},
                         {"layer", {quadrant, axis_line("x"), axis_line("y"), points}}});
    }
    if (views.empty()) return {std::nullopt, note("paths.csv holds none of the sampled paths.")};
    ordered_json json = spec();
    json["datasets"] = {{"paths", rows}};
    json["columns"] = 4;
    json["concat"] = views;
    const std::string text = fmt::format(
        "Each point is one sampled future ({} of {} paths): how much more the host (across) and "
        "the partner (up) get under the deal than under {} on the same path. <strong>Green "
        "quadrant: both gain</strong>, where a deal is a deal. Each panel has its own scale.",
        digits_grouped(static_cast<std::int64_t>(shown)), digits_grouped(run.paths),
        html_escape(run.reference));
    return {json, note(text)};
}

// ---------------------------------------------------------------------------------------------
// The analyses: sweep, breakeven, tornado and sobol

// A mean and its standard error, from {"mean": .., "se": ..}.
struct Est {
    double mean = nan, se = nan;
};

Est est_of(const ordered_json& json) {
    return {number_of(json.at("mean")), number_of(json.at("se"))};
}

// "$ 1.23 bn ± $ 45 m"
std::string money_se(const Est& e) {
    return money(e.mean) + " <small>&plusmn;&nbsp;" + format_money(e.se) + "</small>";
}

// A term's or an input's value: money from a million up, else four significant digits.
std::string format_term(double value) {
    if (!std::isfinite(value)) return std::string(dash);
    if (std::abs(value) >= 1e6) return format_money(value);
    if (std::abs(value) >= 1000) return digits_grouped(std::llround(value));
    return signed_text(value, fmt::format("{:.4g}", std::abs(value)));
}

// What an analysis is about, and a warning when it did not run as the header says.
std::string context_html(const Analysis& a, const Identity& shown, std::string_view what) {
    std::string html = fmt::format(
        "<p class=\"context\">{} of <strong>{}</strong> against {}, on {} paths "
        "(seed {}).",
        what, html_escape(a.deal), html_escape(a.baseline), digits_grouped(a.id.paths), a.id.seed);
    if (!(a.id == shown)) {
        html.replace(0, std::string_view("<p class=\"context\"").size(),
                     "<p class=\"context mismatch\"");
        std::vector<std::string> differs;
        if (a.id.scenario != shown.scenario)
            differs.push_back("scenario " + html_escape(a.id.scenario));
        if (a.id.sha256 != shown.sha256)
            differs.push_back("scenario SHA-256 " + html_escape(a.id.sha256.substr(0, 12)));
        if (a.id.seed != shown.seed) differs.push_back(fmt::format("seed {}", a.id.seed));
        if (a.id.paths != shown.paths)
            differs.push_back(fmt::format("{} paths", digits_grouped(a.id.paths)));
        if (a.id.start_year != shown.start_year || a.id.horizon != shown.horizon)
            differs.push_back(fmt::format("years {}{}{}", a.id.start_year, dash,
                                          a.id.start_year + a.id.horizon - 1));
        if (a.id.version != shown.version) differs.push_back("nadra " + html_escape(a.id.version));
        html += fmt::format(" <strong>Not run as the header says:</strong> {}.",
                            fmt::join(differs, ", "));
    }
    if (!a.command.empty()) html += " Reproduce: <code>" + html_escape(a.command) + "</code>";
    return html + "</p>";
}

// Scales a chart's axis: money (a million or more) in $ bn, anything else as it is.
struct AxisScale {
    double divisor = 1;
    std::string suffix;
};

AxisScale axis_scale(const std::vector<double>& values) {
    const bool money_like = std::all_of(values.begin(), values.end(),
                                        [](double v) { return v == 0 || std::abs(v) >= 1e6; }) &&
                            std::any_of(values.begin(), values.end(), [](double v) { return v; });
    return money_like ? AxisScale{billion, ", $ bn"} : AxisScale{};
}

std::optional<double> numeric(const std::string& text) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

// --- sweep.json

struct Variant {
    std::string deal, name;           // "v5", "v5[share=0.3, cap=none]"
    std::vector<std::string> values;  // one per axis
    Est host_gain, partner_gain;
    double host_value = nan, partner_value = nan, cap_probability = nan;
    bool frontier = false, zone = false, nash = false;
};

struct Sweep {
    std::vector<std::string> deals;
    std::vector<std::string> axes;  // keys, relative to the deal
    std::vector<std::vector<std::string>> axis_values;
    Est base_host, base_partner;
    // The basis the gains and values above are on: money, or total (in-kind support valued,
    // MODEL.md 4.2). Files written before there was a choice are on money.
    bool total = false;
    std::vector<Variant> variants;
};

Sweep read_sweep(const ordered_json& json) {
    Sweep s;
    for (const ordered_json& axis : json.at("axes")) {
        s.axes.push_back(axis.at("key").get<std::string>());
        s.axis_values.push_back(axis.at("values").get<std::vector<std::string>>());
    }
    s.deals = json.at("deals").get<std::vector<std::string>>();
    s.total = json.value("value", std::string("money")) == "total";
    const char* host_base = s.total ? "host_total" : "host";
    const char* partner_base = s.total ? "partner_net" : "partner";
    s.base_host = est_of(json.at("baseline_value").at(host_base));
    s.base_partner = est_of(json.at("baseline_value").at(partner_base));
    const char* host_gain = s.total ? "host_total_gain" : "host_gain";
    const char* partner_gain = s.total ? "partner_net_gain" : "partner_gain";
    const char* host_value = s.total ? "host_total_value" : "host_value";
    const char* partner_value = s.total ? "partner_net_value" : "partner_value";
    for (const ordered_json& v : json.at("variants")) {
        Variant variant;
        variant.deal = v.at("deal").get<std::string>();
        variant.name = v.at("name").get<std::string>();
        const ordered_json& settings = v.at("settings");
        for (const std::string& key : s.axes)
            variant.values.push_back(settings.at(key).get<std::string>());
        variant.host_gain = est_of(v.at(host_gain));
        variant.partner_gain = est_of(v.at(partner_gain));
        variant.host_value = number_of(v.at(host_value).at("mean"));
        variant.partner_value = number_of(v.at(partner_value).at("mean"));
        variant.cap_probability = number_of(v.at("cap_probability"));
        variant.frontier = v.at("on_frontier").get<bool>();
        variant.zone = v.at("in_zone").get<bool>();
        variant.nash = v.value("nash", false);
        s.variants.push_back(std::move(variant));
    }
    return s;
}

constexpr std::string_view zone_colour = "#2f855a", frontier_colour = "#2b6cb0",
                           other_colour = "#a0aec0", host_colour = "#2c5282",
                           partner_colour = "#c05621";

Chart sweep_chart(const Analysis& a, const Sweep& s) {
    std::size_t frontier = 0;
    for (const Variant& v : s.variants) frontier += v.frontier;
    // Labels beside the points where they fit: every variant, else the frontier's.
    const bool label_all = s.variants.size() <= 24;
    const bool label_frontier = !label_all && frontier <= 24;
    ordered_json rows = ordered_json::array();
    for (const Variant& v : s.variants) {
        if (!std::isfinite(v.host_gain.mean) || !std::isfinite(v.partner_gain.mean)) continue;
        const char* group = v.zone ? "in the zone" : v.frontier ? "on the frontier" : "other";
        std::string tag;
        if (label_all || (label_frontier && v.frontier)) {
            if (s.deals.size() > 1 || s.axes.empty()) tag = v.deal;
            for (const std::string& value : v.values) tag += (tag.empty() ? "" : ", ") + value;
        }
        const auto two_se = [](const Est& e, int sign) {
            return std::isfinite(e.se) ? bn(e.mean + sign * 2 * e.se) : bn(e.mean);
        };
        if (v.nash) tag += tag.empty() ? "Nash point" : " (Nash point)";
        rows.push_back({{"variant", v.name},
                        {"tag", tag},
                        {"group", group},
                        {"frontier", v.frontier},
                        {"nash", v.nash},
                        {"host", bn(v.host_gain.mean)},
                        {"host_se", bn(v.host_gain.se)},
                        {"host_low", two_se(v.host_gain, -1)},
                        {"host_high", two_se(v.host_gain, 1)},
                        {"partner", bn(v.partner_gain.mean)},
                        {"partner_se", bn(v.partner_gain.se)},
                        {"partner_low", two_se(v.partner_gain, -1)},
                        {"partner_high", two_se(v.partner_gain, 1)},
                        {"host_value", bn(v.host_value)},
                        {"partner_value", bn(v.partner_value)},
                        {"cap", std::isfinite(v.cap_probability) ? ordered_json(v.cap_probability)
                                                                 : ordered_json()}});
    }
    if (rows.empty()) return {std::nullopt, note("No variant has finite gains to draw.")};
    // Variants that fall on one point (a term that changes nothing) share one label.
    std::map<std::string, std::size_t> first_at;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        ordered_json& row = rows[i];
        if (row["tag"] == "") continue;
        const std::string at = row["host"].dump() + "," + row["partner"].dump();
        const auto [it, fresh] = first_at.try_emplace(at, i);
        if (fresh) continue;
        ordered_json& first = rows[it->second];
        first["tag"] = first["tag"].get<std::string>() + " = " + row["tag"].get<std::string>();
        row["tag"] = "";
    }
    // A label too close to one already placed (within 4% of each axis's span) is left to the
    // tooltip, so that labels do not overprint each other.
    double host_min = 0, host_max = 0, partner_min = 0, partner_max = 0;
    for (const ordered_json& row : rows) {
        host_min = std::min(host_min, row["host"].get<double>());
        host_max = std::max(host_max, row["host"].get<double>());
        partner_min = std::min(partner_min, row["partner"].get<double>());
        partner_max = std::max(partner_max, row["partner"].get<double>());
    }
    std::vector<std::pair<double, double>> placed;
    for (ordered_json& row : rows) {
        if (row["tag"] == "") continue;
        const double h = row["host"].get<double>(), p = row["partner"].get<double>();
        const bool crowded = std::any_of(placed.begin(), placed.end(), [&](const auto& q) {
            return std::abs(h - q.first) < 0.04 * (host_max - host_min) &&
                   std::abs(p - q.second) < 0.04 * (partner_max - partner_min);
        });
        if (crowded)
            row["tag"] = "";
        else
            placed.emplace_back(h, p);
    }
    const std::string baseline = a.baseline;
    const std::string host_words = s.total ? "host total gain" : "host gain";
    const std::string partner_words = s.total ? "partner net gain" : "partner gain";
    const ordered_json x = field("host", "quantitative",
                                 {{"title", host_words + " over " + baseline + ", $ bn"},
                                  {"scale", {{"zero", true}, {"padding", 12}}}});
    const ordered_json y = field("partner", "quantitative",
                                 {{"title", partner_words + " over " + baseline + ", $ bn"},
                                  {"scale", {{"zero", true}, {"padding", 12}}}});
    const ordered_json colour =
        field("group", "nominal",
              {{"title", nullptr},
               {"scale",
                {{"domain", {"in the zone", "on the frontier", "other"}},
                 {"range", {zone_colour, frontier_colour, other_colour}}}},
               {"legend", {{"orient", "top"}, {"direction", "horizontal"}, {"symbolOpacity", 1}}}});
    const ordered_json one = {{"values", {ordered_json::object()}}};
    const ordered_json quadrant = {
        {"data", one},
        {"mark", {{"type", "rect"}, {"color", "#c6f6d5"}, {"opacity", 0.45}}},
        {"encoding",
         {{"x", {{"datum", 0}, {"type", "quantitative"}}},
          {"x2", {{"value", "width"}}},
          {"y", {{"datum", 0}, {"type", "quantitative"}}},
          {"y2", {{"value", 0}}}}}};
    const auto axis_line = [&](const char* channel) {
        return ordered_json{{"data", one},
                            {"mark", {{"type", "rule"}, {"color", "#2d3748"}, {"strokeWidth", 1}}},
                            {"encoding", {{channel, {{"datum", 0}, {"type", "quantitative"}}}}}};
    };
    const ordered_json marked = {{"filter", "datum.group != 'other'"}};
    ordered_json across = {{"transform", {marked}},
                           {"mark", {{"type", "rule"}, {"opacity", 0.55}}},
                           {"encoding",
                            {{"x", field("host_low", "quantitative", {{"title", x["title"]}})},
                             {"x2", {{"field", "host_high"}}},
                             {"y", y},
                             {"color", colour}}}};
    ordered_json up = {{"transform", {marked}},
                       {"mark", {{"type", "rule"}, {"opacity", 0.55}}},
                       {"encoding",
                        {{"x", x},
                         {"y", field("partner_low", "quantitative", {{"title", y["title"]}})},
                         {"y2", {{"field", "partner_high"}}},
                         {"color", colour}}}};
    ordered_json line = {
        {"transform", {{{"filter", "datum.frontier"}}}},
        {"mark", {{"type", "line"}, {"color", frontier_colour}, {"strokeWidth", 1.5}}},
        {"encoding", {{"x", x}, {"y", y}, {"order", field("host", "quantitative")}}}};
    ordered_json tooltip = {
        field("variant", "nominal", {{"title", "terms"}}),
        field("host", "quantitative", {{"title", host_words + ", $ bn"}, {"format", ",.2f"}}),
        field("host_se", "quantitative", {{"title", "± s.e."}, {"format", ",.2f"}}),
        field("partner", "quantitative", {{"title", partner_words + ", $ bn"}, {"format", ",.2f"}}),
        field("partner_se", "quantitative", {{"title", "± s.e. "}, {"format", ",.2f"}}),
        field("host_value", "quantitative",
              {{"title", s.total ? "host total value, $ bn" : "host value, $ bn"},
               {"format", ",.2f"}}),
        field("partner_value", "quantitative",
              {{"title", s.total ? "partner net value, $ bn" : "partner value, $ bn"},
               {"format", ",.2f"}}),
        field("nash", "nominal", {{"title", "Nash point"}}),
        field("cap", "quantitative", {{"title", "P(cap reached)"}, {"format", ".1%"}}),
        field("group", "nominal", {{"title", "group"}})};
    ordered_json points = {{"mark", {{"type", "point"}, {"filled", true}, {"size", 55}}},
                           {"encoding",
                            {{"x", x},
                             {"y", y},
                             {"color", colour},
                             {"opacity", {{"value", 0.9}}},
                             {"tooltip", tooltip}}}};
    // The Nash point: a ring around its dot.
    ordered_json nash_ring = {{"transform", {{{"filter", "datum.nash"}}}},
                              {"mark",
                               {{"type", "point"},
                                {"filled", false},
                                {"size", 260},
                                {"strokeWidth", 2},
                                {"color", "#1a202c"}}},
                              {"encoding", {{"x", x}, {"y", y}, {"tooltip", tooltip}}}};
    ordered_json labels = {{"transform", {{{"filter", "datum.tag != ''"}}}},
                           {"mark",
                            {{"type", "text"},
                             {"align", "left"},
                             {"dx", 6},
                             {"dy", -6},
                             {"fontSize", 10},
                             {"color", "#4a5568"}}},
                           {"encoding", {{"x", x}, {"y", y}, {"text", field("tag", "nominal")}}}};
    ordered_json json = spec();
    json["data"] = {{"values", rows}};
    json["width"] = 560;
    json["height"] = 420;
    json["layer"] = {quadrant, axis_line("x"), axis_line("y"), across, up,
                     line,     points,         nash_ring,      labels};
    std::string text = fmt::format(
        "Each point is one variant of {}: how much more the host (across) and the partner (up) "
        "get on average than under {}, on the same paths{}. <strong>Green: in the zone</strong>, "
        "where both gains are more than two standard errors above 0; blue line: the frontier; "
        "ringed: the Nash point, the variant in the zone with the largest product of the two "
        "gains. Whiskers: &plusmn;2 standard errors (zone and frontier only).",
        html_escape(a.deal), html_escape(a.baseline),
        s.total ? ", with in-kind support valued (host total and partner net value)" : "");
    const std::string what = s.axes.empty()       ? "deal"
                             : s.deals.size() > 1 ? "deal and value"
                                                  : "value";
    if (label_all)
        text += " Labels: each variant's " + what + (s.axes.size() > 1 ? "s" : "") +
                " where they fit; the tooltip has every one.";
    else if (label_frontier)
        text += " Labels: the frontier variants' " + what + (s.axes.size() > 1 ? "s" : "") + ".";
    return {json, note(text)};
}

// The gains against the one axis's values, when they are numbers.
Chart sweep_axis_chart(const Analysis& a, const Sweep& s) {
    if (s.axes.size() != 1 || s.deals.size() != 1) {
        return {std::nullopt,
                note("The gains against a term's values are drawn for a sweep of one deal along "
                     "one term.")};
    }
    const std::string& key = s.axes.front();
    std::vector<std::pair<double, const Variant*>> points;
    std::vector<std::string> left_out;
    for (const Variant& v : s.variants) {
        const auto x = numeric(v.values.front());
        if (x && std::isfinite(v.host_gain.mean) && std::isfinite(v.partner_gain.mean)) {
            points.emplace_back(*x, &v);
        } else {
            left_out.push_back(fmt::format(
                "{} = {} (host {}, partner {})", html_escape(key), html_escape(v.values.front()),
                format_money(v.host_gain.mean), format_money(v.partner_gain.mean)));
        }
    }
    if (points.size() < 2)
        return {std::nullopt, note(fmt::format("Fewer than two numeric values of {}: no line to "
                                               "draw.",
                                               html_escape(key)))};
    std::stable_sort(points.begin(), points.end(),
                     [](const auto& p, const auto& q) { return p.first < q.first; });
    std::vector<double> xs;
    for (const auto& p : points) xs.push_back(p.first);
    const AxisScale scale = axis_scale(xs);
    const std::string x_title = key + scale.suffix;
    ordered_json rows = ordered_json::array();
    ordered_json zone = ordered_json::array();
    for (std::size_t i = 0; i < points.size(); ++i) {
        const auto& [value, v] = points[i];
        const double x = value / scale.divisor;
        for (const auto& [party, e] :
             {std::pair{"host", v->host_gain}, std::pair{"partner", v->partner_gain}}) {
            const double se = std::isfinite(e.se) ? e.se : 0;
            rows.push_back({{"x", x},
                            {"party", party},
                            {"gain", bn(e.mean)},
                            {"se", bn(e.se)},
                            {"low", bn(e.mean - 2 * se)},
                            {"high", bn(e.mean + 2 * se)},
                            {"zone", v->zone ? "yes" : "no"}});
        }
        if (v->zone) {
            // Halfway to the neighbours, so that neighbouring variants in the zone make one band.
            const double before = i > 0 ? (points[i - 1].first + value) / 2 : value;
            const double after = i + 1 < points.size() ? (value + points[i + 1].first) / 2 : value;
            if (!zone.empty() && zone.back()["to"] == before / scale.divisor)
                zone.back()["to"] = after / scale.divisor;  // one band, without seams
            else
                zone.push_back({{"from", before / scale.divisor}, {"to", after / scale.divisor}});
        }
    }
    const ordered_json x = field(
        "x", "quantitative", {{"title", x_title}, {"scale", {{"nice", false}, {"zero", false}}}});
    const ordered_json y_title = {{"title", "gain over " + a.baseline + ", $ bn"}};
    const ordered_json colour = field(
        "party", "nominal",
        {{"title", nullptr},
         {"scale", {{"domain", {"host", "partner"}}, {"range", {host_colour, partner_colour}}}},
         {"legend", {{"orient", "top"}, {"direction", "horizontal"}, {"symbolOpacity", 1}}}});
    ordered_json layers = ordered_json::array();
    if (!zone.empty()) {
        layers.push_back({{"data", {{"values", zone}}},
                          {"mark", {{"type", "rect"}, {"color", "#c6f6d5"}, {"opacity", 0.6}}},
                          {"encoding",
                           {{"x", field("from", "quantitative", {{"title", x_title}})},
                            {"x2", {{"field", "to"}}}}}});
    }
    layers.push_back({{"data", {{"values", {ordered_json::object()}}}},
                      {"mark", {{"type", "rule"}, {"color", "#2d3748"}, {"strokeWidth", 1}}},
                      {"encoding", {{"y", {{"datum", 0}, {"type", "quantitative"}}}}}});
    layers.push_back({{"mark", {{"type", "area"}, {"opacity", 0.18}}},
                      {"encoding",
                       {{"x", x},
                        {"y", field("low", "quantitative", y_title)},
                        {"y2", {{"field", "high"}}},
                        {"color", colour}}}});
    layers.push_back(
        {{"mark",
          {{"type", "line"}, {"strokeWidth", 2}, {"point", {{"filled", true}, {"size", 30}}}}},
         {"encoding",
          {{"x", x},
           {"y", field("gain", "quantitative", y_title)},
           {"color", colour},
           {"tooltip",
            {field("x", "quantitative", {{"title", x_title}, {"format", ",.4~g"}}),
             field("party", "nominal"),
             field("gain", "quantitative", {{"title", "gain, $ bn"}, {"format", ",.2f"}}),
             field("se", "quantitative", {{"title", "± s.e., $ bn"}, {"format", ",.2f"}}),
             field("zone", "nominal", {{"title", "in the zone"}})}}}}});
    ordered_json json = spec();
    json["data"] = {{"values", rows}};
    json["width"] = 520;
    json["height"] = 420;
    json["layer"] = layers;
    std::string text = fmt::format(
        "Each side's mean gain over {} as {} varies; bands: &plusmn;2 standard errors. "
        "<strong>Green bands: the values in the zone</strong>, where both sides gain.",
        html_escape(a.baseline), html_escape(key));
    if (!left_out.empty())
        text += fmt::format(" Left out, not being numbers: {}.", fmt::join(left_out, "; "));
    return {json, note(text)};
}

// Variants as a table: their values, both gains, P(cap), and one more yes/no column.
std::string variants_table(const Sweep& s, std::vector<const Variant*> variants,
                           std::string_view extra, bool (*extra_of)(const Variant&),
                           bool nash_column = false) {
    std::stable_sort(variants.begin(), variants.end(), [](const Variant* p, const Variant* q) {
        return p->host_gain.mean < q->host_gain.mean;
    });
    // A deal column when several deals are swept, or none varies (the deals are the variants).
    const bool deal_column = s.deals.size() > 1 || s.axes.empty();
    std::string html = "<div class=\"wide\"><table class=\"numbers sweep\">\n<thead><tr>";
    if (deal_column) html += "<th>deal</th>";
    for (const std::string& key : s.axes) html += "<th>" + html_escape(key) + "</th>";
    html += fmt::format(
        "<th>{}</th><th>{}</th><th>P(cap reached)</th><th>{}</th>{}</tr></thead>\n"
        "<tbody>\n",
        s.total ? "host total gain" : "host gain", s.total ? "partner net gain" : "partner gain",
        extra, nash_column ? "<th>Nash point</th>" : "");
    for (const Variant* v : variants) {
        html += "<tr>";
        if (deal_column) html += "<td class=\"text\">" + html_escape(v->deal) + "</td>";
        for (const std::string& value : v->values)
            html += "<td class=\"text\">" + html_escape(value) + "</td>";
        html += fmt::format("<td>{}</td><td>{}</td><td>{}</td><td class=\"mark\">{}</td>",
                            money_se(v->host_gain), money_se(v->partner_gain),
                            format_percent(v->cap_probability), extra_of(*v) ? "yes" : "");
        if (nash_column) html += fmt::format("<td class=\"mark\">{}</td>", v->nash ? "yes" : "");
        html += "</tr>\n";
    }
    return html + "</tbody></table></div>";
}

std::string sweep_tables(const Analysis& a, const Sweep& s) {
    std::vector<const Variant*> zone, frontier;
    for (const Variant& v : s.variants) {
        if (v.zone) zone.push_back(&v);
        if (v.frontier) frontier.push_back(&v);
    }
    const std::size_t n = s.variants.size();
    std::string html = fmt::format(
        "<h3>The zone of possible agreement: {} of {} variants</h3>\n"
        "<p class=\"note\">The variants that <strong>both sides would rather sign than have "
        "{}</strong>: each side's mean gain is more than two standard errors above 0, so the gain "
        "is not an accident of the sampled futures. Sorted by the host's gain; &plusmn; one "
        "standard error.</p>\n",
        zone.size(), n, html_escape(a.baseline));
    html += zone.empty() ? note(
                               "<strong>No variant is in the zone:</strong> in every one, at "
                               "least one side does not clearly gain over " +
                               html_escape(a.baseline) + ".")
                         : variants_table(
                               s, zone, "on the frontier",
                               [](const Variant& v) { return v.frontier; }, true);
    for (const Variant& v : s.variants) {
        if (!v.nash) continue;
        html += note(fmt::format(
            "<strong>The Nash point: {}</strong>, host {} and partner {} over {}: of the variants "
            "in the zone, the one with the largest product of the two mean gains (the Nash "
            "bargaining solution, with {} as the point of disagreement).",
            html_escape(v.name), money_se(v.host_gain), money_se(v.partner_gain),
            html_escape(a.baseline), html_escape(a.baseline)));
    }
    html += fmt::format(
        "<h3>The frontier: {} of {} variants</h3>\n"
        "<p class=\"note\">The variants that no other variant beats for both sides at once (by "
        "mean value). Off the frontier, some other variant gives one side more and the other no "
        "less; along it, one side's gain is the other's loss. Sorted by the host's gain.</p>\n",
        frontier.size(), n);
    if (frontier == zone && !zone.empty()) {
        return html + note(
                          "The same variants as the zone's, so the table above is the "
                          "frontier's too.");
    }
    html += variants_table(s, frontier, "in the zone", [](const Variant& v) { return v.zone; });
    return html;
}

std::string sweep_intro(const Analysis& a, const Identity& shown, const Sweep& s) {
    std::string axes;
    for (std::size_t i = 0; i < s.axes.size(); ++i) {
        const auto& values = s.axis_values[i];
        std::string list;
        if (values.size() <= 6) {
            for (const std::string& v : values) list += (list.empty() ? "" : ", ") + html_escape(v);
        } else {
            list = fmt::format("{}, {}, &hellip;, {} ({} values)", html_escape(values[0]),
                               html_escape(values[1]), html_escape(values.back()), values.size());
        }
        axes +=
            fmt::format("{}<code>{}</code> = {}", i == 0 ? "" : "; ", html_escape(s.axes[i]), list);
    }
    return context_html(a, shown, "Sweep") +
           note(fmt::format(
               "{}, every one run on the same futures as {} (host {}, partner {}). A "
               "negotiator looks for terms where both sides gain, and among those, for terms "
               "that cannot be bettered for one side without costing the other.{}",
               s.axes.empty() ? fmt::format("{} deals as the scenario has them: {}",
                                            s.variants.size(), html_escape(a.deal))
                              : fmt::format("{} variants of {}, one for each combination of {}{}",
                                            s.variants.size(), html_escape(a.deal), axes,
                                            s.deals.size() > 1 ? " for each deal" : ""),
               html_escape(a.baseline), money(s.base_host.mean), money(s.base_partner.mean),
               s.total ? " Values and gains here count in-kind support as each side values it "
                         "(<code>--value total</code>: the host's total value and the partner's "
                         "net value, MODEL.md 4.2); sweep.csv also has them on money alone."
                       : ""));
}

// --- breakeven.json

std::string breakeven_html(const Analysis& a, const Identity& shown) {
    const ordered_json& j = a.json;
    const std::string param = j.at("param").get<std::string>();
    const double low = number_of(j.at("range").at(0)), high = number_of(j.at("range").at(1));
    const std::string p = "<code>" + html_escape(param) + "</code>";
    const std::string deal = html_escape(a.deal), baseline = html_escape(a.baseline);
    std::string html =
        context_html(a, shown, "Breakeven") +
        note(fmt::format(
            "The value of {} in {} at which a side gets, on average over the same futures, "
            "exactly what it gets under {}, searched for between {} and {}. The 95% interval: "
            "the values at which the side's mean gain is 1.96 standard errors from 0; an open "
            "end lies outside the range searched.{}",
            p, deal, baseline, format_term(low), format_term(high),
            j.value("value", std::string("money")) == "total"
                ? " Gains with in-kind support valued (<code>--value total</code>: the host's "
                  "total value, the partner's net value, MODEL.md 4.2)."
                : ""));
    html += fmt::format(
        "<div class=\"wide\"><table class=\"numbers breakeven\">\n<thead><tr><th>side</th>"
        "<th>{} at indifference</th><th>95% interval</th><th>gain at {} = {}</th>"
        "<th>gain at {} = {}</th></tr></thead>\n<tbody>\n",
        p, p, format_term(low), p, format_term(high));
    std::vector<std::string> sentences;
    // Where each side gains, as an interval of the range; none when nowhere.
    std::vector<std::optional<std::pair<double, double>>> gains;
    for (const ordered_json& party : j.at("parties")) {
        const std::string name = html_escape(party.at("party").get<std::string>());
        const double value = number_of(party.at("value"));
        const double ci_low = number_of(party.at("ci_low")),
                     ci_high = number_of(party.at("ci_high"));
        const double at_low = number_of(party.at("gain_at_low"));
        const double at_high = number_of(party.at("gain_at_high"));
        std::string interval = std::string(dash);
        if (std::isfinite(value)) {
            interval = fmt::format(
                "{} to {}",
                std::isfinite(ci_low) ? format_term(ci_low) : "&lt; " + format_term(low),
                std::isfinite(ci_high) ? format_term(ci_high) : "&gt; " + format_term(high));
        }
        html += fmt::format(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            name, std::isfinite(value) ? format_term(value) : "none in the range", interval,
            money(at_low), money(at_high));
        const std::string who = "The " + name;
        if (std::isfinite(value)) {
            const bool falling = at_low > at_high;
            sentences.push_back(fmt::format(
                "{} gains from {} while {} {} <strong>{}</strong> (95% interval {}), and loses "
                "{} it.",
                who, deal, p, falling ? "&lt;" : "&gt;", format_term(value), interval,
                falling ? "above" : "below"));
            gains.push_back(falling ? std::pair{low, value} : std::pair{value, high});
        } else if (at_low > 0 && at_high > 0) {
            sentences.push_back(fmt::format("{} gains from {} at every {} from {} to {}.", who,
                                            deal, p, format_term(low), format_term(high)));
            gains.push_back(std::pair{low, high});
        } else {
            sentences.push_back(fmt::format("{} gains nothing from {} at any {} from {} to {}.",
                                            who, deal, p, format_term(low), format_term(high)));
            gains.push_back(std::nullopt);
        }
    }
    html += "</tbody></table></div>\n";
    if (gains.size() > 1) {
        double from = low, to = high;
        bool some = true;
        for (const auto& g : gains) {
            if (!g) {
                some = false;
                break;
            }
            from = std::max(from, g->first);
            to = std::min(to, g->second);
        }
        if (some && from < to) {
            std::string where;
            if (from > low && to < high)
                where =
                    fmt::format("while {} &lt; {} &lt; {}", format_term(from), p, format_term(to));
            else if (from > low)
                where = fmt::format("while {} &gt; {}", p, format_term(from));
            else if (to < high)
                where = fmt::format("while {} &lt; {}", p, format_term(to));
            else
                where = fmt::format("at every {} searched", p);
            sentences.push_back(fmt::format(
                "<strong>Both sides gain {}</strong>: the room to negotiate in (by mean gain).",
                where));
        } else {
            sentences.push_back(fmt::format(
                "<strong>No {} between {} and {} makes both sides gain</strong> (by mean gain).", p,
                format_term(low), format_term(high)));
        }
    }
    html += "<ul class=\"plain\">\n";
    for (const std::string& sentence : sentences) html += "<li>" + sentence + "</li>\n";
    return html + "</ul>";
}

// --- tornado.json and sobol.json

// How an output is shown: money in $ bn, a probability as %, a year.
enum class Measure { money, probability, year };

struct OutputInfo {
    Measure measure = Measure::money;
    std::string label;  // words, without the unit
};

OutputInfo output_info(const Analysis& a) {
    const auto name = a.json.at("output").get<std::string>();
    const int year = a.json.value("cap_by_year", 0);
    if (name == "host_gain") return {Measure::money, "host gain over " + a.baseline};
    if (name == "partner_gain") return {Measure::money, "partner gain over " + a.baseline};
    if (name == "host_value") return {Measure::money, "host value"};
    if (name == "partner_value") return {Measure::money, "partner value"};
    if (name == "host_total_gain")
        return {Measure::money, "host total gain (support valued) over " + a.baseline};
    if (name == "partner_net_gain")
        return {Measure::money, "partner net gain (support valued) over " + a.baseline};
    if (name == "host_total_value") return {Measure::money, "host total value"};
    if (name == "partner_net_value") return {Measure::money, "partner net value"};
    if (name == "cap_year") return {Measure::year, "mean year the cap is reached"};
    if (name == "cap_probability")
        return {Measure::probability, fmt::format("probability the cap is reached by {}", year)};
    throw std::runtime_error(fmt::format("{}: unknown output '{}'", a.file(), name));
}

std::string measure_text(Measure m, double value) {
    switch (m) {
        case Measure::probability:
            return format_percent(value);
        case Measure::year:
            return std::isfinite(value) ? fmt::format("{:.1f}", value) : std::string(dash);
        case Measure::money:
            break;
    }
    return format_money(value);
}

// A difference of two values: money, percentage points, years.
std::string measure_change(Measure m, double value) {
    if (!std::isfinite(value)) return std::string(dash);
    switch (m) {
        case Measure::probability:
            return signed_text(value, fmt::format("{:.1f} pp", std::abs(value) * 100));
        case Measure::year:
            return signed_text(value, fmt::format("{:.1f} yr", std::abs(value)));
        case Measure::money:
            break;
    }
    return format_money(value);
}

ordered_json measure_value(Measure m, double value) {
    if (!std::isfinite(value)) return nullptr;
    switch (m) {
        case Measure::probability:
            return std::round(value * 1e5) / 1e5;
        case Measure::year:
            return std::round(value * 100) / 100;
        case Measure::money:
            break;
    }
    return bn(value);
}

ordered_json measure_axis(const OutputInfo& info) {
    switch (info.measure) {
        case Measure::probability:
            return {{"title", info.label}, {"format", ".0%"}};
        case Measure::year:
            return {{"title", info.label}, {"format", "d"}};
        case Measure::money:
            break;
    }
    return {{"title", info.label + ", $ bn"}};
}

// The inputs a factor moves, in words: "world.x 0.05 – 0.2" or "3 inputs: a, b, c".
// The key is left out where it is the factor's name.
std::string inputs_text(const ordered_json& inputs, const std::string& factor) {
    if (inputs.size() == 1) {
        const ordered_json& input = inputs.front();
        const auto key = input.at("key").get<std::string>();
        return fmt::format("{}{} {} {} (value {})", key == factor ? "" : key + " ",
                           format_term(number_of(input.at("low"))), dash,
                           format_term(number_of(input.at("high"))),
                           format_term(number_of(input.at("value"))));
    }
    // A group: its members' common range, if they share one.
    const auto range = [](const ordered_json& input) {
        return fmt::format("{} {} {} (value {})", format_term(number_of(input.at("low"))), dash,
                           format_term(number_of(input.at("high"))),
                           format_term(number_of(input.at("value"))));
    };
    const std::string first = inputs.empty() ? std::string() : range(inputs.front());
    const bool shared = std::all_of(inputs.begin(), inputs.end(), [&](const ordered_json& input) {
        return range(input) == first;
    });
    return fmt::format("{} inputs, {}", inputs.size(),
                       shared && !inputs.empty() ? "each " + first : "each over its own range");
}

constexpr std::size_t tornado_chart_bars = 15;
constexpr std::size_t tornado_table_rows = 40;

Chart tornado_chart(const Analysis& a, const Identity& shown, std::string& table) {
    const OutputInfo info = output_info(a);
    const auto output = a.json.at("output").get<std::string>();
    const ordered_json& bars = a.json.at("bars");
    const double base = number_of(a.json.at("base").at(output).at("mean"));
    const std::string unit_note = info.measure == Measure::money         ? "$ bn"
                                  : info.measure == Measure::probability ? "share of paths"
                                                                         : "calendar year";

    ordered_json rows = ordered_json::array();
    std::vector<std::string> order;
    table =
        "<div class=\"wide\"><table class=\"numbers tornado\">\n<thead><tr><th>#</th>"
        "<th class=\"text\">input</th><th class=\"text\">range</th><th>at its low end</th>"
        "<th>at its high end</th><th>swing</th><th>&plusmn; s.e.</th></tr></thead>\n<tbody>\n";
    std::size_t rank = 0;
    // The inputs whose one end turns the output's sign (a gain into a loss, or back): for a
    // money output, the assumptions that decide the answer.
    std::vector<std::string> flips;
    for (const ordered_json& bar : bars) {
        ++rank;
        const auto factor = bar.at("factor").get<std::string>();
        const Est at_low = est_of(bar.at("low").at(output));
        const Est at_high = est_of(bar.at("high").at(output));
        const Est swing = est_of(bar.at("swing").at(output));
        const std::string inputs = inputs_text(bar.at("inputs"), factor);
        if (info.measure == Measure::money && std::isfinite(base) && base != 0) {
            for (const auto& [end, e] : {std::pair{"low", at_low}, std::pair{"high", at_high}}) {
                if (std::isfinite(e.mean) && e.mean * base < 0)
                    flips.push_back(fmt::format("<strong>{}</strong> at its {} end ({})",
                                                html_escape(factor), end,
                                                measure_text(info.measure, e.mean)));
            }
        }
        if (rank <= tornado_table_rows) {
            table += fmt::format(
                "<tr><td>{}</td><th scope=\"row\" class=\"text\">{}</th><td class=\"text "
                "unit\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                rank, html_escape(factor), html_escape(inputs),
                measure_text(info.measure, at_low.mean), measure_text(info.measure, at_high.mean),
                measure_change(info.measure, swing.mean), measure_change(info.measure, swing.se));
        }
        if (rank > tornado_chart_bars) continue;
        order.push_back(factor);
        for (const auto& [side, e] : {std::pair{"input at its low end", at_low},
                                      std::pair{"input at its high end", at_high}}) {
            if (!std::isfinite(e.mean) || !std::isfinite(base)) continue;
            rows.push_back({{"factor", factor},
                            {"side", side},
                            {"from", measure_value(info.measure, base)},
                            {"to", measure_value(info.measure, e.mean)},
                            {"inputs", inputs},
                            {"at_low", measure_text(info.measure, at_low.mean)},
                            {"at_high", measure_text(info.measure, at_high.mean)},
                            {"swing", measure_change(info.measure, swing.mean) + " ± " +
                                          measure_change(info.measure, swing.se)}});
        }
    }
    table += "</tbody></table></div>";
    if (bars.size() > tornado_table_rows)
        table += note(fmt::format("The {} widest of {} bars; tornado.csv has them all.",
                                  tornado_table_rows, bars.size()));

    std::string text =
        context_html(a, shown, "Tornado") +
        note(fmt::format(
            "Each uncertain input of the scenario (or group of inputs moved "
            "together) is set to the low and then the high end of its range, "
            "every other input at its value, on the same futures: how far {} of "
            "{} moves ({}). At the scenario's values it is <strong>{}</strong> "
            "(the vertical line). Widest first; {}",
            html_escape(info.label), html_escape(a.deal), unit_note,
            measure_text(info.measure, base),
            bars.size() > tornado_chart_bars
                ? fmt::format("the {} widest of {} are drawn.", tornado_chart_bars, bars.size())
                : fmt::format("all {} are drawn.", bars.size())));
    if (info.measure == Measure::money && std::isfinite(base) && base != 0) {
        std::string list;
        for (std::size_t i = 0; i < flips.size(); ++i)
            list += (i == 0 ? "" : i + 1 == flips.size() ? " and " : ", ") + flips[i];
        text += note(flips.empty()
                         ? fmt::format("No input, alone at either end of its range, turns the "
                                       "sign of {}.",
                                       html_escape(info.label))
                         : fmt::format("Alone, these would turn the sign of {}: {}.",
                                       html_escape(info.label), list));
    }
    if (rows.empty()) return {std::nullopt, text + note("No bar has finite values to draw.")};
    const ordered_json x_axis = measure_axis(info);
    ordered_json x = field("from", "quantitative",
                           {{"title", x_axis.at("title")}, {"scale", {{"zero", false}}}});
    if (x_axis.contains("format")) x["axis"] = {{"format", x_axis.at("format")}};
    ordered_json bar_layer = {
        {"mark", {{"type", "bar"}, {"height", {{"band", 0.7}}}}},
        {"encoding",
         {{"y", field("factor", "nominal",
                      {{"sort", order}, {"title", nullptr}, {"axis", {{"labelLimit", 380}}}})},
          {"x", x},
          {"x2", {{"field", "to"}}},
          {"color",
           field("side", "nominal",
                 {{"title", nullptr},
                  {"scale",
                   {{"domain", {"input at its low end", "input at its high end"}},
                    {"range", {partner_colour, host_colour}}}},
                  {"legend",
                   {{"orient", "top"}, {"direction", "horizontal"}, {"symbolOpacity", 1}}}})},
          {"tooltip",
           {field("factor", "nominal", {{"title", "input"}}),
            field("inputs", "nominal", {{"title", "range"}}),
            field("at_low", "nominal", {{"title", "at its low end"}}),
            field("at_high", "nominal", {{"title", "at its high end"}}),
            field("swing", "nominal", {{"title", "swing (high − low)"}})}}}}};
    ordered_json rule = {{"data", {{"values", {{{"base", measure_value(info.measure, base)}}}}}},
                         {"mark", {{"type", "rule"}, {"color", "#1a202c"}, {"strokeWidth", 1.5}}},
                         {"encoding", {{"x", field("base", "quantitative")}}}};
    ordered_json json = spec();
    json["data"] = {{"values", rows}};
    json["width"] = 720;
    json["height"] = {{"step", 24}};
    json["layer"] = {bar_layer, rule};
    return {json, text};
}

Chart sobol_chart(const Analysis& a, const Identity& shown, std::string& table) {
    const OutputInfo info = output_info(a);
    const ordered_json& j = a.json;
    struct Index {
        std::string factor, inputs;
        double first, first_low, first_high, total, total_low, total_high;
    };
    std::vector<Index> indices;
    for (const ordered_json& i : j.at("indices")) {
        const auto factor = i.at("factor").get<std::string>();
        indices.push_back({factor, inputs_text(i.at("inputs"), factor), number_of(i.at("first")),
                           number_of(i.at("first_low")), number_of(i.at("first_high")),
                           number_of(i.at("total")), number_of(i.at("total_low")),
                           number_of(i.at("total_high"))});
    }
    std::stable_sort(indices.begin(), indices.end(), [](const Index& p, const Index& q) {
        if (std::isnan(q.total)) return !std::isnan(p.total);
        return p.total > q.total;
    });
    const auto samples = j.at("samples").get<std::int64_t>();
    const auto runs = j.at("runs").get<std::int64_t>();
    const double confidence = number_of(j.at("confidence"));
    const double mean = number_of(j.at("mean")), variance = number_of(j.at("variance"));
    double first_sum = 0;
    for (const Index& i : indices)
        if (std::isfinite(i.first)) first_sum += i.first;

    const auto decimals = [](double v) {
        return std::isfinite(v) ? signed_text(v, fmt::format("{:.2f}", std::abs(v)))
                                : std::string(dash);
    };
    const auto interval = [&](double low, double high) {
        return fmt::format("{} {} {}", decimals(low), dash, decimals(high));
    };
    table =
        "<div class=\"wide\"><table class=\"numbers sobol\">\n<thead><tr><th class=\"text\">"
        "input</th><th class=\"text\">range</th><th>first order</th><th>interval</th>"
        "<th>total</th><th>interval</th></tr></thead>\n<tbody>\n";
    ordered_json rows = ordered_json::array();
    std::vector<std::string> order;
    for (const Index& i : indices) {
        table += fmt::format(
            "<tr><th scope=\"row\" class=\"text\">{}</th><td class=\"text unit\">{}</td><td>{}</td>"
            "<td>{}</td><td>{}</td><td>{}</td></tr>\n",
            html_escape(i.factor), html_escape(i.inputs), decimals(i.first),
            interval(i.first_low, i.first_high), decimals(i.total),
            interval(i.total_low, i.total_high));
        order.push_back(i.factor);
        for (const auto& [kind, value, low, high] :
             {std::tuple{"first order", i.first, i.first_low, i.first_high},
              std::tuple{"total", i.total, i.total_low, i.total_high}}) {
            if (!std::isfinite(value)) continue;
            const auto rounded = [](double v) {
                return std::isfinite(v) ? ordered_json(std::round(v * 1e4) / 1e4) : ordered_json();
            };
            rows.push_back({{"factor", i.factor},
                            {"inputs", i.inputs},
                            {"kind", kind},
                            {"value", rounded(value)},
                            {"low", rounded(std::isfinite(low) ? low : value)},
                            {"high", rounded(std::isfinite(high) ? high : value)}});
        }
    }
    table += "</tbody></table></div>";

    const int percent = static_cast<int>(std::lround(confidence * 100));
    const std::string sd = info.measure == Measure::probability
                               ? fmt::format("{:.1f} pp", std::sqrt(variance) * 100)
                               : measure_change(info.measure, std::sqrt(variance));
    std::string text =
        context_html(a, shown, "Sobol indices") +
        note(fmt::format(
            "How much of the uncertainty in {} of {} each input accounts for, every uncertain "
            "input drawn at once ({}, independently). <strong>First order</strong>: the share "
            "of the output's variance that comes from this input alone: the share that would go "
            "if it alone were known. <strong>Total</strong>: its share including every "
            "interaction with other inputs: the share that would remain if every input but this "
            "one were known. A total well above the first order means the input matters through "
            "others.",
            html_escape(info.label), html_escape(a.deal),
            html_escape(j.value("distribution", "triangular(low, value, high)"))));
    std::string numbers = fmt::format(
        "Over the inputs' ranges the output has mean {} and standard deviation {}. The first "
        "orders sum to {:.2f}",
        measure_text(info.measure, mean), sd, first_sum);
    if (first_sum <= 1)
        numbers += fmt::format(": about {} of the variance comes from interactions",
                               format_percent(1 - first_sum));
    else
        numbers += ", above 1 only by the noise of the estimates (more samples narrow it)";
    numbers += fmt::format(
        ". N = {} samples of the inputs, {} runs of {} paths each; whiskers: {}% bootstrap "
        "intervals. An estimate a little below 0 is 0 within noise.",
        digits_grouped(samples), digits_grouped(runs), digits_grouped(a.id.paths), percent);
    text += note(numbers);
    if (rows.empty()) return {std::nullopt, text + note("No index is finite: nothing to draw.")};
    const ordered_json y =
        field("factor", "nominal",
              {{"sort", order}, {"title", nullptr}, {"axis", {{"labelLimit", 380}}}});
    const ordered_json y_offset = field("kind", "nominal", {{"sort", {"first order", "total"}}});
    const ordered_json x_title = {{"title", "Sobol index (share of the output's variance)"}};
    const ordered_json colour =
        field("kind", "nominal",
              {{"title", nullptr},
               {"scale", {{"domain", {"first order", "total"}}, {"range", {"#a3cdf2", "#5b8fd1"}}}},
               {"legend", {{"orient", "top"}, {"direction", "horizontal"}, {"symbolOpacity", 1}}}});
    ordered_json bars = {
        {"mark", {{"type", "bar"}}},
        {"encoding",
         {{"y", y},
          {"yOffset", y_offset},
          {"x", field("value", "quantitative", x_title)},
          {"color", colour},
          {"tooltip",
           {field("factor", "nominal", {{"title", "input"}}),
            field("inputs", "nominal", {{"title", "range"}}), field("kind", "nominal"),
            field("value", "quantitative", {{"title", "index"}, {"format", ".3f"}}),
            field("low", "quantitative", {{"title", "interval from"}, {"format", ".3f"}}),
            field("high", "quantitative", {{"title", "to"}, {"format", ".3f"}})}}}}};
    ordered_json whiskers = {
        {"mark", {{"type", "rule"}, {"color", "#1a202c"}, {"strokeWidth", 1.5}}},
        {"encoding",
         {{"y", y},
          {"yOffset", y_offset},
          {"x", field("low", "quantitative", x_title)},
          {"x2", {{"field", "high"}}}}}};
    ordered_json json = spec();
    json["data"] = {{"values", rows}};
    json["width"] = 720;
    json["height"] = {{"step", 13}};
    json["layer"] = {bars, whiskers};
    return {json, text};
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw std::runtime_error("cannot read " + path.string());
    return text.str();
}

}  // namespace

OutputFiles read_run_directory(const fs::path& dir) {
    OutputFiles files;
    for (const std::string_view name : analysis_names) {
        const std::string file = std::string(name) + ".json";
        if (fs::exists(dir / file)) files[file] = read_file(dir / file);
    }
    const bool run = fs::exists(dir / "summary.json");
    if (run || files.empty()) {
        for (const char* name : {"summary.json", "fund_bands.csv", "cap_curve.csv"}) {
            if (!fs::exists(dir / name))
                throw std::runtime_error(fmt::format(
                    "{} has no {}: is it the --out directory of a nadra run?", dir.string(), name));
            files[name] = read_file(dir / name);
        }
        for (const char* name : {"terms.json", "paths.csv"})
            if (fs::exists(dir / name)) files[name] = read_file(dir / name);
    }
    return files;
}

std::string html_report(const OutputFiles& files, std::string_view generated) {
    const std::vector<Analysis> analyses = read_analyses(files);
    const bool has_run = files.contains("summary.json") || analyses.empty();
    std::optional<Run> run;
    std::map<std::string, Chart> charts;
    std::map<std::string, std::string> values;
    std::set<std::string> parts;
    if (has_run) {
        for (const char* name : {"summary.json", "fund_bands.csv", "cap_curve.csv"})
            if (!files.contains(name)) throw std::runtime_error(std::string("no ") + name);
        run = read_run(files);
        parts.insert("run");
        try {
            charts["fund"] = fund_chart(*run, files.at("fund_bands.csv"));
            charts["cap"] = cap_chart(*run, files.at("cap_curve.csv"));
            charts["years"] = years_chart(*run);
            charts["sources"] = sources_chart(*run);
            charts["host_value"] = value_chart(*run, "host_value", "host value");
            charts["partner_value"] = value_chart(*run, "partner_value", "partner value");
            charts["scatter"] = scatter_chart(*run, files);
            values["terms"] = terms_html(*run);
            values["projects"] = projects_html(*run);
            values["mines"] = mines_html(*run);
            values["gains"] = gains_html(*run);
            values["results"] = results_html(*run) + judgement_html(*run);
            values["differences"] = differences_html(*run);
        } catch (const ordered_json::exception& e) {
            throw std::runtime_error(std::string("summary.json or terms.json: ") + e.what());
        }
        values["reference"] = html_escape(run->reference);
    }
    Identity shown;
    try {
        shown = run ? identity_of(run->summary) : analyses.front().id;
    } catch (const ordered_json::exception& e) {
        throw std::runtime_error(std::string("summary.json: ") + e.what());
    }
    for (const Analysis& a : analyses) {
        parts.insert(a.name);
        try {
            if (a.name == "sweep") {
                const Sweep sweep = read_sweep(a.json);
                values["sweep_intro"] = sweep_intro(a, shown, sweep);
                charts["sweep"] = sweep_chart(a, sweep);
                charts["sweep_axis"] = sweep_axis_chart(a, sweep);
                values["sweep_tables"] = sweep_tables(a, sweep);
            } else if (a.name == "breakeven") {
                values["breakeven"] = breakeven_html(a, shown);
            } else if (a.name == "tornado") {
                charts["tornado"] = tornado_chart(a, shown, values["tornado_table"]);
            } else if (a.name == "sobol") {
                charts["sobol"] = sobol_chart(a, shown, values["sobol_table"]);
            }
        } catch (const ordered_json::exception& e) {
            throw std::runtime_error(a.file() + ": " + e.what());
        }
    }
    ordered_json specs = ordered_json::object();
    for (const auto& [name, chart] : charts) {
        if (chart.spec) specs[name] = *chart.spec;
        values[name + "_note"] = chart.note;
    }
    values["title"] = "nadra: " + html_escape(shown.scenario);
    values["header"] = header_html(shown, run ? &*run : nullptr, analyses, generated);
    values["specs"] = script_json(specs);
    values["nadra_version"] = html_escape(shown.version);
    values["library_versions"] = html_escape(report_assets::library_versions);
    values["licences"] = html_escape(report_assets::library_licences);
    values["vega"] = report_assets::vega_js;
    values["vega_lite"] = report_assets::vega_lite_js;
    values["vega_embed"] = report_assets::vega_embed_js;
    return fill_template(report_assets::html_template, values, parts);
}

std::string utc_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} UTC", utc.tm_year + 1900, utc.tm_mon + 1,
                       utc.tm_mday, utc.tm_hour, utc.tm_min);
}

std::string format_money(double usd) {
    if (!std::isfinite(usd)) return std::string(dash);
    const double size = std::abs(usd);
    if (size < 0.5) return "$ 0";
    std::string magnitude;
    if (size >= 999.95e9) {
        magnitude = "$ " + three_digits(size / 1e12) + " tn";
    } else if (size >= 999.95e6) {
        magnitude = "$ " + three_digits(size / 1e9) + " bn";
    } else if (size >= 999.95e3) {
        magnitude = "$ " + three_digits(size / 1e6) + " m";
    } else {
        magnitude = "$ " + digits_grouped(std::llround(size));
    }
    return signed_text(usd, magnitude);
}

std::string format_percent(double fraction) {
    if (!std::isfinite(fraction)) return std::string(dash);
    const double percent = std::abs(fraction) * 100;
    if (percent < 0.005) return "0%";
    const int decimals = percent >= 9.95 ? 0 : percent >= 0.995 ? 1 : 2;
    return signed_text(fraction, fmt::format("{:.{}f}%", percent, decimals));
}

std::string format_year(double year) {
    return std::isfinite(year) ? fmt::format("{:.0f}", year) : std::string(dash);
}

std::string html_escape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (const char c : text) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace nadra
