// Sampling-based sensitivity from a run on input sets (MODEL.md 4.3), at no extra runs: for each
// sampled input, the Spearman rank correlation of its draws with each deal's per-set mean gain
// over the reference, and a percentile-bootstrap interval over the sets.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "analysis/input_sets.hpp"
#include "analysis/statistics.hpp"

namespace nadra {

// Spearman's rank correlation of x and y (equal lengths): Pearson's on their ranks, ties given
// their average rank. NaN with fewer than 3 pairs or when either has no spread.
double spearman(std::span<const double> x, std::span<const double> y);

struct CorrelationOptions {
    std::string reference = "no_deal";  // gains are a deal's value less this deal's, per path
    int bootstrap = 500;                // resamples of the sets
    double confidence = 0.9;            // the interval's level
};

// The correlations of every sampled input with every deal's host_gain and partner_gain (its
// host_value and partner_value less the reference's, paired), in deal order, then metric, then
// input key order. The set means come from the summary's pairs (DifferenceSummary::set_means);
// the draws are recomputed from `draws` and `seed`, as the run drew them. Empty when the run had
// no input sets or no deal named as the reference. Sets with no values are left out. The
// bootstrap resamples sets with counter-based draws (seed, resample, position), so the interval
// does not depend on threads.
InputCorrelations input_correlations(const RunSummary& summary, const InputDraws& draws,
                                     std::uint64_t seed, const CorrelationOptions& options = {});

}  // namespace nadra
