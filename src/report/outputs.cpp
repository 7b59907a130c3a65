#include "report/outputs.hpp"

#include "report/csv.hpp"
#include "report/summary_json.hpp"
#include "report/terms_json.hpp"

namespace nadra {

OutputFiles run_outputs(const RunInfo& info, const Scenario& scenario,
                        const SimulationResult& result, const RunSummary& summary,
                        const std::vector<ProjectFiscal>& projects, bool per_path) {
    OutputFiles files{
        {"summary.json", summary_json(info, scenario, summary, projects)},
        {"fund_bands.csv", fund_bands_csv(summary, info.start_year)},
        {"cap_curve.csv", cap_curve_csv(summary, info.start_year)},
        {"terms.json", terms_json(scenario, result)},
    };
    if (per_path) files.emplace("paths.csv", paths_csv(scenario, result));
    return files;
}

}  // namespace nadra
