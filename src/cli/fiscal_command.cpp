#include "cli/fiscal_command.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <optional>

#include "analysis/fiscal.hpp"
#include "cli/progress.hpp"
#include "cli/report_file.hpp"
#include "report/fiscal_outputs.hpp"
#include "report/html_report.hpp"
#include "runner/scenario_input.hpp"
#include "scenario/suggest.hpp"

namespace nadra::cli {
namespace {

std::vector<std::string> regime_names(const World& world) {
    std::vector<std::string> names;
    for (const Regime& r : world.regimes) names.push_back(r.name);
    return names;
}

// The regimes named (in the order given, each once); "all": the project's own regime, then every
// regime meant for its commodity (one that lists it, or lists none); none after printing what is
// wrong.
std::optional<std::vector<Regime>> chosen_regimes(const World& world, const Project& project,
                                                  const std::vector<std::string>& names) {
    const std::string& commodity = world.commodities[project.commodity].name;
    const auto meant_for = [&](const Regime& r) {
        return r.commodities.empty() || std::find(r.commodities.begin(), r.commodities.end(),
                                                  commodity) != r.commodities.end();
    };
    std::vector<Regime> out;
    const std::vector<std::string> known = regime_names(world);
    for (const std::string& name : names) {
        if (name == "all") {
            std::vector<Regime> candidates{world.regimes[project.regime]};
            for (const Regime& r : world.regimes)
                if (meant_for(r)) candidates.push_back(r);
            for (const Regime& r : candidates) {
                const bool seen = std::any_of(out.begin(), out.end(),
                                              [&](const Regime& o) { return o.name == r.name; });
                if (!seen) out.push_back(r);
            }
            continue;
        }
        const auto it = std::find(known.begin(), known.end(), name);
        if (it == known.end()) {
            fmt::print(stderr, "error: --regime: no regime '{}'; {}\n", name,
                       detail::suggestion(name, known, "the scenario's regimes"));
            return std::nullopt;
        }
        const bool seen =
            std::any_of(out.begin(), out.end(), [&](const Regime& o) { return o.name == name; });
        if (!seen) out.push_back(world.regimes[static_cast<std::size_t>(it - known.begin())]);
    }
    if (out.empty()) {
        fmt::print(stderr,
                   "error: name the regimes to compare: --regime A --regime B, or "
                   "--regimes all\n");
        return std::nullopt;
    }
    return out;
}

}  // namespace

int fiscal_command(const FiscalArgs& args, Workers& workers) {
    catch_interrupts();
    const AnalysisArgs& common = args.common;
    auto loaded = load(common.scenario, common.overrides);
    if (!loaded) return exit_invalid;
    const Scenario& scenario = loaded->scenario;
    const World& world = scenario.world;
    std::vector<std::string> projects;
    for (const Project& p : world.projects) projects.push_back(p.name);
    const auto found = std::find(projects.begin(), projects.end(), args.project);
    if (found == projects.end()) {
        fmt::print(stderr, "error: --project: no project '{}'; {}\n", args.project,
                   detail::suggestion(args.project, projects, "the scenario's projects"));
        return exit_invalid;
    }
    const int project = static_cast<int>(found - projects.begin());
    const auto regimes = chosen_regimes(world, world.projects[project], args.regimes);
    if (!regimes) return exit_invalid;
    RunOptions run;
    run.paths = common.paths.value_or(scenario.paths.value_or(default_paths));
    run.seed = common.seed.value_or(scenario.seed.value_or(default_seed));
    run.threads = common.threads;
    std::string command = common.command_line;
    if (!common.seed) command += fmt::format(" --seed {}", run.seed);
    if (!common.paths) command += fmt::format(" --paths {}", run.paths);
    const RunInfo info{NADRA_VERSION, loaded->label,       loaded->sha256,   run.seed,
                       run.paths,     scenario.start_year, scenario.horizon, command};
    const auto start = std::chrono::steady_clock::now();
    FiscalComparison result;
    {
        ProgressBar bar;
        try {
            result = compare_regimes(scenario, project, *regimes, run, bar.callback(), workers);
        } catch (const Cancelled&) {
            bar.finish();
            fmt::print(stderr, "interrupted: nothing written\n");
            return exit_interrupted;
        }
        bar.finish();
    }
    if (interrupted()) {
        fmt::print(stderr, "interrupted: nothing written\n");
        return exit_interrupted;
    }
    if (!workers.root()) return exit_ok;  // rank 0 prints and writes
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    fmt::print("{}", fiscal_table(result));
    if (!loaded->overrides.empty()) fmt::print("{}", overrides_note(loaded->overrides));
    const OutputFiles files = fiscal_outputs(info, result);
    try {
        write_files_atomically(common.out, files);
    } catch (const std::exception& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return exit_invalid;
    }
    fmt::print("{} regimes on {} paths, seed {}: {:.1f} s; wrote {}/ (fiscal.json, fiscal.csv)\n",
               regimes->size(), run.paths, run.seed, seconds, common.out);
    if (!common.report.empty()) {
        OutputFiles directory;
        try {
            directory = read_run_directory(common.out);
        } catch (const std::exception& e) {
            fmt::print(stderr, "error: report: {}\n", e.what());
            return exit_invalid;
        }
        if (!write_report(common.report, directory)) return exit_invalid;
        fmt::print("report: {}\n", common.report);
    }
    return exit_ok;
}

}  // namespace nadra::cli
