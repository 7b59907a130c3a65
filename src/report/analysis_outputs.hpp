// The files and terminal tables of the negotiation and sensitivity analyses (`nadra sweep`,
// `breakeven`, `tornado`, `sobol`). Each JSON file starts with the same run identification as
// summary.json, then "analysis": its name; money is in dollars, full precision; null for a
// number that is not finite or does not exist. CSV follows report/csv.hpp's conventions.
#pragma once

#include <string>

#include "analysis/negotiation.hpp"
#include "analysis/sensitivity.hpp"
#include "report/atomic_write.hpp"
#include "report/run_info.hpp"

namespace nadra {

// sweep.json and sweep.csv.
OutputFiles sweep_outputs(const RunInfo& info, const SweepResult& result);
// The variants as a table ($ bn), the frontier marked "F" and the zone "Z", then the zone
// and frontier as lists.
std::string sweep_table(const SweepResult& result);

// breakeven.json and breakeven.csv.
OutputFiles breakeven_outputs(const RunInfo& info, const BreakevenResult& result);
std::string breakeven_table(const BreakevenResult& result);

// tornado.json and tornado.csv.
OutputFiles tornado_outputs(const RunInfo& info, const TornadoResult& result);
// The `rows` widest bars (all when rows <= 0).
std::string tornado_table(const TornadoResult& result, int rows);

// sobol.json and sobol.csv.
OutputFiles sobol_outputs(const RunInfo& info, const SobolResult& result);
std::string sobol_table(const SobolResult& result);

}  // namespace nadra
