// The HTML report: one self-contained file that opens offline in any browser, for people who
// read results rather than files. Tables are written here as HTML; charts are Vega-Lite specs,
// drawn in the browser by the libraries the file carries (report/report_assets.hpp).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

#include "report/atomic_write.hpp"

namespace nadra {

// At most this many paths go into the paired-difference scatter (csv.hpp's path_sample()).
inline constexpr std::int64_t report_path_sample = 2000;

// The files of a run directory that a report reads: those of `nadra run` (summary.json,
// fund_bands.csv and cap_curve.csv, and terms.json and paths.csv where they are) and those of the
// analyses (sweep.json, breakeven.json, tornado.json, sobol.json) where they are. A run's three
// files must all be there when summary.json is, or when no analysis file is (std::runtime_error
// naming the one missing); a directory with only analysis files is a report of those.
OutputFiles read_run_directory(const std::filesystem::path& dir);

// The report of a run and of the analyses, from their files as read_run_directory() gives them
// (or as run_outputs() and sweep_outputs() etc. make them). With summary.json: the run's header
// and sections (terms, fund, cap, values, paired differences, projects, all results). Without
// terms.json the terms table says so; without paths.csv the scatter is left out with a note
// saying how to get it; paths.csv may hold every path or only path_sample()'s. Then one section
// per analysis file there is: which terms both sides accept (sweep), where each side is
// indifferent (breakeven), which assumptions move the answer (tornado), Sobol indices (sobol).
// Without summary.json the header is built from the first analysis file's run identification,
// and an analysis run otherwise than the header says is marked so in its section. `generated` is
// shown in the header as the report's date. Everything taken from the files is escaped: entities
// in HTML text, and "<", ">" and "&" as \u escapes in the JSON inside <script>. Throws
// std::runtime_error, naming the file, when a file is not what nadra writes, and when there is
// neither summary.json nor an analysis file.
std::string html_report(const OutputFiles& files, std::string_view generated);

// The current time, UTC, as "2025-04-30 14:05 UTC".
std::string utc_now();

// Numbers for people: "$ 12.3 bn", "-$ 450 m", "$ 0"; "45%", "4.5%", "0.12%"; "2061". Three
// significant digits for money; "-" for a non-finite number. Negative signs are U+2212.
std::string format_money(double usd);
std::string format_percent(double fraction);
std::string format_year(double year);

// Text made safe for HTML: & < > " ' as entities.
std::string html_escape(std::string_view text);

}  // namespace nadra
