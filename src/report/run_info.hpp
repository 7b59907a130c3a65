// What identifies a run in its reports: enough to reproduce it.
#pragma once

#include <cstdint>
#include <string>

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
};

}  // namespace nadra
