// `nadra sweep`, `breakeven`, `tornado` and `sobol`: the analyses of src/analysis run on the
// scenario the command line names, their tables printed and their files written whole.
#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <exception>
#include <filesystem>
#include <functional>
#include <string_view>

#include "analysis/input_sets.hpp"
#include "analysis/negotiation.hpp"
#include "analysis/sensitivity.hpp"
#include "cli/commands.hpp"
#include "cli/progress.hpp"
#include "cli/report_file.hpp"
#include "report/analysis_outputs.hpp"
#include "report/html_report.hpp"
#include "runner/memory.hpp"
#include "runner/scenario_input.hpp"

namespace nadra::cli {
namespace {

// Defaults that keep each analysis to seconds on the built-in scenario with 2 cores; every one
// is a command-line option.
constexpr std::int64_t default_tornado_paths = 2'000;
constexpr std::int64_t default_sobol_paths = 200;

struct Prepared {
    Loaded loaded;
    RunOptions run;
    RunInfo info;
};

std::optional<Prepared> prepare(const AnalysisArgs& args, std::int64_t paths_default) {
    catch_interrupts();
    auto loaded = load(args.scenario, args.overrides);
    if (!loaded) return std::nullopt;
    RunOptions run;
    run.paths = args.paths.value_or(loaded->scenario.paths.value_or(paths_default));
    run.seed = args.seed.value_or(loaded->scenario.seed.value_or(default_seed));
    run.threads = args.threads;
    // The command as typed, with the seed and paths it ran with when they were defaults.
    std::string command = args.command_line;
    if (!args.seed) command += fmt::format(" --seed {}", run.seed);
    if (!args.paths) command += fmt::format(" --paths {}", run.paths);
    RunInfo info{NADRA_VERSION,
                 loaded->label,
                 loaded->sha256,
                 run.seed,
                 run.paths,
                 loaded->scenario.start_year,
                 loaded->scenario.horizon,
                 command};
    return Prepared{std::move(*loaded), run, std::move(info)};
}

// The input sets the analysis runs each variant on (MODEL.md 4.3), recorded in `p.info`; none
// after printing why and setting `code` (as `nadra run`: bad usage for --input without sets or a
// pattern matching nothing, invalid input for a scenario with no uncertain input).
std::optional<SampledInputs> sampled_inputs(Prepared& p, const AnalysisArgs& args, int& code) {
    code = exit_usage;
    const Scenario& scenario = p.loaded.scenario;
    SampledInputs inputs;
    inputs.seed = p.run.seed;
    inputs.count = args.sample_inputs.value_or(scenario.sample_inputs.value_or(0));
    if (inputs.count == 0) {
        if (args.sampled_patterns.empty()) return inputs;
        fmt::print(stderr, "error: --input samples inputs only with --sample-inputs K (K > 0)\n");
        return std::nullopt;
    }
    if (scenario.uncertain_inputs.empty()) {
        fmt::print(stderr,
                   "error: --sample-inputs: the scenario marks no input uncertain; give an input "
                   "a range, e.g. end_hazard = {{ value = 0.25, low = 0.15, high = 0.4 }}\n");
        code = exit_invalid;
        return std::nullopt;
    }
    try {
        inputs.draws = input_draws(scenario.uncertain_inputs, args.sampled_patterns);
    } catch (const VariantError& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return std::nullopt;
    }
    p.info.sample_inputs = inputs.count;
    p.info.sampled_inputs = sampled_keys(inputs.draws);
    return inputs;
}

// Checks the deal and the baseline by name, printing the error.
bool deals_exist(const Scenario& scenario, const AnalysisArgs& args) {
    try {
        if (args.deal == args.baseline) {
            fmt::print(stderr,
                       "error: --deal and --baseline are both '{}'; compare a deal with another, "
                       "e.g. --baseline no_deal\n",
                       args.deal);
            return false;
        }
        deal_index(scenario, args.deal);
    } catch (const VariantError& e) {
        fmt::print(stderr, "error: --deal: {}\n", e.what());
        return false;
    }
    try {
        deal_index(scenario, args.baseline);
    } catch (const VariantError& e) {
        fmt::print(stderr, "error: --baseline: {}\n", e.what());
        return false;
    }
    return true;
}

// Runs `analysis` with a progress bar; maps its failures to exit codes. Returns none on
// success (then `analysis` has stored its result).
std::optional<int> run_with_progress(const std::function<void(const Progress&)>& analysis) {
    ProgressBar bar;
    try {
        analysis(bar.callback());
    } catch (const Cancelled&) {
        bar.finish();
        fmt::print(stderr, "interrupted: nothing written\n");
        return exit_interrupted;
    } catch (const VariantError& e) {
        bar.finish();
        fmt::print(stderr, "{}\n", e.what());
        return exit_invalid;
    }
    bar.finish();
    if (interrupted()) {
        fmt::print(stderr, "interrupted: nothing written\n");
        return exit_interrupted;
    }
    return std::nullopt;
}

// Prints the analysis's table, the overrides and what ran ("7 variants and no_deal"), then
// writes its files into --out and the report if asked.
int finish(const Prepared& p, const AnalysisArgs& args, const std::string& table,
           const std::string& what_ran, const OutputFiles& files, double seconds,
           const Workers& workers) {
    if (!workers.root()) return exit_ok;  // every rank holds the result; rank 0 writes it
    fmt::print("{}", table);
    if (!p.loaded.overrides.empty()) fmt::print("{}", overrides_note(p.loaded.overrides));
    fmt::print("{} on {} paths, seed {}{}: ", what_ran, p.run.paths, p.run.seed,
               p.info.sample_inputs > 0
                   ? fmt::format(", each on {} input sets", p.info.sample_inputs)
                   : std::string());
    try {
        write_files_atomically(args.out, files);
    } catch (const std::exception& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return exit_invalid;
    }
    std::string names;
    for (const auto& [name, content] : files) names += (names.empty() ? "" : ", ") + name;
    fmt::print("{:.1f} s; wrote {}/ ({})\n", seconds, args.out, names);
    if (!args.report.empty()) {
        // The report shows the analysis beside whatever else the directory holds (a run, other
        // analyses).
        OutputFiles directory;
        try {
            directory = read_run_directory(args.out);
        } catch (const std::exception& e) {
            fmt::print(stderr, "error: report: {}\n", e.what());
            return exit_invalid;
        }
        if (!write_report(args.report, directory)) return exit_invalid;
        fmt::print("report: {}\n", args.report);
    }
    return exit_ok;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The sensitivity options from the command line; prints the error and returns none.
std::optional<SensitivityOptions> sensitivity_options(const Prepared& p,
                                                      const SensitivityArgs& args) {
    const auto output = output_by_name(args.output);
    if (!output) {
        std::string names;
        for (Output o : all_outputs())
            names += (names.empty() ? "" : ", ") + std::string(output_name(o));
        fmt::print(stderr, "error: --output: '{}' is not an output; choose one of {}\n",
                   args.output, names);
        return std::nullopt;
    }
    const int first = p.loaded.scenario.start_year;
    const int last = first + p.loaded.scenario.horizon - 1;
    if (args.year && (*args.year < first || *args.year > last)) {
        fmt::print(stderr, "error: --year {} is outside the scenario's years {}-{}\n", *args.year,
                   first, last);
        return std::nullopt;
    }
    SensitivityOptions options;
    options.deal = args.common.deal;
    options.baseline = args.common.baseline;
    options.output = *output;
    options.cap_by_year = args.year.value_or(last);
    options.run = p.run;
    return options;
}

// The factors, or none after printing why (no uncertain inputs, a pattern matching nothing).
std::optional<std::vector<Factor>> factors_for(const Scenario& scenario,
                                               const SensitivityArgs& args) {
    if (scenario.uncertain_inputs.empty()) {
        fmt::print(stderr,
                   "error: the scenario marks no input uncertain; give an input a range, e.g. "
                   "end_hazard = {{ value = 0.2, low = 0.1, high = 0.35 }}\n");
        return std::nullopt;
    }
    try {
        return make_factors(scenario.uncertain_inputs, args.inputs, args.each);
    } catch (const VariantError& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return std::nullopt;
    }
}

void print_factor_list(const std::vector<Factor>& factors) {
    for (const Factor& f : factors) {
        if (f.inputs.size() == 1 && f.inputs[0].key == f.name) {
            const UncertainInput& i = f.inputs[0];
            fmt::print("{}  {} ({} .. {})\n", f.name, i.value, i.low, i.high);
        } else {
            fmt::print("{}  ({} inputs, moved together)\n", f.name, f.inputs.size());
            for (const UncertainInput& i : f.inputs) {
                fmt::print("  {}  {} ({} .. {})\n", i.key, i.value, i.low, i.high);
            }
        }
    }
}

// --value: the basis, or none after printing the error.
std::optional<Basis> basis_option(const std::string& text) {
    const auto basis = basis_by_name(text);
    if (!basis) {
        fmt::print(stderr,
                   "error: --value: '{}'; choose money (from the subsoil) or total (with in-kind "
                   "support valued)\n",
                   text);
    }
    return basis;
}

}  // namespace

int sweep_command(const SweepArgs& args, Workers& workers) {
    auto p = prepare(args.common, default_paths);
    if (!p) return exit_invalid;
    for (const std::string& deal : args.deals) {
        AnalysisArgs one = args.common;
        one.deal = deal;
        if (!deals_exist(p->loaded.scenario, one)) return exit_invalid;
    }
    const auto basis = basis_option(args.value);
    if (!basis) return exit_usage;
    SweepOptions options;
    options.basis = *basis;
    options.deals = args.deals;
    options.baseline = args.common.baseline;
    options.run = p->run;
    int sampling_refusal = exit_ok;
    const auto inputs = sampled_inputs(*p, args.common, sampling_refusal);
    if (!inputs) return sampling_refusal;
    options.inputs = *inputs;
    for (const std::string& text : args.vary) {
        std::string error;
        const auto axis = parse_sweep_axis(text, error);
        if (!axis) {
            fmt::print(stderr, "error: --vary: {}\n", error);
            return exit_usage;
        }
        options.axes.push_back(*axis);
    }
    std::size_t variants = 1;
    for (const SweepAxis& axis : options.axes) variants *= axis.values.size();
    if (variants > max_axis_values) {
        fmt::print(stderr,
                   "error: --vary: the grid has {} variants, more than {}; use fewer values\n",
                   variants, max_axis_values);
        return exit_usage;
    }
    // Every variant keeps its per-path values until the end: refuse a grid that would not fit.
    if (const auto available = available_memory()) {
        RunOptions sizing = p->run;
        sizing.keep_fund_paths = false;
        const int baseline = deal_index(p->loaded.scenario, options.baseline);
        sizing.deals.assign(variants * args.deals.size() + 1, baseline);
        RunMemory need = estimate_run_memory(p->loaded.scenario, sizing);
        // Input sets (MODEL.md 4.3): each its own scenario and plan of every variant.
        const std::uint64_t per_set = estimate_input_set_bytes(p->loaded.scenario, sizing);
        if (const auto refusal =
                input_sets_refusal(options.inputs.count, per_set, need.fixed, *available)) {
            fmt::print(stderr, "{}\n", *refusal);
            return exit_invalid;
        }
        need.fixed += static_cast<std::uint64_t>(options.inputs.count) * per_set;
        if (const auto refusal = memory_refusal(need, 0, sizing.paths, *available)) {
            std::string text = *refusal;
            const std::string for_run = "run fewer deals with --deals";
            if (const auto at = text.find(for_run); at != std::string::npos) {
                text.replace(at, for_run.size(), "vary fewer values");
            }
            fmt::print(stderr, "{}\n", text);
            return exit_invalid;
        }
    }
    const auto start = std::chrono::steady_clock::now();
    SweepResult result;
    if (auto code = run_with_progress([&](const Progress& progress) {
            result = sweep(scenario_maker(p->loaded, "--vary"), options, progress, workers);
        })) {
        return *code;
    }
    return finish(*p, args.common, sweep_table(result),
                  fmt::format("{} variants and {}", result.variants.size(), result.baseline),
                  sweep_outputs(p->info, result), seconds_since(start), workers);
}

int breakeven_command(const BreakevenArgs& args, Workers& workers) {
    auto p = prepare(args.common, default_paths);
    if (!p || !deals_exist(p->loaded.scenario, args.common)) return exit_invalid;
    const auto basis = basis_option(args.value);
    if (!basis) return exit_usage;
    BreakevenOptions options;
    options.basis = *basis;
    options.deal = args.common.deal;
    options.baseline = args.common.baseline;
    options.param = args.param;
    options.run = p->run;
    int sampling_refusal = exit_ok;
    const auto inputs = sampled_inputs(*p, args.common, sampling_refusal);
    if (!inputs) return sampling_refusal;
    options.inputs = *inputs;
    if (args.range.empty()) {
        const auto range = default_range(args.param);
        if (!range) {
            fmt::print(stderr,
                       "error: --range: {} has no natural range; give one, e.g. --range 0:5e11\n",
                       args.param);
            return exit_usage;
        }
        std::tie(options.low, options.high) = *range;
    } else {
        const std::size_t colon = args.range.find(':');
        const auto low = parse_number(std::string_view(args.range).substr(0, colon));
        const auto high = colon == std::string::npos
                              ? std::nullopt
                              : parse_number(std::string_view(args.range).substr(colon + 1));
        if (!low || !high || !(*low < *high)) {
            fmt::print(stderr,
                       "error: --range: expected LOW:HIGH with LOW < HIGH, e.g. 0:1; got '{}'\n",
                       args.range);
            return exit_usage;
        }
        options.low = *low;
        options.high = *high;
    }
    if (args.party == "host") {
        options.parties = {Party::host};
    } else if (args.party == "partner") {
        options.parties = {Party::partner};
    } else if (args.party != "both") {
        fmt::print(stderr, "error: --party: '{}'; choose host, partner or both\n", args.party);
        return exit_usage;
    }
    const auto start = std::chrono::steady_clock::now();
    BreakevenResult result;
    if (auto code = run_with_progress([&](const Progress& progress) {
            result = breakeven(scenario_maker(p->loaded, "--param"), options, progress, workers);
        })) {
        return *code;
    }
    return finish(*p, args.common, breakeven_table(result),
                  fmt::format("{} against {}", result.deal, result.baseline),
                  breakeven_outputs(p->info, result), seconds_since(start), workers);
}

int tornado_command(const SensitivityArgs& args, Workers& workers) {
    auto p = prepare(args.common, default_tornado_paths);
    if (!p) return exit_invalid;
    const auto factors = factors_for(p->loaded.scenario, args);
    if (!factors) return exit_invalid;
    if (args.list) {
        print_factor_list(*factors);
        return exit_ok;
    }
    if (!deals_exist(p->loaded.scenario, args.common)) return exit_invalid;
    auto options = sensitivity_options(*p, args);
    if (!options) return exit_usage;
    int sampling_refusal = exit_ok;
    const auto inputs = sampled_inputs(*p, args.common, sampling_refusal);
    if (!inputs) return sampling_refusal;
    options->inputs = *inputs;
    const auto start = std::chrono::steady_clock::now();
    TornadoResult result;
    if (auto code = run_with_progress([&](const Progress& progress) {
            result = tornado(scenario_maker(p->loaded, "uncertain input"), *factors, *options,
                             progress, workers);
        })) {
        return *code;
    }
    return finish(*p, args.common, tornado_table(result, args.rows),
                  fmt::format("{} factors, {} runs", factors->size(), 1 + 2 * factors->size()),
                  tornado_outputs(p->info, result), seconds_since(start), workers);
}

int sobol_command(const SensitivityArgs& args, Workers& workers) {
    auto p = prepare(args.common, default_sobol_paths);
    if (!p) return exit_invalid;
    auto factors = factors_for(p->loaded.scenario, args);
    if (!factors) return exit_invalid;
    if (args.list) {
        print_factor_list(*factors);
        return exit_ok;
    }
    if (!deals_exist(p->loaded.scenario, args.common)) return exit_invalid;
    const auto options = sensitivity_options(*p, args);
    if (!options) return exit_usage;
    if (options->output == Output::cap_year) {
        fmt::print(stderr,
                   "error: --output cap_year has no value where no path reaches the cap; for "
                   "Sobol indices use cap_probability (with --year)\n");
        return exit_usage;
    }
    const auto start = std::chrono::steady_clock::now();
    SobolResult result;
    SobolSettings settings;
    settings.samples = args.samples;
    settings.bootstrap = args.bootstrap;
    settings.seed = p->run.seed;
    const ScenarioMaker make = scenario_maker(p->loaded, "uncertain input");
    if (auto code = run_with_progress([&](const Progress& progress) {
            // Without --input, screen: the factors with the widest tornado swings, so that the
            // N (k + 2) runs go to the inputs that matter.
            if (args.inputs.empty() && args.top > 0 &&
                factors->size() > static_cast<std::size_t>(args.top)) {
                const TornadoResult screen = tornado(make, *factors, *options, progress, workers);
                std::vector<Factor> kept;
                for (std::size_t i = 0; i < static_cast<std::size_t>(args.top); ++i) {
                    kept.push_back(screen.bars[i].factor);
                }
                if (workers.root()) {
                    fmt::print(stderr, "screened by tornado: {} of {} factors kept\n", kept.size(),
                               factors->size());
                }
                *factors = std::move(kept);
            }
            result = sobol(make, *factors, *options, settings, progress, workers);
        })) {
        return *code;
    }
    return finish(*p, args.common, sobol_table(result),
                  fmt::format("{} factors, {} runs", factors->size(),
                              settings.samples * static_cast<std::int64_t>(factors->size() + 2)),
                  sobol_outputs(p->info, result), seconds_since(start), workers);
}

}  // namespace nadra::cli
