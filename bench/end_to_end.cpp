// End-to-end benchmark: the built-in scenario, every deal, at several path counts and thread
// counts. Each configuration runs in a child process so that its peak RSS is its own.
// Usage: nadra_bench [PATHS...]   (default: 10000 100000)
#include <fmt/core.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "analysis/statistics.hpp"
#include "engine/engine.hpp"
#include "scenario/builtin.hpp"

namespace {

using namespace nadra;

struct Timing {
    double simulate_s = 0, statistics_s = 0;
};

struct Measured {
    Timing timing;
    double peak_rss_mib = 0;
};

Timing run_once(const Scenario& scenario, std::int64_t paths, int threads) {
    RunOptions options;
    options.paths = paths;
    options.threads = threads;
    const auto t0 = std::chrono::steady_clock::now();
    const SimulationResult result = simulate(scenario, options);
    const auto t1 = std::chrono::steady_clock::now();
    const RunSummary summary = summarize_run(scenario, result);
    const auto t2 = std::chrono::steady_clock::now();
    return {std::chrono::duration<double>(t1 - t0).count(),
            std::chrono::duration<double>(t2 - t1).count()};
}

// Runs one configuration in a child process; the child reports its timing through a pipe.
Measured measure(const Scenario& scenario, std::int64_t paths, int threads) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    const pid_t child = fork();
    if (child == 0) {
        close(fds[0]);
        const Timing t = run_once(scenario, paths, threads);
        if (write(fds[1], &t, sizeof t) != static_cast<ssize_t>(sizeof t)) _exit(1);
        _exit(0);
    }
    close(fds[1]);
    Measured m;
    const bool ok = read(fds[0], &m.timing, sizeof m.timing) == sizeof m.timing;
    close(fds[0]);
    int status = 0;
    rusage usage{};
    wait4(child, &status, 0, &usage);
    if (!ok || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw std::runtime_error("benchmark child failed");
    }
    m.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;  // ru_maxrss is in KiB
    return m;
}

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
    }
    return "unknown";
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::int64_t> path_counts;
    for (int i = 1; i < argc; ++i) path_counts.push_back(std::stoll(argv[i]));
    if (path_counts.empty()) path_counts = {10'000, 100'000};

    LoadResult loaded = load_scenario_files(builtin_scenario(), builtin_scenario_root);
    if (!loaded.scenario) {
        fmt::print(stderr, "the built-in scenario does not load\n");
        return 1;
    }
    const Scenario& scenario = *loaded.scenario;
    const auto assets = scenario.world.projects.size() + scenario.world.streams.size();
    const long cores = sysconf(_SC_NPROCESSORS_ONLN);
    fmt::print(
        "nadra end-to-end benchmark: built-in scenario '{}', {} deals, {} assets, {} years\n",
        scenario.name, scenario.deals.size(), assets, scenario.horizon);
    fmt::print("machine: {} cores, {}\n\n", cores, cpu_model());
    fmt::print("{:>9} {:>7} {:>11} {:>12} {:>26} {:>14}\n", "paths", "threads", "simulate s",
               "statistics s", "asset-path-years/s/core", "peak RSS MiB");
    for (const std::int64_t paths : path_counts) {
        double one_thread = 0;
        for (const int threads : {1, 2}) {
            const Measured m = measure(scenario, paths, threads);
            const double asset_path_years =
                static_cast<double>(assets) * scenario.horizon * static_cast<double>(paths);
            fmt::print("{:>9} {:>7} {:>11.2f} {:>12.2f} {:>26.3g} {:>14.0f}\n", paths, threads,
                       m.timing.simulate_s, m.timing.statistics_s,
                       asset_path_years / m.timing.simulate_s / threads, m.peak_rss_mib);
            if (threads == 1) {
                one_thread = m.timing.simulate_s;
            } else {
                fmt::print("{:>9} thread scaling 1 -> 2: x{:.2f}\n", "",
                           one_thread / m.timing.simulate_s);
            }
        }
    }
    return 0;
}
