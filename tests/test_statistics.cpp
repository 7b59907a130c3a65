// Statistics over paths (analysis/statistics.hpp). Expected numbers are worked by hand; the
// percentiles are numpy.percentile's defaults (linear, Hyndman-Fan type 7) for the same values.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

#include "analysis/statistics.hpp"

namespace nadra {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

TEST(Summarize, OneToFive) {
    const std::vector<double> values{1, 2, 3, 4, 5};
    const Stats s = summarize(values);
    EXPECT_EQ(s.count, 5);
    EXPECT_DOUBLE_EQ(s.mean, 3);
    EXPECT_DOUBLE_EQ(s.sd, std::sqrt(2.5));  // sum of squares 10, over n - 1 = 4
    EXPECT_DOUBLE_EQ(s.sem, std::sqrt(2.5) / std::sqrt(5.0));
    EXPECT_DOUBLE_EQ(s.p5, 1.2);  // rank 0.2
    EXPECT_DOUBLE_EQ(s.p25, 2);
    EXPECT_DOUBLE_EQ(s.p50, 3);
    EXPECT_DOUBLE_EQ(s.p75, 4);
    EXPECT_DOUBLE_EQ(s.p95, 4.8);  // rank 3.8
}

TEST(Summarize, InterpolatesLikeNumpy) {
    // numpy.percentile([40, 10, 30, 20], [5, 25, 50, 75, 95]) = [11.5, 17.5, 25, 32.5, 38.5]
    const std::vector<double> values{40, 10, 30, 20};
    const Stats s = summarize(values);
    EXPECT_DOUBLE_EQ(s.p5, 11.5);
    EXPECT_DOUBLE_EQ(s.p25, 17.5);
    EXPECT_DOUBLE_EQ(s.p50, 25);
    EXPECT_DOUBLE_EQ(s.p75, 32.5);
    EXPECT_DOUBLE_EQ(s.p95, 38.5);
}

TEST(Summarize, LeavesOutNaN) {
    const std::vector<double> values{nan, 5, 1, nan, 3, 2, 4};
    const Stats s = summarize(values);
    EXPECT_EQ(s.count, 5);
    EXPECT_DOUBLE_EQ(s.mean, 3);
    EXPECT_DOUBLE_EQ(s.sd, std::sqrt(2.5));
    EXPECT_DOUBLE_EQ(s.p5, 1.2);
}

TEST(Summarize, OneValueHasNoSpread) {
    const std::vector<double> values{7};
    const Stats s = summarize(values);
    EXPECT_EQ(s.count, 1);
    EXPECT_EQ(s.mean, 7);
    EXPECT_EQ(s.sd, 0);
    EXPECT_EQ(s.sem, 0);
    EXPECT_EQ(s.p5, 7);
    EXPECT_EQ(s.p95, 7);
}

TEST(Summarize, NoValuesGivesZeros) {
    for (const std::vector<double>& values : {std::vector<double>{}, std::vector<double>{nan}}) {
        const Stats s = summarize(values);
        EXPECT_EQ(s.count, 0);
        EXPECT_EQ(s.mean, 0);
        EXPECT_EQ(s.sd, 0);
        EXPECT_EQ(s.p50, 0);
    }
}

TEST(Summarize, IsDeterministic) {
    std::vector<double> values;
    for (int i = 0; i < 1000; ++i) values.push_back(std::sin(i) * 1e9 + 0.1 * i);
    const Stats a = summarize(values);
    const Stats b = summarize(values);
    EXPECT_EQ(a.mean, b.mean);
    EXPECT_EQ(a.sd, b.sd);
    EXPECT_EQ(a.p5, b.p5);
}

TEST(Metrics, NamesInReportOrder) {
    EXPECT_EQ(metric_names(), (std::vector<std::string>{
                                  "host_value", "partner_value", "in_kind_support_npv",
                                  "host_contributions", "host_revenue", "host_kept", "share_ceded",
                                  "cap_year", "host_total_value", "partner_net_value"}));
}

TEST(Metrics, ValuesByName) {
    DealPaths deal;
    deal.host_kept = {1, 2};
    deal.cap_year = {2030, nan};
    EXPECT_EQ(metric_values(deal, "host_kept").data(), deal.host_kept.data());
    EXPECT_EQ(metric_values(deal, "cap_year").data(), deal.cap_year.data());
    EXPECT_THROW(metric_values(deal, "host_kep"), std::invalid_argument);
}

// Three deals, four paths, four years from 2030.
class RunSummaryTest : public ::testing::Test {
  protected:
    void SetUp() override {
        scenario.start_year = 2030;
        scenario.horizon = 4;
        for (const char* name : {"A", "B", "C"}) {
            Deal deal;
            deal.name = name;
            scenario.deals.push_back(deal);
        }
        result.paths = 4;
        result.horizon = 4;
        for (int d = 0; d < 3; ++d) result.deals.push_back(deal_paths(d));
        result.deals[0].host_value = {1, 2, 3, 4};
        result.deals[1].host_value = {4, 3, 2, 1};
        result.deals[0].cap_year = {2031, nan, 2030, 2033};
    }

    static DealPaths deal_paths(int index) {
        DealPaths deal;
        deal.deal = index;
        const std::vector<double> zeros(4, 0.0);
        deal.host_value = deal.partner_value = deal.in_kind_support_npv = zeros;
        deal.host_contributions = deal.host_revenue = deal.host_kept = deal.share_ceded = zeros;
        deal.host_total_value = deal.partner_net_value = zeros;
        deal.cap_year.assign(4, nan);
        return deal;
    }

    Scenario scenario;
    SimulationResult result;
};

TEST_F(RunSummaryTest, NamesDealsInRunOrder) {
    std::swap(result.deals[0], result.deals[2]);
    const RunSummary run = summarize_run(scenario, result);
    ASSERT_EQ(run.deals.size(), 3u);
    EXPECT_EQ(run.deals[0].name, "C");
    EXPECT_EQ(run.deals[2].name, "A");
    EXPECT_EQ(run.differences[0].a, "C");
    EXPECT_EQ(run.differences[0].b, "B");
}

TEST_F(RunSummaryTest, CapYearOverPathsThatReachIt) {
    const Stats cap = summarize_run(scenario, result).deals[0].metrics.at("cap_year");
    EXPECT_EQ(cap.count, 3);
    EXPECT_DOUBLE_EQ(cap.mean, (2031.0 + 2030 + 2033) / 3);
    EXPECT_DOUBLE_EQ(cap.p50, 2031);
}

TEST_F(RunSummaryTest, CapCurveIsShareOfAllPaths) {
    const RunSummary run = summarize_run(scenario, result);
    EXPECT_EQ(run.deals[0].cap_reached_probability, (std::vector<double>{0.25, 0.5, 0.5, 0.75}));
    EXPECT_EQ(run.deals[1].cap_reached_probability, (std::vector<double>{0, 0, 0, 0}));
    EXPECT_EQ(run.deals[1].metrics.at("cap_year").count, 0);
}

TEST_F(RunSummaryTest, CapCurveCountsEarlyYearsFirstAndLateYearsNever) {
    result.deals[0].cap_year = {2029, 2034, nan, 2032};
    const RunSummary run = summarize_run(scenario, result);
    EXPECT_EQ(run.deals[0].cap_reached_probability, (std::vector<double>{0.25, 0.25, 0.5, 0.5}));
}

TEST_F(RunSummaryTest, FundBalanceBandsPerYear) {
    // Path-major: path 0 is {1, 2, 3, 4}, path 1 {3, 4, 5, 6}, ...
    result.deals[0].fund_balance = {1, 2, 3, 4, 3, 4, 5, 6, 5, 6, 7, 8, 7, 8, 9, 10};
    const RunSummary run = summarize_run(scenario, result);
    const std::vector<Stats>& bands = run.deals[0].fund_balance;
    ASSERT_EQ(bands.size(), 4u);
    EXPECT_DOUBLE_EQ(bands[0].mean, 4);   // 1, 3, 5, 7
    EXPECT_DOUBLE_EQ(bands[3].mean, 7);   // 4, 6, 8, 10
    EXPECT_DOUBLE_EQ(bands[3].p25, 5.5);  // rank 0.75
    EXPECT_TRUE(run.deals[1].fund_balance.empty());
}

TEST_F(RunSummaryTest, FundBalanceOfWrongSizeThrows) {
    result.deals[0].fund_balance = {1, 2, 3};
    EXPECT_THROW(summarize_run(scenario, result), std::invalid_argument);
}

TEST_F(RunSummaryTest, DifferencesArePairedPerPath) {
    const RunSummary run = summarize_run(scenario, result);
    ASSERT_EQ(run.differences.size(), 3u);
    EXPECT_EQ(run.differences[0].a, "A");
    EXPECT_EQ(run.differences[0].b, "B");
    EXPECT_EQ(run.differences[1].a, "A");
    EXPECT_EQ(run.differences[1].b, "C");
    EXPECT_EQ(run.differences[2].a, "B");
    EXPECT_EQ(run.differences[2].b, "C");
    // A - B per path is {-3, -1, 1, 3}: mean 0 as unpaired, but the spread is the pairs'.
    const Stats d = run.differences[0].metrics.at("host_value");
    EXPECT_DOUBLE_EQ(d.mean, 0);
    EXPECT_DOUBLE_EQ(d.sd, std::sqrt(20.0 / 3));
    EXPECT_DOUBLE_EQ(d.p5, -2.7);
    EXPECT_EQ(run.differences[0].metrics.count("cap_year"), 0u);
    EXPECT_EQ(run.differences[0].metrics.size(), metric_names().size() - 1);
}

TEST_F(RunSummaryTest, DifferentPathCountsThrow) {
    result.deals[1].host_value.pop_back();
    EXPECT_THROW(summarize_run(scenario, result), std::invalid_argument);
}

}  // namespace
}  // namespace nadra
