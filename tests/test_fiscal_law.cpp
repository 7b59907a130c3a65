// Regimes that change (MODEL.md 3.6, v1.3): `then` schedules, law-change risk (the `law`
// driver) and stability clauses; their loading.
#include <gtest/gtest.h>

#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "engine/random.hpp"
#include "scenario/load.hpp"
#include "scenario_builders.hpp"

namespace nadra {
namespace {

// A schedule switching at a year: royalty 10% up to year index 3, then 30% from year index 4
// (calendar 2029) on, on base inputs and on a path alike.
TEST(RegimeSchedule, SwitchesAtFromYear) {
    Scenario s = test::deterministic_world(12);
    Regime later = test::concession(0.3);
    later.name = "later";
    const int l = test::add_regime(s, later);
    Regime now = test::concession(0.1);
    now.name = "now";
    now.then = l;
    now.from_year = 4;
    const int n = test::add_regime(s, now);
    test::add_project(s, test::make_project(0, 0, n, 10, 100, 100, 0.0, 1.0, 0));
    CashflowOptions path;
    path.base = false;
    int checked = 0;
    for (const CashflowOptions& options : {CashflowOptions{}, path}) {
        for (const CashflowYear& y : project_cashflow(s, 0, options)) {
            if (y.revenue <= 0) continue;
            EXPECT_NEAR(y.royalty / y.revenue, y.year - test::start_year < 4 ? 0.1 : 0.3, 1e-12)
                << y.year;
            ++checked;
        }
    }
    EXPECT_GT(checked, 10);
    // The breakeven follows the schedule: between those of the two regimes held for life.
    const std::vector<ProjectFiscal> f = project_fiscal_summaries(s);
    EXPECT_GT(f[0].breakeven_price, project_fiscal(s, 0, test::concession(0.1)).breakeven_price);
    EXPECT_LT(f[0].breakeven_price, project_fiscal(s, 0, test::concession(0.3)).breakeven_price);
}

// Two identical projects, one under a stabilised regime, one not; the law, with a yearly hazard
// of 10%, turns both regimes into a heavy one (royalty 30%).
Scenario law_world(double hazard) {
    Scenario s = test::deterministic_world(30);
    s.world.commodities[0].sigma = 0.2;
    s.world.commodities[0].kappa = 0.3;
    Regime heavy = test::concession(0.3, 0.2, 5);
    heavy.name = "heavy";
    const int h = test::add_regime(s, heavy);
    Regime clause = test::concession(0.05, 0.2, 5);
    clause.name = "clause";
    clause.stabilised = true;
    const int a = test::add_regime(s, clause);
    Regime open = clause;
    open.name = "open";
    open.stabilised = false;
    const int b = test::add_regime(s, open);
    Project p = test::make_project(0, 0, a, 10, 150, 1500, 40.0, 1.0, 1);
    test::add_project(s, p);
    p.regime = b;
    test::add_project(s, p);
    FiscalRisk risk;
    risk.hazard = {hazard};
    risk.changes.assign(s.world.regimes.size(), -1);
    risk.changes[a] = h;
    risk.changes[b] = h;
    s.world.fiscal_risk = risk;
    test::add_deal(s, test::make_deal("d", 0.5));
    return s;
}

int first_construction_year(const std::vector<CashflowYear>& years) {
    for (const CashflowYear& y : years)
        if (y.state == AssetState::constructing) return y.year - test::start_year;
    return INT_MAX;
}

// On every path of a random world: the stabilised project started before the change keeps its
// regime for life (its flows are those of the world without law risk); the other pays the heavy
// royalty from the year after the change on; the change year is the `law` driver's.
TEST(LawChange, HitsOnlyUnstabilisedProjects) {
    const Scenario risky = law_world(0.1);
    Scenario calm = risky;
    calm.world.fiscal_risk.reset();
    const std::uint64_t seed = 3;
    const engine::Random random(seed);
    int hit = 0;
    for (std::int64_t path = 0; path < 100; ++path) {
        int law_year = INT_MAX;
        for (int t = 0; t < risky.horizon; ++t) {
            if (random.uniform(engine::Driver::law, static_cast<std::uint64_t>(path),
                               static_cast<std::uint64_t>(t)) < 0.1) {
                law_year = t + 1;
                break;
            }
        }
        CashflowOptions options;
        options.base = false;
        options.seed = seed;
        options.path = path;
        const auto stable = project_cashflow(risky, 0, options);
        const auto stable_calm = project_cashflow(calm, 0, options);
        const auto open = project_cashflow(risky, 1, options);
        const int start = first_construction_year(stable_calm);
        if (start >= law_year || start == INT_MAX) continue;
        EXPECT_EQ(first_construction_year(stable), start) << path;
        EXPECT_EQ(first_construction_year(open), start) << path;
        for (std::size_t t = 0; t < stable.size(); ++t) {
            EXPECT_EQ(stable[t].state_revenue, stable_calm[t].state_revenue) << path << " " << t;
            if (open[t].revenue <= 0) continue;
            const double rate = static_cast<int>(t) >= law_year ? 0.3 : 0.05;
            EXPECT_NEAR(open[t].royalty / open[t].revenue, rate, 1e-12) << path << " " << t;
            if (static_cast<int>(t) >= law_year) ++hit;
        }
    }
    EXPECT_GT(hit, 50);  // the change hit producing years on many paths
}

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

// A law that never changes (hazard 0) changes no bit of any result: the `law` driver shifts no
// other draw; and a hazard does change them (the test can fail).
TEST(LawChange, NoHazardChangesNoBit) {
    Scenario calm = law_world(0.0);
    calm.world.fiscal_risk.reset();
    const RunOptions run = test::run_options(300, 11, 2);
    const SimulationResult before = simulate(calm, run);
    const SimulationResult zero = simulate(law_world(0.0), run);
    const SimulationResult risky = simulate(law_world(0.2), run);
    ASSERT_EQ(before.deals.size(), 1U);
    EXPECT_TRUE(same_bits(before.deals[0].host_value, zero.deals[0].host_value));
    EXPECT_TRUE(same_bits(before.deals[0].partner_value, zero.deals[0].partner_value));
    EXPECT_TRUE(same_bits(before.deals[0].host_revenue, zero.deals[0].host_revenue));
    EXPECT_FALSE(same_bits(before.deals[0].host_revenue, risky.deals[0].host_revenue));
}

// A stability clause's value to each side is a paired difference on the same futures: without
// the clause the state gets at least as much on every path (no shut-in, so a higher royalty
// never stops production), and more on some.
TEST(LawChange, StabilityClauseIsPairedDifference) {
    Scenario s = law_world(0.1);
    s.world.investor.shut_in = false;
    s.deals.clear();
    test::add_deal(s, test::make_deal("with_clause", 0.0));
    Deal without = test::make_deal("without_clause", 0.0);
    Regime open = s.world.regimes[2];  // "clause", unstabilised by the deal
    open.stabilised = false;
    without.regime_overrides.emplace_back(2, open);
    test::add_deal(s, without);
    const SimulationResult r = simulate(s, test::run_options(200, 5, 1));
    ASSERT_EQ(r.deals.size(), 2U);
    double gain = 0;
    for (std::size_t p = 0; p < r.deals[0].host_revenue.size(); ++p) {
        EXPECT_LE(r.deals[0].host_revenue[p], r.deals[1].host_revenue[p] + 1e-6) << p;
        gain += r.deals[1].host_revenue[p] - r.deals[0].host_revenue[p];
    }
    EXPECT_GT(gain, 0);
}

const std::string scenario_text = R"([scenario]
name = "test"

[run]
start_year = 2025
horizon = 20

[world.host]
discount_rate = 0.08

[world.partner]
discount_rate = 0.05

[world.conflict]
initial = "peace"

[world.commodities.gas]
price0 = 400

[world.regions.central]
status = "free"

[world.regimes.martial]
royalty_rate = 0.29
then = "later"
from_year = 2032

[world.regimes.later]
royalty_rate = 0.14
stabilised = true

[world.regimes.windfall]
royalty_rate = 0.5

[world.fiscal_risk]
hazard = 0.02
changes = { later = "windfall" }

[world.projects.well]
commodity = "gas"
region = "central"
regime = "martial"
lead_time = 1
capacity = 10
reserve = 100
capex = 1000
opex = 5

[world.streams.old]
commodity = "gas"
region = "central"
volume = 10
regime = "martial"

[deals.d]
share = 0.5
scope = { items = ["royalty", "rent_tax"] }
)";

TEST(LawLoader, SchedulesRiskAndStreamRegimes) {
    const LoadResult r = load_scenario_files({{"scenario.toml", scenario_text}}, "scenario.toml");
    ASSERT_TRUE(r.scenario);
    const World& w = r.scenario->world;
    ASSERT_TRUE(w.regimes[0].then);
    EXPECT_EQ(*w.regimes[0].then, 1);
    EXPECT_EQ(w.regimes[0].from_year, 7);
    EXPECT_TRUE(w.regimes[1].stabilised);
    ASSERT_TRUE(w.fiscal_risk);
    EXPECT_EQ(w.fiscal_risk->changes, (std::vector<int>{-1, 2, -1}));
    EXPECT_EQ(w.streams[0].regime, 0);
    EXPECT_EQ(r.scenario->deals[0].scope.items.back(), RevenueItem::rent_tax);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    text.replace(text.find(from), from.size(), to);
    return text;
}

std::string errors_of(const std::string& text) {
    const LoadResult r = load_scenario_files({{"scenario.toml", text}}, "scenario.toml");
    std::string out;
    for (const InputError& e : r.errors) out += e.key + ": " + e.message + "\n";
    return out;
}

TEST(LawLoader, BadSchedulesAreErrors) {
    EXPECT_NE(errors_of(replaced(scenario_text, "then = \"later\"", "then = \"latr\""))
                  .find("did you mean 'later'"),
              std::string::npos);
    EXPECT_NE(errors_of(replaced(scenario_text, "from_year = 2032\n", "")).find("needs both"),
              std::string::npos);
    // a loop: later -> martial -> later
    EXPECT_NE(errors_of(replaced(scenario_text, "stabilised = true",
                                 "then = \"martial\"\nfrom_year = 2040"))
                  .find("loops"),
              std::string::npos);
    // a law change into a regime with a schedule of its own
    EXPECT_NE(errors_of(replaced(scenario_text, "later = \"windfall\"", "later = \"martial\""))
                  .find("schedule of its own"),
              std::string::npos);
    EXPECT_NE(
        errors_of(replaced(scenario_text, "volume = 10\n", "volume = 10\nroyalty_rate = 0.1\n"))
            .find("not both"),
        std::string::npos);
}

}  // namespace
}  // namespace nadra
