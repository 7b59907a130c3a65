#include "report/table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace nadra {

std::string fixed_digits(double value, int digits) {
    if (!std::isfinite(value)) return "-";
    std::string text = fmt::format("{:.{}f}", value, digits);
    if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
    return text;
}

std::string aligned_columns(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
    }
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            line += c == 0 ? fmt::format("{:<{}}", row[c], widths[c])
                           : fmt::format("  {:>{}}", row[c], widths[c]);
        }
        out += line.erase(line.find_last_not_of(' ') + 1) + '\n';
    }
    return out;
}

namespace {

using Row = std::vector<std::string>;

Row deal_row(const DealSummary& deal) {
    const auto mean_bn = [&](const char* metric) {
        return fixed_digits(deal.metrics.at(metric).mean / 1e9, 1);
    };
    const std::vector<double>& curve = deal.cap_reached_probability;
    const Stats& cap_year = deal.metrics.at("cap_year");
    return {deal.name,
            mean_bn("host_value"),
            mean_bn("partner_value"),
            mean_bn("host_total_value"),
            mean_bn("partner_net_value"),
            mean_bn("host_contributions"),
            fixed_digits(100 * (curve.empty() ? 0.0 : curve.back()), 1) + "%",
            cap_year.count == 0 ? "-" : fmt::format("{}", cap_year.p50)};
}

}  // namespace

std::string run_table(const RunInfo& info, const RunSummary& summary) {
    const int last_year = info.start_year + info.horizon - 1;
    // Host total and partner net value count in-kind support as each side values it (MODEL.md 4.2).
    std::vector<Row> rows{{"deal", "host value", "partner value", "host total", "partner net",
                           "contributions", "P(cap reached)", "median cap year"},
                          {"", "mean, $ bn", "mean, $ bn", "mean, $ bn", "mean, $ bn", "mean, $ bn",
                           fmt::format("by {}", last_year), "if reached"}};
    for (const DealSummary& deal : summary.deals) rows.push_back(deal_row(deal));
    return aligned_columns(rows) +
           "host total, partner net: the values with in-kind support valued "
           "(host_total_value, partner_net_value)\n" +
           fmt::format("{} paths, seed {}, horizon {} years ({}-{})\n", info.paths, info.seed,
                       info.horizon, info.start_year, last_year);
}

std::string cashflow_table(const std::vector<CashflowYear>& years) {
    std::vector<Row> rows{
        {"year", "production", "price", "revenue", "opex", "capex", "licence fee", "royalty",
         "cost recovered", "profit share", "depreciation", "taxable income", "income tax",
         "dividend", "investor cash flow", "state revenue", "state"},
        {"", "units", "$/unit", "$ m", "$ m", "$ m", "$ m", "$ m", "$ m", "$ m", "$ m", "$ m",
         "$ m", "$ m", "$ m", "$ m", ""}};
    for (const CashflowYear& y : years) {
        Row row{std::to_string(y.year), fixed_digits(y.production, 1), fixed_digits(y.price, 2)};
        for (double money : {y.revenue, y.opex, y.capex, y.licence_fee, y.royalty, y.cost_recovered,
                             y.profit_share, y.depreciation, y.taxable_income, y.income_tax,
                             y.dividend, y.investor_cash_flow, y.state_revenue}) {
            row.push_back(fixed_digits(money / 1e6, 1));
        }
        // A shut-in year (MODEL.md 3.3): no output for price, the shut-in cost as opex.
        row.emplace_back(y.shut_in ? "shut in" : "");
        rows.push_back(row);
    }
    return aligned_columns(rows);
}

std::string judgement_lines(const RunSummary& summary) {
    if (summary.inputs.sets <= 0) return {};
    const auto share = [](const DealSummary& deal, const std::string& metric) {
        const auto it = deal.between_sets_share.find(metric);
        return it == deal.between_sets_share.end() ? std::string("-")
                                                   : fixed_digits(100 * it->second, 0) + "%";
    };
    std::string text = fmt::format(
        "judgement: of each value's spread, the share between the {} input sets (not knowing "
        "the inputs) rather than within them (the future):\n",
        summary.inputs.sets);
    std::vector<std::vector<std::string>> rows;
    for (const DealSummary& deal : summary.deals) {
        rows.push_back({"  " + deal.name, "host value " + share(deal, "host_value"),
                        "partner value " + share(deal, "partner_value")});
    }
    return text + aligned_columns(rows);
}

}  // namespace nadra
