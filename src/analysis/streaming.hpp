// Statistics of a run taken a block of paths at a time (engine.hpp: simulate_blocks), so that a
// run's memory does not grow with paths x years x deals. The results equal summarize_run's on
// the whole run: the same means to the last bit, the same percentiles exactly, standard
// deviations to rounding (docs/model.md, "Statistics without keeping every path").
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <vector>

#include "analysis/statistics.hpp"
#include "analysis/workers.hpp"
#include "engine/engine.hpp"
#include "scenario/scenario.hpp"

namespace nadra {

// How closely the percentile brackets follow the values seen so far. Until the first
// checkpoint every value is kept, once; from it, each percentile has its bracket. At each
// checkpoint a bracket keeps the values within `margin_sd` standard deviations (plus `margin_slack`
// ranks) of where its percentile can still end; checkpoints come when a series has seen
// `first_checkpoint` values, then every `checkpoint_growth` times as many.
struct BracketLimits {
    std::int64_t first_checkpoint = 1024;
    double checkpoint_growth = 1.25;
    double margin_sd = 7;
    std::int64_t margin_slack = 16;
};

// The statistics of one stream of values (NaN values are not counted, as in summarize()).
// Percentiles are exact: each is kept within a bracket of ranks that narrows as values come
// (paths are independent and identically distributed, so where a percentile ends is known
// within a few standard deviations); values below a bracket are counted, not kept. If the
// values are not like that (sorted, say) and a percentile leaves its bracket, finish() throws
// rather than answer approximately.
class StreamingStats {
  public:
    // `expected_count`: at most how many values will come (the run's paths).
    explicit StreamingStats(std::int64_t expected_count, const BracketLimits& limits = {});

    void add(double value) { add(std::span<const double>(&value, 1)); }
    // The values in order: the same as adding them one at a time, faster.
    void add(std::span<const double> values);
    [[nodiscard]] Stats finish() const;
    [[nodiscard]] std::uint64_t kept_values() const;

  private:
    // The least and greatest of a stretch of values, which let take() settle a bracket the
    // values all miss, or a stretch of one value (a fund empty on every path), without a pass.
    struct Bounds {
        double min = 0, max = 0;
    };
    // The values a percentile can still fall on, in order: `at_low` copies of `low`, then
    // `kept` (strictly between low and high), then `at_high` copies of `high`; `below` values
    // lie under low. Ties at the ends are counted, not kept, so a bracket on an atom (a fund
    // that is empty on most paths) holds nothing. The first `sorted` values of `kept` are in
    // order (all of them after a checkpoint); those taken since follow in arrival order.
    struct Bracket {
        double probability = 0;
        double low = -std::numeric_limits<double>::infinity();
        double high = std::numeric_limits<double>::infinity();
        std::int64_t below = 0, at_low = 0, at_high = 0;
        std::vector<double> kept;
        std::size_t sorted = 0;
    };
    // Narrowing on `in_order`, the bracket's kept values in order: it shrinks to those kept.
    static void raise_low(Bracket& bracket, std::span<const double>& in_order,
                          std::int64_t position);
    static void lower_high(Bracket& bracket, std::span<const double>& in_order,
                           std::int64_t position);
    // No NaN, none past the next checkpoint; `bounds` hold for `values` (or a stretch around it).
    void take(std::span<const double> values, const Bounds& bounds);
    void add_moments(std::span<const double> values, bool zeros);
    void narrow();
    void merge_pending();

    // The spread comes from chunks of `chunk` values, each by two passes about its own mean,
    // merged in order (Chan et al.): as accurate as two passes, and no division per value.
    static constexpr std::size_t chunk = 256;

    BracketLimits limits_;
    std::int64_t expected_count_ = 0;
    std::int64_t count_ = 0;
    std::int64_t next_checkpoint_ = 0;
    double sum_ = 0;           // in arrival order, as summarize() sums
    std::int64_t merged_ = 0;  // values in merged_mean_ and merged_m2_
    double merged_mean_ = 0, merged_m2_ = 0;
    std::array<double, chunk> pending_{};  // values of the chunk being filled
    std::size_t pending_count_ = 0;
    bool split_ = false;               // brackets in use (the first checkpoint has passed)
    std::vector<double> unsplit_;      // every value, until then
    std::array<Bracket, 5> brackets_;  // p5, p25, p50, p75, p95
};

// A run's summary built from its blocks, given in path order.
class StreamingSummary {
  public:
    // `input_sets` > 0: path p ran on input set p mod input_sets, and every metric's share of
    // variance between sets is reported too (MODEL.md 4.3).
    StreamingSummary(const Scenario& scenario, std::int64_t paths, const BracketLimits& limits = {},
                     std::int64_t input_sets = 0);

    // With several processes (workers.hpp), each takes every block but keeps only the series it
    // owns: those whose index i (deals' metrics, fund balances and years, then the pairs') has
    // i mod ranks == rank. Called before the first block.
    void keep_series_of(int rank, int ranks);
    void add(const SimulationResult& block, std::int64_t first_path);
    // One process's summary.
    [[nodiscard]] RunSummary finish() const { return finish(one_process()); }
    // Every rank's summary, the same on each: the series' statistics are gathered from the
    // ranks that kept them (collective: every rank calls it). Equal to one process's to the bit,
    // as each series took the same values in the same order wherever it was kept.
    [[nodiscard]] RunSummary finish(Workers& workers) const;
    // Values held for percentiles now: for measuring memory.
    [[nodiscard]] std::uint64_t kept_values() const;
    // The streams a run of `deals` deals over `horizon` years summarises: each deal's metrics
    // and fund balance by year, each pair's differences.
    static std::size_t series_count(std::size_t deals, int horizon);
    // About the most a run of `paths` paths of `deals` deals over `horizon` years holds.
    static std::uint64_t estimated_bytes(std::size_t deals, int horizon, std::int64_t paths,
                                         const BracketLimits& limits = {});
    // What the per-year series add (RunOptions::keep_years), at most.
    static std::uint64_t estimated_year_bytes(std::size_t deals, int horizon, std::int64_t paths,
                                              const BracketLimits& limits = {});

  private:
    struct DealSeries {
        int deal = 0;
        std::size_t first_series = 0;  // index of metrics[0]; fund_balance, then years follow
        std::vector<StreamingStats> metrics;       // metric_names() order
        std::vector<StreamingStats> fund_balance;  // by year index
        std::vector<std::int64_t> first_reached;   // paths whose cap was first reached in year t
        int projects = 0;
        std::vector<std::int64_t> started_in;   // [project * horizon + t]: paths it started in t
        std::vector<std::int64_t> co_invested;  // per project: paths it started co-invested
        // With per-year results (DealPaths::years): the YearSeries streamed (the cap only with a
        // cap, the co-investment's only with co-investment), each year's statistics
        // [slot * horizon + t]; each asset's contributions and their NPV summed in path order.
        std::vector<int> year_series;
        std::vector<StreamingStats> years;
        std::vector<double> asset_sum, asset_npv_sum;
        std::vector<std::vector<SetMoments>> metric_sets;  // with input sets: [metric][set]
    };
    void add_years(DealSeries& deal, const DealPaths& paths, std::size_t n);
    void finish_years(const DealSeries& deal, std::span<const Stats> series,
                      DealSummary& summary) const;
    struct PairSeries {
        std::size_t a = 0, b = 0;
        std::size_t first_series = 0;
        std::vector<StreamingStats> metrics;               // metric_names() order, without cap_year
        std::vector<std::vector<SetMoments>> metric_sets;  // with input sets: [metric][set]
    };
    void start(const SimulationResult& block);
    [[nodiscard]] bool owns(std::size_t series) const {
        return static_cast<int>(series % static_cast<std::size_t>(ranks_)) == rank_;
    }
    // Every series' statistics, by index, gathered from the ranks that kept them.
    [[nodiscard]] std::vector<Stats> finished_series(Workers& workers) const;

    const Scenario* scenario_;
    std::int64_t paths_ = 0;
    std::int64_t seen_ = 0;
    int horizon_ = 0;
    BracketLimits limits_;
    std::int64_t input_sets_ = 0;
    std::vector<DealSeries> deals_;
    std::vector<PairSeries> pairs_;
    int rank_ = 0, ranks_ = 1;
    std::vector<const StreamingStats*> series_;  // by index
};

}  // namespace nadra
