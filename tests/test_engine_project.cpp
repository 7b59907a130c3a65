// New projects on base inputs (MODEL.md 3.3, 3.6, 5, 7): year-by-year cash flows of a concession
// and of production sharing, hand computed; breakeven prices; government take and AETR; and one
// published worked example of production sharing.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "analysis/statistics.hpp"
#include "engine/project_flows.hpp"
#include "scenario/load.hpp"
#include "scenario_builders.hpp"

namespace nadra {
namespace {

constexpr int y0 = test::start_year;

// The concession used below: licence year 1, licence fee 20, lead time 2, capacity 10, reserve 35,
// capex 300, opex 20 a unit; royalty 5%, tax 25%, depreciation 3 years, state equity 10%; price
// 100 flat, no inflation.
Scenario concession_world(double inflation = 0) {
    Scenario s = test::deterministic_world(10);
    s.world.inflation = inflation;
    s.world.host_discount_rate = 0.08;
    s.world.investor.hurdle_rate = 0.10;
    s.world.investor.country_risk_premium = 0.05;
    s.world.regimes[0] = test::concession(0.05, 0.25, 3, 0.10);
    Project p = test::make_project(0, 0, 0, 10.0, 35.0, 300.0, 20.0, 2.0, 1);
    p.licence_fee = 20.0;
    test::add_project(s, p);
    return s;
}

const CashflowYear& at(const std::vector<CashflowYear>& table, int year_index) {
    const CashflowYear* r = test::row_for(table, y0 + year_index);
    if (r == nullptr) {
        ADD_FAILURE() << "no cash-flow row for " << y0 + year_index;
        static const CashflowYear empty{};
        return empty;
    }
    return *r;
}

// Year by year (t = year index):
//  t  q   R     opex  capex  fee  royalty  deprec.  taxable                   tax      ATCF
//  1  0   0     0     150    20   0        0        -20 (loss carried)        0        -170
//  2  0   0     0     150    0    0        0        0                         0        -150
//  3  10  1000  200   0      0    50       100      1000-50-200-100-20 = 630  157.5    592.5
//  4  10  1000  200   0      0    50       100      650                       162.5    587.5
//  5  10  1000  200   0      0    50       100      650                       162.5    587.5
//  6  5   500   100   0      0    25       0        375 (reserve 35 reached)  93.75    281.25
//  7  0 ...
// ATCF = R - opex - capex - fee - royalty - tax; dividend = 10% of max(0, ATCF):
// 59.25, 58.75, 58.75, 28.125; investor = ATCF - dividend; state = royalty + fee + tax + dividend.
TEST(EngineProject, ConcessionCashflowByHand) {
    const Scenario s = concession_world();
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, CashflowOptions{});
    const double q[] = {0, 0, 0, 10, 10, 10, 5, 0};
    const double capex[] = {0, 150, 150, 0, 0, 0, 0, 0};
    const double fee[] = {0, 20, 0, 0, 0, 0, 0, 0};
    const double royalty[] = {0, 0, 0, 50, 50, 50, 25, 0};
    const double dep[] = {0, 0, 0, 100, 100, 100, 0, 0};
    const double tax[] = {0, 0, 0, 157.5, 162.5, 162.5, 93.75, 0};
    const double dividend[] = {0, 0, 0, 59.25, 58.75, 58.75, 28.125, 0};
    const double investor[] = {0, -170, -150, 533.25, 528.75, 528.75, 253.125, 0};
    const double state[] = {0, 20, 0, 266.75, 271.25, 271.25, 146.875, 0};
    for (int t = 0; t < 7; ++t) {
        SCOPED_TRACE(t);
        const CashflowYear& r = at(cf, t);
        EXPECT_NEAR(r.production, q[t], 1e-9);
        EXPECT_NEAR(r.revenue, 100 * q[t], 1e-9);
        EXPECT_NEAR(r.opex, 20 * q[t], 1e-9);
        EXPECT_NEAR(r.capex, capex[t], 1e-9);
        EXPECT_NEAR(r.licence_fee, fee[t], 1e-9);
        EXPECT_NEAR(r.royalty, royalty[t], 1e-9);
        EXPECT_NEAR(r.cost_recovered, 0, 1e-12);
        EXPECT_NEAR(r.profit_share, 0, 1e-12);
        EXPECT_NEAR(r.depreciation, dep[t], 1e-9);
        EXPECT_NEAR(r.income_tax, tax[t], 1e-9);
        EXPECT_NEAR(r.dividend, dividend[t], 1e-9);
        EXPECT_NEAR(r.investor_cash_flow, investor[t], 1e-9);
        EXPECT_NEAR(r.state_revenue, state[t], 1e-9);
    }
    // after the reserve is exhausted nothing is produced (the table may end there)
    for (const CashflowYear& r : cf) {
        if (r.year > y0 + 6) {
            EXPECT_EQ(r.production, 0.0);
        }
    }
    EXPECT_NEAR(at(cf, 3).taxable_income, 630.0, 1e-9);
    EXPECT_NEAR(at(cf, 4).taxable_income, 650.0, 1e-9);
    EXPECT_NEAR(at(cf, 6).taxable_income, 375.0, 1e-9);
    EXPECT_NEAR(at(cf, 3).price, 100.0, 1e-9);
}

// Inflation 10%: capex slices escalate to the year paid (150 * 1.1 = 165, 150 * 1.21 = 181.5),
// the licence fee too (22), opex per unit 20 * 1.1^t; depreciation is a third of the nominal capex
// 346.5 = 115.5 a year. The price has no drift (100 nominal). Year 3:
// taxable = 1000 - 50 - 10 * 20 * 1.331 - 115.5 - 22 (loss from year 1) = 546.3, tax 136.575.
TEST(EngineProject, InflationEscalatesCostsNotDepreciationBase) {
    const Scenario s = concession_world(0.10);
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, CashflowOptions{});
    EXPECT_NEAR(at(cf, 1).capex, 165.0, 1e-9);
    EXPECT_NEAR(at(cf, 1).licence_fee, 22.0, 1e-9);
    EXPECT_NEAR(at(cf, 2).capex, 181.5, 1e-9);
    EXPECT_NEAR(at(cf, 3).opex, 266.2, 1e-9);
    EXPECT_NEAR(at(cf, 3).depreciation, 115.5, 1e-9);
    EXPECT_NEAR(at(cf, 5).depreciation, 115.5, 1e-9);
    EXPECT_NEAR(at(cf, 6).depreciation, 0.0, 1e-9);
    EXPECT_NEAR(at(cf, 3).taxable_income, 546.3, 1e-9);
    EXPECT_NEAR(at(cf, 3).income_tax, 136.575, 1e-9);
    EXPECT_NEAR(at(cf, 3).revenue, 1000.0, 1e-9);
}

// Lead time 0: construction and first production in the licence year 1; capex 300 paid then.
// Ramp 3 years: production capacity * min(1, k/3) = 10, 20, 30, 30 ... (capacity 30).
// Depreciation over 2 years from the first production year: 150 in years 1 and 2.
TEST(EngineProject, LeadTimeZeroAndRamp) {
    Scenario s = test::deterministic_world(8);
    s.world.regimes[0] = test::concession(0.0, 0.2, 2, 0.0);
    Project p = test::make_project(0, 0, 0, 30.0, 600.0, 300.0, 0.0, 0.0, 1);
    p.ramp_years = 3;
    test::add_project(s, p);
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, CashflowOptions{});
    const double q[] = {0, 10, 20, 30, 30};
    for (int t = 0; t < 5; ++t) {
        SCOPED_TRACE(t);
        EXPECT_NEAR(at(cf, t).production, q[t], 1e-9);
        EXPECT_NEAR(at(cf, t).capex, t == 1 ? 300.0 : 0.0, 1e-9);
        EXPECT_NEAR(at(cf, t).depreciation, (t == 1 || t == 2) ? 150.0 : 0.0, 1e-9);
    }
    // year 1: taxable 1000 - 150 = 850 -> tax 170; ATCF = 1000 - 300 - 170 = 530
    EXPECT_NEAR(at(cf, 1).income_tax, 170.0, 1e-9);
    EXPECT_NEAR(at(cf, 1).investor_cash_flow, 530.0, 1e-9);
}

// Base inputs use the triangle's mode, rounded half up: mode 1.5 -> 2 construction years
// (capex 100 in years 0 and 1, production from year 2); mode 1.4 -> 1 (capex 200 in year 0,
// production from year 1).
TEST(EngineProject, LeadTimeModeRoundsHalfUp) {
    Scenario s = test::deterministic_world(5);
    Project p = test::make_project(0, 0, 0, 10.0, 200.0, 200.0, 0.0, 0.0, 0);
    p.lead_time = Triangular{1.0, 1.5, 2.0};
    test::add_project(s, p);
    p.lead_time = Triangular{1.0, 1.4, 2.0};
    test::add_project(s, p);
    const std::vector<CashflowYear> a = project_cashflow(s, 0, CashflowOptions{});
    EXPECT_NEAR(at(a, 0).capex, 100.0, 1e-9);
    EXPECT_NEAR(at(a, 1).capex, 100.0, 1e-9);
    EXPECT_NEAR(at(a, 1).production, 0.0, 1e-9);
    EXPECT_NEAR(at(a, 2).production, 10.0, 1e-9);
    const std::vector<CashflowYear> b = project_cashflow(s, 1, CashflowOptions{});
    EXPECT_NEAR(at(b, 0).capex, 200.0, 1e-9);
    EXPECT_NEAR(at(b, 1).production, 10.0, 1e-9);
}

// Production sharing, limit on R: royalty 10%, cost recovery limit 50% of R, profit split 40%,
// tax 20%, depreciation 1 year. Capex 1500 in year 0 (lead 1), then 10 units at 100 with opex 10.
//  t  R     royalty recoverable      recovered carry  profit          state  taxable          tax
//  0  0     0       1500             0         1500   0               0      0                0
//  1  1000  100     100+1500 = 1600  500       1100   1000-100-500=400 160   640-1500 = -860  0
//  2  1000  100     1200             500       700    400             160    640-860 = -220   0
//  3  1000  100     800              500       300    400             160    640-220 = 420    84
//  4  1000  100     400              400       0      500             200    600              120
//  5  1000  100     100              100       0      800             320    480              96
// (taxable = R - royalty - state - opex - depreciation - losses; depreciation 1500 in year 1.)
// ATCF = R - opex - capex - royalty - state - tax: 640, 640, 556, 480, 384.
TEST(EngineProductionSharing, CostRecoveryLimitOnRevenueByHand) {
    Scenario s = test::deterministic_world(8);
    s.world.regimes[0] = test::production_sharing(0.10, 0.5, LimitBase::revenue, 0.40, 0.20, 1);
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 200.0, 1500.0, 10.0, 1.0, 0));
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, CashflowOptions{});
    const double recovered[] = {0, 500, 500, 500, 400, 100};
    const double state_share[] = {0, 160, 160, 160, 200, 320};
    const double tax[] = {0, 0, 0, 84, 120, 96};
    const double atcf[] = {-1500, 640, 640, 556, 480, 384};
    for (int t = 0; t < 6; ++t) {
        SCOPED_TRACE(t);
        const CashflowYear& r = at(cf, t);
        EXPECT_NEAR(r.cost_recovered, recovered[t], 1e-9);
        EXPECT_NEAR(r.profit_share, state_share[t], 1e-9);
        EXPECT_NEAR(r.income_tax, tax[t], 1e-9);
        EXPECT_NEAR(r.investor_cash_flow, atcf[t], 1e-9);
        EXPECT_NEAR(r.state_revenue, (t > 0 ? 100.0 : 0.0) + state_share[t] + tax[t], 1e-9);
    }
    EXPECT_NEAR(at(cf, 1).depreciation, 1500.0, 1e-9);
    EXPECT_NEAR(at(cf, 3).taxable_income, 420.0, 1e-9);
    EXPECT_NEAR(at(cf, 4).taxable_income, 600.0, 1e-9);
}

// The same with the limit on R - royalty: limit 0.5 * 900 = 450 in year 1; profit
// 1000 - 100 - 450 = 450; state 0.4 * 450 = 180; ATCF 1000 - 100 - 100 - 180 = 620.
// Year 2: carry 1150 - 0 + 100 -> recovered 450 again.
TEST(EngineProductionSharing, CostRecoveryLimitOnRevenueLessRoyalty) {
    Scenario s = test::deterministic_world(5);
    s.world.regimes[0] =
        test::production_sharing(0.10, 0.5, LimitBase::revenue_minus_royalty, 0.40, 0.20, 1);
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 200.0, 1500.0, 10.0, 1.0, 0));
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, CashflowOptions{});
    EXPECT_NEAR(at(cf, 1).cost_recovered, 450.0, 1e-9);
    EXPECT_NEAR(at(cf, 1).profit_share, 180.0, 1e-9);
    EXPECT_NEAR(at(cf, 1).investor_cash_flow, 620.0, 1e-9);
    EXPECT_NEAR(at(cf, 2).cost_recovered, 450.0, 1e-9);
}

// R-factor step profit split: royalty 0, tax 0, cost recovery limit 60% of R, table
// {1.0: 20%, 1.2: 35%, 1.5: 50%}; capex 1500 in year 0, then R = 1000 a year, no opex.
// R-factor at the start of year t = receipts / costs over years before t, receipts being
// R - royalty - state profit share:
//  t  R-factor           split  recovered  profit  state  receipts
//  1  0 / 1500 = 0       20%    600        400     80     920  (below first row: first row)
//  2  920 / 1500 = 0.61  20%    600        400     80     920
//  3  1840/1500 = 1.227  35%    300        700     245    755
//  4  2595/1500 = 1.73   50%    0          1000    500    500
TEST(EngineProductionSharing, RFactorStepTable) {
    Scenario s = test::deterministic_world(6);
    Regime psa = test::production_sharing(0.0, 0.6, LimitBase::revenue, 0.0, 0.0, 1);
    psa.profit_split.table = {{1.0, 0.20}, {1.2, 0.35}, {1.5, 0.50}};
    s.world.regimes[0] = psa;
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 200.0, 1500.0, 0.0, 1.0, 0));
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, CashflowOptions{});
    const double recovered[] = {0, 600, 600, 300, 0};
    const double state_share[] = {0, 80, 80, 245, 500};
    for (int t = 0; t < 5; ++t) {
        SCOPED_TRACE(t);
        EXPECT_NEAR(at(cf, t).cost_recovered, recovered[t], 1e-9);
        EXPECT_NEAR(at(cf, t).profit_share, state_share[t], 1e-9);
    }
}

// The profit split table as a step function (MODEL.md 7), directly.
TEST(EngineProductionSharing, ProfitSplitAt) {
    ProfitSplit p;
    p.table = {{1.0, 0.20}, {1.2, 0.35}, {1.5, 0.50}};
    EXPECT_DOUBLE_EQ(p.at(0.0), 0.20);
    EXPECT_DOUBLE_EQ(p.at(1.0), 0.20);
    EXPECT_DOUBLE_EQ(p.at(1.19), 0.20);
    EXPECT_DOUBLE_EQ(p.at(1.2), 0.35);
    EXPECT_DOUBLE_EQ(p.at(3.0), 0.50);
    ProfitSplit c;
    c.constant = 0.4;
    EXPECT_DOUBLE_EQ(c.at(2.0), 0.4);
}

// Published example. IMF mission on Guyana's Stabroek PSA (2018), as quoted in "Oil agreement
// generous to Exxon - IMF team", Oil and Gas Governance Network, https://oggn.org/?p=2723: a cost
// recovery limit of 75% of production after royalty, a 50% government share of profit oil and a
// 2% royalty give, while the limit binds, an effective royalty of
// 2% + (98% x 25% x 50%) = 14.25% of gross production. We reproduce it: royalty 2%, limit 75% of
// R - royalty, split 50%, no tax; costs (capex 1e6) far above what the limit lets through, so
// state revenue (royalty + profit share) = 0.1425 R in every producing year.
// R = 10 * 100 = 1000: royalty 20, recovered 0.75 * 980 = 735, profit 245, state 122.5.
TEST(EngineProductionSharing, ImfStabroekEffectiveRoyalty) {
    Scenario s = test::deterministic_world(6);
    s.world.regimes[0] =
        test::production_sharing(0.02, 0.75, LimitBase::revenue_minus_royalty, 0.50, 0.0, 1);
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 200.0, 1e6, 0.0, 1.0, 0));
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, CashflowOptions{});
    for (int t = 1; t < 6; ++t) {
        SCOPED_TRACE(t);
        const CashflowYear& r = at(cf, t);
        EXPECT_NEAR(r.royalty, 20.0, 1e-9);
        EXPECT_NEAR(r.cost_recovered, 735.0, 1e-9);
        EXPECT_NEAR(r.profit_share, 122.5, 1e-9);
        EXPECT_NEAR((r.royalty + r.profit_share) / r.revenue, 0.1425, 1e-12);
    }
}

// Government take and AETR of the concession above (MODEL.md 5, 7). State revenue (licence fee
// included) = 20 + 175 + 576.25 + 204.875 = 976.125; pre-tax cash flow R - opex - capex =
// 3500 - 700 - 300 = 2500 (fee not deducted): take = 0.39045. AETR: the same ratio of NPVs at the
// host's rate 8%, discounted from year 0 by 1.08^-(t+1).
TEST(EngineProject, GovernmentTakeAndAetrOfConcession) {
    const Scenario s = concession_world();
    const std::vector<double> state = {0, 20, 0, 266.75, 271.25, 271.25, 146.875};
    const std::vector<double> pretax = {0, -150, -150, 800, 800, 800, 400};
    const std::vector<ProjectFiscal> f = project_fiscal_summaries(s);
    ASSERT_EQ(f.size(), 1U);
    EXPECT_EQ(f[0].project, 0);
    EXPECT_NEAR(f[0].government_take, 976.125 / 2500.0, 1e-12);
    EXPECT_NEAR(f[0].aetr, test::npv(state, 0.08) / test::npv(pretax, 0.08), 1e-12);
}

// Investor NPV of the concession above at a constant real price P (inflation 0), written from
// MODEL.md 3.3 independently of the engine: rate 15% (hurdle 10% + premium 5%).
double concession_investor_npv(double P, double rate) {
    const double q[] = {0, 0, 0, 10, 10, 10, 5};
    const double capex[] = {0, 150, 150, 0, 0, 0, 0};
    const double fee[] = {0, 20, 0, 0, 0, 0, 0};
    const double dep[] = {0, 0, 0, 100, 100, 100, 0};
    double loss = 0, value = 0;
    for (int t = 0; t < 7; ++t) {
        const double R = q[t] * P;
        const double royalty = 0.05 * R;
        const double opex = 20 * q[t];
        double taxable = R - royalty - opex - fee[t] - dep[t] - loss;
        loss = std::max(0.0, -taxable);
        taxable = std::max(0.0, taxable);
        const double atcf = R - opex - capex[t] - fee[t] - royalty - 0.25 * taxable;
        const double investor = atcf - 0.10 * std::max(0.0, atcf);
        value += investor * std::pow(1 + rate, -(t + 1));
    }
    return value;
}

TEST(EngineBreakeven, ConcessionNpvChangesSignAtBreakeven) {
    const Scenario s = concession_world();
    const std::vector<ProjectFiscal> f = project_fiscal_summaries(s);
    const double p = f.at(0).breakeven_price;
    ASSERT_TRUE(std::isfinite(p));
    // the NPV at the breakeven is ~0 relative to the capex, negative 1% below, positive 1% above
    EXPECT_NEAR(concession_investor_npv(p, 0.15), 0.0, 1e-4);
    EXPECT_LT(concession_investor_npv(0.99 * p, 0.15), 0.0);
    EXPECT_GT(concession_investor_npv(1.01 * p, 0.15), 0.0);
}

// No tax, no royalty, no opex: capex K = 1000 in the licence year 2 (lead 1), then 10 units a
// year for 4 years (reserve 40). NPV = 0 at P = K / (q * a(4, r)), a(n, r) = sum_{k=1..n}
// (1+r)^-k: r = 15% -> a = 2.854978, P = 35.0265. With opex 5 a unit and royalty 10%:
// P = (5 + 35.0265) / 0.9.
TEST(EngineBreakeven, ClosedFormWithoutTax) {
    Scenario s = test::deterministic_world(10);
    s.world.investor.hurdle_rate = 0.10;
    s.world.investor.country_risk_premium = 0.05;
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 40.0, 1000.0, 0.0, 1.0, 2));
    const int reg = test::add_regime(s, test::concession(0.10));
    test::add_project(s, test::make_project(0, 0, reg, 10.0, 40.0, 1000.0, 5.0, 1.0, 2));
    double a = 0;
    for (int k = 1; k <= 4; ++k) a += std::pow(1.15, -k);
    const double p0 = 1000.0 / (10.0 * a);
    const std::vector<ProjectFiscal> f = project_fiscal_summaries(s);
    ASSERT_EQ(f.size(), 2U);
    EXPECT_NEAR(f[0].breakeven_price, p0, 1e-6 * p0);
    EXPECT_NEAR(f[1].breakeven_price, (5.0 + p0) / 0.9, 1e-6 * p0);
}

// With inflation 3% the breakeven is a real price: capex 1000 * 1.03^2 in year 2, revenue
// 10 P 1.03^t in years 3..6. NPV = 0 at
// P = 1000 1.03^2 1.15^-3 / (10 sum_{t=3..6} 1.03^t 1.15^-(t+1)).
TEST(EngineBreakeven, RealPriceUnderInflation) {
    Scenario s = test::deterministic_world(10);
    s.world.inflation = 0.03;
    s.world.investor.hurdle_rate = 0.15;
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 40.0, 1000.0, 0.0, 1.0, 2));
    double denominator = 0;
    for (int t = 3; t <= 6; ++t) denominator += 10 * std::pow(1.03, t) * std::pow(1.15, -(t + 1));
    const double expected = 1000 * std::pow(1.03, 2) * std::pow(1.15, -3) / denominator;
    EXPECT_NEAR(project_fiscal_summaries(s).at(0).breakeven_price, expected, 1e-6 * expected);
}

// Nothing to pay for: NPV = 10 P a(n) > 0 at every positive price -> breakeven 0.
// A royalty of 100% takes all revenue: NPV = -capex at every price -> +infinity.
TEST(EngineBreakeven, ZeroWhenFreeInfiniteWhenNever) {
    Scenario s = test::deterministic_world(6);
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 40.0, 0.0, 0.0, 1.0, 0));
    const int all = test::add_regime(s, test::concession(1.0));
    test::add_project(s, test::make_project(0, 0, all, 10.0, 40.0, 1000.0, 0.0, 1.0, 0));
    const std::vector<ProjectFiscal> f = project_fiscal_summaries(s);
    ASSERT_EQ(f.size(), 2U);
    EXPECT_NEAR(f[0].breakeven_price, 0.0, 1e-9);
    EXPECT_TRUE(std::isinf(f[1].breakeven_price) && f[1].breakeven_price > 0);
}

// A guarantee's risk_premium_multiplier lowers the breakeven used in the investment decision.
// Hurdle 5%, premium 10%, multiplier 0.2: rates 15% without, 7% with a guarantee. Royalty 10%,
// capex 1000 (lead 1), 10 units for 4 years: breakeven 100 / (0.9 a(4, r)):
// r = 15%: 38.92; r = 7%: 100 / (0.9 * 3.387211) = 32.80. At price 35 the project starts only
// under the guarantee (construction in year 0, royalty 0.1 * 10 * 35 = 35 in years 1..4). The
// reported breakeven uses the no-guarantee rate.
TEST(EngineBreakeven, GuaranteeRiskPremiumMultiplierLowersBreakeven) {
    Scenario s = test::deterministic_world(6);
    s.world.commodities[0].price0 = 35;
    s.world.commodities[0].level = 35;
    s.world.investor.hurdle_rate = 0.05;
    s.world.investor.country_risk_premium = 0.10;
    s.world.guarantee.risk_premium_multiplier = 0.2;
    s.world.regimes[0] = test::concession(0.10);
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 40.0, 1000.0, 0.0, 1.0, 0));
    test::add_deal(s, test::make_deal("no guarantee", 0.0));
    Deal g = test::make_deal("guarantee", 0.0);
    g.security_guarantee = true;
    test::add_deal(s, g);

    double a15 = 0;
    for (int k = 1; k <= 4; ++k) a15 += std::pow(1.15, -k);
    EXPECT_NEAR(project_fiscal_summaries(s).at(0).breakeven_price, 100.0 / (0.9 * a15), 1e-6);

    const PathLedger without = ledger_for_path(s, 0, 1, 0);
    const PathLedger with = ledger_for_path(s, 1, 1, 0);
    for (std::size_t t = 0; t < 6; ++t) {
        SCOPED_TRACE(t);
        EXPECT_NEAR(without.years[t].host_revenue, 0.0, 1e-12);
        EXPECT_NEAR(with.years[t].host_revenue, (t >= 1 && t <= 4) ? 35.0 : 0.0, 1e-9);
    }
}

// A project that fails its viability draw (viability 0) never starts and never pays its licence
// fee; one with viability 1 pays the fee 50 in its start year 0 and royalty 10% of 10 * 100 after.
TEST(EngineProject, LicenceFeeOnlyWhenStarted) {
    Scenario s = test::deterministic_world(3);
    s.world.regimes[0] = test::concession(0.10);
    Project p = test::make_project(0, 0, 0, 10.0, 200.0, 0.0, 0.0, 1.0, 0);
    p.licence_fee = 50;
    p.viability = 0;
    test::add_project(s, p);
    test::add_deal(s, test::make_deal("d", 0.0));
    const PathLedger none = ledger_for_path(s, 0, 1, 0);
    for (const auto& y : none.years) EXPECT_EQ(y.host_revenue, 0.0);
    s.world.projects[0].viability = 1;
    const PathLedger some = ledger_for_path(s, 0, 1, 0);
    EXPECT_NEAR(some.years[0].host_revenue, 50.0, 1e-9);
    EXPECT_NEAR(some.years[1].host_revenue, 100.0, 1e-9);
    EXPECT_NEAR(some.years[2].host_revenue, 100.0, 1e-9);
}

// A project's own state_equity overrides its regime's: regime 10%, project 30%. Lead 0, capex 0,
// no tax or royalty: ATCF = R = 1000, dividend 300, investor 700.
TEST(EngineProject, ProjectStateEquityOverridesRegime) {
    Scenario s = test::deterministic_world(2);
    s.world.regimes[0] = test::concession(0.0, 0.0, 1, 0.10);
    Project p = test::make_project(0, 0, 0, 10.0, 100.0, 0.0, 0.0, 0.0, 0);
    p.state_equity = 0.30;
    test::add_project(s, p);
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, CashflowOptions{});
    EXPECT_NEAR(at(cf, 0).dividend, 300.0, 1e-9);
    EXPECT_NEAR(at(cf, 0).investor_cash_flow, 700.0, 1e-9);
    EXPECT_NEAR(at(cf, 0).state_revenue, 300.0, 1e-9);
}

// R-factor receipts are R - royalty - state profit share, so a loss counts. Royalty 10%, cost
// recovery limit 100% of R, table {0.5: 10%, 0.95: 30%, 1.5: 60%}, capex 1000 (lead 1), R = 1000.
//  t1: R-factor 0 -> 10%; recovered min(1000, 1000) = 1000; profit 1000 - 100 - 1000 = -100;
//      state 0; receipts 1000 - 100 - 0 = 900 (not the 1000 recovered).
//  t2: R-factor 900 / 1000 = 0.9 -> 10%; profit 900; state 90; receipts 810.
//  t3: R-factor 1710 / 1000 = 1.71 -> 60%; state 540.
// (Counting receipts as recovered costs would give 1.0 in year 2 and a 30% split.)
TEST(EngineProductionSharing, RFactorCountsLoss) {
    Scenario s = test::deterministic_world(5);
    Regime psa = test::production_sharing(0.10, 1.0, LimitBase::revenue, 0.0, 0.0, 1);
    psa.profit_split.table = {{0.5, 0.10}, {0.95, 0.30}, {1.5, 0.60}};
    s.world.regimes[0] = psa;
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 200.0, 1000.0, 0.0, 1.0, 0));
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, CashflowOptions{});
    EXPECT_NEAR(at(cf, 1).cost_recovered, 1000.0, 1e-9);
    EXPECT_NEAR(at(cf, 1).profit_share, 0.0, 1e-9);
    EXPECT_NEAR(at(cf, 2).profit_share, 90.0, 1e-9);
    EXPECT_NEAR(at(cf, 3).profit_share, 540.0, 1e-9);
}

// The investment decision waits for the price: price 30 e^{0.1 t}; royalty 10%, capex 1000
// (lead 1), 10 units for 4 years, rate 15%: breakeven 100 / (0.9 a(4, 15%)) = 38.92. Prices:
// 30, 33.16, 36.64, 40.50 -> construction starts in year 3, production in years 4..7, royalty
// 0.1 * 10 * 30 e^{0.1 t}.
TEST(EngineBreakeven, ConstructionWaitsForPriceAboveBreakeven) {
    Scenario s = test::deterministic_world(9);
    s.world.commodities[0].price0 = 30;
    s.world.commodities[0].level = 30;
    s.world.commodities[0].drift = 0.1;
    s.world.investor.hurdle_rate = 0.15;
    s.world.regimes[0] = test::concession(0.10);
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 40.0, 1000.0, 0.0, 1.0, 0));
    test::add_deal(s, test::make_deal("d", 0.0));
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    for (std::size_t t = 0; t < 9; ++t) {
        SCOPED_TRACE(t);
        const double price = 30 * std::exp(0.1 * static_cast<double>(t));
        EXPECT_NEAR(l.years[t].host_revenue, (t >= 4 && t <= 7) ? price : 0.0, 1e-9);
    }
}

// With inflation 4% the threshold escalates: price(t) >= breakeven * 1.04^t. Same project with a
// flat nominal price 40: the real breakeven B solves
// 1000 * 1.04^L * 1.15^-(L+1) = 0.9 * 10 * B * sum_{t=L+1..L+4} 1.04^t 1.15^-(t+1) for L = 0,
// and 40 >= B 1.04^t holds only while t <= ln(40 / B) / ln 1.04.
TEST(EngineBreakeven, InvestmentThresholdEscalatesWithInflation) {
    Scenario s = test::deterministic_world(9);
    s.world.inflation = 0.04;
    s.world.commodities[0].price0 = 40;
    s.world.commodities[0].level = 40;
    s.world.investor.hurdle_rate = 0.15;
    s.world.regimes[0] = test::concession(0.10);
    Project p = test::make_project(0, 0, 0, 10.0, 40.0, 1000.0, 0.0, 1.0, 0);
    test::add_project(s, p);
    double denominator = 0;
    for (int t = 1; t <= 4; ++t) denominator += 9 * std::pow(1.04, t) * std::pow(1.15, -(t + 1));
    const double b = 1000 / 1.15 / denominator;
    EXPECT_NEAR(project_fiscal_summaries(s).at(0).breakeven_price, b, 1e-6 * b);
    ASSERT_LT(b, 40.0);  // starts in year 0: production in years 1..4
    test::add_deal(s, test::make_deal("d", 0.0));
    EXPECT_NEAR(ledger_for_path(s, 0, 1, 0).years[1].host_revenue, 40.0, 1e-9);
    // a licence year after the last year with 40 >= B 1.04^t: never starts
    const double last = std::floor(std::log(40.0 / b) / std::log(1.04));
    s.world.projects[0].licence_year = static_cast<int>(last) + 1;
    ASSERT_LT(s.world.projects[0].licence_year, 8);
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    for (const auto& y : l.years) EXPECT_EQ(y.host_revenue, 0.0);
}

// The breakeven does not depend on the horizon: the investor's flows run until the reserve is
// exhausted and depreciation is over (MODEL.md 7). A 20-year project with tax and 8-year
// depreciation, horizon 3 or 40.
TEST(EngineBreakeven, IndependentOfHorizon) {
    Scenario s = test::deterministic_world(3);
    s.world.regimes[0] = test::concession(0.05, 0.3, 8, 0.1);
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 200.0, 5000.0, 12.0, 2.0, 1));
    const double short_horizon = project_fiscal_summaries(s).at(0).breakeven_price;
    s.horizon = 40;
    const double long_horizon = project_fiscal_summaries(s).at(0).breakeven_price;
    EXPECT_TRUE(std::isfinite(short_horizon));
    EXPECT_NEAR(short_horizon, long_horizon, 1e-9 * long_horizon);
}

// Shut-in (MODEL.md 3.3, v1.3), by hand. A concession with royalty 10%, tax 25%, depreciation 4
// years; a mine of capacity 10, ramp 4 years, reserve 60, capex 300 (lead time 1), opex 40 a
// unit; construction in year 0, first production in year 1. The price is 100, but 30 in years 2
// and 3: revenue per unit after royalty 27 < 40, so the mine shuts in for those two years.
//  t  ramp  q    R     opex  royalty  deprec.  taxable                         tax     investor
//  0  -     0    0     0     0        0        0                               0       -300
//  1  1/4   2.5  250   100   25       75       250-25-100-75 = 50              12.5    112.5
//  2  2/4   0 (shut in: 5 forgone)    75       -75 (loss carried 75)           0       0
//  3  3/4   0 (shut in: 7.5 forgone)  75       -75 - 75 (loss carried 150)     0       0
//  4  4/4   10   1000  400   100      75       1000-100-400-75-150 = 275       68.75   431.25
//  5-8      10   1000  400   100      0        500                             125     375
//  9        7.5  750   300   75       0        375 (the reserve, kept, is 60)  93.75   281.25
// The ramp and depreciation count the paused years (year 4 is at full capacity, the last
// depreciation falls in year 4); the reserve is kept (production runs to year 9, not 8).
// With shut_in_cost 0.25 the paused years pay a quarter of the forgone opex: 0.25 * 5 * 40 = 50
// in year 2, 0.25 * 7.5 * 40 = 75 in year 3, so the loss carried into year 4 is
// 50 + 75 + 75 + 75 = 275, taxable 1000-100-400-75-275 = 150, tax 37.5, investor 462.5.
struct ShutInCase {
    Project project = test::make_project(0, 0, 0, 10.0, 60.0, 300.0, 40.0, 1.0);
    Regime regime = test::concession(0.10, 0.25, 4, 0.0);
    ShutInCase() { project.ramp_years = 4; }

    std::vector<CashflowYear> run(const engine::ShutIn& rule, double dip_price = 30.0) const {
        engine::ProjectFlows flows(project, regime, engine::base_draws(project), nullptr, rule);
        flows.start(0);
        std::vector<CashflowYear> years;
        for (int t = 0; t < 30 && !(t > 0 && flows.finished(t - 1)); ++t) {
            const double price = t == 2 || t == 3 ? dip_price : 100.0;
            years.push_back(flows.step(t, price, 1.0, true, 1.0));
        }
        return years;
    }
};

TEST(EngineShutIn, PriceDipPausesAMineForTwoYearsByHand) {
    const std::vector<CashflowYear> cf = ShutInCase().run({true, 0.0, false});
    ASSERT_EQ(cf.size(), 10u);
    const double q[] = {0, 2.5, 0, 0, 10, 10, 10, 10, 10, 7.5};
    const double opex[] = {0, 100, 0, 0, 400, 400, 400, 400, 400, 300};
    const double dep[] = {0, 75, 75, 75, 75, 0, 0, 0, 0, 0};
    const double tax[] = {0, 12.5, 0, 0, 68.75, 125, 125, 125, 125, 93.75};
    const double investor[] = {-300, 112.5, 0, 0, 431.25, 375, 375, 375, 375, 281.25};
    double produced = 0;
    for (int t = 0; t < 10; ++t) {
        SCOPED_TRACE(t);
        EXPECT_EQ(cf[t].shut_in, t == 2 || t == 3);
        EXPECT_NEAR(cf[t].production, q[t], 1e-12);
        EXPECT_NEAR(cf[t].revenue, 100 * q[t], 1e-9);
        EXPECT_NEAR(cf[t].royalty, 10 * q[t], 1e-9);
        EXPECT_NEAR(cf[t].opex, opex[t], 1e-9);
        EXPECT_NEAR(cf[t].depreciation, dep[t], 1e-9);
        EXPECT_NEAR(cf[t].income_tax, tax[t], 1e-9);
        EXPECT_NEAR(cf[t].investor_cash_flow, investor[t], 1e-9);
        produced += cf[t].production;
    }
    EXPECT_NEAR(produced, 60.0, 1e-12);
}

TEST(EngineShutIn, ShutInCostIsOpexOfTheForgoneOutput) {
    const ShutInCase c;
    const std::vector<CashflowYear> cf = c.run({true, 0.25, false});
    ASSERT_EQ(cf.size(), 10u);
    EXPECT_TRUE(cf[2].shut_in);
    EXPECT_TRUE(cf[3].shut_in);
    EXPECT_EQ(cf[2].production, 0.0);
    EXPECT_NEAR(cf[2].opex, 50.0, 1e-9);
    EXPECT_NEAR(cf[3].opex, 75.0, 1e-9);
    EXPECT_NEAR(cf[2].investor_cash_flow, -50.0, 1e-9);
    EXPECT_NEAR(cf[3].investor_cash_flow, -75.0, 1e-9);
    EXPECT_NEAR(cf[4].taxable_income, 150.0, 1e-9);
    EXPECT_NEAR(cf[4].income_tax, 37.5, 1e-9);
    EXPECT_NEAR(cf[4].investor_cash_flow, 462.5, 1e-9);
    // The cost lowers the threshold: at 40, revenue after royalty is 36, below 40 (cost 0: shut
    // in) but not below 0.75 * 40 = 30 (it produces, at a loss).
    EXPECT_TRUE(c.run({true, 0.0, false})[2].shut_in);
    const std::vector<CashflowYear> at_40 = c.run({true, 0.25, false}, 40.0);
    EXPECT_FALSE(at_40[2].shut_in);
    EXPECT_NEAR(at_40[2].production, 5.0, 1e-12);
    // Off: it produces through the dip, at a loss, and the reserve runs out a year sooner.
    const std::vector<CashflowYear> off = c.run({false, 0.25, false});
    EXPECT_FALSE(off[2].shut_in);
    EXPECT_NEAR(off[2].production, 5.0, 1e-12);
    EXPECT_NEAR(off[2].opex, 200.0, 1e-9);
    EXPECT_EQ(off.size(), 9u);
}

// On a constant real price (the breakeven search) a shut-in year ends the project's life; on
// the base price path the project restarts. Inflation 20%, royalty bands in money of the year
// (not escalated): none below 110, 50% (whole) from 110, none from 200. Lead time 0, capacity
// 10, opex 60, capex 100, depreciation 1 year, no tax. At the constant real price 100 the
// nominal price is 100 * 1.2^t and the unit opex 60 * 1.2^t: year 0 produces (100 >= 60,
// investor 1000 - 600 - 100 = 300); year 1, 120 * 0.5 = 60 < 72, shuts in and ends the life:
// NPV at 10% = 300 / 1.1. On the base price path (drift ln 1.2, the same nominal prices) years
// 1-3 shut in (172.8 * 0.5 = 86.4 < 103.68 in year 3) and year 4 produces again (207.36, no
// royalty).
TEST(EngineShutIn, ConstantRealPriceEndsTheLifeBasePricePathRestarts) {
    Scenario s = test::deterministic_world(10);
    s.world.inflation = 0.2;
    s.world.commodities[0].drift = std::log(1.2);
    Regime r = test::concession(0.0, 0.0, 1, 0.0);
    r.royalty.bands = {
        {0, 0.0, BandMode::whole}, {110, 0.5, BandMode::whole}, {200, 0.0, BandMode::whole}};
    s.world.regimes[0] = r;
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 1000.0, 100.0, 60.0, 0.0));
    const Project& p = s.world.projects[0];
    const std::vector<CashflowYear> real = engine::base_case(s, p, r, 100.0);
    ASSERT_EQ(real.size(), 2u);  // the life is over after year 1, depreciation done
    EXPECT_NEAR(real[0].production, 10.0, 1e-12);
    EXPECT_NEAR(real[0].investor_cash_flow, 300.0, 1e-9);
    EXPECT_TRUE(real[1].shut_in);
    EXPECT_EQ(real[1].production, 0.0);
    EXPECT_EQ(real[1].opex, 0.0);
    EXPECT_NEAR(engine::investor_npv_at_real_price(s, p, r, 100.0, 0.1), 300.0 / 1.1, 1e-9);

    const std::vector<CashflowYear> base = engine::base_case(s, p, r, std::nullopt);
    ASSERT_GE(base.size(), 6u);
    for (int t = 1; t <= 3; ++t) {
        EXPECT_TRUE(base[t].shut_in) << t;
        EXPECT_EQ(base[t].production, 0.0) << t;
    }
    EXPECT_FALSE(base[4].shut_in);
    EXPECT_NEAR(base[4].production, 10.0, 1e-12);
    EXPECT_NEAR(base[4].price, 207.36, 1e-6);

    // On a path (no volatility: the base price path) it pauses and restarts too.
    CashflowOptions path;
    path.base = false;
    const std::vector<CashflowYear> on_path = project_cashflow(s, 0, path);
    ASSERT_EQ(on_path.size(), 10u);
    for (int t = 0; t < 10; ++t) {
        SCOPED_TRACE(t);
        EXPECT_EQ(on_path[t].shut_in, t >= 1 && t <= 3);
        EXPECT_NEAR(on_path[t].production, t >= 1 && t <= 3 ? 0.0 : 10.0, 1e-12);
    }
}

// A scenario whose results without shut-in were computed by nadra before shut-in existed
// (the commit before it; `nadra run --paths 2000`, seed 1, summary.json): with
// `investor.shut_in = false` every number is the same to the bit. Volatile prices with royalty
// bands and a production-sharing regime, war, frontline and occupied regions, mines that run at
// a loss, a cap, a guarantee and support.
constexpr const char* shut_in_off_scenario = R"(
[scenario]
name = "shut-in-off"
[run]
start_year = 2025
horizon = 40
[world]
inflation = 0.025
[world.host]
discount_rate = 0.08
[world.partner]
discount_rate = 0.045
[world.investor]
hurdle_rate = 0.1
country_risk_premium = 0.06
[world.guarantee]
renew_hazard_multiplier = 0.5
risk_premium_multiplier = 0.5
[world.conflict]
initial = "war"
end_hazard = [0.2, 0.3]
renew_hazard = 0.05
war_disruption = 0.2
liberation_probability = 0.3
[world.commodities.lithium]
unit = "USD/t"
price0 = 10000
level = 12000
kappa = 0.2
sigma = 0.45
[world.commodities.titanium]
unit = "USD/t"
price0 = 300
drift = 0.01
sigma = 0.3
[world.regions.central]
status = "free"
[world.regions.east]
status = "frontline"
[world.regions.south]
status = "occupied"
[world.regimes.minerals]
royalty_rate = { band_mode = "whole", bands = [ { lower = 0, rate = 0.05 }, { lower = 12000, rate = 0.1 }, { lower = 20000, rate = 0.3, mode = "marginal" } ] }
tax_rate = 0.18
depreciation_years = 10
state_equity = 0.1
commodities = ["lithium"]
[world.regimes.psa]
type = "production_sharing"
royalty_rate = 0.05
cost_recovery_limit = 0.6
profit_split = 0.4
tax_rate = 0.18
depreciation_years = 5
commodities = ["titanium"]
[world.projects.central_lithium]
commodity = "lithium"
region = "central"
licence_year = 2026
lead_time = { min = 1, mode = 2, max = 4 }
capacity = 20000
ramp_years = 3
reserve = 300000
capex = 300e6
opex = 8000
realisation = 0.9
viability = 0.8
[world.projects.east_lithium]
commodity = "lithium"
region = "east"
lead_time = 2
capacity = 10000
reserve = 200000
capex = 100e6
opex = 9000
[world.projects.south_titanium]
commodity = "titanium"
region = "south"
lead_time = { min = 0, mode = 1, max = 3 }
capacity = 500000
ramp_years = 2
reserve = 8e6
capex = 50e6
opex = 200
licence_fee = 5e6
[world.projects.central_titanium]
commodity = "titanium"
region = "central"
lead_time = 1
capacity = 300000
reserve = 6e6
capex = 30e6
opex = 240
[deals.none]
share = 0
[deals.half]
share = 0.5
cap = 2e9
ownership = "fixed"
partner_share = 0.5
[deals.guaranteed]
share = 0.3
security_guarantee = true
ownership = "pro_rata"
[deals.guaranteed.partner_support]
in_kind = [1e8]
cash = [5e7]
continuation_probability = 0.9
)";

Scenario shut_in_off_world(bool shut_in) {
    LoadResult loaded =
        load_scenario_files({{"scenario.toml", shut_in_off_scenario}}, "scenario.toml");
    EXPECT_TRUE(loaded.errors.empty());
    Scenario s = loaded.scenario.value();
    s.world.investor.shut_in = shut_in;
    return s;
}

TEST(EngineShutIn, OffIsTheEngineBeforeShutInBitForBit) {
    const Scenario s = shut_in_off_world(false);
    const RunSummary run = summarize_run(s, simulate(s, test::run_options(2000, 1, 2)));
    struct Means {
        const char* deal;
        double host_value, partner_value, host_contributions, host_revenue;
    };
    const Means before[] = {
        {"none", 1051959343.5928893, 0.0, 0.0, 1051959343.5928893},
        {"half", 863870964.0586568, 296804957.7908186, 1189339129.9355679, 1051959343.5928893},
        {"guaranteed", 939416161.1975375, 150551751.95338053, 1155962450.5664754,
         1036009715.3284267},
    };
    ASSERT_EQ(run.deals.size(), 3u);
    for (std::size_t k = 0; k < 3; ++k) {
        SCOPED_TRACE(before[k].deal);
        const auto& m = run.deals[k].metrics;
        EXPECT_EQ(run.deals[k].name, before[k].deal);
        EXPECT_EQ(m.at("host_value").mean, before[k].host_value);
        EXPECT_EQ(m.at("partner_value").mean, before[k].partner_value);
        EXPECT_EQ(m.at("host_contributions").mean, before[k].host_contributions);
        EXPECT_EQ(m.at("host_revenue").mean, before[k].host_revenue);
    }
    // The base price path's measures: central_titanium runs at a loss on it for years.
    const std::vector<ProjectFiscal> fiscal = project_fiscal_summaries(s);
    EXPECT_EQ(fiscal[2].breakeven_price, 270.894664095249);
    EXPECT_EQ(fiscal[2].government_take, 0.9136957548283438);
    EXPECT_EQ(fiscal[2].aetr, 0.9216238857310367);
    EXPECT_EQ(fiscal[3].breakeven_price, 315.56381049449556);
    EXPECT_EQ(fiscal[3].government_take, 4.353048818920678);
    EXPECT_EQ(fiscal[3].aetr, 3.0920052705668635);

    // On (the default), the same world differs: loss-making years are shut in.
    const Scenario on = shut_in_off_world(true);
    EXPECT_NE(project_fiscal_summaries(on)[3].government_take, 4.353048818920678);
    const RunSummary on_run = summarize_run(on, simulate(on, test::run_options(2000, 1, 2)));
    EXPECT_NE(on_run.deals[0].metrics.at("host_revenue").mean, before[0].host_revenue);
}

}  // namespace
}  // namespace nadra
