// The files `nadra run` writes into its output directory, built in memory so that they can be
// written all together (report/atomic_write.hpp).
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "analysis/statistics.hpp"
#include "engine/engine.hpp"
#include "report/atomic_write.hpp"
#include "report/run_info.hpp"
#include "scenario/scenario.hpp"

namespace nadra {

// summary.json, fund_bands.csv, cap_curve.csv and terms.json of a run of `deals` (indices into
// Scenario::deals); with paths_csv (report/csv.hpp), also paths.csv.
OutputFiles run_outputs(const RunInfo& info, const Scenario& scenario, std::span<const int> deals,
                        const RunSummary& summary, const std::vector<ProjectFiscal>& projects,
                        std::optional<std::string> paths_csv);

}  // namespace nadra
