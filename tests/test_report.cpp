// The files and tables of a run (report/*.hpp), built from a hand-made SimulationResult.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/gains.hpp"
#include "analysis/statistics.hpp"
#include "report/atomic_write.hpp"
#include "report/csv.hpp"
#include "report/outputs.hpp"
#include "report/summary_json.hpp"
#include "report/table.hpp"

namespace nadra {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();
constexpr double inf = std::numeric_limits<double>::infinity();

std::vector<std::string> keys(const ordered_json& object) {
    std::vector<std::string> names;
    for (const auto& [key, value] : object.items()) names.push_back(key);
    return names;
}

std::string lower(std::string text) {
    std::transform(text.begin(), text.end(), text.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> result;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) result.push_back(line);
    return result;
}

// Two deals over three paths and two years from 2030: "capped" reaches its cap on two paths,
// `Deal, "quoted"` (a name CSV must quote) never does.
class ReportTest : public ::testing::Test {
  protected:
    void SetUp() override {
        scenario.name = "test";
        scenario.start_year = 2030;
        scenario.horizon = 2;
        for (const char* name : {"capped", "Deal, \"quoted\""}) {
            Deal deal;
            deal.name = name;
            scenario.deals.push_back(deal);
        }
        for (const char* name : {"mine", "quarry"}) {
            Project project;
            project.name = name;
            scenario.world.projects.push_back(project);
        }
        result.paths = 3;
        result.horizon = 2;
        result.deals = {deal_paths(0, 1e9), deal_paths(1, 2e9)};
        result.deals[0].cap_year = {2031, nan, 2030};
        result.deals[0].share_ceded = {0.1, 1.0 / 3, nan};
        projects.assign(2, ProjectFiscal{});
        projects[0].breakeven_price = 1234.5;
        projects[0].government_take = 0.45;
        projects[0].aetr = 0.4;
        projects[1].project = 1;
        projects[1].breakeven_price = inf;
        info = {"0.1.0", "test", "abc123", 42, 3, 2030, 2, {}};
    }

    static DealPaths deal_paths(int index, double scale) {
        DealPaths deal;
        deal.deal = index;
        const std::vector<double> values{scale, 2 * scale, 3 * scale};
        deal.host_value = deal.partner_value = deal.in_kind_support_npv = values;
        deal.host_contributions = deal.host_revenue = deal.host_kept = deal.share_ceded = values;
        deal.host_total_value = deal.partner_net_value = values;
        deal.cap_year.assign(3, nan);
        deal.fund_balance = {1, 2, 3, 4, 5, 6};
        // [path * 2 + project]: "mine" starts in 2030 on path 0 and 2031 on path 1; "quarry"
        // never.
        deal.projects = 2;
        deal.project_start = {0, -1, 1, -1, -1, -1};
        deal.project_co_invested.assign(6, 0);
        return deal;
    }

    OutputFiles outputs(bool per_path = true) const {
        std::vector<int> deals;
        for (const DealPaths& deal : result.deals) deals.push_back(deal.deal);
        return run_outputs(info, scenario, deals, summarize_run(scenario, result), projects,
                           per_path ? std::optional(paths_csv(scenario, result)) : std::nullopt);
    }

    ordered_json summary() const { return ordered_json::parse(outputs().at("summary.json")); }

    Scenario scenario;
    SimulationResult result;
    std::vector<ProjectFiscal> projects;
    RunInfo info;
};

TEST_F(ReportTest, SummaryKeysInContractOrder) {
    const ordered_json json = summary();
    EXPECT_THAT(keys(json),
                ElementsAre("nadra_version", "scenario", "scenario_sha256", "seed", "paths",
                            "start_year", "horizon", "deals", "differences", "gains", "projects"));
    EXPECT_EQ(json["seed"], 42);
    EXPECT_EQ(json["scenario_sha256"], "abc123");
    const ordered_json& deal = json["deals"][0];
    EXPECT_THAT(keys(deal), ElementsAre("name", "metrics", "cap_reached_probability_by_year",
                                        "fund_balance_by_year", "projects"));
    ASSERT_FALSE(deal["projects"].empty());
    EXPECT_THAT(keys(deal["projects"][0]),
                ElementsAre("name", "started_probability", "started_by_year", "median_start_year",
                            "co_invested_probability"));
    EXPECT_THAT(keys(deal["projects"][0]["started_by_year"]), ElementsAre("2030", "2031"));
    EXPECT_EQ(deal["projects"][0]["name"], "mine");
    EXPECT_DOUBLE_EQ(deal["projects"][0]["started_probability"].get<double>(), 2.0 / 3);
    EXPECT_DOUBLE_EQ(deal["projects"][0]["started_by_year"]["2030"].get<double>(), 1.0 / 3);
    EXPECT_EQ(deal["projects"][0]["median_start_year"], 2030.5);
    EXPECT_EQ(deal["projects"][0]["co_invested_probability"], 0.0);
    EXPECT_EQ(deal["projects"][1]["started_probability"], 0.0);
    EXPECT_TRUE(deal["projects"][1]["median_start_year"].is_null());
    EXPECT_EQ(keys(deal["metrics"]), metric_names());
    EXPECT_THAT(keys(deal["metrics"]["host_value"]),
                ElementsAre("mean", "sd", "sem", "p5", "p25", "p50", "p75", "p95", "count"));
    EXPECT_THAT(keys(deal["cap_reached_probability_by_year"]), ElementsAre("2030", "2031"));
    EXPECT_THAT(keys(deal["fund_balance_by_year"]), ElementsAre("2030", "2031"));
    EXPECT_THAT(keys(json["differences"][0]), ElementsAre("a", "b", "metrics"));
    EXPECT_THAT(keys(json["gains"][0]), ElementsAre("deal", "baseline", "metrics"));
    EXPECT_THAT(keys(json["projects"][0]),
                ElementsAre("name", "breakeven_price", "government_take", "aetr", "investor_npv",
                            "irr", "pretax_irr", "payback_year", "effective_royalty_rate", "metr",
                            "progressivity", "notes"));
}

// With input sets (MODEL.md 4.3): each metric's statistics end with its between-set share, and
// the run's sampling follows the contract's keys (additive: nothing else moves).
TEST_F(ReportTest, SummaryWithInputSetsAddsKeysAtTheEnd) {
    RunSummary run = summarize_run(scenario, result);
    run.inputs = {4, {"world.conflict.*"}, {"world.conflict.end_hazard"}};
    for (const std::string& metric : metric_names()) {
        run.deals[0].between_sets_share[metric] = 0.25;
        run.deals[1].between_sets_share[metric] = 0.5;
        if (metric != "cap_year") run.differences[0].between_sets_share[metric] = 0.75;
    }
    const ordered_json json = ordered_json::parse(summary_json(info, scenario, run, projects));
    EXPECT_THAT(keys(json),
                ElementsAre("nadra_version", "scenario", "scenario_sha256", "seed", "paths",
                            "start_year", "horizon", "deals", "differences", "gains", "projects",
                            "sample_inputs", "input_patterns", "sampled_inputs"));
    EXPECT_EQ(json["sample_inputs"], 4);
    EXPECT_EQ(json["input_patterns"][0], "world.conflict.*");
    EXPECT_EQ(json["sampled_inputs"][0], "world.conflict.end_hazard");
    EXPECT_THAT(keys(json["deals"][0]["metrics"]["host_value"]),
                ElementsAre("mean", "sd", "sem", "p5", "p25", "p50", "p75", "p95", "count",
                            "between_sets_share"));
    EXPECT_EQ(json["deals"][1]["metrics"]["partner_value"]["between_sets_share"], 0.5);
    EXPECT_EQ(json["differences"][0]["metrics"]["host_value"]["between_sets_share"], 0.75);
    // A gain is its pair's difference, perhaps negated: the same share.
    for (const auto& gain : json["gains"]) {
        const bool first_pair =
            (gain["deal"] == run.differences[0].a && gain["baseline"] == run.differences[0].b) ||
            (gain["deal"] == run.differences[0].b && gain["baseline"] == run.differences[0].a);
        if (first_pair) {
            EXPECT_EQ(gain["metrics"]["host_value"]["between_sets_share"], 0.75);
        }
    }
    const std::string lines = judgement_lines(run);
    EXPECT_THAT(lines, HasSubstr("4 input sets"));
    EXPECT_THAT(lines, HasSubstr("host value 25%"));
    EXPECT_THAT(lines, HasSubstr("partner value 50%"));
    EXPECT_EQ(judgement_lines(summarize_run(scenario, result)), "");
}

TEST_F(ReportTest, SummaryValues) {
    const ordered_json json = summary();
    const ordered_json& capped = json["deals"][0];
    EXPECT_EQ(capped["metrics"]["host_value"]["mean"], 2e9);
    EXPECT_EQ(capped["metrics"]["cap_year"]["count"], 2);
    EXPECT_EQ(capped["metrics"]["cap_year"]["p50"], 2030.5);
    EXPECT_EQ(capped["cap_reached_probability_by_year"]["2031"], 2.0 / 3);
    EXPECT_EQ(capped["fund_balance_by_year"]["2031"]["mean"], 4);  // 2, 4, 6
    EXPECT_EQ(json["deals"][1]["name"], "Deal, \"quoted\"");
    EXPECT_EQ(json["projects"][0]["name"], "mine");
    EXPECT_EQ(json["projects"][0]["breakeven_price"], 1234.5);
}

TEST_F(ReportTest, DifferencesArePerPathAndLeaveOutCapYear) {
    const ordered_json json = summary();
    const ordered_json& difference = json["differences"][0];
    EXPECT_EQ(difference["a"], "capped");
    EXPECT_EQ(difference["b"], "Deal, \"quoted\"");
    EXPECT_EQ(keys(difference["metrics"]).size(), metric_names().size() - 1);
    EXPECT_FALSE(difference["metrics"].contains("cap_year"));
    EXPECT_EQ(difference["metrics"]["host_value"]["mean"], -2e9);  // {1, 2, 3} - {2, 4, 6} in $ bn
    EXPECT_EQ(difference["metrics"]["host_value"]["p5"], -2.9e9);
}

// gain = deal - baseline: without no_deal the baseline is the first deal, and the pair
// (capped, quoted) holds capped - quoted, so the gain is its mirror.
TEST_F(ReportTest, GainsAreDealMinusBaseline) {
    const ordered_json json = summary();
    ASSERT_EQ(json["gains"].size(), 1u);
    const ordered_json& gain = json["gains"][0];
    EXPECT_EQ(gain["deal"], "Deal, \"quoted\"");
    EXPECT_EQ(gain["baseline"], "capped");
    const ordered_json& difference = json["differences"][0]["metrics"];
    EXPECT_EQ(keys(gain["metrics"]), keys(difference));
    const ordered_json& host = gain["metrics"]["host_value"];
    EXPECT_EQ(host["mean"], 2e9);  // {2, 4, 6} - {1, 2, 3} in $ bn
    EXPECT_EQ(host["p5"], 1.1e9);
    EXPECT_EQ(host["p95"], 2.9e9);
    EXPECT_EQ(host["count"], 3);
    for (const auto& [metric, stats] : gain["metrics"].items()) {
        const ordered_json& d = difference[metric];
        EXPECT_EQ(stats["mean"], -d["mean"].get<double>()) << metric;
        EXPECT_EQ(stats["p5"], -d["p95"].get<double>()) << metric;
        EXPECT_EQ(stats["p25"], -d["p75"].get<double>()) << metric;
        EXPECT_EQ(stats["p50"], -d["p50"].get<double>()) << metric;
        EXPECT_EQ(stats["p75"], -d["p25"].get<double>()) << metric;
        EXPECT_EQ(stats["p95"], -d["p5"].get<double>()) << metric;
        EXPECT_EQ(stats["sem"], d["sem"]) << metric;
    }
}

TEST(Gains, NoDealIsTheBaselineWhereverItIsAndPairsKeepTheirSign) {
    RunSummary run;
    for (const char* name : {"v5", "no_deal", "v3"}) {
        DealSummary deal;
        deal.name = name;
        run.deals.push_back(deal);
    }
    Stats d;
    d.count = 2;
    d.mean = 1;
    d.p5 = -3;
    d.p95 = 5;
    // (v5, no_deal) holds v5 - no_deal; (no_deal, v3) holds no_deal - v3.
    run.differences = {{"v5", "no_deal", {{"host_value", d}}, {}},
                       {"v5", "v3", {{"host_value", d}}, {}},
                       {"no_deal", "v3", {{"host_value", d}}, {}}};
    EXPECT_EQ(gains_baseline(run), "no_deal");
    const std::vector<GainSummary> gains = paired_gains(run);
    ASSERT_EQ(gains.size(), 2u);
    EXPECT_EQ(gains[0].deal, "v5");
    EXPECT_EQ(gains[0].metrics.at("host_value").mean, 1);
    EXPECT_EQ(gains[0].metrics.at("host_value").p5, -3);
    EXPECT_EQ(gains[1].deal, "v3");
    EXPECT_EQ(gains[1].baseline, "no_deal");
    EXPECT_EQ(gains[1].metrics.at("host_value").mean, -1);
    EXPECT_EQ(gains[1].metrics.at("host_value").p5, -5);
    EXPECT_EQ(gains[1].metrics.at("host_value").p95, 3);
    EXPECT_EQ(gains[1].metrics.at("host_value").count, 2);
}

TEST_F(ReportTest, NoValuesAndInfinityAreNull) {
    const ordered_json json = summary();
    const ordered_json& never = json["deals"][1]["metrics"]["cap_year"];
    EXPECT_EQ(never["count"], 0);
    for (const char* key : {"mean", "sd", "sem", "p5", "p25", "p50", "p75", "p95"}) {
        EXPECT_TRUE(never[key].is_null()) << key;
    }
    EXPECT_TRUE(json["projects"][1]["breakeven_price"].is_null());
}

TEST_F(ReportTest, NoNaNOrInfinityText) {
    result.deals[1].host_value = {nan, inf, -inf};
    result.deals[1].fund_balance = {nan, nan, nan, nan, nan, nan};
    projects[0].government_take = nan;
    for (const auto& [name, content] : outputs()) {
        // terms.json's assumptions name "inflation": a word, not a number.
        std::string text = lower(content);
        for (std::size_t at; (at = text.find("inflation")) != std::string::npos;) text.erase(at, 9);
        EXPECT_THAT(text, ::testing::Not(HasSubstr("nan"))) << name;
        EXPECT_THAT(text, ::testing::Not(HasSubstr("inf"))) << name;
    }
}

TEST_F(ReportTest, IdenticalResultsGiveIdenticalBytes) { EXPECT_EQ(outputs(), outputs()); }

TEST_F(ReportTest, NumbersRoundTrip) {
    const std::string json = outputs().at("summary.json");
    EXPECT_THAT(json, HasSubstr("\"2031\": 0.6666666666666666"));
    const std::string paths = outputs().at("paths.csv");
    EXPECT_THAT(paths, HasSubstr(",0.3333333333333333,"));
}

TEST_F(ReportTest, RunFilesAndPerPath) {
    EXPECT_THAT(keys(ordered_json(outputs(false))),
                ElementsAre("cap_curve.csv", "fund_bands.csv", "summary.json", "terms.json"));
    EXPECT_TRUE(outputs(true).contains("paths.csv"));
}

TEST(Csv, QuotesOnlyWhenNeeded) {
    EXPECT_EQ(csv_field("plain name"), "plain name");
    EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
    EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
    EXPECT_EQ(csv_field(""), "");
}

TEST_F(ReportTest, FundBands) {
    EXPECT_THAT(lines(outputs().at("fund_bands.csv")),
                ElementsAre("deal,year,mean,sd,sem,p5,p25,p50,p75,p95",
                            "capped,2030,3,2,1.1547005383792517,1.2,2,3,4,4.8",
                            "capped,2031,4,2,1.1547005383792517,2.2,3,4,5,5.8",
                            "\"Deal, \"\"quoted\"\"\",2030,3,2,1.1547005383792517,1.2,2,3,4,4.8",
                            "\"Deal, \"\"quoted\"\"\",2031,4,2,1.1547005383792517,2.2,3,4,5,5.8"));
}

TEST_F(ReportTest, CapCurveHasEveryDeal) {
    EXPECT_THAT(lines(outputs().at("cap_curve.csv")),
                ElementsAre("deal,year,cap_reached_probability", "capped,2030,0.3333333333333333",
                            "capped,2031,0.6666666666666666", "\"Deal, \"\"quoted\"\"\",2030,0",
                            "\"Deal, \"\"quoted\"\"\",2031,0"));
}

TEST_F(ReportTest, PathsOneRowPerPathAndDeal) {
    const std::vector<std::string> rows = lines(outputs().at("paths.csv"));
    ASSERT_EQ(rows.size(), 1u + 3 * 2);
    EXPECT_EQ(rows[0],
              "path,deal,host_value,partner_value,in_kind_support_npv,host_contributions,"
              "host_revenue,host_kept,share_ceded,cap_year,host_total_value,partner_net_value");
    EXPECT_EQ(rows[1],
              "0,capped,1000000000,1000000000,1000000000,1000000000,1000000000,"
              "1000000000,0.1,2031,1000000000,1000000000");
    EXPECT_EQ(rows[2],
              "0,\"Deal, \"\"quoted\"\"\",2000000000,2000000000,2000000000,2000000000,"
              "2000000000,2000000000,2000000000,,2000000000,2000000000");
    EXPECT_EQ(rows[3].substr(0, 9), "1,capped,");
    EXPECT_EQ(rows[5],
              "2,capped,3000000000,3000000000,3000000000,3000000000,3000000000,"
              "3000000000,,2030,3000000000,3000000000");
}

TEST_F(ReportTest, RunTable) {
    const std::string table =
        run_table(info, summarize_run(scenario, result), DiscountRates{0.05, 0.035});
    const std::vector<std::string> rows = lines(table);
    ASSERT_EQ(rows.size(), 9u);
    EXPECT_THAT(rows[0], ::testing::MatchesRegex(" +host +partner +host +partner +P\\(cap\\) +cap "
                                                 "year +host gain +partner gain"));
    EXPECT_THAT(rows[1],
                ::testing::MatchesRegex("deal +value +value +total +net +contributions +by "
                                        "2031 +median +\\$ bn ± se +\\$ bn ± se"));
    // No no_deal: the gains are over the first deal. Its paired differences are 1, 2 and 3 bn:
    // mean 2.0, standard error 1/sqrt(3) = 0.58 (two significant figures).
    EXPECT_THAT(rows[2],
                ::testing::MatchesRegex(
                    "capped +2\\.0 +2\\.0 +2\\.0 +2\\.0 +2\\.0 +66\\.7% +2030\\.5 +baseline"));
    EXPECT_THAT(rows[3],
                ::testing::MatchesRegex("Deal, \"quoted\" +4\\.0 +4\\.0 +4\\.0 +4\\.0 "
                                        "+4\\.0 +0\\.0% +- +2\\.0 ± 0\\.58 +2\\.0 ± 0\\.58"));
    EXPECT_THAT(rows[4], HasSubstr("means in $ bn"));
    EXPECT_THAT(rows[4], HasSubstr("in-kind support valued"));
    EXPECT_THAT(rows[5], HasSubstr("reached by 2031"));
    EXPECT_EQ(rows[6],
              "gain = deal - capped, path by path (host_value, partner_value); se: its standard "
              "error");
    EXPECT_EQ(rows[7], "discount rates: the host's values at 5.0% a year, the partner's at 3.5%");
    EXPECT_EQ(rows[8], "3 paths, seed 42, horizon 2 years (2030-2031)");
    // Columns line up: every row's P(cap) ends where the header's does, and the gains' columns
    // (with their two-byte "±") end where their headers do.
    EXPECT_EQ(rows[0].find("P(cap)") + 6, rows[2].find('%') + 1);
    EXPECT_EQ(rows[0].size(), rows[3].size() - 2);  // "±" is two bytes, one column
    for (const std::string& row : rows) EXPECT_LE(row.size(), 120u) << row;
}

TEST(RunTable, SmallValuesWithTwoSignificantFigures) {
    EXPECT_EQ(readable_digits(0.1534), "0.15");
    EXPECT_EQ(readable_digits(-0.0123), "-0.012");
    EXPECT_EQ(readable_digits(0.999), "1.00");
    EXPECT_EQ(readable_digits(12.345), "12.3");
    EXPECT_EQ(readable_digits(0.0), "0.0");
    EXPECT_EQ(readable_digits(0.00012), "0.00012");
}

TEST(CashflowReport, TableInMillionsAndCsvInFull) {
    CashflowYear year;
    year.year = 2031;
    year.production = 1500;
    year.price = 2000.126;
    year.revenue = 3'000'250;
    year.state_revenue = -123'456.789;
    // A shut-in year (MODEL.md 3.3): no output, the shut-in cost as opex, its state said; at war
    // in a free region producing half.
    CashflowYear shut;
    shut.year = 2032;
    shut.price = 900;
    shut.opex = 250'000;
    shut.shut_in = true;
    shut.war = true;
    shut.access = 0.5;
    shut.state = AssetState::shut_in;
    const std::vector<CashflowYear> years{year, shut};

    const std::vector<std::string> table = lines(cashflow_table(years));
    ASSERT_EQ(table.size(), 4u);
    EXPECT_THAT(table[0], ::testing::StartsWith("year  conflict  access"));
    EXPECT_THAT(table[0], ::testing::EndsWith("state revenue"));
    EXPECT_THAT(table[1], HasSubstr("$ m"));
    EXPECT_THAT(table[2], ::testing::StartsWith("2031"));
    EXPECT_THAT(table[2], HasSubstr(" peace "));
    EXPECT_THAT(table[2], HasSubstr(" producing "));
    EXPECT_THAT(table[2], HasSubstr(" 1500.0 "));
    EXPECT_THAT(table[2], HasSubstr(" 2000.13 "));
    EXPECT_THAT(table[2], HasSubstr(" 3.0 "));
    EXPECT_THAT(table[2], ::testing::EndsWith(" -0.1"));
    EXPECT_THAT(table[3], ::testing::StartsWith("2032"));
    EXPECT_THAT(table[3], HasSubstr(" war "));
    EXPECT_THAT(table[3], HasSubstr(" 0.50 "));
    EXPECT_THAT(table[3], HasSubstr(" shut in "));
    EXPECT_THAT(table[3], ::testing::EndsWith(" 0.0"));
    EXPECT_EQ(table[0].size(), table[3].size());

    // A stream's table leaves out what a stream has not; a deal column comes last.
    CashflowColumns columns;
    columns.stream = true;
    columns.deal_header = "contribution to v5";
    columns.deal = {2'500'000, 0};
    const std::vector<std::string> streams = lines(cashflow_table(years, columns));
    EXPECT_THAT(streams[0], ::testing::Not(HasSubstr("capex")));
    EXPECT_THAT(streams[0], HasSubstr("producer keeps"));
    EXPECT_THAT(streams[0], ::testing::EndsWith("contribution to v5"));
    EXPECT_THAT(streams[2], ::testing::EndsWith(" 2.5"));

    const std::vector<std::string> csv = lines(cashflow_csv(years));
    ASSERT_EQ(csv.size(), 3u);
    EXPECT_THAT(csv[0], ::testing::StartsWith("year,production,price,revenue,"));
    EXPECT_THAT(csv[0], ::testing::EndsWith(",state_revenue,shut_in,war,access,state"));
    EXPECT_EQ(csv[1],
              "2031,1500,2000.126,3000250,0,0,0,0,0,0,0,0,0,0,0,0,-123456.789,"
              "0,0,1,producing");
    EXPECT_EQ(csv[2], "2032,0,900,0,250000,0,0,0,0,0,0,0,0,0,0,0,0,1,1,0.5,shut_in");
    const std::vector<std::string> with_deal =
        lines(cashflow_csv(years, "deal_contribution", columns.deal));
    EXPECT_THAT(with_deal[0], ::testing::EndsWith(",state,deal_contribution"));
    EXPECT_THAT(with_deal[1], ::testing::EndsWith(",producing,2500000"));
}

// The foot: percentages, $ m, and "not defined".
TEST(CashflowReport, FootSaysWhatIsNotDefined) {
    CashflowMeasures m;
    m.investor_npv = 12'340'000;
    m.irr = 0.1234;
    m.pretax_irr = std::numeric_limits<double>::quiet_NaN();
    m.payback.defined = true;
    m.government_take = 0.5;
    m.aetr = std::numeric_limits<double>::quiet_NaN();
    m.state_revenue_npv = 1e9;
    CashflowFootInfo info;
    info.investor_rate = 0.15;
    info.host_rate = 0.08;
    info.last_year = 2074;
    const std::string foot = cashflow_foot(m, info);
    EXPECT_THAT(foot, HasSubstr("investor NPV at 15.0%:"));
    EXPECT_THAT(foot, HasSubstr("12.3 $ m"));
    EXPECT_THAT(foot, HasSubstr("12.3%"));
    EXPECT_THAT(foot, HasSubstr("not reached by 2074"));
    EXPECT_THAT(foot, HasSubstr("50.0%"));
    EXPECT_THAT(foot, HasSubstr("AETR (NPVs at 8.0%):"));
    EXPECT_THAT(foot, HasSubstr("1000.0 $ m"));
    m.payback.defined = false;
    EXPECT_THAT(cashflow_foot(m, info), HasSubstr("payback year:"));
    EXPECT_THAT(cashflow_foot(m, info), HasSubstr("not defined (the investor's cumulative"));
    m.payback = {true, 2031};
    EXPECT_THAT(cashflow_foot(m, info), HasSubstr("2031"));
}

// A fresh directory under the system's temp directory, removed afterwards.
class AtomicWriteTest : public ::testing::Test {
  protected:
    void SetUp() override {
        root = fs::temp_directory_path() /
               ("nadra-test-" + std::to_string(::getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::remove_all(root);
        fs::create_directories(root);
    }
    void TearDown() override { fs::remove_all(root); }

    static std::string read(const fs::path& path) {
        std::ifstream in(path, std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

    static std::vector<std::string> listing(const fs::path& dir) {
        std::vector<std::string> names;
        for (const auto& entry : fs::directory_iterator(dir)) {
            names.push_back(entry.path().filename().string());
        }
        std::sort(names.begin(), names.end());
        return names;
    }

    fs::path root;
};

TEST_F(AtomicWriteTest, WritesEveryFileAndNoTemps) {
    const fs::path dir = root / "new" / "out";
    write_files_atomically(dir, {{"a.json", "{}\n"}, {"b.csv", "x\n1\n"}});
    EXPECT_THAT(listing(dir), ElementsAre("a.json", "b.csv"));
    EXPECT_EQ(read(dir / "a.json"), "{}\n");
    EXPECT_EQ(read(dir / "b.csv"), "x\n1\n");
}

TEST_F(AtomicWriteTest, ReplacesEarlierFiles) {
    write_files_atomically(root, {{"a.json", "old"}});
    write_files_atomically(root, {{"a.json", "new"}});
    EXPECT_EQ(read(root / "a.json"), "new");
    EXPECT_THAT(listing(root), ElementsAre("a.json"));
}

TEST_F(AtomicWriteTest, DirectoryUnderAFileFails) {
    std::ofstream(root / "file") << "x";
    try {
        write_files_atomically(root / "file" / "out", {{"a.json", "{}"}});
        FAIL() << "no error";
    } catch (const std::runtime_error& error) {
        EXPECT_THAT(error.what(), HasSubstr((root / "file" / "out").string()));
    }
    EXPECT_THAT(listing(root), ElementsAre("file"));
}

TEST_F(AtomicWriteTest, FailedWriteLeavesNothing) {
    // The second file's name is too long for the file system (root can write anywhere, so
    // permissions cannot make the write fail); by then the first is already in a temp file.
    const std::string too_long(300, 'z');
    try {
        write_files_atomically(root, {{"a.json", "{}"}, {too_long, "x"}});
        FAIL() << "no error";
    } catch (const std::runtime_error& error) {
        EXPECT_THAT(error.what(), HasSubstr("cannot create"));
        EXPECT_THAT(error.what(), HasSubstr("too long"));
    }
    EXPECT_TRUE(listing(root).empty());
}

TEST_F(AtomicWriteTest, FailedRenameRemovesFilesAlreadyRenamed) {
    // A non-empty directory where b.csv should go: a.json is renamed in, then b.csv cannot be.
    fs::create_directories(root / "b.csv" / "inside");
    EXPECT_THROW(write_files_atomically(root, {{"a.json", "{}"}, {"b.csv", "x"}}),
                 std::runtime_error);
    EXPECT_THAT(listing(root), ElementsAre("b.csv"));
    EXPECT_TRUE(fs::is_directory(root / "b.csv" / "inside"));
}

TEST_F(AtomicWriteTest, RejectsNamesWithADirectory) {
    EXPECT_THROW(write_files_atomically(root, {{"sub/a.json", "{}"}}), std::invalid_argument);
    EXPECT_THROW(write_files_atomically(root, {{"..", "{}"}}), std::invalid_argument);
    EXPECT_TRUE(listing(root).empty());
}

}  // namespace
}  // namespace nadra
