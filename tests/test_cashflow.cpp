// `nadra cashflow`'s engine side: the foot's measures (MODEL.md 5) against hand computations,
// each year's state on a path, streams, and an asset's contributions to a deal's fund.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "engine/engine.hpp"
#include "scenario_builders.hpp"

namespace nadra {
namespace {

constexpr int y0 = test::start_year;

CashflowOptions on_path(std::int64_t path = 0) {
    CashflowOptions o;
    o.base = false;
    o.seed = 1;
    o.path = path;
    return o;
}

std::vector<AssetState> states(const std::vector<CashflowYear>& years) {
    std::vector<AssetState> out;
    for (const CashflowYear& y : years) out.push_back(y.state);
    return out;
}

// ---------------------------------------------------------------------------------------------
// IRR: closed forms.

TEST(CashflowMeasures, IrrOfSimpleFlowsInClosedForm) {
    // -100 + 121 / (1 + r) = 0: r = 0.21.
    EXPECT_NEAR(internal_rate_of_return({-100, 121}), 0.21, 1e-12);
    // -100 + 121 / (1 + r)^2 = 0: r = 0.1; zeros before and after change nothing.
    EXPECT_NEAR(internal_rate_of_return({-100, 0, 121}), 0.10, 1e-12);
    EXPECT_NEAR(internal_rate_of_return({0, 0, -100, 121, 0}), 0.21, 1e-12);
    // -100 + 60 x + 60 x^2 = 0 with x = 1 / (1 + r): x = (-60 + sqrt(60^2 + 4 * 60 * 100)) / 120.
    const double x = (-60 + std::sqrt(3600.0 + 24000.0)) / 120;
    EXPECT_NEAR(internal_rate_of_return({-100, 60, 60}), 1 / x - 1, 1e-12);
    // A loss: -100 + 50 / (1 + r) = 0, r = -0.5.
    EXPECT_NEAR(internal_rate_of_return({-100, 50}), -0.5, 1e-12);
    // At the top of (-1, 10]: -1 + 11 / (1 + r) = 0.
    EXPECT_NEAR(internal_rate_of_return({-1, 11}), 10.0, 1e-9);
}

TEST(CashflowMeasures, IrrNotDefinedWhereModelSaysSo) {
    EXPECT_TRUE(std::isnan(internal_rate_of_return({})));
    EXPECT_TRUE(std::isnan(internal_rate_of_return({0, 0})));
    EXPECT_TRUE(std::isnan(internal_rate_of_return({100, -50})));           // starts positive
    EXPECT_TRUE(std::isnan(internal_rate_of_return({-100, -50})));          // never changes
    EXPECT_TRUE(std::isnan(internal_rate_of_return({-100, 50, -10, 70})));  // three changes
    EXPECT_TRUE(std::isnan(internal_rate_of_return({-1, 100})));            // r = 99 > 10
}

// ---------------------------------------------------------------------------------------------
// The concession of test_engine_project.cpp (hand computed there): licence year 1, fee 20, lead
// 2, capacity 10, reserve 35, capex 300, opex 20; royalty 5%, tax 25%, depreciation 3 years,
// state equity 10%; price 100 flat, no inflation; host rate 8%, investor 10% + 5%.
//  t        1     2       3       4       5        6
//  R        0     0    1000    1000    1000      500
//  opex     0     0     200     200     200      100
//  capex  150   150       0       0       0        0
//  state   20     0  266.75  271.25  271.25  146.875
//  investor -170 -150 533.25 528.75  528.75  253.125
Scenario concession_world() {
    Scenario s = test::deterministic_world(10);
    s.world.host_discount_rate = 0.08;
    s.world.investor.hurdle_rate = 0.10;
    s.world.investor.country_risk_premium = 0.05;
    s.world.regimes[0] = test::concession(0.05, 0.25, 3, 0.10);
    Project p = test::make_project(0, 0, 0, 10.0, 35.0, 300.0, 20.0, 2.0, 1);
    p.licence_fee = 20.0;
    test::add_project(s, p);
    return s;
}

TEST(CashflowMeasures, ConcessionFootByHand) {
    const Scenario s = concession_world();
    const AssetCashflow cf = asset_cashflow(s, 0, CashflowOptions{});
    EXPECT_FALSE(cf.stream);
    EXPECT_DOUBLE_EQ(cf.investor_rate, 0.15);
    EXPECT_DOUBLE_EQ(cf.host_rate, 0.08);
    const std::vector<double> investor{0, -170, -150, 533.25, 528.75, 528.75, 253.125};
    const std::vector<double> state{0, 20, 0, 266.75, 271.25, 271.25, 146.875};
    const std::vector<double> pretax{0, -150, -150, 800, 800, 800, 400};
    const CashflowMeasures m = cashflow_measures(cf.years, y0, cf.investor_rate, cf.host_rate);
    EXPECT_NEAR(m.investor_npv, test::npv(investor, 0.15), 1e-9);
    // The IRRs: the NPV at them is 0.
    ASSERT_TRUE(std::isfinite(m.irr));
    ASSERT_TRUE(std::isfinite(m.pretax_irr));
    EXPECT_NEAR(test::npv(investor, m.irr), 0.0, 1e-9);
    EXPECT_NEAR(test::npv(pretax, m.pretax_irr), 0.0, 1e-9);
    EXPECT_GT(m.pretax_irr, m.irr);
    // Cumulative investor flow: -170, -320, 213.25: paid back in year 3.
    EXPECT_TRUE(m.payback.defined);
    ASSERT_TRUE(m.payback.year.has_value());
    EXPECT_EQ(*m.payback.year, y0 + 3);
    // Take: (20 + 266.75 + 2 x 271.25 + 146.875) / (3500 - 700 - 300) = 976.125 / 2500.
    EXPECT_NEAR(m.government_take, 976.125 / 2500, 1e-12);
    EXPECT_NEAR(m.aetr, test::npv(state, 0.08) / test::npv(pretax, 0.08), 1e-12);
    EXPECT_NEAR(m.state_revenue_npv, test::npv(state, 0.08), 1e-9);
    // The per-project measures are the same functions.
    const std::vector<ProjectFiscal> fiscal = project_fiscal_summaries(s);
    EXPECT_DOUBLE_EQ(fiscal[0].government_take, m.government_take);
    EXPECT_DOUBLE_EQ(fiscal[0].aetr, m.aetr);
    // Base view: waiting for the licence in year 0, then constructing, producing, exhausted.
    EXPECT_EQ(cf.years[0].state, AssetState::waiting_licence);
    EXPECT_EQ(cf.years[1].state, AssetState::constructing);
    EXPECT_EQ(cf.years[2].state, AssetState::constructing);
    for (int t = 3; t <= 6; ++t) EXPECT_EQ(cf.years[t].state, AssetState::producing) << t;
    for (std::size_t t = 7; t < cf.years.size(); ++t) {
        EXPECT_EQ(cf.years[t].state, AssetState::exhausted) << t;
    }
}

TEST(CashflowMeasures, PaybackNotDefinedOrNotReached) {
    std::vector<CashflowYear> years(3);
    for (int t = 0; t < 3; ++t) {
        years[t].year = y0 + t;
        years[t].investor_cash_flow = 10;
    }
    EXPECT_FALSE(payback(years).defined);  // never negative
    years[0].investor_cash_flow = -100;
    const Payback never = payback(years);  // -100, -90, -80
    EXPECT_TRUE(never.defined);
    EXPECT_FALSE(never.year.has_value());
    years[2].investor_cash_flow = 90;  // -100, -90, 0: paid back in year 2
    ASSERT_TRUE(payback(years).year.has_value());
    EXPECT_EQ(*payback(years).year, y0 + 2);
    // A take over a non-positive pre-tax flow is not defined.
    EXPECT_TRUE(std::isnan(government_take(years)));
    EXPECT_TRUE(std::isnan(aetr(years, y0, 0.05)));
}

// ---------------------------------------------------------------------------------------------
// States on a path.

// Frontline, war only in year 1; lead 2: constructing in 0, paused (no access) in 1,
// constructing in 2, producing from 3.
TEST(CashflowStates, ConstructionPausedByWar) {
    Scenario s = test::deterministic_world(6);
    s.world.conflict.renew_hazard = {1.0, 0.0};
    s.world.conflict.end_hazard = {1.0};
    const int front = test::add_region(s, "front", RegionStatus::frontline);
    test::add_project(s, test::make_project(0, front, 0, 10.0, 200.0, 200.0, 0.0, 2.0, 0));
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, on_path());
    using S = AssetState;
    EXPECT_EQ(states(cf), (std::vector<S>{S::constructing, S::no_access, S::constructing,
                                          S::producing, S::producing, S::producing}));
    EXPECT_TRUE(cf[1].war);
    EXPECT_FALSE(cf[2].war);
    EXPECT_EQ(cf[1].access, 0.0);
    EXPECT_EQ(cf[3].access, 1.0);
}

// Frontline at war in years 0..2, licence year 1: waiting for the licence, then for access;
// construction in 3 (lead 1); a reserve of 20 at 10 a year: producing 4, 5, exhausted after.
TEST(CashflowStates, WaitingForLicenceAccessThenExhausted) {
    Scenario s = test::deterministic_world(8);
    s.world.conflict.initial_war = true;
    s.world.conflict.end_hazard = {0.0, 0.0, 1.0};
    const int front = test::add_region(s, "front", RegionStatus::frontline);
    test::add_project(s, test::make_project(0, front, 0, 10.0, 20.0, 100.0, 0.0, 1.0, 1));
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, on_path());
    using S = AssetState;
    EXPECT_EQ(states(cf), (std::vector<S>{S::waiting_licence, S::waiting_access, S::waiting_access,
                                          S::constructing, S::producing, S::producing, S::exhausted,
                                          S::exhausted}));
}

// Not viable: every year. Too dear for the price: waiting for the price every year.
TEST(CashflowStates, NotViableAndWaitingForPrice) {
    Scenario s = test::deterministic_world(4);
    Project p = test::make_project(0, 0, 0, 10.0, 200.0, 100.0, 0.0, 1.0, 0);
    p.viability = 0;
    test::add_project(s, p);
    // Opex 150 a unit at a price of 100: never economic.
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 200.0, 100.0, 150.0, 1.0, 0));
    for (const CashflowYear& y : project_cashflow(s, 0, on_path())) {
        EXPECT_EQ(y.state, AssetState::not_viable);
    }
    for (const CashflowYear& y : project_cashflow(s, 1, on_path())) {
        EXPECT_EQ(y.state, AssetState::waiting_price);
    }
}

// A price falling by half a log unit a year (100, 60.7, 36.8, ...) and opex 50 a unit: started
// in year 0 (lead 0, no capex), it produces in 0 and 1 and shuts in from year 2.
TEST(CashflowStates, ShutIn) {
    Scenario s = test::deterministic_world(4);
    s.world.commodities[0].drift = -0.5;
    s.world.commodities[0].kappa = 0;
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 200.0, 0.0, 50.0, 0.0, 0));
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, on_path());
    using S = AssetState;
    EXPECT_EQ(states(cf), (std::vector<S>{S::producing, S::producing, S::shut_in, S::shut_in}));
    // Every row without production says why.
    for (const CashflowYear& y : cf) {
        if (y.production == 0) {
            EXPECT_NE(y.state, S::producing);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Streams, and the deal column.

// A frontline stream at war in year 1: volume 10 at 100, unit cost 20, royalty 10%, income-tax
// take 20%, dividend take 10%. A producing year: R 1000, opex 200, royalty 100, profit base 700,
// tax 140, dividend 70, state 310, the producer keeps 490.
Scenario stream_world() {
    Scenario s = test::deterministic_world(4);
    s.world.conflict.renew_hazard = {1.0, 0.0};
    s.world.conflict.end_hazard = {1.0};
    s.world.host_discount_rate = 0.05;
    const int front = test::add_region(s, "front", RegionStatus::frontline);
    test::add_project(s, test::make_project(0, front, 0, 10.0, 200.0, 0.0, 0.0, 0.0, 0));
    test::add_stream(s, test::make_stream(0, front, 10.0, 0.10, 0.2, 0.1, 20.0));
    return s;
}

TEST(CashflowStreams, StreamOnPathAndBase) {
    const Scenario s = stream_world();
    const AssetCashflow cf = asset_cashflow(s, 1, on_path());
    ASSERT_TRUE(cf.stream);
    ASSERT_EQ(cf.years.size(), 4u);
    using S = AssetState;
    EXPECT_EQ(states(cf.years),
              (std::vector<S>{S::producing, S::no_access, S::producing, S::producing}));
    const CashflowYear& y = cf.years[0];
    EXPECT_NEAR(y.revenue, 1000, 1e-9);
    EXPECT_NEAR(y.opex, 200, 1e-9);
    EXPECT_NEAR(y.royalty, 100, 1e-9);
    EXPECT_NEAR(y.taxable_income, 700, 1e-9);
    EXPECT_NEAR(y.income_tax, 140, 1e-9);
    EXPECT_NEAR(y.dividend, 70, 1e-9);
    EXPECT_NEAR(y.state_revenue, 310, 1e-9);
    EXPECT_NEAR(y.investor_cash_flow, 490, 1e-9);
    EXPECT_EQ(cf.years[1].production, 0.0);
    EXPECT_EQ(cf.years[1].state_revenue, 0.0);
    // Base view: every year producing, at peace.
    const AssetCashflow base = asset_cashflow(s, 1, CashflowOptions{});
    ASSERT_EQ(base.years.size(), 4u);
    for (const CashflowYear& b : base.years) {
        EXPECT_EQ(b.state, S::producing);
        EXPECT_FALSE(b.war);
        EXPECT_NEAR(b.state_revenue, 310, 1e-9);
    }
    const CashflowMeasures m = cashflow_measures(base.years, y0, base.investor_rate, 0.05);
    EXPECT_TRUE(std::isnan(m.irr));  // never negative
    EXPECT_FALSE(m.payback.defined);
    EXPECT_NEAR(m.government_take, 310.0 / 800, 1e-12);
    EXPECT_NEAR(m.state_revenue_npv, test::npv({310, 310, 310, 310}, 0.05), 1e-9);
}

// A deal taking half of everything under a cap of 300: year 0's due is 0.5 x (project's 0 +
// stream's 310) = 155; with the cap, year 1 pays nothing (war: no revenue), year 2 the rest up
// to 300. On the path each year's contributions split over the assets add up to the ledger's;
// on the base view the column is the due, no cap.
TEST(CashflowStreams, DealColumnSplitsTheLedgersContributions) {
    Scenario s = stream_world();
    s.world.regimes[0] = test::concession(0.10);  // the project pays a royalty of 100 a year
    Deal d = test::make_deal("half", 0.5);
    d.cap = 300.0;
    const int deal = test::add_deal(s, d);
    CashflowOptions o = on_path();
    o.deal = deal;
    const AssetCashflow project = asset_cashflow(s, 0, o);
    const AssetCashflow stream = asset_cashflow(s, 1, o);
    ASSERT_EQ(project.deal_column.size(), 4u);
    ASSERT_EQ(stream.deal_column.size(), 4u);
    const PathLedger ledger = ledger_for_path(s, deal, 1, 0);
    double total = 0;
    for (int t = 0; t < 4; ++t) {
        SCOPED_TRACE(t);
        EXPECT_NEAR(project.deal_column[t] + stream.deal_column[t], ledger.years[t].contribution,
                    1e-9);
        total += ledger.years[t].contribution;
    }
    EXPECT_NEAR(total, 300.0, 1e-9);
    // Year 0: due 0.5 x (100 + 310) = 205, under the cap: the stream's 155, the project's 50.
    EXPECT_NEAR(stream.deal_column[0], 155.0, 1e-9);
    EXPECT_NEAR(project.deal_column[0], 50.0, 1e-9);
    // Year 2: 95 left under the cap, split 310 : 100.
    EXPECT_NEAR(stream.deal_column[2], 95.0 * 310 / 410, 1e-9);
    // Each asset's years add up to its contributions in a run's by-asset results (path 0).
    RunOptions run = test::run_options(1);
    run.keep_years = true;
    run.deals = {deal};
    const SimulationResult sim = simulate(s, run);
    ASSERT_EQ(sim.deals[0].asset_contributions.size(), 2u);
    const auto sum = [](const std::vector<double>& v) {
        return std::accumulate(v.begin(), v.end(), 0.0);
    };
    EXPECT_NEAR(sum(project.deal_column), sim.deals[0].asset_contributions[0], 1e-9);
    EXPECT_NEAR(sum(stream.deal_column), sim.deals[0].asset_contributions[1], 1e-9);
    // Base view: half the stream's state revenue each year, no cap.
    o.base = true;
    const AssetCashflow base = asset_cashflow(s, 1, o);
    ASSERT_EQ(base.deal_column.size(), base.years.size());
    for (double due : base.deal_column) EXPECT_NEAR(due, 155.0, 1e-9);
    // Without a deal there is no column.
    EXPECT_TRUE(asset_cashflow(s, 1, on_path()).deal_column.empty());
}

}  // namespace
}  // namespace nadra
