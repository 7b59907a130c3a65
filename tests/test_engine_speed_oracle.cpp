// The engine's shortcuts against the plain computations they stand for, bit for bit: the royalty
// rule precomputed from a schedule, the asset revenue cleared only where it was written, the
// totals and scoped sums that skip zeros, and the uniforms drawn once a path and reused (across
// world variants and deals). Each shortcut must give the same doubles, not merely close ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <utility>
#include <vector>

#include "engine/path.hpp"
#include "engine/plan.hpp"
#include "engine/project_flows.hpp"
#include "scenario/builtin.hpp"

namespace nadra {
namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
    // memcmp must not see an empty vector's null data (the fund's arrays outside its world).
    return a.size() == b.size() &&
           (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

const Scenario& builtin() {
    static const Scenario scenario =
        *load_scenario_files(builtin_scenario(), builtin_scenario_root).scenario;
    return scenario;
}

RoyaltySchedule random_schedule(std::mt19937_64& g) {
    std::uniform_real_distribution<double> u(0, 1);
    RoyaltySchedule s;
    s.rate = 0.2 * u(g);
    const int bands = static_cast<int>(5 * u(g));
    double lower = u(g) < 0.3 ? 0.0 : 100 * u(g);
    for (int i = 0; i < bands; ++i) {
        s.bands.push_back({lower, 0.5 * u(g), u(g) < 0.5 ? BandMode::whole : BandMode::marginal});
        lower += 1 + 200 * u(g);
    }
    return s;
}

TEST(EngineSpeedOracle, RoyaltyRuleIsTheScheduleBitForBit) {
    std::mt19937_64 g(42);
    std::uniform_real_distribution<double> u(0, 1);
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (int k = 0; k < 300; ++k) {
        const RoyaltySchedule schedule = random_schedule(g);
        const engine::RoyaltyRule rule(schedule);
        std::vector<double> prices = {0.0, -0.0, -5.0, 1e-300, 1e300, inf, -inf, nan};
        for (const RoyaltyBand& band : schedule.bands) {
            prices.push_back(band.lower);
            prices.push_back(std::nextafter(band.lower, -inf));
            prices.push_back(std::nextafter(band.lower, inf));
        }
        for (int i = 0; i < 50; ++i) prices.push_back(1000 * u(g));
        for (const double price : prices) {
            for (const double revenue : {0.0, -0.0, 1.0, 123456.789, -3.5, 1e20}) {
                const double expected = schedule.on_revenue(price, revenue);
                const double got = rule.on_revenue(price, revenue);
                EXPECT_TRUE(same_bits(expected, got) || (std::isnan(expected) && std::isnan(got)))
                    << "price " << price << " revenue " << revenue << ": " << expected << " vs "
                    << got;
            }
        }
    }
}

// The items' total and every deal's scoped sums as the engine once computed them: every row of
// every asset added in order, zeros included.
std::vector<double> plain_total(const engine::AssetRevenue& revenue, int horizon) {
    std::vector<double> total(horizon, 0.0);
    for (std::size_t row = 0; row < revenue.items.size(); row += horizon) {
        for (int t = 0; t < horizon; ++t) total[t] += revenue.items[row + t];
    }
    return total;
}

TEST(EngineSpeedOracle, AssetRevenueReusedAcrossPathsIsTheFreshOne) {
    const Scenario& s = builtin();
    const engine::Plan plan = engine::make_plan(s, {});
    const engine::Random random(9);
    engine::SharedDraws draws;
    std::vector<engine::ConflictPath> conflict(plan.variants.size());
    std::vector<engine::AssetRevenue> reused(plan.variants.size());
    for (std::int64_t path = 0; path < 60; ++path) {
        engine::draw_shared(plan, random, path, draws);
        for (std::size_t v = 0; v < plan.variants.size(); ++v) {
            engine::simulate_conflict(plan, plan.variants[v], random, path, conflict[v]);
            engine::simulate_assets(plan, plan.variants[v], draws, conflict[v], reused[v]);
            engine::AssetRevenue fresh;
            engine::ConflictPath fresh_conflict;
            engine::simulate_conflict(plan, plan.variants[v], random, path, fresh_conflict);
            ASSERT_EQ(fresh_conflict.war, conflict[v].war);
            ASSERT_EQ(fresh_conflict.accessible, conflict[v].accessible);
            ASSERT_TRUE(same_bits(fresh_conflict.access, conflict[v].access));
            engine::simulate_assets(plan, plan.variants[v], draws, fresh_conflict, fresh);
            ASSERT_TRUE(same_bits(fresh.items, reused[v].items)) << "path " << path;
            ASSERT_TRUE(same_bits(fresh.total, reused[v].total)) << "path " << path;
            ASSERT_EQ(fresh.project_start, reused[v].project_start) << "path " << path;
            ASSERT_TRUE(same_bits(plain_total(fresh, plan.horizon), fresh.total))
                << "path " << path;
        }
    }
}

// simulate_all_assets copies a project's rows from an earlier world variant when it started
// there in the same year and its region was as open in every year it was stepped: each
// variant's revenue must be what simulating it alone gives, to the bit, with the arrays reused
// from path to path as the run reuses them.
void expect_variants_together_are_each_alone(const Scenario& s) {
    const engine::Plan plan = engine::make_plan(s, {});
    ASSERT_GE(plan.variants.size(), 3u);
    const engine::Random random(4);
    engine::SharedDraws draws;
    std::vector<engine::ConflictPath> conflict(plan.variants.size());
    std::vector<engine::AssetRevenue> together;
    const auto projects = static_cast<int>(s.world.projects.size());
    int copyable = 0, started = 0;
    for (std::int64_t path = 0; path < 400; ++path) {
        engine::draw_shared(plan, random, path, draws);
        for (std::size_t v = 0; v < plan.variants.size(); ++v)
            engine::simulate_conflict(plan, plan.variants[v], random, path, conflict[v]);
        engine::simulate_all_assets(plan, draws, conflict, together);
        ASSERT_EQ(together.size(), plan.variants.size());
        for (std::size_t v = 0; v < plan.variants.size(); ++v) {
            engine::AssetRevenue alone;
            engine::simulate_assets(plan, plan.variants[v], draws, conflict[v], alone);
            ASSERT_TRUE(same_bits(alone.items, together[v].items)) << "path " << path << " v " << v;
            ASSERT_TRUE(same_bits(alone.total, together[v].total)) << "path " << path << " v " << v;
            ASSERT_EQ(alone.first_year, together[v].first_year) << "path " << path;
            ASSERT_EQ(alone.end_year, together[v].end_year) << "path " << path;
            ASSERT_EQ(alone.items_written, together[v].items_written) << "path " << path;
            ASSERT_TRUE(same_bits(alone.fund_dues, together[v].fund_dues)) << "path " << path;
            ASSERT_TRUE(same_bits(alone.fund_receipts, together[v].fund_receipts));
            ASSERT_EQ(alone.fund_stakes, together[v].fund_stakes) << "path " << path;
            ASSERT_EQ(alone.co_invested, together[v].co_invested) << "path " << path;
            ASSERT_EQ(alone.project_start, together[v].project_start) << "path " << path;
            // How often a copy was possible: a started project with an earlier variant's span.
            for (int j = 0; j < projects && v > 0; ++j) {
                if (alone.first_year[j] >= alone.end_year[j]) continue;
                ++started;
                for (std::size_t w = 0; w < v; ++w) {
                    if (together[w].first_year[j] == alone.first_year[j] &&
                        together[w].end_year[j] == alone.end_year[j]) {
                        ++copyable;
                        break;
                    }
                }
            }
        }
    }
    // Both kinds are common: projects that could be copied and projects that could not.
    EXPECT_GT(copyable, started / 10) << copyable << " of " << started;
    EXPECT_LT(copyable, started - started / 10) << copyable << " of " << started;
}

TEST(EngineSpeedOracle, VariantsSimulatedTogetherAreEachAlone) {
    expect_variants_together_are_each_alone(builtin());
    // Shut-in (MODEL.md 3.3) decides on the path's price and the project's own draws, never on
    // the variant's war: paused years, with their shut-in cost, copy like any other.
    Scenario costly = builtin();
    costly.world.investor.shut_in_cost = 0.3;
    expect_variants_together_are_each_alone(costly);
    // A deal that overrides a regime: its world's projects under it are never copied (nor copied
    // from), though many start in the same year as elsewhere.
    Scenario s = builtin();
    Deal taxed = s.deals.back();
    taxed.name = "taxed";
    const int regime = s.world.projects[0].regime;
    Regime heavier = s.world.regimes[regime];
    heavier.tax_rate = std::min(1.0, heavier.tax_rate + 0.2);
    taxed.regime_overrides = {{regime, heavier}};
    s.deals.push_back(taxed);
    expect_variants_together_are_each_alone(s);
    // A co-investing fund that lowers the investor's premium: its world starts some projects
    // earlier than the others; those it joins are stepped, the rest may still be copied.
    Scenario funded = builtin();
    Deal fund = funded.deals.back();
    fund.name = "fund";
    fund.co_invest = CoInvest{0.3, 0.2, 0.3, fund.scope};
    funded.deals.push_back(fund);
    expect_variants_together_are_each_alone(funded);
}

// One path's world for every variant of the plan: the draws, each variant's war and revenue.
struct PathWorld {
    explicit PathWorld(const engine::Plan& plan)
        : conflict(plan.variants.size()), revenue(plan.variants.size()) {}
    void simulate(const engine::Plan& plan, const engine::Random& random, std::int64_t path) {
        engine::draw_shared(plan, random, path, draws);
        for (std::size_t v = 0; v < plan.variants.size(); ++v) {
            engine::simulate_conflict(plan, plan.variants[v], random, path, conflict[v]);
            engine::simulate_assets(plan, plan.variants[v], draws, conflict[v], revenue[v]);
        }
    }
    engine::SharedDraws draws;
    std::vector<engine::ConflictPath> conflict;
    std::vector<engine::AssetRevenue> revenue;
};

TEST(EngineSpeedOracle, DealsWithSharedScratchAreDealsAlone) {
    const Scenario& s = builtin();
    const engine::Plan plan = engine::make_plan(s, {});
    const engine::Random random(5);
    PathWorld world(plan);
    const engine::SharedDraws& draws = world.draws;
    const std::vector<engine::ConflictPath>& conflict = world.conflict;
    const std::vector<engine::AssetRevenue>& revenue = world.revenue;
    engine::DealScratch shared;
    for (std::int64_t path = 0; path < 40; ++path) {
        world.simulate(plan, random, path);
        shared.begin_path();
        for (std::size_t k = 0; k < plan.deals.size(); ++k) {
            const int v = plan.deal_variant[k];
            const int deal = static_cast<int>(k);
            std::vector<double> fund_shared(plan.horizon), fund_alone(plan.horizon);
            const engine::DealOutcome a =
                engine::run_deal(plan, deal, random, path, draws, conflict[v], revenue[v], shared,
                                 fund_shared.data());
            engine::DealScratch alone;
            PathLedger ledger;
            const engine::DealOutcome b =
                engine::run_deal(plan, deal, random, path, draws, conflict[v], revenue[v], alone,
                                 fund_alone.data(), &ledger);
            const std::vector<std::pair<double, double>> pairs = {
                {a.host_value, b.host_value},
                {a.partner_value, b.partner_value},
                {a.in_kind_support_npv, b.in_kind_support_npv},
                {a.host_contributions, b.host_contributions},
                {a.host_revenue, b.host_revenue},
                {a.host_kept, b.host_kept},
                {a.share_ceded, b.share_ceded}};
            for (const auto& [x, y] : pairs) {
                EXPECT_TRUE(same_bits(x, y)) << "path " << path << " deal " << k;
            }
            EXPECT_TRUE(same_bits(a.cap_year, b.cap_year) ||
                        (std::isnan(a.cap_year) && std::isnan(b.cap_year)));
            EXPECT_TRUE(same_bits(fund_shared, fund_alone)) << "path " << path << " deal " << k;
            // The scoped revenue, summed the plain way: every in-scope row added in order.
            const std::vector<std::uint8_t>& mask = plan.scope_mask[k];
            for (int t = 0; t < plan.horizon; ++t) {
                double scoped = 0, occupied = 0;
                for (int asset = 0; asset < plan.asset_count(); ++asset) {
                    for (int i = 0; i < revenue_item_count; ++i) {
                        if (!(mask[asset] & (1u << i))) continue;
                        const double x =
                            revenue[v].items[(asset * revenue_item_count + i) * plan.horizon + t];
                        (plan.asset_occupied[asset] ? occupied : scoped) += x;
                    }
                }
                EXPECT_TRUE(same_bits(ledger.years[t].scoped_revenue, scoped + occupied))
                    << "path " << path << " deal " << k << " year " << t;
            }
        }
    }
}

// A deal that takes no share skips its scope's sums (it is due nothing); it must neither change
// what it would compute with them (a ledger sums them) nor spoil them for the other deals of its
// scope group, before or after it.
TEST(EngineSpeedOracle, ADealTakingNoShareIsTheDealWithItsSums) {
    Scenario s = builtin();
    const auto v5 = static_cast<int>(
        std::find_if(s.deals.begin(), s.deals.end(), [](const Deal& d) { return d.name == "v5"; }) -
        s.deals.begin());
    ASSERT_LT(v5, static_cast<int>(s.deals.size()));
    Deal nothing = s.deals[v5];
    nothing.name = "v5_no_share";
    nothing.share = 0;
    nothing.share_liberated.reset();
    s.deals.push_back(nothing);
    const int no_share = static_cast<int>(s.deals.size()) - 1;
    const engine::Plan plan = engine::make_plan(s, {v5, no_share, v5});
    ASSERT_EQ(plan.scope_group[0], plan.scope_group[1]);  // one group: the scope is the same
    ASSERT_EQ(plan.scope_group[1], plan.scope_group[2]);
    const engine::Random random(23);
    PathWorld world(plan);
    engine::DealScratch shared;
    double scoped = 0;  // what the scope held over the paths, as the ledgers saw it
    for (std::int64_t path = 0; path < 30; ++path) {
        world.simulate(plan, random, path);
        shared.begin_path();
        std::vector<engine::DealOutcome> outcomes;
        for (int k = 0; k < 3; ++k) {
            const auto v = static_cast<std::size_t>(plan.deal_variant[k]);
            outcomes.push_back(engine::run_deal(plan, k, random, path, world.draws,
                                                world.conflict[v], world.revenue[v], shared));
        }
        // v5 after the no-share deal is v5 before it.
        EXPECT_TRUE(same_bits(outcomes[0].host_value, outcomes[2].host_value)) << path;
        EXPECT_TRUE(same_bits(outcomes[0].host_contributions, outcomes[2].host_contributions));
        // The no-share deal with its sums (a ledger makes it sum them) is the same.
        engine::DealScratch alone;
        PathLedger ledger;
        const auto v = static_cast<std::size_t>(plan.deal_variant[1]);
        const engine::DealOutcome with_sums =
            engine::run_deal(plan, 1, random, path, world.draws, world.conflict[v],
                             world.revenue[v], alone, nullptr, &ledger);
        EXPECT_TRUE(same_bits(outcomes[1].host_value, with_sums.host_value)) << path;
        EXPECT_TRUE(same_bits(outcomes[1].partner_value, with_sums.partner_value)) << path;
        EXPECT_TRUE(same_bits(outcomes[1].host_kept, with_sums.host_kept)) << path;
        EXPECT_EQ(outcomes[1].host_contributions, 0.0);
        for (const LedgerYear& y : ledger.years) scoped += y.scoped_revenue;
    }
    EXPECT_GT(scoped, 0) << "the ledger's sums are the scope's";
}

// A plan searches breakevens once for every world with the world's own regimes and the same
// guarantee, and shares them; each variant's are those make_variant gives its deal alone, and a
// deal that overrides a regime gets its own.
TEST(EngineSpeedOracle, SharedBreakevensAreEachVariantsOwn) {
    Scenario s = builtin();
    Deal taxed = s.deals.back();
    taxed.name = "taxed";
    Regime regime = s.world.regimes[s.world.projects[0].regime];
    regime.tax_rate = std::min(1.0, regime.tax_rate + 0.2);
    taxed.regime_overrides = {{s.world.projects[0].regime, regime}};
    s.deals.push_back(taxed);
    const engine::Plan plan = engine::make_plan(s, {});
    ASSERT_EQ(plan.deals.size(), s.deals.size());
    for (std::size_t k = 0; k < plan.deals.size(); ++k) {
        const engine::WorldVariant alone = engine::make_variant(s, plan.deals[k]);
        const engine::WorldVariant& shared = plan.variants[plan.deal_variant[k]];
        EXPECT_TRUE(same_bits(alone.breakeven, shared.breakeven)) << s.deals[plan.deals[k]].name;
    }
    // The override moves the first project's breakeven (a higher tax needs a higher price).
    const auto last = static_cast<std::size_t>(plan.deal_variant.back());
    const auto before = static_cast<std::size_t>(plan.deal_variant[plan.deals.size() - 2]);
    EXPECT_GT(plan.variants[last].breakeven[0], plan.variants[before].breakeven[0]);
}

// Deals sharing a scratch, called in any order and called again on a path, get what each deal
// alone would (the scoped sums and support uniforms kept until begin_path()).
TEST(EngineSpeedOracle, DealsInAnyOrderAreDealsAlone) {
    const Scenario& s = builtin();
    const engine::Plan plan = engine::make_plan(s, {});
    const engine::Random random(11);
    PathWorld world(plan);
    const engine::SharedDraws& draws = world.draws;
    const std::vector<engine::ConflictPath>& conflict = world.conflict;
    const std::vector<engine::AssetRevenue>& revenue = world.revenue;
    engine::DealScratch shared;
    const auto deals = static_cast<int>(plan.deals.size());
    for (std::int64_t path = 0; path < 20; ++path) {
        world.simulate(plan, random, path);
        shared.begin_path();
        for (int i = 0; i < 2 * deals; ++i) {
            // Backwards, then forwards again.
            const int k = i < deals ? deals - 1 - i : i - deals;
            const auto v = static_cast<std::size_t>(plan.deal_variant[k]);
            std::vector<double> fund_shared(plan.horizon), fund_alone(plan.horizon);
            const engine::DealOutcome a =
                engine::run_deal(plan, k, random, path, draws, conflict[v], revenue[v], shared,
                                 path % 2 ? fund_shared.data() : nullptr);
            engine::DealScratch alone;
            PathLedger ledger;
            const engine::DealOutcome b =
                engine::run_deal(plan, k, random, path, draws, conflict[v], revenue[v], alone,
                                 fund_alone.data(), &ledger);
            for (const auto& [x, y] : std::vector<std::pair<double, double>>{
                     {a.host_value, b.host_value},
                     {a.partner_value, b.partner_value},
                     {a.in_kind_support_npv, b.in_kind_support_npv},
                     {a.host_contributions, b.host_contributions},
                     {a.host_revenue, b.host_revenue},
                     {a.host_kept, b.host_kept},
                     {a.share_ceded, b.share_ceded}}) {
                EXPECT_TRUE(same_bits(x, y))
                    << "path " << path << " call " << i << ": " << x << " vs " << y;
            }
            EXPECT_TRUE(same_bits(a.cap_year, b.cap_year) ||
                        (std::isnan(a.cap_year) && std::isnan(b.cap_year)));
            if (path % 2) {
                EXPECT_TRUE(same_bits(fund_shared, fund_alone)) << "path " << path << " call " << i;
            }
        }
    }
}

// The path's draws made in batches (draw_shared: Philox blocks first, then Box-Muller and exp
// over all of them on the widest vectors) are the draws made one at a time, as Random draws
// them: the price recursion of MODEL.md 3.1 year by year, each project's four draws, each
// year's fund return.
TEST(EngineSpeedOracle, BatchedDrawsAreTheDrawsOneAtATime) {
    const Scenario& s = builtin();
    const engine::Plan plan = engine::make_plan(s, {});
    const engine::Random random(17);
    const World& world = s.world;
    const int horizon = plan.horizon;
    const auto n = static_cast<int>(world.commodities.size());
    engine::SharedDraws draws;
    for (std::int64_t path = 0; path < 200; ++path) {
        engine::draw_shared(plan, random, path, draws);
        const auto p = static_cast<std::uint64_t>(path);
        std::vector<double> x(n), z(n);
        for (int c = 0; c < n; ++c) {
            x[c] = plan.log_price0[c];
            ASSERT_TRUE(same_bits(draws.price[c * horizon], engine::exp_of(x[c])));
        }
        for (int t = 0; t + 1 < horizon; ++t) {
            for (int c = 0; c < n; ++c) {
                const auto pair = random.normal_pair(engine::Driver::price, p, t, c / 2);
                z[c] = c % 2 == 0 ? pair.x : pair.y;
            }
            for (int c = 0; c < n; ++c) {
                double shock = 0;
                for (int e = plan.cholesky_row_begin[c]; e < plan.cholesky_row_begin[c + 1]; ++e)
                    shock += plan.cholesky_value[e] * z[plan.cholesky_column[e]];
                const Commodity& commodity = world.commodities[c];
                const double target = plan.log_level[c] + commodity.drift * t;
                x[c] = x[c] + commodity.drift + commodity.kappa * (target - x[c]) +
                       commodity.sigma * shock;
                ASSERT_TRUE(same_bits(draws.price[c * horizon + t + 1], engine::exp_of(x[c])))
                    << "path " << path << " commodity " << c << " year " << t + 1;
            }
        }
        for (std::size_t j = 0; j < world.projects.size(); ++j) {
            const Project& project = world.projects[j];
            const engine::ProjectDraws& d = draws.projects[j];
            const auto what = [](engine::ProjectDraw w) { return static_cast<std::uint64_t>(w); };
            EXPECT_EQ(d.viable,
                      random.uniform(engine::Driver::project, p, j,
                                     what(engine::ProjectDraw::viability)) < project.viability);
            const double capex =
                random.normal(engine::Driver::project, p, j, what(engine::ProjectDraw::capex));
            const double opex =
                random.normal(engine::Driver::project, p, j, what(engine::ProjectDraw::opex));
            EXPECT_TRUE(same_bits(d.capex_multiplier, engine::exp_of(project.capex_sigma * capex)));
            EXPECT_TRUE(same_bits(d.opex_multiplier, engine::exp_of(project.opex_sigma * opex)));
        }
        for (int t = 0; t < horizon; ++t) {
            const auto pair = random.normal_pair(engine::Driver::fund_return, p, t / 2);
            const double r = engine::exp_of(world.fund.return_mean +
                                            world.fund.return_sigma * (t % 2 ? pair.y : pair.x)) -
                             1;
            EXPECT_TRUE(same_bits(draws.fund_return[t], r)) << "path " << path << " year " << t;
        }
    }
}

// A stream's royalty factors, copied from an earlier stream with the same commodity and
// schedule, are those its own rule gives at its prices.
TEST(EngineSpeedOracle, StreamRoyaltyFactorsAreEachStreamsOwn) {
    const Scenario& s = builtin();
    const engine::Plan plan = engine::make_plan(s, {});
    const engine::Random random(13);
    engine::SharedDraws draws;
    bool copied = false;
    for (std::size_t i = 0; i < plan.stream_factor_source.size(); ++i)
        copied = copied || plan.stream_factor_source[i] >= 0;
    EXPECT_TRUE(copied);  // the built-in scenario has such streams
    for (std::int64_t path = 0; path < 20; ++path) {
        engine::draw_shared(plan, random, path, draws);
        for (std::size_t i = 0; i < s.world.streams.size(); ++i) {
            for (int t = 0; t < plan.horizon; ++t) {
                // A stream that pays a regime's royalty pays that of the regime in force
                // (MODEL.md 3.6, v1.3); the others their own.
                const std::optional<int> regime = s.world.streams[i].regime;
                const engine::RoyaltyRule rule(
                    regime ? s.world
                                 .regimes[engine::regime_in_force(
                                     s.world.regimes,
                                     s.world.fiscal_risk ? &s.world.fiscal_risk->changes : nullptr,
                                     *regime, t, t >= draws.law_year)]
                                 .royalty
                           : s.world.streams[i].royalty);
                const double price =
                    draws.price[static_cast<std::size_t>(s.world.streams[i].commodity) *
                                    plan.horizon +
                                t];
                const double expected = price <= 0 ? 0.0 : rule.revenue_factor(price);
                EXPECT_TRUE(same_bits(expected, draws.stream_royalty_factor[i * plan.horizon + t]))
                    << "path " << path << " stream " << i << " year " << t;
            }
        }
    }
}

}  // namespace
}  // namespace nadra
