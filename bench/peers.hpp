// The simple model of BENCHMARKS.md ("Peers"), the one nadra, Squiggle and a scalar C++ loop all
// run: one commodity whose ln price is a random walk (price0 100, drift 0.02, sigma 0.25 of ln
// price a year) over 30 years, 11e6 units a year, 50% of revenue contributed until USD 20 bn,
// NPV of contributions at 5% (year t discounted by 1.05^-(t+1)), probability of reaching the cap.
#pragma once

#include <cstdint>

#include "scenario/scenario.hpp"

namespace nadra::bench {

struct SimpleResult {
    double seconds = 0;  // the timed part only (see each function)
    double mean_npv = 0, sem_npv = 0;
    double p_cap = 0;
};

// A straightforward scalar loop: std::mt19937_64 and std::normal_distribution, path by path,
// year by year. Timed: the loop over every sample, including the mean and P(cap).
SimpleResult run_scalar_simple(std::int64_t samples, std::uint64_t seed);

// nadra on bench/simple/scenario.toml (loaded by the caller, not timed): one warm-up run of
// 1,000 paths (not timed), then one timed call of nadra::simulate with `samples` paths on one
// thread. The NPV of contributions is the deal's partner_value; P(cap) the share of paths with a
// cap year. Computing them from the result is not timed.
SimpleResult run_nadra_simple(const Scenario& scenario, std::int64_t samples);

}  // namespace nadra::bench
