#include "report/year_outputs.hpp"

#include <fmt/format.h>

#include <array>
#include <cmath>
#include <iterator>
#include <utility>

#include "report/csv.hpp"

namespace nadra {
namespace {

using nlohmann::ordered_json;

ordered_json number(double value) {
    return std::isfinite(value) ? ordered_json(value) : ordered_json(nullptr);
}

// The statistics reported each year, with their members.
constexpr std::array<std::pair<const char*, double Stats::*>, 6> year_stats{{
    {"mean", &Stats::mean},
    {"p5", &Stats::p5},
    {"p25", &Stats::p25},
    {"p50", &Stats::p50},
    {"p75", &Stats::p75},
    {"p95", &Stats::p95},
}};

ordered_json contributions_json(const AssetContributions& a, bool asset) {
    ordered_json json = ordered_json::object();
    if (asset) {
        json["asset"] = a.asset;
        json["kind"] = a.kind;
    }
    json["commodity"] = a.commodity;
    json["contributions"] = number(a.contributions);
    json["contributions_npv"] = number(a.contributions_npv);
    json["share"] = number(a.share);
    return json;
}

void append_number(fmt::memory_buffer& out, double value) {
    out.push_back(',');
    if (std::isfinite(value)) fmt::format_to(std::back_inserter(out), "{}", value);
}

}  // namespace

void add_year_results(ordered_json& deal_json, const DealSummary& deal, int start_year) {
    if (deal.by_year.empty() && deal.by_asset.empty()) return;
    ordered_json by_year = ordered_json::object();
    by_year["years"] = ordered_json::array();
    const std::size_t years = deal.by_year.empty() ? 0 : deal.by_year.front().years.size();
    for (std::size_t t = 0; t < years; ++t)
        by_year["years"].push_back(start_year + static_cast<int>(t));
    by_year["series"] = ordered_json::object();
    for (const YearSeriesSummary& series : deal.by_year) {
        ordered_json json = ordered_json::object();
        for (const auto& [name, member] : year_stats) {
            ordered_json values = ordered_json::array();
            for (const Stats& stats : series.years) {
                values.push_back(series.defined && stats.count > 0 ? number(stats.*member)
                                                                   : ordered_json(nullptr));
            }
            json[name] = std::move(values);
        }
        by_year["series"][series.name] = std::move(json);
    }
    deal_json["by_year"] = std::move(by_year);
    deal_json["by_asset"] = ordered_json::array();
    for (const AssetContributions& a : deal.by_asset)
        deal_json["by_asset"].push_back(contributions_json(a, true));
    deal_json["by_commodity"] = ordered_json::array();
    for (const AssetContributions& c : deal.by_commodity)
        deal_json["by_commodity"].push_back(contributions_json(c, false));
}

std::string by_year_csv(const RunSummary& summary, int start_year) {
    fmt::memory_buffer out;
    fmt::format_to(std::back_inserter(out), "deal,year,series,mean,p5,p25,p50,p75,p95\n");
    for (const DealSummary& deal : summary.deals) {
        const std::string name = csv_field(deal.name);
        for (const YearSeriesSummary& series : deal.by_year) {
            for (std::size_t t = 0; t < series.years.size(); ++t) {
                fmt::format_to(std::back_inserter(out), "{},{},{}", name,
                               start_year + static_cast<int>(t), series.name);
                const Stats& stats = series.years[t];
                for (const auto& [stat, member] : year_stats) {
                    static_cast<void>(stat);
                    if (series.defined && stats.count > 0) {
                        append_number(out, stats.*member);
                    } else {
                        out.push_back(',');
                    }
                }
                out.push_back('\n');
            }
        }
    }
    return fmt::to_string(out);
}

std::string by_asset_csv(const RunSummary& summary) {
    fmt::memory_buffer out;
    fmt::format_to(std::back_inserter(out),
                   "deal,asset,kind,commodity,contributions,contributions_npv,share\n");
    for (const DealSummary& deal : summary.deals) {
        const std::string name = csv_field(deal.name);
        for (const AssetContributions& a : deal.by_asset) {
            fmt::format_to(std::back_inserter(out), "{},{},{},{}", name, csv_field(a.asset), a.kind,
                           csv_field(a.commodity));
            append_number(out, a.contributions);
            append_number(out, a.contributions_npv);
            append_number(out, a.share);
            out.push_back('\n');
        }
    }
    return fmt::to_string(out);
}

}  // namespace nadra
