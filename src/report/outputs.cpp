#include "report/outputs.hpp"

#include <utility>

#include "report/csv.hpp"
#include "report/summary_json.hpp"
#include "report/terms_json.hpp"
#include "report/year_outputs.hpp"

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
    // With per-year results (RunOptions::keep_years).
    if (!summary.deals.empty() && !summary.deals.front().by_year.empty()) {
        files.emplace("by_year.csv", by_year_csv(summary, info.start_year));
        files.emplace("by_asset.csv", by_asset_csv(summary));
    }
    return files;
}

}  // namespace nadra
