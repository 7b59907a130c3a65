// Uncertain inputs sampled in a run (MODEL.md 4.3): which inputs an input set draws, and the
// settings that put them at set k's draws. The caller makes each set's scenario from its settings
// (the command line reloads the scenario files with them as overrides) and hands the scenarios to
// the engine (RunOptions::input_sets).
#pragma once

#include <cstdint>
#include <functional>
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

// The input sets an analysis runs each of its variants on (`nadra sweep`, `breakeven`, `tornado`
// with --sample-inputs K): none when `count` is 0. The draws are those of `nadra run` with the
// same seed and patterns, so set k of an analysis is set k of the run.
struct SampledInputs {
    InputDraws draws;
    std::int64_t count = 0;
    std::uint64_t seed = 0;
};

// Input set `set`'s scenario maker: `make` with the set's draws under the settings it is given.
// A key the settings set is not drawn (a tornado's swung input, a sweep's varied term): the
// variant's value holds in every set.
ScenarioMaker set_maker(const ScenarioMaker& make, const SampledInputs& inputs, std::int64_t set);

// How a variant's scenario is made from a maker: the analysis's own recipe (a sweep's deals put
// into one scenario, say), applied to each set's maker in turn.
using ScenarioRecipe = std::function<Scenario(const ScenarioMaker&)>;

// The `inputs.count` scenarios `recipe` makes with each set's maker, in set order (made in
// parallel: each is independent of the others). Throws VariantError as the maker does.
std::vector<Scenario> input_set_scenarios(const ScenarioMaker& make, const SampledInputs& inputs,
                                          const ScenarioRecipe& recipe);

// `options` running path p on sets[p mod K] (RunOptions::input_sets); unchanged without sets.
RunOptions with_input_sets(RunOptions options, const std::vector<Scenario>& sets);

}  // namespace nadra
