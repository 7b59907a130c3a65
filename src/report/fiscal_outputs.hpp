// `nadra fiscal`'s files (fiscal.json, fiscal.csv) and printed table (issue 19).
#pragma once

#include <string>

#include "analysis/fiscal.hpp"
#include "report/atomic_write.hpp"
#include "report/run_info.hpp"

namespace nadra {

// fiscal.json: the run identification, then the project and, per regime, its base-case
// measures (as summary.json's projects[]), the statistics over paths of the state's and the
// investor's NPVs, of the government take and AETR where the project started, the probability
// that it starts, and a sample of (mean real price, AETR) points for the progressivity scatter;
// then the paired differences of each regime from the first. fiscal.csv: one row per regime.
OutputFiles fiscal_outputs(const RunInfo& info, const FiscalComparison& result);
std::string fiscal_table(const FiscalComparison& result);

}  // namespace nadra
