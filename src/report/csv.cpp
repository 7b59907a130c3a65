#include "report/csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <numeric>
#include <span>
#include <stdexcept>
#include <utility>

namespace nadra {
namespace {

void append_number(fmt::memory_buffer& out, double value) {
    out.push_back(',');
    if (std::isfinite(value)) fmt::format_to(std::back_inserter(out), "{}", value);
}

void append_stats(fmt::memory_buffer& out, const Stats& stats) {
    for (double v :
         {stats.mean, stats.sd, stats.sem, stats.p5, stats.p25, stats.p50, stats.p75, stats.p95}) {
        // No values, no statistics: empty fields rather than summarize()'s zeros.
        if (stats.count == 0) {
            out.push_back(',');
        } else {
            append_number(out, v);
        }
    }
}

// Rows of "deal,year" followed by a value per year.
template <typename T, typename Append>
std::string deal_year_rows(const RunSummary& summary, int start_year, std::string_view header,
                           const std::vector<T> DealSummary::*member, Append append) {
    fmt::memory_buffer out;
    fmt::format_to(std::back_inserter(out), "{}\n", header);
    for (const DealSummary& deal : summary.deals) {
        const std::string name = csv_field(deal.name);
        const std::vector<T>& values = deal.*member;
        for (std::size_t t = 0; t < values.size(); ++t) {
            fmt::format_to(std::back_inserter(out), "{},{}", name,
                           start_year + static_cast<int>(t));
            append(out, values[t]);
            out.push_back('\n');
        }
    }
    return fmt::to_string(out);
}

}  // namespace

std::string csv_field(std::string_view text) {
    if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
    std::string quoted = "\"";
    for (char c : text) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    return quoted + '"';
}

std::string fund_bands_csv(const RunSummary& summary, int start_year) {
    return deal_year_rows(summary, start_year, "deal,year,mean,sd,sem,p5,p25,p50,p75,p95",
                          &DealSummary::fund_balance, append_stats);
}

std::string cap_curve_csv(const RunSummary& summary, int start_year) {
    return deal_year_rows(summary, start_year, "deal,year,cap_reached_probability",
                          &DealSummary::cap_reached_probability, append_number);
}

std::string paths_csv(const Scenario& scenario, const SimulationResult& result) {
    std::vector<std::int64_t> all(static_cast<std::size_t>(result.paths));
    std::iota(all.begin(), all.end(), std::int64_t{0});
    return paths_csv(scenario, result, all);
}

std::string paths_csv(const Scenario& scenario, const SimulationResult& result,
                      std::span<const std::int64_t> paths) {
    fmt::memory_buffer out;
    fmt::format_to(std::back_inserter(out), "path,deal");
    for (const std::string& metric : metric_names())
        fmt::format_to(std::back_inserter(out), ",{}", metric);
    out.push_back('\n');
    std::vector<std::string> names;
    std::vector<std::vector<std::span<const double>>> columns;
    for (const DealPaths& deal : result.deals) {
        names.push_back(csv_field(scenario.deals.at(static_cast<std::size_t>(deal.deal)).name));
        columns.emplace_back();
        for (const std::string& metric : metric_names()) {
            columns.back().push_back(metric_values(deal, metric));
            if (std::cmp_not_equal(columns.back().back().size(), result.paths)) {
                throw std::invalid_argument(metric + " does not have one value per path");
            }
        }
    }
    for (const std::int64_t p : paths) {
        if (p < 0 || p >= result.paths) throw std::out_of_range("path index out of range");
        for (std::size_t d = 0; d < names.size(); ++d) {
            fmt::format_to(std::back_inserter(out), "{},{}", p, names[d]);
            for (std::span<const double> column : columns[d])
                append_number(out, column[static_cast<std::size_t>(p)]);
            out.push_back('\n');
        }
    }
    return fmt::to_string(out);
}

std::vector<std::int64_t> path_sample(std::int64_t paths, std::int64_t limit) {
    const std::int64_t n = std::max<std::int64_t>(0, std::min(paths, limit));
    std::vector<std::int64_t> sample;
    sample.reserve(static_cast<std::size_t>(n));
    // i * paths fits in 64 bits: paths is at most 1e9 (the command line's limit), i < paths.
    for (std::int64_t i = 0; i < n; ++i) sample.push_back(i * paths / n);
    return sample;
}

bool CsvReader::next(std::vector<std::string>& fields) {
    fields.clear();
    if (at_ >= text_.size()) return false;
    for (;;) {
        std::string field;
        if (at_ < text_.size() && text_[at_] == '"') {
            ++at_;
            while (at_ < text_.size()) {
                const char c = text_[at_++];
                if (c != '"') {
                    field += c;
                } else if (at_ < text_.size() && text_[at_] == '"') {
                    field += '"';
                    ++at_;
                } else {
                    break;
                }
            }
        }
        const std::size_t end = std::min(text_.find_first_of(",\r\n", at_), text_.size());
        field.append(text_.substr(at_, end - at_));
        fields.push_back(std::move(field));
        at_ = end;
        if (at_ < text_.size() && text_[at_] == ',') {
            ++at_;
            continue;
        }
        if (at_ < text_.size() && text_[at_] == '\r') ++at_;
        if (at_ < text_.size() && text_[at_] == '\n') ++at_;
        return true;
    }
}

std::string cashflow_csv(const std::vector<CashflowYear>& years) {
    fmt::memory_buffer out;
    fmt::format_to(std::back_inserter(out),
                   "year,production,price,revenue,opex,capex,licence_fee,royalty,cost_recovered,"
                   "profit_share,depreciation,taxable_income,income_tax,dividend,"
                   "investor_cash_flow,state_revenue\n");
    for (const CashflowYear& y : years) {
        fmt::format_to(std::back_inserter(out), "{}", y.year);
        for (double v :
             {y.production, y.price, y.revenue, y.opex, y.capex, y.licence_fee, y.royalty,
              y.cost_recovered, y.profit_share, y.depreciation, y.taxable_income, y.income_tax,
              y.dividend, y.investor_cash_flow, y.state_revenue}) {
            append_number(out, v);
        }
        out.push_back('\n');
    }
    return fmt::to_string(out);
}

}  // namespace nadra
