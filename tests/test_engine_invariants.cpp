// The invariants of MODEL.md 6 on a random world (volatile prices, conflict, uncertain projects,
// stochastic fund returns and support): the ledger balances, the cap holds, contributions stay
// within share * scoped revenue, contributions are monotone in share and cap, and results are
// bit-identical across thread counts, deal subsets and path counts.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "scenario_builders.hpp"

namespace nadra {
namespace {

constexpr int horizon = 15;

Scenario random_world() {
    Scenario s = test::deterministic_world(horizon);
    World& w = s.world;
    w.inflation = 0.02;
    w.host_discount_rate = 0.05;
    w.partner_discount_rate = 0.03;
    w.investor.hurdle_rate = 0.08;
    w.investor.country_risk_premium = 0.06;
    w.guarantee.renew_hazard_multiplier = 0.5;
    w.guarantee.risk_premium_multiplier = 0.5;
    w.fund.initial = 50;
    w.fund.return_mean = 0.03;
    w.fund.return_sigma = 0.12;
    w.conflict.initial_war = true;
    w.conflict.end_hazard = {0.2, 0.3, 0.4};
    w.conflict.renew_hazard = {0.1};
    w.conflict.war_disruption = 0.3;
    w.conflict.liberation_probability = 0.3;

    Commodity& ore = w.commodities[0];
    ore.drift = 0.01;
    ore.sigma = 0.25;
    ore.kappa = 0.1;
    ore.level = 110;
    const int gas = test::add_commodity(s, "gas", 300.0, 0.0, 0.35, 0.3, 350.0);
    w.correlation = {1.0, 0.5, 0.5, 1.0};

    const int front = test::add_region(s, "front", RegionStatus::frontline);
    const int occ = test::add_region(s, "occupied", RegionStatus::occupied, 0.5);

    w.regimes[0] = test::concession(0.05, 0.18, 5, 0.10);
    Regime psa =
        test::production_sharing(0.03, 0.6, LimitBase::revenue_minus_royalty, 0.0, 0.18, 4);
    psa.profit_split.table = {{1.0, 0.3}, {1.5, 0.5}, {2.0, 0.65}};
    const int psa_index = test::add_regime(s, psa);
    Regime gas_regime = test::concession(0.0, 0.18, 5, 0.0);
    gas_regime.royalty.bands = {{0.0, 0.145, BandMode::whole},
                                {150.0, 0.29, BandMode::whole},
                                {400.0, 0.65, BandMode::marginal}};
    const int gas_regime_index = test::add_regime(s, gas_regime);

    Project a = test::make_project(0, 0, 0, 20.0, 300.0, 3000.0, 25.0, 2.0, 0);
    a.lead_time = Triangular{1.0, 2.0, 4.0};
    a.viability = 0.7;
    a.capex_sigma = 0.2;
    a.opex_sigma = 0.1;
    a.ramp_years = 2;
    a.licence_fee = 40;
    test::add_project(s, a);
    Project b = test::make_project(0, front, psa_index, 15.0, 200.0, 2000.0, 30.0, 1.0, 2);
    b.lead_time = Triangular{0.0, 1.0, 3.0};
    b.viability = 0.8;
    b.capex_sigma = 0.3;
    b.state_equity = 0.2;
    test::add_project(s, b);
    Project c = test::make_project(gas, occ, gas_regime_index, 5.0, 60.0, 800.0, 40.0, 1.0, 1);
    c.lead_time = Triangular{0.0, 1.0, 2.0};
    test::add_project(s, c);

    Stream g = test::make_stream(gas, 0, 10.0, 0.0, 0.18, 0.3, 120.0);
    g.royalty = gas_regime.royalty;
    g.volume_growth = -0.02;
    g.realisation = 0.8;
    test::add_stream(s, g);
    Stream iron = test::make_stream(0, front, 30.0, 0.05, 0.18, 0.2, 60.0);
    iron.volume_growth = 0.03;
    test::add_stream(s, iron);
    test::add_stream(s, test::make_stream(0, occ, 8.0, 0.05, 0.18, 0.2, 50.0));

    // deal 0: capped, growing cap, stochastic support, partner first, pro rata
    Deal base = test::make_deal("base", 0.3);
    base.cap = 2000.0;
    base.cap_growth_per_support = 1.0;
    base.partner_support.cash = {100.0, 80.0, 50.0};
    base.partner_support.in_kind = {200.0};
    base.partner_support.continuation_probability = 0.8;
    base.lock_years = 3;
    base.payout_rate = 0.6;
    base.ownership = Ownership::pro_rata;
    base.in_kind_counts = true;
    base.waterfall = Waterfall::partner_first;
    base.recoup_rate = 0.05;
    base.partner_initial_capital = 500.0;
    test::add_deal(s, base);
    Deal more_share = base;  // deal 1
    more_share.name = "more share";
    more_share.share = 0.5;
    test::add_deal(s, more_share);
    Deal more_cap = base;  // deal 2
    more_cap.name = "more cap";
    more_cap.cap = 4000.0;
    test::add_deal(s, more_cap);
    Deal royalty = test::make_deal("royalty, term", 0.4);  // deal 3
    royalty.scope.items = {RevenueItem::royalty, RevenueItem::licence_fee};
    royalty.term_years = 8;
    royalty.share_liberated = 0.6;
    royalty.partner_share = 0.35;
    royalty.partner_support.cash = {30.0};
    test::add_deal(s, royalty);
    Deal guarantee = base;  // deal 4: changes the world (conflict, investment decisions)
    guarantee.name = "guarantee";
    guarantee.security_guarantee = true;
    guarantee.renew_hazard_multiplier = 1.5;
    test::add_deal(s, guarantee);
    return s;
}

double max_share(const Deal& d) { return std::max(d.share, d.share_liberated.value_or(0.0)); }

TEST(EngineInvariants, LedgerBalancesAndCapHoldsOnEveryPath) {
    const Scenario s = random_world();
    const SimulationResult r = simulate(s, test::run_options(200, 5, 2));
    ASSERT_EQ(r.deals.size(), s.deals.size());
    ASSERT_EQ(r.horizon, horizon);
    for (std::size_t d = 0; d < s.deals.size(); ++d) {
        const Deal& deal = s.deals[d];
        for (std::int64_t path = 0; path < 200; ++path) {
            SCOPED_TRACE(testing::Message() << "deal " << d << " path " << path);
            const PathLedger l = ledger_for_path(s, static_cast<int>(d), 5, path);
            ASSERT_EQ(l.years.size(), static_cast<std::size_t>(horizon));
            // initial + contributions + partner cash + returns = distributions + final balance
            double in = s.world.fund.initial, out = 0, cum = 0, scale = s.world.fund.initial;
            double h = 0;
            for (std::size_t t = 0; t < l.years.size(); ++t) {
                const LedgerYear& y = l.years[t];
                in += y.contribution + y.partner_cash + y.fund_return;
                out += y.distribution;
                scale += std::abs(y.contribution) + y.partner_cash + std::abs(y.fund_return);
                cum += y.contribution;
                h += y.host_revenue;
                EXPECT_GE(y.contribution, 0.0);
                EXPECT_LE(cum, y.cap * (1 + 1e-12));
                EXPECT_LE(y.contribution, max_share(deal) * y.scoped_revenue * (1 + 1e-12) + 1e-12);
                EXPECT_LE(y.scoped_revenue, y.host_revenue * (1 + 1e-12) + 1e-12);
                EXPECT_NEAR(y.distribution, y.to_host + y.to_partner, 1e-9 * scale);
                if (static_cast<int>(t) < deal.lock_years) {
                    EXPECT_EQ(y.distribution, 0.0);
                }
                if (deal.term_years && static_cast<int>(t) >= *deal.term_years) {
                    EXPECT_EQ(y.contribution, 0.0);
                }
            }
            out += l.years.back().fund_balance;
            EXPECT_NEAR(in, out, 1e-9 * scale);
            EXPECT_NEAR(l.terminal_to_host + l.terminal_to_partner, l.years.back().fund_balance,
                        1e-9 * scale);
            // simulate() agrees with the path's ledger
            const DealPaths& p = r.deals[d];
            const auto k = static_cast<std::size_t>(path);
            EXPECT_NEAR(p.host_contributions[k], cum, 1e-9 * (1 + cum));
            if (h > 0) {
                EXPECT_NEAR(p.share_ceded[k], cum / h, 1e-9);
            }
            for (std::size_t t = 0; t < static_cast<std::size_t>(horizon); ++t) {
                EXPECT_NEAR(p.fund_balance[k * horizon + t], l.years[t].fund_balance, 1e-9 * scale);
            }
            if (deal.cap && cum >= l.years.back().cap * (1 - 1e-12)) {
                EXPECT_FALSE(std::isnan(p.cap_year[k]));
            }
        }
    }
}

// host_value, partner_value and host_kept recomputed from each path's ledger (MODEL.md 5).
TEST(EngineInvariants, MetricsFollowFromLedger) {
    const Scenario s = random_world();
    const SimulationResult r = simulate(s, test::run_options(50, 6, 2));
    const double rh = s.world.host_discount_rate, rp = s.world.partner_discount_rate;
    for (std::size_t d = 0; d < s.deals.size(); ++d) {
        for (std::int64_t path = 0; path < 50; ++path) {
            SCOPED_TRACE(testing::Message() << "deal " << d << " path " << path);
            const PathLedger l = ledger_for_path(s, static_cast<int>(d), 6, path);
            std::vector<double> host, partner, revenue, contribution, in_kind;
            for (const auto& y : l.years) {
                host.push_back(y.host_revenue - y.contribution + y.to_host);
                partner.push_back(y.to_partner - y.partner_cash);
                revenue.push_back(y.host_revenue);
                contribution.push_back(y.contribution);
                in_kind.push_back(y.partner_in_kind);
            }
            const double host_value =
                test::npv(host, rh) + l.terminal_to_host * std::pow(1 + rh, -horizon);
            const double partner_value =
                test::npv(partner, rp) + l.terminal_to_partner * std::pow(1 + rp, -horizon);
            const DealPaths& p = r.deals[d];
            const auto k = static_cast<std::size_t>(path);
            const double tol = 1e-9 * (1 + std::abs(test::npv(revenue, rh)));
            EXPECT_NEAR(p.host_value[k], host_value, tol);
            EXPECT_NEAR(p.partner_value[k], partner_value, tol);
            EXPECT_NEAR(p.host_revenue[k], test::npv(revenue, rh), tol);
            EXPECT_NEAR(p.host_kept[k], test::npv(revenue, rh) - test::npv(contribution, rh), tol);
            EXPECT_NEAR(p.in_kind_support_npv[k], test::npv(in_kind, rp), tol);
        }
    }
}

// MODEL.md 4.2 path by path from the ledger: host_total_value = host_value + support_value x the
// NPV at the host's rate of the in-kind support paid on the path (support stops at random), and
// partner_net_value = partner_value - support_cost x in_kind_support_npv (the partner's rate).
// The rates differ (5% and 3%), so the host's term at the partner's rate would fail the check.
TEST(EngineInvariants, SupportValuesFollowFromLedger) {
    Scenario s = random_world();
    s.world.host_support_value = 0.7;
    s.world.partner_support_cost = 0.6;
    const SimulationResult r = simulate(s, test::run_options(50, 6, 2));
    const double rh = s.world.host_discount_rate, rp = s.world.partner_discount_rate;
    int stopped = 0, rates_apart = 0;
    for (std::size_t d = 0; d < s.deals.size(); ++d) {
        for (std::int64_t path = 0; path < 50; ++path) {
            SCOPED_TRACE(testing::Message() << "deal " << d << " path " << path);
            const PathLedger l = ledger_for_path(s, static_cast<int>(d), 6, path);
            std::vector<double> in_kind;
            for (const auto& y : l.years) in_kind.push_back(y.partner_in_kind);
            stopped += !in_kind.empty() && in_kind.front() > 0 && in_kind.back() == 0;
            const DealPaths& p = r.deals[d];
            const auto k = static_cast<std::size_t>(path);
            const double at_host_rate = test::npv(in_kind, rh);
            const double at_partner_rate = test::npv(in_kind, rp);
            const double tol = 1e-9 * (1 + std::abs(p.host_value[k]) + at_partner_rate);
            rates_apart += 0.7 * std::abs(at_host_rate - at_partner_rate) > 1e3 * tol;
            EXPECT_NEAR(p.host_total_value[k], p.host_value[k] + 0.7 * at_host_rate, tol);
            EXPECT_NEAR(p.partner_net_value[k], p.partner_value[k] - 0.6 * at_partner_rate, tol);
            EXPECT_NEAR(p.in_kind_support_npv[k], at_partner_rate, tol);
        }
    }
    EXPECT_GT(stopped, 0);      // support stopped on some paths: the NPV is the path's own
    EXPECT_GT(rates_apart, 0);  // the wrong rate would show
}

// Support values at their default 0: host_total_value is host_value and partner_net_value is
// partner_value, bit for bit, on every path of every deal.
TEST(EngineInvariants, SupportValuedAtZeroChangesNothing) {
    const Scenario s = random_world();
    ASSERT_EQ(s.world.host_support_value, 0.0);
    ASSERT_EQ(s.world.partner_support_cost, 0.0);
    const SimulationResult r = simulate(s, test::run_options(200, 8, 2));
    for (const DealPaths& p : r.deals) {
        for (std::size_t k = 0; k < p.host_value.size(); ++k) {
            EXPECT_EQ(p.host_total_value[k], p.host_value[k]) << "deal " << p.deal << " path " << k;
            EXPECT_EQ(p.partner_net_value[k], p.partner_value[k])
                << "deal " << p.deal << " path " << k;
        }
    }
}

// On a fixed world a larger share or a larger cap never lowers any path's cumulative
// contributions: deals 1 (share 0.5) and 2 (cap 4000) against deal 0 (share 0.3, cap 2000).
TEST(EngineInvariants, ContributionsMonotoneInShareAndCap) {
    const Scenario s = random_world();
    const SimulationResult r = simulate(s, test::run_options(1000, 7, 2));
    const auto& base = r.deals[0].host_contributions;
    const auto& share = r.deals[1].host_contributions;
    const auto& cap = r.deals[2].host_contributions;
    int strictly = 0;
    for (std::size_t k = 0; k < base.size(); ++k) {
        EXPECT_GE(share[k], base[k] * (1 - 1e-12)) << "path " << k;
        EXPECT_GE(cap[k], base[k] * (1 - 1e-12)) << "path " << k;
        strictly += share[k] > base[k] ? 1 : 0;
    }
    EXPECT_GT(strictly, 0);  // the comparison is not vacuous
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

void expect_same_bits(const DealPaths& a, const DealPaths& b) {
    EXPECT_EQ(a.deal, b.deal);
    EXPECT_TRUE(same_bits(a.host_value, b.host_value));
    EXPECT_TRUE(same_bits(a.partner_value, b.partner_value));
    EXPECT_TRUE(same_bits(a.in_kind_support_npv, b.in_kind_support_npv));
    EXPECT_TRUE(same_bits(a.host_contributions, b.host_contributions));
    EXPECT_TRUE(same_bits(a.host_revenue, b.host_revenue));
    EXPECT_TRUE(same_bits(a.host_kept, b.host_kept));
    EXPECT_TRUE(same_bits(a.share_ceded, b.share_ceded));
    EXPECT_TRUE(same_bits(a.cap_year, b.cap_year));
    EXPECT_TRUE(same_bits(a.host_total_value, b.host_total_value));
    EXPECT_TRUE(same_bits(a.partner_net_value, b.partner_net_value));
    EXPECT_TRUE(same_bits(a.fund_balance, b.fund_balance));
}

TEST(EngineDeterminism, BitIdenticalForOneTwoAndEightThreads) {
    const Scenario s = random_world();
    const SimulationResult one = simulate(s, test::run_options(600, 21, 1));
    const SimulationResult two = simulate(s, test::run_options(600, 21, 2));
    const SimulationResult eight = simulate(s, test::run_options(600, 21, 8));
    ASSERT_EQ(one.deals.size(), s.deals.size());
    for (std::size_t d = 0; d < one.deals.size(); ++d) {
        SCOPED_TRACE(d);
        expect_same_bits(one.deals[d], two.deals[d]);
        expect_same_bits(one.deals[d], eight.deals[d]);
    }
    // another seed gives other numbers
    const SimulationResult other = simulate(s, test::run_options(600, 22, 2));
    EXPECT_FALSE(same_bits(one.deals[0].host_value, other.deals[0].host_value));
}

// A deal's result on path k depends neither on which other deals run nor on how many paths.
TEST(EngineDeterminism, IndependentOfDealSubsetAndPathCount) {
    const Scenario s = random_world();
    const SimulationResult all = simulate(s, test::run_options(500, 31, 2));
    RunOptions subset = test::run_options(500, 31, 2);
    subset.deals = {3, 0};
    const SimulationResult some = simulate(s, subset);
    ASSERT_EQ(some.deals.size(), 2U);
    EXPECT_EQ(some.deals[0].deal, 3);
    EXPECT_EQ(some.deals[1].deal, 0);
    expect_same_bits(some.deals[0], all.deals[3]);
    expect_same_bits(some.deals[1], all.deals[0]);

    const SimulationResult fewer = simulate(s, test::run_options(137, 31, 2));
    ASSERT_EQ(fewer.paths, 137);
    for (std::size_t d = 0; d < s.deals.size(); ++d) {
        const DealPaths& a = fewer.deals[d];
        const DealPaths& b = all.deals[d];
        const auto prefix = [](const std::vector<double>& v, std::size_t n) {
            return std::vector<double>(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n));
        };
        EXPECT_TRUE(same_bits(a.host_value, prefix(b.host_value, 137))) << d;
        EXPECT_TRUE(same_bits(a.partner_value, prefix(b.partner_value, 137))) << d;
        EXPECT_TRUE(same_bits(a.host_contributions, prefix(b.host_contributions, 137))) << d;
        EXPECT_TRUE(same_bits(a.cap_year, prefix(b.cap_year, 137))) << d;
        EXPECT_TRUE(same_bits(a.fund_balance, prefix(b.fund_balance, 137 * horizon))) << d;
    }
}

TEST(EngineDeterminism, KeepFundPathsFalseLeavesFundBalanceEmpty) {
    const Scenario s = random_world();
    RunOptions o = test::run_options(20, 1, 1);
    o.keep_fund_paths = false;
    const SimulationResult r = simulate(s, o);
    EXPECT_TRUE(r.deals[0].fund_balance.empty());
    EXPECT_EQ(r.deals[0].host_value.size(), 20U);
}

TEST(EngineDeterminism, ProgressCanCancel) {
    const Scenario s = random_world();
    const Progress stop = [](std::int64_t, std::int64_t) { return false; };
    EXPECT_THROW(simulate(s, test::run_options(2000, 1, 2), stop), Cancelled);
}

// Common random numbers: deals 0 to 3 change nothing in the world, so every path's host revenue
// (prices, conflict, projects started) is the same, bit for bit, under each of them.
TEST(EngineInvariants, DealsThatLeaveTheWorldAloneSeeTheSameRevenue) {
    const Scenario s = random_world();
    const SimulationResult r = simulate(s, test::run_options(300, 8, 2));
    for (std::size_t d = 1; d < 4; ++d) {
        EXPECT_TRUE(same_bits(r.deals[0].host_revenue, r.deals[d].host_revenue)) << d;
    }
    // the guarantee deal changes the world: its revenue differs on some path
    EXPECT_FALSE(same_bits(r.deals[0].host_revenue, r.deals[4].host_revenue));
}

}  // namespace
}  // namespace nadra
