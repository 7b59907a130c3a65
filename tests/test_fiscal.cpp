// The fiscal indicators (MODEL.md 5, v1.3) and `nadra fiscal`'s comparison of regimes on common
// random numbers (issue 19), against closed forms.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <vector>

#include "analysis/fiscal.hpp"
#include "analysis_results.hpp"
#include "engine/engine.hpp"
#include "engine/project_flows.hpp"
#include "report/fiscal_outputs.hpp"
#include "report/summary_json.hpp"
#include "scenario_builders.hpp"

namespace nadra {
namespace {

// a(n, r) = sum_{k=1..n} (1 + r)^-k
double annuity(int n, double r) {
    double a = 0;
    for (int k = 1; k <= n; ++k) a += std::pow(1 + r, -k);
    return a;
}

// The IRR of a level annuity: -100 now, then A a year for 10 years with A = 100 / a(10, 8%),
// is 8% (the annuity formula, any textbook of capital budgeting).
TEST(FiscalIndicators, IrrOfLevelAnnuity) {
    const double payment = 100 / annuity(10, 0.08);
    std::vector<double> flows{-100};
    for (int k = 0; k < 10; ++k) flows.push_back(payment);
    EXPECT_NEAR(internal_rate_of_return(flows), 0.08, 1e-10);
    // Leading zeros (a licence year later) change nothing.
    flows.insert(flows.begin(), 3, 0.0);
    EXPECT_NEAR(internal_rate_of_return(flows), 0.08, 1e-10);
}

// A project with only a royalty theta: capex K in year 0 (lead 1), then q units a year for 4
// years, no opex, no tax, no inflation. At the breakeven P*, (1 - theta) P* q a(4, r) = K; the
// pre-tax IRR p solves P* q a(4, p) = K, so a(4, p) = (1 - theta) a(4, r), and the METR is
// (p - r) / p. The effective royalty rate is theta (state revenue over R every year), and the
// take at a constant price P is theta P q 4 / (P q 4 - opex q 4 - K) (host rate 0: AETR = take),
// falling with the price (a royalty is regressive).
TEST(FiscalIndicators, MetrAndProgressivityOfRoyaltyOnlyProject) {
    const double theta = 0.2, K = 1000, q = 10, r = 0.10;
    Scenario s = test::deterministic_world(10);
    const int reg = test::add_regime(s, test::concession(theta));
    test::add_project(s, test::make_project(0, 0, reg, q, 4 * q, K, 0.0, 1.0, 0));
    const ProjectFiscal f = project_fiscal(s, 0, s.world.regimes[reg]);
    const double breakeven = K / ((1 - theta) * q * annuity(4, r));
    EXPECT_NEAR(f.breakeven_price, breakeven, 1e-6 * breakeven);
    double low = 0, high = 1;
    for (int i = 0; i < 200; ++i) {
        const double mid = 0.5 * (low + high);
        (annuity(4, mid) > (1 - theta) * annuity(4, r) ? low : high) = mid;
    }
    const double p = 0.5 * (low + high);
    ASSERT_EQ(f.metr_gap, MetrGap::defined);
    EXPECT_NEAR(f.metr, (p - r) / p, 1e-6);
    EXPECT_NEAR(f.effective_royalty_rate, theta, 1e-12);

    // With opex 20 a unit: the take on 0.5-2 times the level (100).
    Scenario o = test::deterministic_world(10);
    const int reg2 = test::add_regime(o, test::concession(theta));
    test::add_project(o, test::make_project(0, 0, reg2, q, 4 * q, K, 20.0, 1.0, 0));
    const ProjectFiscal g = project_fiscal(o, 0, o.world.regimes[reg2]);
    ASSERT_EQ(g.progressivity.size(), 6U);
    double previous = std::numeric_limits<double>::infinity();
    for (const Progressivity& point : g.progressivity) {
        const double P = point.price_factor * 100;
        const double pretax = P * q * 4 - 20 * q * 4 - K;
        const double expected = pretax > 0 ? theta * P * q * 4 / pretax : std::nan("");
        if (pretax > 0) {
            EXPECT_NEAR(point.government_take, expected, 1e-12) << point.price_factor;
            EXPECT_NEAR(point.aetr, expected, 1e-12);
            EXPECT_LT(point.government_take, previous);
            previous = point.government_take;
        } else {
            EXPECT_TRUE(std::isnan(point.government_take)) << point.price_factor;
        }
    }
}

// A METR is not defined where the project has no construction years (lead time 0), and a
// payback where the investor's cumulative cash flow is never negative (no capex, no fee).
TEST(FiscalIndicators, NotDefinedSaysWhy) {
    Scenario s = test::deterministic_world(10);
    const int reg = test::add_regime(s, test::concession(0.1, 0.2));
    test::add_project(s, test::make_project(0, 0, reg, 10, 40, 1000, 5.0, 0.0, 0));
    const ProjectFiscal f = project_fiscal(s, 0, s.world.regimes[reg]);
    EXPECT_TRUE(std::isnan(f.metr));
    EXPECT_EQ(f.metr_gap, MetrGap::no_construction);
    Scenario free = s;
    free.world.projects[0] = test::make_project(0, 0, reg, 10, 40, 0, 5.0, 1.0, 0);
    const ProjectFiscal g = project_fiscal(free, 0, free.world.regimes[reg]);
    EXPECT_FALSE(g.payback.defined);
    EXPECT_EQ(g.metr_gap, MetrGap::breakeven_zero);
}

// A random world: prices with volatility, wars that end and return, a project whose start
// depends on both.
Scenario random_world() {
    Scenario s = test::deterministic_world(30);
    s.world.commodities[0].sigma = 0.3;
    s.world.commodities[0].kappa = 0.2;
    s.world.conflict.initial_war = true;
    s.world.conflict.end_hazard = {0.25};
    s.world.conflict.renew_hazard = {0.05};
    s.world.conflict.war_disruption = 0.3;
    s.world.host_discount_rate = 0.06;
    s.world.inflation = 0.02;
    test::add_regime(s, test::concession(0.05, 0.2, 5));
    s.world.regimes.back().name = "light";
    test::add_regime(s, test::concession(0.15, 0.25, 5));
    s.world.regimes.back().name = "heavy";
    Project p = test::make_project(0, 0, 1, 10, 150, 3000, 40.0, 2.0, 1);
    p.lead_time = Triangular{1, 2, 4};
    p.capex_sigma = 0.2;
    p.viability = 0.8;
    test::add_project(s, p);
    return s;
}

// Common random numbers: every regime sees the same prices on a path; each path's NPVs are
// those of `nadra cashflow --path` for the project under that regime; a regime compared with
// itself differs by exactly 0 on every path; the thread count changes nothing.
TEST(FiscalComparison, CommonRandomNumbersAcrossRegimes) {
    const Scenario s = random_world();
    const std::vector<Regime> regimes{s.world.regimes[1], s.world.regimes[2]};
    const RunOptions run = test::run_options(200, 7, 1);
    const FiscalComparison c = compare_regimes(s, 0, regimes, run);
    ASSERT_EQ(c.regimes.size(), 2U);
    EXPECT_EQ(c.regimes[0].mean_real_price, c.regimes[1].mean_real_price);
    for (int k = 0; k < 2; ++k) {
        Scenario under = s;
        under.world.projects[0].regime = k + 1;
        for (std::int64_t path : {0, 3, 17, 199}) {
            CashflowOptions options;
            options.base = false;
            options.seed = 7;
            options.path = path;
            const auto years = project_cashflow(under, 0, options);
            const auto i = static_cast<std::size_t>(path);
            EXPECT_DOUBLE_EQ(c.regimes[k].state_npv[i],
                             cashflow_npv(years, under.start_year, 0.06,
                                          [](const CashflowYear& y) { return y.state_revenue; }));
            EXPECT_DOUBLE_EQ(c.regimes[k].investor_npv[i],
                             cashflow_npv(years, under.start_year, 0.10, [](const CashflowYear& y) {
                                 return y.investor_cash_flow;
                             }));
        }
    }
    // The heavier regime raises the breakeven, so the project starts on fewer paths, never more.
    EXPECT_LE(c.regimes[1].started_probability, c.regimes[0].started_probability);
    EXPECT_GT(c.regimes[0].started_probability, 0.0);
    EXPECT_GT(c.regimes[0].take_stats.count, 0);

    Regime copy = regimes[0];
    copy.name = "light_again";
    const FiscalComparison same = compare_regimes(s, 0, {regimes[0], copy}, run);
    ASSERT_EQ(same.differences.size(), 1U);
    EXPECT_EQ(same.differences[0].state_npv.mean, 0.0);
    EXPECT_EQ(same.differences[0].state_npv.sd, 0.0);
    EXPECT_EQ(same.differences[0].investor_npv.p95, 0.0);
    EXPECT_EQ(same.differences[0].investor_npv.p5, 0.0);

    const FiscalComparison threaded = compare_regimes(s, 0, regimes, test::run_options(200, 7, 2));
    for (int k = 0; k < 2; ++k) {
        EXPECT_EQ(threaded.regimes[k].state_npv, c.regimes[k].state_npv);
        EXPECT_EQ(threaded.regimes[k].investor_npv, c.regimes[k].investor_npv);
    }
}

// fiscal.json: each regime's base case as summary.json's projects[] has it (one writer), after
// what the state gets; the commodity's long-run price; notes where a measure is not defined or
// a take is above 100%; the scatter's points only where the project starts and the AETR is
// defined.
TEST(FiscalOutputs, BaseCaseAsSummaryJsonWithNotesAndScatter) {
    const FiscalComparison c = test::fiscal_result();
    const auto json =
        nlohmann::ordered_json::parse(fiscal_outputs(test::analysis_info(), c).at("fiscal.json"));
    EXPECT_EQ(json["price_level"], 15000);
    std::vector<std::string> keys;
    for (const auto& [key, value] : json["regimes"][1]["base"].items()) keys.push_back(key);
    const std::vector<std::string> expected{"state_revenue_npv",
                                            "breakeven_price",
                                            "government_take",
                                            "aetr",
                                            "investor_npv",
                                            "irr",
                                            "pretax_irr",
                                            "payback_year",
                                            "effective_royalty_rate",
                                            "metr",
                                            "progressivity",
                                            "notes"};
    EXPECT_EQ(keys, expected);
    nlohmann::ordered_json measures = nlohmann::ordered_json::object();
    add_fiscal_measures(measures, c.regimes[1].base);
    nlohmann::ordered_json base = json["regimes"][1]["base"];
    base.erase("state_revenue_npv");
    EXPECT_EQ(base, measures);
    const auto& heavy = json["regimes"][1]["base"];
    EXPECT_DOUBLE_EQ(heavy["state_revenue_npv"].get<double>(), 200e6);
    EXPECT_TRUE(heavy["metr"].is_null());
    EXPECT_EQ(heavy["notes"]["metr"],
              "not defined: the real pre-tax IRR at the breakeven price is not positive");
    EXPECT_TRUE(heavy["progressivity"][0]["aetr"].is_null());
    EXPECT_DOUBLE_EQ(heavy["progressivity"][0]["government_take"].get<double>(), 1.2);
    EXPECT_NE(heavy["notes"]["progressivity"].get<std::string>().find("above 1"),
              std::string::npos);
    EXPECT_FALSE(json["regimes"][0]["base"]["notes"].contains("metr"));
    // light: paths 0-2 start with an AETR; heavy: path 2's is not defined.
    EXPECT_EQ(json["regimes"][0]["aetr_by_mean_real_price"],
              nlohmann::ordered_json::parse("[[9000, 0.7], [15000, 0.45], [21000, 0.4]]"));
    EXPECT_EQ(json["regimes"][1]["aetr_by_mean_real_price"].size(), 2u);
    EXPECT_EQ(json["regimes"][1]["aetr"]["count"], 2);
    EXPECT_EQ(json["differences"][0]["state_npv"]["mean"], 37.5e6);
}

}  // namespace
}  // namespace nadra

namespace nadra {
namespace {

// A resource rent tax whose uplift is the investor's rate is neutral (Garnaut and Clunies Ross
// 1975; the IMF's FARI methodology treats such an RRT as a cash-flow tax): the present value of
// the tax is the rate times that of the pre-tax cash flow, so the investor's NPV scales by
// 1 - rate when the carried base is used up. Capex 1000 (lead 1), then 10 units at 50 for 4 years,
// no opex, royalty or income tax; bases -600, -160, then 324 and 500, both taxed.
TEST(RentTax, UpliftAtDiscountRateIsNeutral) {
    Scenario s = test::deterministic_world(10);
    const int plain = test::add_regime(s, test::concession(0.0));
    Regime rrt = test::concession(0.0);
    rrt.rent_tax = RentTax{0.4, 0.10};
    const int taxed = test::add_regime(s, rrt);
    s.world.commodities[0].price0 = 50;
    s.world.commodities[0].level = 50;
    test::add_project(s, test::make_project(0, 0, plain, 10, 40, 1000, 0.0, 1.0, 0));
    const ProjectFiscal without = project_fiscal(s, 0, s.world.regimes[plain]);
    const ProjectFiscal with = project_fiscal(s, 0, s.world.regimes[taxed]);
    ASSERT_GT(without.investor_npv, 0);
    EXPECT_NEAR(with.investor_npv, 0.6 * without.investor_npv, 1e-9 * without.investor_npv);
    // The tax year by year: nothing until the carried base is recovered with its uplift.
    const auto years = engine::base_case(s, s.world.projects[0], rrt, std::nullopt);
    ASSERT_GE(years.size(), 5U);
    EXPECT_EQ(years[1].rent_tax, 0.0);
    EXPECT_EQ(years[2].rent_tax, 0.0);
    EXPECT_NEAR(years[3].rent_tax, 0.4 * (500 + 1.1 * (500 + 1.1 * (500 - 1.1 * 1000))), 1e-9);
    EXPECT_NEAR(years[4].rent_tax, 0.4 * 500, 1e-9);
    EXPECT_NEAR(years[4].state_revenue, 0.4 * 500, 1e-9);
    // A higher uplift than the investor's rate favours the investor; a lower one the state.
    rrt.rent_tax->uplift = 0.2;
    EXPECT_GT(project_fiscal(s, 0, rrt).investor_npv, with.investor_npv);
    rrt.rent_tax->uplift = 0.0;
    EXPECT_LT(project_fiscal(s, 0, rrt).investor_npv, with.investor_npv);
}

}  // namespace
}  // namespace nadra
