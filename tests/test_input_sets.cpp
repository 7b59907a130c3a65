// Uncertain inputs sampled in a run (MODEL.md 4.3): input sets drawn from triangular(low, value,
// high) with the `inputs` driver, path p on set p mod K, and the share of each metric's variance
// that lies between sets (the one-way analysis-of-variance estimate).
#include <gtest/gtest.h>
#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "analysis/input_correlations.hpp"
#include "analysis/input_sets.hpp"
#include "analysis/statistics.hpp"
#include "analysis/streaming.hpp"
#include "engine/engine.hpp"
#include "scenario/builtin.hpp"
#include "scenario/load.hpp"
#include "scenario_builders.hpp"

namespace nadra {
namespace {

using namespace test;

// Every per-path vector of two runs, bit for bit.
void expect_same_bits(const SimulationResult& a, const SimulationResult& b) {
    ASSERT_EQ(a.paths, b.paths);
    ASSERT_EQ(a.deals.size(), b.deals.size());
    const auto same = [](const std::vector<double>& x, const std::vector<double>& y) {
        return x.size() == y.size() &&
               (x.empty() || std::memcmp(x.data(), y.data(), x.size() * sizeof(double)) == 0);
    };
    for (std::size_t k = 0; k < a.deals.size(); ++k) {
        const DealPaths& x = a.deals[k];
        const DealPaths& y = b.deals[k];
        for (const std::string& metric : metric_names()) {
            const auto u = metric_values(x, metric);
            const auto v = metric_values(y, metric);
            EXPECT_TRUE(same({u.begin(), u.end()}, {v.begin(), v.end()}))
                << "deal " << k << ", " << metric;
        }
        EXPECT_TRUE(same(x.fund_balance, y.fund_balance)) << "deal " << k;
        EXPECT_TRUE(same(x.years, y.years)) << "deal " << k;
        EXPECT_EQ(x.project_start, y.project_start) << "deal " << k;
        EXPECT_EQ(x.project_co_invested, y.project_co_invested) << "deal " << k;
    }
}

std::vector<const Scenario*> pointers(const std::vector<Scenario>& sets) {
    std::vector<const Scenario*> out;
    for (const Scenario& s : sets) out.push_back(&s);
    return out;
}

// The built-in scenario, read again with `settings` as overrides (as the command line does).
Scenario builtin_with(const Settings& settings) {
    Overrides overrides;
    for (const Setting& s : settings) overrides.push_back({s.key, s.value});
    LoadResult loaded = load_scenario_files(builtin_scenario(), builtin_scenario_root, overrides);
    EXPECT_TRUE(loaded.scenario.has_value());
    return loaded.scenario ? std::move(*loaded.scenario) : Scenario{};
}

// A world whose host value is linear in one input: one stream of volume v at a random price
// (sigma 0.3), royalty 10%, no discounting, and a deal that takes nothing. host_value = v X,
// X the path's sum of royalties per unit of volume.
const UncertainInput volume_input{"world.streams.stream.volume", 1.0, 0.5, 2.0};

Scenario linear_world() {
    Scenario s = deterministic_world(10);
    s.world.commodities[0].sigma = 0.3;
    add_stream(s, make_stream(0, 0, volume_input.value, 0.1));
    add_deal(s, make_deal("nothing", 0.0));
    s.uncertain_inputs = {volume_input};
    return s;
}

std::vector<Scenario> linear_sets(const Scenario& base, std::int64_t sets, std::uint64_t seed) {
    const InputDraws draws = input_draws(base.uncertain_inputs, {});
    std::vector<Scenario> out;
    for (std::int64_t k = 0; k < sets; ++k) {
        Scenario s = base;
        s.world.streams[0].volume = input_set_values(draws, seed, k).at(0);
        out.push_back(std::move(s));
    }
    return out;
}

TEST(InputSets, InputsSortedAsBytesAndPatternsSelect) {
    const std::vector<UncertainInput> inputs{
        {"world.projects.b.viability", 0.5, 0.2, 0.8},
        {"deals.no_deal.world_modifiers.end_hazard_multiplier", 1, 0.5, 1.5},
        {"world.conflict.end_hazard", 0.2, 0.1, 0.3},
        {"world.projects.a.viability", 0.5, 0.2, 0.8},
    };
    const InputDraws all = input_draws(inputs, {});
    ASSERT_EQ(all.inputs.size(), 4U);
    EXPECT_EQ(all.inputs[0].key, "deals.no_deal.world_modifiers.end_hazard_multiplier");
    EXPECT_EQ(all.inputs[1].key, "world.conflict.end_hazard");
    EXPECT_EQ(all.inputs[2].key, "world.projects.a.viability");
    EXPECT_EQ(all.inputs[3].key, "world.projects.b.viability");
    EXPECT_EQ(sampled_keys(all).size(), 4U);

    const InputDraws some = input_draws(inputs, {"world.projects.*.viability"});
    EXPECT_EQ(sampled_keys(some), (std::vector<std::string>{"world.projects.a.viability",
                                                            "world.projects.b.viability"}));
    // An input keeps its index among all inputs: its draw does not depend on the patterns.
    EXPECT_EQ(input_set_values(some, 7, 3).at(0), input_set_values(all, 7, 3).at(2));
    EXPECT_THROW(input_draws(inputs, {"world.nothing"}), VariantError);
}

// The drawn values follow triangular(low, value, high): Kolmogorov-Smirnov over 20000 sets, at
// the 1% level (critical D = 1.628 / sqrt(n)).
TEST(InputSets, DrawsAreTriangular) {
    const UncertainInput input{"x", 2.0, 1.0, 5.0};
    const InputDraws draws = input_draws({input}, {});
    constexpr std::int64_t n = 20'000;
    std::vector<double> values;
    for (std::int64_t k = 0; k < n; ++k) values.push_back(input_set_values(draws, 11, k).at(0));
    std::sort(values.begin(), values.end());
    const auto cdf = [&](double x) {
        const double a = input.low, c = input.value, b = input.high;
        if (x <= a) return 0.0;
        if (x >= b) return 1.0;
        if (x <= c) return (x - a) * (x - a) / ((b - a) * (c - a));
        return 1 - (b - x) * (b - x) / ((b - a) * (b - c));
    };
    double d = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double f = cdf(values[i]);
        const auto count = static_cast<double>(n);
        d = std::max(
            {d, static_cast<double>(i + 1) / count - f, f - static_cast<double>(i) / count});
    }
    EXPECT_LT(d, 1.628 / std::sqrt(static_cast<double>(n)));
    EXPECT_GE(values.front(), input.low);
    EXPECT_LE(values.back(), input.high);
}

// With every range collapsed (low = value = high), every set is the scenario itself: the paths'
// results are those of a run without sets, bit for bit, for the built-in scenario read again
// with each set's settings.
TEST(InputSets, CollapsedRangesGiveTheRunWithoutSets) {
    const Scenario base = builtin_with({});
    std::vector<UncertainInput> collapsed = base.uncertain_inputs;
    ASSERT_FALSE(collapsed.empty());
    for (UncertainInput& input : collapsed) input.low = input.high = input.value;
    const InputDraws draws = input_draws(collapsed, {});
    std::vector<Scenario> sets;
    for (std::int64_t k = 0; k < 3; ++k)
        sets.push_back(builtin_with(input_set_settings(draws, 5, k)));

    RunOptions options = run_options(96, 5, 2);
    options.keep_years = true;
    const SimulationResult plain = simulate(base, options);
    options.input_sets = pointers(sets);
    expect_same_bits(plain, simulate(base, options));
}

// Set k's scenario holds set k's draws, and a path's futures do not depend on K: on sets that
// equal the scenario, K = 1, 2, 5 give the run without sets.
TEST(InputSets, SetsCarryTheirDrawsAndPathsKeepTheirFutures) {
    const Scenario base = builtin_with({});
    const InputDraws draws = input_draws(base.uncertain_inputs, {"world.conflict.*"});
    const Settings settings = input_set_settings(draws, 3, 4);
    ASSERT_FALSE(settings.empty());
    const Scenario set = builtin_with(settings);
    const Conflict& x = set.world.conflict;
    const Conflict& y = base.world.conflict;
    EXPECT_TRUE(x.end_hazard != y.end_hazard || x.renew_hazard != y.renew_hazard ||
                x.war_disruption != y.war_disruption ||
                x.liberation_probability != y.liberation_probability);

    const Scenario world = linear_world();
    const RunOptions options = run_options(50, 9, 1);
    const SimulationResult plain = simulate(world, options);
    for (int k : {1, 2, 5}) {
        RunOptions with = options;
        with.input_sets.assign(static_cast<std::size_t>(k), &world);
        expect_same_bits(plain, simulate(world, with));
    }
}

// 1 and 2 threads, simulate and simulate_blocks at several block sizes: the same bits with sets.
TEST(InputSets, ThreadAndBlockInvariance) {
    const Scenario world = linear_world();
    const std::vector<Scenario> sets = linear_sets(world, 7, 2);
    RunOptions options = run_options(1000, 2, 1);
    options.input_sets = pointers(sets);
    const SimulationResult one = simulate(world, options);
    options.threads = 2;
    expect_same_bits(one, simulate(world, options));
    for (std::int64_t block : {1, 64, 333}) {
        SimulationResult joined = one;
        simulate_blocks(world, options, block,
                        [&](const SimulationResult& part, std::int64_t first) {
                            for (std::size_t d = 0; d < part.deals.size(); ++d) {
                                std::copy_n(part.deals[d].host_value.begin(), part.paths,
                                            joined.deals[d].host_value.begin() + first);
                            }
                        });
        EXPECT_EQ(std::memcmp(joined.deals[0].host_value.data(), one.deals[0].host_value.data(),
                              one.deals[0].host_value.size() * sizeof(double)),
                  0)
            << "block " << block;
    }
    // The sets matter: host value differs from the run without them.
    options.input_sets.clear();
    EXPECT_NE(simulate(world, options).deals[0].host_value, one.deals[0].host_value);
}

// host_value = v X with v ~ triangular(0.5, 1, 2) per set and X independent of it: the between-
// set share is Var(v) E[X]^2 / (Var(v) E[X]^2 + E[v^2] Var(X)). With 1000 sets of 100 paths its
// Monte Carlo standard error is about 0.01; the test allows 0.03.
TEST(InputSets, BetweenSetShareMatchesTheClosedForm) {
    const Scenario world = linear_world();
    constexpr std::int64_t sets = 1000;
    constexpr std::int64_t paths = 100'000;
    const std::uint64_t seed = 4;

    // E[X] and Var(X) from the run at v = 1 (the same paths).
    const SimulationResult plain = simulate(world, run_options(paths, seed, 2));
    const Stats x = summarize(plain.deals[0].host_value);
    const double a = volume_input.low, c = volume_input.value, b = volume_input.high;
    const double mean_v = (a + b + c) / 3;
    const double var_v = (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
    const double between = var_v * x.mean * x.mean;
    const double within = (var_v + mean_v * mean_v) * x.sd * x.sd;
    const double expected = between / (between + within);

    const std::vector<Scenario> set_scenarios = linear_sets(world, sets, seed);
    RunOptions options = run_options(paths, seed, 2);
    options.input_sets = pointers(set_scenarios);
    StreamingSummary streaming(world, paths, {}, sets);
    simulate_blocks(world, options, 1024, [&](const SimulationResult& block, std::int64_t first) {
        streaming.add(block, first);
    });
    const RunSummary summary = streaming.finish();
    const double share = summary.deals[0].between_sets_share.at("host_value");
    EXPECT_GT(expected, 0.05);
    EXPECT_LT(expected, 0.95);
    EXPECT_NEAR(share, expected, 0.03) << "expected " << expected;
    // Every metric has its share, in [0, 1].
    for (const auto& [metric, value] : summary.deals[0].between_sets_share) {
        EXPECT_GE(value, 0) << metric;
        EXPECT_LE(value, 1) << metric;
    }
}

// With one set there is nothing between sets.
TEST(InputSets, OneSetHasNoShare) {
    const Scenario world = linear_world();
    const std::vector<Scenario> sets = linear_sets(world, 1, 1);
    RunOptions options = run_options(500, 1, 1);
    options.input_sets = pointers(sets);
    StreamingSummary streaming(world, 500, {}, 1);
    simulate_blocks(world, options, 128, [&](const SimulationResult& block, std::int64_t first) {
        streaming.add(block, first);
    });
    EXPECT_EQ(streaming.finish().deals[0].between_sets_share.at("host_value"), 0.0);

    std::vector<SetMoments> one(1);
    add_to_sets(one, std::vector<double>{1, 2, 3, 10}, 0);
    EXPECT_EQ(between_sets(one).share, 0.0);
}

// The sums of squares add up: total = within + between, to 1e-9, on unequal sets (paths that
// do not divide evenly, NaN values skipped), and the estimator on a known case.
TEST(InputSets, VarianceIdentityAndEstimator) {
    std::vector<double> values;
    for (int i = 0; i < 1003; ++i) {
        const double set_effect = static_cast<double>((i % 7) * (i % 7));
        values.push_back(i % 13 == 5 ? std::nan("") : 1e3 + set_effect + std::sin(i * 1.7) * 3);
    }
    std::vector<SetMoments> sets(7);
    add_to_sets(sets, std::span(values).first(500), 0);
    add_to_sets(sets, std::span(values).subspan(500), 500);
    const BetweenSets anova = between_sets(sets);
    double sum = 0;
    std::int64_t n = 0;
    for (double v : values)
        if (!std::isnan(v)) sum += v, ++n;
    const double mean = sum / static_cast<double>(n);
    double total = 0;
    for (double v : values)
        if (!std::isnan(v)) total += (v - mean) * (v - mean);
    EXPECT_EQ(anova.count, n);
    EXPECT_EQ(anova.sets, 7);
    EXPECT_NEAR(anova.ss_within + anova.ss_between, total, 1e-9 * total);
    EXPECT_NEAR(anova.mean, mean, 1e-12 * mean);

    // Two sets {0, 2} and {10, 12, 14}: SSB = 2 (1 - 7.6)^2 + 3 (12 - 7.6)^2 = 145.2, SSW = 2 + 8,
    // MSB = 145.2, MSW = 10 / 3, n0 = (5 - 13 / 5) / 1 = 2.4.
    std::vector<SetMoments> two(2);
    add_to_sets(two, std::vector<double>{0, 10, 2, 12, std::nan(""), 14}, 0);
    const BetweenSets known = between_sets(two);
    EXPECT_NEAR(known.ss_between, 145.2, 1e-9);
    EXPECT_NEAR(known.ss_within, 10, 1e-9);
    const double component = (145.2 - 10.0 / 3) / 2.4;
    EXPECT_NEAR(known.between, component, 1e-9);
    EXPECT_NEAR(known.share, component / (component + 10.0 / 3), 1e-12);
}

// Spearman's rho by hand: 1 - 6 sum d^2 / (n (n^2 - 1)) without ties; Pearson's on average
// ranks with them; 1 for any increasing transform; not defined without spread.
TEST(InputCorrelations, SpearmanByHand) {
    EXPECT_NEAR(spearman(std::vector<double>{1, 2, 3, 4, 5}, std::vector<double>{2, 1, 4, 3, 5}),
                0.8, 1e-15);
    EXPECT_NEAR(spearman(std::vector<double>{1, 2, 2, 3}, std::vector<double>{1, 2, 3, 4}),
                4.5 / std::sqrt(22.5), 1e-15);
    const std::vector<double> x{0.3, -1, 2, 7, 0.1, 4};
    std::vector<double> y;
    for (double v : x) y.push_back(std::exp(v));
    EXPECT_DOUBLE_EQ(spearman(x, y), 1.0);
    EXPECT_TRUE(std::isnan(spearman(x, std::vector<double>(6, 2.0))));
    EXPECT_TRUE(std::isnan(spearman(std::vector<double>{1, 2}, std::vector<double>{2, 1})));
}

// A deal whose host gain is linear in the stream's volume, and an input that moves nothing: the
// volume's rho is near 1 in size, the other's near 0, each interval holds its estimate, and the
// answer is the same at any thread count.
TEST(InputCorrelations, TheInputThatMovesTheGainStandsOut) {
    Scenario world = linear_world();
    Deal half = make_deal("half", 0.5);
    half.partner_share = 1;  // the partner owns the fund: the host's gain is -0.5 x royalties
    add_deal(world, half);
    world.uncertain_inputs.push_back({"world.unused", 0.5, 0.0, 1.0});
    constexpr std::int64_t sets = 60;
    constexpr std::int64_t paths = sets * 200;
    const std::uint64_t seed = 11;
    const InputDraws draws = input_draws(world.uncertain_inputs, {});
    ASSERT_EQ(sampled_keys(draws),
              (std::vector<std::string>{"world.streams.stream.volume", "world.unused"}));
    std::vector<Scenario> set_scenarios;
    for (std::int64_t k = 0; k < sets; ++k) {
        Scenario s = world;
        s.world.streams[0].volume = input_set_values(draws, seed, k).at(0);
        set_scenarios.push_back(std::move(s));
    }
    RunOptions options = run_options(paths, seed, 2);
    options.input_sets = pointers(set_scenarios);
    StreamingSummary streaming(world, paths, {}, sets);
    simulate_blocks(world, options, 1024, [&](const SimulationResult& block, std::int64_t first) {
        streaming.add(block, first);
    });
    RunSummary summary = streaming.finish();
    summary.inputs.sets = sets;
    const CorrelationOptions settings{"nothing", 400, 0.9};
    const InputCorrelations c = input_correlations(summary, draws, seed, settings);
    EXPECT_EQ(c.reference, "nothing");
    ASSERT_EQ(c.rows.size(), 4u);  // half: host_gain, partner_gain; x 2 inputs
    const InputCorrelation& volume = c.rows[0];
    const InputCorrelation& unused = c.rows[1];
    EXPECT_EQ(volume.deal, "half");
    EXPECT_EQ(volume.metric, "host_gain");
    EXPECT_EQ(volume.input, "world.streams.stream.volume");
    EXPECT_GT(std::abs(volume.spearman), 0.95);
    // Under no effect rho has sd about 1 / sqrt(59) = 0.13: 0.5 is almost 4 sd.
    EXPECT_LT(std::abs(unused.spearman), 0.5);
    for (const InputCorrelation& r : c.rows) {
        EXPECT_LE(r.low, r.spearman) << r.input;
        EXPECT_GE(r.high, r.spearman) << r.input;
        EXPECT_GE(r.low, -1);
        EXPECT_LE(r.high, 1);
    }
    EXPECT_LT(unused.low, 0);
    EXPECT_GT(unused.high, 0);
    {
        const tbb::global_control one(tbb::global_control::max_allowed_parallelism, 1);
        const InputCorrelations again = input_correlations(summary, draws, seed, settings);
        for (std::size_t i = 0; i < c.rows.size(); ++i) {
            EXPECT_EQ(again.rows[i].spearman, c.rows[i].spearman);
            EXPECT_EQ(again.rows[i].low, c.rows[i].low);
            EXPECT_EQ(again.rows[i].high, c.rows[i].high);
        }
    }
    // No reference deal, or no sets: nothing.
    EXPECT_TRUE(input_correlations(summary, draws, seed, {"no_such_deal", 10, 0.9}).rows.empty());
    summary.inputs.sets = 0;
    EXPECT_TRUE(input_correlations(summary, draws, seed, settings).reference.empty());
}

}  // namespace
}  // namespace nadra
