// End-to-end benchmark (BENCHMARKS.md), printed as Markdown:
//  1. One table: the built-in scenario with every deal at each path count on 1 and 2 threads
//     (wall time of a streamed run as `nadra run` computes it, asset-path-years per second per
//     core, peak RSS), the
//     lower-bound kernel on the same paths and threads (bench/lower_bound.hpp), and the simple
//     model (bench/peers.hpp) in Squiggle, nadra and scalar C++ at 10^4 and 10^5 samples, with
//     the ratios between them. Each configuration runs in a child process, so that its peak RSS
//     is its own, and the short ones run several times keeping the shortest time (the machine
//     may be shared): up to 20,000 paths three times, 100,000 once; the simple model's nadra and
//     scalar rows three times, Squiggle three times at 10^4 samples and twice at 10^5.
//     Then `nadra run`'s memory at --memory path counts (2 threads, one run each).
//  2. The simple model's results from all three programs, which must agree within Monte Carlo
//     error.
//  3. How the built-in scenario's cost grows with paths, years, assets and deals (1 thread,
//     shortest of three runs each).
//  4. The performance issue's targets, met or not, and how much CPU the timed parts got.
//
// Usage: nadra_bench [--quick] [--memory N,N...] [PATHS...]   (default PATHS: 10000 100000;
//                                                 memory: 10000,100000,1000000)
//        nadra_bench --run-only PATHS THREADS       (one streamed run as `nadra run`, its RSS)
//        nadra_bench --simulate-only PATHS THREADS      (one run of simulate, e.g. under perf)
//        nadra_bench --kernel-only PATHS THREADS        (one run of the lower-bound kernel)
// --quick: growth tables at 1,000 paths instead of 2,000, Squiggle at 10^4 samples only.
#include <fmt/core.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/statistics.hpp"
#include "analysis/streaming.hpp"
#include "engine/engine.hpp"
#include "engine/plan.hpp"
#include "lower_bound.hpp"
#include "peers.hpp"
#include "scenario/builtin.hpp"

namespace {

using namespace nadra;
using bench::grouped;
using bench::SimpleResult;
namespace fs = std::filesystem;

using Clock = std::chrono::steady_clock;
double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// ---- child processes ----------------------------------------------------------------------

template <class T>
struct Measured {
    T value{};
    double peak_rss_mib = 0;
};

// Runs `work` in a forked child; its result (a plain struct) comes back through a pipe, and the
// child's peak RSS through wait4.
template <class T, class Work>
Measured<T> in_child(Work work) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    const pid_t child = fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
        close(fds[0]);
        const T value = work();
        if (write(fds[1], &value, sizeof value) != static_cast<ssize_t>(sizeof value)) _exit(1);
        _exit(0);
    }
    close(fds[1]);
    Measured<T> m;
    const bool ok = read(fds[0], &m.value, sizeof m.value) == static_cast<ssize_t>(sizeof m.value);
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

// Runs a command, returns its stdout, exit status and peak RSS.
struct CommandRun {
    std::string out;
    int status = -1;
    double peak_rss_mib = 0;
};

CommandRun run_command(const std::vector<std::string>& argv) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    const pid_t child = fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
        close(fds[0]);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[1]);
        std::vector<char*> args;
        for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        execvp(args[0], args.data());
        _exit(127);
    }
    close(fds[1]);
    CommandRun r;
    char buffer[4096];
    for (ssize_t n; (n = read(fds[0], buffer, sizeof buffer)) > 0;) {
        r.out.append(buffer, static_cast<std::size_t>(n));
    }
    close(fds[0]);
    int status = 0;
    rusage usage{};
    wait4(child, &status, 0, &usage);
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.peak_rss_mib = static_cast<double>(usage.ru_maxrss) / 1024.0;
    return r;
}

// ---- the measurements ---------------------------------------------------------------------

// CPU time of this process, all threads, user and system.
double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    const auto s = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
    };
    return s(usage.ru_utime) + s(usage.ru_stime);
}

// The share of `threads` cores' time over `wall_s` that the timed part got: well under 1 means
// that another process took the CPU (or the threads waited), and the timing is not clean.
struct CpuUse {
    std::string what;
    double share = 0;
};
std::vector<CpuUse> cpu_use;

struct EngineTiming {
    double simulate_s = 0, statistics_s = 0, cpu_s = 0, kept_values = 0;
};

// Paths a block, as `nadra run` (src/cli/commands.cpp).
constexpr std::int64_t run_block_paths = 1024;

// With `run`: what `nadra run` computes, blocks of paths streamed into the statistics
// (simulate_blocks + StreamingSummary; `statistics_s` is the time in the statistics, which runs
// beside the simulation). Without: simulate() alone, every path kept, no statistics.
EngineTiming time_engine(const Scenario& scenario, RunOptions options, bool run) {
    const double cpu0 = cpu_seconds();
    const auto t0 = Clock::now();
    EngineTiming t;
    if (run) {
        StreamingSummary streaming(scenario, options.paths);
        simulate_blocks(scenario, options, run_block_paths,
                        [&](const SimulationResult& block, std::int64_t first) {
                            const auto t1 = Clock::now();
                            streaming.add(block, first);
                            t.statistics_s += seconds_since(t1);
                        });
        const auto t1 = Clock::now();
        const RunSummary summary = streaming.finish();
        t.statistics_s += seconds_since(t1);
        t.kept_values = static_cast<double>(streaming.kept_values());
    } else {
        const SimulationResult result = simulate(scenario, options);
    }
    t.simulate_s = seconds_since(t0);
    t.cpu_s = cpu_seconds() - cpu0;
    return t;
}

struct KernelTiming {
    double seconds = 0, checksum = 0, cpu_s = 0;
};

KernelTiming time_kernel(const bench::KernelShape& shape, std::int64_t paths, int threads) {
    const double cpu0 = cpu_seconds();
    const auto t0 = Clock::now();
    KernelTiming k;
    k.checksum = bench::run_lower_bound(shape, 1, paths, threads);
    k.seconds = seconds_since(t0);
    k.cpu_s = cpu_seconds() - cpu0;
    return k;
}

// Seconds of a measurement, whatever its kind.
double seconds_of(const EngineTiming& t) { return t.simulate_s; }
double seconds_of(const KernelTiming& t) { return t.seconds; }
double seconds_of(const SimpleResult& t) { return t.seconds; }

// Runs `measure` `runs` times and keeps the shortest: the timings least disturbed by other
// processes (the machine is shared). Peak RSS is the largest of the runs.
template <class Measure>
auto best_of(int runs, Measure measure) {
    auto best = measure();
    for (int i = 1; i < runs; ++i) {
        auto m = measure();
        const double rss = std::max(best.peak_rss_mib, m.peak_rss_mib);
        if (seconds_of(m.value) < seconds_of(best.value)) best = m;
        best.peak_rss_mib = rss;
    }
    return best;
}

// Short configurations run three times (best of), long ones once, to keep `make bench` short.
int runs_for(std::int64_t paths) { return paths <= 20'000 ? 3 : 1; }

struct PeerRun {
    std::optional<SimpleResult> result;  // none: not run
    std::string why_not;
    double peak_rss_mib = 0;
};

PeerRun run_squiggle(const fs::path& dir, std::int64_t samples) {
    PeerRun p;
    if (!fs::exists(dir / "node_modules/@quri/squiggle-lang/package.json")) {
        p.why_not = "not run: " + (dir / "node_modules").string() +
                    " lacks @quri/squiggle-lang (run scripts/install-deps)";
        return p;
    }
    const CommandRun r =
        run_command({"node", (dir / "simple.mjs").string(), std::to_string(samples)});
    if (r.status != 0) {
        p.why_not = r.status == 127 ? "not run: node not found"
                                    : fmt::format("failed: node exited with {}", r.status);
        return p;
    }
    const auto json = nlohmann::json::parse(r.out);
    p.result = SimpleResult{json.at("seconds").get<double>(), json.at("mean_npv").get<double>(),
                            json.at("sem_npv").get<double>(), json.at("p_cap").get<double>()};
    p.peak_rss_mib = r.peak_rss_mib;
    return p;
}

// ---- scenarios for the growth tables --------------------------------------------------------

Scenario load_builtin(const Overrides& overrides = {}) {
    LoadResult loaded = load_scenario_files(builtin_scenario(), builtin_scenario_root, overrides);
    if (!loaded.scenario) {
        for (const InputError& e : loaded.errors) fmt::print(stderr, "{}\n", format_error(e));
        throw std::runtime_error("the built-in scenario does not load");
    }
    return std::move(*loaded.scenario);
}

// The built-in world with every project and stream repeated `times` times (each copy draws its
// own numbers: the engine's counters are per project index).
Scenario replicated(const Scenario& scenario, int times) {
    Scenario s = scenario;
    for (int copy = 1; copy < times; ++copy) {
        for (Project p : scenario.world.projects) {
            p.name += fmt::format("_{}", copy);
            s.world.projects.push_back(std::move(p));
        }
        for (Stream st : scenario.world.streams) {
            st.name += fmt::format("_{}", copy);
            s.world.streams.push_back(std::move(st));
        }
    }
    return s;
}

int asset_count(const Scenario& s) {
    return static_cast<int>(s.world.projects.size() + s.world.streams.size());
}

double asset_path_years(const Scenario& s, std::int64_t paths) {
    return static_cast<double>(asset_count(s)) * s.horizon * static_cast<double>(paths);
}

// ---- printing -----------------------------------------------------------------------------

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
    }
    return "unknown";
}

// 1.23e7
// The 1-minute load average (/proc/loadavg).
std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string one;
    in >> one;
    return one.empty() ? "unknown" : one;
}

std::string sci(double x) {
    if (!(x > 0) || !std::isfinite(x)) return fmt::format("{}", x);
    int exponent = static_cast<int>(std::floor(std::log10(x)));
    double mantissa = x / std::pow(10.0, exponent);
    if (mantissa >= 9.995) {
        mantissa /= 10;
        ++exponent;
    }
    return fmt::format("{:.2f}e{}", mantissa, exponent);
}

struct GrowthRow {
    std::string size;  // what varies, as printed
    std::string extra;
    double factor = 1;  // its size relative to the first row
    double seconds = 0;
    double fixed = 0;  // the same configuration with 1 path: the run's set-up (plan, breakevens)
};

void print_growth(const std::string& title, const std::string& what, const std::string& extra,
                  const std::vector<GrowthRow>& rows) {
    fmt::print("\n{}\n\n", title);
    fmt::print("| {} |{} simulate s | of which set-up s | size × | time × | time × less set-up |\n",
               what, extra.empty() ? "" : " " + extra + " |");
    fmt::print("|---:|{}---:|---:|---:|---:|---:|\n", extra.empty() ? "" : "---:|");
    const GrowthRow& first = rows.front();
    for (const GrowthRow& r : rows) {
        fmt::print("| {} |{} {:.3f} | {:.3f} | {:.2f} | {:.2f} | {:.2f} |\n", r.size,
                   extra.empty() ? "" : " " + r.extra + " |", r.seconds, r.fixed, r.factor,
                   r.seconds / first.seconds,
                   (r.seconds - r.fixed) / (first.seconds - first.fixed));
    }
}

std::string yes_no(bool met) { return met ? "**met**" : "not met"; }

std::string gib_text(std::uint64_t bytes) {
    const double mib = static_cast<double>(bytes) / (1u << 20);
    return mib < 1024 ? fmt::format("{:.0f} MiB", mib) : fmt::format("{:.1f} GiB", mib / 1024);
}

}  // namespace

int main(int argc, char** argv) try {
    std::vector<std::int64_t> path_counts;
    std::optional<std::vector<std::int64_t>> memory_paths;
    bool quick = false;
    std::optional<std::pair<std::int64_t, int>> simulate_only, kernel_only, run_only;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--quick") {
            quick = true;
        } else if ((arg == "--simulate-only" || arg == "--kernel-only" || arg == "--run-only") &&
                   i + 2 < argc) {
            const std::pair<std::int64_t, int> run{std::stoll(argv[i + 1]), std::stoi(argv[i + 2])};
            (arg == "--simulate-only" ? simulate_only
                                      : (arg == "--kernel-only" ? kernel_only : run_only)) = run;
            i += 2;
        } else if (arg == "--memory" && i + 1 < argc) {
            memory_paths.emplace();
            std::string list = argv[++i];
            for (std::size_t at = 0; at < list.size();) {
                const std::size_t comma = std::min(list.find(',', at), list.size());
                memory_paths->push_back(std::stoll(list.substr(at, comma - at)));
                at = comma + 1;
            }
        } else {
            path_counts.push_back(std::stoll(arg));
        }
    }
    if (path_counts.empty()) path_counts = {10'000, 100'000};
    std::sort(path_counts.begin(), path_counts.end());

    const Scenario scenario = load_builtin();
    const RunOptions all_deals;
    const bench::KernelShape shape = bench::kernel_shape(scenario, all_deals);
    const std::vector<std::int64_t> memory_counts =
        memory_paths ? *memory_paths
                     : (quick ? std::vector<std::int64_t>{10'000, 100'000}
                              : std::vector<std::int64_t>{10'000, 100'000, 1'000'000});
    if (run_only) {
        RunOptions options;
        options.paths = run_only->first;
        options.threads = run_only->second;
        const auto m = in_child<EngineTiming>([&] { return time_engine(scenario, options, true); });
        fmt::print(
            "nadra run {} paths, {} threads: {:.3f} s ({:.3f} s in the statistics), peak "
            "RSS {:.0f} MiB, {} bracket values kept\n",
            grouped(options.paths), options.threads, m.value.simulate_s, m.value.statistics_s,
            m.peak_rss_mib, grouped(static_cast<std::int64_t>(m.value.kept_values)));
        return 0;
    }
    if (simulate_only || kernel_only) {
        const auto [paths, threads] = simulate_only ? *simulate_only : *kernel_only;
        RunOptions options;
        options.paths = paths;
        options.threads = threads;
        const double s = simulate_only ? time_engine(scenario, options, false).simulate_s
                                       : time_kernel(shape, paths, threads).seconds;
        fmt::print("{} {} paths, {} threads: {:.3f} s\n",
                   simulate_only ? "simulate" : "lower-bound kernel", grouped(paths), threads, s);
        return 0;
    }

    const std::string load_before = load_average();
    const fs::path bench_dir = NADRA_BENCH_DIR;
    const int assets = asset_count(scenario);
    const auto variants = engine::make_plan(scenario, {}).variants.size();
    fmt::print("# nadra benchmark\n\n");
    fmt::print("machine: {} cores (nproc), {}\n", sysconf(_SC_NPROCESSORS_ONLN), cpu_model());
    fmt::print(
        "built-in scenario '{}': {} deals ({} world variants), {} assets ({} projects, {} "
        "streams), {} years\n",
        scenario.name, scenario.deals.size(), variants, assets, scenario.world.projects.size(),
        scenario.world.streams.size(), scenario.horizon);
    fmt::print(
        "lower-bound kernel: {} Philox blocks a path ({} price normal pairs, {} project draws, "
        "{} fund-return pairs, {} conflict, {} liberation ({:.1f} on average), {} support "
        "({:.1f} on average) uniforms, as the engine draws them: each counter once a path, "
        "world variants and deals sharing their conflict, liberation and support uniforms), "
        "then {} asset-years ({} assets x {} years x {} variants) read, written and summed\n",
        shape.blocks(), shape.price_pairs, shape.project_uniforms + shape.project_normals,
        shape.fund_pairs, shape.conflict_uniforms, shape.liberation_uniforms, shape.liberation_mean,
        shape.support_uniforms, shape.support_mean, shape.assets() * shape.horizon * shape.variants,
        shape.assets(), shape.horizon, shape.variants);

    // 1. The table.
    fmt::print(
        "\n| model | program | paths | threads | wall s | asset-path-years/s/core | peak RSS MiB | "
        "ratios |\n");
    fmt::print("|---|---|---:|---:|---:|---:|---:|---|\n");
    struct EngineRow {
        std::int64_t paths;
        int threads;
        double seconds, statistics_s, rss, kernel_s;
    };
    std::vector<EngineRow> engine_rows;
    const std::string builtin_label = fmt::format("built-in, {} deals", scenario.deals.size());
    for (const std::int64_t paths : path_counts) {
        std::map<int, EngineRow> by_threads;
        for (const int threads : {1, 2}) {
            RunOptions options;
            options.paths = paths;
            options.threads = threads;
            const int repeats = runs_for(paths);
            const auto e = best_of(repeats, [&] {
                return in_child<EngineTiming>([&] { return time_engine(scenario, options, true); });
            });
            const auto k = best_of(repeats, [&] {
                return in_child<KernelTiming>([&] { return time_kernel(shape, paths, threads); });
            });
            const EngineRow row{
                paths,          threads,        e.value.simulate_s, e.value.statistics_s,
                e.peak_rss_mib, k.value.seconds};
            by_threads[threads] = row;
            engine_rows.push_back(row);
            const std::string where = fmt::format("{} paths, {} thread{}", grouped(paths), threads,
                                                  threads > 1 ? "s" : "");
            cpu_use.push_back(
                {"nadra run, " + where, e.value.cpu_s / (e.value.simulate_s * threads)});
            cpu_use.push_back(
                {"lower-bound kernel, " + where, k.value.cpu_s / (k.value.seconds * threads)});
            const double apy = asset_path_years(scenario, paths);
            std::string ratio = fmt::format("×{:.2f} the lower bound", row.seconds / row.kernel_s);
            std::string kernel_ratio;
            if (threads == 2) {
                ratio += fmt::format("; ×{:.2f} from 1 to 2 threads",
                                     by_threads[1].seconds / row.seconds);
                kernel_ratio = fmt::format("×{:.2f} from 1 to 2 threads",
                                           by_threads[1].kernel_s / row.kernel_s);
            }
            fmt::print("| {} | nadra run | {} | {} | {:.2f} | {} | {:.0f} | {} |\n", builtin_label,
                       grouped(paths), threads, row.seconds, sci(apy / row.seconds / threads),
                       row.rss, ratio);
            fmt::print("| {} | lower-bound kernel | {} | {} | {:.2f} | {} | {:.0f} | {} |\n",
                       builtin_label, grouped(paths), threads, row.kernel_s,
                       sci(apy / row.kernel_s / threads), k.peak_rss_mib, kernel_ratio);
            std::fflush(stdout);
        }
    }

    const LoadResult simple_loaded = load_scenario_file(bench_dir / "simple/scenario.toml");
    if (!simple_loaded.scenario)
        throw std::runtime_error("bench/simple/scenario.toml does not load");
    const Scenario& simple = *simple_loaded.scenario;
    const std::vector<std::int64_t> sample_counts =
        quick ? std::vector<std::int64_t>{10'000} : std::vector<std::int64_t>{10'000, 100'000};
    struct PeerRow {
        std::int64_t samples;
        PeerRun squiggle;
        Measured<SimpleResult> nadra, scalar;
    };
    std::vector<PeerRow> peer_rows;
    const std::string simple_label = "simple, 1 asset, 30 years";
    for (const std::int64_t samples : sample_counts) {
        // Squiggle at 10^5 samples takes seconds: twice; the rest three times.
        const int repeats = 3;
        PeerRow row{samples, {}, {}, {}};
        for (int i = 0; i < (samples <= 20'000 ? 3 : 2); ++i) {
            PeerRun q = run_squiggle(bench_dir / "peers/squiggle", samples);
            if (i == 0 || (q.result && row.squiggle.result &&
                           q.result->seconds < row.squiggle.result->seconds)) {
                row.squiggle = std::move(q);
            }
        }
        row.nadra = best_of(repeats, [&] {
            return in_child<SimpleResult>([&] { return bench::run_nadra_simple(simple, samples); });
        });
        row.scalar = best_of(repeats, [&] {
            return in_child<SimpleResult>(
                [&] { return bench::run_scalar_simple(samples, 20251125); });
        });
        const double apy = asset_path_years(simple, samples);
        const auto print = [&](const std::string& program, const SimpleResult& r, double rss,
                               const std::string& ratio) {
            fmt::print("| {} | {} | {} | 1 | {:.4f} | {} | {:.0f} | {} |\n", simple_label, program,
                       grouped(samples), r.seconds, sci(apy / r.seconds), rss, ratio);
        };
        const SimpleResult& n = row.nadra.value;
        const SimpleResult& c = row.scalar.value;
        std::string nadra_ratio, scalar_ratio;
        if (row.squiggle.result) {
            const SimpleResult& q = *row.squiggle.result;
            print("Squiggle 0.10.0, SampleSet", q, row.squiggle.peak_rss_mib, "");
            nadra_ratio = fmt::format("×{:.0f} faster than Squiggle; ", q.seconds / n.seconds);
            scalar_ratio = fmt::format("×{:.0f} faster than Squiggle; ", q.seconds / c.seconds);
        } else {
            fmt::print("| {} | Squiggle 0.10.0, SampleSet | {} | 1 | | | | {} |\n", simple_label,
                       grouped(samples), row.squiggle.why_not);
        }
        print("nadra simulate", n, row.nadra.peak_rss_mib,
              nadra_ratio + fmt::format("×{:.2f} the scalar loop's time", n.seconds / c.seconds));
        print("scalar C++ loop", c, row.scalar.peak_rss_mib, scalar_ratio);
        peer_rows.push_back(std::move(row));
        std::fflush(stdout);
    }
    fmt::print(
        "\nnadra run: the simulation with its statistics streamed (simulate_blocks + "
        "StreamingSummary, as `nadra run` computes them). Of its wall times, the statistics took "
        "(on the thread that takes the blocks in turn, while the others simulate):");
    for (std::size_t i = 0; i < engine_rows.size(); ++i) {
        const EngineRow& r = engine_rows[i];
        fmt::print("{} {:.2f} s at {} paths, {} thread{}", i ? ";" : "", r.statistics_s,
                   grouped(r.paths), r.threads, r.threads > 1 ? "s" : "");
    }
    fmt::print(".\n");

    // Memory: a run holds blocks of paths in flight and its brackets, not every path.
    fmt::print(
        "\nMemory of `nadra run` (built-in scenario, every deal, 2 threads, one run each; "
        "brackets: values kept for exact percentiles at the end, over {} series; stored: what "
        "keeping every path, as before streaming, would need):\n\n",
        StreamingSummary::series_count(scenario.deals.size(), scenario.horizon));
    fmt::print(
        "| paths | wall s | peak RSS MiB | bracket values kept | stored design, estimate |\n");
    fmt::print("|---:|---:|---:|---:|---:|\n");
    struct MemoryRow {
        std::int64_t paths;
        double rss_mib, seconds;
    };
    std::vector<MemoryRow> memory_rows;
    for (const std::int64_t paths : memory_counts) {
        RunOptions options;
        options.paths = paths;
        options.threads = 2;
        const auto m = in_child<EngineTiming>([&] { return time_engine(scenario, options, true); });
        memory_rows.push_back({paths, m.peak_rss_mib, m.value.simulate_s});
        cpu_use.push_back({fmt::format("nadra run, {} paths (memory)", grouped(paths)),
                           m.value.cpu_s / (m.value.simulate_s * 2)});
        fmt::print("| {} | {:.1f} | {:.0f} | {} | {} |\n", grouped(paths), m.value.simulate_s,
                   m.peak_rss_mib, grouped(static_cast<std::int64_t>(m.value.kept_values)),
                   gib_text(estimate_run_memory(scenario, options).total(paths)));
        std::fflush(stdout);
    }

    // 2. The simple model's results.
    fmt::print(
        "\nThe simple model's results (NPV of contributions at 5%; nadra: the deal's "
        "partner_value):\n\n");
    fmt::print("| samples | program | mean NPV $bn | ± sem | P(cap) | ± sem | vs nadra |\n");
    fmt::print("|---:|---|---:|---:|---:|---:|---|\n");
    for (const PeerRow& row : peer_rows) {
        const SimpleResult& n = row.nadra.value;
        const auto print = [&](const std::string& program, const SimpleResult& r, bool compare) {
            const double p_sem =
                std::sqrt(r.p_cap * (1 - r.p_cap) / static_cast<double>(row.samples));
            std::string verdict;
            if (compare) {
                const double n_p_sem =
                    std::sqrt(n.p_cap * (1 - n.p_cap) / static_cast<double>(row.samples));
                const double z_npv =
                    std::abs(r.mean_npv - n.mean_npv) / std::hypot(r.sem_npv, n.sem_npv);
                const double z_p = std::abs(r.p_cap - n.p_cap) / std::hypot(p_sem, n_p_sem);
                verdict = fmt::format("{} (|z| = {:.1f}, {:.1f})",
                                      z_npv < 3 && z_p < 3 ? "agrees" : "DIFFERS", z_npv, z_p);
            }
            fmt::print("| {} | {} | {:.3f} | {:.3f} | {:.4f} | {:.4f} | {} |\n",
                       grouped(row.samples), program, r.mean_npv / 1e9, r.sem_npv / 1e9, r.p_cap,
                       p_sem, verdict);
        };
        if (row.squiggle.result) print("Squiggle", *row.squiggle.result, true);
        print("nadra", n, false);
        print("scalar C++", row.scalar.value, true);
    }

    // 3. Growth (1 thread, all deals unless said). Every configuration runs `rounds` times, the
    // rounds one after another, and keeps its shortest time: a burst of load from another
    // process then spoils one round of a configuration, not its figure.
    const std::int64_t g = quick ? 1'000 : 2'000;
    const int rounds = 3;
    struct Cell {
        int table;
        GrowthRow row;
        std::shared_ptr<const Scenario> scenario;
        std::int64_t paths;
        std::vector<int> deals;
    };
    std::vector<Cell> cells;
    const auto builtin_ptr = std::make_shared<const Scenario>(scenario);
    for (const std::int64_t paths : {g / 2, g, 2 * g, 4 * g}) {
        cells.push_back(
            {0,
             {grouped(paths), "", static_cast<double>(paths) / static_cast<double>(g / 2)},
             builtin_ptr,
             paths,
             {}});
    }
    for (const int years : {19, 38, 76, 152}) {
        cells.push_back({1,
                         {std::to_string(years), "", years / 19.0},
                         std::make_shared<const Scenario>(
                             load_builtin({{"run.horizon", std::to_string(years)}})),
                         g,
                         {}});
    }
    for (const int times : {1, 2, 4}) {
        auto s = std::make_shared<const Scenario>(replicated(scenario, times));
        cells.push_back(
            {2, {std::to_string(asset_count(*s)), "", static_cast<double>(times)}, s, g, {}});
    }
    for (const int count : {1, 2, 4, 8}) {
        std::vector<int> deals;
        for (int d = 0; d < count && d < static_cast<int>(scenario.deals.size()); ++d) {
            deals.push_back(d);
        }
        const auto v = engine::make_plan(scenario, deals).variants.size();
        cells.push_back(
            {3,
             {std::to_string(deals.size()), std::to_string(v), static_cast<double>(count)},
             builtin_ptr,
             g,
             deals});
    }
    for (int round = 0; round < rounds; ++round) {
        for (Cell& c : cells) {
            RunOptions options;
            options.paths = c.paths;
            options.threads = 1;
            options.deals = c.deals;
            const EngineTiming t = time_engine(*c.scenario, options, false);
            cpu_use.push_back(
                {fmt::format("growth, {} paths", grouped(c.paths)), t.cpu_s / t.simulate_s});
            if (round == 0 || t.simulate_s < c.row.seconds) c.row.seconds = t.simulate_s;
            options.paths = 1;
            const double fixed = time_engine(*c.scenario, options, false).simulate_s;
            if (round == 0 || fixed < c.row.fixed) c.row.fixed = fixed;
        }
    }
    const auto table = [&](int id) {
        std::vector<GrowthRow> rows;
        for (const Cell& c : cells) {
            if (c.table == id) rows.push_back(c.row);
        }
        return rows;
    };
    fmt::print(
        "\nHow cost grows (nadra simulate, 1 thread, shortest of {} runs; size × and time × "
        "relative to the first row; set-up: the same run with 1 path, which makes the plan and "
        "every project's breakeven per world variant):\n",
        rounds);
    print_growth("Paths (built-in scenario, every deal):", "paths", "", table(0));
    print_growth(fmt::format("Years (`run.horizon`; {} paths, every deal):", grouped(g)), "years",
                 "", table(1));
    print_growth(fmt::format("Assets (every project and stream repeated 1, 2, 4 times; {} paths, "
                             "every deal):",
                             grouped(g)),
                 "assets", "", table(2));
    print_growth(
        fmt::format("Deals (the first 1, 2, 4, 8 in scenario order; {} paths):", grouped(g)),
        "deals", "world variants", table(3));

    // 4. Targets.
    const EngineRow& big1 = *std::find_if(engine_rows.rbegin(), engine_rows.rend(),
                                          [](const EngineRow& r) { return r.threads == 1; });
    const EngineRow& big2 = *std::find_if(engine_rows.rbegin(), engine_rows.rend(),
                                          [](const EngineRow& r) { return r.threads == 2; });
    const double apy_core = asset_path_years(scenario, big2.paths) / big2.seconds / 2;
    double million_s = big2.seconds * 1e6 / static_cast<double>(big2.paths);
    const double scaling = big1.seconds / big2.seconds;
    const double lower_bound = big2.seconds / big2.kernel_s;
    // 10^7 paths: measured if the memory table ran it, else the largest measured run's peak RSS
    // plus what the brackets' estimate adds from there (the rest does not grow with paths).
    std::string rss_10m = "not measured";
    double gib_10m = 0;
    if (!memory_rows.empty()) {
        const MemoryRow& last = memory_rows.back();
        if (last.paths >= 10'000'000) {
            gib_10m = last.rss_mib / 1024;
            rss_10m = fmt::format("{:.2f} GiB measured at {} paths", gib_10m, grouped(last.paths));
        } else {
            const auto bytes = [&](std::int64_t paths) {
                return static_cast<double>(StreamingSummary::estimated_bytes(
                    scenario.deals.size(), scenario.horizon, paths));
            };
            gib_10m = last.rss_mib / 1024 + (bytes(10'000'000) - bytes(last.paths)) / (1u << 30);
            rss_10m = fmt::format(
                "{:.2f} GiB projected: {:.0f} MiB measured at {} paths, plus the brackets' "
                "estimated growth to 10^7",
                gib_10m, last.rss_mib, grouped(last.paths));
        }
    }
    fmt::print("\nTargets of the performance issue:\n\n");
    fmt::print("| target | measured | |\n|---|---|---|\n");
    fmt::print(
        "| ≥ 1e8 asset-path-years/s/core, built-in scenario, every deal | {} ({} paths, 2 "
        "threads) | {} |\n",
        sci(apy_core), grouped(big2.paths), yes_no(apy_core >= 1e8));
    const auto million_row = std::find_if(memory_rows.begin(), memory_rows.end(),
                                          [](const MemoryRow& r) { return r.paths == 1'000'000; });
    if (million_row != memory_rows.end()) million_s = million_row->seconds;
    fmt::print("| 10^6 paths in ≤ 10 s on 2 threads | {} | {} |\n",
               million_row != memory_rows.end()
                   ? fmt::format("{:.1f} s measured (memory table)", million_s)
               : big2.paths >= 1'000'000
                   ? fmt::format("{:.1f} s measured at {} paths", big2.seconds, grouped(big2.paths))
                   : fmt::format("{:.0f} s, projected linearly from {:.2f} s at {} paths",
                                 million_s, big2.seconds, grouped(big2.paths)),
               yes_no(million_s <= 10));
    fmt::print("| ≥ 1.9× from 1 to 2 threads | ×{:.2f} at {} paths | {} |\n", scaling,
               grouped(big2.paths), yes_no(scaling >= 1.9));
    fmt::print(
        "| within 3× of the lower-bound kernel | ×{:.2f} at {} paths, 2 threads (×{:.2f} on "
        "1) | {} |\n",
        lower_bound, grouped(big2.paths), big1.seconds / big1.kernel_s, yes_no(lower_bound <= 3));
    const PeerRow& last_peer = peer_rows.back();
    if (last_peer.squiggle.result) {
        const double x = last_peer.squiggle.result->seconds / last_peer.nadra.value.seconds;
        fmt::print("| ≥ 300× Squiggle at 10^5 samples | ×{:.0f} at {} samples | {} |\n", x,
                   grouped(last_peer.samples),
                   last_peer.samples >= 100'000 ? yes_no(x >= 300) : "not measured (--quick)");
    } else {
        fmt::print("| ≥ 300× Squiggle at 10^5 samples | {} | not measured |\n",
                   last_peer.squiggle.why_not);
    }
    fmt::print("| 10^7 paths in < 2 GiB peak RSS | {} | {} |\n", rss_10m,
               memory_rows.empty() ? "not measured" : yes_no(gib_10m < 2));

    // Whether the timings are clean: each timed part should have had its threads' cores.
    const auto least =
        std::min_element(cpu_use.begin(), cpu_use.end(),
                         [](const CpuUse& a, const CpuUse& b) { return a.share < b.share; });
    fmt::print(
        "\nCPU time of the timed parts over their threads' wall time: at least {:.0f}% ({}).",
        100 * least->share, least->what);
    int noisy = 0;
    for (const CpuUse& u : cpu_use) noisy += u.share < 0.9;
    if (noisy > 0) {
        fmt::print(
            " {} timed part{} got less than 90%: another process was using the CPU; rerun "
            "when the machine is idle.",
            noisy, noisy > 1 ? "s" : "");
    }
    fmt::print(" Load average before and after: {} and {}.\n", load_before, load_average());
    return 0;
} catch (const std::exception& e) {
    fmt::print(stderr, "nadra_bench: {}\n", e.what());
    return 1;
}
