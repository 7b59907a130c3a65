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

std::string asset_state_label(AssetState state) {
    switch (state) {
        case AssetState::producing:
            return "producing";
        case AssetState::not_viable:
            return "not viable";
        case AssetState::waiting_licence:
            return "waiting for licence";
        case AssetState::waiting_access:
            return "waiting for access";
        case AssetState::waiting_price:
            return "waiting for price";
        case AssetState::constructing:
            return "constructing";
        case AssetState::shut_in:
            return "shut in";
        case AssetState::no_access:
            return "no access";
        case AssetState::exhausted:
            return "exhausted";
    }
    return "";
}

std::string cashflow_table(const std::vector<CashflowYear>& years, const CashflowColumns& columns) {
    const bool project = !columns.stream;
    Row names{"year", "conflict", "access", "state", "production", "price", "revenue", "opex"};
    if (project) {
        for (const char* name : {"capex", "licence fee", "royalty", "cost recovered",
                                 "profit share", "depreciation", "taxable income"}) {
            names.emplace_back(name);
        }
    } else {
        names.emplace_back("royalty");
        names.emplace_back("profit base");
    }
    for (const char* name : {"income tax", "dividend"}) names.emplace_back(name);
    names.emplace_back(project ? "investor cash flow" : "producer keeps");
    names.emplace_back("state revenue");
    if (!columns.deal_header.empty()) names.push_back(columns.deal_header);
    Row units{"", "", "factor", "", "units", "$/unit"};
    while (units.size() < names.size()) units.emplace_back("$ m");
    std::vector<Row> rows{names, units};
    for (std::size_t i = 0; i < years.size(); ++i) {
        const CashflowYear& y = years[i];
        Row row{std::to_string(y.year),        y.war ? "war" : "peace",
                fixed_digits(y.access, 2),     asset_state_label(y.state),
                fixed_digits(y.production, 1), fixed_digits(y.price, 2)};
        std::vector<double> money{y.revenue, y.opex};
        if (project) {
            for (double v : {y.capex, y.licence_fee, y.royalty, y.cost_recovered, y.profit_share,
                             y.depreciation, y.taxable_income}) {
                money.push_back(v);
            }
        } else {
            money.push_back(y.royalty);
            money.push_back(y.taxable_income);
        }
        for (double v : {y.income_tax, y.dividend, y.investor_cash_flow, y.state_revenue}) {
            money.push_back(v);
        }
        if (!columns.deal_header.empty()) {
            money.push_back(i < columns.deal.size() ? columns.deal[i] : 0.0);
        }
        for (double v : money) row.push_back(fixed_digits(v / 1e6, 1));
        rows.push_back(row);
    }
    return aligned_columns(rows);
}

namespace {

std::string percent(double ratio) {
    return std::isfinite(ratio) ? fixed_digits(100 * ratio, 1) + "%" : "not defined";
}

}  // namespace

std::string cashflow_foot(const CashflowMeasures& m, const CashflowFootInfo& info) {
    std::string payback;
    if (!m.payback.defined) {
        payback = "not defined (the investor's cumulative cash flow is never negative)";
    } else if (m.payback.year) {
        payback = std::to_string(*m.payback.year);
    } else {
        payback = fmt::format("not reached by {}", info.last_year);
    }
    const std::vector<Row> rows{
        {fmt::format("investor NPV at {}", percent(info.investor_rate)),
         fixed_digits(m.investor_npv / 1e6, 1) + " $ m"},
        {"IRR, post-tax", percent(m.irr)},
        {"IRR, pre-tax (R - opex - capex)", percent(m.pretax_irr)},
        {"payback year", payback},
        {"government take", percent(m.government_take)},
        {fmt::format("AETR (NPVs at {})", percent(info.host_rate)), percent(m.aetr)},
        {fmt::format("state revenue NPV at {}", percent(info.host_rate)),
         fixed_digits(m.state_revenue_npv / 1e6, 1) + " $ m"},
    };
    std::string out;
    for (const Row& row : rows) out += fmt::format("{:<32}  {}\n", row[0] + ":", row[1]);
    return out;
}

}  // namespace nadra
