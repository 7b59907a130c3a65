// Reading scenario files (TOML, with includes) into a validated Scenario. Every problem found
// is reported, not just the first, each with its place in the input.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "scenario/scenario.hpp"

namespace nadra {

struct InputError {
    std::string file;  // as given (relative to the working directory, or a built-in name)
    int line = 0;      // 1-based; 0 when the error has no place (a missing file)
    int column = 0;
    std::string key;      // key path, e.g. "world.projects.dobra.capex"
    std::string message;  // what is wrong; what to do
};

// "file:line:column: key: message" (the parts that are known).
std::string format_error(const InputError& error);

// A set of scenario files held in memory: path -> contents. The built-in scenario is one; the
// loader reads real files through the same interface so tests need no disk.
using FileSet = std::map<std::string, std::string>;

struct LoadResult {
    std::optional<Scenario> scenario;  // set only when errors is empty
    std::vector<InputError> errors;
    std::string sha256;  // of the root file and every included file's bytes, in load order
    std::vector<std::string> files;  // every file read, in load order
};

// Loads `root` from disk, following includes.
LoadResult load_scenario_file(const std::filesystem::path& root);
// Loads `root` from an in-memory file set (paths relative to the set's root).
LoadResult load_scenario_files(const FileSet& files, const std::string& root);

}  // namespace nadra
