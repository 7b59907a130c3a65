// The `nadra` command as a user runs it: exit codes, messages, files, reproducibility.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "report_document.hpp"

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

// Numbers and lists as people write them (issue 16): 1e2 and 1_00 are 100 paths, a space after a
// comma is no part of a deal's name; a negative seed or a fractional count is an error.
TEST(Cli, CountsAndListsAsPeopleWriteThem) {
    const fs::path plain = fresh_dir("count-plain"), written = fresh_dir("count-written");
    ASSERT_EQ(run("run --paths 100 --seed 3 --deals no_deal,v5 --out " + plain.string()).code, 0);
    const Result r =
        run("run --paths 1e2 --seed 3 --deals 'no_deal, v5' --out " + written.string());
    ASSERT_EQ(r.code, 0) << r.output;
    EXPECT_EQ(read(plain / "fund_bands.csv"), read(written / "fund_bands.csv"));
    EXPECT_EQ(run("run --paths 1_00 --seed 3 --deals no_deal,v5 --out " + written.string()).code,
              0);
    EXPECT_EQ(read(plain / "fund_bands.csv"), read(written / "fund_bands.csv"));
    const Result negative = run("run --paths 10 --seed -1 --out " + written.string());
    EXPECT_EQ(negative.code, 2);
    EXPECT_NE(negative.output.find("--seed: expected a whole number of at least 0, got '-1'"),
              std::string::npos)
        << negative.output;
    const Result fraction = run("run --paths 2.5 --out " + written.string());
    EXPECT_EQ(fraction.code, 2);
    EXPECT_NE(fraction.output.find("100_000 or 1e5"), std::string::npos) << fraction.output;
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
        EXPECT_EQ(deal["metrics"].size(), 10u);
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
    // Its report leaves the scatter out, and says so on the terminal.
    const Result report = run("report " + out.string() + " -o " + (out / "r.html").string());
    EXPECT_EQ(report.code, 0) << report.output;
    EXPECT_NE(report.output.find("left out: the paired differences' scatter"), std::string::npos)
        << report.output;
}

// `--sample-inputs K` (MODEL.md 4.3): the same files at any thread count, every metric's
// between-set share, the sampling recorded, a line per deal under the table; `run.sample_inputs`
// in the scenario (here by --set) and the flag over it; --input alone is bad usage.
TEST(Cli, RunSamplesInputSets) {
    const fs::path one = fresh_dir("inputs-1");
    const fs::path two = fresh_dir("inputs-2");
    const std::string common =
        "run --paths 240 --seed 5 --sample-inputs 6 --input 'world.conflict.*' --out ";
    const Result r =
        run(common + one.string() + " --threads 1 --report " + (one / "r.html").string());
    ASSERT_EQ(r.code, 0) << r.output;
    const auto doc = nadra::test::inlined_document(read(one / "r.html"));
    EXPECT_EQ(doc["summary"]["sample_inputs"], 6);  // the report's judgement line reads it
    // The report's Reproduce line carries the sampling.
    EXPECT_NE(
        doc["reproduce"].get<std::string>().find("--sample-inputs 6 --input 'world.conflict.*'"),
        std::string::npos);
    ASSERT_EQ(run(common + two.string() + " --threads 2").code, 0);
    EXPECT_EQ(read(one / "summary.json"), read(two / "summary.json"));
    const auto summary = nlohmann::json::parse(read(one / "summary.json"));
    EXPECT_EQ(summary["sample_inputs"], 6);
    EXPECT_EQ(summary["input_patterns"], nlohmann::json::array({"world.conflict.*"}));
    ASSERT_FALSE(summary["sampled_inputs"].empty());
    for (const auto& key : summary["sampled_inputs"])
        EXPECT_EQ(key.get<std::string>().rfind("world.conflict.", 0), 0U) << key;
    for (const auto& deal : summary["deals"]) {
        for (const auto& [name, stats] : deal["metrics"].items()) {
            ASSERT_TRUE(stats.contains("between_sets_share")) << name;
            const double share = stats["between_sets_share"].get<double>();
            EXPECT_GE(share, 0) << name;
            EXPECT_LE(share, 1) << name;
        }
        // Its judgement line: the name, then the two shares.
        const std::size_t line = r.output.find("\n  " + deal["name"].get<std::string>() + " ");
        ASSERT_NE(line, std::string::npos) << r.output;
        EXPECT_NE(r.output.substr(line, r.output.find('\n', line + 1) - line).find("host value "),
                  std::string::npos)
            << r.output;
    }
    for (const auto& difference : summary["differences"])
        EXPECT_TRUE(difference["metrics"]["host_value"].contains("between_sets_share"));
    EXPECT_NE(r.output.find("judgement:"), std::string::npos) << r.output;

    const fs::path scenario_sets = fresh_dir("inputs-scenario");
    ASSERT_EQ(run("run --paths 90 --set run.sample_inputs=3 --out " + scenario_sets.string()).code,
              0);
    EXPECT_EQ(nlohmann::json::parse(read(scenario_sets / "summary.json"))["sample_inputs"], 3);
    const fs::path off = fresh_dir("inputs-off");
    ASSERT_EQ(
        run("run --paths 90 --set run.sample_inputs=3 --sample-inputs 0 --out " + off.string())
            .code,
        0);
    EXPECT_FALSE(nlohmann::json::parse(read(off / "summary.json")).contains("sample_inputs"));
    EXPECT_EQ(run("run --paths 90 --input 'world.*' --out " + off.string()).code, 2);
    EXPECT_EQ(
        run("run --paths 90 --sample-inputs 2 --input nothing.here --out " + off.string()).code, 2);
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

bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

// Splits CSV text (no quoted fields) into rows of fields.
std::vector<std::vector<std::string>> csv_rows(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> fields;
        std::istringstream cells(line);
        std::string field;
        while (std::getline(cells, field, ',')) fields.push_back(field);
        if (!line.empty() && line.back() == ',') fields.emplace_back();
        rows.push_back(fields);
    }
    return rows;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
    const auto at = std::find(header.begin(), header.end(), name);
    EXPECT_NE(at, header.end()) << name;
    return static_cast<std::size_t>(at - header.begin());
}

// A project on a path: years without production (waiting, constructing) say why.
TEST(Cli, CashflowOfAProjectExplainsEveryYear) {
    const Result csv = run("cashflow --asset dobra --path 3 --csv");
    ASSERT_EQ(csv.code, 0) << csv.output;
    const auto rows = csv_rows(csv.output);
    ASSERT_GT(rows.size(), 10u);
    const std::size_t production = column(rows[0], "production"), state = column(rows[0], "state");
    int zero_rows = 0;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        SCOPED_TRACE(r);
        ASSERT_EQ(rows[r].size(), rows[0].size());
        if (std::stod(rows[r][production]) == 0) {
            ++zero_rows;
            EXPECT_NE(rows[r][state], "producing");
        }
    }
    EXPECT_GT(zero_rows, 0);
}

// A stream (Kharkiv's gas) on a path: every year says war or peace, the region's access and the
// state, and a row without production is never "producing"; the foot follows.
TEST(Cli, CashflowOfAStreamExplainsEveryYear) {
    const Result csv = run("cashflow --asset ugv_gas_kharkiv --path 3 --csv");
    ASSERT_EQ(csv.code, 0) << csv.output;
    const auto rows = csv_rows(csv.output);
    ASSERT_GT(rows.size(), 10u);
    const auto& header = rows[0];
    const std::size_t production = column(header, "production"), state = column(header, "state");
    const std::size_t war = column(header, "war"), access = column(header, "access");
    int zero_rows = 0;
    for (std::size_t r = 1; r < rows.size(); ++r) {
        SCOPED_TRACE(r);
        ASSERT_EQ(rows[r].size(), header.size());
        EXPECT_TRUE(rows[r][war] == "0" || rows[r][war] == "1");
        EXPECT_FALSE(rows[r][access].empty());
        EXPECT_FALSE(rows[r][state].empty());
        if (std::stod(rows[r][production]) == 0) {
            ++zero_rows;
            EXPECT_NE(rows[r][state], "producing");
            EXPECT_EQ(rows[r][state], "no_access");
            EXPECT_EQ(std::stod(rows[r][access]), 0.0);
        } else {
            EXPECT_EQ(rows[r][state], "producing");
        }
    }
    // The table: the same years, and the foot.
    const Result table = run("cashflow --asset ugv_gas_kharkiv --path 3");
    ASSERT_EQ(table.code, 0) << table.output;
    EXPECT_TRUE(has(table.output, "ugv_gas_kharkiv: stream (gas, kharkiv)")) << table.output;
    for (const char* part :
         {"conflict", "access", "state", "investor NPV at", "IRR, post-tax", "IRR, pre-tax",
          "payback year", "government take", "AETR", "state revenue NPV at"}) {
        EXPECT_TRUE(has(table.output, part)) << part << "\n" << table.output;
    }
    if (zero_rows > 0) {
        EXPECT_TRUE(has(table.output, "no access")) << table.output;
    }
    // A stream has no investment: its IRR and payback are not defined.
    EXPECT_TRUE(has(table.output, "not defined")) << table.output;
}

TEST(Cli, CashflowSuggestsAMisspeltAsset) {
    const Result misspelt = run("cashflow --asset ugv_gas_kharkov");
    EXPECT_EQ(misspelt.code, 2);
    EXPECT_TRUE(has(misspelt.output, "did you mean 'ugv_gas_kharkiv'?")) << misspelt.output;
    const Result project = run("cashflow --project dobar");
    EXPECT_EQ(project.code, 2);
    EXPECT_TRUE(has(project.output, "did you mean 'dobra'?")) << project.output;
    // --project names projects only, and says so for a stream.
    const Result stream = run("cashflow --project ugv_gas_kharkiv");
    EXPECT_EQ(stream.code, 2);
    EXPECT_TRUE(has(stream.output, "use --asset ugv_gas_kharkiv")) << stream.output;
    const Result deal = run("cashflow --asset dobra --deal v55");
    EXPECT_EQ(deal.code, 2);
    EXPECT_TRUE(has(deal.output, "did you mean")) << deal.output;
    EXPECT_NE(run("cashflow").code, 0);
}

// --deal: on a path the asset's contributions to the fund; on base inputs the due, explained.
TEST(Cli, CashflowDealColumn) {
    const Result path = run("cashflow --asset ugv_gas_kharkiv --path 3 --deal v5 --csv");
    ASSERT_EQ(path.code, 0) << path.output;
    const auto rows = csv_rows(path.output);
    const std::size_t at = column(rows[0], "deal_contribution");
    double total = 0;
    for (std::size_t r = 1; r < rows.size(); ++r) total += std::stod(rows[r][at]);
    EXPECT_GE(total, 0.0);
    const Result base = run("cashflow --asset ugv_gas_kharkiv --base --deal v5");
    ASSERT_EQ(base.code, 0) << base.output;
    EXPECT_TRUE(has(base.output, "due to v5")) << base.output;
    EXPECT_TRUE(has(base.output, "before any cap")) << base.output;
    const Result table = run("cashflow --asset dobra --path 3 --deal v5");
    ASSERT_EQ(table.code, 0) << table.output;
    EXPECT_TRUE(has(table.output, "contribution to v5")) << table.output;
}

// ---------------------------------------------------------------------------------------------
// The analyses (sweep, breakeven, tornado, sobol) on the built-in scenario, with few paths.

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::size_t line_count(const std::string& text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

TEST(CliAnalyses, SweepWritesItsTableAndFilesIdenticallyAtAnyThreadCount) {
    const fs::path one = fresh_dir("sweep-1"), two = fresh_dir("sweep-2");
    const std::string args =
        "sweep --deal v5 --vary share=0.1,0.5 --vary lock_years=0,10 "
        "--paths 200 --seed 4 --out ";
    const Result r = run(args + one.string() + " --threads 1");
    ASSERT_EQ(r.code, 0) << r.output;
    ASSERT_EQ(run(args + two.string() + " --threads 2").code, 0);
    EXPECT_TRUE(contains(r.output, "Pareto frontier")) << r.output;
    EXPECT_TRUE(contains(r.output, "zone of possible agreement")) << r.output;
    for (const char* file : {"sweep.csv", "sweep.json"}) {
        EXPECT_EQ(read(one / file), read(two / file)) << file;
    }
    EXPECT_EQ(line_count(read(one / "sweep.csv")), 5u);  // header + 2 x 2 variants
    const auto json = nlohmann::json::parse(read(one / "sweep.json"));
    EXPECT_EQ(json["analysis"], "sweep");
    EXPECT_EQ(json["baseline"], "no_deal");
    EXPECT_EQ(json["paths"], 200);
    ASSERT_EQ(json["variants"].size(), 4u);
    EXPECT_EQ(json["variants"][1]["settings"]["lock_years"], "10");
    // The command that reproduces it, less what does not change results (--out, --threads).
    EXPECT_EQ(json["command"],
              "nadra sweep --deal v5 --vary share=0.1,0.5 --vary lock_years=0,10 "
              "--paths 200 --seed 4");
    // A higher share moves value from host to partner on the same paths (with the lock, where
    // the fund's co-investment does not feed as much back to the host: without it the two host
    // gains are within a few $ m on 200 paths).
    EXPECT_LT(json["variants"][3]["host_gain"]["mean"].get<double>(),
              json["variants"][1]["host_gain"]["mean"].get<double>());
    EXPECT_GT(json["variants"][3]["partner_gain"]["mean"].get<double>(),
              json["variants"][1]["partner_gain"]["mean"].get<double>());
}

// `nadra fiscal` (issue 19): Dobra under every regime meant for lithium, its own first; the
// files identical at any thread count; a misspelt regime gets a suggestion and writes nothing.
TEST(CliAnalyses, FiscalComparesRegimesOnTheSameFutures) {
    const fs::path one = fresh_dir("fiscal-1"), two = fresh_dir("fiscal-2");
    const std::string args = "fiscal --project dobra --regimes all --paths 300 --seed 2 --out ";
    const Result r =
        run(args + one.string() + " --threads 1 --report " + (one / "fiscal.html").string());
    ASSERT_EQ(r.code, 0) << r.output;
    ASSERT_EQ(run(args + two.string() + " --threads 2").code, 0);
    for (const char* file : {"fiscal.csv", "fiscal.json"}) {
        EXPECT_EQ(read(one / file), read(two / file)) << file;
    }
    const auto json = nlohmann::json::parse(read(one / "fiscal.json"));
    // The report holds fiscal.json as it is (the report's fiscal section reads it).
    const auto doc = nadra::test::inlined_document(read(one / "fiscal.html"));
    EXPECT_TRUE(doc["summary"].is_null());
    EXPECT_EQ(nlohmann::json(doc["analyses"]["fiscal"]), json);
    // One writer: Dobra's own regime's base case is summary.json's projects[] entry for Dobra.
    const fs::path summary = fresh_dir("fiscal-run");
    ASSERT_EQ(run("run --paths 20 --out " + summary.string()).code, 0);
    auto dobra = nlohmann::json::parse(read(summary / "summary.json"))["projects"][0];
    ASSERT_EQ(dobra["name"], "dobra");
    dobra.erase("name");
    auto base = json["regimes"][0]["base"];
    base.erase("state_revenue_npv");
    EXPECT_EQ(base, dobra);
    EXPECT_EQ(json["analysis"], "fiscal");
    EXPECT_EQ(json["project"], "dobra");
    ASSERT_GE(json["regimes"].size(), 3u);
    EXPECT_EQ(json["regimes"][0]["name"], "minerals_psa");
    EXPECT_EQ(json["differences"].size(), json["regimes"].size() - 1);
    EXPECT_EQ(json["regimes"][0]["base"]["progressivity"].size(), 6u);
    EXPECT_EQ(line_count(read(one / "fiscal.csv")), json["regimes"].size() + 1);
    const fs::path bad = fresh_dir("fiscal-bad");
    const Result wrong =
        run("fiscal --project dobra --regime minerals_pas --paths 10 --out " + bad.string());
    EXPECT_NE(wrong.code, 0);
    EXPECT_TRUE(contains(wrong.output, "did you mean 'minerals_psa'")) << wrong.output;
    EXPECT_FALSE(fs::exists(bad / "fiscal.json"));
}

// `--sample-inputs K` on the analyses (MODEL.md 4.3): recorded in the files and said in the
// last line; sweep and breakeven take --input patterns as `nadra run` does, and refuse them alone.
TEST(CliAnalyses, AnalysesRunOnInputSets) {
    const fs::path out = fresh_dir("sweep-sets");
    const Result r =
        run("sweep --deal v5 --vary share=0.3 --paths 60 --sample-inputs 3 --input "
            "'world.conflict.*' --out " +
            out.string());
    ASSERT_EQ(r.code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "each on 3 input sets")) << r.output;
    const auto json = nlohmann::json::parse(read(out / "sweep.json"));
    EXPECT_EQ(json["sample_inputs"], 3);
    ASSERT_FALSE(json["sampled_inputs"].empty());
    for (const auto& key : json["sampled_inputs"])
        EXPECT_EQ(key.get<std::string>().rfind("world.conflict.", 0), 0U) << key;
    const Result tornado_sets =
        run("tornado --deal v5 --input world.conflict.end_hazard --paths "
            "40 --sample-inputs 2 --out " +
            out.string());
    ASSERT_EQ(tornado_sets.code, 0) << tornado_sets.output;
    EXPECT_EQ(nlohmann::json::parse(read(out / "tornado.json"))["sample_inputs"], 2);
    EXPECT_EQ(run("sweep --deal v5 --paths 60 --input 'world.*' --out " + out.string()).code, 2);
    EXPECT_EQ(run("breakeven --deal v5 --param share --paths 60 --sample-inputs 2 --input "
                  "nothing.here --out " +
                  out.string())
                  .code,
              2);
    EXPECT_EQ(run("sobol --deal v5 --sample-inputs 2 --out " + out.string()).code, 2);
}

TEST(CliAnalyses, SweepWithoutAxesComparesTheDealsAsTheyAre) {
    const fs::path out = fresh_dir("sweep-drafts");
    const Result r = run("sweep --deal v3,v5,v2 --paths 100 --out " + out.string() + " --report " +
                         (out / "report.html").string());
    ASSERT_EQ(r.code, 0) << r.output;
    // The report of a folder with only the sweep: its section, and how to run it again (the
    // default seed made explicit).
    const auto doc = nadra::test::inlined_document(read(out / "report.html"));
    EXPECT_TRUE(doc["summary"].is_null());
    const std::string command = doc["analyses"]["sweep"]["command"];
    EXPECT_TRUE(command.starts_with("nadra sweep --deal v3,v5,v2 --paths 100")) << command;
    EXPECT_TRUE(command.ends_with("--seed 1")) << command;
    const auto json = nlohmann::json::parse(read(out / "sweep.json"));
    EXPECT_EQ(json["deals"], nlohmann::json::array({"v3", "v5", "v2"}));
    ASSERT_EQ(json["variants"].size(), 3u);
    EXPECT_EQ(json["variants"][2]["name"], "v2");
    EXPECT_EQ(json["variants"][2]["deal"], "v2");
    // The same draft on the same paths as `nadra run`: its mean host value, to the last digit.
    const fs::path run_out = fresh_dir("sweep-drafts-run");
    ASSERT_EQ(run("run --deals no_deal,v2 --paths 100 --out " + run_out.string()).code, 0);
    const auto summary = nlohmann::json::parse(read(run_out / "summary.json"));
    EXPECT_EQ(json["variants"][2]["host_value"]["mean"],
              summary["deals"][1]["metrics"]["host_value"]["mean"]);
    EXPECT_EQ(json["variants"][2]["host_gain"]["mean"].get<double>(),
              summary["differences"][0]["metrics"]["host_value"]["mean"].get<double>() * -1);
}

TEST(CliAnalyses, RunReportShowsTheAnalysesOfItsFolder) {
    const fs::path out = fresh_dir("run-with-analyses");
    ASSERT_EQ(run("sweep --deal v3,v5 --paths 100 --out " + out.string()).code, 0);
    const Result r = run("run --paths 100 --out " + out.string() + " --report " +
                         (out / "report.html").string());
    ASSERT_EQ(r.code, 0) << r.output;
    const auto doc = nadra::test::inlined_document(read(out / "report.html"));
    ASSERT_TRUE(doc["analyses"].contains("sweep"));
    ASSERT_FALSE(doc["summary"].is_null());
    // Same seed and paths: the report does not mark the sweep as run otherwise.
    for (const char* key : {"seed", "paths", "scenario_sha256"})
        EXPECT_EQ(doc["analyses"]["sweep"][key], doc["summary"][key]) << key;
}

TEST(CliAnalyses, SweepExplainsBadAxesAndWritesNothing) {
    const fs::path out = fresh_dir("sweep-bad");
    const std::string tail = " --paths 50 --out " + out.string();
    Result r = run("sweep --deal v5 --vary share=1:0:0.1" + tail);
    EXPECT_EQ(r.code, 2);
    EXPECT_TRUE(contains(r.output, "FROM <= TO")) << r.output;
    r = run("sweep --deal v9 --vary share=0.1" + tail);
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(contains(r.output, "no deal named 'v9'")) << r.output;
    // A misspelt term is checked like a file's key: placed, with the nearest name.
    r = run("sweep --deal v5 --vary shaer=0.1" + tail);
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(contains(r.output, "deals.v5.shaer")) << r.output;
    EXPECT_TRUE(contains(r.output, "share")) << r.output;
    r = run("sweep --deal v5 --vary share=2" + tail);
    EXPECT_EQ(r.code, 1);
    EXPECT_TRUE(contains(r.output, "deals.v5.share")) << r.output;
    EXPECT_TRUE(fs::is_empty(out));
}

TEST(CliAnalyses, BreakevenFindsTheHostsShareForV2) {
    const fs::path out = fresh_dir("breakeven");
    const Result r = run("breakeven --deal v2 --param share --paths 200 --out " + out.string());
    ASSERT_EQ(r.code, 0) << r.output;
    const auto json = nlohmann::json::parse(read(out / "breakeven.json"));
    ASSERT_EQ(json["parties"].size(), 2u);
    EXPECT_EQ(json["parties"][0]["party"], "host");
    // Ukraine gains from V2 over no deal only at a small share (docs/ukraine-2025.md).
    const double share = json["parties"][0]["value"].get<double>();
    EXPECT_GT(share, 0.0);
    EXPECT_LT(share, 0.2);
    EXPECT_LE(json["parties"][0]["ci_low"].get<double>(), share);
    EXPECT_GE(json["parties"][0]["ci_high"].get<double>(), share);
    // V2's fund co-invests (deals/v2.toml): at a share near 0 it has too little to pay its part
    // of the projects and the investor's bridge grows against it, so the partner too gains only
    // above a small share.
    ASSERT_FALSE(json["parties"][1]["value"].is_null()) << r.output;
    EXPECT_GT(json["parties"][1]["value"].get<double>(), 0.0);
    EXPECT_LT(json["parties"][1]["value"].get<double>(), 0.2);
    const Result no_range = run("breakeven --deal v2 --param cap --paths 10 --out " + out.string());
    EXPECT_EQ(no_range.code, 2);
    EXPECT_TRUE(contains(no_range.output, "--range")) << no_range.output;
}

TEST(CliAnalyses, TornadoListsInputsAndRanksTheChosenOnes) {
    const Result list = run("tornado --list");
    ASSERT_EQ(list.code, 0) << list.output;
    EXPECT_TRUE(contains(list.output, "world.conflict.end_hazard  0.2 (0.1 .. 0.35)"))
        << list.output;
    EXPECT_TRUE(contains(list.output, "world.projects.*.viability  (30 inputs, moved together)"));
    const fs::path out = fresh_dir("tornado");
    const Result r =
        run("tornado --deal v5 --paths 64 --input world.conflict.end_hazard "
            "--input 'world.projects.*.viability' --out " +
            out.string());
    ASSERT_EQ(r.code, 0) << r.output;
    EXPECT_EQ(line_count(read(out / "tornado.csv")), 3u);
    const auto json = nlohmann::json::parse(read(out / "tornado.json"));
    EXPECT_EQ(json["output"], "host_gain");
    ASSERT_EQ(json["bars"].size(), 2u);
    EXPECT_GE(std::abs(json["bars"][0]["swing"]["host_gain"]["mean"].get<double>()),
              std::abs(json["bars"][1]["swing"]["host_gain"]["mean"].get<double>()));
    const Result none = run("tornado --deal v5 --input world.nothing --out " + out.string());
    EXPECT_EQ(none.code, 1);
    EXPECT_TRUE(contains(none.output, "matches no input")) << none.output;
    EXPECT_EQ(run("tornado --list --deal v5 --output nonsense").code, 0);  // --list runs nothing
    EXPECT_EQ(run("tornado --deal v5 --output nonsense --out " + out.string()).code, 2);
    EXPECT_EQ(run("tornado --output host_gain").code, 2);  // no --deal
}

// MODEL.md 4.2 on the command line: support valued by --set, the sweep drawn on the total basis
// with both bases in its files and the Nash point marked, breakeven on the total basis, and the
// run's table and per-path file with the two metrics.
TEST(CliAnalyses, SupportValuedSweepBreakevenAndRun) {
    const fs::path out = fresh_dir("sweep-total");
    const std::string support =
        " --set world.host.support_value=1 --set world.partner.support_cost=0.8";
    const Result r = run("sweep --deal v3,v5 --value total --paths 100" + support + " --out " +
                         out.string() + " --report " + (out / "report.html").string());
    ASSERT_EQ(r.code, 0) << r.output;
    EXPECT_TRUE(contains(r.output, "host total gain")) << r.output;
    EXPECT_TRUE(contains(r.output, "N: the Nash point")) << r.output;
    const auto json = nlohmann::json::parse(read(out / "sweep.json"));
    EXPECT_EQ(json["value"], "total");
    int nash = 0;
    for (const auto& v : json["variants"]) {
        for (const char* key : {"host_gain", "partner_gain", "host_total_gain", "partner_net_gain",
                                "host_total_value", "partner_net_value"}) {
            EXPECT_TRUE(v[key]["mean"].is_number()) << key;
            EXPECT_TRUE(v[key]["se"].is_number()) << key;
        }
        if (v["nash"].get<bool>()) {
            ++nash;
            EXPECT_TRUE(v["in_zone"].get<bool>());
            EXPECT_EQ(json["nash"], v["name"]);
        }
    }
    EXPECT_EQ(nash, json["zone"].empty() ? 0 : 1);
    if (nash == 0) {
        EXPECT_TRUE(json["nash"].is_null());
    }
    // V5 gives in-kind support: valued, the host gains more and the partner less than on money.
    const auto& v5 = json["variants"][1];
    EXPECT_GT(v5["host_total_gain"]["mean"].get<double>(), v5["host_gain"]["mean"].get<double>());
    EXPECT_LT(v5["partner_net_gain"]["mean"].get<double>(),
              v5["partner_gain"]["mean"].get<double>());
    const std::string csv = read(out / "sweep.csv");
    EXPECT_TRUE(contains(csv.substr(0, csv.find('\n')), "host_total_gain_se,partner_net_gain,"));
    EXPECT_TRUE(contains(csv.substr(0, csv.find('\n')), ",nash,value"));
    EXPECT_TRUE(contains(read(out / "report.html"), "host total gain"));
    EXPECT_EQ(run("sweep --deal v5 --value both --paths 10 --out " + out.string()).code, 2);

    const fs::path be = fresh_dir("breakeven-total");
    const Result b = run("breakeven --deal v2 --param share --party host --value total --paths 50" +
                         support + " --out " + be.string());
    ASSERT_EQ(b.code, 0) << b.output;
    EXPECT_EQ(nlohmann::json::parse(read(be / "breakeven.json"))["value"], "total");
    EXPECT_TRUE(contains(b.output, "with in-kind support valued")) << b.output;

    const fs::path runs = fresh_dir("run-total");
    const Result rr =
        run("run --deals no_deal,v5 --paths 20 --per-path" + support + " --out " + runs.string());
    ASSERT_EQ(rr.code, 0) << rr.output;
    EXPECT_TRUE(contains(rr.output, "host total")) << rr.output;
    EXPECT_TRUE(contains(rr.output, "partner net")) << rr.output;
    const std::string paths = read(runs / "paths.csv");
    EXPECT_TRUE(contains(paths.substr(0, paths.find('\n')), ",host_total_value,partner_net_value"));
    const auto summary = nlohmann::json::parse(read(runs / "summary.json"));
    EXPECT_TRUE(summary["deals"][1]["metrics"].contains("host_total_value"));
    EXPECT_TRUE(summary["differences"][0]["metrics"].contains("partner_net_value"));
}

// A deal's number given as {value, low, high} is a tornado factor like a world input: listed
// with the world's, and swung (MODEL.md 4.3's key path, deals.NAME....). Losing US support ends
// the war less often without a deal (a lower end-hazard multiplier): the worse the no-deal world,
// the more V5 is worth to Ukraine over it.
TEST(CliAnalyses, TornadoSwingsADealsUncertainInput) {
    const std::string input =
        " --set 'deals.no_deal.world_modifiers.end_hazard_multiplier={ value = 0.75, low = 0.5, "
        "high = 1.0 }'";
    const Result list = run("tornado --list" + input);
    ASSERT_EQ(list.code, 0) << list.output;
    EXPECT_TRUE(contains(list.output, "world.conflict.end_hazard  0.2 (0.1 .. 0.35)"));
    EXPECT_TRUE(contains(list.output,
                         "deals.no_deal.world_modifiers.end_hazard_multiplier  0.75 (0.5 .. 1)"))
        << list.output;
    const fs::path out = fresh_dir("tornado-deal-input");
    const Result r =
        run("tornado --deal v5 --paths 200 --output host_total_gain --input "
            "'deals.no_deal.**' --input world.conflict.end_hazard" +
            input + " --out " + out.string());
    ASSERT_EQ(r.code, 0) << r.output;
    const auto json = nlohmann::json::parse(read(out / "tornado.json"));
    EXPECT_EQ(json["output"], "host_total_gain");
    ASSERT_EQ(json["bars"].size(), 2u);
    EXPECT_EQ(json["bars"][0]["factor"], "deals.no_deal.**");
    EXPECT_EQ(json["bars"][0]["inputs"][0]["key"],
              "deals.no_deal.world_modifiers.end_hazard_multiplier");
    EXPECT_LT(json["bars"][0]["swing"]["host_gain"]["mean"].get<double>(), 0.0);
    EXPECT_LT(json["bars"][0]["swing"]["host_total_gain"]["mean"].get<double>(), 0.0);
}

TEST(CliAnalyses, SobolWritesIndicesWithIntervals) {
    const fs::path out = fresh_dir("sobol");
    const Result r = run(
        "sobol --deal v5 --paths 64 --samples 8 --bootstrap 20 --input world.conflict.end_hazard "
        "--input world.host.discount_rate --out " +
        out.string());
    ASSERT_EQ(r.code, 0) << r.output;
    const auto json = nlohmann::json::parse(read(out / "sobol.json"));
    EXPECT_EQ(json["runs"], 8 * 4);
    ASSERT_EQ(json["indices"].size(), 2u);
    for (const auto& index : json["indices"]) {
        EXPECT_LE(index["total_low"].get<double>(), index["total_high"].get<double>());
    }
    const Result cap_year = run("sobol --deal v5 --output cap_year --out " + out.string());
    EXPECT_EQ(cap_year.code, 2);
    EXPECT_TRUE(contains(cap_year.output, "cap_probability")) << cap_year.output;
}

}  // namespace
