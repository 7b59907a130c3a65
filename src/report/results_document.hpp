// The results document: one JSON document with everything a report or the live page shows
// (docs/results-document.md), gathered from a run's files. The front-end (web/) renders it;
// the C++ side writes only data.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "report/atomic_write.hpp"

namespace nadra {

// At most this many paths go into the document's path sample (csv.hpp's path_sample()), which
// the paired-difference scatter draws.
inline constexpr std::int64_t report_path_sample = 2000;

// The document of a run's files as read_run_directory() gives them, or as run_outputs(),
// sweep_outputs() etc. make them in memory (no file is read here):
//   {"nadra_results": 1, "generated": ..., "reproduce": "nadra run ..." | null,
//    "summary": summary.json | null, "terms": terms.json | null,
//    "fund_bands": [{deal, year, p5..p95}] | null, "cap_curve": [{deal, year,
//    cap_reached_probability}] | null, "paths": {"path": [...], "values": {deal: {host_value:
//    [...], partner_value: [...]}}} | null, "analyses": {"sweep": sweep.json, ..., "fiscal":
//    fiscal.json}}
// CSV fields become numbers (null where empty or not a number). With summary.json, fund_bands.csv
// and cap_curve.csv must be there; paths.csv is sampled to report_path_sample paths. Throws
// std::runtime_error naming the file when a file is not what nadra writes, and when there is
// neither summary.json nor an analysis file.
nlohmann::ordered_json results_document(const OutputFiles& files, std::string_view generated);

}  // namespace nadra
