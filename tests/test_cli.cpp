// The `nadra` command as a user runs it: exit codes, messages, files, reproducibility.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;

struct Result {
    int code = -1;
    std::string output;  // stdout and stderr together
};

Result run(const std::string& args) {
    const std::string command = std::string(NADRA_BINARY) + " " + args + " 2>&1";
    Result r;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return r;
    std::array<char, 4096> buffer{};
    while (fgets(buffer.data(), static_cast<int>(buffer.size()), pipe)) r.output += buffer.data();
    const int status = pclose(pipe);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

fs::path fresh_dir(const std::string& name) {
    // Per process: ctest runs tests in parallel, and two suites may run at once.
    const fs::path dir =
        fs::temp_directory_path() / ("nadra-cli-test-" + std::to_string(getpid()) + "-" + name);
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

TEST(Cli, ValidateNamesEveryMistakeWithItsLine) {
    const fs::path dir = fresh_dir("three-mistakes");
    ASSERT_EQ(run("init " + dir.string()).code, 0);
    // Three mistakes in two files: a misspelt key, a probability above 1, an unknown region.
    const auto replace_first = [](const fs::path& file, const std::string& from,
                                  const std::string& to) {
        std::string text = read(file);
        const auto at = text.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        text.replace(at, from.size(), to);
        std::ofstream(file, std::ios::binary) << text;
    };
    const fs::path world = dir / "world.toml";
    replace_first(world, "hurdle_rate =", "hurdle_rat =");
    replace_first(world, "liberation_probability = ", "liberation_probability = 1.5 # was ");
    replace_first(dir / "projects.toml", "region = \"", "region = \"atlantis");
    const Result r = run("validate " + (dir / "scenario.toml").string());
    EXPECT_EQ(r.code, 1) << r.output;
    EXPECT_NE(r.output.find("unknown key 'hurdle_rat'; did you mean 'hurdle_rate'?"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("world.conflict.liberation_probability"), std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("undefined region 'atlantis"), std::string::npos) << r.output;
    // Each error line starts with file:line:column, the line numbers those of the mistakes.
    std::istringstream lines(r.output);
    int placed = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.find(".toml:") != std::string::npos && line.find(": world.") != std::string::npos)
            ++placed;
    }
    EXPECT_EQ(placed, 3) << r.output;
    EXPECT_NE(r.output.find("3 errors"), std::string::npos) << r.output;
}

TEST(Cli, ValidateBuiltinCounts) {
    const fs::path dir = fresh_dir("init");
    ASSERT_EQ(run("init " + dir.string()).code, 0);
    const Result r = run("validate " + (dir / "scenario.toml").string());
    EXPECT_EQ(r.code, 0) << r.output;
    EXPECT_EQ(r.output.rfind("ok: ", 0), 0u) << r.output;
    EXPECT_NE(r.output.find(" projects, "), std::string::npos);
}

TEST(Cli, InitRefusesToOverwrite) {
    const fs::path dir = fresh_dir("init-twice");
    ASSERT_EQ(run("init " + dir.string()).code, 0);
    const Result again = run("init " + dir.string());
    EXPECT_EQ(again.code, 1);
    EXPECT_NE(again.output.find("--force"), std::string::npos) << again.output;
    EXPECT_EQ(run("init --force " + dir.string()).code, 0);
}

TEST(Cli, BadUsageExitsTwo) {
    EXPECT_EQ(run("run --paths 0").code, 2);
    EXPECT_EQ(run("frobnicate").code, 2);
    const Result r = run("run --paths 10 --deals nosuchdeal --out " + fresh_dir("bad").string());
    EXPECT_EQ(r.code, 2);
    EXPECT_NE(r.output.find("no deal named 'nosuchdeal'"), std::string::npos) << r.output;
}

TEST(Cli, MissingScenarioFileIsInvalidInput) {
    const Result r = run("validate /nonexistent/scenario.toml");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.output.find("/nonexistent/scenario.toml"), std::string::npos) << r.output;
}

TEST(Cli, RunIsByteIdenticalAcrossThreadCounts) {
    const fs::path one = fresh_dir("threads-1");
    const fs::path two = fresh_dir("threads-2");
    const fs::path eight = fresh_dir("threads-8");
    ASSERT_EQ(run("run --paths 600 --seed 7 --threads 1 --per-path --out " + one.string()).code, 0);
    ASSERT_EQ(run("run --paths 600 --seed 7 --threads 2 --per-path --out " + two.string()).code, 0);
    ASSERT_EQ(run("run --paths 600 --seed 7 --threads 8 --per-path --out " + eight.string()).code,
              0);
    for (const char* file : {"summary.json", "fund_bands.csv", "cap_curve.csv", "paths.csv"}) {
        const std::string reference = read(one / file);
        EXPECT_FALSE(reference.empty()) << file;
        EXPECT_EQ(reference, read(two / file)) << file;
        EXPECT_EQ(reference, read(eight / file)) << file;
    }
}

TEST(Cli, RunWritesTheSummaryContract) {
    const fs::path out = fresh_dir("contract");
    const Result r = run("run --paths 300 --seed 3 --out " + out.string());
    ASSERT_EQ(r.code, 0) << r.output;
    const auto summary = nlohmann::json::parse(read(out / "summary.json"));
    for (const char* key : {"nadra_version", "scenario", "scenario_sha256", "seed", "paths",
                            "start_year", "horizon", "deals", "differences", "projects"}) {
        EXPECT_TRUE(summary.contains(key)) << key;
    }
    EXPECT_EQ(summary["paths"], 300);
    EXPECT_EQ(summary["seed"], 3);
    EXPECT_EQ(summary["scenario_sha256"].get<std::string>().size(), 64u);
    const std::size_t deals = summary["deals"].size();
    EXPECT_EQ(summary["differences"].size(), deals * (deals - 1) / 2);
    for (const auto& deal : summary["deals"]) {
        EXPECT_EQ(deal["metrics"].size(), 8u);
        EXPECT_EQ(deal["fund_balance_by_year"].size(), summary["horizon"].get<std::size_t>());
        // The curve never falls.
        double last = 0;
        for (const auto& [year, p] : deal["cap_reached_probability_by_year"].items()) {
            EXPECT_GE(p.get<double>(), last) << year;
            last = p.get<double>();
        }
    }
    // The table names every deal.
    for (const auto& deal : summary["deals"]) {
        EXPECT_NE(r.output.find(deal["name"].get<std::string>()), std::string::npos);
    }
    EXPECT_FALSE(fs::exists(out / "paths.csv"));
}

TEST(Cli, CashflowBaseAndPath) {
    const fs::path dir = fresh_dir("cashflow");
    ASSERT_EQ(run("init " + dir.string()).code, 0);
    const Result bad = run("cashflow --project nosuchproject");
    EXPECT_EQ(bad.code, 2);
    EXPECT_NE(bad.output.find("no project named"), std::string::npos);
    // The first project named in the run's summary has a cash flow on both views.
    const fs::path out = fresh_dir("cashflow-run");
    ASSERT_EQ(run("run --paths 10 --out " + out.string()).code, 0);
    const auto summary = nlohmann::json::parse(read(out / "summary.json"));
    const std::string project = summary["projects"][0]["name"];
    const Result base = run("cashflow --project " + project + " --base --csv");
    ASSERT_EQ(base.code, 0) << base.output;
    EXPECT_NE(base.output.find("investor"), std::string::npos) << base.output;
    const Result path = run("cashflow --project " + project + " --path 3");
    EXPECT_EQ(path.code, 0) << path.output;
}

}  // namespace
