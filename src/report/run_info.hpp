// What identifies a run in its reports: enough to reproduce it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace nadra {

struct RunInfo {
    std::string nadra_version;
    std::string scenario;         // the scenario's name
    std::string scenario_sha256;  // LoadResult::sha256
    std::uint64_t seed = 1;
    std::int64_t paths = 0;
    int start_year = 0;  // calendar year of year index 0
    int horizon = 0;     // years simulated
    // The command line that reproduces an analysis (its files record it); empty for a run, whose
    // report builds its own from the fields above.
    std::string command;
    // An analysis run on input sets (MODEL.md 4.3): how many, and the key paths they sample.
    std::int64_t sample_inputs = 0;
    std::vector<std::string> sampled_inputs = {};
};

// The `nadra run` command line that reproduces a run from its summary: the scenario label
// (the scenario's path, or builtin:NAME, then any " --set KEY=VALUE"), seed, paths, the deals in
// the run's order, --per-path when the run wrote paths.csv, and with input sets (MODEL.md 4.3)
// --sample-inputs K and each --input pattern.
std::string reproduce_run_command(const std::string& scenario_label, std::uint64_t seed,
                                  std::int64_t paths, const std::vector<std::string>& deals,
                                  bool per_path, std::int64_t sample_inputs = 0,
                                  const std::vector<std::string>& input_patterns = {});

}  // namespace nadra
