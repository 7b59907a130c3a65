// Deals on a deterministic world (MODEL.md 2, 3.4, 4, 5, 7): every volatility 0, every
// probability 0 or 1, so the ledger and the reported metrics equal a hand computation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "scenario_builders.hpp"

namespace nadra {
namespace {

// A stream whose host revenue is 37 a year: volume 1 at price 100, royalty 10% -> 10; profit
// base max(0, 1 * (100 - 0) - 10) = 90; income tax take 20% -> 18, dividend take 10% -> 9;
// host revenue 10 + 18 + 9 = 37.
Scenario world_with_37_a_year(int horizon) {
    Scenario s = test::deterministic_world(horizon);
    test::add_stream(s, test::make_stream(0, 0, 1.0, 0.10, 0.20, 0.10));
    return s;
}

TEST(EngineDeal, FundLockPayoutAndTerminalByHand) {
    // Deal: share 0.5 of 37 -> contribution 18.5 a year; partner cash 10 in year 0 only; fund
    // return r = 10% (ln(1+r) = ln 1.1, sigma 0); lock 1 year; payout 0.5; fixed ownership with
    // partner share 0.4; discount rates 0.
    //  t  F(t)        I(t) = F(1.1) + c + cash    dist = 0.5 I   to partner   F(t+1)
    //  0  0           0 + 18.5 + 10 = 28.5          0 (lock)       0           28.5
    //  1  28.5        31.35 + 18.5 = 49.85         24.925          9.97        24.925
    //  2  24.925      27.4175 + 18.5 = 45.9175     22.95875        9.1835      22.95875
    //  3  22.95875    25.254625 + 18.5 = 43.754625 21.8773125      8.750925    21.8773125
    // Terminal payout 21.8773125: partner 8.750925, host 13.1263875.
    Scenario s = world_with_37_a_year(4);
    s.world.fund.return_mean = std::log(1.1);
    Deal d = test::make_deal("d", 0.5);
    d.partner_support.cash = {10.0, 0.0};
    d.lock_years = 1;
    d.payout_rate = 0.5;
    d.ownership = Ownership::fixed;
    d.partner_share = 0.4;
    test::add_deal(s, d);

    const PathLedger l = ledger_for_path(s, 0, 7, 0);
    ASSERT_EQ(l.years.size(), 4U);
    const double dist[] = {0.0, 24.925, 22.95875, 21.8773125};
    const double balance[] = {28.5, 24.925, 22.95875, 21.8773125};
    const double ret[] = {0.0, 2.85, 2.4925, 2.295875};
    for (int t = 0; t < 4; ++t) {
        const LedgerYear& y = l.years[static_cast<std::size_t>(t)];
        SCOPED_TRACE(t);
        EXPECT_NEAR(y.host_revenue, 37.0, 1e-9);
        EXPECT_NEAR(y.scoped_revenue, 37.0, 1e-9);
        EXPECT_NEAR(y.contribution, 18.5, 1e-9);
        EXPECT_NEAR(y.partner_cash, t == 0 ? 10.0 : 0.0, 1e-12);
        EXPECT_NEAR(y.fund_return, ret[t], 1e-9);
        EXPECT_NEAR(y.distribution, dist[t], 1e-9);
        EXPECT_NEAR(y.to_partner, 0.4 * dist[t], 1e-9);
        EXPECT_NEAR(y.to_host, 0.6 * dist[t], 1e-9);
        EXPECT_NEAR(y.fund_balance, balance[t], 1e-9);
        EXPECT_TRUE(std::isinf(y.cap));
        EXPECT_FALSE(y.war);
    }
    EXPECT_NEAR(l.terminal_to_partner, 8.750925, 1e-9);
    EXPECT_NEAR(l.terminal_to_host, 13.1263875, 1e-9);

    // Metrics at discount rate 0:
    // host_value = sum H - sum c + sum to_host + terminal host
    //            = 148 - 74 + (14.955 + 13.77525 + 13.1263875) + 13.1263875 = 128.983025
    // partner_value = (9.97 + 9.1835 + 8.750925) + 8.750925 - 10 = 26.65535
    // share_ceded = 74 / 148 = 0.5; host_kept = 148 - 74 = 74.
    const SimulationResult r = simulate(s, test::run_options(3));
    ASSERT_EQ(r.deals.size(), 1U);
    const DealPaths& p = r.deals[0];
    ASSERT_EQ(p.host_value.size(), 3U);
    for (std::size_t k = 0; k < 3; ++k) {
        EXPECT_NEAR(p.host_value[k], 128.983025, 1e-9);
        EXPECT_NEAR(p.partner_value[k], 26.65535, 1e-9);
        EXPECT_NEAR(p.host_contributions[k], 74.0, 1e-9);
        EXPECT_NEAR(p.host_revenue[k], 148.0, 1e-9);
        EXPECT_NEAR(p.host_kept[k], 74.0, 1e-9);
        EXPECT_NEAR(p.share_ceded[k], 0.5, 1e-12);
        EXPECT_NEAR(p.in_kind_support_npv[k], 0.0, 1e-12);
        EXPECT_TRUE(std::isnan(p.cap_year[k]));
    }
    ASSERT_EQ(p.fund_balance.size(), 3U * 4U);
    for (int t = 0; t < 4; ++t)
        EXPECT_NEAR(p.fund_balance[4 + static_cast<std::size_t>(t)], balance[t], 1e-9);
}

// The general deterministic case with escalation, growth and discounting, checked against a
// year-by-year reference written from MODEL.md 3.4 and 4:
//   price p(t) = 100 e^{0.03 t} (kappa 0, sigma 0), volume v(t) = 10 * 1.05^t, realisation 0.9,
//   unit cost 20 * 1.02^t (inflation 2%), royalty 10% of R = v p 0.9,
//   base = max(0, v (0.9 p - unit cost) - royalty), host revenue H = royalty + (0.2 + 0.1) base.
//   Deal: share 0.5, no cap; fund initial 40, r = e^{0.05} - 1; lock 2; payout 0.5; partner share
//   0.3; cash 5 in years 0 and 1; in-kind 7 every year; host rate 6%, partner rate 4%.
//   I(t) = F(t)(1 + r) + c(t) + cash(t); dist = 0 for t < 2, else 0.5 I(t); F(t+1) = I - dist.
//   host_value = sum (H - c + 0.7 dist) 1.06^-(t+1) + 0.7 F(T) 1.06^-T
//   partner_value = sum (0.3 dist - cash) 1.04^-(t+1) + 0.3 F(T) 1.04^-T
TEST(EngineDeal, EscalationGrowthAndDiscountingMatchReference) {
    const int T = 8;
    Scenario s = test::deterministic_world(T);
    s.world.inflation = 0.02;
    s.world.host_discount_rate = 0.06;
    s.world.partner_discount_rate = 0.04;
    s.world.commodities[0].drift = 0.03;
    s.world.fund.initial = 40;
    s.world.fund.return_mean = 0.05;
    Stream st = test::make_stream(0, 0, 10.0, 0.10, 0.20, 0.10, 20.0);
    st.volume_growth = 0.05;
    st.realisation = 0.9;
    test::add_stream(s, st);
    Deal d = test::make_deal("d", 0.5);
    d.partner_support.cash = {5.0, 5.0, 0.0};
    d.partner_support.in_kind = {7.0};
    d.lock_years = 2;
    d.payout_rate = 0.5;
    d.partner_share = 0.3;
    test::add_deal(s, d);

    const double r = std::exp(0.05) - 1.0;
    std::vector<double> H, c, cash, dist, bal, ret, host_flow, partner_flow, in_kind;
    double F = 40;
    for (int t = 0; t < T; ++t) {
        const double td = t;
        const double p = 100.0 * std::exp(0.03 * td);
        const double v = 10.0 * std::pow(1.05, td);
        const double R = v * p * 0.9;
        const double royalty = 0.1 * R;
        const double base = std::max(0.0, v * (0.9 * p - 20.0 * std::pow(1.02, td)) - royalty);
        H.push_back(royalty + 0.3 * base);
        c.push_back(0.5 * H.back());
        cash.push_back(t < 2 ? 5.0 : 0.0);
        ret.push_back(F * r);
        const double I = F * (1 + r) + c.back() + cash.back();
        dist.push_back(t < 2 ? 0.0 : 0.5 * I);
        F = I - dist.back();
        bal.push_back(F);
        host_flow.push_back(H.back() - c.back() + 0.7 * dist.back());
        partner_flow.push_back(0.3 * dist.back() - cash.back());
        in_kind.push_back(7.0);
    }

    const PathLedger l = ledger_for_path(s, 0, 99, 3);
    ASSERT_EQ(l.years.size(), static_cast<std::size_t>(T));
    for (std::size_t t = 0; t < static_cast<std::size_t>(T); ++t) {
        SCOPED_TRACE(t);
        const LedgerYear& y = l.years[t];
        EXPECT_NEAR(y.host_revenue, H[t], 1e-9 * H[t]);
        EXPECT_NEAR(y.contribution, c[t], 1e-9 * H[t]);
        EXPECT_NEAR(y.partner_cash, cash[t], 1e-12);
        EXPECT_NEAR(y.partner_in_kind, 7.0, 1e-12);
        EXPECT_NEAR(y.fund_return, ret[t], 1e-9 * bal[t]);
        EXPECT_NEAR(y.distribution, dist[t], 1e-9 * bal[t]);
        EXPECT_NEAR(y.to_partner, 0.3 * dist[t], 1e-9 * bal[t]);
        EXPECT_NEAR(y.to_host, 0.7 * dist[t], 1e-9 * bal[t]);
        EXPECT_NEAR(y.fund_balance, bal[t], 1e-9 * bal[t]);
    }
    EXPECT_NEAR(l.terminal_to_host, 0.7 * F, 1e-9 * F);
    EXPECT_NEAR(l.terminal_to_partner, 0.3 * F, 1e-9 * F);

    const double host_value = test::npv(host_flow, 0.06) + 0.7 * F * std::pow(1.06, -T);
    const double partner_value = test::npv(partner_flow, 0.04) + 0.3 * F * std::pow(1.04, -T);
    const double sum_c = std::accumulate(c.begin(), c.end(), 0.0);
    const double sum_h = std::accumulate(H.begin(), H.end(), 0.0);
    const SimulationResult res = simulate(s, test::run_options(2));
    const DealPaths& p = res.deals.at(0);
    for (std::size_t k = 0; k < 2; ++k) {
        EXPECT_NEAR(p.host_value[k], host_value, 1e-9 * std::abs(host_value));
        EXPECT_NEAR(p.partner_value[k], partner_value, 1e-9 * std::abs(partner_value) + 1e-9);
        EXPECT_NEAR(p.in_kind_support_npv[k], test::npv(in_kind, 0.04), 1e-9);
        EXPECT_NEAR(p.host_contributions[k], sum_c, 1e-9 * sum_c);
        EXPECT_NEAR(p.host_revenue[k], test::npv(H, 0.06), 1e-9 * sum_h);
        EXPECT_NEAR(p.host_kept[k], test::npv(H, 0.06) - test::npv(c, 0.06), 1e-9 * sum_h);
        EXPECT_NEAR(p.share_ceded[k], sum_c / sum_h, 1e-12);
    }

    // MODEL.md 4.2 by hand: in-kind 7 a year for T years, valued 0.8 by the host at its rate
    // (6%) and costing the partner 0.5 at its rate (4%).
    s.world.host_support_value = 0.8;
    s.world.partner_support_cost = 0.5;
    double at_host_rate = 0, at_partner_rate = 0;
    for (int t = 0; t < T; ++t) {
        at_host_rate += 7.0 * std::pow(1.06, -(t + 1));
        at_partner_rate += 7.0 * std::pow(1.04, -(t + 1));
    }
    const DealPaths valued = simulate(s, test::run_options(2)).deals.at(0);
    for (std::size_t k = 0; k < 2; ++k) {
        EXPECT_EQ(valued.host_value[k], p.host_value[k]);  // the money values do not move
        EXPECT_EQ(valued.partner_value[k], p.partner_value[k]);
        EXPECT_NEAR(valued.host_total_value[k], host_value + 0.8 * at_host_rate,
                    1e-9 * std::abs(host_value));
        EXPECT_NEAR(valued.partner_net_value[k], partner_value - 0.5 * at_partner_rate,
                    1e-9 * std::abs(partner_value) + 1e-9);
    }
}

// Host revenue growing geometrically: volume 10 growing 4% a year, price 100 e^{0.02 t},
// royalty 5%, income tax take 20%, no costs: H(t) = (0.05 + 0.95 * 0.2) R(t) = 0.24 * 1000 q^t
// with q = 1.04 e^{0.02}. With share 0.25, the contributions are 60 q^t; the cap 500 is reached
// in year n - 1, n the smallest integer with sum_{t<n} 60 q^t >= 500, i.e.
// n = ceil(ln(1 + 500 (q - 1) / 60) / ln q) = ceil(6.94) = 7: the cap is reached in 2025 + 6.
TEST(EngineDeal, CapYearMatchesGeometricClosedForm) {
    Scenario s = test::deterministic_world(12);
    s.world.commodities[0].drift = 0.02;
    Stream st = test::make_stream(0, 0, 10.0, 0.05, 0.20, 0.0);
    st.volume_growth = 0.04;
    test::add_stream(s, st);
    Deal d = test::make_deal("capped", 0.25);
    d.cap = 500.0;
    test::add_deal(s, d);

    const double q = 1.04 * std::exp(0.02);
    const double n = std::ceil(std::log(1 + 500 * (q - 1) / 60) / std::log(q));
    ASSERT_DOUBLE_EQ(n, 7.0);
    const double expected_cap_year = test::start_year + n - 1;

    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    double cum = 0;
    for (std::size_t t = 0; t < l.years.size(); ++t) {
        SCOPED_TRACE(t);
        const double td = static_cast<double>(t);
        EXPECT_NEAR(l.years[t].host_revenue, 240.0 * std::pow(q, td), 1e-9 * 240 * std::pow(q, td));
        EXPECT_DOUBLE_EQ(l.years[t].cap, 500.0);
        const double uncapped = 60.0 * std::pow(q, td);
        const double expected = std::min(uncapped, 500.0 - cum);
        EXPECT_NEAR(l.years[t].contribution, expected, 1e-9);
        cum += expected;
    }
    EXPECT_NEAR(cum, 500.0, 1e-9);
    EXPECT_EQ(l.years[7].contribution, 0.0);

    const SimulationResult r = simulate(s, test::run_options(2));
    EXPECT_DOUBLE_EQ(r.deals[0].cap_year[0], expected_cap_year);
    EXPECT_DOUBLE_EQ(r.deals[0].cap_year[1], expected_cap_year);
    EXPECT_NEAR(r.deals[0].host_contributions[0], 500.0, 1e-9);
}

// term_years 3: contributions 18.5 (= 0.5 * 37) in years 0, 1, 2 only. With a cap of 40 as well
// the cap ends first: 18.5, 18.5, 3 (cap reached in 2027), then nothing.
TEST(EngineDeal, TermYearsAndCapWhicheverEndsFirst) {
    Scenario s = world_with_37_a_year(6);
    Deal term = test::make_deal("term", 0.5);
    term.term_years = 3;
    test::add_deal(s, term);
    Deal both = term;
    both.name = "both";
    both.cap = 40.0;
    test::add_deal(s, both);
    Deal loose = term;
    loose.name = "loose cap";
    loose.cap = 1000.0;
    test::add_deal(s, loose);

    const PathLedger a = ledger_for_path(s, 0, 1, 0);
    const PathLedger b = ledger_for_path(s, 1, 1, 0);
    const PathLedger c = ledger_for_path(s, 2, 1, 0);
    const double expected_b[] = {18.5, 18.5, 3.0, 0, 0, 0};
    for (std::size_t t = 0; t < 6; ++t) {
        SCOPED_TRACE(t);
        EXPECT_NEAR(a.years[t].contribution, t < 3 ? 18.5 : 0.0, 1e-12);
        EXPECT_NEAR(b.years[t].contribution, expected_b[t], 1e-12);
        EXPECT_NEAR(c.years[t].contribution, t < 3 ? 18.5 : 0.0, 1e-12);
    }
    const SimulationResult r = simulate(s, test::run_options(1));
    EXPECT_TRUE(std::isnan(r.deals[0].cap_year[0]));
    EXPECT_DOUBLE_EQ(r.deals[1].cap_year[0], 2027.0);
    // The term, not the cap, ended deal "loose cap": 55.5 < 1000, the cap is never reached.
    EXPECT_TRUE(std::isnan(r.deals[2].cap_year[0]));
    EXPECT_NEAR(r.deals[0].host_contributions[0], 55.5, 1e-12);
    EXPECT_NEAR(r.deals[1].host_contributions[0], 40.0, 1e-12);
}

// cap_growth_per_support 2; support: cash 10 in year 0, in-kind 15 in year 1, nothing later.
// This year's support raises this year's cap: cap(0) = 100 + 2 * 10 = 120,
// cap(1) = 120 + 2 * 15 = 150, cap(t >= 2) = 150. Host revenue 110 (volume 1.1, royalty 100%),
// share 1: contributions min(110, 120) = 110 in year 0 (100 if the raise came a year late),
// min(110, 150 - 110) = 40 in year 1 (cap reached in 2026), 0 after.
TEST(EngineDeal, CapGrowthPerSupportRaisesThisYearsCap) {
    Scenario s = test::deterministic_world(4);
    test::add_stream(s, test::make_stream(0, 0, 1.1, 1.0));
    Deal d = test::make_deal("grow", 1.0);
    d.cap = 100.0;
    d.cap_growth_per_support = 2.0;
    d.partner_support.cash = {10.0, 0.0};
    d.partner_support.in_kind = {0.0, 15.0, 0.0};
    test::add_deal(s, d);

    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    const double cap[] = {120, 150, 150, 150};
    const double contribution[] = {110, 40, 0, 0};
    for (std::size_t t = 0; t < 4; ++t) {
        SCOPED_TRACE(t);
        EXPECT_NEAR(l.years[t].host_revenue, 110.0, 1e-9);
        EXPECT_NEAR(l.years[t].cap, cap[t], 1e-9);
        EXPECT_NEAR(l.years[t].contribution, contribution[t], 1e-9);
    }
    const SimulationResult r = simulate(s, test::run_options(1));
    EXPECT_DOUBLE_EQ(r.deals[0].cap_year[0], 2026.0);
    EXPECT_NEAR(r.deals[0].host_contributions[0], 150.0, 1e-9);
}

// Continuation probability 0: year 0's support is paid, then it stops for good; with 1 it is
// paid every year (the list {8} repeats its last value).
TEST(EngineDeal, SupportContinuationZeroAndOne) {
    Scenario s = world_with_37_a_year(4);
    Deal stop = test::make_deal("stop", 0.0);
    stop.partner_support.cash = {8.0};
    stop.partner_support.in_kind = {3.0};
    stop.partner_support.continuation_probability = 0.0;
    test::add_deal(s, stop);
    Deal go = stop;
    go.name = "go";
    go.partner_support.continuation_probability = 1.0;
    test::add_deal(s, go);
    for (std::int64_t path = 0; path < 5; ++path) {
        const PathLedger a = ledger_for_path(s, 0, 11, path);
        const PathLedger b = ledger_for_path(s, 1, 11, path);
        for (std::size_t t = 0; t < 4; ++t) {
            EXPECT_DOUBLE_EQ(a.years[t].partner_cash, t == 0 ? 8.0 : 0.0);
            EXPECT_DOUBLE_EQ(a.years[t].partner_in_kind, t == 0 ? 3.0 : 0.0);
            EXPECT_DOUBLE_EQ(b.years[t].partner_cash, 8.0);
            EXPECT_DOUBLE_EQ(b.years[t].partner_in_kind, 3.0);
        }
    }
}

// Partner-first waterfall (MODEL.md 4 and 7), hand computed. Host revenue 100 a year (volume 1,
// royalty 100%), share 0.5 -> c = 50; fund return 0; payout 0.5; lock 0; pro-rata ownership;
// partner initial capital 60; recoup rate 10%; cash {20, 0, 0, 0, 25}, in-kind {30, 0}, in-kind
// counts. Each year: B <- 1.1 B, B += new capital, partner gets min(B, dist), B -= that; the rest
// splits by capital accounts (host: contributions to date; partner: 60 + cash + in-kind to date,
// this year's flows included).
//  t  B after growth+capital   I              dist      partner first  rest split (h:p)
//  0  66 + 50 = 116            0+50+20 = 70   35        35 (B = 81)    0
//  1  89.1                     35+50 = 85     42.5      42.5 (B=46.6)  0
//  2  51.26                    42.5+50=92.5   46.25     46.25 (B=5.01) 0
//  3  5.511                    46.25+50=96.25 48.125    5.511 (B = 0)  42.614 at 200:110
//  4  0 + 25 = 25              48.125+50+25   61.5625   25 (B = 0)     36.5625 at 250:135
//                              = 123.125
// Terminal: F(5) = 61.5625, B = 0, split 250:135.
TEST(EngineWaterfall, PartnerFirstWithRecoupRateByHand) {
    Scenario s = test::deterministic_world(5);
    test::add_stream(s, test::make_stream(0, 0, 1.0, 1.0));
    Deal d = test::make_deal("pf", 0.5);
    d.partner_support.cash = {20.0, 0.0, 0.0, 0.0, 25.0};
    d.partner_support.in_kind = {30.0, 0.0};
    d.in_kind_counts = true;
    d.partner_initial_capital = 60.0;
    d.recoup_rate = 0.1;
    d.waterfall = Waterfall::partner_first;
    d.ownership = Ownership::pro_rata;
    d.payout_rate = 0.5;
    test::add_deal(s, d);

    const double rest3 = 48.125 - 5.511;  // 42.614
    const double rest4 = 61.5625 - 25.0;  // 36.5625
    const double to_partner[] = {35.0, 42.5, 46.25, 5.511 + rest3 * 110 / 310,
                                 25.0 + rest4 * 135 / 385};
    const double to_host[] = {0, 0, 0, rest3 * 200 / 310, rest4 * 250 / 385};
    const double dist[] = {35.0, 42.5, 46.25, 48.125, 61.5625};
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    ASSERT_EQ(l.years.size(), 5U);
    for (std::size_t t = 0; t < 5; ++t) {
        SCOPED_TRACE(t);
        EXPECT_NEAR(l.years[t].distribution, dist[t], 1e-9);
        EXPECT_NEAR(l.years[t].to_partner, to_partner[t], 1e-9);
        EXPECT_NEAR(l.years[t].to_host, to_host[t], 1e-9);
    }
    EXPECT_NEAR(l.years[4].fund_balance, 61.5625, 1e-9);
    EXPECT_NEAR(l.terminal_to_partner, 61.5625 * 135 / 385, 1e-9);
    EXPECT_NEAR(l.terminal_to_host, 61.5625 * 250 / 385, 1e-9);
}

// Without in_kind_counts the in-kind aid neither enters the recoup balance nor the partner's
// capital account. Same deal as above, horizon 2:
//  t0: B = 66 + 20 = 86; dist 35 -> partner 35, B = 51.
//  t1: B = 56.1; dist 42.5 -> partner 42.5, B = 13.6. F(2) = 42.5.
//  Terminal (no further growth): partner 13.6 first, the rest 28.9 at host 100 : partner 80.
TEST(EngineWaterfall, InKindNotCountedLeavesRecoupAndAccounts) {
    Scenario s = test::deterministic_world(2);
    test::add_stream(s, test::make_stream(0, 0, 1.0, 1.0));
    Deal d = test::make_deal("pf", 0.5);
    d.partner_support.cash = {20.0, 0.0};
    d.partner_support.in_kind = {30.0, 0.0};
    d.in_kind_counts = false;
    d.partner_initial_capital = 60.0;
    d.recoup_rate = 0.1;
    d.waterfall = Waterfall::partner_first;
    d.ownership = Ownership::pro_rata;
    d.payout_rate = 0.5;
    test::add_deal(s, d);
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    EXPECT_NEAR(l.years[0].to_partner, 35.0, 1e-9);
    EXPECT_NEAR(l.years[1].to_partner, 42.5, 1e-9);
    EXPECT_NEAR(l.years[1].to_host, 0.0, 1e-9);
    EXPECT_NEAR(l.terminal_to_partner, 13.6 + 28.9 * 80 / 180, 1e-9);
    EXPECT_NEAR(l.terminal_to_host, 28.9 * 100 / 180, 1e-9);
}

// Pro-rata ownership uses capital accounts that include the year's own flows. Fund initial 100
// (no one's capital), host contribution 50 (share 0.5 of 100), partner cash 25, payout 1:
// dist(0) = 175 at host 50 : partner 25 -> partner 58.333..., host 116.666... (opening accounts,
// both 0, would have given 87.5 each).
TEST(EngineWaterfall, ProRataIncludesThisYearsFlows) {
    Scenario s = test::deterministic_world(1);
    s.world.fund.initial = 100;
    test::add_stream(s, test::make_stream(0, 0, 1.0, 1.0));
    Deal d = test::make_deal("pr", 0.5);
    d.partner_support.cash = {25.0};
    d.ownership = Ownership::pro_rata;
    test::add_deal(s, d);
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    EXPECT_NEAR(l.years[0].distribution, 175.0, 1e-9);
    EXPECT_NEAR(l.years[0].to_partner, 175.0 / 3.0, 1e-9);
    EXPECT_NEAR(l.years[0].to_host, 350.0 / 3.0, 1e-9);
}

// With both capital accounts at 0 the split is 50/50: fund initial 100, share 0, no support,
// payout 1 -> 50 each in year 0.
TEST(EngineWaterfall, ProRataFiftyFiftyWhenBothAccountsZero) {
    Scenario s = test::deterministic_world(2);
    s.world.fund.initial = 100;
    Deal d = test::make_deal("empty", 0.0);
    d.ownership = Ownership::pro_rata;
    test::add_deal(s, d);
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    EXPECT_NEAR(l.years[0].to_partner, 50.0, 1e-12);
    EXPECT_NEAR(l.years[0].to_host, 50.0, 1e-12);
    EXPECT_NEAR(l.years[1].distribution, 0.0, 1e-12);
}

// A partner-first waterfall with fixed ownership: the partner's initial capital 30 comes first
// (recoup rate 0), then the fixed share 0.25. Host revenue 100, share 0.4 -> c = 40, payout 1:
// t0: dist 40 -> partner 30 + 0.25 * 10 = 32.5, host 7.5; t1: partner 10, host 30.
TEST(EngineWaterfall, PartnerFirstThenFixedShare) {
    Scenario s = test::deterministic_world(2);
    test::add_stream(s, test::make_stream(0, 0, 1.0, 1.0));
    Deal d = test::make_deal("pf fixed", 0.4);
    d.partner_initial_capital = 30.0;
    d.waterfall = Waterfall::partner_first;
    d.partner_share = 0.25;
    test::add_deal(s, d);
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    EXPECT_NEAR(l.years[0].to_partner, 32.5, 1e-12);
    EXPECT_NEAR(l.years[0].to_host, 7.5, 1e-12);
    EXPECT_NEAR(l.years[1].to_partner, 10.0, 1e-12);
    EXPECT_NEAR(l.years[1].to_host, 30.0, 1e-12);
}

// Scope (MODEL.md 3.5, 4): items, commodities, licence classes and statuses select revenue.
// Stream A (commodity 0 "ore" at 100, free region): royalty 10, income tax 0.2 * 90 = 18.
// Stream B (commodity 1 "gas" at 50, frontline region, peace): volume 2, royalty 20% of 100 = 20,
// dividend take 0.5 * 80 = 40. Host revenue 28 + 60 = 88.
TEST(EngineScope, ItemsCommoditiesClassesAndStatusesSelect) {
    Scenario s = test::deterministic_world(2);
    const int gas = test::add_commodity(s, "gas", 50.0);
    const int front = test::add_region(s, "front", RegionStatus::frontline);
    test::add_stream(s, test::make_stream(0, 0, 1.0, 0.1, 0.2, 0.0));
    test::add_stream(s, test::make_stream(gas, front, 2.0, 0.2, 0.0, 0.5));
    Deal royalty_only = test::make_deal("royalty", 1.0);
    royalty_only.scope.items = {RevenueItem::royalty};
    test::add_deal(s, royalty_only);  // 10 + 20 = 30
    Deal gas_only = test::make_deal("gas", 1.0);
    gas_only.scope.commodities = {gas};
    test::add_deal(s, gas_only);  // 60
    Deal free_tax = test::make_deal("free tax", 1.0);
    free_tax.scope.statuses = {RegionStatus::free};
    free_tax.scope.items = {RevenueItem::income_tax, RevenueItem::dividend};
    test::add_deal(s, free_tax);  // 18
    Deal new_only = test::make_deal("new", 1.0);
    new_only.scope.licence_classes = {"new"};
    test::add_deal(s, new_only);  // streams are "existing": 0
    Deal existing = test::make_deal("existing", 0.5);
    existing.scope.licence_classes = {"existing"};
    test::add_deal(s, existing);  // 88, contribution 44

    const double scoped[] = {30, 60, 18, 0, 88};
    for (int d = 0; d < 5; ++d) {
        SCOPED_TRACE(d);
        const PathLedger l = ledger_for_path(s, d, 1, 0);
        EXPECT_NEAR(l.years[0].host_revenue, 88.0, 1e-9);
        EXPECT_NEAR(l.years[0].scoped_revenue, scoped[d], 1e-9);
        EXPECT_NEAR(l.years[0].contribution, s.deals[static_cast<std::size_t>(d)].share * scoped[d],
                    1e-9);
    }
}

// A stream whose unit cost exceeds its net price: volume 1, price 100, realisation 1, unit cost
// 120 * 1.1^t (inflation 10%), royalty 10%: base = max(0, 100 - 120 * 1.1^t - 10) = 0, so only the
// royalty 10 is host revenue, whatever the profit takes.
TEST(EngineDeal, StreamProfitBaseFloorsAtZero) {
    Scenario s = test::deterministic_world(3);
    s.world.inflation = 0.10;
    test::add_stream(s, test::make_stream(0, 0, 1.0, 0.10, 0.5, 0.5, 120.0));
    test::add_deal(s, test::make_deal("d", 1.0));
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    for (const auto& y : l.years) {
        EXPECT_NEAR(y.host_revenue, 10.0, 1e-12);
        EXPECT_NEAR(y.contribution, 10.0, 1e-12);
    }
}

// Unit costs escalate: unit cost 50, inflation 10%, price 100, royalty 0, income tax take 1:
// host revenue = 100 - 50 * 1.1^t: 50, 45, 39.5.
TEST(EngineDeal, StreamUnitCostEscalates) {
    Scenario s = test::deterministic_world(3);
    s.world.inflation = 0.10;
    test::add_stream(s, test::make_stream(0, 0, 1.0, 0.0, 1.0, 0.0, 50.0));
    test::add_deal(s, test::make_deal("d", 0.0));
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    EXPECT_NEAR(l.years[0].host_revenue, 50.0, 1e-9);
    EXPECT_NEAR(l.years[1].host_revenue, 45.0, 1e-9);
    EXPECT_NEAR(l.years[2].host_revenue, 39.5, 1e-9);
}

// A lock longer than the horizon: no distribution in any year; the whole balance is the terminal
// payout. Contributions 18.5 a year for 3 years, fund return 0, fixed partner share 0.2:
// F(3) = 55.5, terminal 11.1 to the partner, 44.4 to the host.
TEST(EngineDeal, TerminalPayoutIgnoresLock) {
    Scenario s = world_with_37_a_year(3);
    Deal d = test::make_deal("locked", 0.5);
    d.lock_years = 10;
    d.partner_share = 0.2;
    test::add_deal(s, d);
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    for (const auto& y : l.years) EXPECT_EQ(y.distribution, 0.0);
    EXPECT_NEAR(l.years[2].fund_balance, 55.5, 1e-12);
    EXPECT_NEAR(l.terminal_to_partner, 11.1, 1e-12);
    EXPECT_NEAR(l.terminal_to_host, 44.4, 1e-12);
}

// A deal may override a regime: deal "higher royalty" replaces regime 0 (royalty 10%) by one with
// 20%. A project (capacity 10, price 100, capex 0, lead 1) then pays 200 a year from year 1 under
// that deal and 100 under the other; project_cashflow with options.deal shows the same.
TEST(EngineDeal, RegimeOverrideChangesOnlyThatDeal) {
    Scenario s = test::deterministic_world(3);
    s.world.regimes[0] = test::concession(0.10);
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 100.0, 0.0, 0.0, 1.0, 0));
    test::add_deal(s, test::make_deal("plain", 0.0));
    Deal o = test::make_deal("higher royalty", 0.0);
    o.regime_overrides = {{0, test::concession(0.20)}};
    test::add_deal(s, o);
    EXPECT_NEAR(ledger_for_path(s, 0, 1, 0).years[1].host_revenue, 100.0, 1e-9);
    EXPECT_NEAR(ledger_for_path(s, 1, 1, 0).years[1].host_revenue, 200.0, 1e-9);
    CashflowOptions options;
    options.deal = 1;
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, options);
    const CashflowYear* r = test::row_for(cf, test::start_year + 1);
    ASSERT_NE(r, nullptr);
    EXPECT_NEAR(r->royalty, 200.0, 1e-9);
}

// cap_year is the year the cap is first reached, even if support raises it again later. Host
// revenue 60 (volume 0.6, royalty 100%), share 1, cap 100, cap_growth_per_support 1, cash 50 in
// year 2 only: t0 60; t1 40 (cap 100 reached in 2026); t2 cap 150 -> 50; t3 0.
TEST(EngineDeal, CapYearIsFirstReachEvenIfCapGrowsLater) {
    Scenario s = test::deterministic_world(4);
    test::add_stream(s, test::make_stream(0, 0, 0.6, 1.0));
    Deal d = test::make_deal("d", 1.0);
    d.cap = 100.0;
    d.cap_growth_per_support = 1.0;
    d.partner_support.cash = {0.0, 0.0, 50.0, 0.0};
    test::add_deal(s, d);
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    const double expected[] = {60, 40, 50, 0};
    for (std::size_t t = 0; t < 4; ++t) EXPECT_NEAR(l.years[t].contribution, expected[t], 1e-9);
    EXPECT_NEAR(l.years[2].cap, 150.0, 1e-12);
    EXPECT_DOUBLE_EQ(simulate(s, test::run_options(1)).deals[0].cap_year[0], 2026.0);
}

}  // namespace
}  // namespace nadra
