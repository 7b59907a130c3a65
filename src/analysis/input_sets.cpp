#include "analysis/input_sets.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <optional>
#include <set>

#include "analysis/sensitivity.hpp"
#include "engine/random.hpp"

namespace nadra {

InputDraws input_draws(const std::vector<UncertainInput>& inputs,
                       const std::vector<std::string>& patterns) {
    InputDraws draws;
    draws.inputs = inputs;
    // As byte strings: std::string's operator< compares char_traits<char>, which orders as
    // unsigned char.
    std::stable_sort(
        draws.inputs.begin(), draws.inputs.end(),
        [](const UncertainInput& a, const UncertainInput& b) { return a.key < b.key; });
    draws.sampled.assign(draws.inputs.size(), patterns.empty() ? 1 : 0);
    for (const std::string& pattern : patterns) {
        bool matched = false;
        for (std::size_t i = 0; i < draws.inputs.size(); ++i) {
            if (!key_matches(pattern, draws.inputs[i].key)) continue;
            draws.sampled[i] = 1;
            matched = true;
        }
        if (!matched) {
            throw VariantError("--input " + pattern +
                               ": matches no input marked uncertain ({value, low, high}); "
                               "`nadra tornado --list` shows them");
        }
    }
    return draws;
}

double input_uniform(std::uint64_t seed, std::int64_t set, std::size_t index) {
    return engine::Random(seed).uniform(engine::Driver::inputs, static_cast<std::uint64_t>(set),
                                        index);
}

std::vector<double> input_set_values(const InputDraws& draws, std::uint64_t seed,
                                     std::int64_t set) {
    std::vector<double> values;
    for (std::size_t i = 0; i < draws.inputs.size(); ++i) {
        if (draws.sampled[i])
            values.push_back(triangular_quantile(draws.inputs[i], input_uniform(seed, set, i)));
    }
    return values;
}

Settings input_set_settings(const InputDraws& draws, std::uint64_t seed, std::int64_t set) {
    Settings settings;
    const std::vector<double> values = input_set_values(draws, seed, set);
    std::size_t v = 0;
    for (std::size_t i = 0; i < draws.inputs.size(); ++i) {
        if (draws.sampled[i]) settings.push_back({draws.inputs[i].key, setting_text(values[v++])});
    }
    return settings;
}

std::vector<std::string> sampled_keys(const InputDraws& draws) {
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < draws.inputs.size(); ++i)
        if (draws.sampled[i]) keys.push_back(draws.inputs[i].key);
    return keys;
}

ScenarioMaker set_maker(const ScenarioMaker& make, const SampledInputs& inputs, std::int64_t set) {
    Settings draws = input_set_settings(inputs.draws, inputs.seed, set);
    return [make, draws = std::move(draws)](const Settings& settings) {
        std::set<std::string> fixed;
        for (const Setting& s : settings) fixed.insert(s.key);
        Settings combined;
        for (const Setting& d : draws)
            if (!fixed.contains(d.key)) combined.push_back(d);
        combined.insert(combined.end(), settings.begin(), settings.end());
        return make(combined);
    };
}

std::vector<Scenario> input_set_scenarios(const ScenarioMaker& make, const SampledInputs& inputs,
                                          const ScenarioRecipe& recipe) {
    const auto count = static_cast<std::size_t>(std::max<std::int64_t>(0, inputs.count));
    std::vector<std::optional<Scenario>> made(count);
    // Each set's scenario depends on its index alone, so the order they are made in does not
    // matter; TBB rethrows the first failure.
    tbb::parallel_for(std::size_t{0}, count, [&](std::size_t k) {
        made[k] = recipe(set_maker(make, inputs, static_cast<std::int64_t>(k)));
    });
    std::vector<Scenario> sets;
    sets.reserve(count);
    for (std::optional<Scenario>& s : made) sets.push_back(std::move(*s));
    return sets;
}

RunOptions with_input_sets(RunOptions options, const std::vector<Scenario>& sets) {
    options.input_sets.clear();
    for (const Scenario& s : sets) options.input_sets.push_back(&s);
    return options;
}

}  // namespace nadra
