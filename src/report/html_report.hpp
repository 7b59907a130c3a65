// The HTML report: one self-contained file that opens offline in any browser, for people who
// read results rather than files. It is the front-end's page (web/, embedded at build time:
// report/report_assets.hpp) with the run's results document (report/results_document.hpp)
// inlined; the page draws every table and chart from the document.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "report/atomic_write.hpp"
#include "report/results_document.hpp"

namespace nadra {

// The files of a run directory that a report reads: those of `nadra run` (summary.json,
// fund_bands.csv and cap_curve.csv, and terms.json and paths.csv where they are) and those of the
// analyses (sweep.json, breakeven.json, tornado.json, sobol.json, fiscal.json) where they are. A
// run's three files must all be there when summary.json is, or when no analysis file is
// (std::runtime_error naming the one missing); a directory with only analysis files is a report of
// those.
OutputFiles read_run_directory(const std::filesystem::path& dir);

// The report page with `document` inlined as JSON in <script type="application/json"
// id="nadra-results">, with "<", ">" and "&" written as \u escapes so that nothing in it can end
// or confuse the element.
std::string html_page(const nlohmann::ordered_json& document);

// The report of a run and of the analyses, from their files as read_run_directory() gives them
// (or as run_outputs() and sweep_outputs() etc. make them): html_page() of results_document().
// `generated` is shown in the header as the report's date. Throws std::runtime_error, naming the
// file, when a file is not what nadra writes, and when there is neither summary.json nor an
// analysis file.
std::string html_report(const OutputFiles& files, std::string_view generated);

// JSON for a <script> element: "<", ">" and "&" only ever occur inside JSON strings, where
// \u escapes mean the same.
std::string script_json(const nlohmann::ordered_json& json);

// The current time, UTC, as "2025-04-30 14:05 UTC".
std::string utc_now();

}  // namespace nadra
