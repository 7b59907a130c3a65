#include "report/run_info.hpp"

#include <fmt/format.h>

namespace nadra {

std::string reproduce_run_command(const std::string& scenario_label, std::uint64_t seed,
                                  std::int64_t paths, const std::vector<std::string>& deals,
                                  bool per_path, std::int64_t sample_inputs,
                                  const std::vector<std::string>& input_patterns) {
    const std::size_t sets = scenario_label.find(" --set ");
    const std::string file = scenario_label.substr(0, sets);
    std::string command = "nadra run";
    if (!file.starts_with("builtin:")) command += " " + file;
    if (sets != std::string::npos) command += scenario_label.substr(sets);
    command += fmt::format(" --seed {} --paths {}", seed, paths);
    // The deals in the run's order (a run of some of the scenario's deals, or in another
    // order, is reproduced only with them).
    std::string list;
    for (const std::string& deal : deals) list += (list.empty() ? "" : ",") + deal;
    command += " --deals " + list;
    if (per_path) command += " --per-path";
    if (sample_inputs > 0) {
        command += fmt::format(" --sample-inputs {}", sample_inputs);
        for (const std::string& pattern : input_patterns) command += " --input '" + pattern + "'";
    }
    return command;
}

}  // namespace nadra
