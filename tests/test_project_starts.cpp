// Which mines get built, per deal (MODEL.md 5, v1.3): each project's construction start on every
// path of a deal's world (DealPaths::project_start), and the probabilities and median start year
// summarize_run and the streamed summary make of them.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "analysis/statistics.hpp"
#include "analysis/streaming.hpp"
#include "engine/engine.hpp"
#include "scenario_builders.hpp"

namespace nadra {
namespace {

// Volatile prices, war that ends and resumes, a free, a frontline and an occupied region, three
// projects with different breakevens and viabilities; no deal, and a deal with a guarantee.
Scenario small_world() {
    Scenario s = test::deterministic_world(20);
    s.world.commodities[0].sigma = 0.35;
    s.world.investor.country_risk_premium = 0.1;
    s.world.guarantee.risk_premium_multiplier = 0.3;
    s.world.guarantee.renew_hazard_multiplier = 0.5;
    s.world.conflict.initial_war = true;
    s.world.conflict.end_hazard = {0.3};
    s.world.conflict.renew_hazard = {0.1};
    s.world.conflict.liberation_probability = 0.5;
    test::add_region(s, "front", RegionStatus::frontline);
    test::add_region(s, "occupied", RegionStatus::occupied);
    s.world.regimes[0] = test::concession(0.05, 0.2, 5, 0.0);
    Project a = test::make_project(0, 0, 0, 10.0, 150.0, 2500.0, 40.0, 2.0, 1);
    a.name = "a";
    a.viability = 0.7;
    Project b = test::make_project(0, 1, 0, 10.0, 150.0, 3500.0, 30.0, 1.0);
    b.name = "b";
    b.lead_time = Triangular{0, 1, 3};
    Project c = test::make_project(0, 2, 0, 10.0, 150.0, 1500.0, 50.0, 0.0);
    c.name = "c";
    c.viability = 0.5;
    for (const Project& p : {a, b, c}) test::add_project(s, p);
    test::add_deal(s, test::make_deal("no_deal", 0.0));
    Deal guaranteed = test::make_deal("guaranteed", 0.2);
    guaranteed.security_guarantee = true;
    test::add_deal(s, guaranteed);
    return s;
}

// The per-path start as the cash flow of that path shows it: the first year with capex (a start
// year is accessible, so construction spends in it; with lead time 0 the capex falls in it too).
int start_from_cashflow(const Scenario& s, int project, int deal, std::int64_t path) {
    CashflowOptions o;
    o.base = false;
    o.seed = 1;
    o.path = path;
    o.deal = deal;
    for (const CashflowYear& y : project_cashflow(s, project, o))
        if (y.capex > 0) return y.year - s.start_year;
    return -1;
}

TEST(ProjectStarts, DealPathsHoldEachPathsStart) {
    const Scenario s = small_world();
    const SimulationResult r = simulate(s, test::run_options(60, 1, 2));
    ASSERT_EQ(r.deals.size(), 2u);
    int started = 0;
    for (std::size_t k = 0; k < r.deals.size(); ++k) {
        const DealPaths& d = r.deals[k];
        ASSERT_EQ(d.projects, 3);
        ASSERT_EQ(d.project_start.size(), 60u * 3);
        ASSERT_EQ(d.project_co_invested.size(), 60u * 3);
        for (std::int64_t p = 0; p < 60; ++p) {
            for (int j = 0; j < 3; ++j) {
                SCOPED_TRACE(testing::Message()
                             << "deal " << k << " path " << p << " project " << j);
                const int start = d.project_start[static_cast<std::size_t>(p) * 3 + j];
                EXPECT_EQ(start, start_from_cashflow(s, j, d.deal, p));
                EXPECT_EQ(d.project_co_invested[static_cast<std::size_t>(p) * 3 + j], 0);
                started += start >= 0;
            }
        }
    }
    EXPECT_GT(started, 0);
    EXPECT_LT(started, 2 * 60 * 3);
}

// summarize_run's probabilities and median against a count over the paths, and the streamed
// summary against summarize_run.
TEST(ProjectStarts, ProbabilitiesAreTheShareOfPathsThatStart) {
    const Scenario s = small_world();
    const RunOptions o = test::run_options(1500, 3, 2);
    const SimulationResult r = simulate(s, o);
    const RunSummary summary = summarize_run(s, r);
    ASSERT_EQ(summary.deals.size(), 2u);
    for (std::size_t k = 0; k < 2; ++k) {
        const DealPaths& d = r.deals[k];
        const std::vector<ProjectStarts>& projects = summary.deals[k].projects;
        ASSERT_EQ(projects.size(), 3u);
        for (int j = 0; j < 3; ++j) {
            SCOPED_TRACE(testing::Message() << "deal " << k << " project " << j);
            const ProjectStarts& p = projects[j];
            EXPECT_EQ(p.name, s.world.projects[j].name);
            std::vector<double> years;
            for (std::int64_t path = 0; path < o.paths; ++path) {
                const int start = d.project_start[static_cast<std::size_t>(path) * 3 + j];
                if (start >= 0) years.push_back(s.start_year + start);
            }
            const double paths = static_cast<double>(o.paths);
            EXPECT_EQ(p.started_probability, static_cast<double>(years.size()) / paths);
            ASSERT_EQ(p.started_by_year.size(), static_cast<std::size_t>(s.horizon));
            for (int t = 0; t < s.horizon; ++t) {
                const auto by = std::count_if(years.begin(), years.end(),
                                              [&](double y) { return y <= s.start_year + t; });
                EXPECT_EQ(p.started_by_year[t], static_cast<double>(by) / paths) << t;
                if (t > 0) {
                    EXPECT_GE(p.started_by_year[t], p.started_by_year[t - 1]) << t;
                }
            }
            EXPECT_EQ(p.started_by_year.back(), p.started_probability);
            if (years.empty()) {
                EXPECT_TRUE(std::isnan(p.median_start_year));
            } else {
                EXPECT_EQ(p.median_start_year, summarize(years).p50);
            }
            EXPECT_EQ(p.co_invested_probability, 0.0);
        }
    }
    // Some project starts on some paths but not all, so the test says something.
    const ProjectStarts& a = summary.deals[0].projects[0];
    EXPECT_GT(a.started_probability, 0.0);
    EXPECT_LT(a.started_probability, 1.0);

    for (const std::int64_t block : {std::int64_t{1}, std::int64_t{37}, o.paths}) {
        StreamingSummary streaming(s, o.paths);
        simulate_blocks(s, o, block, [&](const SimulationResult& b, std::int64_t first) {
            streaming.add(b, first);
        });
        const RunSummary streamed = streaming.finish();
        for (std::size_t k = 0; k < 2; ++k) {
            for (std::size_t j = 0; j < 3; ++j) {
                const ProjectStarts& x = summary.deals[k].projects[j];
                const ProjectStarts& y = streamed.deals[k].projects.at(j);
                EXPECT_EQ(x.name, y.name);
                EXPECT_EQ(x.started_probability, y.started_probability);
                EXPECT_EQ(x.started_by_year, y.started_by_year);
                EXPECT_TRUE(x.median_start_year == y.median_start_year ||
                            (std::isnan(x.median_start_year) && std::isnan(y.median_start_year)));
                EXPECT_EQ(x.co_invested_probability, y.co_invested_probability);
            }
        }
    }
}

// The median of start years read off the counts is summarize()'s, between two years too.
TEST(ProjectStarts, MedianFromTheCounts) {
    // Years 2025 (x2), 2027, 2030: median of {2025, 2025, 2027, 2030} = 2026.
    ProjectStarts p = project_starts("p", {2, 0, 1, 0, 0, 1, 0}, 1, 10, 2025);
    EXPECT_EQ(p.median_start_year, 2026.0);
    EXPECT_EQ(p.started_probability, 0.4);
    EXPECT_EQ(p.co_invested_probability, 0.1);
    EXPECT_EQ(p.started_by_year, (std::vector<double>{0.2, 0.2, 0.3, 0.3, 0.3, 0.4, 0.4}));
    EXPECT_EQ(project_starts("p", {0, 3, 1}, 0, 4, 2025).median_start_year, 2026.0);
    EXPECT_TRUE(std::isnan(project_starts("p", {0, 0}, 0, 4, 2025).median_start_year));
    EXPECT_EQ(project_starts("p", {0, 0}, 0, 4, 2025).started_probability, 0.0);
}

// A guarantee lowers the risk premium (so every breakeven) and the hazard of renewed war. Where
// a war never ends (end hazard 0) and investors do not build in war, the guarantee's war years
// are among those without it (war resumes on a shared uniform below the lower probability only
// where it does below the higher), so on every path each project starts no later under the
// guarantee, and at least as many projects start.
TEST(ProjectStarts, AGuaranteeStartsAtLeastAsManyProjectsOnEveryPath) {
    Scenario s = small_world();
    s.world.conflict.initial_war = false;
    s.world.conflict.end_hazard = {0.0};
    s.world.conflict.renew_hazard = {0.15};
    s.world.investor.invest_in_war_in_free_regions = false;
    s.world.regions[2].status = RegionStatus::frontline;  // no liberation draws
    const std::int64_t paths = 2000;
    const SimulationResult r = simulate(s, test::run_options(paths, 7, 2));
    const DealPaths& none = r.deals[0];
    const DealPaths& guaranteed = r.deals[1];
    std::int64_t more = 0;
    for (std::int64_t p = 0; p < paths; ++p) {
        int started_none = 0, started_guaranteed = 0;
        for (int j = 0; j < 3; ++j) {
            const auto at = static_cast<std::size_t>(p) * 3 + j;
            const int a = none.project_start[at], b = guaranteed.project_start[at];
            if (a >= 0) {
                EXPECT_GE(b, 0) << "path " << p << " project " << j;
                EXPECT_LE(b, a) << "path " << p << " project " << j;
            }
            started_none += a >= 0;
            started_guaranteed += b >= 0;
        }
        EXPECT_GE(started_guaranteed, started_none) << "path " << p;
        more += started_guaranteed > started_none;
    }
    EXPECT_GT(more, 0);  // the guarantee does build more somewhere
    const RunSummary summary = summarize_run(s, r);
    for (int j = 0; j < 3; ++j) {
        EXPECT_GE(summary.deals[1].projects[j].started_probability,
                  summary.deals[0].projects[j].started_probability);
    }
}

}  // namespace
}  // namespace nadra
