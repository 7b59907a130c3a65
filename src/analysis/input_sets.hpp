// Uncertain inputs sampled in a run (MODEL.md 4.3): which inputs an input set draws, and the
// settings that put them at set k's draws. The caller makes each set's scenario from its settings
// (the command line reloads the scenario files with them as overrides) and hands the scenarios to
// the engine (RunOptions::input_sets).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/variants.hpp"
#include "scenario/scenario.hpp"

namespace nadra {

struct InputDraws {
    // Every uncertain input of the scenario, sorted by key path as byte strings: an input's
    // position here is its index i in the `inputs` driver's counter (set k, i).
    std::vector<UncertainInput> inputs;
    std::vector<char> sampled;  // per input: matched by a pattern (every input without patterns)
};

// The inputs and which of them `patterns` sample (key_matches, as `nadra tornado --input`).
// Throws VariantError for a pattern that matches no uncertain input.
InputDraws input_draws(const std::vector<UncertainInput>& inputs,
                       const std::vector<std::string>& patterns);

// The uniform that input set `set` draws input `index` from: a pure function of the seed, the
// `inputs` driver, the set and the index.
double input_uniform(std::uint64_t seed, std::int64_t set, std::size_t index);

// The value of every sampled input in input set `set`: triangular(low, value, high) at
// input_uniform(seed, set, i).
std::vector<double> input_set_values(const InputDraws& draws, std::uint64_t seed, std::int64_t set);

// The same as settings (key path, shortest round-trip text), in key order.
Settings input_set_settings(const InputDraws& draws, std::uint64_t seed, std::int64_t set);

// The key paths sampled, in order.
std::vector<std::string> sampled_keys(const InputDraws& draws);

}  // namespace nadra
