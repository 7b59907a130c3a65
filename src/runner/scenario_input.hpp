// Reading the scenario a command (or `nadra serve`'s run) runs on: the built-in one or a file,
// with `--set` overrides, and the scenario maker the analyses use to change it by key path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/variants.hpp"
#include "scenario/load.hpp"
#include "scenario/scenario.hpp"

namespace nadra {

// What a run uses when neither the command line nor the scenario says.
inline constexpr std::int64_t default_paths = 10'000;
inline constexpr std::uint64_t default_seed = 1;

struct Loaded {
    Scenario scenario;
    std::string path;   // as given; empty for the built-in scenario
    std::string label;  // the path as given, or "builtin:NAME", then " --set KEY=VALUE"...
    std::string sha256;
    Overrides overrides;  // from --set
};

// What try_load() found: the scenario, or every error (a `--set` that is not KEY=VALUE is an
// error at file "--set", line = its position, with the key left empty).
struct LoadAttempt {
    std::optional<Loaded> loaded;
    std::vector<InputError> errors;
    std::vector<std::string> files;  // every scenario file read, in load order
    bool malformed_set = false;      // the error is a `--set` without KEY=VALUE
};
LoadAttempt try_load(const std::string& path, const std::vector<std::string>& sets);

// Loads the scenario (the built-in one for an empty path) with the `--set` overrides, printing
// every error on stderr; none when there was one.
std::optional<Loaded> load(const std::string& path, const std::vector<std::string>& sets);

// "overrides: a=1, b=2\n"
std::string overrides_note(const Overrides& overrides);

// Makes the loaded scenario with further settings: its files are read again with the `--set`
// overrides and then the settings, so a setting is checked exactly as a file value is. Throws
// VariantError with every error, placed, on one line each; an error in the settings is placed
// at `source` (e.g. "--vary").
ScenarioMaker scenario_maker(const Loaded& loaded, const std::string& source);

}  // namespace nadra
