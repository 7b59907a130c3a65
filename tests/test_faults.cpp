// Faults during a run: a full disk, SIGKILL, Ctrl-C, a run too large for memory. Whatever
// happens, the output directory holds complete files from one run or none of them.
#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include "engine/engine.hpp"
#include "process.hpp"
#include "runner/memory.hpp"
#include "scenario/builtin.hpp"
#include "scenario/load.hpp"

namespace {

namespace fs = std::filesystem;
using nadra::test::command;
using nadra::test::Exit;
using nadra::test::Spawn;
using nadra::test::TempDir;

const std::string binary = NADRA_BINARY;

// Every file in `dir` (temporary ones too) with its contents.
std::map<std::string, std::string> files_in(const fs::path& dir) {
    std::map<std::string, std::string> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::ifstream in(entry.path(), std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        files[entry.path().filename().string()] = s.str();
    }
    return files;
}

std::string names(const std::map<std::string, std::string>& files) {
    std::string text;
    for (const auto& [name, content] : files) text += name + " ";
    return text;
}

// A run long enough to be stopped part way: far longer than the second after which the tests
// signal it (the built-in scenario runs about 30,000 paths a second on two cores: 30 s).
std::vector<std::string> long_run(const fs::path& out) {
    return {binary, "run", "--paths", "1000000", "--threads", "2", "--out", out.string()};
}

TEST(Faults, FileSizeLimitLeavesTheOldOutputsWhole) {
    const TempDir out_temp("fsize");
    const fs::path& out = out_temp.path();
    // A complete run first: what a failed run must leave as it was.
    const Exit first =
        nadra::test::spawn(command({binary, "run", "--paths", "20", "--out", out.string()}));
    ASSERT_EQ(first.code, 0) << first.err;
    const auto before = files_in(out);
    ASSERT_TRUE(before.contains("summary.json")) << names(before);
    // Files may not grow past 8 kB (ulimit -f counts 1024-byte blocks in bash); writes then
    // fail with EFBIG, as on a full disk they fail with ENOSPC.
    Spawn s = command({binary, "run", "--paths", "20", "--seed", "2", "--out", out.string()});
    s.shell_prefix = {"bash", "-c", "trap '' XFSZ; ulimit -f 8; exec \"$0\" \"$@\""};
    const Exit e = nadra::test::spawn(s);
    EXPECT_EQ(e.signal, 0);
    EXPECT_EQ(e.code, 1) << e.err;
    EXPECT_NE(e.err.find("error: cannot write " + out.string() + "/."), std::string::npos) << e.err;
    EXPECT_NE(e.err.find("File too large"), std::string::npos) << e.err;
    EXPECT_EQ(files_in(out), before) << names(files_in(out));
}

// A tmpfs of 64 kB: a real full disk. Mounting needs root or a user namespace; where neither is
// allowed (some containers) the test is skipped and the one above covers the failure path.
TEST(Faults, FullDiskWritesNothing) {
    const TempDir dir_temp("full-disk");
    const fs::path& dir = dir_temp.path();
    const std::string script =
        "mount -t tmpfs -o size=64k tmpfs \"$1\" || exit 99; "
        "\"$2\" run --paths 20 --out \"$1/out\"; code=$?; "
        "printf 'left:'; ls -A \"$1/out\" | tr '\\n' ' '; exit $code";
    const std::vector<std::string> namespace_options =
        geteuid() == 0 ? std::vector<std::string>{"unshare", "-m"}
                       : std::vector<std::string>{"unshare", "-rm"};
    Spawn s = command(namespace_options);
    for (const char* a : {"sh", "-c"}) s.args.emplace_back(a);
    s.args.push_back(script);
    for (const std::string& a : {std::string("sh"), dir.string(), binary}) s.args.push_back(a);
    const Exit e = nadra::test::spawn(s);
    if (e.code == 99 || e.code == 127 || (e.code == 1 && e.out.empty()))
        GTEST_SKIP() << "cannot mount a tmpfs here: " << e.err;
    EXPECT_EQ(e.code, 1) << e.err;
    EXPECT_NE(e.err.find("No space left on device"), std::string::npos) << e.err;
    EXPECT_EQ(e.out, "left:") << "files left behind";
}

TEST(Faults, SigkillLeavesNoPartialOutput) {
    const TempDir out_temp("sigkill");
    const fs::path& out = out_temp.path();
    const Exit first =
        nadra::test::spawn(command({binary, "run", "--paths", "20", "--out", out.string()}));
    ASSERT_EQ(first.code, 0) << first.err;
    const auto before = files_in(out);
    Spawn s = command(long_run(out));
    s.send = SIGKILL;
    s.send_after = 1.0;
    const Exit e = nadra::test::spawn(s);
    EXPECT_EQ(e.signal, SIGKILL) << "the run ended before the kill: " << e.err;
    EXPECT_EQ(files_in(out), before) << names(files_in(out));
}

TEST(Faults, CtrlCStopsTheRunAndWritesNothing) {
    const TempDir dir_temp("sigint");
    const fs::path& dir = dir_temp.path();
    Spawn s = command(long_run(dir / "out"));
    s.send = SIGINT;
    s.send_after = 1.0;
    const Exit e = nadra::test::spawn(s);
    EXPECT_EQ(e.signal, 0);
    EXPECT_EQ(e.code, 130) << e.err;
    // The run left alone takes minutes; stopping within 10 s shows the signal stopped it, with a
    // margin for a loaded machine (an idle one stops in a few hundredths of a second). Not in a
    // sanitized build (scripts/sanitize sets these), whose paths run up to 20 times slower.
    const bool sanitized = std::getenv("ASAN_OPTIONS") || std::getenv("TSAN_OPTIONS");
    if (!sanitized) {
        EXPECT_LT(e.after_signal, 10.0);
    }
    EXPECT_NE(e.err.find("interrupted: nothing written"), std::string::npos) << e.err;
    EXPECT_FALSE(fs::exists(dir / "out"));
}

// The analyses run many simulations, one after another (sweep, breakeven, tornado) or side by
// side (sobol): Ctrl-C stops all of them and nothing is written.
TEST(Faults, CtrlCStopsEveryAnalysisAndWritesNothing) {
    const TempDir dir_temp("sigint-analyses");
    const fs::path out = dir_temp.path() / "out";
    const std::vector<std::vector<std::string>> analyses{
        {"sweep", "--deal", "v2", "--vary", "share=0.1:0.9:0.1", "--paths", "200000"},
        {"breakeven", "--deal", "v2", "--param", "share", "--paths", "20000"},
        {"tornado", "--deal", "v5", "--paths", "5000"},
        {"sobol", "--deal", "v5", "--paths", "400", "--samples", "256"},
    };
    for (std::vector<std::string> args : analyses) {
        args.insert(args.begin(), binary);
        for (const char* more : {"--threads", "2", "--out"}) args.emplace_back(more);
        args.push_back(out.string());
        Spawn s = command(args);
        s.send = SIGINT;
        s.send_after = 1.0;
        const Exit e = nadra::test::spawn(s);
        EXPECT_EQ(e.code, 130) << args[1] << ": " << e.err;
        EXPECT_NE(e.err.find("interrupted: nothing written"), std::string::npos) << e.err;
        EXPECT_FALSE(fs::exists(out)) << args[1];
    }
}

TEST(Faults, RunTooLargeForMemoryIsRefused) {
    const TempDir dir_temp("memory");
    const fs::path& dir = dir_temp.path();
    // The run itself holds only blocks of paths and its statistics' brackets: paths.csv, a row
    // a path and deal built in memory, is what cannot fit.
    Spawn s = command(
        {binary, "run", "--paths", "1000000000", "--per-path", "--out", (dir / "out").string()});
    s.timeout = 10;
    const Exit e = nadra::test::spawn(s);
    EXPECT_EQ(e.code, 1) << e.err;
    EXPECT_LT(e.seconds, 5);
    EXPECT_NE(e.err.find("error: --paths 1000000000 would need about "), std::string::npos)
        << e.err;
    EXPECT_NE(e.err.find(" or fewer"), std::string::npos) << e.err;
    EXPECT_FALSE(fs::exists(dir / "out"));
}

// Input sets (MODEL.md 4.3) are counted before any is made: a billion of them is refused at once.
TEST(Faults, TooManyInputSetsAreRefused) {
    const TempDir dir_temp("memory-sets");
    const fs::path& dir = dir_temp.path();
    Spawn s = command({binary, "run", "--paths", "100", "--sample-inputs", "1000000000", "--out",
                       (dir / "out").string()});
    s.timeout = 10;
    const Exit e = nadra::test::spawn(s);
    EXPECT_EQ(e.code, 1) << e.err;
    EXPECT_NE(e.err.find("error: --sample-inputs 1000000000 would need about "), std::string::npos)
        << e.err;
    EXPECT_NE(e.err.find(" or fewer"), std::string::npos) << e.err;
    EXPECT_FALSE(fs::exists(dir / "out"));
    // The message names the most that fit: 10 GB of sets at 1 MB each, with 1 GB else, in 20 GB.
    const auto refusal =
        nadra::input_sets_refusal(10'000, 1'000'000, 1'000'000'000, 20'000'000'000);
    EXPECT_FALSE(refusal.has_value());
    const auto too_many =
        nadra::input_sets_refusal(20'000, 1'000'000, 1'000'000'000, 20'000'000'000);
    ASSERT_TRUE(too_many.has_value());
    EXPECT_NE(too_many->find("use --sample-inputs 17000 or fewer"), std::string::npos) << *too_many;
    // One set of the built-in scenario measured about 0.2 MiB (BENCHMARKS.md, input sets).
    const nadra::LoadResult loaded =
        nadra::load_scenario_files(nadra::builtin_scenario(), nadra::builtin_scenario_root);
    ASSERT_TRUE(loaded.scenario);
    const std::uint64_t set = nadra::estimate_input_set_bytes(*loaded.scenario, {});
    EXPECT_GT(set, 200'000u);
    EXPECT_LT(set, 2'000'000u);
}

TEST(Faults, MemoryEstimate) {
    const nadra::LoadResult loaded =
        nadra::load_scenario_files(nadra::builtin_scenario(), nadra::builtin_scenario_root);
    ASSERT_TRUE(loaded.scenario);
    nadra::RunOptions options;
    options.threads = 2;
    const nadra::RunMemory all = nadra::estimate_run_memory(*loaded.scenario, options);
    options.deals = {0};
    const nadra::RunMemory one = nadra::estimate_run_memory(*loaded.scenario, options);
    const auto horizon = static_cast<std::uint64_t>(loaded.scenario->horizon);
    // Per path: 10 metrics and the fund's balance each year, per deal, each project's start year
    // (2 bytes) and co-investment flag (1) per deal, and the analysis's copies.
    const auto projects = static_cast<std::uint64_t>(loaded.scenario->world.projects.size());
    EXPECT_EQ(one.per_path, (10 + horizon) * 8 + projects * 3 + 3 * 8);
    EXPECT_EQ(all.per_path,
              loaded.scenario->deals.size() * ((10 + horizon) * 8 + projects * 3) + 3 * 8);
    EXPECT_GT(one.fixed, 0u);
    EXPECT_GE(all.fixed, one.fixed);

    using nadra::memory_refusal;
    const nadra::RunMemory need{1000, 100};
    EXPECT_FALSE(memory_refusal(need, 0, 80, 10'000));  // 9,000 of 10,000: fits in 90%
    EXPECT_TRUE(memory_refusal(need, 0, 81, 10'000));
    EXPECT_TRUE(memory_refusal(need, 10, 73, 10'000));  // 110 a path with the output files
    const auto refusal = memory_refusal(need, 0, 9000, 10'000);
    ASSERT_TRUE(refusal);
    EXPECT_EQ(*refusal,
              "error: --paths 9000 would need about 901 kB of memory, more than the 10.0 kB "
              "available; use --paths 80 or fewer (or run fewer deals with --deals)");
    EXPECT_NE(memory_refusal({20'000, 1}, 0, 1, 10'000)->find("--threads"), std::string::npos);
    EXPECT_EQ(nadra::bytes_text(999), "999 bytes");
    EXPECT_EQ(nadra::bytes_text(5'400'000'000'000), "5.4 TB");
    EXPECT_TRUE(nadra::available_memory().has_value());
}

}  // namespace
