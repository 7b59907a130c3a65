#include "cli/scenario_input.hpp"

#include <fmt/core.h>

#include "scenario/builtin.hpp"

namespace nadra::cli {

std::optional<Loaded> load(const std::string& path, const std::vector<std::string>& sets) {
    Overrides overrides;
    for (const std::string& text : sets) {
        const auto o = parse_override(text);
        if (!o) {
            fmt::print(stderr,
                       "error: --set: expected KEY=VALUE, e.g. deals.v5.share=0.4; got '{}'\n",
                       text);
            return std::nullopt;
        }
        overrides.push_back(*o);
    }
    LoadResult result =
        path.empty() ? load_scenario_files(builtin_scenario(), builtin_scenario_root, overrides)
                     : load_scenario_file(path, overrides);
    for (const InputError& e : result.errors) fmt::print(stderr, "{}\n", format_error(e));
    if (!result.scenario) {
        fmt::print(stderr, "{} error{} in {}{}\n", result.errors.size(),
                   result.errors.size() == 1 ? "" : "s", path.empty() ? "built-in scenario" : path,
                   overrides.empty() ? "" : " with --set");
        return std::nullopt;
    }
    std::string label = path.empty() ? "builtin:" + result.scenario->name : path;
    // The label is the summary's "scenario": it records the overrides too.
    for (const Override& o : overrides) label += " --set " + o.key + "=" + o.value;
    return Loaded{std::move(*result.scenario), path, std::move(label), std::move(result.sha256),
                  std::move(overrides)};
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

}  // namespace nadra::cli
