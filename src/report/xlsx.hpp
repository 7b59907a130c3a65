// The run's workbook: summary.json's tables (and terms.json's discount rates and price units) as
// an Excel workbook, written with libxlsxwriter.
#pragma once

#include <filesystem>
#include <string_view>

#include "report/atomic_write.hpp"

namespace nadra {

// Writes the workbook of a run directory's files (as read_run_directory() gives them, or as
// run_outputs() builds them; summary.json is required, terms.json optional) to `file`, whole or
// not at all: into a temporary file in `file`'s folder, then renamed into place. One sheet a
// table, the header row frozen, numbers as numbers, money in US dollars ("USD" in the header):
//   Run           the run's identification, `generated` (the date), the command reproducing it
//   Summary       deal, metric, unit, mean, sd, sem, p5, p25, p50, p75, p95, count
//   Gains         deal, baseline, metric, ...: gain = deal - baseline (summary.json's gains)
//   Differences   a, b, metric, ...: a - b (summary.json's differences)
//   By year       deal, series, year, mean, p5..p95 (deals[].by_year)
//   By asset      deal, asset, kind, commodity, contributions, NPV, share (deals[].by_asset)
//   By commodity  deal, commodity, contributions, NPV, share (deals[].by_commodity)
//   Projects      project, commodity, breakeven price, its unit, government take, AETR, then each
//                 deal's started probability, median start year, co-invested probability
// Throws std::runtime_error (a file that cannot be written, a summary that is not a run's).
void write_xlsx(const std::filesystem::path& file, const OutputFiles& run,
                std::string_view generated);

}  // namespace nadra
