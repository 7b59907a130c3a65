// The HTML report without a browser: the results document it inlines (what it holds with and
// without the optional files of a run directory, the analyses' files among them), the escaping
// that keeps a scenario's names from ending the element, and the page around it. What the page
// draws from the document is checked in a browser (test_report_browser.cpp) and by the
// front-end's unit tests (web/test).
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
#include "report/fiscal_outputs.hpp"
#include "report/html_report.hpp"
#include "report/report_assets.hpp"
#include "report_document.hpp"

namespace nadra {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;
using test::inlined_document;
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
    // The assumptions panel's facts (data only): rates, the war, prices, the uncertain inputs.
    const auto& a = terms.at("assumptions");
    EXPECT_EQ(terms["discount_rates"]["host"], 0.08);
    EXPECT_TRUE(a["conflict"]["initial_war"].get<bool>());
    EXPECT_FALSE(a["conflict"]["end_hazard"].empty());
    EXPECT_FALSE(a["commodities"].empty());
    EXPECT_TRUE(a["commodities"][0].contains("level"));
    bool labelled = false;
    for (const auto& input : a.at("uncertain_inputs")) {
        EXPECT_LE(input["low"].get<double>(), input["value"].get<double>()) << input["key"];
        EXPECT_LE(input["value"].get<double>(), input["high"].get<double>()) << input["key"];
        if (input["key"] == "deals.no_deal.world_modifiers.end_hazard_multiplier")
            labelled = input.value("label", "").starts_with("without a deal");
    }
    EXPECT_TRUE(labelled) << "the built-in scenario labels no_deal's end-hazard multiplier";
}

TEST_F(HtmlReportTest, TheDocumentHoldsTheRunAsData) {
    const OutputFiles run = files();
    const std::string html = html_report(run, "2025-04-30 12:00 UTC");
    EXPECT_LT(html.size(), 5u << 20);
    const ordered_json doc = inlined_document(html);
    EXPECT_EQ(doc["nadra_results"], 1);
    EXPECT_EQ(doc["generated"], "2025-04-30 12:00 UTC");
    EXPECT_EQ(doc["summary"], ordered_json::parse(run.at("summary.json")));
    EXPECT_EQ(doc["terms"], ordered_json::parse(run.at("terms.json")));
    // Every flag that changes the run: its deals in order, and --per-path for paths.csv.
    EXPECT_EQ(doc["reproduce"],
              "nadra run --seed 1 --paths 300 --deals no_deal,v1,v2,v3,v4,v5,"
              "signed_with_guarantee,v4_telegraph --per-path");
    EXPECT_TRUE(doc["analyses"].empty());
    // The CSV files as rows of numbers: a row a deal and year.
    ASSERT_EQ(doc["fund_bands"].size(), builtin_deals.size() * 76);
    const auto& band = doc["fund_bands"][76 * 2 + 10];  // v2 in 2035
    EXPECT_EQ(band["deal"], "v2");
    EXPECT_EQ(band["year"], 2035);
    for (const char* key : {"p5", "p25", "p50", "p75", "p95"}) EXPECT_TRUE(band[key].is_number());
    EXPECT_LE(band["p5"].get<double>(), band["p95"].get<double>());
    ASSERT_EQ(doc["cap_curve"].size(), builtin_deals.size() * 76);
    EXPECT_TRUE(doc["cap_curve"][0]["cap_reached_probability"].is_number());
    // The path sample: all 300 paths (fewer than report_path_sample), each deal's values as
    // paths.csv has them.
    const auto& paths = doc["paths"];
    ASSERT_EQ(paths["path"].size(), 300u);
    EXPECT_EQ(paths["path"][299], 299);
    CsvReader reader(run.at("paths.csv"));
    std::vector<std::string> header, row;
    ASSERT_TRUE(reader.next(header));
    const auto column = [&](const char* name) {
        return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) -
                                        header.begin());
    };
    std::size_t checked = 0;
    while (reader.next(row)) {
        const auto path = std::stoul(row[column("path")]);
        const auto& values = paths["values"][row[column("deal")]];
        EXPECT_EQ(values["host_value"][path].get<double>(), std::stod(row[column("host_value")]));
        EXPECT_EQ(values["partner_value"][path].get<double>(),
                  std::stod(row[column("partner_value")]));
        ++checked;
    }
    EXPECT_EQ(checked, 300 * builtin_deals.size());
}

TEST_F(HtmlReportTest, ThePageIsTheFrontEndAndNeedsNoNetwork) {
    const std::string html = html_report(files(), "today");
    EXPECT_TRUE(html.starts_with("<!doctype html>"));
    EXPECT_THAT(html, HasSubstr("<main id=\"report\"></main>"));
    EXPECT_THAT(html, HasSubstr("window.nadra"));  // the bundle, with the live page's hook
    EXPECT_EQ(count(html, "id=\"nadra-results\""), 1u);
    EXPECT_THAT(html, Not(HasSubstr("NADRA_RESULTS-->")));  // the marker is replaced
    // No CDN, no network: no element loads a URL.
    EXPECT_THAT(html, Not(HasSubstr("src=\"http")));
    EXPECT_THAT(html, Not(HasSubstr("<link")));
    EXPECT_THAT(html, Not(HasSubstr("cdn.jsdelivr")));
    // The C++ side builds no HTML of results: the report is the embedded page with the
    // document in place of its marker, and nothing else.
    const std::string_view page = report_assets::report_page;
    const std::size_t marker = page.find("<!--NADRA_RESULTS-->");
    ASSERT_NE(marker, std::string_view::npos);
    EXPECT_EQ(html.substr(0, marker), page.substr(0, marker));
    const std::size_t rest = page.size() - marker - std::string_view("<!--NADRA_RESULTS-->").size();
    EXPECT_EQ(html.substr(html.size() - rest), page.substr(page.size() - rest));
    EXPECT_EQ(html.substr(marker, html.size() - rest - marker),
              "<script type=\"application/json\" id=\"nadra-results\">" +
                  script_json(inlined_document(html)) + "</script>");
}

TEST_F(HtmlReportTest, ScenarioTextIsEscapedInTheDocument) {
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
    const std::string page = html_report(files(), "today");
    const std::string html = html_report(run, "today");
    // No element ended and no comment opened by the data: the page's own counts, unchanged.
    EXPECT_EQ(count(html, "</script"), count(page, "</script"));
    EXPECT_EQ(count(html, "<!--"), count(page, "<!--"));
    EXPECT_THAT(html, HasSubstr("\\u003c/script\\u003e\\u003c!--\\u003cb\\u003e\\u0026\\\"x'"));
    EXPECT_THAT(html, Not(HasSubstr(hostile)));
    // And the document reads back with the name as it was.
    const ordered_json doc = inlined_document(html);
    EXPECT_EQ(doc["summary"]["deals"][7]["name"], hostile);
    EXPECT_EQ(doc["fund_bands"][76 * 7]["deal"], hostile);
    EXPECT_TRUE(doc["paths"]["values"].contains(hostile));
}

TEST(HtmlReportEscaping, ScriptJsonEscapesWhatCouldEndTheElement) {
    const ordered_json json = {{"a<b", "</script><!-- & -->"}};
    EXPECT_EQ(script_json(json),
              "{\"a\\u003cb\":\"\\u003c/script\\u003e\\u003c!-- \\u0026 --\\u003e\"}");
    EXPECT_EQ(ordered_json::parse(script_json(json)), json);
}

TEST_F(HtmlReportTest, WithoutPathsOrTermsTheirPartsAreNull) {
    OutputFiles run = files();
    run.erase("paths.csv");
    run.erase("terms.json");
    const ordered_json doc = results_document(run, "today");
    EXPECT_TRUE(doc["paths"].is_null());
    EXPECT_TRUE(doc["terms"].is_null());
    EXPECT_TRUE(doc["fund_bands"].is_array());
    // Without paths.csv the run is reproduced without --per-path.
    EXPECT_THAT(doc["reproduce"].get<std::string>(), Not(HasSubstr("--per-path")));
}

TEST_F(HtmlReportTest, AFileThatIsNotWhatNadraWritesIsNamed) {
    const auto error = [&](const std::string& file, const std::string& text) {
        OutputFiles run = files();
        run[file] = text;
        try {
            results_document(run, "today");
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_THAT(error("summary.json", "{"), HasSubstr("summary.json: "));
    EXPECT_THAT(error("summary.json", "{\"deals\": []}"), HasSubstr("summary.json"));
    EXPECT_THAT(error("fund_bands.csv", "deal,year\nv1,2025\n"),
                HasSubstr("fund_bands.csv has no column 'p5'"));
    EXPECT_THAT(error("cap_curve.csv", "deal,year,cap_reached_probability\nv1,2025,x\n"),
                HasSubstr("cap_curve.csv: 'x' is not a number"));
    EXPECT_THAT(error("paths.csv", "path,deal\n"), HasSubstr("paths.csv has no column"));
    EXPECT_THAT(error("terms.json", "[]"), HasSubstr("terms.json"));
    OutputFiles run = files();
    run.erase("cap_curve.csv");
    EXPECT_THROW(results_document(run, "today"), std::runtime_error);
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
        ordered_json doc = inlined_document(html);
        doc.erase("generated");
        return doc;
    };
    EXPECT_EQ(undated(out / "direct.html"), undated(out / "later.html"));
}

// ---------------------------------------------------------------------------------------------
// The analyses

const std::vector<std::string> analysis_sections{"sweep", "breakeven", "tornado", "sobol",
                                                 "fiscal"};

TEST(HtmlReportAnalyses, AnalysisOnlyDocumentHasJustTheAnalyses) {
    const OutputFiles files = test::all_analysis_files();
    const ordered_json doc = inlined_document(html_report(files, "2025-04-30 12:00 UTC"));
    for (const char* part : {"summary", "terms", "fund_bands", "cap_curve", "paths", "reproduce"})
        EXPECT_TRUE(doc[part].is_null()) << part;
    ASSERT_EQ(doc["analyses"].size(), analysis_sections.size());
    std::size_t i = 0;
    for (const auto& [name, json] : doc["analyses"].items()) {
        EXPECT_EQ(name, analysis_sections[i++]);  // in the order the report shows them
        EXPECT_EQ(json, ordered_json::parse(files.at(name + ".json"))) << name;
    }
}

TEST(HtmlReportAnalyses, EachAnalysisIsThereExactlyWhenItsFileIs) {
    const OutputFiles all = test::all_analysis_files();
    for (const std::string& present : analysis_sections) {
        OutputFiles files;
        files[present + ".json"] = all.at(present + ".json");
        const ordered_json doc = results_document(files, "today");
        ASSERT_EQ(doc["analyses"].size(), 1u) << present;
        EXPECT_TRUE(doc["analyses"].contains(present));
        EXPECT_TRUE(doc["summary"].is_null());
    }
}

TEST(HtmlReportAnalyses, MarkupInAFactorNameIsEscaped) {
    const std::string html = html_report(test::all_analysis_files(), "today");
    const std::string page =
        html_report({{"sobol.json", test::all_analysis_files().at("sobol.json")}}, "today");
    EXPECT_EQ(count(html, "</script"), count(page, "</script"));
    EXPECT_EQ(count(html, "<!--"), count(page, "<!--"));
    EXPECT_THAT(html, HasSubstr("\\u003c/script\\u003e\\u003c!--\\u003cb\\u003eworld.x\\u0026"));
}

TEST(HtmlReportAnalyses, MalformedAnalysisFilesAreClearErrors) {
    const auto error = [](const std::string& file, const std::string& text) {
        OutputFiles files = test::all_analysis_files();
        files[file] = text;
        try {
            html_report(files, "today");
        } catch (const std::runtime_error& e) {
            return std::string(e.what());
        }
        return std::string("no error");
    };
    EXPECT_THAT(error("sweep.json", "{\"analysis\": \"sweep\", "), HasSubstr("sweep.json: "));
    auto json = ordered_json::parse(test::all_analysis_files().at("sweep.json"));
    json["variants"][0].erase("host_gain");
    EXPECT_THAT(error("sweep.json", json.dump()), HasSubstr("sweep.json: "));
    EXPECT_THAT(error("sweep.json", json.dump()), HasSubstr("host_gain"));
    EXPECT_THAT(error("sweep.json", test::all_analysis_files().at("tornado.json")),
                HasSubstr("sweep.json is not the output of nadra sweep"));
    auto tornado = ordered_json::parse(test::all_analysis_files().at("tornado.json"));
    tornado["output"] = "happiness";
    EXPECT_THAT(error("tornado.json", tornado.dump()), HasSubstr("unknown output 'happiness'"));
    auto breakeven = ordered_json::parse(test::all_analysis_files().at("breakeven.json"));
    breakeven["parties"][0].erase("ci_low");
    EXPECT_THAT(error("breakeven.json", breakeven.dump()), HasSubstr("breakeven.json: "));
    auto sobol = ordered_json::parse(test::all_analysis_files().at("sobol.json"));
    sobol["indices"][0].erase("total");
    EXPECT_THAT(error("sobol.json", sobol.dump()), HasSubstr("sobol.json: "));
    auto fiscal = ordered_json::parse(test::all_analysis_files().at("fiscal.json"));
    fiscal["regimes"][1].erase("aetr_by_mean_real_price");
    EXPECT_THAT(error("fiscal.json", fiscal.dump()), HasSubstr("fiscal.json: "));
    EXPECT_THAT(error("fiscal.json", fiscal.dump()), HasSubstr("aetr_by_mean_real_price"));
    fiscal = ordered_json::parse(test::all_analysis_files().at("fiscal.json"));
    fiscal["regimes"][0]["base"].erase("progressivity");
    EXPECT_THAT(error("fiscal.json", fiscal.dump()), HasSubstr("progressivity"));
    EXPECT_THAT(error("fiscal.json", test::all_analysis_files().at("sobol.json")),
                HasSubstr("fiscal.json is not the output of nadra fiscal"));
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
    EXPECT_TRUE(inlined_document(html_report(files, "today"))["analyses"].contains("sweep"));
    fs::remove_all(dir);
}

// fiscal.json alone (`nadra fiscal --out DIR`, then `nadra report DIR`): a report of it, the
// file inlined as it is.
TEST(HtmlReportAnalyses, ADirectoryWithOnlyFiscalJsonIsAReport) {
    const fs::path dir = fs::temp_directory_path() / fmt::format("nadra-html-fiscal-{}", getpid());
    fs::remove_all(dir);
    fs::create_directories(dir);
    const OutputFiles fiscal = fiscal_outputs(test::analysis_info(), test::fiscal_result());
    for (const auto& [name, text] : fiscal) std::ofstream(dir / name, std::ios::binary) << text;
    const OutputFiles files = read_run_directory(dir);
    EXPECT_EQ(files.size(), 1u);  // fiscal.csv is not read
    const ordered_json doc = inlined_document(html_report(files, "today"));
    EXPECT_TRUE(doc["summary"].is_null());
    EXPECT_EQ(doc["analyses"]["fiscal"], ordered_json::parse(fiscal.at("fiscal.json")));
    fs::remove_all(dir);
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
    const ordered_json doc = inlined_document(html_report(both, "today"));
    EXPECT_FALSE(doc["summary"].is_null());
    EXPECT_EQ(doc["analyses"].size(), analysis_sections.size());
    EXPECT_EQ(doc["analyses"]["sweep"]["seed"], doc["summary"]["seed"]);
}

}  // namespace
}  // namespace nadra
