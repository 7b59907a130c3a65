// Overriding scenario values from the command line (`--set KEY=VALUE`; src/scenario/load.hpp).
#include <gtest/gtest.h>

#include <string>

#include "scenario/builtin.hpp"
#include "scenario/load.hpp"

namespace nadra {
namespace {

const std::string root = R"(include = ["world.toml"]

[scenario]
name = "test"

[run]
start_year = 2025
horizon = 10

[deals.v5]
share = 0.5

[deals.v2]
share = 0.3
cap = 100
)";

const std::string world = R"([world.host]
discount_rate = 0.08

[world.partner]
discount_rate = 0.05

[world.conflict]
initial = "war"
end_hazard = 0.1

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
)";

LoadResult load(const Overrides& overrides) {
    const FileSet files{{"scenario.toml", root}, {"world.toml", world}};
    return load_scenario_files(files, "scenario.toml", overrides);
}

std::string all_errors(const LoadResult& result) {
    std::string text;
    for (const auto& e : result.errors) text += format_error(e) + "\n";
    return text;
}

const Deal& deal(const Scenario& s, const std::string& name) {
    for (const Deal& d : s.deals)
        if (d.name == name) return d;
    throw std::runtime_error("no deal " + name);
}

TEST(Overrides, NoneLoadsTheFileAsIs) {
    const LoadResult r = load({});
    ASSERT_TRUE(r.scenario) << all_errors(r);
    EXPECT_DOUBLE_EQ(deal(*r.scenario, "v5").share, 0.5);
}

TEST(Overrides, ChangesTheValueAndTheHash) {
    const LoadResult plain = load({});
    const LoadResult r = load({{"deals.v5.share", "0.4"}, {"world.conflict.end_hazard", "0.15"}});
    ASSERT_TRUE(r.scenario) << all_errors(r);
    EXPECT_DOUBLE_EQ(deal(*r.scenario, "v5").share, 0.4);
    EXPECT_DOUBLE_EQ(deal(*r.scenario, "v2").share, 0.3);
    EXPECT_EQ(r.scenario->world.conflict.end_hazard, (YearList{0.15}));
    EXPECT_NE(r.sha256, plain.sha256);
    EXPECT_EQ(r.sha256,
              load({{"deals.v5.share", "0.4"}, {"world.conflict.end_hazard", "0.15"}}).sha256);
}

TEST(Overrides, AddsAKnownKeyTheFileLeavesOut) {
    const LoadResult r = load({{"deals.v2.share_liberated", "0.66"}});
    ASSERT_TRUE(r.scenario) << all_errors(r);
    EXPECT_EQ(deal(*r.scenario, "v2").share_liberated, 0.66);
}

TEST(Overrides, OutOfRangeIsRejectedWithTheKey) {
    const LoadResult r = load({{"deals.v2.cap", "none"}, {"deals.v5.share", "1.4"}});
    EXPECT_FALSE(r.scenario);
    ASSERT_EQ(r.errors.size(), 1u) << all_errors(r);
    EXPECT_EQ(r.errors[0].file, "--set");
    EXPECT_EQ(r.errors[0].line, 2);  // the second --set
    EXPECT_EQ(r.errors[0].column, 1);
    EXPECT_EQ(r.errors[0].key, "deals.v5.share");
    EXPECT_NE(format_error(r.errors[0]).find("--set:2:1: deals.v5.share: out of range: 1.4"),
              std::string::npos)
        << all_errors(r);
}

TEST(Overrides, UnknownKeyGetsASuggestion) {
    const LoadResult r = load({{"deals.v5.shaer", "0.4"}});
    EXPECT_FALSE(r.scenario);
    ASSERT_EQ(r.errors.size(), 1u) << all_errors(r);
    EXPECT_EQ(r.errors[0].file, "--set");
    EXPECT_EQ(r.errors[0].key, "deals.v5.shaer");
    EXPECT_NE(r.errors[0].message.find("did you mean 'share'?"), std::string::npos)
        << all_errors(r);
}

TEST(Overrides, UnknownDealGetsASuggestion) {
    const LoadResult r = load({{"deals.v6.share", "0.4"}});
    EXPECT_FALSE(r.scenario);
    ASSERT_EQ(r.errors.size(), 1u) << all_errors(r);
    EXPECT_EQ(format_error(r.errors[0]).rfind("--set:1:1: deals.v6.share: no deal named 'v6'", 0),
              0u)
        << all_errors(r);
    EXPECT_NE(r.errors[0].message.find("did you mean"), std::string::npos) << all_errors(r);

    const LoadResult table = load({{"world.conflcit.end_hazard", "0.1"}});
    ASSERT_EQ(table.errors.size(), 1u) << all_errors(table);
    EXPECT_NE(table.errors[0].message.find("did you mean 'conflict'?"), std::string::npos)
        << all_errors(table);
}

TEST(Overrides, CapNone) {
    const LoadResult plain = load({});
    ASSERT_TRUE(plain.scenario) << all_errors(plain);
    EXPECT_EQ(deal(*plain.scenario, "v2").cap, 100.0);
    for (const char* value : {"none", "\"none\""}) {
        const LoadResult r = load({{"deals.v2.cap", value}});
        ASSERT_TRUE(r.scenario) << value << "\n" << all_errors(r);
        EXPECT_FALSE(deal(*r.scenario, "v2").cap.has_value()) << value;
    }
}

TEST(Overrides, ArrayAndStringValues) {
    const LoadResult r = load(
        {{"world.conflict.renew_hazard", "[0.05, 0.1]"}, {"world.conflict.initial", "\"peace\""}});
    ASSERT_TRUE(r.scenario) << all_errors(r);
    EXPECT_EQ(r.scenario->world.conflict.renew_hazard, (YearList{0.05, 0.1}));
    EXPECT_FALSE(r.scenario->world.conflict.initial_war);

    const LoadResult bare = load({{"world.conflict.initial", "peace"}});
    ASSERT_TRUE(bare.scenario) << all_errors(bare);
    EXPECT_FALSE(bare.scenario->world.conflict.initial_war);

    const LoadResult element = load({{"world.conflict.renew_hazard", "[0.05, 1.5]"}});
    ASSERT_EQ(element.errors.size(), 1u) << all_errors(element);
    EXPECT_EQ(element.errors[0].file, "--set");
    EXPECT_EQ(element.errors[0].column, 8);  // the 1.5 in the value
}

TEST(Overrides, BadValuesAndPaths) {
    const LoadResult syntax = load({{"deals.v5.share", "[0.4"}});
    ASSERT_EQ(syntax.errors.size(), 1u) << all_errors(syntax);
    EXPECT_EQ(syntax.errors[0].file, "--set");
    EXPECT_EQ(syntax.errors[0].key, "deals.v5.share");

    const LoadResult type = load({{"deals.v5.share", "high"}});
    ASSERT_EQ(type.errors.size(), 1u) << all_errors(type);
    EXPECT_EQ(type.errors[0].key, "deals.v5.share");

    const LoadResult through = load({{"deals.v5.share.x", "1"}});
    ASSERT_EQ(through.errors.size(), 1u) << all_errors(through);
    EXPECT_NE(through.errors[0].message.find("not a table"), std::string::npos)
        << all_errors(through);

    EXPECT_EQ(load({{"deals..share", "1"}}).errors.size(), 1u);
    EXPECT_EQ(load({{"include", "[]"}}).errors.size(), 1u);
}

TEST(Overrides, ParseOverride) {
    const auto o = parse_override(" deals.v5.share = 0.4 ");
    ASSERT_TRUE(o);
    EXPECT_EQ(o->key, "deals.v5.share");
    EXPECT_EQ(o->value, "0.4");
    const auto eq = parse_override("scenario.description=a=b");
    ASSERT_TRUE(eq);
    EXPECT_EQ(eq->value, "a=b");
    EXPECT_FALSE(parse_override("deals.v5.share"));
    EXPECT_FALSE(parse_override("=1"));
}

TEST(Overrides, BuiltinScenario) {
    const LoadResult plain = load_scenario_files(builtin_scenario(), builtin_scenario_root);
    ASSERT_TRUE(plain.scenario) << all_errors(plain);
    ASSERT_FALSE(plain.scenario->deals.empty());
    const std::string name = plain.scenario->deals.front().name;
    const LoadResult r = load_scenario_files(builtin_scenario(), builtin_scenario_root,
                                             {{"deals." + name + ".share", "0.25"}});
    ASSERT_TRUE(r.scenario) << all_errors(r);
    EXPECT_DOUBLE_EQ(r.scenario->deals.front().share, 0.25);
}

}  // namespace
}  // namespace nadra
