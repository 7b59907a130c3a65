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
    PathsCsvWriter writer(scenario);
    writer.add(result, 0);
    return std::move(writer).text();
}

std::string paths_csv(const Scenario& scenario, const SimulationResult& result,
                      std::span<const std::int64_t> paths) {
    PathsCsvWriter writer(scenario);
    for (const std::int64_t p : paths) {
        if (p < 0 || p >= result.paths) throw std::out_of_range("path index out of range");
        writer.add_path(result, p, p);
    }
    return std::move(writer).text();
}

PathsCsvWriter::PathsCsvWriter(const Scenario& scenario, std::vector<std::int64_t> only)
    : scenario_(&scenario), only_(std::move(only)), all_(false) {
    write_header();
}

PathsCsvWriter::PathsCsvWriter(const Scenario& scenario) : scenario_(&scenario), all_(true) {
    write_header();
}

void PathsCsvWriter::write_header() {
    fmt::format_to(std::back_inserter(out_), "path,deal");
    for (const std::string& metric : metric_names())
        fmt::format_to(std::back_inserter(out_), ",{}", metric);
    out_.push_back('\n');
}

void PathsCsvWriter::add(const SimulationResult& block, std::int64_t first_path) {
    if (all_) {
        for (std::int64_t i = 0; i < block.paths; ++i) add_path(block, i, first_path + i);
        return;
    }
    const std::int64_t end = first_path + block.paths;
    for (; next_ < only_.size() && only_[next_] < end; ++next_) {
        if (only_[next_] >= first_path) add_path(block, only_[next_] - first_path, only_[next_]);
    }
}

void PathsCsvWriter::add_path(const SimulationResult& block, std::int64_t index,
                              std::int64_t path) {
    const auto i = static_cast<std::size_t>(index);
    for (const DealPaths& deal : block.deals) {
        fmt::format_to(std::back_inserter(out_), "{},{}", path,
                       csv_field(scenario_->deals.at(static_cast<std::size_t>(deal.deal)).name));
        for (const std::string& metric : metric_names()) {
            const std::span<const double> column = metric_values(deal, metric);
            if (std::cmp_not_equal(column.size(), block.paths)) {
                throw std::invalid_argument(metric + " does not have one value per path");
            }
            append_number(out_, column[i]);
        }
        out_.push_back('\n');
    }
}

std::string PathsCsvWriter::text() && { return fmt::to_string(out_); }

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

std::string asset_state_name(AssetState state) {
    switch (state) {
        case AssetState::producing:
            return "producing";
        case AssetState::not_viable:
            return "not_viable";
        case AssetState::waiting_licence:
            return "waiting_licence";
        case AssetState::waiting_access:
            return "waiting_access";
        case AssetState::waiting_price:
            return "waiting_price";
        case AssetState::constructing:
            return "constructing";
        case AssetState::shut_in:
            return "shut_in";
        case AssetState::no_access:
            return "no_access";
        case AssetState::exhausted:
            return "exhausted";
    }
    return "";
}

std::string cashflow_csv(const std::vector<CashflowYear>& years, const std::string& deal_column,
                         const std::vector<double>& deal) {
    fmt::memory_buffer out;
    fmt::format_to(std::back_inserter(out),
                   "year,production,price,revenue,opex,capex,licence_fee,royalty,cost_recovered,"
                   "profit_share,depreciation,taxable_income,income_tax,dividend,rent_tax,"
                   "investor_cash_flow,state_revenue,shut_in,war,access,state");
    if (!deal_column.empty()) fmt::format_to(std::back_inserter(out), ",{}", deal_column);
    out.push_back('\n');
    for (std::size_t i = 0; i < years.size(); ++i) {
        const CashflowYear& y = years[i];
        fmt::format_to(std::back_inserter(out), "{}", y.year);
        for (double v :
             {y.production, y.price, y.revenue, y.opex, y.capex, y.licence_fee, y.royalty,
              y.cost_recovered, y.profit_share, y.depreciation, y.taxable_income, y.income_tax,
              y.dividend, y.rent_tax, y.investor_cash_flow, y.state_revenue}) {
            append_number(out, v);
        }
        fmt::format_to(std::back_inserter(out), ",{},{}", y.shut_in ? 1 : 0, y.war ? 1 : 0);
        append_number(out, y.access);
        fmt::format_to(std::back_inserter(out), ",{}", asset_state_name(y.state));
        if (!deal_column.empty()) append_number(out, i < deal.size() ? deal[i] : 0.0);
        out.push_back('\n');
    }
    return fmt::to_string(out);
}

}  // namespace nadra
