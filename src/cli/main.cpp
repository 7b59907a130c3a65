// nadra: evaluates resource-for-support deals on sampled futures. See README.md.
#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
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
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{1'000'000'000}));
    run_cmd->add_option("--seed", run.seed, "Random seed (default 1)");
    run_cmd->add_option("--threads", run.threads, "Threads (default: all cores)")
        ->check(CLI::Range(0, 1024));
    run_cmd->add_option("--deals", run.deals, "Deals to run, comma-separated (default: all)")
        ->delimiter(',');
    run_cmd->add_option("--out", run.out, "Output directory")->capture_default_str();
    run_cmd->add_flag("--per-path", run.per_path, "Also write paths.csv (every path's metrics)");
    run_cmd->add_option("--report", run.report, "Also write the HTML report to this file");
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

    CashflowArgs cashflow;
    bool base = false;
    auto* cash = app.add_subcommand("cashflow", "Year-by-year cash flow of one project");
    cash->add_option("scenario", cashflow.scenario, "Scenario file (default: the built-in one)");
    cash->add_option("--project", cashflow.project, "Project name")->required();
    auto* path_opt = cash->add_option("--path", cashflow.path, "Show this path of the run");
    auto* base_opt = cash->add_flag("--base", base, "Base inputs, no randomness (the default)");
    path_opt->excludes(base_opt);
    cash->add_option("--seed", cashflow.seed, "Seed for --path (default 1)");
    cash->add_option("--deal", cashflow.deal, "The world as this deal changes it");
    cash->add_flag("--csv", cashflow.csv, "Machine-readable CSV");
    add_set(cash, cashflow.overrides);

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? exit_ok : exit_usage;
    }
    if (*validate) return validate_command(validate_path, validate_sets);
    if (*run_cmd) return run_command(run);
    if (*init) return init_command(init_dir, force);
    if (*report) return report_command(report_dir, report_file);
    return cashflow_command(cashflow);
}
