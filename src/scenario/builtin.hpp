// The built-in scenario, compiled into the binary (see cmake/embed.cmake).
#pragma once

#include "scenario/load.hpp"

namespace nadra {

inline constexpr const char* builtin_scenario_root = "scenario.toml";
// Every file of the built-in scenario, keyed by its path relative to the scenario's folder.
const FileSet& builtin_scenario();

}  // namespace nadra
