// The HTML report as a person sees it: opened in headless Chromium, offline, it must draw every
// chart without an error, a run's and the analyses'. A machine without the browser fails here,
// loudly: install chromium-headless-shell (scripts/install-deps does) or name a browser in
// NADRA_BROWSER. The screenshot is left at BUILD/report-screenshot.png for a person to look at.
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "analysis_results.hpp"
#include "report/html_report.hpp"

namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

struct Result {
    int code = -1;
    std::string output;  // stdout only
};

Result shell(const std::string& command) {
    Result r;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe) return r;
    std::array<char, 65536> buffer{};
    for (std::size_t n; (n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0;)
        r.output.append(buffer.data(), n);
    const int status = pclose(pipe);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string quoted(const std::string& text) { return fmt::format("'{}'", text); }

// NADRA_BROWSER, else the first headless Chromium on PATH.
std::optional<std::string> find_browser() {
    if (const char* named = std::getenv("NADRA_BROWSER"); named && *named) return named;
    for (const char* name : {"chromium-headless-shell", "chrome-headless-shell", "chromium",
                             "google-chrome", "chromium-browser"}) {
        const Result r = shell(std::string("command -v ") + name + " 2>/dev/null");
        if (r.code == 0 && !r.output.empty()) return r.output.substr(0, r.output.find('\n'));
    }
    return std::nullopt;
}

// Runs the browser on a file with a fresh profile, no network and a virtual-time budget that
// lets every promise of the page settle; `mode` is --dump-dom or --screenshot=PATH.
Result browse(const std::string& browser, const fs::path& html, const std::string& mode,
              const fs::path& profile) {
    fs::remove_all(profile);
    fs::create_directories(profile);
    const std::string command = fmt::format(
        "timeout 120 {} --headless --no-sandbox --disable-gpu --disable-background-networking"
        " --disable-component-update --no-first-run --disable-sync --hide-scrollbars"
        " --proxy-server=127.0.0.1:9 --user-data-dir={} --virtual-time-budget=10000"
        " --window-size=1400,9000 {} {} 2>/dev/null",
        quoted(browser), quoted(profile.string()), mode,
        quoted(fmt::format("file://{}", fs::absolute(html).string())));
    return shell(command);
}

std::string read(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The text of the element that starts at the first match of `open` (up to its </section>).
std::string section(const std::string& dom, const std::string& open) {
    const auto at = dom.find(open);
    if (at == std::string::npos) return "";
    return dom.substr(at, dom.find("</section>", at) - at);
}

class ReportBrowserTest : public ::testing::Test {
  protected:
    void SetUp() override {
        const auto found = find_browser();
        ASSERT_TRUE(found) << "no headless Chromium found: the HTML report cannot be checked. "
                              "Install chromium-headless-shell (bash scripts/install-deps does), "
                              "or set NADRA_BROWSER to a Chromium binary.";
        browser_ = *found;
        work_ = fs::path(NADRA_BUILD_DIR) / "report-test";
        fs::create_directories(work_);
        // ctest runs the tests in parallel: a browser profile of each test's own.
        profile_ =
            work_ / fmt::format("profile-{}",
                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
    }

    // The rendered DOM of `html`, checked: every chart of `charts` drew marks and nothing logged
    // an error.
    std::string check_rendered(const fs::path& html,
                               const std::vector<std::string>& charts = run_charts) {
        const Result r = browse(browser_, html, "--dump-dom", profile_);
        EXPECT_EQ(r.code, 0) << "the browser failed on " << html;
        const std::string& dom = r.output;
        EXPECT_THAT(dom, HasSubstr("<body data-rendered=\"ok\"")) << dom.substr(0, 4000);
        EXPECT_THAT(dom, HasSubstr("<ul id=\"errors\" class=\"errors\" hidden=\"\"></ul>"))
            << section(dom, "<ul id=\"errors\"");
        EXPECT_THAT(dom, HasSubstr("<ul id=\"warnings\" class=\"warnings\" hidden=\"\"></ul>"))
            << section(dom, "<ul id=\"warnings\"");
        for (const std::string& chart : charts) {
            const std::string part = section(dom, "data-chart=\"" + chart + "\"");
            std::smatch marks;
            const bool drew = std::regex_search(part, marks, std::regex("data-marks=\"([0-9]+)\""));
            EXPECT_TRUE(drew) << chart << " drew nothing: " << part.substr(0, 400);
            if (drew) {
                EXPECT_GT(std::stoi(marks[1]), 0) << chart;
            }
            EXPECT_THAT(part, HasSubstr("<svg")) << chart;
            EXPECT_TRUE(std::regex_search(part, std::regex("role-mark[^>]*>\\s*<path")))
                << chart << " has no mark paths";
        }
        return dom;
    }

    std::string browser_;
    fs::path work_;
    fs::path profile_;
    static inline const std::vector<std::string> run_charts{
        "gains",      "fund",          "cap",     "years",        "sources",
        "host_value", "partner_value", "scatter", "progressivity"};
    static inline const std::vector<std::string> analysis_charts{
        "sweep",         "sweep_axis",    "tornado", "sobol", "fiscal_progressivity",
        "fiscal_spread", "fiscal_scatter"};
};

TEST_F(ReportBrowserTest, EveryChartDrawsAndEveryDealIsListed) {
    const fs::path out = work_ / "run";
    fs::remove_all(out);
    const fs::path html = work_ / "report.html";
    const Result run = shell(std::string(NADRA_BINARY) + " run --paths 2000 --out " +
                             quoted(out.string()) + " --report " + quoted(html.string()) + " 2>&1");
    ASSERT_EQ(run.code, 0) << run.output;
    EXPECT_THAT(run.output, HasSubstr(fmt::format("report: {}", html.string())));
    EXPECT_LT(fs::file_size(html), 5u << 20);

    const std::string dom = check_rendered(html);
    EXPECT_THAT(section(dom, "<section id=\"assumptions\">"), HasSubstr("discount rate"));
    EXPECT_THAT(section(dom, "<section id=\"assumptions\">"),
                HasSubstr("without a deal, the war ends less often"));
    const std::string terms = section(dom, "<table class=\"terms\">");
    for (const std::string deal :
         {"no_deal", "v1", "v2", "v3", "v4", "v5", "signed_with_guarantee", "v4_telegraph"}) {
        std::string header;  // the header may break a name after an underscore
        for (const char c : deal) header += c == '_' ? std::string("_<wbr>") : std::string(1, c);
        EXPECT_THAT(terms, HasSubstr("<th scope=\"col\">" + header + "</th>")) << deal;
    }

    const fs::path screenshot = fs::path(NADRA_BUILD_DIR) / "report-screenshot.png";
    fs::remove(screenshot);
    browse(browser_, html, fmt::format("--screenshot={}", quoted(screenshot.string())), profile_);
    ASSERT_TRUE(fs::exists(screenshot)) << "no screenshot at " << screenshot;
    EXPECT_GT(fs::file_size(screenshot), 50'000u);
    EXPECT_EQ(read(screenshot).substr(1, 3), "PNG");
    std::printf("screenshot: %s\n", screenshot.c_str());
}

// With input sets (MODEL.md 4.3) the judgement section draws both spreads and the inputs that
// move a deal's gains, and compares their order with a tornado of the same deal in the folder.
TEST_F(ReportBrowserTest, JudgementChartsDrawWithInputSets) {
    const fs::path out = work_ / "judgement-run";
    fs::remove_all(out);
    const fs::path html = work_ / "judgement.html";
    const std::string binary = NADRA_BINARY;
    ASSERT_EQ(shell(binary + " tornado --deal v5 --paths 300 --input 'world.conflict.*' --out " +
                    quoted(out.string()) + " > /dev/null 2>&1")
                  .code,
              0);
    const Result run = shell(binary + " run --paths 600 --sample-inputs 12 --out " +
                             quoted(out.string()) + " --report " + quoted(html.string()) + " 2>&1");
    ASSERT_EQ(run.code, 0) << run.output;
    std::vector<std::string> charts = run_charts;
    charts.insert(charts.end(), {"spreads", "correlations", "tornado"});
    const std::string dom = check_rendered(html, charts);
    // The section holds the charts' own sections: up to the next heading of the page.
    const auto from = dom.find("<section id=\"judgement\">");
    ASSERT_NE(from, std::string::npos);
    const std::string judgement = dom.substr(from, dom.find("<h2", from + 30) - from);
    EXPECT_THAT(judgement, HasSubstr("chance alone (inputs known)"));
    EXPECT_THAT(judgement, HasSubstr("Against the tornado of v5"));
    EXPECT_THAT(judgement, HasSubstr("|rho| below 0.60"));  // 2 / sqrt(12 - 1)
}

// A deal named like markup renders as text, and breaks nothing.
TEST_F(ReportBrowserTest, ADealNamedLikeMarkupIsShownAsText) {
    const fs::path scenario = work_ / "markup";
    fs::remove_all(scenario);
    ASSERT_EQ(shell(std::string(NADRA_BINARY) + " init " + quoted(scenario.string()) +
                    " > /dev/null 2>&1")
                  .code,
              0);
    const fs::path deal = scenario / "deals" / "v3.toml";
    std::string text = read(deal);
    const std::string from = "[deals.v3";
    const std::string to = "[deals.\"</script><!--<b>v3&\"";
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
        text.replace(at, from.size(), to);
    std::ofstream(deal, std::ios::binary) << text;

    const fs::path out = work_ / "markup-run";
    fs::remove_all(out);
    const fs::path html = work_ / "markup.html";
    const Result run = shell(std::string(NADRA_BINARY) + " run " +
                             quoted((scenario / "scenario.toml").string()) + " --paths 200 --out " +
                             quoted(out.string()) + " --report " + quoted(html.string()) + " 2>&1");
    ASSERT_EQ(run.code, 0) << run.output;
    const std::string dom = check_rendered(html);
    EXPECT_THAT(section(dom, "<table class=\"terms\">"),
                HasSubstr("&lt;/script&gt;&lt;!--&lt;b&gt;v3&amp;"));
}

// The four analyses' charts draw, beside a run's and on their own; the screenshot of the report
// with both is left at BUILD/report-analyses-screenshot.png.
TEST_F(ReportBrowserTest, TheAnalysesChartsDraw) {
    using namespace nadra;
    const fs::path out = work_ / "analyses-run";
    fs::remove_all(out);
    const Result run = shell(std::string(NADRA_BINARY) + " run --paths 500 --per-path --out " +
                             quoted(out.string()) + " 2>&1");
    ASSERT_EQ(run.code, 0) << run.output;
    OutputFiles files = read_run_directory(out);
    const OutputFiles analyses = test::all_analysis_files();
    files.insert(analyses.begin(), analyses.end());

    const fs::path both = work_ / "analyses.html";
    std::ofstream(both, std::ios::binary) << html_report(files, "today");
    std::vector<std::string> charts = run_charts;
    charts.insert(charts.end(), analysis_charts.begin(), analysis_charts.end());
    const std::string dom = check_rendered(both, charts);
    EXPECT_THAT(section(dom, "<section id=\"tornado\""),
                HasSubstr("&lt;/script&gt;&lt;!--&lt;b&gt;world.x&amp;"));

    const fs::path alone = work_ / "analyses-only.html";
    std::ofstream(alone, std::ios::binary) << html_report(analyses, "today");
    const std::string only = check_rendered(alone, analysis_charts);
    // What the page writes from the hand-made analyses (analysis_results.hpp): the zone's two
    // variants, where each side gains, the inputs that turn the tornado's sign, in words.
    EXPECT_THAT(only, HasSubstr("The zone of possible agreement: 2 of 5 variants"));
    EXPECT_THAT(only, HasSubstr("The frontier: 4 of 5 variants"));
    EXPECT_THAT(section(only, "<section id=\"breakeven\""),
                HasSubstr("Both sides gain while 0.15 &lt; share &lt; 0.31"));
    EXPECT_THAT(section(only, "<section id=\"tornado\""),
                HasSubstr("Alone, these would turn the sign of host gain"));
    EXPECT_THAT(section(only, "<section id=\"tornado\""),
                HasSubstr("<strong>chance a year that the war ends</strong> at its low end"));
    // The fiscal section (test::fiscal_result()): each regime side by side, a not-defined METR
    // in words with its reason as a footnote, the paired difference with its interval.
    const auto from = only.find("<section id=\"fiscal\">");
    ASSERT_NE(from, std::string::npos);
    const std::string fiscal = only.substr(from, only.find("</main>", from) - from);
    EXPECT_THAT(fiscal, HasSubstr("dobra under each fiscal regime"));
    EXPECT_THAT(fiscal, HasSubstr(">not defined<sup>"));
    EXPECT_THAT(fiscal, HasSubstr("the real pre-tax IRR at the breakeven price is not positive"));
    EXPECT_THAT(fiscal, HasSubstr("state gets more"));
    EXPECT_THAT(fiscal, HasSubstr("investor keeps less"));
    EXPECT_THAT(fiscal, HasSubstr("of the paths where it starts"));
    // What the page drew (the bundle's own text holds every sentence it can write).
    const std::string drawn = only.substr(0, only.find("</main>"));
    EXPECT_THAT(drawn, Not(HasSubstr("Not run as the header says")));
    EXPECT_THAT(drawn, Not(HasSubstr("id=\"terms\"")));

    const fs::path screenshot = fs::path(NADRA_BUILD_DIR) / "report-analyses-screenshot.png";
    fs::remove(screenshot);
    browse(browser_, alone, fmt::format("--screenshot={}", quoted(screenshot.string())), profile_);
    EXPECT_TRUE(fs::exists(screenshot)) << "no screenshot at " << screenshot;
    std::printf("screenshot: %s\n", screenshot.c_str());
}

}  // namespace
