// Sweeps, the Pareto frontier, the zone of agreement and breakevens on cases computed by hand
// (MODEL.md 4's ledger with payout 1: the fund passes everything through each year).
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "analysis/negotiation.hpp"
#include "analysis_makers.hpp"
#include "scenario_builders.hpp"

namespace nadra {
namespace {

using namespace nadra::test;

constexpr int years = 10;
constexpr double royalty_per_year = 100 * 1e6 * 0.1;  // price x volume x royalty rate: R
constexpr double partner_share = 0.5;                 // phi

// R = 1e7 a year of royalty from one stream; "no_deal" takes nothing; "deal" takes `share` of
// it into a fund owned half by the partner that pays out everything every year.
Scenario two_deal_world(double share = 0.2, double sigma = 0) {
    Scenario s = deterministic_world(years);
    s.world.commodities[0].sigma = sigma;
    add_stream(s, make_stream(0, 0, 1e6, 0.1));
    add_deal(s, make_deal("no_deal", 0.0));
    Deal d = make_deal("deal", share);
    d.partner_share = partner_share;
    d.payout_rate = 1;
    add_deal(s, d);
    return s;
}

SweepOptions sweep_options(std::vector<SweepAxis> axes, std::int64_t paths = 1, int threads = 1) {
    SweepOptions o;
    o.deals = {"deal"};
    o.baseline = "no_deal";
    o.axes = std::move(axes);
    o.run = run_options(paths, 7, threads);
    return o;
}

TEST(SweepAxis, RangesIncludeBothEndsAndPrintCleanly) {
    std::string error;
    const auto axis = parse_sweep_axis("share=0.1:0.9:0.05", error);
    ASSERT_TRUE(axis) << error;
    EXPECT_EQ(axis->key, "share");
    ASSERT_EQ(axis->values.size(), 17u);
    EXPECT_EQ(axis->values.front(), "0.1");
    EXPECT_EQ(axis->values[3], "0.25");  // 0.1 + 3 * 0.05, not 0.25000000000000006
    EXPECT_EQ(axis->values.back(), "0.9");
    const auto list = parse_sweep_axis(" cap = none, 2e11 ,5e11", error);
    ASSERT_TRUE(list) << error;
    EXPECT_EQ(list->key, "cap");
    EXPECT_EQ(list->values, (std::vector<std::string>{"none", "2e11", "5e11"}));
}

TEST(SweepAxis, MalformedAxesSayWhatIsWrong) {
    for (const auto& [text, expected] : std::vector<std::pair<std::string, std::string>>{
             {"share", "expected KEY=FROM:TO:STEP"},
             {"=0.1", "no key"},
             {"share=1:0:0.1", "FROM <= TO"},
             {"share=0:1:0", "STEP > 0"},
             {"share=0:1", "FROM:TO:STEP"},
             {"share=a:1:0.1", "'a' is not a number"},
             {"cap=1,,2", "an empty value"},
             {"share=0:1:1e-9", "use a larger step"},
         }) {
        std::string error;
        EXPECT_FALSE(parse_sweep_axis(text, error)) << text;
        EXPECT_NE(error.find(expected), std::string::npos) << text << " -> " << error;
    }
}

// Host gain -T phi s R, partner gain +T phi s R: linear in s, zero-sum, so every variant is on
// the frontier and none is in the zone (the host never gains).
TEST(Sweep, ValuesAreLinearInShareOnADeterministicWorld) {
    std::string error;
    const auto axis = parse_sweep_axis("share=0:1:0.25", error);
    const SweepResult r = sweep(maker_of(two_deal_world()), sweep_options({*axis}));
    ASSERT_EQ(r.variants.size(), 5u);
    EXPECT_DOUBLE_EQ(r.baseline_host.mean, years * royalty_per_year);
    EXPECT_DOUBLE_EQ(r.baseline_partner.mean, 0.0);
    for (std::size_t i = 0; i < r.variants.size(); ++i) {
        const SweepVariant& v = r.variants[i];
        const double s = 0.25 * static_cast<double>(i);
        EXPECT_EQ(v.settings.at(0).value,
                  std::vector<std::string>({"0", "0.25", "0.5", "0.75", "1"})[i]);
        EXPECT_NEAR(v.host_gain.mean, -years * partner_share * s * royalty_per_year, 1e-6);
        EXPECT_NEAR(v.partner_gain.mean, years * partner_share * s * royalty_per_year, 1e-6);
        EXPECT_NEAR(v.host.mean, years * royalty_per_year * (1 - partner_share * s), 1e-6);
        EXPECT_EQ(v.host_gain.se, 0.0);
        EXPECT_TRUE(v.on_frontier) << i;
        EXPECT_FALSE(v.in_zone) << i;
    }
}

// With a fund return of 10% and payout 0 the fund compounds to the horizon: more for both than
// paying out each year. Terminal balance B = s R (1.1^T - 1) / 0.1, split half and half.
//   share 0.2, payout 1: host 1e8 - 0.5 * 0.2e8 = 9.0e7,        partner 1.0e7
//   share 0.4, payout 1: host 1e8 - 0.5 * 0.4e8 = 8.0e7,        partner 2.0e7
//   share 0.2, payout 0: host 1e8 - 0.2e8 + B/2 = 9.59374e7,    partner B/2 = 1.59374e7
//   share 0.4, payout 0: host 1e8 - 0.4e8 + B/2 = 9.18748e7,    partner 3.18748e7
// Both payout-1 variants are dominated (by share 0.2, payout 0); the payout-0 ones trade off.
TEST(Sweep, FrontierMatchesTheOneComputedByHand) {
    Scenario world = two_deal_world();
    world.world.fund.return_mean = std::log(1.1);
    std::string error;
    const SweepResult r =
        sweep(maker_of(world), sweep_options({*parse_sweep_axis("share=0.2,0.4", error),
                                              *parse_sweep_axis("payout_rate=1,0", error)}));
    ASSERT_EQ(r.variants.size(), 4u);
    const double annuity = (std::pow(1.1, years) - 1) / 0.1;
    const double expected_host[] = {9.0e7, 1e8 - 0.2e8 + 0.5 * 0.2e7 * annuity, 8.0e7,
                                    1e8 - 0.4e8 + 0.5 * 0.4e7 * annuity};
    const double expected_partner[] = {1.0e7, 0.5 * 0.2e7 * annuity, 2.0e7, 0.5 * 0.4e7 * annuity};
    const bool expected_frontier[] = {false, true, false, true};
    for (std::size_t i = 0; i < 4; ++i) {
        EXPECT_NEAR(r.variants[i].host.mean, expected_host[i], 1e-6 * expected_host[i]) << i;
        EXPECT_NEAR(r.variants[i].partner.mean, expected_partner[i], 1e-6 * expected_partner[i])
            << i;
        EXPECT_EQ(r.variants[i].on_frontier, expected_frontier[i]) << i;
    }
    EXPECT_EQ(r.variants[1].settings.at(1).value, "0");
}

TEST(Sweep, ZoneNeedsBothGainsAboveTwoStandardErrors) {
    const auto variant = [](double host, double host_se, double partner, double partner_se) {
        SweepVariant v;
        v.host = {host, 0};
        v.partner = {partner, 0};
        v.host_gain = {host, host_se};
        v.partner_gain = {partner, partner_se};
        return v;
    };
    std::vector<SweepVariant> variants{
        variant(3, 1, 3, 1),      // 3 SE each: in the zone, dominated by nothing
        variant(2, 1, 2.5, 1),    // host exactly 2 SE: not in the zone; dominated by the first
        variant(5, 1, -1, 0.1),   // partner loses: not in the zone; on the frontier
        variant(3, 1, 3, 1),      // equal to the first: neither dominates the other
        variant(-1, 1, 10, 1),    // host loses; on the frontier
        variant(2.9, 1, 2.9, 1),  // in the zone, dominated
    };
    mark_frontier_and_zone(variants);
    const bool zone[] = {true, false, false, true, false, true};
    const bool frontier[] = {true, false, true, true, true, false};
    for (std::size_t i = 0; i < variants.size(); ++i) {
        EXPECT_EQ(variants[i].in_zone, zone[i]) << i;
        EXPECT_EQ(variants[i].on_frontier, frontier[i]) << i;
    }
}

// The Nash point on a hand-made grid: of the variants in the zone, the largest product of the
// gains on the basis asked for; a variant outside the zone is never picked, however large its
// product (two losses multiply to a large positive number); none with the zone empty.
TEST(Sweep, NashPointIsTheLargestProductOfGainsInTheZone) {
    const auto variant = [](double host, double partner, double host_total, double partner_net) {
        SweepVariant v;
        v.host = {100 + host, 0};
        v.partner = {partner, 0};
        v.host_gain = {host, 0.1};
        v.partner_gain = {partner, 0.1};
        v.host_total = {100 + host_total, 0};
        v.partner_net = {partner_net, 0};
        v.host_total_gain = {host_total, 0.1};
        v.partner_net_gain = {partner_net, 0.1};
        return v;
    };
    std::vector<SweepVariant> grid{
        variant(1, 4, 6, 1),      // money 4, total 6
        variant(3, 2, 1, 2),      // money 6, total 2
        variant(-9, -9, -9, -9),  // product 81, out of the zone on both bases
        variant(1.5, 4, 5, 1),    // money 6: equal to the second, which comes first; total 5
        variant(2, 2, 2, 2),      // money 4, total 4
    };
    mark_frontier_and_zone(grid, Basis::money);
    ASSERT_EQ(nash_point(grid, Basis::money), std::optional<std::size_t>(1));
    for (std::size_t i = 0; i < grid.size(); ++i) EXPECT_EQ(grid[i].nash, i == 1) << i;
    EXPECT_FALSE(grid[2].in_zone);

    mark_frontier_and_zone(grid, Basis::total);
    ASSERT_EQ(nash_point(grid, Basis::total), std::optional<std::size_t>(0));
    for (std::size_t i = 0; i < grid.size(); ++i) EXPECT_EQ(grid[i].nash, i == 0) << i;

    // An empty zone has no Nash point.
    std::vector<SweepVariant> losing{variant(-1, 2, -1, 2), variant(3, -1, 3, -1)};
    mark_frontier_and_zone(losing, Basis::money);
    EXPECT_FALSE(nash_point(losing, Basis::money));
    EXPECT_FALSE(losing[0].nash || losing[1].nash);
}

// --value total: in-kind support (2.5e6 a year for 10 years, rates 0: NPV 2.5e7) valued 1 by the
// host, costing the partner nothing. On money the support changes no value: each share's two
// in-kind variants tie and all four are on the frontier, the host loses in every one (no zone).
// With support valued, in-kind support beats none for the host at the same partner value, so the
// variants without it leave the frontier; the host gains 2.5e7 - 1e7 (share 0.2) and 2.5e7 - 2e7
// (share 0.4), the partner 1e7 and 2e7: both in the zone, and the Nash point is share 0.2
// (1.5e7 x 1e7 > 0.5e7 x 2e7).
TEST(Sweep, TotalValueChangesTheFrontierZoneAndNashPoint) {
    Scenario world = two_deal_world();
    world.world.host_support_value = 1;
    world.world.partner_support_cost = 0;
    std::string error;
    SweepOptions options =
        sweep_options({*parse_sweep_axis("share=0.2,0.4", error),
                       *parse_sweep_axis("partner_support.in_kind=0,2.5e6", error)});
    const SweepResult money = sweep(maker_of(world), options);
    options.basis = Basis::total;
    const SweepResult total = sweep(maker_of(world), options);
    ASSERT_EQ(money.variants.size(), 4u);
    ASSERT_EQ(total.variants.size(), 4u);
    EXPECT_EQ(money.basis, Basis::money);
    EXPECT_EQ(total.basis, Basis::total);
    const double host_total_gain[] = {-1e7, 1.5e7, -2e7, 0.5e7};
    const double partner_gain[] = {1e7, 1e7, 2e7, 2e7};
    const bool total_frontier[] = {false, true, false, true};
    const bool total_zone[] = {false, true, false, true};
    for (std::size_t i = 0; i < 4; ++i) {
        SCOPED_TRACE(i);
        const SweepVariant& m = money.variants[i];
        const SweepVariant& t = total.variants[i];
        // Both bases' estimates whatever the basis; only the marks differ.
        EXPECT_NEAR(m.host_gain.mean, i < 2 ? -1e7 : -2e7, 1e-6);
        EXPECT_NEAR(m.host_total_gain.mean, host_total_gain[i], 1e-6);
        EXPECT_NEAR(t.host_total_gain.mean, host_total_gain[i], 1e-6);
        EXPECT_NEAR(t.partner_net_gain.mean, partner_gain[i], 1e-6);
        EXPECT_EQ(t.host_gain.mean, m.host_gain.mean);
        EXPECT_TRUE(m.on_frontier);
        EXPECT_FALSE(m.in_zone);
        EXPECT_FALSE(m.nash);
        EXPECT_EQ(t.on_frontier, total_frontier[i]);
        EXPECT_EQ(t.in_zone, total_zone[i]);
        EXPECT_EQ(t.nash, i == 1);
    }
}

TEST(Sweep, RejectsUnknownDealsRepeatedAxesAndBadValuesBeforeRunning) {
    const ScenarioMaker make = maker_of(two_deal_world());
    std::string error;
    SweepOptions o = sweep_options({*parse_sweep_axis("share=0,1", error)});
    o.deals = {"dael"};
    EXPECT_THROW(sweep(make, o), VariantError);
    o = sweep_options(
        {*parse_sweep_axis("share=0,1", error), *parse_sweep_axis("share=0.5", error)});
    EXPECT_THROW(sweep(make, o), VariantError);
    o = sweep_options({*parse_sweep_axis("share=0,lots", error)});
    int runs = 0;
    const Progress count = [&](std::int64_t, std::int64_t) { return ++runs, true; };
    EXPECT_THROW(sweep(make, o, count), VariantError);
    EXPECT_EQ(runs, 0);
}

TEST(Sweep, ResultsAreIdenticalAtAnyThreadCount) {
    const ScenarioMaker make = maker_of(two_deal_world(0.2, 0.3));
    std::string error;
    const std::vector<SweepAxis> axes{*parse_sweep_axis("share=0.1:0.5:0.2", error),
                                      *parse_sweep_axis("partner_share=0.3,0.7", error)};
    const SweepResult one = sweep(make, sweep_options(axes, 300, 1));
    const SweepResult two = sweep(make, sweep_options(axes, 300, 2));
    ASSERT_EQ(one.variants.size(), two.variants.size());
    for (std::size_t i = 0; i < one.variants.size(); ++i) {
        EXPECT_EQ(one.variants[i].host_gain.mean, two.variants[i].host_gain.mean);
        EXPECT_EQ(one.variants[i].host_gain.se, two.variants[i].host_gain.se);
        EXPECT_EQ(one.variants[i].partner.mean, two.variants[i].partner.mean);
        EXPECT_EQ(one.variants[i].partner_gain.se, two.variants[i].partner_gain.se);
    }
    EXPECT_GT(one.variants[0].host_gain.se, 0.0);  // the world is random: the check has teeth
}

BreakevenOptions breakeven_options(std::int64_t paths, int threads = 1) {
    BreakevenOptions o;
    o.deal = "deal";
    o.baseline = "no_deal";
    o.param = "share";
    o.run = run_options(paths, 11, threads);
    return o;
}

// With cash support c a year paid into the fund, which pays everything out:
//   host gain    = T [(1 - phi) c - phi s R]
//   partner gain = T [phi s R - (1 - phi) c]
// both zero at s* = (1 - phi) c / (phi R) = 0.5e6 / 0.5e7 = 0.1.
TEST(Breakeven, FindsTheClosedFormShareOnADeterministicWorld) {
    Scenario world = two_deal_world();
    world.deals[1].partner_support.cash = {1e6};
    const BreakevenResult r = breakeven(maker_of(world), breakeven_options(1));
    ASSERT_EQ(r.parties.size(), 2u);
    for (const Breakeven& b : r.parties) {
        ASSERT_TRUE(b.value) << party_name(b.party);
        EXPECT_NEAR(*b.value, 0.1, 1e-9) << party_name(b.party);
        // No randomness, no interval.
        ASSERT_TRUE(b.ci_low && b.ci_high);
        EXPECT_NEAR(*b.ci_low, 0.1, 1e-9);
        EXPECT_NEAR(*b.ci_high, 0.1, 1e-9);
    }
    EXPECT_NEAR(r.parties[0].gain_at_low, years * 0.5e6, 1e-6);
    EXPECT_NEAR(r.parties[0].gain_at_high, years * (0.5e6 - 0.5e7), 1e-6);
}

// On a random world with S_p = the path's total royalty (host_revenue at rate 0), m its mean and
// sd its sample sd over n paths: the mean host gain is K - phi s m with K = T (1 - phi) c, and
// its standard error phi s sd / sqrt(n). So s* = K / (phi m), and the interval where
// |gain| <= z se is [K / (phi (m + z sd / sqrt n)), K / (phi (m - z sd / sqrt n))].
TEST(Breakeven, IntervalInvertsThePairedTestInClosedForm) {
    Scenario world = two_deal_world(0.2, 0.3);
    world.deals[1].partner_support.cash = {1e6};
    const std::int64_t n = 400;
    BreakevenOptions o = breakeven_options(n);
    const BreakevenResult r = breakeven(maker_of(world), o);

    RunOptions run = o.run;
    run.deals = {0};
    const SimulationResult base = simulate(world, run);
    const Estimate revenue = estimate(base.deals[0].host_revenue);
    const double sd = revenue.se * std::sqrt(static_cast<double>(n));
    ASSERT_GT(sd, 0.0);
    const double k = years * (1 - partner_share) * 1e6;
    const double shift = o.z * sd / std::sqrt(static_cast<double>(n));
    for (const Breakeven& b : r.parties) {
        ASSERT_TRUE(b.value && b.ci_low && b.ci_high) << party_name(b.party);
        EXPECT_NEAR(*b.value, k / (partner_share * revenue.mean), 1e-7) << party_name(b.party);
        EXPECT_NEAR(*b.ci_low, k / (partner_share * (revenue.mean + shift)), 1e-7);
        EXPECT_NEAR(*b.ci_high, k / (partner_share * (revenue.mean - shift)), 1e-7);
        EXPECT_LT(*b.ci_low, *b.value);
        EXPECT_GT(*b.ci_high, *b.value);
    }
}

TEST(Breakeven, SaysWhenAPartyPrefersOneSideOverTheWholeRange) {
    // No support: the host loses at every share above 0 and the partner gains.
    const BreakevenResult r = breakeven(maker_of(two_deal_world()), [] {
        BreakevenOptions o = breakeven_options(1);
        o.low = 0.1;
        return o;
    }());
    for (const Breakeven& b : r.parties) {
        EXPECT_FALSE(b.value) << party_name(b.party);
        EXPECT_FALSE(b.ci_low);
        EXPECT_FALSE(b.ci_high);
    }
    EXPECT_LT(r.parties[0].gain_at_low, 0.0);
    EXPECT_GT(r.parties[1].gain_at_high, 0.0);
}

TEST(Breakeven, IdenticalAtAnyThreadCount) {
    Scenario world = two_deal_world(0.2, 0.3);
    world.deals[1].partner_support.cash = {1e6};
    const BreakevenResult one = breakeven(maker_of(world), breakeven_options(300, 1));
    const BreakevenResult two = breakeven(maker_of(world), breakeven_options(300, 2));
    for (std::size_t i = 0; i < one.parties.size(); ++i) {
        EXPECT_EQ(one.parties[i].value, two.parties[i].value);
        EXPECT_EQ(one.parties[i].ci_low, two.parties[i].ci_low);
        EXPECT_EQ(one.parties[i].ci_high, two.parties[i].ci_high);
    }
}

}  // namespace
}  // namespace nadra
