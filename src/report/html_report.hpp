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

// The files of a run directory that a report reads: summary.json, fund_bands.csv and
// cap_curve.csv, which must be there (std::runtime_error naming the one missing), and
// terms.json and paths.csv where they are.
OutputFiles read_run_directory(const std::filesystem::path& dir);

// The report of a run, from its files as read_run_directory() gives them (or as run_outputs()
// makes them). Without terms.json the terms table says so; without paths.csv the scatter is
// left out with a note saying how to get it; paths.csv may hold every path or only
// path_sample()'s. `generated` is shown in the header as the report's date. Everything taken from
// the files is escaped: entities in HTML text, and "<", ">" and "&" as \u escapes in the JSON
// inside <script>. Throws std::runtime_error when a file is not what nadra writes.
std::string html_report(const OutputFiles& run, std::string_view generated);

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
