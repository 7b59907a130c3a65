// The HTML report without a browser: numbers for people, escaping of what a scenario names, and
// what the file holds with and without the optional files of a run directory, the analyses'
// files (sweep, breakeven, tornado, sobol) among them.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis_results.hpp"
#include "report/analysis_outputs.hpp"
#include "report/csv.hpp"
#include "report/html_report.hpp"

namespace nadra {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

int run_nadra(const std::string& args) {
    const std::string command = fmt::format("{} {} > /dev/null 2>&1", NADRA_BINARY, args);
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

// Every occurrence of `from` replaced by `to`.
std::string replaced(std::string text, const std::string& from, const std::string& to) {
    std::string out;
    std::size_t done = 0;
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, done)) {
        out.append(text, done, at - done).append(to);
        done = at + from.size();
    }
    return out.append(text, done);
}

const std::vector<std::string> builtin_deals{
    "no_deal", "v1", "v2", "v3", "v4", "v5", "signed_with_guarantee", "v4_telegraph"};

// One run of the built-in scenario with --per-path, shared by the tests.
class HtmlReportTest : public ::testing::Test {
  protected:
    static void SetUpTestSuite() {
        // ctest runs each test in its own process, in parallel: one folder per process.
        dir_ = fs::temp_directory_path() / fmt::format("nadra-html-report-test-{}", getpid());
        fs::remove_all(dir_);
        ASSERT_EQ(run_nadra(fmt::format("run --paths 300 --per-path --out {}", dir_.string())), 0);
    }
    static OutputFiles files() { return read_run_directory(dir_); }
    static fs::path dir_;
};
fs::path HtmlReportTest::dir_;

TEST(HtmlReportFormat, MoneyInThreeDigitsWithAUnit) {
    EXPECT_EQ(format_money(12.34e9), "$ 12.3 bn");
    EXPECT_EQ(format_money(512.4e9), "$ 512 bn");
    EXPECT_EQ(format_money(1.234e9), "$ 1.23 bn");
    EXPECT_EQ(format_money(999.99e9), "$ 1.00 tn");
    EXPECT_EQ(format_money(-450e6), "\u2212$ 450 m");
    EXPECT_EQ(format_money(45'600), "$ 45,600");
    EXPECT_EQ(format_money(0), "$ 0");
    EXPECT_EQ(format_money(std::numeric_limits<double>::quiet_NaN()), "\u2013");
}

TEST(HtmlReportFormat, PercentAndYear) {
    EXPECT_EQ(format_percent(0.45), "45%");
    EXPECT_EQ(format_percent(0.045), "4.5%");
    EXPECT_EQ(format_percent(0.0012), "0.12%");
    EXPECT_EQ(format_percent(1), "100%");
    EXPECT_EQ(format_percent(-0.2), "\u221220%");
    EXPECT_EQ(format_percent(0), "0%");
    EXPECT_EQ(format_year(2061.4), "2061");
    EXPECT_EQ(format_year(std::numeric_limits<double>::infinity()), "\u2013");
}

TEST(HtmlReportFormat, EscapesHtml) {
    EXPECT_EQ(html_escape("<b a=\"1\" c='2'>&</b>"),
              "&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;&amp;&lt;/b&gt;");
}

TEST(HtmlReportPaths, SampleSpreadsOverEveryPath) {
    EXPECT_EQ(path_sample(5, 2000), (std::vector<std::int64_t>{0, 1, 2, 3, 4}));
    EXPECT_EQ(path_sample(10, 4), (std::vector<std::int64_t>{0, 2, 5, 7}));
    EXPECT_TRUE(path_sample(0, 10).empty());
}

TEST(HtmlReportPaths, CsvReaderUndoesQuoting) {
    CsvReader reader("a,\"b,\"\"c\"\"\",\r\n\"multi\nline\",x\n");
    std::vector<std::string> fields;
    ASSERT_TRUE(reader.next(fields));
    EXPECT_EQ(fields, (std::vector<std::string>{"a", "b,\"c\"", ""}));
    ASSERT_TRUE(reader.next(fields));
    EXPECT_EQ(fields, (std::vector<std::string>{"multi\nline", "x"}));
    EXPECT_FALSE(reader.next(fields));
}

TEST_F(HtmlReportTest, TermsJsonHoldsEveryDealOfTheRun) {
    const auto terms = nlohmann::json::parse(files().at("terms.json"));
    std::vector<std::string> names;
    for (const auto& deal : terms.at("deals")) names.push_back(deal.at("name"));
    EXPECT_EQ(names, builtin_deals);
    EXPECT_EQ(terms["deals"][1]["cap"], 500e9);  // v1: "until USD 500bn"
    EXPECT_TRUE(terms["deals"][0]["cap"].is_null());
    EXPECT_EQ(terms["projects"][0]["commodity"], "lithium");
}

TEST_F(HtmlReportTest, HoldsEverySectionAndEveryDeal) {
    const std::string html = html_report(files(), "2025-04-30 12:00 UTC");
    EXPECT_LT(html.size(), 5u << 20);
    for (const char* chart :
         {"fund", "cap", "years", "sources", "host_value", "partner_value", "scatter"}) {
        EXPECT_THAT(html, HasSubstr(std::string("data-chart=\"") + chart + "\"")) << chart;
        EXPECT_THAT(html, HasSubstr(std::string("\"") + chart + "\":{")) << chart << " spec";
    }
    for (const std::string& deal : builtin_deals) {
        const std::string header =
            fmt::format("<th scope=\"col\">{}</th>", replaced(deal, "_", "_<wbr>"));
        EXPECT_THAT(html, HasSubstr(header)) << deal;
    }
    EXPECT_THAT(html, HasSubstr("2025-04-30 12:00 UTC"));
    // Every flag that changes the run: its deals in order, and --per-path for paths.csv.
    EXPECT_THAT(html, HasSubstr("nadra run --seed 1 --paths 300 --deals no_deal,v1,v2,v3,v4,v5,"
                                "signed_with_guarantee,v4_telegraph --per-path"));
    EXPECT_THAT(html, HasSubstr("$ 500 bn"));  // v1's cap
    EXPECT_THAT(html, Not(HasSubstr("{{")));
    // No CDN, no network: the only URL is the spec's $schema, which vega-embed does not fetch.
    EXPECT_THAT(html, Not(HasSubstr("src=\"http")));
    EXPECT_THAT(html, Not(HasSubstr("cdn.jsdelivr")));
}

std::string between(const std::string& text, const std::string& from, const std::string& to);

// "Which mines get built": the signed deal, with and without the guarantee, against no deal: a
// row for each project whose probability of starting by the horizon differs, and no other deal.
TEST_F(HtmlReportTest, MinesTableListsTheProjectsWhoseOddsTheSignedDealChanges) {
    const OutputFiles run = files();
    const auto summary = nlohmann::json::parse(run.at("summary.json"));
    const auto projects_of = [&](const std::string& name) {
        for (const auto& deal : summary.at("deals"))
            if (deal.at("name") == name) return deal.at("projects");
        return nlohmann::json();
    };
    // One row a project whose odds either deal changes by at least 0.1 percentage point.
    std::size_t expected = 0;
    const auto reference = projects_of("no_deal");
    for (std::size_t j = 0; j < reference.size(); ++j) {
        const double q = reference[j].at("started_probability");
        bool changed = false;
        for (const char* deal : {"v5", "signed_with_guarantee"}) {
            const auto projects = projects_of(deal);
            ASSERT_EQ(projects.size(), reference.size());
            const double p = projects[j].at("started_probability");
            const auto& by_year = projects[j].at("started_by_year");
            EXPECT_EQ(by_year.size(), 76u);
            EXPECT_EQ(by_year.back().get<double>(), p);
            changed = changed || std::abs(p - q) >= 0.001;
        }
        expected += changed;
    }
    const std::string html = html_report(run, "today");
    const std::string section = between(html, "<section id=\"mines\">", "</section>");
    EXPECT_THAT(section, HasSubstr("Which mines get built"));
    EXPECT_EQ(count(section, "<tr><th scope=\"row\">"), expected);
    EXPECT_THAT(section, HasSubstr("v5: started by 2100"));
    EXPECT_THAT(section, HasSubstr("signed_with_guarantee: started by 2100"));
    EXPECT_THAT(section, Not(HasSubstr("v1: started")));

    // Where no deal changes any project's odds, the section says so.
    OutputFiles same = run;
    auto edited = summary;
    for (auto& deal : edited.at("deals")) deal["projects"] = projects_of("no_deal");
    same["summary.json"] = edited.dump();
    EXPECT_THAT(between(html_report(same, "today"), "<section id=\"mines\">", "</section>"),
                HasSubstr("No deal compared here changes the probability"));
}

// Each deal against no_deal on both bases: the sign of each mean, in words, as summary.json's
// pairs (no_deal - deal) give it, reversed.
TEST_F(HtmlReportTest, GainsTableSaysWhoGainsOnBothBases) {
    const OutputFiles run = files();
    const auto summary = nlohmann::json::parse(run.at("summary.json"));
    const std::string section =
        between(html_report(run, "today"), "<section id=\"gains\">", "</section>");
    EXPECT_EQ(count(section, "<tr><th scope=\"row\">"), summary.at("deals").size() - 1);
    for (const auto& pair : summary.at("differences")) {
        if (pair.at("a") != "no_deal") continue;
        const std::string deal = pair.at("b");
        const std::string row = between(section, "<th scope=\"row\">" + deal + "</th>", "</tr>");
        ASSERT_FALSE(row.empty()) << deal;
        std::string expected;
        for (const char* metric :
             {"host_value", "host_total_value", "partner_value", "partner_net_value"}) {
            const double gain = -pair.at("metrics").at(metric).at("mean").get<double>();
            const double se = pair.at("metrics").at(metric).at("sem").get<double>();
            expected += std::abs(gain) <= 2 * se ? "unclear" : gain > 0 ? "gains" : "loses";
        }
        std::string said;
        for (std::size_t at = row.find("<b>"); at != std::string::npos;
             at = row.find("<b>", at + 1))
            said += row.substr(at + 3, row.find("</b>", at) - at - 3);
        EXPECT_EQ(said, expected) << deal;
    }
}

TEST_F(HtmlReportTest, ScenarioTextIsEscaped) {
    const std::string hostile = "</script><!--<b>&\"x'";
    OutputFiles run = files();
    const std::string json_name = "</script><!--<b>&\\\"x'";
    for (const char* name : {"summary.json", "terms.json"})
        run[name] = replaced(run[name], "\"v4_telegraph\"", fmt::format("\"{}\"", json_name));
    for (const char* name : {"fund_bands.csv", "cap_curve.csv", "paths.csv"})
        run[name] =
            replaced(run[name], "\nv4_telegraph,", fmt::format("\n{},", csv_field(hostile)));
    run["paths.csv"] =
        replaced(run["paths.csv"], ",v4_telegraph,", fmt::format(",{},", csv_field(hostile)));
    const std::string html = html_report(run, "today");
    // The template's own six <script> elements and nothing more; no comment opened by data.
    EXPECT_EQ(count(html, "</script"), 6u);
    EXPECT_EQ(count(html, "<!--"), 1u);  // the template's comment
    EXPECT_THAT(html, HasSubstr("&lt;/script&gt;&lt;!--&lt;b&gt;&amp;&quot;x&#39;"));
    EXPECT_THAT(html, HasSubstr("\\u003c/script\\u003e\\u003c!--\\u003cb\\u003e\\u0026\\\"x'"));
}

TEST_F(HtmlReportTest, WithoutPathsTheScatterIsLeftOutWithANote) {
    OutputFiles run = files();
    run.erase("paths.csv");
    const std::string html = html_report(run, "today");
    EXPECT_THAT(html, HasSubstr("Left out: this run directory has no paths.csv"));
    EXPECT_THAT(html, Not(HasSubstr("\"scatter\":{")));
    EXPECT_THAT(html, HasSubstr("\"fund\":{"));
}

TEST_F(HtmlReportTest, WithoutTermsTheTableSaysSo) {
    OutputFiles run = files();
    run.erase("terms.json");
    EXPECT_THAT(html_report(run, "today"), HasSubstr("has no terms.json"));
}

TEST_F(HtmlReportTest, MissingSummaryIsNamed) {
    const fs::path empty = fs::temp_directory_path() / "nadra-html-report-empty";
    fs::create_directories(empty);
    try {
        read_run_directory(empty);
        FAIL() << "no error";
    } catch (const std::runtime_error& e) {
        EXPECT_THAT(e.what(), HasSubstr("summary.json"));
    }
}

// `nadra run --report` samples the paths it holds in memory exactly as `nadra report` samples
// paths.csv: the two reports of one run are the same but for their date.
TEST_F(HtmlReportTest, RunReportEqualsReportOfTheDirectory) {
    const fs::path out = fs::temp_directory_path() / "nadra-html-report-run";
    fs::remove_all(out);
    ASSERT_EQ(run_nadra(fmt::format("run --paths 300 --out {} --report {}", out.string(),
                                    (out / "direct.html").string())),
              0);
    ASSERT_EQ(
        run_nadra(fmt::format("report {} -o {}", dir_.string(), (out / "later.html").string())), 0);
    const auto undated = [](const fs::path& file) {
        std::ifstream in(file);
        std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto at = html.find("<dt>Report made</dt>");
        return html.erase(at, html.find("</dd>", at) - at);
    };
    EXPECT_EQ(undated(out / "direct.html"), undated(out / "later.html"));
}

// ---------------------------------------------------------------------------------------------
// The analyses' sections

// The text from `from` up to `to` (or the end).
std::string between(const std::string& text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos) return "";
    const auto end = text.find(to, at + from.size());
    return text.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

const std::vector<std::string> analysis_sections{"sweep", "breakeven", "tornado", "sobol"};

TEST(HtmlReportAnalyses, AnalysisOnlyReportHasJustTheAnalyses) {
    const std::string html = html_report(test::all_analysis_files(), "2025-04-30 12:00 UTC");
    for (const std::string& name : analysis_sections) {
        EXPECT_THAT(html, HasSubstr("<section id=\"" + name + "\"")) << name;
        EXPECT_THAT(html, HasSubstr("<a href=\"#" + name + "\">")) << name;
    }
    for (const char* chart : {"sweep", "sweep_axis", "tornado", "sobol"}) {
        EXPECT_THAT(html, HasSubstr(std::string("data-chart=\"") + chart + "\"")) << chart;
        EXPECT_THAT(html, HasSubstr(std::string("\"") + chart + "\":{")) << chart << " spec";
    }
    // Nothing of a run: no terms, no fund, no results.
    for (const char* part : {"id=\"terms\"", "data-chart=\"fund\"", "id=\"results\"",
                             "href=\"#terms\"", "Reproduce"}) {
        EXPECT_THAT(html, Not(HasSubstr(part))) << part;
    }
    // The header from the analyses' run identification.
    EXPECT_THAT(html, HasSubstr("<dd>builtin:ukraine-2025</dd>"));
    EXPECT_THAT(html, HasSubstr("0123456789abcdef"));
    EXPECT_THAT(html, HasSubstr("sweep of v5 against no_deal; breakeven of v5 against no_deal"));
    EXPECT_THAT(html, HasSubstr("2025\u20132054 (30 years)"));
    EXPECT_THAT(html, Not(HasSubstr("Not run as the header says")));
    EXPECT_THAT(html, Not(HasSubstr("{{")));
}

// The hand-made tornado (analysis_results.hpp): host gain 3 bn; end_hazard's low end gives -4 bn,
// every other end stays positive.
TEST(HtmlReportAnalyses, TornadoNamesTheInputsThatTurnTheSign) {
    const std::string html = html_report(test::all_analysis_files(), "today");
    const std::string section = between(html, "<section id=\"tornado\"", "</section>");
    EXPECT_THAT(section, HasSubstr("Alone, these would turn the sign of host gain"));
    EXPECT_THAT(section, HasSubstr("<strong>world.conflict.end_hazard</strong> at its low end"));
    EXPECT_THAT(section, Not(HasSubstr("<strong>world.projects.*.capex</strong> at")));
    EXPECT_THAT(section, Not(HasSubstr("world.conflict.end_hazard</strong> at its high end")));
}

TEST(HtmlReportAnalyses, EachSectionIsThereExactlyWhenItsFileIs) {
    const OutputFiles all = test::all_analysis_files();
    for (const std::string& present : analysis_sections) {
        OutputFiles files;
        files[present + ".json"] = all.at(present + ".json");
        const std::string html = html_report(files, "today");
        for (const std::string& name : analysis_sections) {
            const std::string section = "<section id=\"" + name + "\"";
            const std::string link = "<a href=\"#" + name + "\">";
            if (name == present) {
                EXPECT_THAT(html, HasSubstr(section)) << name;
                EXPECT_THAT(html, HasSubstr(link)) << name;
            } else {
                EXPECT_THAT(html, Not(HasSubstr(section))) << name << " with " << present;
                EXPECT_THAT(html, Not(HasSubstr(link))) << name << " with " << present;
            }
        }
        EXPECT_THAT(html, Not(HasSubstr("{{"))) << present;
    }
}

TEST(HtmlReportAnalyses, ZoneTableListsExactlyTheZone) {
    const std::string html = html_report(test::all_analysis_files(), "today");
    const std::string zone =
        between(html, "<h3>The zone of possible agreement", "<h3>The frontier");
    EXPECT_THAT(zone, HasSubstr("2 of 5 variants"));
    EXPECT_EQ(count(zone, "<tr>"), 3u);  // the header and two variants
    for (const char* share : {"0.2", "0.3"})
        EXPECT_THAT(zone, HasSubstr(fmt::format("<td class=\"text\">{}</td>", share))) << share;
    for (const char* share : {"0.1", "0.4", "0.5"})
        EXPECT_THAT(zone, Not(HasSubstr(fmt::format("<td class=\"text\">{}</td>", share))))
            << share;
    // Sorted by the host's gain: 0.3 (3 bn) before 0.2 (5 bn).
    EXPECT_LT(zone.find("<td class=\"text\">0.3</td>"), zone.find("<td class=\"text\">0.2</td>"));
    const std::string frontier = between(html, "<h3>The frontier", "</table>");
    EXPECT_THAT(frontier, HasSubstr("4 of 5 variants"));
    EXPECT_EQ(count(frontier, "<tr>"), 5u);
    EXPECT_THAT(frontier, Not(HasSubstr("<td class=\"text\">0.5</td>")));
}

TEST(HtmlReportAnalyses, BreakevenSaysWhereEachSideGains) {
    const std::string html = html_report(test::all_analysis_files(), "today");
    const std::string section = between(html, "<section id=\"breakeven\"", "</section>");
    EXPECT_THAT(section, HasSubstr("The host gains from v5 while <code>share</code> &lt; "
                                   "<strong>0.31</strong> (95% interval 0.29 to 0.33)"));
    EXPECT_THAT(section, HasSubstr("The partner gains from v5 while <code>share</code> &gt; "
                                   "<strong>0.15</strong> (95% interval &lt; 0 to 0.2)"));
    EXPECT_THAT(section, HasSubstr("Both sides gain while 0.15 &lt; <code>share</code> &lt; 0.31"));
}

TEST(HtmlReportAnalyses, MarkupInAFactorNameIsEscaped) {
    const std::string html = html_report(test::all_analysis_files(), "today");
    EXPECT_EQ(count(html, "</script"), 6u);  // the template's own
    EXPECT_EQ(count(html, "<!--"), 1u);      // the template's comment
    EXPECT_THAT(html, HasSubstr("&lt;/script&gt;&lt;!--&lt;b&gt;world.x&amp;"));
    EXPECT_THAT(html, HasSubstr("\\u003c/script\\u003e\\u003c!--\\u003cb\\u003eworld.x\\u0026"));
}

TEST(HtmlReportAnalyses, MalformedSweepIsAClearError) {
    const auto error = [](const std::string& text) {
        OutputFiles files = test::all_analysis_files();
        files["sweep.json"] = text;
        try {
            html_report(files, "today");
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_THAT(error("{\"analysis\": \"sweep\", "), HasSubstr("sweep.json: "));
    auto json = nlohmann::ordered_json::parse(test::all_analysis_files().at("sweep.json"));
    json["variants"][0].erase("host_gain");
    EXPECT_THAT(error(json.dump()), HasSubstr("sweep.json: "));
    EXPECT_THAT(error(json.dump()), HasSubstr("host_gain"));
    EXPECT_THAT(error(test::all_analysis_files().at("tornado.json")),
                HasSubstr("sweep.json is not the output of nadra sweep"));
}

TEST(HtmlReportAnalyses, ADirectoryWithOnlyAnAnalysisIsAReport) {
    const fs::path dir = fs::temp_directory_path() / fmt::format("nadra-html-sweep-{}", getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    const OutputFiles sweep = sweep_outputs(test::analysis_info(), test::sweep_result());
    for (const auto& [name, text] : sweep) std::ofstream(dir / name, std::ios::binary) << text;
    const OutputFiles files = read_run_directory(dir);
    EXPECT_TRUE(files.contains("sweep.json"));
    EXPECT_FALSE(files.contains("summary.json"));
    EXPECT_THAT(html_report(files, "today"), HasSubstr("<section id=\"sweep\""));
    fs::remove_all(dir);
}

TEST(HtmlReportAnalyses, OneNonNumericAxisValueIsLeftOutOfTheAxisChart) {
    SweepResult sweep = test::sweep_result();
    sweep.axes = {{"cap", {"2e11", "3e11", "4e11", "5e11", "none"}}};
    const char* caps[] = {"2e11", "3e11", "4e11", "5e11", "none"};
    for (std::size_t i = 0; i < sweep.variants.size(); ++i)
        sweep.variants[i].settings = {{"cap", caps[i]}};
    const std::string html = html_report(sweep_outputs(test::analysis_info(), sweep), "today");
    EXPECT_THAT(html, HasSubstr("\"sweep_axis\":{"));
    EXPECT_THAT(html, HasSubstr("Left out, not being numbers: cap = none"));
    EXPECT_THAT(html, HasSubstr("cap, $ bn"));  // caps in $ bn across
}

TEST_F(HtmlReportTest, RunAndAnalysesTogether) {
    OutputFiles run = files();
    const auto summary = nlohmann::json::parse(run.at("summary.json"));
    RunInfo info;
    info.nadra_version = summary.at("nadra_version");
    info.scenario = summary.at("scenario");
    info.scenario_sha256 = summary.at("scenario_sha256");
    info.seed = summary.at("seed");
    info.paths = summary.at("paths");
    info.start_year = summary.at("start_year");
    info.horizon = summary.at("horizon");
    OutputFiles both = run;
    const OutputFiles analyses = test::all_analysis_files(info);
    both.insert(analyses.begin(), analyses.end());
    const std::string html = html_report(both, "today");
    for (const char* part : {"<section id=\"terms\"", "data-chart=\"fund\"",
                             "<section id=\"sweep\"", "<section id=\"sobol\"", "Reproduce"})
        EXPECT_THAT(html, HasSubstr(part)) << part;
    EXPECT_THAT(html, Not(HasSubstr("Not run as the header says")));
    // The run's sections come first.
    EXPECT_LT(html.find("<section id=\"results\""), html.find("<section id=\"sweep\""));

    // An analysis of another run says so.
    info.seed = 99;
    const OutputFiles other = sweep_outputs(info, test::sweep_result());
    OutputFiles mixed = run;
    mixed.insert(other.begin(), other.end());
    EXPECT_THAT(html_report(mixed, "today"), HasSubstr("Not run as the header says"));
}

}  // namespace
}  // namespace nadra
