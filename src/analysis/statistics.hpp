// Statistics over paths (MODEL.md 5): the summary every metric is reported with.
#pragma once

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "scenario/scenario.hpp"

namespace nadra {

struct Stats {
    std::int64_t count = 0;  // values summarised (paths that reached the cap, for cap_year)
    double mean = 0, sd = 0, sem = 0;
    double p5 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0;
};

// Summary of the values that are not NaN. Percentiles interpolate linearly between order
// statistics (numpy's default, Hyndman-Fan type 7); sums run in index order, so the result
// does not depend on how the values were computed. All zeros when no value counts.
Stats summarize(std::span<const double> values);

// A percentile as reported: a zero is +0. Among tied values -0 and +0 are equal, so which of the
// two an order statistic picks depends on how it was found (a selection, or the streamed
// brackets); x + 0 is x for every other value.
inline double reported_percentile(double value) { return value + 0.0; }

// The metric names of summary.json, in report order.
const std::vector<std::string>& metric_names();
// A deal's per-path values of one metric, by name.
std::span<const double> metric_values(const DealPaths& deal, const std::string& metric);

// Which projects get built under a deal (MODEL.md 5, v1.3), over all paths.
struct ProjectStarts {
    std::string name;
    double started_probability = 0;       // started construction by the horizon
    std::vector<double> started_by_year;  // by year index: P(started by the end of that year)
    double median_start_year = 0;  // calendar year, over the paths where it starts; NaN if none
    double co_invested_probability = 0;  // started co-invested by the deal's fund
};

// A project's starts from `started_in[t]`, the number of paths on which it started in year
// index t, out of `paths`; the median as summarize() would give it over the start years.
ProjectStarts project_starts(std::string name, const std::vector<std::int64_t>& started_in,
                             std::int64_t co_invested, std::int64_t paths, int start_year);
// One per-year series of a deal (MODEL.md 5 v1.3): its statistics each year over paths.
// `defined` false: not a number on any path (the cap of a deal without a cap, +inf), reported
// as null.
struct YearSeriesSummary {
    std::string name;
    bool defined = true;
    std::vector<Stats> years;  // by year index
};

// The mean contributions that come from an asset (or every asset of a commodity), undiscounted
// and as NPV at the host's rate, and their share of the deal's mean contributions (NaN where
// that mean is 0: not defined).
struct AssetContributions {
    std::string asset;  // empty in a roll-up by commodity
    std::string kind;   // "project" or "stream"; empty in a roll-up by commodity
    std::string commodity;
    double contributions = 0, contributions_npv = 0, share = 0;
};

// The per-year series names, in report order (summary.json's by_year, by_year.csv).
const std::vector<std::string>& year_series_names();

struct DealSummary {
    std::string name;
    std::map<std::string, Stats> metrics;
    std::vector<double> cap_reached_probability;  // by year index: P(cap reached by that year)
    std::vector<Stats> fund_balance;              // by year index
    std::vector<ProjectStarts> projects;          // the scenario's projects, in order
    // With per-year results (RunOptions::keep_years); empty otherwise. The co-investment
    // series only for a deal with a co-investing fund.
    std::vector<YearSeriesSummary> by_year;
    std::vector<AssetContributions> by_asset;      // projects, then streams
    std::vector<AssetContributions> by_commodity;  // in the scenario's commodity order
    // With input sets (MODEL.md 4.3): per metric, the share of its variance between sets.
    std::map<std::string, double> between_sets_share;
};

struct DifferenceSummary {
    std::string a, b;
    std::map<std::string, Stats>
        metrics;  // statistics of a - b per path; every metric but cap_year
    std::map<std::string, double> between_sets_share;  // as DealSummary's
    // With input sets: per metric, each set's mean of a - b (NaN for a set with no values).
    std::map<std::string, std::vector<double>> set_means = {};
};

// One sampled input's Spearman correlation with a deal's per-set mean gain (MODEL.md 4.3), and
// its bootstrap interval (analysis/input_correlations.hpp).
struct InputCorrelation {
    std::string deal;
    std::string metric;  // "host_gain" or "partner_gain"
    std::string input;   // key path
    double spearman = 0, low = 0, high = 0;
};
struct InputCorrelations {
    std::string reference;  // empty: none were computed
    int bootstrap = 0;
    double confidence = 0;
    std::vector<InputCorrelation> rows;
};

// How a run sampled its uncertain inputs (MODEL.md 4.3): `sets` input sets (0: none), the
// `--input` patterns (empty: every uncertain input) and the key paths they sampled, sorted.
struct InputSampling {
    std::int64_t sets = 0;
    std::vector<std::string> patterns;
    std::vector<std::string> keys;
    InputCorrelations correlations = {};
};

struct RunSummary {
    std::vector<DealSummary> deals;
    std::vector<DifferenceSummary> differences;  // every pair (a, b), a listed before b
    InputSampling inputs;                        // set by the caller that drew the sets
};

// The running sums of one input set's values (MODEL.md 4.3): count, mean and the sum of squared
// deviations from it (Welford), taken in path order.
struct SetMoments {
    std::int64_t count = 0;
    double mean = 0, m2 = 0;
    void add(double value) {
        ++count;
        const double delta = value - mean;
        mean += delta / static_cast<double>(count);
        m2 += delta * (value - mean);
    }
};

// Adds path p's value, values[p - first_path], to sets[p mod K] (K = sets.size() > 0); NaN
// values are not counted.
void add_to_sets(std::vector<SetMoments>& sets, std::span<const double> values,
                 std::int64_t first_path);

// The one-way analysis of variance over input sets: sums of squares between and within sets,
// and the between-set variance component's share of between + within (unbalanced estimator:
// n0 = (N - sum n_k^2 / N) / (K - 1), between = max(0, (MSB - MSW) / n0); share 0 with fewer
// than two non-empty sets or when both components are 0). Sets without values do not count.
struct BetweenSets {
    std::int64_t count = 0;  // N
    std::int64_t sets = 0;   // K, non-empty sets
    double mean = 0;
    double ss_between = 0, ss_within = 0;
    double ms_between = 0, ms_within = 0;
    double between = 0;  // the between-set variance component
    double share = 0;
};
BetweenSets between_sets(std::span<const SetMoments> sets);

RunSummary summarize_run(const Scenario& scenario, const SimulationResult& result);

}  // namespace nadra
