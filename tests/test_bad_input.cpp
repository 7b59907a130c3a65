// Hostile and malformed scenarios (tests/bad-input/ and a few generated here): `nadra validate`
// and `nadra run` must each exit 1 with the exact errors, never crash or hang, and write nothing.
//
// A case is tests/bad-input/NAME.toml, or a folder NAME/ whose root is NAME/scenario.toml, and
// NAME.expected: lines starting with '#' are comments, a line `args: ...` gives more arguments,
// and every other line is one line of the expected stderr, in order; a line `~ TEXT` matches any
// line that contains TEXT. The commands run in tests/bad-input/, so the errors name the files
// as NAME.toml or NAME/FILE.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "process.hpp"

namespace {

namespace fs = std::filesystem;
using nadra::test::Exit;
using nadra::test::lines_of;
using nadra::test::Spawn;
using nadra::test::TempDir;

const fs::path corpus = fs::path(NADRA_SOURCE_DIR) / "tests" / "bad-input";

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void write(const fs::path& path, const std::string& text) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
}

std::vector<std::string> split_args(const std::string& text) {
    std::vector<std::string> args;
    std::istringstream words(text);
    for (std::string w; words >> w;) args.push_back(w);
    return args;
}

struct Expected {
    std::vector<std::string> args;
    std::vector<std::string> lines;
};

Expected parse_expected(const std::string& text) {
    Expected e;
    for (const std::string& line : lines_of(text)) {
        if (line.empty() || line[0] == '#') continue;
        if (line.rfind("args: ", 0) == 0)
            e.args = split_args(line.substr(6));
        else
            e.lines.push_back(line);
    }
    return e;
}

// Every expected line matches the stderr line at its position, and there are no others.
void expect_stderr(const std::string& err, const std::vector<std::string>& expected,
                   const std::string& what) {
    const std::vector<std::string> got = lines_of(err);
    EXPECT_EQ(got.size(), expected.size()) << what << " stderr:\n" << err;
    for (std::size_t i = 0; i < std::min(got.size(), expected.size()); ++i) {
        if (expected[i].rfind("~ ", 0) == 0)
            EXPECT_NE(got[i].find(expected[i].substr(2)), std::string::npos)
                << what << " line " << i + 1 << " stderr:\n"
                << err;
        else
            EXPECT_EQ(got[i], expected[i]) << what << " line " << i + 1 << " stderr:\n" << err;
    }
}

// Runs validate and run on `root` (relative to `cwd`): both exit 1, print `expected`, write
// nothing and finish within `seconds`.
void check_rejected(const fs::path& cwd, const std::string& root, const Expected& expected,
                    const std::string& name, double seconds = 20) {
    const TempDir scratch(name + "-out");
    const fs::path out = scratch.path() / "out";
    std::vector<std::string> validate{NADRA_BINARY, "validate", root};
    std::vector<std::string> run{NADRA_BINARY, "run", root, "--paths", "10", "--out", out.string()};
    for (const auto& a : expected.args) {
        validate.push_back(a);
        run.push_back(a);
    }
    for (const auto& args : {validate, run}) {
        const std::string what = args[1];
        const Exit e = nadra::test::spawn({args, cwd.string(), {}, 1.0, seconds, {}});
        EXPECT_FALSE(e.killed_by_test) << what << " ran over " << seconds << " s";
        EXPECT_EQ(e.signal, 0) << what << " crashed with signal " << e.signal << "\n" << e.err;
        EXPECT_EQ(e.code, 1) << what << "\n" << e.err;
        EXPECT_EQ(e.out, "") << what;
        expect_stderr(e.err, expected.lines, what);
    }
    EXPECT_FALSE(fs::exists(out)) << "run created " << out;
}

std::vector<std::string> corpus_cases() {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(corpus))
        if (entry.path().extension() == ".expected") names.push_back(entry.path().stem().string());
    std::sort(names.begin(), names.end());
    return names;
}

class BadInput : public testing::TestWithParam<std::string> {};

TEST_P(BadInput, RejectedWithItsErrors) {
    const std::string name = GetParam();
    const std::string root =
        fs::is_directory(corpus / name) ? name + "/scenario.toml" : name + ".toml";
    ASSERT_TRUE(fs::exists(corpus / root)) << root;
    check_rejected(corpus, root, parse_expected(read(corpus / (name + ".expected"))), name);
}

INSTANTIATE_TEST_SUITE_P(Corpus, BadInput, testing::ValuesIn(corpus_cases()),
                         [](const testing::TestParamInfo<std::string>& p) {
                             std::string name = p.param;
                             for (char& c : name)
                                 if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                             return name;
                         });

TEST(BadInputCorpus, HasEveryCaseWithItsExpectation) {
    const auto names = corpus_cases();
    EXPECT_GE(names.size(), 60u);
    for (const auto& entry : fs::directory_iterator(corpus)) {
        const fs::path p = entry.path();
        if (p.extension() == ".expected" || p.filename() == "README.md") continue;
        EXPECT_TRUE(fs::exists(corpus / (p.stem().string() + ".expected"))) << p;
    }
}

// A valid start for the generated cases.
const std::string base = R"([scenario]
name = "generated"

[run]
start_year = 2025
horizon = 10

[world.host]
discount_rate = 0.08

[world.partner]
discount_rate = 0.05

[world.conflict]
initial = "war"

[world.commodities.ore]
price0 = 100

[world.regions.central]
status = "free"

[world.regimes.minerals]
royalty_rate = 0.05

[world.projects.mine]
commodity = "ore"
region = "central"
lead_time = 2
capacity = 10
reserve = 100
capex = 1000
opex = 5

[deals.d]
share = 0.5
)";

Expected lines(std::vector<std::string> expected) { return {{}, std::move(expected)}; }

const std::string too_large =
    "file too large: more than 16 MB; a scenario file may be at most that, so check that this "
    "is the right file, or split it with includes";

TEST(BadInputGenerated, HundredMegabyteFile) {
    const TempDir dir_temp("huge");
    const fs::path& dir = dir_temp.path();
    {
        std::ofstream out(dir / "huge.toml", std::ios::binary);
        out << base;
        const std::string comment = "# " + std::string(1021, 'x') + "\n";
        for (int i = 0; i < 100 * 1024; ++i) out << comment;
    }
    ASSERT_GE(fs::file_size(dir / "huge.toml"), 100u << 20);
    check_rejected(dir, "huge.toml", lines({"huge.toml: " + too_large, "1 error in huge.toml"}),
                   "huge", 10);
}

TEST(BadInputGenerated, HundredMegabyteInclude) {
    const TempDir dir_temp("huge-include");
    const fs::path& dir = dir_temp.path();
    write(dir / "scenario.toml", "include = \"big.toml\"\n" + base);
    write(dir / "big.toml", "");
    fs::resize_file(dir / "big.toml", 100u << 20);  // sparse: no disk used
    check_rejected(dir, "scenario.toml",
                   lines({"big.toml: " + too_large, "1 error in scenario.toml"}), "huge-include",
                   10);
}

TEST(BadInputGenerated, TooManyBytesTogether) {
    const TempDir dir_temp("many-bytes");
    const fs::path& dir = dir_temp.path();
    std::string root = "include = [";
    for (int i = 0; i < 5; ++i) {
        const std::string name = "part" + std::to_string(i) + ".toml";
        root += "\"" + name + "\", ";
        write(dir / name, "");
        fs::resize_file(dir / name, 15u << 20);  // sparse, and NUL bytes: a syntax error each
    }
    write(dir / "scenario.toml", root + "]\n" + base);
    check_rejected(dir, "scenario.toml",
                   lines({"~ part0.toml:1:1: syntax error: ", "~ part1.toml:1:1: syntax error: ",
                          "~ part2.toml:1:1: syntax error: ", "~ part3.toml:1:1: syntax error: ",
                          "part4.toml: the scenario's files are too large together: more than 64 "
                          "MB; check that the includes name the right files",
                          "5 errors in scenario.toml"}),
                   "many-bytes", 10);
}

// Each nests 100,000 levels: the TOML parser would recurse that deep and crash.
TEST(BadInputGenerated, DeepNesting) {
    const TempDir dir_temp("deep");
    const fs::path& dir = dir_temp.path();
    const int n = 100000;
    std::string dotted = "x", header = "[x", arrays, tables;
    for (int i = 0; i < n; ++i) {
        dotted += ".a";
        header += ".a";
        arrays += "[";
        tables += "{a=";
    }
    const std::string key_message =
        "key with more than 32 parts; a scenario's keys have a few parts each (deals.v5.share "
        "has 3), check the dots in this key";
    const std::string nest_message =
        "nested too deep: more than 32 levels of [ and {; a scenario needs a few levels at most, "
        "check for brackets that are not closed";
    const struct {
        std::string name, text, error;
    } cases[] = {
        {"dotted.toml", base + dotted + " = 1\n", "dotted.toml:37:1: " + key_message},
        {"header.toml", base + header + "]\n", "header.toml:37:2: " + key_message},
        {"arrays.toml", base + "x = " + arrays + "\n", "arrays.toml:37:37: " + nest_message},
        {"tables.toml", base + "x = " + tables + "1\n", "tables.toml:37:101: " + nest_message},
    };
    for (const auto& c : cases) {
        write(dir / c.name, c.text);
        check_rejected(dir, c.name, lines({c.error, "1 error in " + c.name}), "deep", 10);
    }
}

TEST(BadInputGenerated, IncludesNestedTooDeep) {
    const TempDir dir_temp("include-chain");
    const fs::path& dir = dir_temp.path();
    write(dir / "scenario.toml", "include = \"f0.toml\"\n" + base);
    // Appended rather than added: GCC 12 warns wrongly (-Wrestrict) about "f" + std::string.
    const auto file = [](int i) {
        std::string name = std::to_string(i);
        name.insert(0, 1, 'f');
        return name.append(".toml");
    };
    for (int i = 0; i < 40; ++i) write(dir / file(i), "include = \"" + file(i + 1) + "\"\n");
    check_rejected(dir, "scenario.toml",
                   lines({"f30.toml:1:11: include: includes nested more than 32 deep at "
                          "'f31.toml'; include the files from fewer levels",
                          "1 error in scenario.toml"}),
                   "include-chain");
}

TEST(BadInputGenerated, SymbolicLinkOutOfTheFolder) {
    const TempDir dir_temp("symlink");
    const fs::path& dir = dir_temp.path();
    write(dir / "scenario" / "scenario.toml", "include = \"prices.toml\"\n" + base);
    write(dir / "elsewhere.toml", "[world]\ninflation = 0.02\n");
    std::error_code ec;
    fs::create_symlink(dir / "elsewhere.toml", dir / "scenario" / "prices.toml", ec);
    if (ec) GTEST_SKIP() << "cannot create a symbolic link: " << ec.message();
    check_rejected(dir, "scenario/scenario.toml",
                   lines({"scenario/scenario.toml:1:11: include: 'prices.toml' is outside the "
                          "scenario's folder; keep included files in or below the folder of "
                          "the root scenario file",
                          "1 error in scenario/scenario.toml"}),
                   "symlink");
}

// Reading a FIFO would wait forever for a writer.
TEST(BadInputGenerated, NotARegularFile) {
    const TempDir dir_temp("fifo");
    const fs::path& dir = dir_temp.path();
    write(dir / "scenario.toml", "include = \"pipe.toml\"\n" + base);
    ASSERT_EQ(mkfifo((dir / "pipe.toml").c_str(), 0600), 0);
    check_rejected(dir, "scenario.toml",
                   lines({"scenario.toml:1:11: include: cannot read included file 'pipe.toml'; "
                          "check that it exists (an include is relative to the folder of the "
                          "file that includes it)",
                          "1 error in scenario.toml"}),
                   "fifo", 10);
    fs::create_directories(dir / "folder.toml");
    check_rejected(dir, "folder.toml",
                   lines({"folder.toml: cannot read scenario file 'folder.toml'; check the path",
                          "1 error in folder.toml"}),
                   "folder", 10);
}

// Not bad input: every value at the edge of its range, where the numbers overflow to infinity.
// The run must still finish and write its files (and, under the sanitizers, do nothing undefined,
// such as casting an infinite number of years to an integer).
TEST(BadInputGenerated, ExtremeButValidScenarioRuns) {
    const TempDir dir_temp("extreme");
    const fs::path& dir = dir_temp.path();
    std::string text = base;
    const auto set = [&](const std::string& from, const std::string& to) {
        const auto at = text.find(from);
        ASSERT_NE(at, std::string::npos) << from;
        text.replace(at, from.size(), to);
    };
    set("horizon = 10", "horizon = 1000");
    set("[world.host]", "[world]\ninflation = 1\n\n[world.host]");
    set("price0 = 100", "price0 = 1e300\nsigma = 1e6\ndrift = 1e300");
    set("lead_time = 2", "lead_time = { min = 0, mode = 500, max = 1000 }");
    set("capacity = 10", "capacity = 1e300");
    set("capex = 1000", "capex = 1e300");
    set("share = 0.5", "share = 1\ncap = 1e308\nterm_years = 1000\nlock_years = 1000");
    write(dir / "extreme.toml", text);
    const Exit e = nadra::test::spawn(
        {{NADRA_BINARY, "run", "extreme.toml", "--paths", "50", "--per-path", "--out", "out"},
         dir.string(),
         {},
         1.0,
         60,
         {}});
    EXPECT_EQ(e.signal, 0) << e.err;
    EXPECT_EQ(e.code, 0) << e.err;
    EXPECT_EQ(e.err, "");
    EXPECT_TRUE(fs::exists(dir / "out" / "summary.json"));
}

}  // namespace
