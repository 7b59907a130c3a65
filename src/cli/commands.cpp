#include "cli/commands.hpp"

#include <fmt/core.h>

#include <chrono>
#include <exception>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>

#include "analysis/input_sets.hpp"
#include "analysis/statistics.hpp"
#include "analysis/streaming.hpp"
#include "cli/memory.hpp"
#include "cli/progress.hpp"
#include "cli/report_file.hpp"
#include "cli/scenario_input.hpp"
#include "engine/engine.hpp"
#include "report/atomic_write.hpp"
#include "report/csv.hpp"
#include "report/html_report.hpp"
#include "report/outputs.hpp"
#include "report/table.hpp"
#include "scenario/builtin.hpp"
#include "scenario/load.hpp"

namespace nadra::cli {
namespace {

// Paths a block of `nadra run` (simulate_blocks): the results do not depend on it; larger
// blocks hold more memory in flight, smaller ones hand over more often.
constexpr std::int64_t run_block_paths = 1024;
// With per-year results a path holds every deal's series each year (55 kB for the built-in
// scenario): smaller blocks keep what is in flight about as large.
constexpr std::int64_t run_block_paths_with_years = 256;

template <class T>
std::optional<int> index_by_name(const std::vector<T>& items, const std::string& name) {
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (items[i].name == name) return static_cast<int>(i);
    }
    return std::nullopt;
}

template <class T>
std::string names_of(const std::vector<T>& items) {
    std::string out;
    for (const T& item : items) out += (out.empty() ? "" : ", ") + item.name;
    return out;
}

}  // namespace

// Writes the HTML report of a run's files to `file`, whole or not at all; prints any error.
bool write_report(const std::string& file, const OutputFiles& run) {
    namespace fs = std::filesystem;
    try {
        const fs::path path(file);
        const std::string html = html_report(run, utc_now());
        write_files_atomically(path.has_parent_path() ? path.parent_path() : fs::path("."),
                               {{path.filename().string(), html}});
    } catch (const std::exception& e) {
        fmt::print(stderr, "error: report: {}\n", e.what());
        return false;
    }
    return true;
}

int validate_command(const std::string& scenario_path, const std::vector<std::string>& overrides) {
    const auto loaded = load(scenario_path, overrides);
    if (!loaded) return exit_invalid;
    const Scenario& s = loaded->scenario;
    fmt::print("ok: {} projects, {} streams, {} deals\n", s.world.projects.size(),
               s.world.streams.size(), s.deals.size());
    return exit_ok;
}

int run_command(const RunArgs& args) {
    // From the start, so that Ctrl-C while the scenario loads also ends in "interrupted" (the
    // engine sees it at its first batch of paths) rather than killing the process.
    catch_interrupts();
    const auto loaded = load(args.scenario, args.overrides);
    if (!loaded) return exit_invalid;
    const Scenario& scenario = loaded->scenario;

    RunOptions options;
    options.paths = args.paths.value_or(scenario.paths.value_or(default_paths));
    options.seed = args.seed.value_or(scenario.seed.value_or(default_seed));
    options.threads = args.threads;
    options.keep_years = true;  // by_year and by_asset results
    const std::int64_t block_paths =
        options.keep_years ? run_block_paths_with_years : run_block_paths;
    for (const std::string& name : args.deals) {
        const auto index = index_by_name(scenario.deals, name);
        if (!index) {
            fmt::print(stderr, "error: --deals: no deal named '{}'; the scenario has: {}\n", name,
                       names_of(scenario.deals));
            return exit_usage;
        }
        options.deals.push_back(*index);
    }
    if (scenario.deals.empty()) {
        fmt::print(stderr, "error: the scenario has no deals; add a [deals.NAME] table\n");
        return exit_invalid;
    }
    std::vector<int> deals = options.deals;
    if (deals.empty()) {
        for (std::size_t d = 0; d < scenario.deals.size(); ++d)
            deals.push_back(static_cast<int>(d));
    }
    // Refuse a run that would not fit in memory rather than be killed part way. The run holds
    // its blocks in flight and its statistics' brackets, not every path (analysis/streaming.hpp).
    if (const auto available = available_memory()) {
        RunMemory need = estimate_block_memory(scenario, options, block_paths);
        need.fixed +=
            StreamingSummary::estimated_bytes(deals.size(), scenario.horizon, options.paths);
        const std::uint64_t csv_per_path =
            args.per_path ? 400 * deals.size() : 0;  // paths.csv, built in memory
        // The per-year series' brackets grow with the paths (as their square root): counted as
        // so much a path, so that a refusal names the paths that would fit (fewer, if anything).
        const auto paths = static_cast<std::uint64_t>(std::max<std::int64_t>(1, options.paths));
        const std::uint64_t years_per_path =
            options.keep_years ? (StreamingSummary::estimated_year_bytes(
                                      deals.size(), scenario.horizon, options.paths) +
                                  paths - 1) /
                                     paths
                               : 0;
        if (const auto refusal =
                memory_refusal(need, csv_per_path + years_per_path, options.paths, *available)) {
            fmt::print(stderr, "{}\n", *refusal);
            return exit_invalid;
        }
    }

    const auto started = std::chrono::steady_clock::now();
    // Input sets (MODEL.md 4.3): each set's scenario is the scenario's files read again with its
    // draws as overrides, as the analyses make variants; made once each, before any path.
    const std::int64_t sets = args.sample_inputs.value_or(scenario.sample_inputs.value_or(0));
    if (sets == 0 && !args.inputs.empty()) {
        fmt::print(stderr, "error: --input samples inputs only with --sample-inputs K (K > 0)\n");
        return exit_usage;
    }
    InputSampling sampling;
    std::vector<Scenario> set_scenarios;
    double setup_seconds = 0;
    if (sets > 0) {
        if (scenario.uncertain_inputs.empty()) {
            fmt::print(stderr,
                       "error: --sample-inputs: the scenario marks no input uncertain; give an "
                       "input a range, e.g. end_hazard = {{ value = 0.25, low = 0.15, high = 0.4 "
                       "}}\n");
            return exit_invalid;
        }
        InputDraws draws;
        try {
            draws = input_draws(scenario.uncertain_inputs, args.inputs);
        } catch (const VariantError& e) {
            fmt::print(stderr, "error: {}\n", e.what());
            return exit_usage;
        }
        sampling = {sets, args.inputs, sampled_keys(draws)};
        const ScenarioMaker make = scenario_maker(*loaded, "--sample-inputs");
        ProgressBar bar;
        const Progress progress = bar.callback();
        set_scenarios.reserve(static_cast<std::size_t>(sets));
        try {
            for (std::int64_t k = 0; k < sets; ++k) {
                set_scenarios.push_back(make(input_set_settings(draws, options.seed, k)));
                if (progress && !progress(k + 1, sets)) throw Cancelled{};
            }
        } catch (const VariantError& e) {
            bar.finish();
            fmt::print(stderr, "error: --sample-inputs: {}\n", e.what());
            return exit_invalid;
        } catch (const Cancelled&) {
            bar.finish();
            fmt::print(stderr, "interrupted: nothing written\n");
            return exit_interrupted;
        }
        bar.finish();
        for (const Scenario& set : set_scenarios) options.input_sets.push_back(&set);
        setup_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    }
    StreamingSummary streaming(scenario, options.paths, {}, sets);
    // paths.csv with --per-path; otherwise the sample of paths the report's scatter plots.
    std::optional<PathsCsvWriter> rows;
    if (args.per_path) {
        rows.emplace(scenario);
    } else if (!args.report.empty()) {
        rows.emplace(scenario, path_sample(options.paths, report_path_sample));
    }
    RunSummary summary;
    {
        ProgressBar bar;
        try {
            simulate_blocks(
                scenario, options, block_paths,
                [&](const SimulationResult& block, std::int64_t first_path) {
                    streaming.add(block, first_path);
                    if (rows) rows->add(block, first_path);
                },
                bar.callback());
            summary = streaming.finish();
            summary.inputs = sampling;
        } catch (const Cancelled&) {
            bar.finish();
            fmt::print(stderr, "interrupted: nothing written\n");
            return exit_interrupted;
        } catch (const std::runtime_error& e) {
            bar.finish();
            fmt::print(stderr, "error: {}; nothing written\n", e.what());
            return exit_invalid;
        }
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    const RunInfo info{NADRA_VERSION, loaded->label,       loaded->sha256,   options.seed,
                       options.paths, scenario.start_year, scenario.horizon, {}};
    std::optional<std::string> sample_csv;
    std::optional<std::string> paths_file;
    if (rows) (args.per_path ? paths_file : sample_csv) = std::move(*rows).text();
    const OutputFiles files = run_outputs(
        info, scenario, deals, summary, project_fiscal_summaries(scenario), std::move(paths_file));
    if (interrupted()) {  // Ctrl-C after the last paths ran: still nothing is written
        fmt::print(stderr, "interrupted: nothing written\n");
        return exit_interrupted;
    }
    try {
        write_files_atomically(args.out, files);
        // A paths.csv from an earlier --per-path run would no longer match the other files.
        if (!args.per_path) std::filesystem::remove(std::filesystem::path(args.out) / "paths.csv");
    } catch (const std::exception& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return exit_invalid;
    }
    if (!args.report.empty()) {
        // The scatter needs per-path values: a sample of them when paths.csv is not written.
        OutputFiles inputs = files;
        if (sample_csv) inputs["paths.csv"] = std::move(*sample_csv);
        // The report is of the folder: analyses written there before (nadra sweep, tornado...)
        // are shown too, each saying so where it ran on other paths.
        try {
            for (auto& [name, content] : read_run_directory(args.out))
                inputs.try_emplace(name, content);
        } catch (const std::exception& e) {
            fmt::print(stderr, "error: report: {}\n", e.what());
            return exit_invalid;
        }
        if (!write_report(args.report, inputs)) return exit_invalid;
    }
    fmt::print("{}", run_table(info, summary));
    fmt::print("{}", judgement_lines(summary));
    if (sets > 0) {
        fmt::print("{} input sets of {} sampled input{} made in {:.1f} s\n", sets,
                   sampling.keys.size(), sampling.keys.size() == 1 ? "" : "s", setup_seconds);
    }
    if (!loaded->overrides.empty()) fmt::print("{}", overrides_note(loaded->overrides));
    fmt::print("{} paths x {} deals in {:.1f} s; wrote {}/ ({})\n", options.paths, deals.size(),
               seconds, args.out,
               args.per_path ? "summary.json, fund_bands.csv, cap_curve.csv, terms.json, "
                               "by_year.csv, by_asset.csv, paths.csv"
                             : "summary.json, fund_bands.csv, cap_curve.csv, terms.json, "
                               "by_year.csv, by_asset.csv");
    if (!args.report.empty()) fmt::print("report: {}\n", args.report);
    return exit_ok;
}

int report_command(const std::string& run_dir, const std::string& file) {
    OutputFiles run;
    try {
        run = read_run_directory(run_dir);
    } catch (const std::exception& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return exit_invalid;
    }
    const std::string target =
        file.empty() ? (std::filesystem::path(run_dir) / "report.html").string() : file;
    if (!write_report(target, run)) return exit_invalid;
    fmt::print("report: {}\n", target);
    if (run.contains("summary.json") && !run.contains("paths.csv")) {
        fmt::print(
            "left out: the paired differences' scatter, which needs every path's values "
            "(paths.csv); run with --per-path, or `nadra run --report`, to have it\n");
    }
    return exit_ok;
}

int init_command(const std::string& dir, bool force) {
    namespace fs = std::filesystem;
    // Group the files by folder: each folder's files are written all or none.
    std::map<fs::path, OutputFiles> by_folder;
    for (const auto& [name, content] : builtin_scenario()) {
        const fs::path target = fs::path(dir) / name;
        if (!force && fs::exists(target)) {
            fmt::print(stderr, "error: {} exists; use --force to overwrite it\n", target.string());
            return exit_invalid;
        }
        by_folder[target.parent_path()][target.filename().string()] = content;
    }
    try {
        for (const auto& [folder, files] : by_folder) write_files_atomically(folder, files);
    } catch (const std::exception& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return exit_invalid;
    }
    fmt::print("wrote the built-in scenario to {}/ ({} files); try: nadra run {}/{}\n", dir,
               builtin_scenario().size(), dir, builtin_scenario_root);
    return exit_ok;
}

int cashflow_command(const CashflowArgs& args) {
    const auto loaded = load(args.scenario, args.overrides);
    if (!loaded) return exit_invalid;
    const Scenario& scenario = loaded->scenario;
    const auto project = index_by_name(scenario.world.projects, args.project);
    if (!project) {
        fmt::print(stderr, "error: --project: no project named '{}'; the scenario has: {}\n",
                   args.project, names_of(scenario.world.projects));
        return exit_usage;
    }
    CashflowOptions options;
    if (!args.deal.empty()) {
        const auto deal = index_by_name(scenario.deals, args.deal);
        if (!deal) {
            fmt::print(stderr, "error: --deal: no deal named '{}'; the scenario has: {}\n",
                       args.deal, names_of(scenario.deals));
            return exit_usage;
        }
        options.deal = *deal;
    }
    options.base = !args.path.has_value();
    options.path = args.path.value_or(0);
    options.seed = args.seed;
    if (options.path < 0) {
        fmt::print(stderr, "error: --path must be >= 0\n");
        return exit_usage;
    }
    const auto years = project_cashflow(scenario, *project, options);
    if (args.csv) {
        fmt::print("{}", cashflow_csv(years));
    } else {
        const std::string what = options.base
                                     ? "base inputs, base price path"
                                     : fmt::format("path {} of seed {}", options.path, args.seed);
        fmt::print("{}: {} ({}), {}\n", args.project,
                   scenario.world.commodities[scenario.world.projects[*project].commodity].name,
                   scenario.world.regions[scenario.world.projects[*project].region].name, what);
        fmt::print("{}", cashflow_table(years));
        if (!loaded->overrides.empty()) fmt::print("{}", overrides_note(loaded->overrides));
    }
    return exit_ok;
}

}  // namespace nadra::cli
