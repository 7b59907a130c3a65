// Tables for the terminal: aligned columns, rounded for reading (the files keep full precision).
#pragma once

#include <string>
#include <vector>

#include "analysis/statistics.hpp"
#include "engine/engine.hpp"
#include "report/run_info.hpp"

namespace nadra {

// Rounded to `digits` decimals; "-" for a number that is not finite, and no "-0.0".
std::string fixed_digits(double value, int digits);

// Rows as aligned columns: the first left-aligned, the others right-aligned, two spaces apart.
std::string aligned_columns(const std::vector<std::vector<std::string>>& rows);

// One row per deal: means of host value, partner value and host contributions in $ bn, the
// probability that the cap is reached by the horizon, and the median cap year over the paths
// that reach it ("-" when none does); then a line with paths, seed and horizon.
std::string run_table(const RunInfo& info, const RunSummary& summary);

// With input sets (MODEL.md 4.3), printed under run_table: one line per deal saying how much of
// the spread of host and partner value lies between input sets (judgement) rather than within
// them (chance). Empty without input sets.
std::string judgement_lines(const RunSummary& summary);

// One row per year of a project's cash flow: production, price, and money in $ m.
std::string cashflow_table(const std::vector<CashflowYear>& years);

}  // namespace nadra
