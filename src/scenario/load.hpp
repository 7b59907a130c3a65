// Reading scenario files (TOML, with includes) into a validated Scenario. Every problem found
// is reported, not just the first, each with its place in the input.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
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
    std::string sha256;  // of the root file and every included file's bytes, in load order,
                         // then of the overrides (if any)
    std::vector<std::string> files;  // every file read, in load order
};

// A value given on the command line (`--set KEY=VALUE`) that replaces the scenario's value at
// a key path, e.g. {"deals.v5.share", "0.4"}. VALUE is a TOML value; a bare word that is not a
// TOML value is taken as a string. The scenario is checked after the overrides are applied; an
// error in an override is placed at file "--set", line = its position among the overrides.
struct Override {
    std::string key;
    std::string value;
};
using Overrides = std::vector<Override>;

// Splits "KEY=VALUE" at the first '=' (spaces around either part dropped); none when there is
// no '=' or KEY is empty.
std::optional<Override> parse_override(std::string_view text);

// Loads `root` from disk, following includes, then applies `overrides`.
LoadResult load_scenario_file(const std::filesystem::path& root, const Overrides& overrides = {});
// Loads `root` from an in-memory file set (paths relative to the set's root).
LoadResult load_scenario_files(const FileSet& files, const std::string& root,
                               const Overrides& overrides = {});

}  // namespace nadra
