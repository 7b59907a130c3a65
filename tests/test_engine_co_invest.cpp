// The fund as co-investor (MODEL.md 4.1) on deterministic worlds computed by hand, and its
// ledger identity (MODEL.md 6, 7) on random ones.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engine/plan.hpp"
#include "engine/project_flows.hpp"
#include "scenario_builders.hpp"

namespace nadra {
namespace {

// Sum of (1 + r)^-(t+1) for t = 1..10: a project built in year 0 (lead time 1) that produces
// from year 1 to year 10.
double production_annuity(double rate) {
    double a = 0;
    for (int t = 1; t <= 10; ++t) a += std::pow(1 + rate, -(t + 1));
    return a;
}

// A world with one project at a constant price of 100: capacity 1, reserve 10, lead time 1,
// no opex, royalty 10% (so its operating cash flow is 90 a year from year 1 to 10), capex chosen
// so that the investor's NPV is negative at 20% and positive at 15%: the investor's rate is the
// hurdle 10% plus a country premium of 10%.
//   NPV(r) = -capex / (1 + r) + 90 * production_annuity(r)
//   zero at capex = 90 (1 + r) production_annuity(r): 377.3 at 20%, 451.7 at 15%.
Scenario marginal_mine_world(int horizon = 12) {
    Scenario s = test::deterministic_world(horizon);
    s.world.regimes[0].royalty.rate = 0.1;
    s.world.investor.hurdle_rate = 0.1;
    s.world.investor.country_risk_premium = 0.1;
    const double capex =
        0.5 * (90 * 1.2 * production_annuity(0.2) + 90 * 1.15 * production_annuity(0.15));
    test::add_project(s, test::make_project(0, 0, 0, 1.0, 10.0, capex, 0.0, 1.0));
    return s;
}

Deal co_investing(const std::string& name, double share, double receipt_share, double premium) {
    Deal d = test::make_deal(name, 0.0);
    CoInvest co;
    co.share = share;
    co.receipt_share = receipt_share;
    co.premium_multiplier = premium;
    d.co_invest = co;
    return d;
}

double revenue_over_years(const PathLedger& l) {
    double sum = 0;
    for (const LedgerYear& y : l.years) sum += y.host_revenue;
    return sum;
}

TEST(EngineCoInvest, FairTermsBuildNoExtraMine) {
    // rho = s and m = 1: the investor's flow is (1 - s) times its own, the same decision.
    Scenario s = marginal_mine_world();
    test::add_deal(s, test::make_deal("no_deal", 0.0));
    test::add_deal(s, co_investing("fair", 0.5, 0.5, 1.0));
    const engine::Plan plan = engine::make_plan(s, {});
    ASSERT_EQ(plan.variants.size(), 2U);
    EXPECT_GT(plan.variants[0].breakeven[0], 100.0);
    EXPECT_EQ(plan.variants[1].co_invest->breakeven[0], plan.variants[0].breakeven[0]);
    EXPECT_EQ(revenue_over_years(ledger_for_path(s, 0, 1, 0)), 0.0);
    const PathLedger fair = ledger_for_path(s, 1, 1, 0);
    EXPECT_EQ(revenue_over_years(fair), 0.0);
    for (const LedgerYear& y : fair.years) EXPECT_EQ(y.co_invest_paid, 0.0);
    const SimulationResult run = simulate(s, test::run_options(1));
    EXPECT_EQ(run.deals[1].project_start[0], -1);
    EXPECT_EQ(run.deals[1].project_co_invested[0], 0);
}

TEST(EngineCoInvest, LowerPremiumOrSmallerReceiptShareTipsTheMine) {
    Scenario s = marginal_mine_world();
    test::add_deal(s, co_investing("premium_halved", 0.5, 0.5, 0.5));  // the investor's 15%
    // At 20%: -0.5 capex / 1.2 + 0.8 * 90 * annuity > 0 as capex < 1.6 * 377.3.
    test::add_deal(s, co_investing("concessional", 0.5, 0.2, 1.0));
    for (int deal : {0, 1}) {
        SCOPED_TRACE(deal);
        const PathLedger l = ledger_for_path(s, deal, 1, 0);
        // Built in year 0, royalty 10 a year from year 1 to 10 (horizon 12).
        EXPECT_NEAR(revenue_over_years(l), 100.0, 1e-9);
        EXPECT_NEAR(l.years[1].host_revenue, 10.0, 1e-12);
    }
    // The run records both deals' mine as started in year 0 with the fund in it.
    const SimulationResult run = simulate(s, test::run_options(2));
    for (const DealPaths& d : run.deals) {
        ASSERT_EQ(d.project_start.size(), 2U);
        EXPECT_EQ(d.project_start[1], 0);
        EXPECT_EQ(d.project_co_invested[1], 1);
    }
    const engine::WorldVariant concessional = engine::make_variant(s, 1);
    EXPECT_LT(concessional.co_invest->breakeven[0], 100.0);
    EXPECT_GT(concessional.breakeven[0], 100.0);
}

// A mine built in year 0 (capex 100, lead time 1, no royalty): operating cash flow 100 a year
// from year 1 while its reserve of 10 lasts. The fund takes half (s = rho = 0.5) but has no
// money (the deal takes no share): what it owes waits at the investor's 10% and is repaid from
// its receipts before any distribution. Fixed ownership, partner 40%, payout 1, lock 0.
//  t  receipts  owed                paid  unpaid  arrears    distribution
//  0   0        50                   0     50     55          0
//  1  50        55                  50      5      5.5        0
//  2  50         5.5                 5.5    0      0         44.5
//  3+ 50         0                   0      0      0         50
// Horizon 10: 9 units produced, 1 left; the stake is 0.5 * 100 * 1 * (1 - 1.1^-1) / 0.1
// = 45.4545..., paid out as the terminal value (the balance is 0).
TEST(EngineCoInvest, ArrearsAtTheInvestorsRateRepaidBeforeDistributions) {
    Scenario s = test::deterministic_world(10);
    test::add_project(s, test::make_project(0, 0, 0, 1.0, 10.0, 100.0, 0.0, 1.0));
    Deal d = co_investing("fund", 0.5, 0.5, 1.0);
    d.ownership = Ownership::fixed;
    d.partner_share = 0.4;
    test::add_deal(s, d);
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    const double receipts[] = {0, 50, 50, 50};
    const double paid[] = {0, 50, 5.5, 0};
    const double unpaid[] = {50, 5, 0, 0};
    const double distribution[] = {0, 0, 44.5, 50};
    for (int t = 0; t < 4; ++t) {
        SCOPED_TRACE(t);
        const LedgerYear& y = l.years[static_cast<std::size_t>(t)];
        EXPECT_NEAR(y.co_invest_receipts, receipts[t], 1e-9);
        EXPECT_NEAR(y.co_invest_paid, paid[t], 1e-9);
        EXPECT_NEAR(y.co_invest_unpaid, unpaid[t], 1e-9);
        EXPECT_NEAR(y.distribution, distribution[t], 1e-9);
        EXPECT_NEAR(y.fund_balance, 0.0, 1e-9);
    }
    EXPECT_NEAR(l.years[9].distribution, 50.0, 1e-9);
    const double stake = 0.5 * 100 * (1 - 1 / 1.1) / 0.1;
    EXPECT_NEAR(l.co_invest_stakes, stake, 1e-9);
    EXPECT_NEAR(l.terminal_to_partner, 0.4 * stake, 1e-9);
    EXPECT_NEAR(l.terminal_to_host, 0.6 * stake, 1e-9);
}

TEST(EngineCoInvest, ReceiptsAtTheReceiptShareAndAStakeUnderConstructionAtCost) {
    // rho = 0.3 of an operating cash flow of 90 (royalty 10%); a second mine with a lead time of
    // 20 is still being built at the horizon of 12: its stake is what the fund paid, 0.5 of 12
    // slices of 200 / 20. The fund starts with enough to pay its dues as they fall.
    Scenario s = test::deterministic_world(12);
    s.world.fund.initial = 1000;
    s.world.regimes[0].royalty.rate = 0.1;
    test::add_project(s, test::make_project(0, 0, 0, 1.0, 100.0, 100.0, 0.0, 1.0));
    test::add_project(s, test::make_project(0, 0, 0, 1.0, 100.0, 200.0, 0.0, 20.0));
    Deal d = co_investing("fund", 0.5, 0.3, 0.0);  // m = 0: the hurdle alone (10%)
    d.share = 1.0;                                 // the host pays its royalties in
    d.lock_years = 100;
    test::add_deal(s, d);
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    EXPECT_NEAR(l.years[5].co_invest_receipts, 0.3 * 90, 1e-9);
    EXPECT_NEAR(l.years[0].co_invest_paid, 0.5 * 100 + 0.5 * 10, 1e-9);
    EXPECT_NEAR(l.years[5].co_invest_paid, 0.5 * 10, 1e-9);
    // The first: 89 units left, the last year's 90 at capacity for 89 years at 10%.
    const double first = 0.3 * 90 * (1 - std::pow(1.1, -89.0)) / 0.1;
    EXPECT_NEAR(l.co_invest_stakes, first + 0.5 * 12 * 10, 1e-9);
    // With no distributions, the terminal value is all paid out at the end.
    const LedgerYear& last = l.years.back();
    EXPECT_NEAR(l.terminal_to_host + l.terminal_to_partner,
                last.fund_balance - last.co_invest_unpaid + l.co_invest_stakes, 1e-9);
}

// MODEL.md 7: initial + host contributions + partner cash + returns + receipts = distributions +
// co-investment payments + final balance, on every path of a random world.
TEST(EngineCoInvest, LedgerBalancesOnEveryPathOfARandomWorld) {
    Scenario s = test::deterministic_world(30);
    s.world.commodities[0].sigma = 0.3;
    s.world.commodities[0].kappa = 0.2;
    s.world.fund.initial = 20;
    s.world.fund.return_mean = 0.03;
    s.world.fund.return_sigma = 0.1;
    s.world.inflation = 0.02;
    s.world.conflict.initial_war = true;
    s.world.conflict.end_hazard = {0.3};
    s.world.conflict.renew_hazard = {0.1};
    s.world.investor.country_risk_premium = 0.05;
    s.world.regimes[0].royalty.rate = 0.1;
    s.world.regimes[0].tax_rate = 0.2;
    const int frontline = test::add_region(s, "front", RegionStatus::frontline);
    for (int j = 0; j < 6; ++j) {
        Project p = test::make_project(0, j % 2 == 0 ? 0 : frontline, 0, 1.0, 15.0, 300.0 + 60 * j,
                                       30.0 + 5 * j, 1.0 + j % 3, j);
        p.opex_sigma = 0.3;
        p.viability = 0.7;
        test::add_project(s, p);
    }
    Deal d = co_investing("fund", 0.3, 0.2, 0.5);
    d.share = 0.5;
    d.lock_years = 5;
    d.payout_rate = 0.6;
    d.ownership = Ownership::pro_rata;
    d.partner_support.cash = {15.0, 5.0};
    test::add_deal(s, d);
    int with_arrears = 0, joined = 0;
    for (std::int64_t path = 0; path < 200; ++path) {
        const PathLedger l = ledger_for_path(s, 0, 9, path);
        double in = s.world.fund.initial, out = 0, scale = 0;
        for (const LedgerYear& y : l.years) {
            in += y.contribution + y.partner_cash + y.fund_return + y.co_invest_receipts;
            out += y.distribution + y.co_invest_paid;
            scale += std::abs(y.contribution) + std::abs(y.co_invest_paid);
            with_arrears += y.co_invest_unpaid > 0;
            joined += y.co_invest_paid > 0;
        }
        out += l.years.back().fund_balance;
        EXPECT_NEAR(in, out, 1e-9 * std::max(1.0, scale)) << "path " << path;
    }
    EXPECT_GT(with_arrears, 0);
    EXPECT_GT(joined, 100);
}

// Common random numbers: a co-investing deal whose terms change no start sees the same prices,
// war and projects as the world without it, so the host's revenue is the same to the bit.
TEST(EngineCoInvest, SharesTheDrawsOfTheWorldWithoutIt) {
    Scenario s = test::deterministic_world(25);
    s.world.commodities[0].sigma = 0.4;
    s.world.conflict.initial_war = true;
    s.world.conflict.end_hazard = {0.3};
    s.world.conflict.renew_hazard = {0.1};
    s.world.regimes[0].royalty.rate = 0.1;
    const int frontline = test::add_region(s, "front", RegionStatus::frontline);
    for (int j = 0; j < 4; ++j) {
        Project p = test::make_project(0, j % 2 ? frontline : 0, 0, 1.0, 12.0, 400.0 + 50 * j, 20.0,
                                       2.0, j);
        p.viability = 0.6;
        test::add_project(s, p);
    }
    test::add_deal(s, test::make_deal("no_deal", 0.0));
    test::add_deal(s, co_investing("fair", 0.4, 0.4, 1.0));
    test::add_deal(s, co_investing("cheaper", 0.4, 0.4, 0.0));
    s.world.investor.country_risk_premium = 0.08;
    int differ = 0;
    for (std::int64_t path = 0; path < 100; ++path) {
        const PathLedger none = ledger_for_path(s, 0, 3, path);
        const PathLedger fair = ledger_for_path(s, 1, 3, path);
        const PathLedger cheaper = ledger_for_path(s, 2, 3, path);
        for (std::size_t t = 0; t < none.years.size(); ++t) {
            ASSERT_EQ(none.years[t].war, fair.years[t].war);
            ASSERT_EQ(none.years[t].war, cheaper.years[t].war);
            ASSERT_EQ(none.years[t].host_revenue, fair.years[t].host_revenue) << path;
        }
        differ += revenue_over_years(cheaper) != revenue_over_years(none);
    }
    EXPECT_GT(differ, 0);
}

}  // namespace
}  // namespace nadra
