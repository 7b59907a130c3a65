// nadra: evaluates resource-for-support deals on sampled futures. See README.md.
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <string>
#include <utility>

#include "analysis/workers.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/fiscal_command.hpp"
#ifdef NADRA_MPI
#include "mpi/job.hpp"
#endif

namespace {

// The argument as a POSIX shell reads it back: as it is when it holds only safe characters,
// else in single quotes.
std::string shell_quoted(const std::string& arg) {
    const bool safe = !arg.empty() && arg.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_-+=.,:/@%") == std::string::npos;
    if (safe) return arg;
    std::string quoted = "'";
    for (char c : arg) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return quoted + "'";
}

// The command line's command, run by this process (its share of the work, in an MPI job).
int run_cli(int argc, char** argv, nadra::Workers& workers) {
    using namespace nadra::cli;
    CLI::App app{"nadra: what each draft of a resource-for-support deal is worth to each side"};
    app.set_version_flag("--version", std::string("nadra ") + NADRA_VERSION);
    app.require_subcommand(1);

    // --set KEY=VALUE, repeatable; one value per occurrence so a positional may follow.
    const auto add_set = [](CLI::App* command, std::vector<std::string>& out) {
        command
            ->add_option("--set", out,
                         "Override a scenario value, e.g. --set deals.v5.share=0.4 (repeatable)")
            ->type_name("KEY=VALUE")
            ->allow_extra_args(false);
    };

    std::string validate_path;
    std::vector<std::string> validate_sets;
    auto* validate = app.add_subcommand("validate", "Load and check a scenario; list every error");
    validate->add_option("scenario", validate_path, "Scenario file (.toml)")->required();
    add_set(validate, validate_sets);

    RunArgs run;
    auto* run_cmd = app.add_subcommand("run", "Simulate paths and compare the deals");
    run_cmd->add_option("scenario", run.scenario, "Scenario file (default: the built-in one)");
    run_cmd->add_option("--paths", run.paths, "Number of paths (default 10000)")
        ->transform(whole_number())
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}));
    run_cmd->add_option("--seed", run.seed, "Random seed (default 1)")->transform(whole_number());
    run_cmd->add_option("--threads", run.threads, "Threads (default: all cores)")
        ->check(CLI::Range(0, 1024));
    run_cmd->add_option("--deals", run.deals, "Deals to run, comma-separated (default: all)")
        ->delimiter(',')
        ->transform(trimmed());
    run_cmd->add_option("--out", run.out, "Output directory")->capture_default_str();
    run_cmd->add_flag("--per-path", run.per_path, "Also write paths.csv (every path's metrics)");
    run_cmd->add_option("--report", run.report, "Also write the HTML report to this file");
    run_cmd->add_option("--xlsx", run.xlsx,
                        "Also write the Excel workbook (a sheet per table) to this file");
    run_cmd
        ->add_option("--sample-inputs", run.sample_inputs,
                     "Draw K sets of the uncertain inputs (triangular(low, value, high)); path p "
                     "runs on set p mod K (default: the scenario's run.sample_inputs, else 0: "
                     "every input at its value)")
        ->type_name("K")
        ->transform(whole_number())
        ->check(CLI::Range(std::int64_t{0}, std::int64_t{1'000'000'000}));
    run_cmd
        ->add_option("--input", run.inputs,
                     "With --sample-inputs: sample only the uncertain inputs this key pattern "
                     "matches (`*` within a key part, `**` across); repeatable. Default: every one")
        ->type_name("PATTERN")
        ->allow_extra_args(false);
    add_set(run_cmd, run.overrides);

    std::string init_dir;
    bool force = false;
    auto* init = app.add_subcommand("init", "Write the built-in scenario's files for editing");
    init->add_option("dir", init_dir, "Directory to create")->required();
    init->add_flag("--force", force, "Overwrite files that exist");

    std::string report_dir, report_file;
    auto* report = app.add_subcommand("report", "Write a run directory's HTML report");
    report->add_option("run_dir", report_dir, "The --out directory of a nadra run")->required();
    report->add_option("-o,--output", report_file, "HTML file (default: RUN_DIR/report.html)");

    std::string export_dir, export_xlsx;
    auto* export_cmd = app.add_subcommand("export", "Write a run directory's tables to a workbook");
    export_cmd->add_option("run_dir", export_dir, "The --out directory of a nadra run")->required();
    export_cmd->add_option("--xlsx", export_xlsx, "Excel workbook (.xlsx), a sheet per table")
        ->required();

    CashflowArgs cashflow;
    bool base = false;
    auto* cash = app.add_subcommand("cashflow", "Year-by-year cash flow of one project or stream");
    cash->add_option("scenario", cashflow.scenario, "Scenario file (default: the built-in one)");
    auto* asset_opt =
        cash->add_option("--asset", cashflow.asset, "Project or stream name (one is required)");
    auto* project_opt =
        cash->add_option("--project", cashflow.project, "Project name (as --asset, projects only)");
    asset_opt->excludes(project_opt);
    auto* path_opt = cash->add_option("--path", cashflow.path, "Show this path of the run")
                         ->transform(whole_number());
    auto* base_opt = cash->add_flag("--base", base, "Base inputs, no randomness (the default)");
    path_opt->excludes(base_opt);
    cash->add_option("--seed", cashflow.seed, "Seed for --path (default 1)")
        ->transform(whole_number());
    cash->add_option(
        "--deal", cashflow.deal,
        "The world as this deal changes it, and the asset's contributions to its fund");
    cash->add_flag("--csv", cashflow.csv, "Machine-readable CSV");
    add_set(cash, cashflow.overrides);

    // The analyses' common options.
    const auto add_common = [&](CLI::App* command, AnalysisArgs& args,
                                const std::string& paths_default, bool one_deal = true) {
        command->add_option("scenario", args.scenario, "Scenario file (default: the built-in one)");
        if (one_deal) command->add_option("--deal", args.deal, "The deal analysed")->required();
        command
            ->add_option("--baseline", args.baseline,
                         "What each party gets without the deal (a deal of the scenario)")
            ->capture_default_str();
        command
            ->add_option("--paths", args.paths,
                         "Paths of every run (default: the scenario's, else " + paths_default + ")")
            ->transform(whole_number())
            ->check(CLI::Range(std::int64_t{2}, std::int64_t{1'000'000'000}));
        command->add_option("--seed", args.seed, "Random seed (default 1)")
            ->transform(whole_number());
        command->add_option("--threads", args.threads, "Threads (default: all cores)")
            ->check(CLI::Range(0, 1024));
        command->add_option("--out", args.out, "Output directory")->capture_default_str();
        command->add_option("--report", args.report,
                            "Also write the HTML report of the output directory to this file");
        add_set(command, args.overrides);
    };
    // Input sets for the analyses that average over them (MODEL.md 4.3).
    const auto add_sampling = [&](CLI::App* command, AnalysisArgs& args, bool patterns) {
        command
            ->add_option("--sample-inputs", args.sample_inputs,
                         "Run every variant on K sets of the uncertain inputs, as `nadra run "
                         "--sample-inputs K` (default: the scenario's run.sample_inputs, else 0)")
            ->type_name("K")
            ->transform(whole_number())
            ->check(CLI::Range(std::int64_t{0}, std::int64_t{1'000'000'000}));
        if (patterns) {
            command->add_option("--input", args.sampled_patterns,
                                "With --sample-inputs: sample only the uncertain inputs this key "
                                "pattern matches; repeatable");
        }
    };

    SweepArgs sweep;
    auto* sweep_cmd = app.add_subcommand(
        "sweep",
        "Run a grid of variants of one deal: the Pareto frontier and the zone of agreement");
    add_common(sweep_cmd, sweep.common, "10000", false);
    add_sampling(sweep_cmd, sweep.common, true);
    sweep_cmd
        ->add_option("--deal", sweep.deals,
                     "The deal or deals (comma-separated) whose terms vary; without --vary, "
                     "the deals as they are")
        ->required()
        ->delimiter(',')
        ->transform(trimmed());
    sweep_cmd
        ->add_option("--vary", sweep.vary,
                     "A term and its values: KEY=FROM:TO:STEP or KEY=V1,V2 (repeatable), e.g. "
                     "--vary share=0.1:0.9:0.1 --vary cap=none,2e11")
        ->type_name("KEY=VALUES")
        ->allow_extra_args(false);
    sweep_cmd
        ->add_option("--value", sweep.value,
                     "The gains the frontier, the zone and the Nash point are drawn on: money "
                     "(from the subsoil) or total (with in-kind support valued, MODEL.md 4.2)")
        ->capture_default_str();

    BreakevenArgs breakeven;
    auto* breakeven_cmd = app.add_subcommand(
        "breakeven", "The value of one term at which each party is indifferent to the baseline");
    add_common(breakeven_cmd, breakeven.common, "10000");
    add_sampling(breakeven_cmd, breakeven.common, true);
    breakeven_cmd->add_option("--param", breakeven.param, "The term, e.g. share")->required();
    breakeven_cmd->add_option("--range", breakeven.range,
                              "LOW:HIGH searched (default 0:1 for a share or rate)");
    breakeven_cmd->add_option("--party", breakeven.party, "host, partner or both")
        ->capture_default_str();
    breakeven_cmd
        ->add_option("--value", breakeven.value,
                     "Whose gains: money (host_gain, partner_gain) or total (host_total_gain, "
                     "partner_net_gain: with in-kind support valued)")
        ->capture_default_str();

    SensitivityArgs tornado, sobol;
    const auto add_sensitivity = [&](CLI::App* command, SensitivityArgs& args,
                                     const std::string& paths_default) {
        add_common(command, args.common, paths_default);
        // --list needs no deal.
        command->get_option("--deal")->required(false);
        command
            ->add_option("--output", args.output,
                         "host_gain, partner_gain, host_value, partner_value, cap_year, "
                         "cap_probability, or with in-kind support valued host_total_gain, "
                         "partner_net_gain, host_total_value, partner_net_value")
            ->capture_default_str();
        command->add_option("--year", args.year,
                            "For cap_probability: reached by this year (default: the last)");
        command
            ->add_option("--input", args.inputs,
                         "Inputs moved as one factor, by key pattern (* within a key part, ** "
                         "across); repeatable. Default: every uncertain input, those of projects, "
                         "streams and regions grouped by kind")
            ->allow_extra_args(false);
        command->add_flag("--each", args.each, "Every uncertain input its own factor");
        command->add_flag("--list", args.list,
                          "List the uncertain inputs and factors; run nothing");
    };
    auto* tornado_cmd = app.add_subcommand(
        "tornado", "Swing each uncertain input from low to high: which moves the answer most");
    add_sensitivity(tornado_cmd, tornado, "2000");
    tornado_cmd->add_option("--rows", tornado.rows, "Rows printed (0: all)")->capture_default_str();
    add_sampling(tornado_cmd, tornado.common, false);
    auto* sobol_cmd =
        app.add_subcommand("sobol", "First-order and total Sobol indices of the uncertain inputs");
    add_sensitivity(sobol_cmd, sobol, "200");
    sobol_cmd->add_option("--samples", sobol.samples, "N: runs are N x (factors + 2)")
        ->check(CLI::Range(std::int64_t{2}, std::int64_t{1'000'000}))
        ->capture_default_str();
    sobol_cmd->add_option("--bootstrap", sobol.bootstrap, "Bootstrap resamples for the intervals")
        ->check(CLI::Range(10, 100'000))
        ->capture_default_str();
    sobol_cmd
        ->add_option("--top", sobol.top,
                     "Without --input: keep the factors with the widest tornado swings (0: all)")
        ->check(CLI::Range(0, 10'000))
        ->capture_default_str();

    ServeArgs serve;
    auto* serve_cmd = app.add_subcommand(
        "serve", "The live page: move a draft's terms and see each side's value (docs/api.md)");
    serve_cmd->add_option("scenario", serve.scenario, "Scenario file (default: the built-in one)");
    serve_cmd->add_option("--port", serve.port, "Port (0: any free one)")
        ->check(CLI::Range(0, 65535))
        ->capture_default_str();
    serve_cmd
        ->add_option("--bind", serve.bind,
                     "Address to listen on; other than loopback, anyone who reaches it can run")
        ->capture_default_str();
    serve_cmd->add_option("--max-paths", serve.max_paths, "Most paths a run may ask for")
        ->transform(whole_number())
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}))
        ->capture_default_str();
    serve_cmd
        ->add_option("--paths", serve.paths,
                     "Paths of a run that does not say, and of the page's full run after its "
                     "preview at 10^4 (default: the scenario's)")
        ->transform(whole_number())
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}));
    serve_cmd->add_option("--runs", serve.runs, "Runs at once; up to 8 more wait, then 429")
        ->check(CLI::Range(1, 64))
        ->capture_default_str();
    serve_cmd->add_option("--threads", serve.threads, "Threads of a run (default: all cores)")
        ->check(CLI::Range(0, 1024));
    serve_cmd
        ->add_option("--memory-budget", serve.memory_budget,
                     "Bytes all runs at once may use (default: the memory free)")
        ->transform(whole_number());
    FiscalArgs fiscal;
    auto* fiscal_cmd = app.add_subcommand(
        "fiscal",
        "One project under several fiscal regimes on the same futures: what the state gets, "
        "what the investor keeps, how progressive each is");
    add_common(fiscal_cmd, fiscal.common, "10000", false);
    fiscal_cmd->add_option("--project", fiscal.project, "The project")->required();
    fiscal_cmd
        ->add_option("--regime", fiscal.regimes,
                     "A regime to compare (repeatable; the first is the reference)")
        ->allow_extra_args(false);
    fiscal_cmd->remove_option(fiscal_cmd->get_option("--baseline"));
    std::vector<std::string> all_regimes;
    fiscal_cmd
        ->add_option(
            "--regimes", all_regimes,
            "all: the project's regime, then every regime meant for its commodity (one that "
            "lists it or lists none)")
        ->check(CLI::IsMember({"all"}))
        ->allow_extra_args(false);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? exit_ok : exit_usage;
    }
    // The commands that do not simulate run on rank 0 alone (two ranks writing the same files
    // would race); the others share their work between the ranks.
    const bool shared =
        *run_cmd || *sweep_cmd || *breakeven_cmd || *tornado_cmd || *sobol_cmd || *fiscal_cmd;
    if (!shared && !workers.root()) return exit_ok;
    if (*validate) return validate_command(validate_path, validate_sets);
    if (*run_cmd) return run_command(run, workers);
    if (*init) return init_command(init_dir, force);
    if (*report) return report_command(report_dir, report_file);
    if (*export_cmd) return export_command(export_dir, export_xlsx);
    if (*serve_cmd) return serve_command(serve);
    // The analyses' files record the command line that reproduces them, without the options
    // that do not change results (so the files stay identical at any thread count).
    std::string command_line = "nadra";
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        bool skipped = false;
        for (const std::string option : {"--threads", "--out", "--report"}) {
            if (arg == option) {
                ++i;  // and its value
                skipped = true;
            } else if (arg.starts_with(option + "=")) {
                skipped = true;
            }
        }
        if (!skipped) command_line += " " + shell_quoted(arg);
    }
    for (AnalysisArgs* common :
         {&sweep.common, &breakeven.common, &tornado.common, &sobol.common, &fiscal.common})
        common->command_line = command_line;
    if (*fiscal_cmd) {
        fiscal.regimes.insert(fiscal.regimes.end(), all_regimes.begin(), all_regimes.end());
        return fiscal_command(fiscal, workers);
    }
    if (*sweep_cmd) return sweep_command(sweep, workers);
    if (*breakeven_cmd) return breakeven_command(breakeven, workers);
    for (auto [command, args] : {std::pair{tornado_cmd, &tornado}, std::pair{sobol_cmd, &sobol}}) {
        if (!*command) continue;
        if (!args->list && args->common.deal.empty()) {
            fmt::print(stderr, "error: --deal is required (or --list)\n");
            return exit_usage;
        }
        return command == tornado_cmd ? tornado_command(*args, workers)
                                      : sobol_command(*args, workers);
    }
    return cashflow_command(cashflow);
}

}  // namespace

int main(int argc, char** argv) {
#ifdef NADRA_MPI
    return nadra::mpi::run_job(
        argc, argv, [&](nadra::Workers& workers) { return run_cli(argc, argv, workers); });
#else
    return run_cli(argc, argv, nadra::one_process());
#endif
}
