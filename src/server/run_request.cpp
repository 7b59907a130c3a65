#include "server/run_request.hpp"

#include <fmt/core.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "analysis/input_sets.hpp"
#include "analysis/streaming.hpp"
#include "engine/engine.hpp"
#include "report/csv.hpp"
#include "report/html_report.hpp"
#include "report/outputs.hpp"
#include "runner/memory.hpp"

namespace nadra::server {
namespace {

// Paths a block of a run; as `nadra run` with per-year results (the results do not depend on it).
constexpr std::int64_t block_paths = 256;

using json = nlohmann::json;

[[noreturn]] void refuse(const std::string& key, const std::string& message) {
    throw RequestError{400, key, key + ": " + message, {}};
}

std::vector<std::string> strings(const json& value, const std::string& key) {
    if (!value.is_array()) refuse(key, "expected a list of strings, e.g. [\"deals.v5.share=0.3\"]");
    std::vector<std::string> out;
    for (const json& item : value) {
        if (!item.is_string()) refuse(key, "expected a list of strings; got " + item.dump());
        out.push_back(item.get<std::string>());
    }
    return out;
}

}  // namespace

std::int64_t default_run_paths(const Scenario& scenario, const ServeConfig& config) {
    return config.paths > 0 ? config.paths : scenario.paths.value_or(default_paths);
}

RunInputs read_run_request(std::string_view body, const ServeConfig& config) {
    json request;
    try {
        request = json::parse(body);
    } catch (const json::parse_error& e) {
        throw RequestError{400, "body", std::string("body: not JSON: ") + e.what(), {}};
    }
    if (!request.is_object())
        refuse("body", "expected a JSON object such as {\"set\": [\"deals.v5.share=0.3\"]}");
    RunInputs inputs;
    std::optional<std::int64_t> paths;
    std::optional<std::uint64_t> seed;
    for (const auto& [key, value] : request.items()) {
        if (key == "set") {
            inputs.sets = strings(value, key);
        } else if (key == "deals") {
            inputs.deals = strings(value, key);
        } else if (key == "paths") {
            if (!value.is_number_integer() || value.get<std::int64_t>() < 1)
                refuse(key, "expected a whole number of at least 1; got " + value.dump());
            paths = value.get<std::int64_t>();
        } else if (key == "seed") {
            if (!value.is_number_unsigned())
                refuse(key, "expected a whole number of at least 0; got " + value.dump());
            seed = value.get<std::uint64_t>();
        } else if (key == "page") {
            if (!value.is_string() || value.get<std::string>().size() > 100)
                refuse(key, "expected a string of at most 100 characters");
            inputs.page = value.get<std::string>();
        } else {
            refuse(key, "unknown key; the keys are set, paths, seed, deals and page");
        }
    }
    LoadAttempt attempt = try_load(config.scenario, inputs.sets);
    if (!attempt.loaded) {
        RequestError error{400, "set", "", attempt.errors};
        if (!attempt.errors.empty()) {
            const InputError& first = attempt.errors.front();
            error.key = first.key.empty() ? "set" : first.key;
            error.message = format_error(first);
        }
        throw error;
    }
    const Scenario& scenario = attempt.loaded->scenario;
    inputs.paths = paths.value_or(default_run_paths(scenario, config));
    inputs.seed = seed.value_or(scenario.seed.value_or(default_seed));
    if (inputs.paths > config.max_paths)
        refuse("paths", fmt::format("{} is over this server's limit of {} (nadra serve "
                                    "--max-paths); use fewer paths, or `nadra run` for more",
                                    inputs.paths, config.max_paths));
    std::string names;
    for (const Deal& deal : scenario.deals) names += (names.empty() ? "" : ", ") + deal.name;
    for (const std::string& name : inputs.deals) {
        int index = -1;
        for (std::size_t d = 0; d < scenario.deals.size(); ++d)
            if (scenario.deals[d].name == name) index = static_cast<int>(d);
        if (index < 0)
            refuse("deals", fmt::format("no deal named '{}'; the scenario has: {}", name, names));
        inputs.deal_indices.push_back(index);
    }
    if (inputs.deal_indices.empty()) {
        for (std::size_t d = 0; d < scenario.deals.size(); ++d)
            inputs.deal_indices.push_back(static_cast<int>(d));
    }
    // The budget is the runs' together: each running run may use its part of it.
    std::optional<std::uint64_t> budget = available_memory();
    if (config.memory_budget > 0)
        budget = std::min(budget.value_or(config.memory_budget), config.memory_budget);
    if (budget) {
        RunOptions options;
        options.paths = inputs.paths;
        options.threads = config.threads;
        options.keep_years = true;
        const std::uint64_t share =
            *budget / static_cast<std::uint64_t>(std::max(1, config.limits.running));
        if (const auto refusal = run_memory_refusal(scenario, options, block_paths,
                                                    inputs.deal_indices.size(), false, share)) {
            std::string message = *refusal;
            if (message.starts_with("error: ")) message.erase(0, 7);
            refuse("paths", message + " (this server's memory budget for a run)");
        }
    }
    inputs.loaded = std::make_shared<const Loaded>(std::move(*attempt.loaded));
    return inputs;
}

RunFiles execute_run(const RunInputs& inputs, int threads,
                     const std::function<bool(double)>& progress) {
    const Loaded& loaded = *inputs.loaded;
    const Scenario& scenario = loaded.scenario;
    RunOptions options;
    options.paths = inputs.paths;
    options.seed = inputs.seed;
    options.threads = threads;
    options.keep_years = true;  // by_year and by_asset results, as `nadra run`
    if (!inputs.deals.empty()) options.deals = inputs.deal_indices;

    // Input sets (MODEL.md 4.3), as `nadra run` makes them from the scenario's run.sample_inputs.
    const std::int64_t sets = scenario.sample_inputs.value_or(0);
    InputSampling sampling;
    std::vector<Scenario> set_scenarios;
    if (sets > 0) {
        try {
            const InputDraws draws = input_draws(scenario.uncertain_inputs, {});
            sampling = {sets, {}, sampled_keys(draws)};
            const ScenarioMaker make = scenario_maker(loaded, "--sample-inputs");
            set_scenarios.reserve(static_cast<std::size_t>(sets));
            for (std::int64_t k = 0; k < sets; ++k) {
                set_scenarios.push_back(make(input_set_settings(draws, options.seed, k)));
                if (!progress(0)) throw Cancelled{};
            }
        } catch (const VariantError& e) {
            throw RunFailure{"run.sample_inputs", e.what()};
        }
        for (const Scenario& set : set_scenarios) options.input_sets.push_back(&set);
    }
    StreamingSummary streaming(scenario, options.paths, {}, sets);
    PathsCsvWriter sample(scenario, path_sample(options.paths, report_path_sample));
    RunSummary summary;
    try {
        simulate_blocks(
            scenario, options, block_paths,
            [&](const SimulationResult& block, std::int64_t first_path) {
                streaming.add(block, first_path);
                sample.add(block, first_path);
            },
            [&](std::int64_t done, std::int64_t total) {
                return progress(static_cast<double>(done) / static_cast<double>(total));
            });
        summary = streaming.finish();
        summary.inputs = sampling;
    } catch (const std::runtime_error& e) {
        throw RunFailure{"", e.what()};
    }
    const RunInfo info{NADRA_VERSION, loaded.label,        loaded.sha256,    options.seed,
                       options.paths, scenario.start_year, scenario.horizon, {}};
    return {run_outputs(info, scenario, inputs.deal_indices, summary,
                        project_fiscal_summaries(scenario), std::nullopt),
            std::move(sample).text()};
}

}  // namespace nadra::server
