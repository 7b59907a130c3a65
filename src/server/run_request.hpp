// POST /api/run: the request read and checked as a scenario file is (the same loader, so an
// error names the key), and the run it asks for, made as `nadra run` makes it so that the API's
// summary.json is byte for byte the command line's.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runner/scenario_input.hpp"
#include "server/run_manager.hpp"

namespace nadra::server {

// How `nadra serve` runs.
struct ServeConfig {
    std::string scenario;                // the scenario file; empty: the built-in one
    std::int64_t max_paths = 1'000'000;  // a request for more is refused
    std::int64_t paths = 0;              // a run's when the request does not say (and the page's
                                         // full run's); 0: the scenario's, else 10,000
    std::uint64_t memory_budget = 0;     // bytes all runs at once may use; 0: what is free
    int threads = 0;                     // a run's threads; 0: every core
    RunLimits limits;                    // runs at once, queued, kept
};

// The paths a page's preview run uses while a term moves.
inline constexpr std::int64_t preview_paths = 10'000;

// The paths of a run whose request does not say: the server's --paths, else the scenario's, else
// 10,000.
std::int64_t default_run_paths(const Scenario& scenario, const ServeConfig& config);
// Request bodies above this size are refused (413).
inline constexpr std::size_t max_body_bytes = 1 << 20;

// An input refused: HTTP status, the key at fault (a scenario key such as "deals.v5.share", or
// a request field such as "paths"), the message, and for scenario errors every error placed.
struct RequestError {
    int status = 400;
    std::string key;
    std::string message;
    std::vector<InputError> errors;
};

// A POST /api/run, checked.
struct RunInputs {
    std::vector<std::string> sets;  // "deals.v5.share=0.3", in order
    std::int64_t paths = 0;
    std::uint64_t seed = 0;
    std::vector<std::string> deals;  // as asked; empty: every deal
    std::string page;                // the page that asked; its newer run cancels this one
    std::shared_ptr<const Loaded> loaded;
    std::vector<int> deal_indices;  // into the scenario's deals, in run order
};

// Reads {"set": [...], "paths": N, "seed": S, "deals": [...], "page": "..."} (every field
// optional; paths and seed default to the scenario's, then to `nadra run`'s), loads the scenario
// with the sets and checks that the run fits the memory budget. Throws RequestError.
RunInputs read_run_request(std::string_view body, const ServeConfig& config);

// The run, as `nadra run --set ... --seed S --paths N --deals ...` makes it: its files and a
// sample of paths for the report's scatter. Throws RunFailure; stops when `progress` answers
// false.
RunFiles execute_run(const RunInputs& inputs, int threads,
                     const std::function<bool(double)>& progress);

}  // namespace nadra::server
