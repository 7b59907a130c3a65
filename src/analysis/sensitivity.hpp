// Which assumption decides the answer: one-at-a-time swings (tornado) and variance-based Sobol
// indices over the inputs a scenario marks uncertain ({value, low, high}, the world's and the
// deals'), every model evaluation on the same paths (common random numbers).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/input_sets.hpp"
#include "analysis/variants.hpp"
#include "analysis/workers.hpp"
#include "engine/engine.hpp"
#include "scenario/scenario.hpp"

namespace nadra {

// What an analysis moves: one uncertain input, or a group of them moved together (each member
// within its own range). A group is named by the pattern that made it.
struct Factor {
    std::string name;
    std::vector<UncertainInput> inputs;
};

// `*` matches any run of characters within one key part (between dots); `**` also across dots.
bool key_matches(std::string_view pattern, std::string_view key);

// The factors from `patterns`: each pattern is one factor of the inputs it matches (an error
// names a pattern that matches none). With no patterns: inputs of named world entities in lists
// (world.projects.NAME.x, world.streams.NAME.x, world.regions.NAME.x) grouped by the key with
// NAME replaced by *, every other input its own factor; with `each`, every input its own factor.
std::vector<Factor> make_factors(const std::vector<UncertainInput>& inputs,
                                 const std::vector<std::string>& patterns, bool each);

// Settings that put every input of `factor` at the point u in [0, 1] of its distribution.
// Distribution of each input: triangular on [low, high] with its mode at value (docs/model.md).
double triangular_quantile(const UncertainInput& input, double u);

// What each analysis measures, for one deal against a baseline.
struct SensitivityOptions {
    std::string deal, baseline;
    Output output = Output::host_gain;  // what the result is sorted or decomposed by
    int cap_by_year = 0;                // for cap_probability (calendar year)
    RunOptions run;
    // Tornado only: input sets each end runs on, the swung inputs held at their end in every set
    // (MODEL.md 4.3); none: count 0. Sobol samples its factors itself and refuses them.
    SampledInputs inputs;
};

// The estimates of every output at one point of the inputs.
struct OutputEstimates {
    std::vector<Estimate> by_output;  // in all_outputs() order
    [[nodiscard]] Estimate at(Output output) const;
};

struct TornadoBar {
    Factor factor;
    OutputEstimates low, high;  // every input of the factor at its low (high) end
    // high - low of each output, per path (paired), in all_outputs() order
    std::vector<Estimate> swing;
};

struct TornadoResult {
    std::string deal, baseline;
    Output output = Output::host_gain;
    int cap_by_year = 0;
    OutputEstimates base;
    std::vector<TornadoBar> bars;  // by |swing of output| descending; ties in factor order
};

// 1 + 2 x factors runs of the deal and its baseline on the same paths; with several `workers`,
// the base and each factor's pair of runs on one of them.
TornadoResult tornado(const ScenarioMaker& make, const std::vector<Factor>& factors,
                      const SensitivityOptions& options, const Progress& progress = {},
                      Workers& workers = one_process());

// Sobol indices by the Saltelli scheme: two N x d matrices A and B of independent draws, and for
// each factor i the matrix A with i's columns taken from B. First order by Saltelli (2010),
// total by Jansen (1999); confidence intervals by the percentile bootstrap over the N rows.
struct SobolIndex {
    std::string factor;
    double first = 0, first_low = 0, first_high = 0;
    double total = 0, total_low = 0, total_high = 0;
};

struct SobolEstimate {
    std::int64_t samples = 0;  // N
    double mean = 0, variance = 0;
    std::vector<SobolIndex> indices;  // in factor order
};

struct SobolSettings {
    std::int64_t samples = 128;  // N
    int bootstrap = 500;
    double confidence = 0.95;
    std::uint64_t seed = 1;
};

// Evaluates the model at points of the unit cube (one row per point, one column per input),
// writing one output per point. May be called from one thread only; rows are independent.
using UnitModel = std::function<void(const std::vector<std::vector<double>>& points,
                                     std::vector<double>& outputs)>;

// The estimator on any model: `groups[i]` lists the columns (inputs) of factor i. The model is
// called once with all N (k + 2) points. Deterministic for a seed.
SobolEstimate sobol_indices(const UnitModel& model, const std::vector<std::string>& factor_names,
                            const std::vector<std::vector<int>>& groups,
                            const SobolSettings& settings);

struct SobolResult {
    std::string deal, baseline;
    Output output = Output::host_gain;
    int cap_by_year = 0;
    std::vector<Factor> factors;
    SobolEstimate estimate;
};

// The model for Sobol: the mean of `options.output` over the run's paths, inputs drawn from their
// triangular distributions. N (k + 2) runs, shared between `workers` (each holds the result).
SobolResult sobol(const ScenarioMaker& make, const std::vector<Factor>& factors,
                  const SensitivityOptions& options, const SobolSettings& settings,
                  const Progress& progress = {}, Workers& workers = one_process());

}  // namespace nadra
