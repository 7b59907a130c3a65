// The `nadra` subcommands. Each returns the process exit code: 0 success, 1 invalid input or
// a failed run, 2 bad usage, 130 interrupted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nadra::cli {

inline constexpr int exit_ok = 0;
inline constexpr int exit_invalid = 1;
inline constexpr int exit_usage = 2;
inline constexpr int exit_interrupted = 130;

// `overrides`: the `--set KEY=VALUE` options, in order.
int validate_command(const std::string& scenario_path,
                     const std::vector<std::string>& overrides = {});

struct RunArgs {
    std::string scenario;  // empty: the built-in scenario
    std::optional<std::int64_t> paths;
    std::optional<std::uint64_t> seed;
    int threads = 0;
    std::vector<std::string> deals;
    std::string out = "out";
    bool per_path = false;
    std::vector<std::string> overrides;  // --set KEY=VALUE
    std::string report;                  // --report FILE: also write the HTML report there
};
int run_command(const RunArgs& args);

// `nadra report RUN_DIR [-o FILE]`: the HTML report of a run directory; FILE empty:
// RUN_DIR/report.html.
int report_command(const std::string& run_dir, const std::string& file);

int init_command(const std::string& dir, bool force);

struct CashflowArgs {
    std::string scenario;
    std::string project;
    std::optional<std::int64_t> path;  // none: base inputs
    std::string deal;
    std::uint64_t seed = 1;
    bool csv = false;
    std::vector<std::string> overrides;  // --set KEY=VALUE
};
int cashflow_command(const CashflowArgs& args);

}  // namespace nadra::cli
