// Refusing a run that would not fit in memory, before it starts, instead of being killed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "engine/engine.hpp"

namespace nadra::cli {

// Bytes this process may still allocate: MemAvailable from /proc/meminfo, lowered to what the
// control group's limit leaves (cgroup v2 or v1) where one is set; none when unknown.
std::optional<std::uint64_t> available_memory();

// "5.4 TB", "21.3 GB", "640 MB"
std::string bytes_text(std::uint64_t bytes);

// The error to print when `paths` paths (needing `need`, plus `extra_per_path` bytes a path for
// output files) would not fit in `available` bytes; none when they fit.
std::optional<std::string> memory_refusal(const RunMemory& need, std::uint64_t extra_per_path,
                                          std::int64_t paths, std::uint64_t available);

// The error to print when `sets` input sets of `per_set` bytes each (MODEL.md 4.3), beside the
// run's other `fixed` bytes, would not fit in `available` bytes; none when they fit.
std::optional<std::string> input_sets_refusal(std::int64_t sets, std::uint64_t per_set,
                                              std::uint64_t fixed, std::uint64_t available);

}  // namespace nadra::cli
