#include "runner/scenario_input.hpp"

#include <fmt/core.h>

#include "scenario/builtin.hpp"

namespace nadra {

LoadAttempt try_load(const std::string& path, const std::vector<std::string>& sets) {
    LoadAttempt attempt;
    Overrides overrides;
    for (std::size_t i = 0; i < sets.size(); ++i) {
        const auto o = parse_override(sets[i]);
        if (!o) {
            attempt.errors.push_back(
                {"--set", static_cast<int>(i + 1), 0, "",
                 fmt::format("expected KEY=VALUE, e.g. deals.v5.share=0.4; got '{}'", sets[i])});
            attempt.malformed_set = true;
            return attempt;
        }
        overrides.push_back(*o);
    }
    LoadResult result =
        path.empty() ? load_scenario_files(builtin_scenario(), builtin_scenario_root, overrides)
                     : load_scenario_file(path, overrides);
    attempt.errors = std::move(result.errors);
    attempt.files = std::move(result.files);
    if (!result.scenario) return attempt;
    std::string label = path.empty() ? "builtin:" + result.scenario->name : path;
    // The label is the summary's "scenario": it records the overrides too.
    for (const Override& o : overrides) label += " --set " + o.key + "=" + o.value;
    attempt.loaded = Loaded{std::move(*result.scenario), path, std::move(label),
                            std::move(result.sha256), std::move(overrides)};
    return attempt;
}

std::optional<Loaded> load(const std::string& path, const std::vector<std::string>& sets) {
    LoadAttempt attempt = try_load(path, sets);
    if (attempt.malformed_set) {
        fmt::print(stderr, "error: --set: {}\n", attempt.errors.front().message);
        return std::nullopt;
    }
    for (const InputError& e : attempt.errors) fmt::print(stderr, "{}\n", format_error(e));
    if (!attempt.loaded) {
        fmt::print(stderr, "{} error{} in {}{}\n", attempt.errors.size(),
                   attempt.errors.size() == 1 ? "" : "s", path.empty() ? "built-in scenario" : path,
                   sets.empty() ? "" : " with --set");
    }
    return std::move(attempt.loaded);
}

std::string overrides_note(const Overrides& overrides) {
    std::string text;
    for (const Override& o : overrides) text += (text.empty() ? "" : ", ") + o.key + "=" + o.value;
    return "overrides: " + text + "\n";
}

ScenarioMaker scenario_maker(const Loaded& loaded, const std::string& source) {
    return [path = loaded.path, base = loaded.overrides, source](const Settings& settings) {
        Overrides overrides = base;
        for (const Setting& s : settings) overrides.push_back({s.key, s.value});
        LoadResult result =
            path.empty() ? load_scenario_files(builtin_scenario(), builtin_scenario_root, overrides)
                         : load_scenario_file(path, overrides);
        if (result.scenario) return std::move(*result.scenario);
        std::string message;
        for (InputError e : result.errors) {
            // An error in the analysis's settings, not in the user's --set: say where it came from.
            if (e.file == "--set" && e.line > static_cast<int>(base.size())) {
                e.file = source;
                e.line = e.column = 0;
            }
            message.append(message.empty() ? "" : "\n").append(format_error(e));
        }
        throw VariantError(message);
    };
}

}  // namespace nadra
