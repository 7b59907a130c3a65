// `nadra fiscal`: one project under several fiscal regimes, side by side (issue 19; MODEL.md 5,
// v1.3). On base inputs, every measure fiscal analysts compare regimes by; on the same futures
// (common random numbers: a path's prices, wars and draws do not depend on the regime), what
// the state gets and what the investor keeps on each path, and their paired differences.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/statistics.hpp"
#include "analysis/workers.hpp"
#include "engine/engine.hpp"
#include "scenario/scenario.hpp"

namespace nadra {

// One regime's results for the project.
struct RegimeOutcome {
    std::string regime;
    ProjectFiscal base;  // on base inputs and the base price path
    // Per path, in path order: the project's state revenue NPV at the host's rate and the
    // investor's NPV at its rate, over the horizon's years (0 where it never starts); whether it
    // started; its government take and AETR where it started (NaN elsewhere, and where not
    // defined); the path's mean real price of the project's commodity over the horizon.
    std::vector<double> state_npv, investor_npv;
    std::vector<char> started;
    std::vector<double> take, aetr, mean_real_price;
    // Their statistics over paths (take and AETR over the paths where it started).
    Stats state_npv_stats, investor_npv_stats, take_stats, aetr_stats;
    double started_probability = 0;
};

// Paired, per-path differences a - b of the state's and the investor's NPVs.
struct RegimeDifference {
    std::string a, b;
    Stats state_npv, investor_npv;
};

struct FiscalComparison {
    std::string project;
    std::string commodity, unit;
    double price_level = 0;  // the commodity's long-run real price (progressivity's 1x)
    double investor_rate = 0, host_rate = 0;
    std::vector<RegimeOutcome> regimes;
    // Each regime but the first minus the first (the reference).
    std::vector<RegimeDifference> differences;
};

// Project `project` under each of `regimes` (whole regimes: the world's or any other), on
// `run.paths` paths of `run.seed` in the world without a deal. Results do not depend on the
// thread count, nor on how many processes share the regimes (`workers`: each regime's paths run
// on one rank, and every rank returns the whole comparison). `progress` counts this rank's paths.
FiscalComparison compare_regimes(const Scenario& scenario, int project,
                                 const std::vector<Regime>& regimes, const RunOptions& run,
                                 const Progress& progress = {}, Workers& workers = one_process());

}  // namespace nadra
