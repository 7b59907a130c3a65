#include "report/html_report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
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
#include <sstream>
#include <stdexcept>
#include <vector>

#include "report/csv.hpp"
#include "report/report_assets.hpp"

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

// Replaces each {{NAME}} of the template with values[NAME], which is inserted as it is.
std::string fill_template(std::string_view text, const std::map<std::string, std::string>& values) {
    std::string out;
    std::size_t at = 0;
    for (std::size_t open; (open = text.find("{{", at)) != std::string_view::npos;) {
        const std::size_t close = text.find("}}", open);
        if (close == std::string_view::npos) break;
        const std::string name(text.substr(open + 2, close - open - 2));
        const auto value = values.find(name);
        if (value == values.end())
            throw std::logic_error("report template: no value for {{" + name + "}}");
        out.append(text.substr(at, open - at));
        out += value->second;
        at = close + 2;
    }
    out.append(text.substr(at));
    return out;
}

std::string note(std::string_view html) { return fmt::format("<p class=\"note\">{}</p>", html); }

// ---------------------------------------------------------------------------------------------
// The header

std::string header_html(const Run& run, std::string_view generated) {
    const ordered_json& s = run.summary;
    const std::string label = s.value("scenario", "");
    // The label is the scenario's path (or builtin:NAME), then any " --set KEY=VALUE".
    const std::size_t sets = label.find(" --set ");
    const std::string file = label.substr(0, sets);
    std::string command = "nadra run";
    if (!file.starts_with("builtin:")) command += " " + file;
    if (sets != std::string::npos) command += label.substr(sets);
    command += fmt::format(" --seed {} --paths {}", s.value("seed", std::uint64_t{0}), run.paths);
    std::string deals;
    for (const std::string& deal : run.deals)
        deals += (deals.empty() ? "" : ", ") + html_escape(deal);
    std::string html = "<dl class=\"run\">\n";
    const auto row = [&](std::string_view term, const std::string& value) {
        html += fmt::format("<dt>{}</dt><dd>{}</dd>\n", term, value);
    };
    row("Scenario", html_escape(label));
    row("Deals", deals);
    row("Seed", html_escape(std::to_string(s.value("seed", std::uint64_t{0}))));
    row("Paths", digits_grouped(run.paths));
    row("Years", fmt::format("{}{}{} ({} years)", run.start_year, dash,
                             run.start_year + run.horizon - 1, run.horizon));
    row("nadra version", html_escape(s.value("nadra_version", "")));
    row("Scenario SHA-256", "<code>" + html_escape(s.value("scenario_sha256", "")) + "</code>");
    row("Report made", html_escape(generated));
    row("Reproduce", "<code>" + html_escape(command) + "</code>");
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
             if (!scope.at("licence_classes").empty())
                 text += "<br>licences: " + joined(scope.at("licence_classes"), "");
             if (!scope.at("commodities").empty())
                 text += "<br>commodities: " + joined(scope.at("commodities"), "");
             if (!scope.at("statuses").empty())
                 text += "<br>regions: " + joined(scope.at("statuses"), "");
             return text;
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

// Paired differences deal - reference, from summary.json's pairs (a, b), which hold a - b.
std::string differences_html(const Run& run) {
    if (run.deals.size() < 2) return "";
    std::string html = fmt::format(
        "<h3>Paired differences against {}: the deal's value less {}'s, path by path</h3>\n"
        "<div class=\"wide\"><table class=\"numbers differences\">\n<thead><tr><th>deal</th>{}"
        "</tr></thead>\n",
        html_escape(run.reference), html_escape(run.reference), stats_header);
    for (const char* metric : {"host_value", "partner_value"}) {
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
    if (highest == 0)
        text += fmt::format(" <strong>No path reaches a cap by {}</strong>: every line is at 0.",
                            run.start_year + run.horizon - 1);
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
    for (const char* name : {"summary.json", "fund_bands.csv", "cap_curve.csv"}) {
        if (!fs::exists(dir / name))
            throw std::runtime_error(fmt::format(
                "{} has no {}: is it the --out directory of a nadra run?", dir.string(), name));
        files[name] = read_file(dir / name);
    }
    for (const char* name : {"terms.json", "paths.csv"})
        if (fs::exists(dir / name)) files[name] = read_file(dir / name);
    return files;
}

std::string html_report(const OutputFiles& files, std::string_view generated) {
    for (const char* name : {"summary.json", "fund_bands.csv", "cap_curve.csv"})
        if (!files.contains(name)) throw std::runtime_error(std::string("no ") + name);
    const Run run = read_run(files);
    std::map<std::string, Chart> charts;
    try {
        charts["fund"] = fund_chart(run, files.at("fund_bands.csv"));
        charts["cap"] = cap_chart(run, files.at("cap_curve.csv"));
        charts["host_value"] = value_chart(run, "host_value", "host value");
        charts["partner_value"] = value_chart(run, "partner_value", "partner value");
        charts["scatter"] = scatter_chart(run, files);
    } catch (const ordered_json::exception& e) {
        throw std::runtime_error(std::string("summary.json or terms.json: ") + e.what());
    }
    ordered_json specs = ordered_json::object();
    std::map<std::string, std::string> values;
    for (const auto& [name, chart] : charts) {
        if (chart.spec) specs[name] = *chart.spec;
        values[name + "_note"] = chart.note;
    }
    const std::string scenario = run.summary.value("scenario", "");
    values["title"] = "nadra: " + html_escape(scenario);
    values["header"] = header_html(run, generated);
    try {
        values["terms"] = terms_html(run);
        values["projects"] = projects_html(run);
        values["results"] = results_html(run);
        values["differences"] = differences_html(run);
    } catch (const ordered_json::exception& e) {
        throw std::runtime_error(std::string("summary.json or terms.json: ") + e.what());
    }
    values["reference"] = html_escape(run.reference);
    values["specs"] = script_json(specs);
    values["nadra_version"] = html_escape(run.summary.value("nadra_version", ""));
    values["library_versions"] = html_escape(report_assets::library_versions);
    values["licences"] = html_escape(report_assets::library_licences);
    values["vega"] = report_assets::vega_js;
    values["vega_lite"] = report_assets::vega_lite_js;
    values["vega_embed"] = report_assets::vega_embed_js;
    return fill_template(report_assets::html_template, values);
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
