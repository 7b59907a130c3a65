// Statistical checks of the random drivers (MODEL.md 3): sample means over many paths against
// their closed forms. Every tolerance is 4 standard errors of the sample mean (a false alarm
// about once in 16,000 runs for each check; the seeds are fixed, so a run is reproducible).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "scenario_builders.hpp"

namespace nadra {
namespace {

struct Sample {
    double mean = 0, sd = 0;
    [[nodiscard]] double se() const { return sd / std::sqrt(static_cast<double>(n)); }
    std::size_t n = 0;
};

Sample sample(const std::vector<double>& v) {
    Sample s;
    s.n = v.size();
    for (double x : v) s.mean += x;
    s.mean /= static_cast<double>(v.size());
    for (double x : v) s.sd += (x - s.mean) * (x - s.mean);
    s.sd = std::sqrt(s.sd / static_cast<double>(v.size() - 1));
    return s;
}

// Expect |mean - expected| <= 4 SE.
void expect_mean(const std::vector<double>& v, double expected, const char* what) {
    const Sample s = sample(v);
    EXPECT_NEAR(s.mean, expected, 4 * s.se())
        << what << ": mean " << s.mean << " sd " << s.sd << " n " << s.n;
}

// Observing prices: a stream of volume 1 with royalty 100% yields host revenue = price.
Scenario price_world(int horizon, double drift, double sigma, double kappa, double level) {
    Scenario s = test::deterministic_world(horizon);
    Commodity& c = s.world.commodities[0];
    c.drift = drift;
    c.sigma = sigma;
    c.kappa = kappa;
    c.level = level;
    test::add_stream(s, test::make_stream(0, 0, 1.0, 1.0));
    test::add_deal(s, test::make_deal("d", 0.0));
    return s;
}

// kappa 0: E[price(t)] = price0 exp(g t + sigma^2 t / 2) = 100 exp(0.03 t + 0.02 t) for
// sigma 0.2; 20,000 paths, checked in years 1, 5 and 9; year 0 is price0 exactly.
TEST(EngineStatistics, RandomWalkPriceMean) {
    const Scenario s = price_world(10, 0.03, 0.2, 0.0, 100.0);
    const int n = 20000;
    std::vector<std::vector<double>> by_year(10);
    for (std::int64_t path = 0; path < n; ++path) {
        const PathLedger l = ledger_for_path(s, 0, 2024, path);
        for (std::size_t t = 0; t < 10; ++t) by_year[t].push_back(l.years[t].host_revenue);
    }
    // x(0) = ln(price0): year 0 is price0 (to rounding of exp(ln 100)) on every path
    EXPECT_DOUBLE_EQ(by_year[0][0], 100.0);
    EXPECT_DOUBLE_EQ(by_year[0][n - 1], 100.0);
    for (int t : {1, 5, 9}) {
        const double td = t;
        expect_mean(by_year[static_cast<std::size_t>(t)], 100 * std::exp(0.03 * td + 0.02 * td),
                    "price");
    }
    // the log price has sd sigma sqrt(t): at t = 9, 0.6
    std::vector<double> logs;
    for (double p : by_year[9]) logs.push_back(std::log(p));
    const Sample ls = sample(logs);
    EXPECT_NEAR(ls.mean, std::log(100.0) + 0.27, 4 * ls.se());
    // sd of a sample sd of n normals is about sigma / sqrt(2 n): 0.6 / 200 = 0.003
    EXPECT_NEAR(ls.sd, 0.6, 4 * 0.003);
}

// Mean reversion with sigma 0: x(t+1) = x(t) + g + kappa (m(t) - x(t)), m(t) = ln(level) + g t.
// price0 100, level 150, g 0.02, kappa 0.3, followed year by year.
TEST(EngineStatistics, MeanReversionBasePathRecursion) {
    const Scenario s = price_world(8, 0.02, 0.0, 0.3, 150.0);
    const PathLedger l = ledger_for_path(s, 0, 1, 0);
    double x = std::log(100.0);
    for (std::size_t t = 0; t < 8; ++t) {
        SCOPED_TRACE(t);
        EXPECT_NEAR(l.years[t].host_revenue, std::exp(x), 1e-9 * std::exp(x));
        const double m = std::log(150.0) + 0.02 * static_cast<double>(t);
        x = x + 0.02 + 0.3 * (m - x);
    }
}

// Starting on the target path (price0 = level), E[ln price(t)] = m(t) = ln(level) + g t for any
// kappa: x(t+1) - m(t+1) = (1 - kappa)(x(t) - m(t)) + sigma e(t).
TEST(EngineStatistics, MeanReversionStaysCentredOnTarget) {
    const Scenario s = price_world(6, 0.01, 0.3, 0.4, 100.0);
    std::vector<double> logs;
    for (std::int64_t path = 0; path < 20000; ++path) {
        logs.push_back(std::log(ledger_for_path(s, 0, 77, path).years[5].host_revenue));
    }
    expect_mean(logs, std::log(100.0) + 0.05, "ln price(5)");
}

// Two commodities with shock correlation 0.6: the sample correlation of ln price(1) over 20,000
// paths is within 4 * (1 - 0.36) / sqrt(20000) = 0.018 of 0.6.
TEST(EngineStatistics, CorrelatedPriceShocks) {
    Scenario s = test::deterministic_world(2);
    s.world.commodities[0].sigma = 0.2;
    test::add_commodity(s, "gas", 50.0, 0.0, 0.3);
    s.world.correlation = {1.0, 0.6, 0.6, 1.0};
    test::add_stream(s, test::make_stream(0, 0, 1.0, 1.0));
    test::add_stream(s, test::make_stream(1, 0, 1.0, 1.0));
    Deal a = test::make_deal("ore", 0.0);
    a.scope.commodities = {0};
    test::add_deal(s, a);
    Deal b = test::make_deal("gas", 0.0);
    b.scope.commodities = {1};
    test::add_deal(s, b);
    std::vector<double> x, y;
    for (std::int64_t path = 0; path < 20000; ++path) {
        x.push_back(std::log(ledger_for_path(s, 0, 5, path).years[1].scoped_revenue));
        y.push_back(std::log(ledger_for_path(s, 1, 5, path).years[1].scoped_revenue));
    }
    const Sample sx = sample(x), sy = sample(y);
    double cov = 0;
    for (std::size_t i = 0; i < x.size(); ++i) cov += (x[i] - sx.mean) * (y[i] - sy.mean);
    cov /= static_cast<double>(x.size() - 1);
    EXPECT_NEAR(cov / (sx.sd * sy.sd), 0.6, 0.018);
    EXPECT_NEAR(sx.sd, 0.2, 4 * 0.2 / 200);
    EXPECT_NEAR(sy.sd, 0.3, 4 * 0.3 / 200);
}

// Fund returns: ln(1 + r) ~ N(0.04, 0.15), so E[1 + r] = exp(0.04 + 0.15^2 / 2). Fund initial
// 100, nothing paid in, locked for the whole horizon: r(t) = fund_return(t) / F(t), F(0) = 100,
// F(t) = fund_balance(t - 1). Checked in years 0 and 3.
TEST(EngineStatistics, FundReturnMean) {
    Scenario s = test::deterministic_world(4);
    s.world.fund.initial = 100;
    s.world.fund.return_mean = 0.04;
    s.world.fund.return_sigma = 0.15;
    Deal d = test::make_deal("locked", 0.0);
    d.lock_years = 4;
    test::add_deal(s, d);
    std::vector<double> g0, g3, log3;
    for (std::int64_t path = 0; path < 20000; ++path) {
        const PathLedger l = ledger_for_path(s, 0, 3, path);
        g0.push_back(1 + l.years[0].fund_return / 100.0);
        g3.push_back(1 + l.years[3].fund_return / l.years[2].fund_balance);
        log3.push_back(std::log(g3.back()));
    }
    const double expected = std::exp(0.04 + 0.15 * 0.15 / 2);
    expect_mean(g0, expected, "1 + r(0)");
    expect_mean(g3, expected, "1 + r(3)");
    expect_mean(log3, 0.04, "ln(1 + r(3))");
    EXPECT_NEAR(sample(log3).sd, 0.15, 4 * 0.15 / 200);
}

// Viability 0.3: the fraction of paths on which the project starts (host revenue from its
// royalty > 0) is 0.3 within 4 sqrt(0.3 * 0.7 / 20000) = 0.0130.
TEST(EngineStatistics, ViabilityFraction) {
    Scenario s = test::deterministic_world(3);
    s.world.regimes[0] = test::concession(0.10);
    Project p = test::make_project(0, 0, 0, 10.0, 100.0, 0.0, 0.0, 1.0, 0);
    p.viability = 0.3;
    test::add_project(s, p);
    test::add_deal(s, test::make_deal("d", 0.0));
    const std::int64_t n = 20000;
    const SimulationResult r = simulate(s, test::run_options(n, 11, 2));
    double started = 0;
    for (double v : r.deals[0].host_revenue) started += v > 0 ? 1.0 : 0.0;
    EXPECT_NEAR(started / static_cast<double>(n), 0.3, 4 * std::sqrt(0.3 * 0.7 / 20000.0));
}

// Lead time triangular(0, 1, 4), rounded half up. With capex and opex 0 the project starts in
// year 0 and pays royalty 50 (50% of 1 * 100) in every year from first production L, so over a
// horizon of 8 at discount rate 0 host revenue = 50 (8 - L). With F the triangle's CDF
// (F(x) = x^2 / 4 for x <= 1, 1 - (4 - x)^2 / 12 above), P(L = k) = F(k + 0.5) - F(k - 0.5):
// 0.0625, 0.416667, 0.333333, 0.166667, 0.020833.
TEST(EngineStatistics, LeadTimeTriangularRounded) {
    Scenario s = test::deterministic_world(8);
    s.world.regimes[0] = test::concession(0.5);
    Project p = test::make_project(0, 0, 0, 1.0, 100.0, 0.0, 0.0, 0.0, 0);
    p.lead_time = Triangular{0.0, 1.0, 4.0};
    test::add_project(s, p);
    test::add_deal(s, test::make_deal("d", 0.0));
    const std::int64_t n = 20000;
    const SimulationResult r = simulate(s, test::run_options(n, 13, 2));
    std::vector<double> count(5, 0.0);
    for (double v : r.deals[0].host_revenue) {
        const double lead = 8 - v / 50;
        const long k = std::lround(lead);
        ASSERT_NEAR(lead, static_cast<double>(k), 1e-9);
        ASSERT_GE(k, 0);
        ASSERT_LE(k, 4);
        count[static_cast<std::size_t>(k)] += 1;
    }
    const auto cdf = [](double x) {
        if (x <= 0) return 0.0;
        if (x <= 1) return x * x / 4;
        if (x >= 4) return 1.0;
        return 1 - (4 - x) * (4 - x) / 12;
    };
    for (int k = 0; k <= 4; ++k) {
        const double pk = cdf(k + 0.5) - cdf(k - 0.5);
        EXPECT_NEAR(count[static_cast<std::size_t>(k)] / static_cast<double>(n), pk,
                    4 * std::sqrt(pk * (1 - pk) / static_cast<double>(n)))
            << "lead time " << k;
    }
}

// Capex multiplier lognormal with median 1 and sigma 0.3: E = exp(0.045). Observed as the capex
// of path k's cash flow (capex 1000, lead 1, paid in year 0), over 4,000 paths.
TEST(EngineStatistics, CapexMultiplierLognormal) {
    Scenario s = test::deterministic_world(3);
    Project p = test::make_project(0, 0, 0, 100.0, 1000.0, 1000.0, 0.0, 1.0, 0);
    p.capex_sigma = 0.3;
    test::add_project(s, p);
    std::vector<double> m, logs;
    for (std::int64_t path = 0; path < 4000; ++path) {
        CashflowOptions o;
        o.base = false;
        o.seed = 8;
        o.path = path;
        double capex = 0;
        for (const auto& row : project_cashflow(s, 0, o)) capex += row.capex;
        if (capex <= 0) continue;  // did not start: the test below notices a shortfall
        m.push_back(capex / 1000.0);
        logs.push_back(std::log(m.back()));
    }
    ASSERT_GT(m.size(), 3900U);
    expect_mean(m, std::exp(0.045), "capex multiplier");
    expect_mean(logs, 0.0, "ln capex multiplier");
}

// Support continuation 0.7: support is paid in year t with probability 0.7^t (year 0 always).
// In-kind 10 a year at partner rate 0: E[in_kind_support_npv] = 10 * sum_{t<6} 0.7^t.
TEST(EngineStatistics, SupportContinuationProbability) {
    Scenario s = test::deterministic_world(6);
    Deal d = test::make_deal("d", 0.0);
    d.partner_support.in_kind = {10.0};
    d.partner_support.continuation_probability = 0.7;
    test::add_deal(s, d);
    const SimulationResult r = simulate(s, test::run_options(20000, 17, 2));
    double expected = 0;
    for (int t = 0; t < 6; ++t) expected += 10 * std::pow(0.7, t);
    expect_mean(r.deals[0].in_kind_support_npv, expected, "in-kind NPV");
}

// War ends with probability 0.3 a year (no renewal): the frontline stream produces 100 in peace
// years, so at discount rate 0, E[host revenue] = 100 sum_{t<6} (1 - 0.7^t). Liberation 0.4 of an
// occupied region at the war's end: E = 100 * 0.4 * sum_{t<6} (1 - 0.7^t).
TEST(EngineStatistics, WarEndAndLiberationFrequencies) {
    Scenario s = test::deterministic_world(6);
    s.world.conflict.initial_war = true;
    s.world.conflict.end_hazard = {0.3};
    s.world.conflict.liberation_probability = 0.4;
    const int front = test::add_region(s, "front", RegionStatus::frontline);
    const int occ = test::add_region(s, "occupied", RegionStatus::occupied);
    test::add_stream(s, test::make_stream(0, front, 1.0, 1.0));
    const int gas = test::add_commodity(s, "gas", 100.0);
    test::add_stream(s, test::make_stream(gas, occ, 1.0, 1.0));
    Deal a = test::make_deal("front", 0.0);
    a.scope.commodities = {0};
    test::add_deal(s, a);
    const SimulationResult r = simulate(s, test::run_options(20000, 19, 2));
    double peace_years = 0;
    for (int t = 0; t < 6; ++t) peace_years += 1 - std::pow(0.7, t);
    std::vector<double> front_revenue, occupied_revenue;
    for (std::int64_t path = 0; path < 20000; path += 4) {
        const PathLedger l = ledger_for_path(s, 0, 19, path);
        double f = 0, o = 0;
        for (const auto& y : l.years) {
            f += y.scoped_revenue;
            o += y.host_revenue - y.scoped_revenue;
        }
        front_revenue.push_back(f);
        occupied_revenue.push_back(o);
        EXPECT_NEAR(r.deals[0].host_revenue[static_cast<std::size_t>(path)], f + o, 1e-9);
    }
    expect_mean(front_revenue, 100 * peace_years, "frontline revenue");
    expect_mean(occupied_revenue, 40 * peace_years, "occupied revenue");
}

}  // namespace
}  // namespace nadra
