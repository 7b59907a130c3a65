// The files `nadra run` writes into its output directory, built in memory so that they can be
// written all together (report/atomic_write.hpp).
#pragma once

#include <vector>

#include "analysis/statistics.hpp"
#include "engine/engine.hpp"
#include "report/atomic_write.hpp"
#include "report/run_info.hpp"
#include "scenario/scenario.hpp"

namespace nadra {

// summary.json, fund_bands.csv, cap_curve.csv and terms.json; with per_path, also paths.csv.
OutputFiles run_outputs(const RunInfo& info, const Scenario& scenario,
                        const SimulationResult& result, const RunSummary& summary,
                        const std::vector<ProjectFiscal>& projects, bool per_path);

}  // namespace nadra
