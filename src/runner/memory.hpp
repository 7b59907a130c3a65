// Refusing a run that would not fit in memory, before it starts, instead of being killed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/engine.hpp"
#include "scenario/scenario.hpp"

namespace nadra {

// Bytes this process may still allocate: MemAvailable from /proc/meminfo, lowered to what the
// control group's limit leaves (cgroup v2 or v1) where one is set; none when unknown.
std::optional<std::uint64_t> available_memory();

// "5.4 TB", "21.3 GB", "640 MB"
std::string bytes_text(std::uint64_t bytes);

// The error to print when `paths` paths (needing `need`, plus `extra_per_path` bytes a path for
// output files) would not fit in `available` bytes; none when they fit.
std::optional<std::string> memory_refusal(const RunMemory& need, std::uint64_t extra_per_path,
                                          std::int64_t paths, std::uint64_t available);

// The refusal of a `nadra run` (or a `nadra serve` run) of `deals` deals with `options`, in
// blocks of `block_paths`, keeping paths.csv in memory when `per_path`, on `input_sets` input
// sets (MODEL.md 4.3; each its own scenario and plan): its blocks in flight and its statistics'
// brackets, not every path (analysis/streaming.hpp); none when it fits in `available` bytes.
std::optional<std::string> run_memory_refusal(const Scenario& scenario, const RunOptions& options,
                                              std::int64_t block_paths, std::size_t deals,
                                              bool per_path, std::uint64_t available,
                                              std::int64_t input_sets = 0);

// The error to print when `sets` input sets of `per_set` bytes each (MODEL.md 4.3), beside the
// run's other `fixed` bytes, would not fit in `available` bytes; none when they fit.
std::optional<std::string> input_sets_refusal(std::int64_t sets, std::uint64_t per_set,
                                              std::uint64_t fixed, std::uint64_t available);

}  // namespace nadra
