#include "report/xlsx.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "report/run_info.hpp"

namespace nadra {
namespace {

using nlohmann::ordered_json;

struct Formats {
    lxw_format* header = nullptr;
    lxw_format* usd = nullptr;       // whole dollars, thousands grouped
    lxw_format* fraction = nullptr;  // shares, probabilities, rates
    lxw_format* year = nullptr;      // a calendar year, or a mean of them: General
    lxw_format* whole = nullptr;     // counts
    lxw_format* price = nullptr;     // a price in its unit, to the cent
};

// The statistics of a metric's row, in summary.json's order.
constexpr const char* stat_names[] = {"mean", "sd", "sem", "p5", "p25", "p50", "p75", "p95"};
constexpr const char* year_stat_names[] = {"mean", "p5", "p25", "p50", "p75", "p95"};

// A metric's unit, as the header of its row says it.
std::string metric_unit(const std::string& metric) {
    if (metric == "share_ceded") return "fraction";
    if (metric == "cap_year") return "year";
    return "USD";
}

lxw_format* unit_format(const Formats& f, const std::string& unit) {
    if (unit == "fraction") return f.fraction;
    if (unit == "year") return f.year;
    return f.usd;
}

// One worksheet: a frozen header row, then rows written left to right; the columns' widths
// follow what they hold.
class Sheet {
  public:
    Sheet(lxw_workbook* book, const char* name, const Formats& formats,
          const std::vector<std::string>& headers)
        : formats_(formats), sheet_(workbook_add_worksheet(book, name)) {
        if (sheet_ == nullptr) throw std::runtime_error(fmt::format("cannot add sheet {}", name));
        for (const std::string& header : headers) text(header, formats_.header);
        worksheet_freeze_panes(sheet_, 1, 0);
    }
    Sheet(const Sheet&) = delete;
    Sheet& operator=(const Sheet&) = delete;
    ~Sheet() {
        for (std::size_t c = 0; c < widths_.size(); ++c) {
            const auto col = static_cast<lxw_col_t>(c);
            worksheet_set_column(
                sheet_, col, col,
                static_cast<double>(std::clamp<std::size_t>(widths_[c] + 2, 8, 60)), nullptr);
        }
    }

    void next_row() {
        ++row_;
        col_ = 0;
    }
    void text(const std::string& value, lxw_format* format = nullptr) {
        worksheet_write_string(sheet_, row_, col_, value.c_str(), format);
        advance(value.size());
    }
    // A number; a blank cell for one that is not finite.
    void number(double value, lxw_format* format) {
        if (!std::isfinite(value)) return advance(0);
        worksheet_write_number(sheet_, row_, col_, value, format);
        // The width as the format shows it: thousands grouped, four decimals, whole, or general.
        std::size_t width = fmt::format("{:.0f}", value).size();
        if (format == formats_.usd) width = width * 4 / 3;
        if (format == formats_.price) width = width * 4 / 3 + 3;
        if (format == formats_.fraction) width += 5;
        if (format == nullptr || format == formats_.year)
            width = std::min<std::size_t>(fmt::format("{}", value).size(), 12);
        advance(width);
    }
    // summary.json's number, or a blank cell for its null.
    void value(const ordered_json& json, lxw_format* format) {
        if (json.is_number()) return number(json.get<double>(), format);
        if (json.is_string()) return text(json.get<std::string>());
        advance(0);
    }

  private:
    void advance(std::size_t width) {
        if (widths_.size() <= col_) widths_.resize(col_ + 1, 0);
        widths_[col_] = std::max(widths_[col_], width);
        ++col_;
    }

    const Formats& formats_;
    lxw_worksheet* sheet_;
    lxw_row_t row_ = 0;
    lxw_col_t col_ = 0;
    std::vector<std::size_t> widths_;
};

std::vector<std::string> with_stats(std::vector<std::string> headers,
                                    std::initializer_list<const char*> extra = {}) {
    for (const char* stat : stat_names) headers.emplace_back(stat);
    for (const char* e : extra) headers.emplace_back(e);
    return headers;
}

// A metric's statistics: mean, sd, sem, p5..p95, count.
void stats_cells(Sheet& sheet, const Formats& f, const ordered_json& stats,
                 const std::string& unit) {
    // sd and sem of years are spans of years, not calendar years.
    for (const char* stat : stat_names) {
        const bool spread = std::strcmp(stat, "sd") == 0 || std::strcmp(stat, "sem") == 0;
        sheet.value(stats.value(stat, ordered_json()),
                    spread && unit == "year" ? f.fraction : unit_format(f, unit));
    }
    sheet.value(stats.value("count", ordered_json()), f.whole);
}

const ordered_json& at_or_empty(const ordered_json& json, const char* key) {
    static const ordered_json empty = ordered_json::array();
    return json.is_object() && json.contains(key) ? json.at(key) : empty;
}

void summary_sheet(lxw_workbook* book, const Formats& f, const ordered_json& summary) {
    Sheet sheet(book, "Summary", f, with_stats({"deal", "metric", "unit"}, {"count"}));
    for (const ordered_json& deal : at_or_empty(summary, "deals")) {
        for (const auto& [metric, stats] : deal.at("metrics").items()) {
            sheet.next_row();
            sheet.text(deal.at("name").get<std::string>());
            sheet.text(metric);
            sheet.text(metric_unit(metric));
            stats_cells(sheet, f, stats, metric_unit(metric));
        }
    }
}

// Gains (deal, baseline) or differences (a, b): a pair's metrics, row by row.
void pairs_sheet(lxw_workbook* book, const Formats& f, const char* name, const ordered_json& pairs,
                 const char* first, const char* second, const std::string& what) {
    Sheet sheet(book, name, f,
                with_stats({first, second, fmt::format("metric ({})", what), "unit"}, {"count"}));
    for (const ordered_json& pair : pairs) {
        for (const auto& [metric, stats] : pair.at("metrics").items()) {
            sheet.next_row();
            sheet.text(pair.at(first).get<std::string>());
            sheet.text(pair.at(second).get<std::string>());
            sheet.text(metric);
            sheet.text(metric_unit(metric));
            stats_cells(sheet, f, stats, metric_unit(metric));
        }
    }
}

void by_year_sheet(lxw_workbook* book, const Formats& f, const ordered_json& summary) {
    std::vector<std::string> headers{"deal", "series", "year"};
    for (const char* stat : year_stat_names) headers.push_back(fmt::format("{} (USD)", stat));
    Sheet sheet(book, "By year", f, headers);
    for (const ordered_json& deal : at_or_empty(summary, "deals")) {
        if (!deal.contains("by_year")) continue;
        const ordered_json& by_year = deal.at("by_year");
        const ordered_json& years = by_year.at("years");
        for (const auto& [series, stats] : by_year.at("series").items()) {
            for (std::size_t t = 0; t < years.size(); ++t) {
                sheet.next_row();
                sheet.text(deal.at("name").get<std::string>());
                sheet.text(series);
                sheet.value(years.at(t), f.year);
                for (const char* stat : year_stat_names) sheet.value(stats.at(stat).at(t), f.usd);
            }
        }
    }
}

void contributions_sheet(lxw_workbook* book, const Formats& f, const ordered_json& summary,
                         bool assets) {
    std::vector<std::string> headers{"deal"};
    if (assets) headers.insert(headers.end(), {"asset", "kind"});
    headers.insert(headers.end(),
                   {"commodity", "contributions (USD, undiscounted)",
                    "contributions NPV (USD, at the host's rate)", "share of the deal's"});
    Sheet sheet(book, assets ? "By asset" : "By commodity", f, headers);
    for (const ordered_json& deal : at_or_empty(summary, "deals")) {
        for (const ordered_json& row : at_or_empty(deal, assets ? "by_asset" : "by_commodity")) {
            sheet.next_row();
            sheet.text(deal.at("name").get<std::string>());
            if (assets) {
                sheet.text(row.at("asset").get<std::string>());
                sheet.text(row.at("kind").get<std::string>());
            }
            sheet.text(row.at("commodity").get<std::string>());
            sheet.value(row.at("contributions"), f.usd);
            sheet.value(row.at("contributions_npv"), f.usd);
            sheet.value(row.at("share"), f.fraction);
        }
    }
}

const ordered_json* find_named(const ordered_json& list, const std::string& name) {
    for (const ordered_json& item : list) {
        if (item.is_object() && item.value("name", "") == name) return &item;
    }
    return nullptr;
}

void projects_sheet(lxw_workbook* book, const Formats& f, const ordered_json& summary,
                    const ordered_json& terms) {
    std::vector<std::string> headers{"project",
                                     "commodity",
                                     "breakeven price",
                                     "price unit",
                                     "government take (fraction)",
                                     "AETR (fraction)"};
    const ordered_json& deals = at_or_empty(summary, "deals");
    for (const ordered_json& deal : deals) {
        const auto name = deal.at("name").get<std::string>();
        headers.push_back(name + ": started probability");
        headers.push_back(name + ": median start year");
        headers.push_back(name + ": co-invested probability");
    }
    Sheet sheet(book, "Projects", f, headers);
    for (const ordered_json& project : at_or_empty(summary, "projects")) {
        const auto name = project.at("name").get<std::string>();
        const ordered_json* project_terms = find_named(at_or_empty(terms, "projects"), name);
        const auto term = [&](const char* key) {
            const ordered_json* value =
                project_terms && project_terms->contains(key) ? &project_terms->at(key) : nullptr;
            return value && value->is_string() ? value->get<std::string>() : std::string();
        };
        sheet.next_row();
        sheet.text(name);
        sheet.text(term("commodity"));
        sheet.value(project.at("breakeven_price"), f.price);
        sheet.text(term("unit"));
        sheet.value(project.at("government_take"), f.fraction);
        sheet.value(project.at("aetr"), f.fraction);
        for (const ordered_json& deal : deals) {
            const ordered_json* starts = find_named(at_or_empty(deal, "projects"), name);
            for (const char* key :
                 {"started_probability", "median_start_year", "co_invested_probability"}) {
                if (starts == nullptr || !starts->contains(key)) {
                    sheet.value(ordered_json(), nullptr);
                    continue;
                }
                sheet.value(starts->at(key),
                            std::strcmp(key, "median_start_year") == 0 ? f.year : f.fraction);
            }
        }
    }
}

void run_sheet(lxw_workbook* book, const Formats& f, const ordered_json& summary,
               const ordered_json& terms, bool per_path, std::string_view generated) {
    Sheet sheet(book, "Run", f, {"field", "value"});
    const auto row = [&](const std::string& field) {
        sheet.next_row();
        sheet.text(field);
    };
    std::vector<std::string> deals;
    for (const ordered_json& deal : at_or_empty(summary, "deals"))
        deals.push_back(deal.at("name").get<std::string>());
    const auto scenario = summary.at("scenario").get<std::string>();
    const auto seed = summary.at("seed").get<std::uint64_t>();
    const auto paths = summary.at("paths").get<std::int64_t>();
    row("scenario");
    sheet.text(scenario);
    row("seed");
    // A seed beyond 2^53 would not survive as a spreadsheet's number.
    if (seed <= (std::uint64_t{1} << 53)) {
        sheet.number(static_cast<double>(seed), f.whole);
    } else {
        sheet.text(std::to_string(seed));
    }
    row("paths");
    sheet.number(static_cast<double>(paths), f.whole);
    row("start year");
    sheet.value(summary.at("start_year"), f.year);
    row("horizon (years)");
    sheet.value(summary.at("horizon"), f.whole);
    row("deals");
    std::string list;
    for (const std::string& deal : deals) list += (list.empty() ? "" : ", ") + deal;
    sheet.text(list);
    const ordered_json& gains = at_or_empty(summary, "gains");
    row("baseline of the gains");
    sheet.text(gains.empty() ? std::string() : gains.front().at("baseline").get<std::string>());
    row("gains");
    sheet.text("gain = deal - baseline, path by path");
    if (terms.is_object() && terms.contains("discount_rates")) {
        row("host's discount rate (a year)");
        sheet.value(terms.at("discount_rates").at("host"), f.fraction);
        row("partner's discount rate (a year)");
        sheet.value(terms.at("discount_rates").at("partner"), f.fraction);
    }
    row("money");
    sheet.text("US dollars (USD), in full; values are NPVs at each side's discount rate");
    row("nadra version");
    sheet.text(summary.at("nadra_version").get<std::string>());
    row("scenario SHA-256");
    sheet.text(summary.at("scenario_sha256").get<std::string>());
    row("workbook made");
    sheet.text(std::string(generated));
    row("reproduce");
    sheet.text(reproduce_run_command(scenario, seed, paths, deals, per_path,
                                     summary.value("sample_inputs", std::int64_t{0}),
                                     summary.value("input_patterns", std::vector<std::string>{})));
}

void fsync_path(const std::filesystem::path& path, int flags) {
    const int fd = ::open(path.c_str(), flags);
    if (fd < 0) return;
    ::fsync(fd);
    ::close(fd);
}

}  // namespace

void write_xlsx(const std::filesystem::path& file, const OutputFiles& run,
                std::string_view generated) {
    namespace fs = std::filesystem;
    const auto summary_file = run.find("summary.json");
    if (summary_file == run.end()) throw std::runtime_error("no summary.json");
    ordered_json summary;
    ordered_json terms;
    try {
        summary = ordered_json::parse(summary_file->second);
        if (const auto it = run.find("terms.json"); it != run.end())
            terms = ordered_json::parse(it->second);
        if (!summary.is_object() || !summary.contains("deals"))
            throw std::runtime_error("not a run's summary (no \"deals\")");
    } catch (const ordered_json::exception& e) {
        throw std::runtime_error(fmt::format("summary.json or terms.json: {}", e.what()));
    }

    const fs::path dir = file.has_parent_path() ? file.parent_path() : fs::path(".");
    fs::create_directories(dir);
    const fs::path temp = dir / fmt::format(".{}.tmp-{}", file.filename().string(), ::getpid());
    lxw_workbook* book = workbook_new(temp.c_str());
    if (book == nullptr) throw std::runtime_error(fmt::format("cannot create {}", temp.string()));
    try {
        Formats f;
        f.header = workbook_add_format(book);
        format_set_bold(f.header);
        format_set_bottom(f.header, LXW_BORDER_THIN);
        f.usd = workbook_add_format(book);
        format_set_num_format(f.usd, "#,##0");
        f.fraction = workbook_add_format(book);
        format_set_num_format(f.fraction, "0.0000");
        f.year = nullptr;  // General: 2028, or 2030.5 for a median between two years
        f.price = workbook_add_format(book);
        format_set_num_format(f.price, "#,##0.00");
        f.whole = workbook_add_format(book);
        format_set_num_format(f.whole, "0");

        run_sheet(book, f, summary, terms, run.contains("paths.csv"), generated);
        summary_sheet(book, f, summary);
        pairs_sheet(book, f, "Gains", at_or_empty(summary, "gains"), "deal", "baseline",
                    "gain = deal - baseline");
        pairs_sheet(book, f, "Differences", at_or_empty(summary, "differences"), "a", "b", "a - b");
        by_year_sheet(book, f, summary);
        contributions_sheet(book, f, summary, true);
        contributions_sheet(book, f, summary, false);
        projects_sheet(book, f, summary, terms);
    } catch (...) {
        workbook_close(book);
        fs::remove(temp);
        throw;
    }
    const lxw_error error = workbook_close(book);
    if (error != LXW_NO_ERROR) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw std::runtime_error(
            fmt::format("cannot write {}: {}", file.string(), lxw_strerror(error)));
    }
    fsync_path(temp, O_RDONLY);
    std::error_code renamed;
    fs::rename(temp, file, renamed);
    if (renamed) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw std::runtime_error(
            fmt::format("cannot write {}: {}", file.string(), renamed.message()));
    }
    fsync_path(dir, O_RDONLY | O_DIRECTORY);
}

}  // namespace nadra
