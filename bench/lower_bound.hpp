// The lower-bound kernel (BENCHMARKS.md): per path, draw every random number a scenario needs,
// with the engine's generator (Philox4x64-10, Box-Muller in batches) and counters, and touch every
// asset-year of every world variant once (read one double, write one, sum), with no model logic.
// The engine's time over this kernel's, at the same paths and threads, says how far the engine
// is from what its random numbers and memory traffic alone cost.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/engine.hpp"

namespace nadra::bench {

// What one path of a run draws and touches.
struct KernelShape {
    int horizon = 0;
    int commodities = 0;
    int projects = 0;
    int variants = 0;  // world variants of the run's deals
    int deals = 0;
    std::vector<int> asset_commodity;  // projects, then streams
    std::vector<double> log_price0;    // per commodity
    // Philox blocks per path, by driver. Each distinct counter is drawn once: the engine draws
    // the conflict uniform (path, year) once per world variant and the support uniform
    // (path, year) once per deal, but they are the same numbers.
    int price_pairs = 0;          // (horizon - 1) * ceil(commodities / 2) normal pairs
    int project_uniforms = 0;     // 2 per project: viability, lead time
    int project_normals = 0;      // 2 per project: capex and opex multipliers
    int fund_pairs = 0;           // ceil(horizon / 2) normal pairs
    int conflict_uniforms = 0;    // horizon
    int liberation_uniforms = 0;  // mean per path (measured), rounded
    int support_uniforms = 0;     // mean per path (measured), rounded
    double liberation_mean = 0, support_mean = 0;

    [[nodiscard]] int blocks() const {
        return price_pairs + project_uniforms + project_normals + fund_pairs + conflict_uniforms +
               liberation_uniforms + support_uniforms;
    }
    [[nodiscard]] int assets() const { return static_cast<int>(asset_commodity.size()); }
};

// Counts what the run `options` draws per path; the conditional draws (liberation at a war's
// end, support continuation) are averaged over `calibration_paths` paths of the engine's own
// conflict simulation and support rule.
KernelShape kernel_shape(const Scenario& scenario, const RunOptions& options,
                         std::int64_t calibration_paths = 2000);

// Runs the kernel over `paths` paths on `threads` threads (TBB, as the engine: tasks of 64
// paths); returns the sum of every path's checksum, so that nothing can be optimised away.
double run_lower_bound(const KernelShape& shape, std::uint64_t seed, std::int64_t paths,
                       int threads);

// "1,234,567".
std::string grouped(std::int64_t n);

}  // namespace nadra::bench
