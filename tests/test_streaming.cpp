// Statistics a block of paths at a time (analysis/streaming.hpp, engine.hpp: simulate_blocks):
// they must equal summarize() and summarize_run() on the whole run — means and percentiles
// bit for bit, standard deviations to rounding — whatever the block size and thread count.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <random>
#include <span>
#include <stdexcept>
#include <vector>

#include "analysis/statistics.hpp"
#include "analysis/streaming.hpp"
#include "engine/engine.hpp"
#include "scenario/builtin.hpp"
#include "scenario/load.hpp"

namespace nadra {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Checkpoints from the 64th value on, so that brackets narrow many times in a short stream.
constexpr BracketLimits tight{64, 1.25, 7, 16};

Stats streamed(const std::vector<double>& values, const BracketLimits& limits = tight) {
    StreamingStats stats(static_cast<std::int64_t>(values.size()), limits);
    for (double v : values) stats.add(v);
    return stats.finish();
}

void expect_same(const Stats& exact, const Stats& s) {
    EXPECT_EQ(s.count, exact.count);
    EXPECT_EQ(s.mean, exact.mean);  // the same sum in the same order
    EXPECT_NEAR(s.sd, exact.sd, 1e-12 * std::max(1.0, std::abs(exact.sd)));
    EXPECT_NEAR(s.sem, exact.sem, 1e-12 * std::max(1.0, std::abs(exact.sem)));
    EXPECT_EQ(s.p5, exact.p5);
    EXPECT_EQ(s.p25, exact.p25);
    EXPECT_EQ(s.p50, exact.p50);
    EXPECT_EQ(s.p75, exact.p75);
    EXPECT_EQ(s.p95, exact.p95);
}

TEST(StreamingStats, EqualsSummarizeOnNormalValues) {
    std::mt19937_64 random(11);
    std::normal_distribution<double> normal(3, 2);
    std::vector<double> values(200'000);
    for (double& v : values) v = normal(random);
    const Stats exact = summarize(values);
    expect_same(exact, streamed(values));
    expect_same(exact, streamed(values, BracketLimits{}));
}

TEST(StreamingStats, KeepsFarFewerValuesThanItSees) {
    std::mt19937_64 random(12);
    std::lognormal_distribution<double> lognormal(0, 1);
    const std::int64_t n = 1'000'000;
    StreamingStats stats(n);
    std::uint64_t most = 0;
    std::vector<double> values(static_cast<std::size_t>(n));
    for (double& v : values) {
        v = lognormal(random);
        stats.add(v);
        most = std::max(most, stats.kept_values());
    }
    expect_same(summarize(values), stats.finish());
    // At most 2 x 1.25 x (7 x 1.8 x 0.5 sqrt(N) + 5 x 16), about 16,000 values over the five
    // brackets at N = 10^6 (docs/model.md), up to twice that in the vectors' capacity; keeping
    // every value would be 5,000,000.
    EXPECT_LT(most, 60'000u);
    EXPECT_GT(most, 5'000u);  // and it does keep the brackets
}

TEST(StreamingStats, EqualsSummarizeWithTiesAndAtoms) {
    // 70% zeros (an empty fund), the rest on a coarse grid: brackets end inside runs of ties.
    std::mt19937_64 random(13);
    std::uniform_real_distribution<double> uniform;
    std::vector<double> values(100'000);
    for (double& v : values) v = uniform(random) < 0.7 ? 0.0 : std::floor(uniform(random) * 20) / 4;
    expect_same(summarize(values), streamed(values));
    const std::vector<double> constant(10'000, 4.25);
    expect_same(summarize(constant), streamed(constant));
}

// The values added `block` at a time, as StreamingSummary adds a run's blocks.
Stats streamed_in_blocks(const std::vector<double>& values, std::size_t block,
                         const BracketLimits& limits = tight) {
    StreamingStats stats(static_cast<std::int64_t>(values.size()), limits);
    for (std::size_t i = 0; i < values.size(); i += block)
        stats.add(std::span<const double>(values).subspan(i, std::min(block, values.size() - i)));
    return stats.finish();
}

TEST(StreamingStats, BlocksThatSkipAPassEqualSummarize) {
    // What take() settles from a block's least and greatest value, without a pass: a fund empty
    // on every path (zeros, whose sum and chunks need no pass either), a constant, a fund empty
    // on most paths (small blocks all under the upper brackets), an atom holding most values
    // (brackets on ties only), NaN in some blocks.
    std::mt19937_64 random(15);
    std::uniform_real_distribution<double> uniform;
    const std::vector<double> zeros(20'000, 0.0);
    const std::vector<double> constant(20'000, 4.25);
    std::vector<double> mostly_empty(30'000);
    for (double& v : mostly_empty) v = uniform(random) < 0.9 ? 0.0 : std::exp(5 * uniform(random));
    std::vector<double> atom(60'000);
    for (double& v : atom) v = uniform(random) < 0.97 ? 0.5 : uniform(random);
    std::vector<double> some_nan(40'000);
    for (std::size_t i = 0; i < some_nan.size(); ++i)
        some_nan[i] = (i / 1024) % 3 == 0 && uniform(random) < 0.5 ? nan : uniform(random);
    for (const std::vector<double>* values : std::initializer_list<const std::vector<double>*>{
             &zeros, &constant, &mostly_empty, &atom, &some_nan}) {
        const Stats exact = summarize(*values);
        const Stats one_at_a_time = streamed(*values);
        expect_same(exact, one_at_a_time);
        for (const std::size_t block : {8u, 100u, 1024u, 5000u}) {
            const Stats s = streamed_in_blocks(*values, block);
            expect_same(exact, s);
            EXPECT_EQ(s.sd, one_at_a_time.sd);  // the same chunks, whatever the blocks
            expect_same(exact, streamed_in_blocks(*values, block, BracketLimits{}));
        }
    }
}

// -0 and +0 tie: whichever an order statistic picks, a percentile on them is reported as +0,
// streamed or not, so the two agree to the bit (EXPECT_EQ alone would take -0 for +0).
TEST(StreamingStats, PercentilesOnSignedZerosAreZero) {
    std::mt19937_64 random(21);
    std::uniform_real_distribution<double> uniform;
    // 20,001 values: the ranks (n - 1) p are whole, so no interpolation turns -0 into +0.
    std::vector<double> mixed(20'001), negative(20'001);
    for (std::size_t i = 0; i < mixed.size(); ++i) {
        const double u = uniform(random);
        mixed[i] = u < 0.4 ? -0.0 : u < 0.8 ? 0.0 : u - 0.8;
        negative[i] = u < 0.8 ? -0.0 : u - 0.8;  // no +0 to pick: -0 unless reported as +0
    }
    for (const std::vector<double>* values : {&mixed, &negative}) {
        const Stats exact = summarize(*values);
        for (const Stats& s : {exact, streamed(*values), streamed_in_blocks(*values, 1024),
                               streamed_in_blocks(*values, 1024, BracketLimits{})}) {
            expect_same(exact, s);
            for (const double p : {s.p5, s.p25, s.p50, s.p75}) {
                EXPECT_EQ(p, 0.0);
                EXPECT_FALSE(std::signbit(p));
            }
            EXPECT_GT(s.p95, 0.0);
        }
    }
}

TEST(StreamingStats, LeavesOutNaNAsSummarizeDoes) {
    // A cap reached on 3% of paths: the brackets work on the few values there are.
    std::mt19937_64 random(14);
    std::uniform_real_distribution<double> uniform;
    std::vector<double> values(150'000);
    for (double& v : values)
        v = uniform(random) < 0.03 ? 2030 + std::floor(uniform(random) * 40) : nan;
    expect_same(summarize(values), streamed(values));
    const std::vector<double> none(1000, nan);
    const Stats empty = streamed(none);
    EXPECT_EQ(empty.count, 0);
    EXPECT_EQ(empty.mean, 0);
    EXPECT_EQ(empty.p50, 0);
}

TEST(StreamingStats, SmallCountsAreExact) {
    for (const std::vector<double>& values :
         {std::vector<double>{7}, std::vector<double>{40, 10, 30, 20},
          std::vector<double>{5, 1, 3, 2, 4}}) {
        expect_same(summarize(values), streamed(values));
    }
}

TEST(StreamingStats, RefusesValuesThatAreNotIndependentDraws) {
    // Sorted values are as far from random order as values can be: the brackets set on the
    // first (smallest) ones cannot hold the percentiles of all, and finish() says so rather
    // than answer wrong.
    std::vector<double> values(50'000);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = static_cast<double>(i);
    StreamingStats stats(static_cast<std::int64_t>(values.size()), tight);
    for (double v : values) stats.add(v);
    EXPECT_THROW((void)stats.finish(), std::runtime_error);
    // In blocks too: blocks wholly over the brackets are let go without a pass, and the error
    // stays.
    StreamingStats in_blocks(static_cast<std::int64_t>(values.size()), tight);
    for (std::size_t i = 0; i < values.size(); i += 1024)
        in_blocks.add(std::span<const double>(values).subspan(
            i, std::min<std::size_t>(1024, values.size() - i)));
    EXPECT_THROW((void)in_blocks.finish(), std::runtime_error);
}

const Scenario& ukraine() {
    static const Scenario scenario =
        load_scenario_files(builtin_scenario(), builtin_scenario_root).scenario.value();
    return scenario;
}

RunOptions options(std::int64_t paths, int threads) {
    RunOptions o;
    o.paths = paths;
    o.seed = 5;
    o.threads = threads;
    return o;
}

RunSummary summary_in_blocks(const Scenario& scenario, const RunOptions& o, std::int64_t block,
                             const BracketLimits& limits = tight) {
    StreamingSummary streaming(scenario, o.paths, limits);
    simulate_blocks(scenario, o, block, [&](const SimulationResult& b, std::int64_t first) {
        streaming.add(b, first);
    });
    return streaming.finish();
}

void expect_same(const RunSummary& exact, const RunSummary& s) {
    ASSERT_EQ(s.deals.size(), exact.deals.size());
    for (std::size_t d = 0; d < exact.deals.size(); ++d) {
        SCOPED_TRACE(exact.deals[d].name);
        EXPECT_EQ(s.deals[d].name, exact.deals[d].name);
        for (const auto& [metric, stats] : exact.deals[d].metrics) {
            SCOPED_TRACE(metric);
            expect_same(stats, s.deals[d].metrics.at(metric));
        }
        EXPECT_EQ(s.deals[d].cap_reached_probability, exact.deals[d].cap_reached_probability);
        ASSERT_EQ(s.deals[d].fund_balance.size(), exact.deals[d].fund_balance.size());
        for (std::size_t t = 0; t < exact.deals[d].fund_balance.size(); ++t)
            expect_same(exact.deals[d].fund_balance[t], s.deals[d].fund_balance[t]);
        // Which projects start: counted, so the same exactly.
        ASSERT_EQ(s.deals[d].projects.size(), exact.deals[d].projects.size());
        for (std::size_t j = 0; j < exact.deals[d].projects.size(); ++j) {
            const ProjectStarts& x = exact.deals[d].projects[j];
            const ProjectStarts& y = s.deals[d].projects[j];
            EXPECT_EQ(y.name, x.name);
            EXPECT_EQ(y.started_probability, x.started_probability);
            EXPECT_EQ(y.started_by_year, x.started_by_year);
            EXPECT_TRUE(y.median_start_year == x.median_start_year ||
                        (std::isnan(x.median_start_year) && std::isnan(y.median_start_year)));
            EXPECT_EQ(y.co_invested_probability, x.co_invested_probability);
        }
    }
    ASSERT_EQ(s.differences.size(), exact.differences.size());
    for (std::size_t i = 0; i < exact.differences.size(); ++i) {
        EXPECT_EQ(s.differences[i].a, exact.differences[i].a);
        EXPECT_EQ(s.differences[i].b, exact.differences[i].b);
        for (const auto& [metric, stats] : exact.differences[i].metrics)
            expect_same(stats, s.differences[i].metrics.at(metric));
    }
}

TEST(StreamingSummary, EqualsSummarizeRunOnTheBuiltInScenario) {
    const Scenario& scenario = ukraine();
    const RunOptions o = options(3000, 2);
    const RunSummary exact = summarize_run(scenario, simulate(scenario, o));
    expect_same(exact, summary_in_blocks(scenario, o, 256));
    // Blocks that do not divide the paths, one path a block, one block of all: the same.
    expect_same(exact, summary_in_blocks(scenario, o, 7));
    expect_same(exact, summary_in_blocks(scenario, options(3000, 1), 1));
    expect_same(exact, summary_in_blocks(scenario, o, 3000, BracketLimits{}));
}

TEST(SimulateBlocks, HandsOverEveryPathInOrderAsSimulateComputesIt) {
    const Scenario& scenario = ukraine();
    const RunOptions o = options(700, 2);
    const SimulationResult whole = simulate(scenario, o);
    std::int64_t next = 0;
    simulate_blocks(scenario, o, 64, [&](const SimulationResult& block, std::int64_t first) {
        ASSERT_EQ(first, next);
        ASSERT_EQ(block.paths, std::min<std::int64_t>(64, o.paths - first));
        ASSERT_EQ(block.deals.size(), whole.deals.size());
        for (std::size_t d = 0; d < whole.deals.size(); ++d) {
            const auto at = static_cast<std::size_t>(first);
            const auto n = static_cast<std::size_t>(block.paths);
            const DealPaths& w = whole.deals[d];
            const DealPaths& b = block.deals[d];
            ASSERT_EQ(b.host_value.size(), n);
            for (std::size_t i = 0; i < n; ++i) {
                EXPECT_EQ(b.host_value[i], w.host_value[at + i]);
                EXPECT_EQ(b.partner_value[i], w.partner_value[at + i]);
                EXPECT_TRUE(b.cap_year[i] == w.cap_year[at + i] ||
                            (std::isnan(b.cap_year[i]) && std::isnan(w.cap_year[at + i])));
            }
            const auto years = static_cast<std::size_t>(whole.horizon);
            ASSERT_EQ(b.fund_balance.size(), n * years);
            for (std::size_t k = 0; k < n * years; ++k)
                EXPECT_EQ(b.fund_balance[k], w.fund_balance[at * years + k]);
            const auto projects = static_cast<std::size_t>(w.projects);
            ASSERT_EQ(b.projects, w.projects);
            ASSERT_EQ(b.project_start.size(), n * projects);
            for (std::size_t k = 0; k < n * projects; ++k) {
                EXPECT_EQ(b.project_start[k], w.project_start[at * projects + k]);
                EXPECT_EQ(b.project_co_invested[k], w.project_co_invested[at * projects + k]);
            }
        }
        next += block.paths;
    });
    EXPECT_EQ(next, o.paths);
}

TEST(SimulateBlocks, AConsumersErrorStopsTheRun) {
    const Scenario& scenario = ukraine();
    int calls = 0;
    EXPECT_THROW(simulate_blocks(scenario, options(2000, 2), 100,
                                 [&](const SimulationResult&, std::int64_t first) {
                                     ++calls;
                                     if (first >= 300) throw std::runtime_error("stop");
                                 }),
                 std::runtime_error);
    EXPECT_EQ(calls, 4);  // blocks at 0, 100, 200 and 300; none after
}

TEST(SimulateBlocks, ProgressCanCancel) {
    const Scenario& scenario = ukraine();
    std::int64_t consumed = 0;
    EXPECT_THROW(simulate_blocks(
                     scenario, options(2000, 2), 100,
                     [&](const SimulationResult& block, std::int64_t) { consumed += block.paths; },
                     [](std::int64_t done, std::int64_t) { return done < 500; }),
                 Cancelled);
    EXPECT_EQ(consumed, 500);
}

}  // namespace
}  // namespace nadra
