// Work shared between processes (analysis/workers.hpp) gives one process's results, bit for bit:
// the engine's share of a run's blocks, blocks as bytes, and the analyses and the run's
// statistics on K ranks emulated by threads (the MPI build's own check, with real ranks, is
// tests/mpi/check_ranks.sh).
#include <gtest/gtest.h>

#include <barrier>
#include <bit>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "analysis/fiscal.hpp"
#include "analysis/negotiation.hpp"
#include "analysis/sensitivity.hpp"
#include "analysis/streaming.hpp"
#include "analysis/workers.hpp"
#include "engine/engine.hpp"
#include "scenario/builtin.hpp"
#include "scenario/load.hpp"

namespace nadra {
namespace {

const Scenario& ukraine() {
    static const Scenario scenario =
        load_scenario_files(builtin_scenario(), builtin_scenario_root).scenario.value();
    return scenario;
}

// The built-in scenario with settings applied, as the command line makes variants.
Scenario ukraine_with(const Settings& settings) {
    Overrides overrides;
    for (const Setting& s : settings) overrides.push_back({s.key, s.value});
    auto loaded = load_scenario_files(builtin_scenario(), builtin_scenario_root, overrides);
    if (!loaded.scenario) throw VariantError("the settings do not make a scenario");
    return std::move(*loaded.scenario);
}

RunOptions run_options(std::int64_t paths) {
    RunOptions o;
    o.paths = paths;
    o.seed = 7;
    o.threads = 1;
    o.keep_years = true;
    return o;
}

// K ranks emulated by threads of one process: share() through a common table between barriers,
// broadcast() through a table of the broadcasts not yet read by every rank.
class ThreadGroup {
  public:
    explicit ThreadGroup(int size) : size_(size), barrier_(size) {}

    class Rank final : public Workers {
      public:
        Rank(ThreadGroup& group, int rank) : group_(group), rank_(rank) {}
        [[nodiscard]] int rank() const override { return rank_; }
        [[nodiscard]] int size() const override { return group_.size_; }
        void share(std::vector<std::string>& items) override {
            group_.barrier_.arrive_and_wait();
            if (rank_ == 0) group_.table_.assign(items.size(), {});
            group_.barrier_.arrive_and_wait();
            {
                const std::lock_guard lock(group_.mutex_);
                for (std::size_t i = 0; i < items.size(); ++i)
                    if (owns(i)) group_.table_[i] = items[i];
            }
            group_.barrier_.arrive_and_wait();
            items = group_.table_;
            group_.barrier_.arrive_and_wait();
        }
        // The n-th broadcast of each rank is the n-th of every rank: the root leaves its bytes
        // under n until every other rank has read them.
        void broadcast(std::string& bytes, int root) override {
            std::unique_lock lock(group_.mutex_);
            const std::int64_t n = broadcasts_++;
            if (rank_ == root) {
                group_.broadcasts_[n] = {bytes, group_.size_ - 1};
                group_.arrived_.notify_all();
                return;
            }
            group_.arrived_.wait(lock, [&] { return group_.broadcasts_.contains(n); });
            auto& [sent, readers] = group_.broadcasts_[n];
            bytes = sent;
            if (--readers == 0) group_.broadcasts_.erase(n);
        }

      private:
        ThreadGroup& group_;
        int rank_;
        std::int64_t broadcasts_ = 0;
    };

    // Runs `work` on every rank at once; returns what each returned, by rank.
    template <class T>
    std::vector<T> run(const std::function<T(Workers&)>& work) {
        std::vector<T> results(static_cast<std::size_t>(size_));
        std::vector<std::thread> threads;
        for (int r = 0; r < size_; ++r) {
            threads.emplace_back([&, r] {
                Rank rank(*this, r);
                results[static_cast<std::size_t>(r)] = work(rank);
            });
        }
        for (std::thread& t : threads) t.join();
        return results;
    }

  private:
    int size_;
    std::barrier<> barrier_;
    std::mutex mutex_;
    std::condition_variable arrived_;
    std::map<std::int64_t, std::pair<std::string, int>> broadcasts_;  // bytes, readers to come
    std::vector<std::string> table_;
};

TEST(Workers, EachShareOfTheBlocksIsOneProcesssBlocksInOrder) {
    const RunOptions o = run_options(1000);  // 4 blocks of 256, the last 232
    std::map<std::int64_t, std::string> whole;
    simulate_blocks(ukraine(), o, 256, [&](const SimulationResult& b, std::int64_t first) {
        whole[first] = block_bytes(b);
    });
    ASSERT_EQ(whole.size(), 4u);
    std::map<std::int64_t, std::string> parts;
    for (int part = 0; part < 3; ++part) {
        std::int64_t last = -1;
        simulate_blocks(
            ukraine(), o, 256,
            [&](const SimulationResult& b, std::int64_t first) {
                EXPECT_EQ((first / 256) % 3, part);
                EXPECT_GT(first, last);  // in order
                last = first;
                parts[first] = block_bytes(b);
            },
            {}, BlockShare{part, 3});
    }
    EXPECT_EQ(parts, whole);
    EXPECT_THROW(simulate_blocks(ukraine(), o, 256, {}, {}, BlockShare{3, 3}),
                 std::invalid_argument);
}

TEST(Workers, RepeatedValuesTravelAsMaskBitsAndReadBackBitForBit) {
    SimulationResult block;
    block.paths = 9;
    block.horizon = 1;
    DealPaths d;
    const double nan = std::nan(""), inf = HUGE_VAL;
    d.host_value = {0.0, -0.0, -0.0, nan, nan, inf, 1.5, 1.5, 0.0};
    d.years.assign(1000, 0.0);  // 999 repeats of the +0 before them: mask bits only
    d.years[500] = 2.0;
    block.deals.push_back(d);
    const std::string bytes = block_bytes(block);
    EXPECT_LT(bytes.size(), 1000u);  // the 8,000 bytes of years are not written
    const SimulationResult back = block_from_bytes(bytes);
    ASSERT_EQ(back.deals.size(), 1u);
    const std::vector<double>& v = back.deals[0].host_value;
    ASSERT_EQ(v.size(), d.host_value.size());
    for (std::size_t i = 0; i < v.size(); ++i)
        EXPECT_EQ(std::bit_cast<std::uint64_t>(v[i]), std::bit_cast<std::uint64_t>(d.host_value[i]))
            << "value " << i;
    EXPECT_EQ(back.deals[0].years, d.years);
}

TEST(Workers, BlocksReadBackFromTheirBytes) {
    const RunOptions o = run_options(300);
    simulate_blocks(ukraine(), o, 256, [&](const SimulationResult& b, std::int64_t) {
        const SimulationResult back = block_from_bytes(block_bytes(b));
        EXPECT_EQ(back.paths, b.paths);
        ASSERT_EQ(back.deals.size(), b.deals.size());
        EXPECT_EQ(back.deals[1].host_value, b.deals[1].host_value);
        EXPECT_EQ(back.deals[1].years, b.deals[1].years);
        EXPECT_EQ(back.deals[1].project_start, b.deals[1].project_start);
        EXPECT_EQ(block_bytes(back), block_bytes(b));
    });
    EXPECT_THROW(block_from_bytes(block_bytes(SimulationResult{}).substr(0, 5)),
                 std::runtime_error);
}

// Every number of a run's summary, as bytes, for comparing bit for bit.
std::string summary_bytes(const RunSummary& s) {
    ByteWriter out;
    const auto put_stats = [&](const Stats& stats) { out.put(stats); };
    for (const DealSummary& d : s.deals) {
        for (const auto& [name, stats] : d.metrics) put_stats(stats);
        for (const Stats& stats : d.fund_balance) put_stats(stats);
        for (const YearSeriesSummary& series : d.by_year)
            for (const Stats& stats : series.years) put_stats(stats);
        out.put_span(std::span<const double>(d.cap_reached_probability));
        for (const AssetContributions& a : d.by_asset) out.put(a.contributions_npv);
    }
    for (const DifferenceSummary& d : s.differences)
        for (const auto& [name, stats] : d.metrics) put_stats(stats);
    return std::move(out).take();
}

TEST(Workers, RunStatisticsOnKRanksAreOneProcesss) {
    const RunOptions o = run_options(1000);  // 4 blocks of 256, the last 232
    StreamingSummary one(ukraine(), o.paths);
    simulate_blocks(ukraine(), o, 256,
                    [&](const SimulationResult& b, std::int64_t first) { one.add(b, first); });
    const std::string expected = summary_bytes(one.finish());
    ASSERT_GT(expected.size(), 100'000u);  // metrics, years and pairs of every deal
    for (int k : {2, 3, 5}) {              // 5: a rank with no block
        ThreadGroup group(k);
        const auto summaries = group.run<std::string>([&](Workers& workers) {
            StreamingSummary streaming(ukraine(), o.paths);
            streaming.keep_series_of(workers.rank(), workers.size());
            simulate_blocks_everywhere(
                workers, ukraine(), o, 256,
                [&](const SimulationResult& b, std::int64_t first) { streaming.add(b, first); });
            return summary_bytes(streaming.finish(workers));
        });
        for (int r = 0; r < k; ++r)
            EXPECT_TRUE(summaries[static_cast<std::size_t>(r)] == expected)
                << k << " ranks: rank " << r << "'s summary differs from one process's";
    }
}

TEST(Workers, ARankKeepsOnlyItsShareOfTheSeries) {
    const RunOptions o = run_options(3000);  // past the brackets' first checkpoint
    StreamingSummary one(ukraine(), o.paths), half(ukraine(), o.paths);
    half.keep_series_of(1, 2);
    simulate_blocks(ukraine(), o, 512, [&](const SimulationResult& b, std::int64_t first) {
        one.add(b, first);
        half.add(b, first);
    });
    const double share =
        static_cast<double>(half.kept_values()) / static_cast<double>(one.kept_values());
    EXPECT_GT(share, 0.4);
    EXPECT_LT(share, 0.6);
    // Finishing needs the other rank's series: one process cannot finish half a summary.
    EXPECT_THROW((void)half.finish(), std::logic_error);
    EXPECT_THROW(one.keep_series_of(0, 2), std::logic_error);  // too late: blocks came
}

// Every number of the analysis's result, as bytes, for comparing bit for bit.
std::string tornado_bytes(const TornadoResult& r) {
    ByteWriter out;
    out.put_span(std::span<const Estimate>(r.base.by_output));
    for (const TornadoBar& bar : r.bars) {
        out.put_span(std::span<const char>(bar.factor.name.data(), bar.factor.name.size()));
        out.put_span(std::span<const Estimate>(bar.swing));
        out.put_span(std::span<const Estimate>(bar.low.by_output));
    }
    return std::move(out).take();
}

TEST(Workers, AnalysesOnKRanksAreOneProcesss) {
    SensitivityOptions options;
    options.deal = "v5";
    options.baseline = "no_deal";
    options.run = run_options(60);
    options.run.keep_years = false;
    const auto factors = make_factors(ukraine().uncertain_inputs, {}, false);
    const std::string tornado_one = tornado_bytes(tornado(ukraine_with, factors, options));
    SobolSettings settings;
    settings.samples = 4;
    settings.bootstrap = 20;
    const std::vector<Factor> few(factors.begin(), factors.begin() + 3);
    const SobolResult sobol_one = sobol(ukraine_with, few, options, settings);
    SweepOptions sweep_options;
    sweep_options.deals = {"v5", "v2"};
    sweep_options.baseline = "no_deal";
    sweep_options.axes = {{"share", {"0.1", "0.3", "0.5"}}};
    sweep_options.run = options.run;
    const SweepResult sweep_one = sweep(ukraine_with, sweep_options);
    for (int k : {2, 4}) {
        ThreadGroup group(k);
        const auto tornadoes = group.run<std::string>([&](Workers& w) {
            return tornado_bytes(tornado(ukraine_with, factors, options, {}, w));
        });
        const auto sobols = group.run<std::vector<double>>([&](Workers& w) {
            const SobolResult r = sobol(ukraine_with, few, options, settings, {}, w);
            std::vector<double> numbers{r.estimate.mean, r.estimate.variance};
            for (const SobolIndex& i : r.estimate.indices)
                numbers.insert(numbers.end(), {i.first, i.first_low, i.total, i.total_high});
            return numbers;
        });
        const auto sweeps = group.run<std::vector<double>>([&](Workers& w) {
            const SweepResult r = sweep(ukraine_with, sweep_options, {}, w);
            std::vector<double> numbers;
            for (const SweepVariant& v : r.variants)
                numbers.insert(numbers.end(), {v.host.mean, v.host_gain.se, v.partner_net_gain.mean,
                                               v.cap_probability, double(v.on_frontier)});
            return numbers;
        });
        std::vector<double> sobol_numbers{sobol_one.estimate.mean, sobol_one.estimate.variance};
        for (const SobolIndex& i : sobol_one.estimate.indices)
            sobol_numbers.insert(sobol_numbers.end(),
                                 {i.first, i.first_low, i.total, i.total_high});
        std::vector<double> sweep_numbers;
        for (const SweepVariant& v : sweep_one.variants)
            sweep_numbers.insert(sweep_numbers.end(),
                                 {v.host.mean, v.host_gain.se, v.partner_net_gain.mean,
                                  v.cap_probability, double(v.on_frontier)});
        for (int r = 0; r < k; ++r) {  // every rank holds the whole result
            const auto at = static_cast<std::size_t>(r);
            EXPECT_EQ(tornadoes[at], tornado_one) << k << " ranks, rank " << r;
            ASSERT_EQ(sobols[at].size(), sobol_numbers.size());
            EXPECT_EQ(std::memcmp(sobols[at].data(), sobol_numbers.data(),
                                  sobol_numbers.size() * sizeof(double)),
                      0)
                << k << " ranks, rank " << r;
            ASSERT_EQ(sweeps[at].size(), sweep_numbers.size());
            EXPECT_EQ(std::memcmp(sweeps[at].data(), sweep_numbers.data(),
                                  sweep_numbers.size() * sizeof(double)),
                      0)
                << k << " ranks, rank " << r;
        }
    }
}

// Every number of a comparison of regimes, as bytes, for comparing bit for bit.
std::string fiscal_bytes(const FiscalComparison& c) {
    ByteWriter out;
    for (const RegimeOutcome& r : c.regimes) {
        for (const std::vector<double>* v :
             {&r.state_npv, &r.investor_npv, &r.take, &r.aetr, &r.mean_real_price})
            out.put_span(std::span<const double>(*v));
        out.put_span(std::span<const char>(r.started));
        out.put(r.state_npv_stats).put(r.aetr_stats).put(r.started_probability);
        out.put(r.base.aetr).put(r.base.investor_npv);
    }
    for (const RegimeDifference& d : c.differences) out.put(d.state_npv).put(d.investor_npv);
    return std::move(out).take();
}

TEST(Workers, RegimesComparedOnKRanksAreOneProcesss) {
    const Scenario& s = ukraine();
    const int project = 0;
    const std::vector<Regime> regimes(s.world.regimes.begin(), s.world.regimes.begin() + 3);
    const RunOptions o = run_options(300);
    const std::string one = fiscal_bytes(compare_regimes(s, project, regimes, o));
    ASSERT_EQ(compare_regimes(s, project, regimes, o).regimes.size(), 3u);
    for (int k : {2, 4}) {  // 4: a rank with no regime
        ThreadGroup group(k);
        const auto results = group.run<std::string>([&](Workers& workers) {
            return fiscal_bytes(compare_regimes(s, project, regimes, o, {}, workers));
        });
        for (int r = 0; r < k; ++r)
            EXPECT_TRUE(results[static_cast<std::size_t>(r)] == one)
                << k << " ranks: rank " << r << "'s comparison differs from one process's";
    }
}

}  // namespace
}  // namespace nadra
