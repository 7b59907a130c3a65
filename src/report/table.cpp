#include "report/table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <tuple>

#include "analysis/gains.hpp"
#include "report/fiscal_words.hpp"

namespace nadra {

std::string fixed_digits(double value, int digits) {
    if (!std::isfinite(value)) return "-";
    std::string text = fmt::format("{:.{}f}", value, digits);
    if (text.front() == '-' && text.find_first_not_of("-0.") == std::string::npos) text.erase(0, 1);
    return text;
}

std::string readable_digits(double value) {
    const double size = std::abs(value);
    if (!std::isfinite(value) || size >= 1 || size == 0) return fixed_digits(value, 1);
    // Two significant figures, six decimals at most: 0.15, 0.012.
    const int digits = std::min(6, 1 - static_cast<int>(std::floor(std::log10(size))));
    return fixed_digits(value, digits);
}

namespace {

// Characters as a terminal shows them: UTF-8 continuation bytes take no column ("±").
std::size_t columns(const std::string& text) {
    std::size_t n = 0;
    for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

}  // namespace

std::string aligned_columns(const std::vector<std::vector<std::string>>& rows) {
    std::vector<std::size_t> widths;
    for (const auto& row : rows) {
        widths.resize(std::max(widths.size(), row.size()), 0);
        for (std::size_t c = 0; c < row.size(); ++c)
            widths[c] = std::max(widths[c], columns(row[c]));
    }
    std::string out;
    for (const auto& row : rows) {
        std::string line;
        for (std::size_t c = 0; c < row.size(); ++c) {
            const std::string pad(widths[c] - columns(row[c]), ' ');
            line += c == 0 ? row[c] + pad : "  " + pad + row[c];
        }
        out += line.erase(line.find_last_not_of(' ') + 1) + '\n';
    }
    return out;
}

namespace {

using Row = std::vector<std::string>;

// A gain's mean and standard error in $ bn: "0.15 ± 0.02".
std::string gain_cell(const std::map<std::string, Stats>& metrics, const char* metric) {
    const auto it = metrics.find(metric);
    if (it == metrics.end() || it->second.count == 0) return "-";
    return readable_digits(it->second.mean / 1e9) + " ± " + readable_digits(it->second.sem / 1e9);
}

Row deal_row(const DealSummary& deal, const std::vector<GainSummary>& gains,
             const std::string& baseline) {
    const auto mean_bn = [&](const char* metric) {
        return readable_digits(deal.metrics.at(metric).mean / 1e9);
    };
    const std::vector<double>& curve = deal.cap_reached_probability;
    const Stats& cap_year = deal.metrics.at("cap_year");
    Row row{deal.name,
            mean_bn("host_value"),
            mean_bn("partner_value"),
            mean_bn("host_total_value"),
            mean_bn("partner_net_value"),
            mean_bn("host_contributions"),
            fixed_digits(100 * (curve.empty() ? 0.0 : curve.back()), 1) + "%",
            cap_year.count == 0 ? "-" : fmt::format("{}", cap_year.p50)};
    if (gains.empty()) return row;
    const auto gain = std::find_if(gains.begin(), gains.end(),
                                   [&](const GainSummary& g) { return g.deal == deal.name; });
    if (gain == gains.end()) {
        row.insert(row.end(), {deal.name == baseline ? "baseline" : "-", ""});
    } else {
        row.push_back(gain_cell(gain->metrics, "host_value"));
        row.push_back(gain_cell(gain->metrics, "partner_value"));
    }
    return row;
}

}  // namespace

std::string run_table(const RunInfo& info, const RunSummary& summary, const DiscountRates& rates) {
    const int last_year = info.start_year + info.horizon - 1;
    const std::vector<GainSummary> gains = paired_gains(summary);
    const std::string baseline = gains_baseline(summary);
    // Host total and partner net value count in-kind support as each side values it (MODEL.md 4.2).
    std::vector<Row> rows{{"", "host", "partner", "host", "partner", "", "P(cap)", "cap year"},
                          {"deal", "value", "value", "total", "net", "contributions",
                           fmt::format("by {}", last_year), "median"}};
    if (!gains.empty()) {
        rows[0].insert(rows[0].end(), {"host gain", "partner gain"});
        rows[1].insert(rows[1].end(), {"$ bn ± se", "$ bn ± se"});
    }
    for (const DealSummary& deal : summary.deals) rows.push_back(deal_row(deal, gains, baseline));
    std::string notes =
        "means in $ bn; host total, partner net: the values with in-kind support valued "
        "(host_total_value, partner_net_value)\n" +
        fmt::format(
            "P(cap): the probability that the cap is reached by {}; cap year: the median year "
            "over the paths that reach it\n",
            last_year);
    if (!gains.empty()) {
        notes += fmt::format(
            "gain = deal - {}, path by path (host_value, partner_value); se: its standard "
            "error\n",
            baseline);
    }
    notes += fmt::format("discount rates: the host's values at {}% a year, the partner's at {}%\n",
                         readable_digits(100 * rates.host), readable_digits(100 * rates.partner));
    return aligned_columns(rows) + notes +
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
    // The rent tax's column only where a year pays one (MODEL.md 3.6, v1.3).
    const bool rent = std::any_of(years.begin(), years.end(),
                                  [](const CashflowYear& y) { return y.rent_tax != 0; });
    if (rent) names.emplace_back("rent tax");
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
        money.push_back(y.income_tax);
        money.push_back(y.dividend);
        if (rent) money.push_back(y.rent_tax);
        money.push_back(y.investor_cash_flow);
        money.push_back(y.state_revenue);
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
    out += fmt::format("{:<32}  {}\n", "effective royalty rate:",
                       std::isfinite(m.effective_royalty_rate)
                           ? percent(m.effective_royalty_rate) +
                                 " (the smallest yearly state revenue over revenue R)"
                           : std::string("not defined: no year with revenue"));
    // A take that is not defined or above 100% says why (MODEL.md 5, v1.3).
    for (const auto& [name, value, discounted] :
         {std::tuple{"government take", m.government_take, false},
          std::tuple{"AETR", m.aetr, true}}) {
        if (const std::string note = take_note(value, discounted); !note.empty())
            out += fmt::format("  {}: {}\n", name, note);
    }
    return out;
}

std::string fiscal_indicator_lines(const ProjectFiscal& f, const std::string& unit) {
    std::string out = fmt::format("{:<32}  {}\n", "breakeven price:",
                                  std::isfinite(f.breakeven_price)
                                      ? fixed_digits(f.breakeven_price, 2) + " " + unit
                                      : std::string("none (never economic)"));
    out += fmt::format("{:<32}  {}\n", "METR (real, at the breakeven):",
                       std::isfinite(f.metr) ? percent(f.metr) : metr_note(f.metr_gap));
    out += "progressivity (constant real price x the commodity's level):\n";
    std::vector<std::vector<std::string>> rows{{"  price x level", "government take", "AETR"}};
    for (const Progressivity& p : f.progressivity) {
        rows.push_back(
            {"  " + fixed_digits(p.price_factor, 2), percent(p.government_take), percent(p.aetr)});
    }
    out += aligned_columns(rows);
    for (const Progressivity& p : f.progressivity) {
        for (const auto& [name, value, discounted] :
             {std::tuple{"government take", p.government_take, false},
              std::tuple{"AETR", p.aetr, true}}) {
            if (const std::string note = take_note(value, discounted); !note.empty())
                out += fmt::format("  at {} x level, {}: {}\n", fixed_digits(p.price_factor, 2),
                                   name, note);
        }
    }
    return out;
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
    text += aligned_columns(rows);
    // The inputs that move each deal's host gain most, from the same sets.
    const InputCorrelations& c = summary.inputs.correlations;
    if (c.reference.empty() || c.rows.empty()) return text;
    // Under no effect rho has sd about 1 / sqrt(K - 1): twice that is within chance.
    const double chance =
        2 / std::sqrt(static_cast<double>(std::max<std::int64_t>(2, summary.inputs.sets)) - 1);
    text += fmt::format(
        "the sampled inputs that move host gain over {} most (Spearman's rho of their draws with "
        "the set means; |rho| below {:.2f} is within chance at {} sets; summary.json's "
        "input_correlations has every input and both sides):\n",
        c.reference, chance, summary.inputs.sets);
    std::size_t width = 0;
    for (const DealSummary& deal : summary.deals) width = std::max(width, deal.name.size());
    for (const DealSummary& deal : summary.deals) {
        std::vector<const InputCorrelation*> mine;
        for (const InputCorrelation& r : c.rows)
            if (r.deal == deal.name && r.metric == "host_gain" && std::isfinite(r.spearman))
                mine.push_back(&r);
        if (mine.empty()) continue;
        std::stable_sort(mine.begin(), mine.end(), [](const auto* a, const auto* b) {
            return std::abs(a->spearman) > std::abs(b->spearman);
        });
        std::string named;
        for (std::size_t i = 0; i < std::min<std::size_t>(3, mine.size()); ++i) {
            named += fmt::format("{}{} {:+.2f}", i ? ", " : "", mine[i]->input, mine[i]->spearman);
        }
        text += fmt::format("  {:<{}}  {}\n", deal.name, width, named);
    }
    return text;
}

}  // namespace nadra
