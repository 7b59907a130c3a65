// The `nadra` subcommands. Each returns the process exit code: 0 success, 1 invalid input or
// a failed run, 2 bad usage, 130 interrupted. Those that simulate share their work between
// `workers` (the processes of an MPI job, analysis/workers.hpp); only rank 0 prints and writes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/workers.hpp"

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
    std::string xlsx;                    // --xlsx FILE: also write the Excel workbook there
    // --sample-inputs K: input sets (MODEL.md 4.3); none: the scenario's run.sample_inputs, else 0.
    std::optional<std::int64_t> sample_inputs;
    std::vector<std::string> inputs;  // --input PATTERN: sample only these (default: every one)
};
int run_command(const RunArgs& args, Workers& workers = one_process());

// `nadra export RUN_DIR --xlsx FILE`: the Excel workbook of a run directory (report/xlsx.hpp),
// the same as `nadra run --xlsx` writes.
int export_command(const std::string& run_dir, const std::string& xlsx);

// `nadra report RUN_DIR [-o FILE]`: the HTML report of a run directory; FILE empty:
// RUN_DIR/report.html.
int report_command(const std::string& run_dir, const std::string& file);

int init_command(const std::string& dir, bool force);

struct CashflowArgs {
    std::string scenario;
    std::string asset;                 // --asset: a project or a stream
    std::string project;               // --project: a project (the older spelling)
    std::optional<std::int64_t> path;  // none: base inputs
    std::string deal;
    std::uint64_t seed = 1;
    bool csv = false;
    std::vector<std::string> overrides;  // --set KEY=VALUE
};
int cashflow_command(const CashflowArgs& args);

// What the analyses share: the scenario, the paths they run, where they write.
struct AnalysisArgs {
    std::string scenario;  // empty: the built-in scenario
    std::optional<std::int64_t> paths;
    std::optional<std::uint64_t> seed;
    int threads = 0;
    std::string out = "out";
    std::string report;                  // --report FILE
    std::vector<std::string> overrides;  // --set KEY=VALUE
    std::string deal;
    std::string baseline = "no_deal";
    std::string command_line;  // as typed, for the files to record ("nadra sweep ...")
    // --sample-inputs K (sweep, breakeven, tornado): input sets (MODEL.md 4.3); none: the
    // scenario's run.sample_inputs, else 0.
    std::optional<std::int64_t> sample_inputs;
    // --input PATTERN (sweep, breakeven): sample only these; tornado samples every input but the
    // factor it swings.
    std::vector<std::string> sampled_patterns;
};

// `nadra sweep`: a grid of variants of deals; the frontier and the zone of agreement.
struct SweepArgs {
    AnalysisArgs common;             // its `deal` is unused: see `deals`
    std::vector<std::string> deals;  // --deal, comma-separated
    std::vector<std::string> vary;   // KEY=FROM:TO:STEP or KEY=V1,V2,...
    std::string value = "money";     // the basis of the frontier and zone: money or total
};
int sweep_command(const SweepArgs& args, Workers& workers = one_process());

// `nadra breakeven`: the value of one term at which each party is indifferent to the baseline.
struct BreakevenArgs {
    AnalysisArgs common;
    std::string param;
    std::string range;            // "LOW:HIGH"; empty: [0, 1] for a fraction
    std::string party = "both";   // host, partner or both
    std::string value = "money";  // whose gains: money or total (support valued)
};
int breakeven_command(const BreakevenArgs& args, Workers& workers = one_process());

// `nadra tornado` and `nadra sobol`: which uncertain inputs move an output.
struct SensitivityArgs {
    AnalysisArgs common;
    std::string output = "host_gain";
    std::optional<int> year;          // for cap_probability; default the last year
    std::vector<std::string> inputs;  // patterns; each one factor
    bool each = false;                // every input its own factor
    bool list = false;                // print the inputs and factors, run nothing
    int rows = 15;                    // tornado: rows printed
    std::int64_t samples = 64;        // sobol: N
    int bootstrap = 500;              // sobol
    int top = 8;                      // sobol without --input: screen to this many factors
};
int tornado_command(const SensitivityArgs& args, Workers& workers = one_process());
int sobol_command(const SensitivityArgs& args, Workers& workers = one_process());

// `nadra serve`: the live page and its JSON API (docs/api.md) until Ctrl-C.
struct ServeArgs {
    std::string scenario;  // empty: the built-in scenario
    int port = 8080;
    std::string bind = "127.0.0.1";
    std::int64_t max_paths = 1'000'000;  // a run asking for more is refused
    std::int64_t paths = 0;              // a run's paths by default; 0: the scenario's
    int runs = 2;                        // runs at once; more wait in a queue
    int threads = 0;                     // a run's threads; 0: every core
    std::uint64_t memory_budget = 0;     // bytes all runs may use; 0: what the machine has free
};
int serve_command(const ServeArgs& args);

}  // namespace nadra::cli
