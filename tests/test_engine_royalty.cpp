// Royalty schedules (MODEL.md 3.6): constant rates, whole and marginal price bands, and a
// stream paying royalty on a band table through the engine.
#include <gtest/gtest.h>

#include "scenario_builders.hpp"

namespace nadra {
namespace {

// Ukraine's gas rent as MODEL.md 3.6 states it: 14.5% of the price below 150 (whole band from
// 0), 29% from 150 to 400 (whole band), and a marginal band of 65% above 400.
RoyaltySchedule ukraine_gas_rent() {
    RoyaltySchedule s;
    s.bands = {{0.0, 0.145, BandMode::whole},
               {150.0, 0.29, BandMode::whole},
               {400.0, 0.65, BandMode::marginal}};
    return s;
}

TEST(EngineRoyaltyBands, UkraineGasRentPublishedPoints) {
    const RoyaltySchedule s = ukraine_gas_rent();
    // 120: whole band 14.5%: 0.145 * 120 = 17.4
    EXPECT_NEAR(s.per_unit(120.0), 17.4, 1e-9);
    // 300: whole band 29%: 0.29 * 300 = 87
    EXPECT_NEAR(s.per_unit(300.0), 87.0, 1e-9);
    // 500: band below at 400 gives 0.29 * 400 = 116, plus 0.65 * (500 - 400) = 65 -> 181
    EXPECT_NEAR(s.per_unit(500.0), 181.0, 1e-9);
    // 1000: 116 + 0.65 * 600 = 506
    EXPECT_NEAR(s.per_unit(1000.0), 506.0, 1e-9);
}

TEST(EngineRoyaltyBands, LowerBoundsAreInclusive) {
    const RoyaltySchedule s = ukraine_gas_rent();
    // 150 falls in the 29% band: 0.29 * 150 = 43.5 (not 0.145 * 150 = 21.75)
    EXPECT_NEAR(s.per_unit(150.0), 43.5, 1e-9);
    // 400 falls in the marginal band: 116 + 0.65 * 0 = 116, the same as 0.29 * 400
    EXPECT_NEAR(s.per_unit(400.0), 116.0, 1e-9);
    // just below 150: 0.145 * 149 = 21.605
    EXPECT_NEAR(s.per_unit(149.0), 21.605, 1e-9);
}

TEST(EngineRoyaltyBands, NoRoyaltyBelowTheFirstBand) {
    RoyaltySchedule s;
    s.bands = {{50.0, 0.1, BandMode::whole}, {100.0, 0.2, BandMode::whole}};
    EXPECT_DOUBLE_EQ(s.per_unit(40.0), 0.0);
    // 60: 0.1 * 60 = 6
    EXPECT_NEAR(s.per_unit(60.0), 6.0, 1e-12);
}

TEST(EngineRoyaltyBands, AllMarginalIsTheSliceScheme) {
    // Slices: 0% up to 100, 10% on 100..200, 30% above 200. At 250:
    // 0 + 0.1 * 100 + 0.3 * 50 = 25.
    RoyaltySchedule s;
    s.bands = {{0.0, 0.0, BandMode::marginal},
               {100.0, 0.1, BandMode::marginal},
               {200.0, 0.3, BandMode::marginal}};
    EXPECT_NEAR(s.per_unit(250.0), 25.0, 1e-12);
    // at 150: 0.1 * 50 = 5
    EXPECT_NEAR(s.per_unit(150.0), 5.0, 1e-12);
}

TEST(EngineRoyaltyBands, ConstantRateAndOnRevenue) {
    RoyaltySchedule c;
    c.rate = 0.07;
    EXPECT_NEAR(c.per_unit(200.0), 14.0, 1e-12);
    // on_revenue = per_unit(p) / p * R: 0.07 * 1000 = 70
    EXPECT_NEAR(c.on_revenue(200.0, 1000.0), 70.0, 1e-12);
    // the band table at p = 500 has an average rate 181 / 500 = 0.362: on R = 900 -> 325.8
    EXPECT_NEAR(ukraine_gas_rent().on_revenue(500.0, 900.0), 325.8, 1e-9);
    EXPECT_DOUBLE_EQ(c.on_revenue(0.0, 0.0), 0.0);
}

// A gas stream paying the band table through the engine. Price 500 flat, volume 2,
// realisation 0.9: R = 2 * 500 * 0.9 = 900; the band is chosen on the benchmark 500, so
// royalty = 181 / 500 * 900 = 325.8 each year (no profit takes).
TEST(EngineRoyaltyBands, StreamPaysBandRoyaltyOnBenchmarkPrice) {
    Scenario s = test::deterministic_world(3);
    s.world.commodities[0].price0 = 500;
    s.world.commodities[0].level = 500;
    Stream st = test::make_stream(0, 0, 2.0, 0.0);
    st.royalty = ukraine_gas_rent();
    st.realisation = 0.9;
    test::add_stream(s, st);
    test::add_deal(s, test::make_deal("d", 0.0));
    const PathLedger ledger = ledger_for_path(s, 0, 1, 0);
    ASSERT_EQ(ledger.years.size(), 3U);
    for (const auto& y : ledger.years) EXPECT_NEAR(y.host_revenue, 325.8, 1e-9);
}

}  // namespace
}  // namespace nadra
