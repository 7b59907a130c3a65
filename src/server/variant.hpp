// A deal changed on the page, as a deal file (docs/scenario-format.md) and read back: the file is
// the deal's table from the scenario's files with the page's `set` values put in, and a comment
// saying what changed from which deal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runner/scenario_input.hpp"
#include "server/run_request.hpp"

namespace nadra::server {

// The deal file of `deal` with the `sets` that name it (deals.DEAL.KEY=VALUE) applied, starting
// "# changed from deal v5: share 0.5 -> 0.3, ...". `config.scenario` is read again for the
// deal's table. Throws RequestError (404 for an unknown deal).
std::string variant_toml(const ServeConfig& config, const std::vector<std::string>& sets,
                         const std::string& deal);

struct LoadedVariant {
    std::string deal;
    std::vector<std::string> sets;  // deals.DEAL.KEY=VALUE for each value that differs
};

// Reads a deal file back: one [deals.NAME] of the scenario; its values that differ from the
// scenario's become `sets`, which are then checked by loading the scenario with them. Throws
// RequestError naming the key (or the line of a TOML syntax error).
LoadedVariant read_variant(const ServeConfig& config, std::string_view toml_text);

}  // namespace nadra::server
