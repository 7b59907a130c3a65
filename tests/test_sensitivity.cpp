// Tornado and Sobol indices: factors from key patterns, the triangular input distribution, swings
// computed by hand, the Sobol estimator on the Ishigami function (known indices) and on an
// additive scenario (closed-form indices), and thread invariance.
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "analysis/sensitivity.hpp"
#include "analysis_makers.hpp"
#include "scenario_builders.hpp"

namespace nadra {
namespace {

using namespace nadra::test;

TEST(Factors, PatternsMatchWithinAndAcrossKeyParts) {
    EXPECT_TRUE(key_matches("world.projects.*.viability", "world.projects.dobra.viability"));
    EXPECT_FALSE(key_matches("world.projects.*.viability", "world.projects.a.b.viability"));
    EXPECT_TRUE(key_matches("world.**.viability", "world.projects.a.b.viability"));
    EXPECT_TRUE(key_matches("world.conflict.end_hazard", "world.conflict.end_hazard"));
    EXPECT_FALSE(key_matches("world.conflict.end_hazard", "world.conflict.end_hazards"));
    EXPECT_TRUE(key_matches("*.conflict.*", "world.conflict.renew_hazard"));
    EXPECT_FALSE(key_matches("", "world"));
}

TEST(Factors, DefaultGroupsNamedEntitiesByKind) {
    const std::vector<UncertainInput> inputs{
        {"world.projects.a.viability", 0.5, 0.2, 0.8},
        {"world.conflict.end_hazard", 0.2, 0.1, 0.3},
        {"world.projects.b.viability", 0.4, 0.1, 0.6},
        {"world.commodities.gas.level", 300, 200, 400},
        {"world.regions.east.war_disruption", 0.1, 0, 0.2},
    };
    const auto grouped = make_factors(inputs, {}, false);
    ASSERT_EQ(grouped.size(), 4u);
    EXPECT_EQ(grouped[0].name, "world.projects.*.viability");
    EXPECT_EQ(grouped[0].inputs.size(), 2u);
    EXPECT_EQ(grouped[1].name, "world.conflict.end_hazard");
    EXPECT_EQ(grouped[2].name, "world.commodities.gas.level");  // commodities stay apart
    EXPECT_EQ(grouped[3].name, "world.regions.*.war_disruption");
    EXPECT_EQ(make_factors(inputs, {}, true).size(), 5u);
    const auto chosen = make_factors(inputs, {"world.conflict.*", "**.viability"}, false);
    ASSERT_EQ(chosen.size(), 2u);
    EXPECT_EQ(chosen[0].inputs.size(), 1u);
    EXPECT_EQ(chosen[1].inputs.size(), 2u);
    EXPECT_THROW(make_factors(inputs, {"world.nothing"}, false), VariantError);
}

TEST(Triangular, QuantilesHitTheEndsTheModeAndTheMean) {
    const UncertainInput x{"k", 0.3, 0.1, 0.9};
    EXPECT_DOUBLE_EQ(triangular_quantile(x, 0), 0.1);
    EXPECT_DOUBLE_EQ(triangular_quantile(x, 1), 0.9);
    EXPECT_NEAR(triangular_quantile(x, 0.25), 0.3, 1e-15);  // F(mode) = (c - a) / (b - a)
    // Mean over a fine grid of u: (a + b + c) / 3.
    double sum = 0;
    const int n = 200'000;
    for (int i = 0; i < n; ++i) sum += triangular_quantile(x, (i + 0.5) / n);
    EXPECT_NEAR(sum / n, (0.1 + 0.3 + 0.9) / 3, 1e-6);
    EXPECT_DOUBLE_EQ(triangular_quantile({"k", 2, 2, 2}, 0.7), 2);
}

// Deterministic world, T = 10: stream 0 pays royalty 0.1 x 100 x V a year; "deal" takes 20% into
// a fund owned half by the partner that pays everything out every year. Host value = T 10 V
// (1 - 0.5 x 0.2) = 90 V; partner value = T 0.5 x 0.2 x 10 V discounted at the partner's rate.
Scenario tornado_world() {
    Scenario s = deterministic_world(10);
    add_stream(s, make_stream(0, 0, 1e6, 0.1));
    add_deal(s, make_deal("no_deal", 0.0));
    Deal d = make_deal("deal", 0.2);
    d.partner_share = 0.5;
    add_deal(s, d);
    s.uncertain_inputs = {{"world.partner.discount_rate", 0, 0, 0.1},
                          {"world.streams.0.volume", 1e6, 5e5, 2e6}};
    return s;
}

SensitivityOptions sensitivity_options(Output output, std::int64_t paths = 1, int threads = 1) {
    SensitivityOptions o;
    o.deal = "deal";
    o.baseline = "no_deal";
    o.output = output;
    o.cap_by_year = start_year + 9;
    o.run = run_options(paths, 3, threads);
    return o;
}

TEST(Tornado, SwingsMatchTheHandComputationAndSortByTheOutput) {
    const Scenario world = tornado_world();
    const auto factors = make_factors(world.uncertain_inputs, {}, true);
    const TornadoResult r =
        tornado(maker_of(world), factors, sensitivity_options(Output::host_value));
    ASSERT_EQ(r.bars.size(), 2u);
    EXPECT_NEAR(r.base.at(Output::host_value).mean, 90e6, 1e-6);
    // Volume moves host value; the partner's discount rate does not, so it sorts second.
    EXPECT_EQ(r.bars[0].factor.name, "world.streams.0.volume");
    EXPECT_NEAR(r.bars[0].low.at(Output::host_value).mean, 90 * 5e5, 1e-6);
    EXPECT_NEAR(r.bars[0].high.at(Output::host_value).mean, 90 * 2e6, 1e-6);
    EXPECT_NEAR(r.bars[0].swing[2].mean, 90 * 1.5e6, 1e-6);  // all_outputs()[2] is host_value
    EXPECT_EQ(r.bars[1].factor.name, "world.partner.discount_rate");
    EXPECT_NEAR(r.bars[1].swing[2].mean, 0, 1e-9);
    // The partner's value at its rate's ends: 1e6 a year, undiscounted and at 10%.
    EXPECT_NEAR(r.bars[1].low.at(Output::partner_value).mean, 1e7, 1e-6);
    EXPECT_NEAR(r.bars[1].high.at(Output::partner_value).mean,
                npv(std::vector<double>(10, 1e6), 0.1), 1e-6);
    // Sorted by partner value instead, the discount rate comes first.
    const TornadoResult by_partner =
        tornado(maker_of(world), factors, sensitivity_options(Output::partner_value));
    EXPECT_EQ(by_partner.bars[0].factor.name, "world.streams.0.volume");  // 1.5e7 > 3.86e6
    EXPECT_NEAR(by_partner.bars[1].swing[3].mean, npv(std::vector<double>(10, 1e6), 0.1) - 1e7,
                1e-6);
}

// Ishigami: f = sin x1 + a sin^2 x2 + b x3^4 sin x1 on [-pi, pi]^3, a = 7, b = 0.1; its indices
// are known in closed form (Ishigami & Homma 1990; Saltelli et al. 2008, 4.6):
// S1 = 0.3139, S2 = 0.4424, S3 = 0; ST1 = 0.5576, ST2 = 0.4424, ST3 = 0.2437.
TEST(Sobol, IshigamiIndicesWithinTolerance) {
    const UnitModel ishigami = [](const std::vector<std::vector<double>>& points,
                                  std::vector<double>& out) {
        for (std::size_t p = 0; p < points.size(); ++p) {
            const auto x = [&](int i) {
                return -std::numbers::pi +
                       2 * std::numbers::pi * points[p][static_cast<std::size_t>(i)];
            };
            out[p] = std::sin(x(0)) + 7 * std::pow(std::sin(x(1)), 2) +
                     0.1 * std::pow(x(2), 4) * std::sin(x(0));
        }
    };
    SobolSettings settings;
    settings.samples = 50'000;
    settings.bootstrap = 100;
    const SobolEstimate e = sobol_indices(ishigami, {"x1", "x2", "x3"}, {{0}, {1}, {2}}, settings);
    const double first[] = {0.3139, 0.4424, 0.0};
    const double total[] = {0.5576, 0.4424, 0.2437};
    // Tolerance 0.03: about 4 standard errors of these estimators at N = 50,000.
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_NEAR(e.indices[i].first, first[i], 0.03) << i;
        EXPECT_NEAR(e.indices[i].total, total[i], 0.03) << i;
        EXPECT_LE(e.indices[i].first_low, e.indices[i].first);
        EXPECT_GE(e.indices[i].first_high, e.indices[i].first);
        EXPECT_LE(e.indices[i].total_low, e.indices[i].total);
        EXPECT_GE(e.indices[i].total_high, e.indices[i].total);
        EXPECT_LT(e.indices[i].total_high - e.indices[i].total_low, 0.05) << i;
    }
    // V = a^2 / 8 + b pi^4 / 5 + b^2 pi^8 / 18 + 1 / 2.
    const double pi4 = std::pow(std::numbers::pi, 4);
    EXPECT_NEAR(e.variance, 49.0 / 8 + 0.1 * pi4 / 5 + 0.01 * pi4 * pi4 / 18 + 0.5, 0.3);
}

// Host value = 90 (V0 + V1): additive, so first-order and total indices agree and equal
// Var(V_i) / (Var V0 + Var V1), triangular variance (a^2 + b^2 + c^2 - ab - ac - bc) / 18.
TEST(Sobol, AdditiveScenarioHasClosedFormIndices) {
    Scenario world = tornado_world();
    add_stream(world, make_stream(0, 0, 1e6, 0.1));
    world.uncertain_inputs = {{"world.streams.0.volume", 1e6, 5e5, 2e6},
                              {"world.streams.1.volume", 1e6, 0, 1.5e6}};
    const auto variance = [](double a, double c, double b) {
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
    };
    const double v0 = variance(5e5, 1e6, 2e6), v1 = variance(0, 1e6, 1.5e6);
    SobolSettings settings;
    settings.samples = 4096;
    settings.bootstrap = 50;
    const auto factors = make_factors(world.uncertain_inputs, {}, true);
    const SobolResult r =
        sobol(maker_of(world), factors, sensitivity_options(Output::host_value), settings);
    ASSERT_EQ(r.estimate.indices.size(), 2u);
    // Tolerance 0.05: several standard errors at N = 4096 for indices of this size.
    EXPECT_NEAR(r.estimate.indices[0].first, v0 / (v0 + v1), 0.05);
    EXPECT_NEAR(r.estimate.indices[1].first, v1 / (v0 + v1), 0.05);
    EXPECT_NEAR(r.estimate.indices[0].total, v0 / (v0 + v1), 0.05);
    EXPECT_NEAR(r.estimate.indices[1].total, v1 / (v0 + v1), 0.05);
    EXPECT_NEAR(r.estimate.variance, 90.0 * 90.0 * (v0 + v1), 0.1 * 8100 * (v0 + v1));
}

TEST(Sensitivity, TornadoAndSobolAreIdenticalAtAnyThreadCount) {
    Scenario world = tornado_world();
    world.world.commodities[0].sigma = 0.3;
    const auto factors = make_factors(world.uncertain_inputs, {}, false);
    const TornadoResult t1 =
        tornado(maker_of(world), factors, sensitivity_options(Output::host_gain, 200, 1));
    const TornadoResult t2 =
        tornado(maker_of(world), factors, sensitivity_options(Output::host_gain, 200, 2));
    for (std::size_t i = 0; i < t1.bars.size(); ++i) {
        for (std::size_t o = 0; o < t1.bars[i].swing.size(); ++o) {
            const Estimate a = t1.bars[i].swing[o], b = t2.bars[i].swing[o];
            if (std::isnan(a.mean) && std::isnan(b.mean)) continue;  // cap_year: no cap here
            EXPECT_EQ(a.mean, b.mean);
            EXPECT_EQ(a.se, b.se);
        }
    }
    EXPECT_GT(t1.bars[0].swing[0].se, 0.0);  // random world: the comparison has teeth
    SobolSettings settings;
    settings.samples = 16;
    settings.bootstrap = 20;
    const SobolResult s1 =
        sobol(maker_of(world), factors, sensitivity_options(Output::host_gain, 200, 1), settings);
    const SobolResult s2 =
        sobol(maker_of(world), factors, sensitivity_options(Output::host_gain, 200, 2), settings);
    for (std::size_t i = 0; i < s1.estimate.indices.size(); ++i) {
        EXPECT_EQ(s1.estimate.indices[i].first, s2.estimate.indices[i].first);
        EXPECT_EQ(s1.estimate.indices[i].total_high, s2.estimate.indices[i].total_high);
    }
}

}  // namespace
}  // namespace nadra
