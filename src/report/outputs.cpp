#include "report/outputs.hpp"

#include <utility>

#include "report/csv.hpp"
#include "report/summary_json.hpp"
#include "report/terms_json.hpp"

namespace nadra {

OutputFiles run_outputs(const RunInfo& info, const Scenario& scenario, std::span<const int> deals,
                        const RunSummary& summary, const std::vector<ProjectFiscal>& projects,
                        std::optional<std::string> paths_csv) {
    OutputFiles files{
        {"summary.json", summary_json(info, scenario, summary, projects)},
        {"fund_bands.csv", fund_bands_csv(summary, info.start_year)},
        {"cap_curve.csv", cap_curve_csv(summary, info.start_year)},
        {"terms.json", terms_json(scenario, deals)},
    };
    if (paths_csv) files.emplace("paths.csv", std::move(*paths_csv));
    return files;
}

}  // namespace nadra
