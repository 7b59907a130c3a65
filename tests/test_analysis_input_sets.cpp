// The analyses on input sets (MODEL.md 4.3; `nadra sweep`, `breakeven`, `tornado` with
// --sample-inputs K): each variant runs on the K sets of `nadra run --sample-inputs K`, the
// variant's own settings held in every set.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/input_sets.hpp"
#include "analysis/negotiation.hpp"
#include "analysis/sensitivity.hpp"
#include "engine/engine.hpp"
#include "scenario/builtin.hpp"
#include "scenario/load.hpp"
#include "scenario_builders.hpp"

namespace nadra {
namespace {

using namespace test;

// The built-in scenario's maker, as the command line makes it (its files read again with the
// settings as overrides).
Scenario builtin_with(const Settings& settings) {
    Overrides overrides;
    for (const Setting& s : settings) overrides.push_back({s.key, s.value});
    LoadResult loaded = load_scenario_files(builtin_scenario(), builtin_scenario_root, overrides);
    if (!loaded.scenario) throw VariantError(format_error(loaded.errors.at(0)));
    return std::move(*loaded.scenario);
}

const ScenarioMaker builtin_maker = builtin_with;

SampledInputs sampled(const std::vector<std::string>& patterns, std::int64_t count,
                      std::uint64_t seed) {
    return {input_draws(builtin_with({}).uncertain_inputs, patterns), count, seed};
}

const UncertainInput& input_named(const Scenario& s, const std::string& key) {
    for (const UncertainInput& input : s.uncertain_inputs)
        if (input.key == key) return input;
    throw std::logic_error("no uncertain input " + key);
}

// A set's maker draws every sampled input but those the settings set: its scenario runs as the
// one made from the other draws and the setting, not as the one with every draw.
TEST(AnalysisInputSets, SetMakerHoldsTheVariantsOwnSettings) {
    const SampledInputs inputs = sampled({"world.conflict.*"}, 3, 7);
    const Settings draws = input_set_settings(inputs.draws, 7, 1);
    ASSERT_GE(draws.size(), 2u);
    const Setting held{draws[0].key, "0.3"};
    Settings expected(draws.begin() + 1, draws.end());
    expected.push_back(held);
    const auto host_values = [](const Scenario& s) {
        RunOptions run = run_options(64, 7, 1);
        run.deals = {deal_index(s, "v5")};
        return simulate(s, run).deals[0].host_value;
    };
    const std::vector<double> made = host_values(set_maker(builtin_maker, inputs, 1)({held}));
    EXPECT_EQ(made, host_values(builtin_with(expected)));
    EXPECT_NE(made, host_values(builtin_with(draws)));
    EXPECT_NE(made, host_values(builtin_with({held})));
}

// A sweep's variant on K sets equals the deal run with the variant's term set, on the same K
// sets (what `nadra run --set ... --sample-inputs K` runs), to the bit; and the sets change it.
TEST(AnalysisInputSets, SweepVariantIsTheRunOfItsTermsOnTheSameSets) {
    SweepOptions options;
    options.deals = {"v5"};
    options.baseline = "no_deal";
    options.axes = {{"share", {"0.3"}}};
    options.run = run_options(120, 5, 2);
    options.inputs = sampled({}, 4, 5);
    const SweepResult swept = sweep(builtin_maker, options);
    ASSERT_EQ(swept.variants.size(), 1u);

    const Settings term{{"deals.v5.share", "0.3"}};
    const Scenario scenario = builtin_with(term);
    std::vector<Scenario> sets;
    for (std::int64_t k = 0; k < 4; ++k) {
        Settings settings = input_set_settings(options.inputs.draws, 5, k);
        settings.insert(settings.end(), term.begin(), term.end());
        sets.push_back(builtin_with(settings));
    }
    RunOptions run = with_input_sets(options.run, sets);
    run.deals = {deal_index(scenario, "no_deal"), deal_index(scenario, "v5")};
    const SimulationResult direct = simulate(scenario, run);
    const Estimate host = paired_estimate(direct.deals[1].host_value, direct.deals[0].host_value);
    const Estimate partner =
        paired_estimate(direct.deals[1].partner_value, direct.deals[0].partner_value);
    EXPECT_EQ(swept.variants[0].host_gain.mean, host.mean);
    EXPECT_EQ(swept.variants[0].partner_gain.mean, partner.mean);
    EXPECT_EQ(swept.variants[0].host_gain.se, host.se);

    options.inputs = {};
    EXPECT_NE(sweep(builtin_maker, options).variants[0].host_gain.mean, host.mean);
}

// With every range collapsed to its value, the sets are the scenario: a tornado and a breakeven
// on them give the same numbers as without sets.
TEST(AnalysisInputSets, CollapsedRangesChangeNoAnalysis) {
    std::vector<UncertainInput> collapsed = builtin_with({}).uncertain_inputs;
    for (UncertainInput& input : collapsed) input.low = input.high = input.value;
    const SampledInputs sets{input_draws(collapsed, {}), 3, 2};

    SensitivityOptions options;
    options.deal = "v5";
    options.baseline = "no_deal";
    options.run = run_options(64, 2, 1);
    const std::vector<Factor> factors =
        make_factors(builtin_with({}).uncertain_inputs, {"world.conflict.end_hazard"}, false);
    const TornadoResult plain = tornado(builtin_maker, factors, options);
    options.inputs = sets;
    const TornadoResult with_sets = tornado(builtin_maker, factors, options);
    ASSERT_EQ(plain.bars.size(), with_sets.bars.size());
    for (std::size_t o = 0; o < all_outputs().size(); ++o) {
        const Estimate a = plain.bars[0].swing[o], b = with_sets.bars[0].swing[o];
        if (std::isnan(a.mean)) {
            EXPECT_TRUE(std::isnan(b.mean)) << o;
            continue;
        }
        EXPECT_EQ(a.mean, b.mean) << o;
        EXPECT_EQ(a.se, b.se) << o;
    }

    BreakevenOptions be;
    be.deal = "v5";
    be.baseline = "no_deal";
    be.param = "share";
    be.parties = {Party::host};
    be.tolerance = 1e-2;
    be.run = run_options(64, 2, 1);
    const BreakevenResult a = breakeven(builtin_maker, be);
    be.inputs = sets;
    const BreakevenResult b = breakeven(builtin_maker, be);
    ASSERT_EQ(a.parties.size(), b.parties.size());
    EXPECT_EQ(a.parties[0].gain_at_low, b.parties[0].gain_at_low);
    EXPECT_EQ(a.parties[0].gain_at_high, b.parties[0].gain_at_high);
    EXPECT_EQ(a.parties[0].value, b.parties[0].value);
}

// A tornado's swing on sets holds the swung input at its end in every set (the others drawn):
// its low end equals the deal run with that input at its low end on the sets made so.
TEST(AnalysisInputSets, TornadoEndsHoldTheSwungInputInEverySet) {
    const Scenario base = builtin_with({});
    const UncertainInput& swung = input_named(base, "world.conflict.end_hazard");
    SensitivityOptions options;
    options.deal = "v5";
    options.baseline = "no_deal";
    options.run = run_options(96, 3, 2);
    options.inputs = sampled({}, 3, 3);
    const TornadoResult result =
        tornado(builtin_maker, make_factors(base.uncertain_inputs, {swung.key}, false), options);

    const Settings low{{swung.key, setting_text(swung.low)}};
    const Scenario scenario = builtin_with(low);
    std::vector<Scenario> sets;
    for (std::int64_t k = 0; k < 3; ++k) {
        Settings settings;
        for (const Setting& s : input_set_settings(options.inputs.draws, 3, k))
            if (s.key != swung.key) settings.push_back(s);
        settings.insert(settings.end(), low.begin(), low.end());
        sets.push_back(builtin_with(settings));
    }
    RunOptions run = with_input_sets(options.run, sets);
    run.deals = {deal_index(scenario, "no_deal"), deal_index(scenario, "v5")};
    const SimulationResult direct = simulate(scenario, run);
    EXPECT_EQ(result.bars.at(0).low.at(Output::host_gain).mean,
              paired_estimate(direct.deals[1].host_value, direct.deals[0].host_value).mean);
}

TEST(AnalysisInputSets, SobolRefusesInputSets) {
    SensitivityOptions options;
    options.deal = "v5";
    options.baseline = "no_deal";
    options.run = run_options(8, 1, 1);
    options.inputs = sampled({}, 2, 1);
    const std::vector<Factor> factors =
        make_factors(builtin_with({}).uncertain_inputs, {"world.conflict.end_hazard"}, false);
    EXPECT_THROW(sobol(builtin_maker, factors, options, SobolSettings{}), VariantError);
}

}  // namespace
}  // namespace nadra
