// Per-year and per-asset results (MODEL.md 5 and 7, v1.3; RunOptions::keep_years): the series on
// a deterministic world by hand, the split of contributions over assets by hand, the assets
// adding up to the deal, the streamed statistics exact, the run's other results unchanged, and
// the shape of by_year.csv and by_asset.csv.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/statistics.hpp"
#include "analysis/streaming.hpp"
#include "engine/engine.hpp"
#include "report/outputs.hpp"
#include "report/year_outputs.hpp"
#include "scenario/builtin.hpp"
#include "scenario/load.hpp"
#include "scenario_builders.hpp"

namespace nadra {
namespace {

RunSummary streamed_summary(const Scenario& scenario, const RunOptions& o, std::int64_t block) {
    StreamingSummary streaming(scenario, o.paths);
    simulate_blocks(scenario, o, block, [&](const SimulationResult& b, std::int64_t first) {
        streaming.add(b, first);
    });
    return streaming.finish();
}

const YearSeriesSummary& series_named(const DealSummary& deal, const std::string& name) {
    for (const YearSeriesSummary& s : deal.by_year) {
        if (s.name == name) return s;
    }
    throw std::runtime_error("no series " + name);
}

std::vector<std::string> series_names(const DealSummary& deal) {
    std::vector<std::string> names;
    for (const YearSeriesSummary& s : deal.by_year) names.push_back(s.name);
    return names;
}

TEST(ByYear, SeriesOnADeterministicWorldByHand) {
    // A stream whose host revenue is 37 a year (volume 1 at 100, royalty 10% -> 10, income tax
    // 20% and dividend 10% of 90 -> 18 + 9). Deal: share 0.5, cap 50; partner cash 10 in year 0;
    // fund return 10%; lock 1; payout 0.5; partner share 0.4.
    //  t  c     cum   I(t) = F(1.1) + c + cash          dist = 0.5 I   partner    host        F
    //  0  18.5  18.5  0 + 18.5 + 10 = 28.5               0 (lock)       0          0           28.5
    //  1  18.5  37    31.35 + 18.5
    //  = 49.85               24.925         9.97       14.955      24.925 2  13    50    27.4175 +
    //  13 = 40.4175             20.20875       8.0835     12.12525    20.20875 3  0 50    22.229625
    //  + 0 = 22.229625          11.1148125     4.445925   6.6688875   11.1148125
    Scenario s = test::deterministic_world(4);
    test::add_stream(s, test::make_stream(0, 0, 1.0, 0.10, 0.20, 0.10));
    s.world.fund.return_mean = std::log(1.1);
    Deal d = test::make_deal("d", 0.5);
    d.cap = 50;
    d.partner_support.cash = {10.0, 0.0};
    d.lock_years = 1;
    d.payout_rate = 0.5;
    d.partner_share = 0.4;
    test::add_deal(s, d);
    test::add_deal(s, test::make_deal("uncapped", 0.25));

    RunOptions o = test::run_options(3);
    o.keep_years = true;
    const RunSummary summary = streamed_summary(s, o, 2);
    ASSERT_EQ(summary.deals.size(), 2U);
    const DealSummary& deal = summary.deals[0];
    EXPECT_EQ(series_names(deal),
              (std::vector<std::string>{"host_revenue", "scoped_revenue", "contributions",
                                        "cumulative_contributions", "cap", "distributions_to_host",
                                        "distributions_to_partner", "fund_balance"}));
    const std::vector<std::pair<std::string, std::vector<double>>> expected = {
        {"host_revenue", {37, 37, 37, 37}},
        {"scoped_revenue", {37, 37, 37, 37}},
        {"contributions", {18.5, 18.5, 13, 0}},
        {"cumulative_contributions", {18.5, 37, 50, 50}},
        {"cap", {50, 50, 50, 50}},
        {"distributions_to_host", {0, 14.955, 12.12525, 6.6688875}},
        {"distributions_to_partner", {0, 9.97, 8.0835, 4.445925}},
        {"fund_balance", {28.5, 24.925, 20.20875, 11.1148125}},
    };
    for (const auto& [name, values] : expected) {
        SCOPED_TRACE(name);
        const YearSeriesSummary& series = series_named(deal, name);
        EXPECT_TRUE(series.defined);
        ASSERT_EQ(series.years.size(), 4U);
        for (std::size_t t = 0; t < 4; ++t) {
            const Stats& y = series.years[t];
            EXPECT_EQ(y.count, 3);
            EXPECT_NEAR(y.mean, values[t], 1e-9);
            for (const double p : {y.p5, y.p25, y.p50, y.p75, y.p95})
                EXPECT_NEAR(p, values[t], 1e-9);
        }
    }
    // Without a cap the cap in force is +inf: not defined, reported as null.
    const YearSeriesSummary& cap = series_named(summary.deals[1], "cap");
    EXPECT_FALSE(cap.defined);
    EXPECT_EQ(cap.years.size(), 4U);
    const std::string csv = by_year_csv(summary, test::start_year);
    EXPECT_NE(csv.find("uncapped,2025,cap,,,,,,\n"), std::string::npos);
    EXPECT_NE(csv.find("d,2027,contributions,"), std::string::npos) << csv;

    // The per-path series as the engine hands them over.
    const SimulationResult r = simulate(s, o);
    const DealPaths& p = r.deals[0];
    ASSERT_EQ(p.years.size(), 3U * year_series_count * 4U);
    const auto at = [&](std::size_t path, YearSeries series, std::size_t t) {
        return p.years[(path * year_series_count + static_cast<std::size_t>(series)) * 4 + t];
    };
    EXPECT_NEAR(at(2, YearSeries::contributions, 2), 13, 1e-9);
    EXPECT_NEAR(at(2, YearSeries::cumulative_contributions, 3), 50, 1e-9);
    EXPECT_TRUE(std::isinf(r.deals[1].years[static_cast<std::size_t>(YearSeries::cap) * 4]));
    EXPECT_EQ(at(1, YearSeries::co_invest_paid, 1), 0.0);
}

TEST(ByAsset, ContributionsSplitByShareTimesScopedRevenueByHand) {
    // Asset A: a stream in a free region, host revenue 37 a year, share 0.5 -> weight 18.5.
    // Asset B: a gas stream in a region occupied at signing, liberated at the end of year 0's war
    // (end hazard 1, liberation probability 1), so producing from year 1: 20 units at 10, royalty
    // 10% -> 20 a year; share_liberated 0.2 -> weight 4. Cap 40; host rate 10%.
    //  year 0: due 18.5 (A only), paid 18.5: A 18.5.
    //  year 1: due 18.5 + 4 = 22.5, room 40 - 18.5 = 21.5: A 21.5 * 18.5 / 22.5, B 21.5 * 4 / 22.5.
    //  years 2, 3: the cap is reached, nothing.
    Scenario s = test::deterministic_world(4);
    s.world.host_discount_rate = 0.1;
    s.world.conflict.initial_war = true;
    s.world.conflict.end_hazard = {1.0};
    s.world.conflict.liberation_probability = 1;
    const int gas = test::add_commodity(s, "gas", 10.0);
    const int occupied = test::add_region(s, "occupied", RegionStatus::occupied);
    Stream a = test::make_stream(0, 0, 1.0, 0.10, 0.20, 0.10);
    a.name = "a";
    test::add_stream(s, a);
    Stream b = test::make_stream(gas, occupied, 20.0, 0.10);
    b.name = "b";
    test::add_stream(s, b);
    Deal d = test::make_deal("d", 0.5);
    d.share_liberated = 0.2;
    d.cap = 40;
    test::add_deal(s, d);

    RunOptions o = test::run_options(2);
    o.keep_years = true;
    const SimulationResult r = simulate(s, o);
    const double a_1 = 21.5 * 18.5 / 22.5, b_1 = 21.5 * 4 / 22.5;
    const double a_sum = 18.5 + a_1, a_npv = 18.5 / 1.1 + a_1 / 1.21, b_npv = b_1 / 1.21;
    ASSERT_EQ(r.deals[0].asset_contributions.size(), 4U);
    for (std::size_t path = 0; path < 2; ++path) {
        EXPECT_NEAR(r.deals[0].host_contributions[path], 40, 1e-9);
        EXPECT_NEAR(r.deals[0].asset_contributions[2 * path], a_sum, 1e-9);
        EXPECT_NEAR(r.deals[0].asset_contributions[2 * path + 1], b_1, 1e-9);
        EXPECT_NEAR(r.deals[0].asset_contributions_npv[2 * path], a_npv, 1e-9);
        EXPECT_NEAR(r.deals[0].asset_contributions_npv[2 * path + 1], b_npv, 1e-9);
    }

    const RunSummary summary = streamed_summary(s, o, 1);
    const DealSummary& deal = summary.deals[0];
    ASSERT_EQ(deal.by_asset.size(), 2U);
    EXPECT_EQ(deal.by_asset[0].asset, "a");
    EXPECT_EQ(deal.by_asset[0].kind, "stream");
    EXPECT_EQ(deal.by_asset[0].commodity, "ore");
    EXPECT_NEAR(deal.by_asset[0].contributions, a_sum, 1e-9);
    EXPECT_NEAR(deal.by_asset[0].contributions_npv, a_npv, 1e-9);
    EXPECT_NEAR(deal.by_asset[0].share, a_sum / 40, 1e-12);
    EXPECT_EQ(deal.by_asset[1].commodity, "gas");
    EXPECT_NEAR(deal.by_asset[1].share, b_1 / 40, 1e-12);
    ASSERT_EQ(deal.by_commodity.size(), 2U);
    EXPECT_EQ(deal.by_commodity[1].commodity, "gas");
    EXPECT_NEAR(deal.by_commodity[1].contributions, b_1, 1e-9);
    EXPECT_NEAR(deal.by_commodity[1].contributions_npv, b_npv, 1e-9);
    EXPECT_NEAR(deal.by_commodity[0].share + deal.by_commodity[1].share, 1, 1e-12);
}

const Scenario& ukraine() {
    static const Scenario scenario =
        load_scenario_files(builtin_scenario(), builtin_scenario_root).scenario.value();
    return scenario;
}

RunOptions ukraine_options(std::int64_t paths, bool keep_years) {
    RunOptions o;
    o.paths = paths;
    o.seed = 5;
    o.threads = 2;
    o.keep_years = keep_years;
    return o;
}

TEST(ByAsset, AssetsAddUpToTheDealsMeanContributions) {
    const Scenario& scenario = ukraine();
    const RunSummary summary = streamed_summary(scenario, ukraine_options(2000, true), 256);
    for (const DealSummary& deal : summary.deals) {
        SCOPED_TRACE(deal.name);
        const double total = deal.metrics.at("host_contributions").mean;
        double assets = 0, commodities = 0, npv = 0, commodities_npv = 0;
        for (const AssetContributions& a : deal.by_asset) {
            assets += a.contributions;
            npv += a.contributions_npv;
            EXPECT_GE(a.contributions, 0);
        }
        for (const AssetContributions& c : deal.by_commodity) {
            commodities += c.contributions;
            commodities_npv += c.contributions_npv;
        }
        EXPECT_EQ(deal.by_asset.size(),
                  scenario.world.projects.size() + scenario.world.streams.size());
        EXPECT_NEAR(assets, total, 1e-9 * std::abs(total));
        EXPECT_NEAR(commodities, total, 1e-9 * std::abs(total));
        EXPECT_NEAR(commodities_npv, npv, 1e-9 * std::abs(npv));
        // The last year's cumulative contributions are each path's host_contributions.
        const YearSeriesSummary& cumulative = series_named(deal, "cumulative_contributions");
        EXPECT_EQ(cumulative.years.back().mean, total);
        if (total > 0) {
            double shares = 0;
            for (const AssetContributions& a : deal.by_asset) shares += a.share;
            EXPECT_NEAR(shares, 1, 1e-9);
        } else {
            for (const AssetContributions& a : deal.by_asset) EXPECT_TRUE(std::isnan(a.share));
        }
    }
}

TEST(ByYear, StreamedStatisticsAreTheWholeRunsExactly) {
    const Scenario& scenario = ukraine();
    const RunOptions o = ukraine_options(1500, true);
    const SimulationResult whole = simulate(scenario, o);
    const RunSummary summary = streamed_summary(scenario, o, 100);
    const auto years = static_cast<std::size_t>(whole.horizon);
    for (std::size_t d = 0; d < whole.deals.size(); ++d) {
        const DealPaths& paths = whole.deals[d];
        for (const YearSeries series : {YearSeries::contributions, YearSeries::host_revenue,
                                        YearSeries::distributions_to_partner}) {
            const std::string name = year_series_names()[static_cast<std::size_t>(series)];
            const YearSeriesSummary& streamed = series_named(summary.deals[d], name);
            for (std::size_t t = 0; t < years; t += 7) {
                std::vector<double> column;
                for (std::size_t i = 0; i < static_cast<std::size_t>(whole.paths); ++i)
                    column.push_back(
                        paths.years[(i * year_series_count + static_cast<std::size_t>(series)) *
                                        years +
                                    t]);
                const Stats exact = summarize(column);
                const Stats& s = streamed.years[t];
                EXPECT_EQ(s.mean, exact.mean);
                EXPECT_EQ(s.p5, reported_percentile(exact.p5));
                EXPECT_EQ(s.p50, reported_percentile(exact.p50));
                EXPECT_EQ(s.p95, reported_percentile(exact.p95));
            }
        }
    }
}

TEST(ByYear, KeepingYearsChangesNoOtherResult) {
    const Scenario& scenario = ukraine();
    const SimulationResult without = simulate(scenario, ukraine_options(600, false));
    const SimulationResult with = simulate(scenario, ukraine_options(600, true));
    ASSERT_EQ(without.deals.size(), with.deals.size());
    for (std::size_t d = 0; d < with.deals.size(); ++d) {
        const DealPaths& a = without.deals[d];
        const DealPaths& b = with.deals[d];
        EXPECT_TRUE(a.years.empty());
        EXPECT_FALSE(b.years.empty());
        for (const std::string& metric : metric_names()) {
            const auto x = metric_values(a, metric), y = metric_values(b, metric);
            ASSERT_EQ(x.size(), y.size());
            EXPECT_EQ(std::memcmp(x.data(), y.data(), x.size() * sizeof(double)), 0) << metric;
        }
        ASSERT_EQ(a.fund_balance.size(), b.fund_balance.size());
        EXPECT_EQ(std::memcmp(a.fund_balance.data(), b.fund_balance.data(),
                              a.fund_balance.size() * sizeof(double)),
                  0);
    }
    // And the files a run wrote before are the same bytes.
    const RunInfo info{"test", "ukraine-2025", "0", 5, 600, scenario.start_year, scenario.horizon,
                       {}};
    const std::vector<int> deals;
    const OutputFiles before =
        run_outputs(info, scenario, deals,
                    streamed_summary(scenario, ukraine_options(600, false), 64), {}, std::nullopt);
    const OutputFiles after =
        run_outputs(info, scenario, deals,
                    streamed_summary(scenario, ukraine_options(600, true), 64), {}, std::nullopt);
    for (const char* name : {"fund_bands.csv", "cap_curve.csv", "terms.json"})
        EXPECT_EQ(before.at(name), after.at(name)) << name;
    EXPECT_FALSE(before.contains("by_year.csv"));
    EXPECT_TRUE(after.contains("by_year.csv"));
    EXPECT_TRUE(after.contains("by_asset.csv"));
}

std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> fields;
        std::string field;
        std::istringstream cells(line);
        while (std::getline(cells, field, ',')) fields.push_back(field);
        if (!line.empty() && line.back() == ',') fields.emplace_back();
        rows.push_back(fields);
    }
    return rows;
}

TEST(ByYear, CsvShapes) {
    const Scenario& scenario = ukraine();
    const RunSummary summary = streamed_summary(scenario, ukraine_options(300, true), 128);
    const auto by_year = csv_rows(by_year_csv(summary, scenario.start_year));
    ASSERT_FALSE(by_year.empty());
    EXPECT_EQ(by_year[0], (std::vector<std::string>{"deal", "year", "series", "mean", "p5", "p25",
                                                    "p50", "p75", "p95"}));
    std::size_t expected_rows = 1;
    for (const DealSummary& deal : summary.deals) {
        expected_rows += deal.by_year.size() * static_cast<std::size_t>(scenario.horizon);
        // The co-investment's three series only for a deal with a co-investing fund.
        const auto terms = std::find_if(scenario.deals.begin(), scenario.deals.end(),
                                        [&](const Deal& d) { return d.name == deal.name; });
        ASSERT_NE(terms, scenario.deals.end());
        EXPECT_EQ(deal.by_year.size(), terms->co_invest ? 11U : 8U) << deal.name;
    }
    EXPECT_EQ(by_year.size(), expected_rows);
    std::set<std::string> names;
    for (std::size_t i = 1; i < by_year.size(); ++i) {
        ASSERT_EQ(by_year[i].size(), 9U) << i;
        names.insert(by_year[i][2]);
    }
    for (const std::string& name : names)
        EXPECT_NE(std::find(year_series_names().begin(), year_series_names().end(), name),
                  year_series_names().end());

    const auto by_asset = csv_rows(by_asset_csv(summary));
    EXPECT_EQ(by_asset[0],
              (std::vector<std::string>{"deal", "asset", "kind", "commodity", "contributions",
                                        "contributions_npv", "share"}));
    const std::size_t assets = scenario.world.projects.size() + scenario.world.streams.size();
    EXPECT_EQ(by_asset.size(), 1 + summary.deals.size() * assets);
    for (std::size_t i = 1; i < by_asset.size(); ++i) {
        ASSERT_EQ(by_asset[i].size(), 7U) << i;
        EXPECT_TRUE(by_asset[i][2] == "project" || by_asset[i][2] == "stream");
    }
}

}  // namespace
}  // namespace nadra
