// Conflict (MODEL.md 3.2, 3.3, 7): war and peace with hazards 0 or 1, access by region status,
// liberation, construction paused while a region is inaccessible, and common random numbers for
// a security guarantee.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "scenario_builders.hpp"

namespace nadra {
namespace {

std::vector<bool> war_years(const PathLedger& l) {
    std::vector<bool> w;
    for (const auto& y : l.years) w.push_back(y.war);
    return w;
}

TEST(EngineConflict, EndHazardOneEndsWarAfterYearZero) {
    Scenario s = test::deterministic_world(6);
    s.world.conflict.initial_war = true;
    s.world.conflict.end_hazard = {1.0};
    s.world.conflict.renew_hazard = {0.0};
    test::add_deal(s, test::make_deal("d", 0.0));
    for (std::int64_t path = 0; path < 20; ++path) {
        EXPECT_EQ(war_years(ledger_for_path(s, 0, 5, path)),
                  (std::vector<bool>{true, false, false, false, false, false}));
    }
}

TEST(EngineConflict, RenewHazardZeroPeaceLastsOneWarLasts) {
    Scenario s = test::deterministic_world(5);
    test::add_deal(s, test::make_deal("d", 0.0));
    for (std::int64_t path = 0; path < 20; ++path) {
        EXPECT_EQ(war_years(ledger_for_path(s, 0, 5, path)), std::vector<bool>(5, false));
    }
    // renew 1, end 0: peace in year 0, war from year 1 on
    s.world.conflict.renew_hazard = {1.0};
    EXPECT_EQ(war_years(ledger_for_path(s, 0, 5, 3)),
              (std::vector<bool>{false, true, true, true, true}));
    // renew 1, end 1: war and peace alternate
    s.world.conflict.end_hazard = {1.0};
    EXPECT_EQ(war_years(ledger_for_path(s, 0, 5, 3)),
              (std::vector<bool>{false, true, false, true, false}));
}

// Entry t of a hazard list governs the transition at the end of year t; the last entry repeats.
// end {0, 0, 1}: war in years 0, 1, 2, peace from 3. renew {0, 0, 0, 0, 1, 0}: war resumes in
// year 5 and, with end hazard 1 (last entry repeated), ends after it.
TEST(EngineConflict, PerYearHazardLists) {
    Scenario s = test::deterministic_world(8);
    s.world.conflict.initial_war = true;
    s.world.conflict.end_hazard = {0.0, 0.0, 1.0};
    s.world.conflict.renew_hazard = {0.0, 0.0, 0.0, 0.0, 1.0, 0.0};
    test::add_deal(s, test::make_deal("d", 0.0));
    EXPECT_EQ(war_years(ledger_for_path(s, 0, 1, 0)),
              (std::vector<bool>{true, true, true, false, false, true, false, false}));
}

// World modifiers: a deal with end_hazard_multiplier 0 never sees the war end (1 * 0 = 0); the
// world without it sees the war end after year 0.
TEST(EngineConflict, WorldModifierEndHazardMultiplier) {
    Scenario s = test::deterministic_world(4);
    s.world.conflict.initial_war = true;
    s.world.conflict.end_hazard = {1.0};
    test::add_deal(s, test::make_deal("plain", 0.0));
    Deal frozen = test::make_deal("frozen", 0.0);
    frozen.end_hazard_multiplier = 0.0;
    test::add_deal(s, frozen);
    EXPECT_EQ(war_years(ledger_for_path(s, 0, 1, 0)),
              (std::vector<bool>{true, false, false, false}));
    EXPECT_EQ(war_years(ledger_for_path(s, 1, 1, 0)), std::vector<bool>(4, true));
}

// Four streams, each its own commodity at 100, volume 1, royalty 100% (host revenue = 100 when
// fully accessible), each observed through a deal scoped to its commodity. War in years 0 and 1
// (end hazard {0, 1}), peace after.
//  frontline:             0, 0, 100, 100
//  free, disruption 0.4:  60, 60, 100, 100
//  free, override 0.1:    90, 90, 100, 100
//  occupied:              never with liberation 0; from year 2 (the first peace year) with 1.
Scenario regions_world(double liberation) {
    Scenario s = test::deterministic_world(4);
    s.world.conflict.initial_war = true;
    s.world.conflict.end_hazard = {0.0, 1.0};
    s.world.conflict.war_disruption = 0.4;
    s.world.conflict.liberation_probability = liberation;
    const int front = test::add_region(s, "front", RegionStatus::frontline);
    const int free2 = test::add_region(s, "free2", RegionStatus::free, 0.1);
    const int occ = test::add_region(s, "occupied", RegionStatus::occupied);
    const int regions[] = {front, 0, free2, occ};
    for (int i = 0; i < 4; ++i) {
        const std::string suffix = std::to_string(i);
        const int c = i == 0 ? 0 : test::add_commodity(s, std::string("c") + suffix, 100.0);
        test::add_stream(s, test::make_stream(c, regions[i], 1.0, 1.0));
        Deal d = test::make_deal(std::string("d") + suffix, 1.0);
        d.scope.commodities = {c};
        test::add_deal(s, d);
    }
    return s;
}

TEST(EngineConflict, AccessByRegionStatus) {
    const Scenario s = regions_world(0.0);
    const double expected[4][4] = {
        {0, 0, 100, 100}, {60, 60, 100, 100}, {90, 90, 100, 100}, {0, 0, 0, 0}};
    for (int d = 0; d < 4; ++d) {
        const PathLedger l = ledger_for_path(s, d, 3, 0);
        for (std::size_t t = 0; t < 4; ++t) {
            SCOPED_TRACE(testing::Message() << "deal " << d << " year " << t);
            EXPECT_NEAR(l.years[t].scoped_revenue, expected[d][t], 1e-9);
            const double all = expected[0][t] + expected[1][t] + expected[2][t] + expected[3][t];
            EXPECT_NEAR(l.years[t].host_revenue, all, 1e-9);
        }
    }
}

TEST(EngineConflict, LiberationTakesEffectInFirstPeaceYear) {
    const Scenario s = regions_world(1.0);
    for (std::int64_t path = 0; path < 10; ++path) {
        const PathLedger l = ledger_for_path(s, 3, 3, path);
        const double expected[] = {0, 0, 100, 100};
        for (std::size_t t = 0; t < 4; ++t)
            EXPECT_NEAR(l.years[t].scoped_revenue, expected[t], 1e-9);
    }
}

// share_liberated replaces share for assets in regions occupied at signing and liberated later.
// Deal over everything, share 0.2, share_liberated 0.5, liberation 1. Year 2 (peace):
// 0.2 * (100 + 100 + 100) + 0.5 * 100 = 110. Year 0 (war): 0.2 * (0 + 60 + 90) = 30.
TEST(EngineConflict, ShareLiberated) {
    Scenario s = regions_world(1.0);
    Deal d = test::make_deal("all", 0.2);
    d.share_liberated = 0.5;
    const int k = test::add_deal(s, d);
    const PathLedger l = ledger_for_path(s, k, 3, 0);
    EXPECT_NEAR(l.years[0].contribution, 30.0, 1e-9);
    EXPECT_NEAR(l.years[2].contribution, 110.0, 1e-9);
    EXPECT_NEAR(l.years[3].contribution, 110.0, 1e-9);
}

// In a lasting peace the line is frozen: no war ends, so nothing is liberated even with
// liberation probability 1.
TEST(EngineConflict, FrozenLineInLastingPeace) {
    Scenario s = test::deterministic_world(5);
    s.world.conflict.liberation_probability = 1.0;
    const int occ = test::add_region(s, "occupied", RegionStatus::occupied);
    test::add_stream(s, test::make_stream(0, occ, 1.0, 1.0));
    test::add_deal(s, test::make_deal("d", 0.0));
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    for (const auto& y : l.years) EXPECT_EQ(y.host_revenue, 0.0);
}

CashflowOptions path_options(std::int64_t path = 0) {
    CashflowOptions o;
    o.base = false;
    o.seed = 1;
    o.path = path;
    o.deal = -1;
    return o;
}

// A frontline project, war only in year 1 (initial peace; renew {1, 0}; end {1}). Lead time 2,
// capex 200, licence year 0: construction year 0 (capex 100), year 1 paused (no capex, no
// construction year passes), year 2 (capex 100), first production year 3. Royalty 10% of
// 10 * 100 = 100 from year 3.
TEST(EngineConflict, ConstructionPausesWhileInaccessible) {
    Scenario s = test::deterministic_world(6);
    s.world.conflict.renew_hazard = {1.0, 0.0};
    s.world.conflict.end_hazard = {1.0};
    s.world.regimes[0] = test::concession(0.10);
    const int front = test::add_region(s, "front", RegionStatus::frontline);
    test::add_project(s, test::make_project(0, front, 0, 10.0, 200.0, 200.0, 0.0, 2.0, 0));
    test::add_deal(s, test::make_deal("d", 0.0));
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, path_options());
    const double capex[] = {100, 0, 100, 0, 0};
    const double q[] = {0, 0, 0, 10, 10};
    for (int t = 0; t < 5; ++t) {
        SCOPED_TRACE(t);
        const CashflowYear* r = test::row_for(cf, test::start_year + t);
        ASSERT_NE(r, nullptr);
        EXPECT_NEAR(r->capex, capex[t], 1e-9);
        EXPECT_NEAR(r->production, q[t], 1e-9);
    }
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    EXPECT_EQ(war_years(l), (std::vector<bool>{false, true, false, false, false, false}));
    EXPECT_NEAR(l.years[2].host_revenue, 0.0, 1e-9);
    EXPECT_NEAR(l.years[3].host_revenue, 100.0, 1e-9);
}

// First production falls in the year after the last construction year even if that year is
// paused: lead 1, construction in year 0, first production year 1 is at war (produces 0 but
// counts for the ramp and for depreciation). Ramp 2: year 2 is k = 2, full capacity 10.
// Depreciation over 2 years of capex 200: 100 in years 1 and 2.
TEST(EngineConflict, PausedFirstProductionYearCountsForRampAndDepreciation) {
    Scenario s = test::deterministic_world(5);
    s.world.conflict.renew_hazard = {1.0, 0.0};
    s.world.conflict.end_hazard = {1.0};
    s.world.regimes[0] = test::concession(0.0, 0.2, 2, 0.0);
    const int front = test::add_region(s, "front", RegionStatus::frontline);
    Project p = test::make_project(0, front, 0, 10.0, 200.0, 200.0, 0.0, 1.0, 0);
    p.ramp_years = 2;
    test::add_project(s, p);
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, path_options());
    const double q[] = {0, 0, 10, 10};
    const double dep[] = {0, 100, 100, 0};
    for (int t = 0; t < 4; ++t) {
        SCOPED_TRACE(t);
        const CashflowYear* r = test::row_for(cf, test::start_year + t);
        ASSERT_NE(r, nullptr);
        EXPECT_NEAR(r->production, q[t], 1e-9);
        EXPECT_NEAR(r->depreciation, dep[t], 1e-9);
    }
}

// A frontline project waits for peace: war in years 0..2 (end {0, 0, 1}); licence year 0, lead 1:
// construction in year 3, production from year 4.
TEST(EngineConflict, FrontlineProjectStartsInFirstPeaceYear) {
    Scenario s = test::deterministic_world(6);
    s.world.conflict.initial_war = true;
    s.world.conflict.end_hazard = {0.0, 0.0, 1.0};
    const int front = test::add_region(s, "front", RegionStatus::frontline);
    test::add_project(s, test::make_project(0, front, 0, 10.0, 200.0, 100.0, 0.0, 1.0, 0));
    const std::vector<CashflowYear> cf = project_cashflow(s, 0, path_options());
    for (int t = 0; t < 6; ++t) {
        SCOPED_TRACE(t);
        const CashflowYear* r = test::row_for(cf, test::start_year + t);
        ASSERT_NE(r, nullptr);
        EXPECT_NEAR(r->capex, t == 3 ? 100.0 : 0.0, 1e-9);
        EXPECT_NEAR(r->production, t >= 4 ? 10.0 : 0.0, 1e-9);
    }
}

// A free region at war (war never ends), disruption 0.5: with invest_in_war_in_free_regions the
// project starts in its licence year and produces 10 * 0.5 = 5 a year (lead 0); without it,
// it never starts.
TEST(EngineConflict, InvestInWarInFreeRegions) {
    Scenario s = test::deterministic_world(4);
    s.world.conflict.initial_war = true;
    s.world.conflict.war_disruption = 0.5;
    test::add_project(s, test::make_project(0, 0, 0, 10.0, 200.0, 0.0, 0.0, 0.0, 0));
    std::vector<CashflowYear> cf = project_cashflow(s, 0, path_options());
    for (int t = 0; t < 4; ++t) {
        const CashflowYear* r = test::row_for(cf, test::start_year + t);
        ASSERT_NE(r, nullptr);
        EXPECT_NEAR(r->production, 5.0, 1e-9);
    }
    s.world.investor.invest_in_war_in_free_regions = false;
    cf = project_cashflow(s, 0, path_options());
    for (int t = 0; t < 4; ++t) {
        const CashflowYear* r = test::row_for(cf, test::start_year + t);
        if (r != nullptr) {
            EXPECT_EQ(r->production, 0.0);
        }
    }
}

// Common random numbers (MODEL.md 3): deal B carries a guarantee (renew multiplier 0.5), deal A
// does not. With end hazard 0 war is absorbing, so on every path and in every year, war under B
// implies war under A (B can only resume war on a draw u < 0.5 h where A resumes too).
TEST(EngineConflict, GuaranteeWarIsSubsetWhenWarAbsorbing) {
    Scenario s = test::deterministic_world(12);
    s.world.conflict.renew_hazard = {0.15};
    s.world.conflict.end_hazard = {0.0};
    s.world.guarantee.renew_hazard_multiplier = 0.5;
    test::add_deal(s, test::make_deal("A", 0.0));
    Deal b = test::make_deal("B", 0.0);
    b.security_guarantee = true;
    test::add_deal(s, b);
    int war_a = 0, war_b = 0;
    for (std::int64_t path = 0; path < 400; ++path) {
        const std::vector<bool> a = war_years(ledger_for_path(s, 0, 42, path));
        const std::vector<bool> g = war_years(ledger_for_path(s, 1, 42, path));
        for (std::size_t t = 0; t < a.size(); ++t) {
            if (g[t]) {
                EXPECT_TRUE(a[t]) << "path " << path << " year " << t;
            }
            war_a += a[t] ? 1 : 0;
            war_b += g[t] ? 1 : 0;
        }
    }
    EXPECT_LT(war_b, war_a);
}

// With war ending too (end hazard 0.5), the two deals' paths agree until they diverge, and they
// can diverge only where A's war resumes and B's does not: at the first year the war states
// differ, A is at war and B at peace.
TEST(EngineConflict, GuaranteeFirstDivergenceIsWarWithoutPeaceWith) {
    Scenario s = test::deterministic_world(12);
    s.world.conflict.initial_war = true;
    s.world.conflict.renew_hazard = {0.3};
    s.world.conflict.end_hazard = {0.5};
    s.world.guarantee.renew_hazard_multiplier = 0.4;
    test::add_deal(s, test::make_deal("A", 0.0));
    Deal b = test::make_deal("B", 0.0);
    b.security_guarantee = true;
    test::add_deal(s, b);
    int diverged = 0;
    for (std::int64_t path = 0; path < 400; ++path) {
        const std::vector<bool> a = war_years(ledger_for_path(s, 0, 9, path));
        const std::vector<bool> g = war_years(ledger_for_path(s, 1, 9, path));
        for (std::size_t t = 0; t < a.size(); ++t) {
            if (a[t] != g[t]) {
                EXPECT_TRUE(a[t] && !g[t]) << "path " << path << " year " << t;
                ++diverged;
                break;
            }
        }
    }
    EXPECT_GT(diverged, 0);
}

// Multipliers multiply, and the product with the hazard is capped at 1 (MODEL.md 7). Renew hazard
// 0.25, end hazard 1, initial war. Deal "x4" (world modifier renew multiplier 4): 0.25 * 4 = 1,
// war and peace alternate on every path. Deal "x4, guarantee" (guarantee multiplier 0.5 as well):
// 0.5, so war resumes in year 2 on about half the paths (4,000 paths, within 4 SE = 0.032).
TEST(EngineConflict, RenewMultipliersMultiply) {
    Scenario s = test::deterministic_world(4);
    s.world.conflict.initial_war = true;
    s.world.conflict.end_hazard = {1.0};
    s.world.conflict.renew_hazard = {0.25};
    s.world.guarantee.renew_hazard_multiplier = 0.5;
    Deal x4 = test::make_deal("x4", 0.0);
    x4.renew_hazard_multiplier = 4.0;
    test::add_deal(s, x4);
    Deal both = x4;
    both.name = "x4, guarantee";
    both.security_guarantee = true;
    test::add_deal(s, both);
    int resumed = 0;
    for (std::int64_t path = 0; path < 4000; ++path) {
        const std::vector<bool> a = war_years(ledger_for_path(s, 0, 3, path));
        if (path < 50) {
            EXPECT_EQ(a, (std::vector<bool>{true, false, true, false}));
        }
        resumed += ledger_for_path(s, 1, 3, path).years[2].war ? 1 : 0;
    }
    EXPECT_NEAR(resumed / 4000.0, 0.5, 4 * std::sqrt(0.25 / 4000));
}

// A project in a region occupied at signing waits for liberation, then behaves as frontline.
// War in years 0 and 1 (end {0, 1}), liberation 1: liberated in year 2, construction (lead 1)
// in year 2, production from year 3. Royalty 10% of 10 * 100 = 100.
TEST(EngineConflict, ProjectInOccupiedRegionStartsAfterLiberation) {
    Scenario s = test::deterministic_world(5);
    s.world.conflict.initial_war = true;
    s.world.conflict.end_hazard = {0.0, 1.0};
    s.world.conflict.liberation_probability = 1.0;
    s.world.regimes[0] = test::concession(0.10);
    const int occ = test::add_region(s, "occupied", RegionStatus::occupied);
    test::add_project(s, test::make_project(0, occ, 0, 10.0, 200.0, 100.0, 0.0, 1.0, 0));
    test::add_deal(s, test::make_deal("d", 0.0));
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    const double expected[] = {0, 0, 0, 100, 100};
    for (std::size_t t = 0; t < 5; ++t) EXPECT_NEAR(l.years[t].host_revenue, expected[t], 1e-9);
}

}  // namespace
}  // namespace nadra
