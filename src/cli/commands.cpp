#include "cli/commands.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>

#include "analysis/input_correlations.hpp"
#include "analysis/input_sets.hpp"
#include "analysis/statistics.hpp"
#include "analysis/streaming.hpp"
#include "cli/progress.hpp"
#include "cli/report_file.hpp"
#include "engine/engine.hpp"
#include "report/atomic_write.hpp"
#include "report/csv.hpp"
#include "report/html_report.hpp"
#include "report/outputs.hpp"
#include "report/table.hpp"
#include "report/xlsx.hpp"
#include "runner/memory.hpp"
#include "runner/scenario_input.hpp"
#include "scenario/builtin.hpp"
#include "scenario/load.hpp"
#include "scenario/suggest.hpp"

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

namespace {

// Writes the Excel workbook of a run's files to `file`, whole or not at all; prints any error.
bool write_workbook(const std::string& file, const OutputFiles& run) {
    try {
        write_xlsx(file, run, utc_now());
    } catch (const std::exception& e) {
        fmt::print(stderr, "error: workbook: {}\n", e.what());
        return false;
    }
    return true;
}

}  // namespace

int validate_command(const std::string& scenario_path, const std::vector<std::string>& overrides) {
    const auto loaded = load(scenario_path, overrides);
    if (!loaded) return exit_invalid;
    const Scenario& s = loaded->scenario;
    fmt::print("ok: {} projects, {} streams, {} deals\n", s.world.projects.size(),
               s.world.streams.size(), s.deals.size());
    return exit_ok;
}

int run_command(const RunArgs& args, Workers& workers) {
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
        const std::int64_t set_count =
            args.sample_inputs.value_or(scenario.sample_inputs.value_or(0));
        if (const auto refusal = run_memory_refusal(scenario, options, block_paths, deals.size(),
                                                    args.per_path, *available, set_count)) {
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
    InputDraws draws;
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
            // With several ranks each simulates its share of the blocks and every rank takes
            // them all in path order, summarising only its share of the series; rank 0 gathers
            // the series' statistics: one process's, bit for bit.
            streaming.keep_series_of(workers.rank(), workers.size());
            simulate_blocks_everywhere(
                workers, scenario, options, block_paths,
                [&](const SimulationResult& block, std::int64_t first_path) {
                    streaming.add(block, first_path);
                    if (rows && workers.root()) rows->add(block, first_path);
                },
                bar.callback());
            summary = streaming.finish(workers);
            if (!workers.root()) return exit_ok;  // rank 0 writes
            summary.inputs = sampling;
            // Which sampled inputs move each deal's gains, from the same sets (MODEL.md 4.3).
            if (sets > 0)
                summary.inputs.correlations = input_correlations(summary, draws, options.seed);
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
    if (!args.xlsx.empty() && !write_workbook(args.xlsx, files)) return exit_invalid;
    fmt::print(
        "{}", run_table(info, summary,
                        {scenario.world.host_discount_rate, scenario.world.partner_discount_rate}));
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
    if (!args.xlsx.empty()) fmt::print("workbook: {}\n", args.xlsx);
    return exit_ok;
}

// A run directory's files, or none after saying why on stderr.
std::optional<OutputFiles> read_run_or_say(const std::string& run_dir) {
    try {
        return read_run_directory(run_dir);
    } catch (const std::exception& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return std::nullopt;
    }
}

int export_command(const std::string& run_dir, const std::string& xlsx) {
    const std::optional<OutputFiles> files = read_run_or_say(run_dir);
    if (!files) return exit_invalid;
    const OutputFiles& run = *files;
    if (!run.contains("summary.json")) {
        fmt::print(stderr, "error: {} has no summary.json: not the --out folder of a nadra run\n",
                   run_dir);
        return exit_invalid;
    }
    if (!write_workbook(xlsx, run)) return exit_invalid;
    fmt::print("workbook: {}\n", xlsx);
    return exit_ok;
}

int report_command(const std::string& run_dir, const std::string& file) {
    const std::optional<OutputFiles> files = read_run_or_say(run_dir);
    if (!files) return exit_invalid;
    const OutputFiles& run = *files;
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
    if (args.asset.empty() && args.project.empty()) {
        fmt::print(stderr, "error: name the asset: --asset NAME (a project or a stream)\n");
        return exit_usage;
    }
    const auto loaded = load(args.scenario, args.overrides);
    if (!loaded) return exit_invalid;
    const Scenario& scenario = loaded->scenario;
    const World& world = scenario.world;
    const int projects = static_cast<int>(world.projects.size());
    // --asset: projects, then streams; --project: projects only.
    const bool any_asset = !args.asset.empty();
    const std::string& name = any_asset ? args.asset : args.project;
    std::vector<std::string> names;
    for (const Project& p : world.projects) names.push_back(p.name);
    if (any_asset) {
        for (const Stream& st : world.streams) names.push_back(st.name);
    }
    const auto found = std::find(names.begin(), names.end(), name);
    if (found == names.end()) {
        const bool is_stream = !any_asset && index_by_name(world.streams, name).has_value();
        if (is_stream) {
            fmt::print(stderr, "error: --project: '{}' is a stream; use --asset {}\n", name, name);
        } else {
            fmt::print(stderr, "error: {}: no {} named '{}'; {}\n",
                       any_asset ? "--asset" : "--project",
                       any_asset ? "project or stream" : "project", name,
                       detail::suggestion(name, names, "the scenario has"));
        }
        return exit_usage;
    }
    const int asset = static_cast<int>(found - names.begin());
    CashflowOptions options;
    if (!args.deal.empty()) {
        const auto deal = index_by_name(scenario.deals, args.deal);
        if (!deal) {
            std::vector<std::string> deals;
            for (const Deal& d : scenario.deals) deals.push_back(d.name);
            fmt::print(stderr, "error: --deal: no deal named '{}'; {}\n", args.deal,
                       detail::suggestion(args.deal, deals, "the scenario has"));
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
    const AssetCashflow cashflow = asset_cashflow(scenario, asset, options);
    const bool with_deal = options.deal >= 0;
    // The deal column: on a path, the asset's contributions to the fund; on base inputs, where
    // there is no fund, what the deal's share takes of its scoped revenue, before any cap.
    const std::string deal_name = with_deal ? scenario.deals[options.deal].name : "";
    if (args.csv) {
        const std::string column =
            !with_deal ? "" : (options.base ? "deal_due" : "deal_contribution");
        fmt::print("{}", cashflow_csv(cashflow.years, column, cashflow.deal_column));
        return exit_ok;
    }
    const int commodity = cashflow.stream ? world.streams[asset - projects].commodity
                                          : world.projects[asset].commodity;
    const int region =
        cashflow.stream ? world.streams[asset - projects].region : world.projects[asset].region;
    const std::string what = options.base
                                 ? "base inputs, base price path, at peace with access"
                                 : fmt::format("path {} of seed {}", options.path, args.seed);
    fmt::print("{}: {} ({}, {}), {}{}\n", name, cashflow.stream ? "stream" : "project",
               world.commodities[commodity].name, world.regions[region].name, what,
               with_deal ? fmt::format(", the world of deal {}", deal_name) : "");
    CashflowColumns columns;
    columns.stream = cashflow.stream;
    if (with_deal) {
        columns.deal_header = (options.base ? "due to " : "contribution to ") + deal_name;
        columns.deal = cashflow.deal_column;
    }
    fmt::print("{}", cashflow_table(cashflow.years, columns));
    if (with_deal && options.base) {
        fmt::print(
            "due to {}: the asset's revenue in the deal's scope times the share that applies to "
            "it, in the deal's term, before any cap (on base inputs there is no fund; --path N "
            "shows its contributions on a path)\n",
            deal_name);
    } else if (with_deal) {
        fmt::print(
            "contribution to {}: the part of the deal's contributions on this path that comes "
            "from the asset (a year's contributions split over assets by scoped revenue times "
            "the share that applies)\n",
            deal_name);
    }
    CashflowFootInfo info;
    info.investor_rate = cashflow.investor_rate;
    info.host_rate = cashflow.host_rate;
    info.last_year = cashflow.years.empty() ? scenario.start_year : cashflow.years.back().year;
    fmt::print("\n{}", cashflow_foot(cashflow_measures(cashflow.years, scenario.start_year,
                                                       cashflow.investor_rate, cashflow.host_rate),
                                     info));
    if (options.base && !cashflow.stream) {
        // The regime the table ran under: the project's, as the deal overrides it.
        const Project& project = world.projects[asset];
        Regime regime = world.regimes[project.regime];
        if (with_deal) {
            for (const auto& [index, changed] : scenario.deals[options.deal].regime_overrides)
                if (index == project.regime) regime = changed;
        }
        fmt::print("{}", fiscal_indicator_lines(project_fiscal(scenario, asset, regime),
                                                world.commodities[commodity].unit));
    }
    if (!loaded->overrides.empty()) fmt::print("{}", overrides_note(loaded->overrides));
    return exit_ok;
}

}  // namespace nadra::cli
