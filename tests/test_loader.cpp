// The scenario loader and validator (src/scenario/load.hpp) and the model's small functions.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "scenario/builtin.hpp"
#include "scenario/load.hpp"

namespace nadra {
namespace {

// A small valid scenario; tests add to it or change one line of it.
const std::string base = R"([scenario]
name = "test"

[run]
start_year = 2025
horizon = 10

[world.host]
discount_rate = 0.08

[world.partner]
discount_rate = 0.05

[world.conflict]
initial = "war"

[world.commodities.gas]
price0 = 400

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

std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) text.replace(at, from.size(), to);
    return text;
}

// 1-based line of the first occurrence of `needle`.
int line_of(const std::string& text, const std::string& needle) {
    const auto at = text.find(needle);
    EXPECT_NE(at, std::string::npos) << needle;
    return 1 +
           static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n'));
}

LoadResult load(const std::string& text, FileSet more = {}) {
    more["scenario.toml"] = text;
    return load_scenario_files(more, "scenario.toml");
}

std::string all_errors(const LoadResult& result) {
    std::string text;
    for (const auto& e : result.errors) text += format_error(e) + "\n";
    return text;
}

// The result has exactly one error, at `line`, for `key`, whose message contains `words`.
void expect_one_error(const LoadResult& result, int line, const std::string& key,
                      const std::string& words) {
    ASSERT_EQ(result.errors.size(), 1u) << all_errors(result);
    const InputError& e = result.errors[0];
    EXPECT_FALSE(result.scenario.has_value());
    EXPECT_EQ(e.line, line) << format_error(e);
    EXPECT_EQ(e.key, key) << format_error(e);
    EXPECT_NE(e.message.find(words), std::string::npos) << format_error(e);
}

TEST(Loader, BaseScenarioLoads) {
    const LoadResult r = load(base);
    ASSERT_TRUE(r.scenario) << all_errors(r);
    const Scenario& s = *r.scenario;
    EXPECT_EQ(s.name, "test");
    EXPECT_EQ(s.horizon, 10);
    EXPECT_EQ(s.world.commodities.size(), 2u);
    EXPECT_EQ(s.world.commodities[1].level, 100);  // level defaults to price0
    EXPECT_EQ(s.world.correlation, (std::vector<double>{1, 0, 0, 1}));
    EXPECT_EQ(s.world.projects[0].commodity, 1);
    EXPECT_EQ(s.world.projects[0].lead_time.mode, 2);
    EXPECT_EQ(s.world.projects[0].licence_class, "new");
    EXPECT_EQ(s.deals[0].share, 0.5);
    EXPECT_FALSE(s.deals[0].cap);
    EXPECT_EQ(r.files, (std::vector<std::string>{"scenario.toml"}));
    EXPECT_EQ(r.sha256.size(), 64u);
}

TEST(Loader, PlaceholderScenarioFromDisk) {
    const std::filesystem::path root =
        std::filesystem::path(NADRA_SOURCE_DIR) / "data/placeholder/scenario.toml";
    const LoadResult r = load_scenario_file(root);
    ASSERT_TRUE(r.scenario) << all_errors(r);
    const Scenario& s = *r.scenario;
    const World& w = s.world;
    EXPECT_EQ(s.name, "placeholder");
    EXPECT_EQ(s.start_year, 2025);
    EXPECT_EQ(s.horizon, 40);
    ASSERT_EQ(r.files.size(), 5u);
    EXPECT_NE(r.files[1].find("world.toml"), std::string::npos);
    EXPECT_NE(r.files[2].find("deals/capped.toml"), std::string::npos);  // glob, sorted
    EXPECT_EQ(w.commodities.size(), 3u);
    EXPECT_EQ(w.regions.size(), 3u);
    EXPECT_EQ(w.regimes.size(), 2u);
    EXPECT_EQ(w.projects.size(), 3u);
    EXPECT_EQ(w.streams.size(), 2u);
    ASSERT_EQ(s.deals.size(), 3u);
    EXPECT_EQ(s.deals[0].name, "capped");
    EXPECT_EQ(s.deals[1].name, "joint_fund");
    EXPECT_EQ(s.deals[2].name, "no_deal");
    EXPECT_EQ(w.commodities[0].name, "gas");  // file order, not alphabetical
    EXPECT_EQ(w.commodities[2].name, "lithium");
    EXPECT_EQ(w.projects[0].name, "central_lithium");
    EXPECT_EQ(w.projects[2].name, "east_gas_block");

    const Project& lithium = w.projects[0];
    EXPECT_EQ(lithium.lead_time.min, 3);
    EXPECT_EQ(lithium.lead_time.mode, 4);
    EXPECT_EQ(lithium.lead_time.max, 7);
    EXPECT_EQ(lithium.licence_year, 1);  // 2026 - 2025
    EXPECT_EQ(lithium.regime, 0);        // looked up: minerals lists lithium
    EXPECT_EQ(w.projects[2].regime, 1);  // named: gas_psa

    const Regime& psa = w.regimes[1];
    EXPECT_EQ(psa.type, RegimeType::production_sharing);
    EXPECT_EQ(psa.limit_base, LimitBase::revenue_minus_royalty);
    ASSERT_EQ(psa.royalty.bands.size(), 3u);
    EXPECT_EQ(psa.royalty.bands[1].lower, 150);
    EXPECT_EQ(psa.royalty.bands[1].mode, BandMode::whole);
    EXPECT_EQ(psa.royalty.bands[2].mode, BandMode::marginal);
    ASSERT_EQ(psa.profit_split.table.size(), 3u);
    EXPECT_EQ(psa.profit_split.table[2].split, 0.7);

    EXPECT_EQ(w.correlation[0 * 3 + 1], 0.3);
    EXPECT_EQ(w.correlation[1 * 3 + 0], 0.3);
    EXPECT_EQ(w.correlation[2 * 3 + 1], 0.2);
    EXPECT_EQ(w.conflict.end_hazard, (YearList{0.2, 0.25, 0.3}));
    EXPECT_EQ(w.regions[1].war_disruption, 0.4);

    ASSERT_EQ(s.uncertain_inputs.size(), 2u);
    EXPECT_EQ(s.uncertain_inputs[0].key, "world.investor.country_risk_premium");
    EXPECT_EQ(s.uncertain_inputs[0].high, 0.10);
    EXPECT_EQ(s.uncertain_inputs[1].key, "world.conflict.renew_hazard");
    EXPECT_EQ(w.conflict.renew_hazard, (YearList{0.05}));

    const Deal& joint = s.deals[1];
    EXPECT_EQ(joint.lock_years, 10);
    EXPECT_EQ(joint.ownership, Ownership::pro_rata);
    EXPECT_EQ(joint.scope.items.size(), 3u);
    EXPECT_EQ(joint.partner_support.cash.size(), 11u);
    ASSERT_EQ(joint.regime_overrides.size(), 1u);
    EXPECT_EQ(joint.regime_overrides[0].first, 1);
    const Regime& changed = joint.regime_overrides[0].second;
    EXPECT_EQ(changed.cost_recovery_limit, 0.8);
    EXPECT_EQ(changed.royalty.bands.size(), 3u);  // the rest copied from the world's regime
    EXPECT_EQ(changed.tax_rate, psa.tax_rate);
    EXPECT_EQ(s.deals[0].cap, 100e9);
    EXPECT_EQ(s.deals[2].end_hazard_multiplier, 0.8);
}

TEST(Loader, BuiltinScenarioMatchesDisk) {
    const LoadResult builtin = load_scenario_files(builtin_scenario(), builtin_scenario_root);
    ASSERT_TRUE(builtin.scenario) << all_errors(builtin);
    const LoadResult disk =
        load_scenario_file(std::filesystem::path(NADRA_BUILTIN_DIR) / "scenario.toml");
    EXPECT_EQ(builtin.sha256, disk.sha256);
    EXPECT_EQ(builtin.files.size(), disk.files.size());
}

TEST(LoaderErrors, SyntaxError) {
    const std::string text = replace(base, "capex = 1000", "capex = ");
    const LoadResult r = load(text);
    expect_one_error(r, line_of(text, "capex ="), "", "syntax error");
    EXPECT_EQ(r.errors[0].file, "scenario.toml");
}

TEST(LoaderErrors, SyntaxErrorInOneFileStillReportsOthers) {
    const std::string text = "include = [\"a.toml\", \"b.toml\", \"missing.toml\"]\n" + base;
    const LoadResult r = load(text, {{"a.toml", "x = \n"}, {"b.toml", "y = [1,\n"}});
    ASSERT_EQ(r.errors.size(), 3u) << all_errors(r);
    EXPECT_EQ(r.errors[0].file, "scenario.toml");  // the missing include, reported where named
    EXPECT_EQ(r.errors[1].file, "a.toml");
    EXPECT_EQ(r.errors[2].file, "b.toml");
}

TEST(LoaderErrors, NotUtf8) {
    const std::string text = replace(base, "name = \"test\"", "name = \"te\xff\"");
    expect_one_error(load(text), 2, "", "utf-8");
}

TEST(LoaderErrors, WrongType) {
    const std::string text = replace(base, "capex = 1000", "capex = \"1000\"");
    expect_one_error(load(text), line_of(text, "capex"), "world.projects.mine.capex",
                     "expected a number, found a string");
}

TEST(LoaderErrors, UnknownKeySuggestsNearest) {
    const std::string text = replace(base, "capex = 1000", "captal = 1000");
    const LoadResult r = load(text);
    // The misspelt key also leaves the required capex missing.
    ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
    const InputError& unknown = r.errors[1];
    EXPECT_EQ(unknown.key, "world.projects.mine.captal");
    EXPECT_EQ(unknown.line, line_of(text, "captal"));
    EXPECT_EQ(unknown.column, 1);
    EXPECT_EQ(unknown.message, "unknown key 'captal'; did you mean 'capex'?");
}

TEST(LoaderErrors, UnknownKeyListsKnownKeysWhenNoneIsClose) {
    const std::string text = base + "\n[world.fund]\nxyzzyplugh = 1\n";
    expect_one_error(load(text), line_of(text, "xyzzy"), "world.fund.xyzzyplugh",
                     "known keys: initial, return_mean, return_sigma");
}

TEST(LoaderErrors, MissingRequiredKeyNamesTheTable) {
    const std::string text = replace(base, "capex = 1000\n", "");
    expect_one_error(load(text), line_of(text, "[world.projects.mine]"),
                     "world.projects.mine.capex", "missing required key 'capex'");
}

TEST(LoaderErrors, MissingTableReportedAtTheFile) {
    const std::string text = replace(base, "[world.partner]\ndiscount_rate = 0.05\n", "");
    expect_one_error(load(text), 0, "world.partner.discount_rate", "[world.partner]");
}

TEST(LoaderErrors, OutOfRange) {
    expect_one_error(load(replace(base, "share = 0.5", "share = 1.5")), line_of(base, "share"),
                     "deals.d.share", "out of range: 1.5; use a number between 0 and 1");
    expect_one_error(load(replace(base, "horizon = 10", "horizon = 0")), line_of(base, "horizon"),
                     "run.horizon", "between 1 and 1000");
    expect_one_error(load(replace(base, "start_year = 2025", "start_year = 1800")),
                     line_of(base, "start_year"), "run.start_year", "between 1900 and 2500");
    expect_one_error(load(replace(base, "price0 = 400", "price0 = 0")), line_of(base, "price0"),
                     "world.commodities.gas.price0", "> 0");
    expect_one_error(load(replace(base, "capex = 1000", "capex = -1")), line_of(base, "capex"),
                     "world.projects.mine.capex", ">= 0");
}

TEST(LoaderErrors, NonFiniteNumbers) {
    expect_one_error(load(replace(base, "capex = 1000", "capex = nan")), line_of(base, "capex"),
                     "world.projects.mine.capex", "not a finite number");
    expect_one_error(load(replace(base, "capex = 1000", "capex = inf")), line_of(base, "capex"),
                     "world.projects.mine.capex", "not a finite number");
    // toml++ 3.3 refuses 1e400 itself.
    EXPECT_FALSE(load(replace(base, "capex = 1000", "capex = 1e400")).errors.empty());
}

TEST(LoaderErrors, DuplicateNameAcrossFiles) {
    const std::string text = "include = [\"more.toml\"]\n" + base;
    const LoadResult r = load(text, {{"more.toml", "\n[world.commodities.gas]\nprice0 = 300\n"}});
    ASSERT_EQ(r.errors.size(), 1u) << all_errors(r);
    const InputError& e = r.errors[0];
    EXPECT_EQ(e.file, "more.toml");
    EXPECT_EQ(e.line, 2);
    EXPECT_EQ(e.key, "world.commodities.gas");
    EXPECT_NE(e.message.find("duplicate name 'gas': also defined at scenario.toml:" +
                             std::to_string(line_of(text, "[world.commodities.gas]"))),
              std::string::npos)
        << e.message;
}

TEST(LoaderErrors, ValueSetInTwoFiles) {
    const std::string text = "include = [\"more.toml\"]\n" + base;
    const LoadResult r = load(text, {{"more.toml", "[world.host]\ndiscount_rate = 0.1\n"}});
    expect_one_error(r, 2, "world.host.discount_rate", "set twice");
}

TEST(LoaderErrors, SectionsMergeAcrossFiles) {
    const std::string text = "include = [\"more.toml\"]\n" + base;
    const LoadResult r = load(text, {{"more.toml", "[world.host]\n[world.fund]\ninitial = 5\n"}});
    ASSERT_TRUE(r.scenario) << all_errors(r);
    EXPECT_EQ(r.scenario->world.fund.initial, 5);
    EXPECT_EQ(r.scenario->world.host_discount_rate, 0.08);
}

TEST(LoaderErrors, UndefinedReferences) {
    expect_one_error(load(replace(base, "commodity = \"ore\"", "commodity = \"oer\"")),
                     line_of(base, "commodity = "), "world.projects.mine.commodity",
                     "undefined commodity 'oer'; did you mean 'ore'?");
    expect_one_error(load(replace(base, "region = \"central\"", "region = \"centre\"")),
                     line_of(base, "region = "), "world.projects.mine.region",
                     "did you mean 'central'?");
    const std::string text = replace(base, "opex = 5", "opex = 5\nregime = \"minerls\"");
    expect_one_error(load(text), line_of(text, "regime ="), "world.projects.mine.regime",
                     "undefined regime 'minerls'; did you mean 'minerals'?");
}

TEST(LoaderErrors, NoRegimeCoversTheProject) {
    const std::string text =
        replace(base, "royalty_rate = 0.05", "royalty_rate = 0.05\ncommodities = [\"gas\"]");
    expect_one_error(load(text), line_of(text, "[world.projects.mine]"),
                     "world.projects.mine.regime",
                     "no regime covers commodity 'ore' with licence class 'new'; add `regime = ");
}

TEST(Loader, RegimeLookupPrefersRegimesNamingTheCommodity) {
    const std::string text = replace(base, "[world.projects.mine]",
                                     "[world.regimes.ores]\ncommodities = [\"ore\"]\n"
                                     "licence_classes = [\"new\"]\n\n[world.projects.mine]");
    const LoadResult r = load(text);
    ASSERT_TRUE(r.scenario) << all_errors(r);
    EXPECT_EQ(r.scenario->world.projects[0].regime, 1);  // ores, though minerals comes first
}

TEST(LoaderErrors, IncludeCycle) {
    const std::string text = "include = \"a.toml\"\n" + base;
    const LoadResult r = load(text, {{"a.toml", "include = [\"b.toml\"]\n"},
                                     {"b.toml", "\ninclude = [\"scenario.toml\"]\n"}});
    ASSERT_EQ(r.errors.size(), 1u) << all_errors(r);
    EXPECT_EQ(r.errors[0].file, "b.toml");
    EXPECT_EQ(r.errors[0].line, 2);
    EXPECT_NE(r.errors[0].message.find(
                  "include cycle: scenario.toml -> a.toml -> b.toml -> scenario.toml"),
              std::string::npos)
        << r.errors[0].message;
}

TEST(LoaderErrors, IncludeOutsideTheScenarioFolder) {
    const LoadResult r = load_scenario_files(
        {{"s/scenario.toml", "include = [\"../x.toml\"]\n" + base}, {"x.toml", ""}},
        "s/scenario.toml");
    expect_one_error(r, 1, "include", "outside the scenario's folder");
}

TEST(LoaderErrors, MissingIncludeAndEmptyGlob) {
    const std::string text = "include = [\"nope.toml\", \"deals/*.toml\"]\n" + base;
    const LoadResult r = load(text);
    ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
    EXPECT_NE(r.errors[0].message.find("cannot read included file 'nope.toml'"), std::string::npos);
    EXPECT_NE(r.errors[1].message.find("no file matches 'deals/*.toml'"), std::string::npos);
    EXPECT_EQ(r.errors[1].line, 1);
    EXPECT_EQ(r.errors[1].column, 25);
}

TEST(Loader, IncludesLoadDepthFirstAndGlobsSorted) {
    const std::string text = "include = [\"sub/*.toml\", \"z.toml\"]\n" + base;
    const LoadResult r =
        load(text, {{"sub/b.toml", "[deals.b]\nshare = 0\n"},
                    {"sub/a.toml", "include = [\"../z2/c.toml\"]\n[deals.a]\nshare = 0\n"},
                    {"z2/c.toml", "[deals.c]\nshare = 0\n"},
                    {"z.toml", "[deals.z]\nshare = 0\n"}});
    ASSERT_TRUE(r.scenario) << all_errors(r);
    EXPECT_EQ(r.files, (std::vector<std::string>{"scenario.toml", "sub/a.toml", "z2/c.toml",
                                                 "sub/b.toml", "z.toml"}));
    std::vector<std::string> deals;
    for (const auto& d : r.scenario->deals) deals.push_back(d.name);
    EXPECT_EQ(deals, (std::vector<std::string>{"d", "a", "c", "b", "z"}));
}

TEST(Loader, EntriesKeepInputOrderWithinAFile) {
    const std::string text = base + "[deals.zulu]\nshare = 0\n[deals.alpha]\nshare = 0\n";
    const LoadResult r = load(text);
    ASSERT_TRUE(r.scenario) << all_errors(r);
    EXPECT_EQ(r.scenario->deals[1].name, "zulu");
    EXPECT_EQ(r.scenario->deals[2].name, "alpha");
}

TEST(Loader, NonexistentRootFile) {
    const LoadResult r = load_scenario_file("no/such/scenario.toml");
    ASSERT_EQ(r.errors.size(), 1u);
    EXPECT_EQ(r.errors[0].line, 0);
    EXPECT_EQ(format_error(r.errors[0]),
              "no/such/scenario.toml: cannot read scenario file 'no/such/scenario.toml'; check "
              "the path");
}

TEST(LoaderErrors, CorrelationNotSymmetric) {
    const std::string text = base + "[world.correlation]\ngas.ore = 0.3\nore.gas = 0.4\n";
    expect_one_error(load(text), line_of(text, "ore.gas"), "world.correlation.ore.gas",
                     "not symmetric");
    const LoadResult same = load(base + "[world.correlation]\ngas.ore = 0.3\nore.gas = 0.3\n");
    ASSERT_TRUE(same.scenario) << all_errors(same);
    EXPECT_EQ(same.scenario->world.correlation, (std::vector<double>{1, 0.3, 0.3, 1}));
}

TEST(LoaderErrors, CorrelationNotPositiveDefinite) {
    const std::string text = replace(base, "[world.regions.central]",
                                     "[world.commodities.oil]\nprice0 = 70\n\n"
                                     "[world.correlation]\ngas.ore = 0.9\ngas.oil = 0.9\n"
                                     "ore.oil = -0.9\n\n[world.regions.central]");
    expect_one_error(load(text), line_of(text, "[world.correlation]"), "world.correlation",
                     "not positive definite");
}

TEST(LoaderErrors, CorrelationOutOfRangeAndUnknownCommodity) {
    const std::string text = base + "[world.correlation]\ngas.ore = 1.2\ngas.oer = 0.1\n";
    const LoadResult r = load(text);
    ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
    EXPECT_NE(r.errors[0].message.find("out of range"), std::string::npos);
    EXPECT_NE(r.errors[1].message.find("did you mean 'ore'?"), std::string::npos);
}

TEST(LoaderErrors, BadBandTable) {
    const std::string bands =
        "royalty_rate = { band_mode = \"whole\", bands = [\n"
        "  { lower = 0, rate = 0.1 },\n"
        "  { lower = 150, rate = 0.2 },\n"
        "  { lower = 150, rate = 0.3, mode = \"marginal\" },\n"
        "] }";
    std::string text = replace(base, "royalty_rate = 0.05", bands);
    expect_one_error(load(text), line_of(text, "lower = 150, rate = 0.3"),
                     "world.regimes.minerals.royalty_rate.bands[2].lower", "not above");
    text = replace(base, "royalty_rate = 0.05",
                   "royalty_rate = { bands = [{ lower = 0, rate = 0.1, mode = \"margin\" }] }");
    const LoadResult r = load(text);
    ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
    EXPECT_EQ(r.errors[0].key, "world.regimes.minerals.royalty_rate.band_mode");
    EXPECT_NE(r.errors[1].message.find("did you mean 'marginal'?"), std::string::npos);
}

TEST(LoaderErrors, ProfitSplitOnConcession) {
    const std::string text =
        replace(base, "royalty_rate = 0.05", "royalty_rate = 0.05\nprofit_split = 0.3");
    expect_one_error(load(text), line_of(text, "profit_split"),
                     "world.regimes.minerals.profit_split", "only to production sharing");
}

TEST(LoaderErrors, LeadTimeTriangleOutOfOrder) {
    const std::string text =
        replace(base, "lead_time = 2", "lead_time = { min = 3, mode = 2, max = 5 }");
    expect_one_error(load(text), line_of(text, "lead_time"), "world.projects.mine.lead_time",
                     "min <= mode <= max");
}

TEST(LoaderErrors, SeveralErrorsAtOnceInInputOrder) {
    std::string text = replace(base, "discount_rate = 0.08", "discount_rate = 8");
    text = replace(text, "initial = \"war\"", "initial = \"warr\"");
    text = replace(text, "opex = 5", "opex = 5\nviabilty = 0.5");
    text = replace(text, "share = 0.5", "share = true");
    const LoadResult r = load(text);
    ASSERT_EQ(r.errors.size(), 4u) << all_errors(r);
    EXPECT_EQ(r.errors[0].line, line_of(text, "discount_rate = 8"));
    EXPECT_EQ(r.errors[1].line, line_of(text, "warr"));
    EXPECT_EQ(r.errors[1].message, "unknown value 'warr'; did you mean 'war'?");
    EXPECT_EQ(r.errors[2].line, line_of(text, "viabilty"));
    EXPECT_EQ(r.errors[2].message, "unknown key 'viabilty'; did you mean 'viability'?");
    EXPECT_EQ(r.errors[3].line, line_of(text, "share = true"));
    EXPECT_EQ(format_error(r.errors[3]),
              "scenario.toml:" + std::to_string(r.errors[3].line) +
                  ":9: deals.d.share: wrong type: expected a number, found a boolean");
}

// An uncertain number may carry a label for reports; it changes nothing else, and must be text.
TEST(Loader, UncertainNumbersMayCarryALabel) {
    const std::string text =
        replace(base, "discount_rate = 0.05\n",
                "discount_rate = 0.05\nsupport_cost = { value = 0.8, low = 0.5, high = 1, "
                "label = \"cost of support\" }\n");
    const LoadResult r = load(text);
    ASSERT_TRUE(r.scenario) << all_errors(r);
    EXPECT_EQ(r.scenario->world.partner_support_cost, 0.8);
    ASSERT_EQ(r.scenario->uncertain_inputs.size(), 1u);
    EXPECT_EQ(r.scenario->uncertain_inputs[0].label, "cost of support");
    EXPECT_EQ(r.scenario->uncertain_inputs[0].high, 1.0);

    const std::string bad = replace(text, "\"cost of support\"", "3");
    expect_one_error(load(bad), line_of(bad, "support_cost"), "world.partner.support_cost.label",
                     "wrong type");
}

// MODEL.md 4.2: what in-kind support is worth to each side; 0 unless given, a number or a range.
TEST(Loader, SupportValues) {
    const LoadResult plain = load(base);
    ASSERT_TRUE(plain.scenario) << all_errors(plain);
    EXPECT_EQ(plain.scenario->world.host_support_value, 0.0);
    EXPECT_EQ(plain.scenario->world.partner_support_cost, 0.0);

    std::string text =
        replace(base, "discount_rate = 0.08\n", "discount_rate = 0.08\nsupport_value = 0.7\n");
    text = replace(text, "discount_rate = 0.05\n",
                   "discount_rate = 0.05\nsupport_cost = { value = 0.8, low = 0.5, high = 1 }\n");
    const LoadResult r = load(text);
    ASSERT_TRUE(r.scenario) << all_errors(r);
    EXPECT_EQ(r.scenario->world.host_support_value, 0.7);
    EXPECT_EQ(r.scenario->world.partner_support_cost, 0.8);
    ASSERT_EQ(r.scenario->uncertain_inputs.size(), 1u);
    EXPECT_EQ(r.scenario->uncertain_inputs[0].key, "world.partner.support_cost");
    EXPECT_EQ(r.scenario->uncertain_inputs[0].low, 0.5);
    EXPECT_EQ(r.scenario->uncertain_inputs[0].high, 1.0);

    const std::string negative =
        replace(base, "discount_rate = 0.08\n", "discount_rate = 0.08\nsupport_value = -1\n");
    expect_one_error(load(negative), line_of(negative, "support_value"), "world.host.support_value",
                     "out of range");
    const std::string misplaced =
        replace(base, "discount_rate = 0.05\n", "discount_rate = 0.05\nsupport_value = 1\n");
    expect_one_error(load(misplaced), line_of(misplaced, "support_value"),
                     "world.partner.support_value", "support_cost");
}

TEST(Loader, UncertainNumbers) {
    const std::string text = base + "cap = { value = 1e9, low = 5e8, high = 2e9 }\n";
    const LoadResult r = load(text);
    ASSERT_TRUE(r.scenario) << all_errors(r);
    EXPECT_EQ(r.scenario->deals[0].cap, 1e9);
    ASSERT_EQ(r.scenario->uncertain_inputs.size(), 1u);
    const UncertainInput& u = r.scenario->uncertain_inputs[0];
    EXPECT_EQ(u.key, "deals.d.cap");
    EXPECT_EQ(u.low, 5e8);
    EXPECT_EQ(u.high, 2e9);

    expect_one_error(load(base + "cap = { value = 1, low = 2, high = 3 }\n"),
                     line_of(base + "cap =", "cap ="), "deals.d.cap", "low <= value <= high");
    expect_one_error(load(base + "share_liberated = { value = 1, low = 0, high = 2 }\n"),
                     line_of(base + "share_liberated =", "share_liberated ="),
                     "deals.d.share_liberated.high", "out of range");
}

TEST(Loader, DealDetails) {
    const std::string text = base +
                             "cap = \"none\"\nterm_years = 10\nownership = \"fixed\"\n"
                             "partner_share = 0.5\n"
                             "[deals.d.partner_support]\ncash = [1, 2]\nin_kind = 3\n"
                             "[deals.d.scope]\nitems = [\"royalty\"]\nstatuses = [\"free\"]\n"
                             "commodities = [\"gas\"]\nlicence_classes = [\"existing\"]\n"
                             "[deals.d.regime_overrides.minerals]\ntax_rate = 0.3\n";
    const LoadResult r = load(text);
    ASSERT_TRUE(r.scenario) << all_errors(r);
    const Deal& d = r.scenario->deals[0];
    EXPECT_FALSE(d.cap);
    EXPECT_EQ(d.term_years, 10);
    EXPECT_EQ(d.partner_share, 0.5);
    EXPECT_EQ(d.partner_support.cash, (YearList{1, 2}));
    EXPECT_EQ(d.partner_support.in_kind, (YearList{3}));
    EXPECT_EQ(d.scope.items, (std::vector<RevenueItem>{RevenueItem::royalty}));
    EXPECT_EQ(d.scope.commodities, (std::vector<int>{0}));
    ASSERT_EQ(d.regime_overrides.size(), 1u);
    EXPECT_EQ(d.regime_overrides[0].second.tax_rate, 0.3);
    EXPECT_EQ(d.regime_overrides[0].second.royalty.rate, 0.05);
}

TEST(Loader, CoInvestDefaultsToTheDealsScope) {
    const std::string text = base +
                             "[deals.d.scope]\ncommodities = [\"gas\"]\n"
                             "licence_classes = [\"new\"]\n"
                             "[deals.d.co_invest]\nshare = { value = 0.2, low = 0.1, high = 0.3 }\n"
                             "premium_multiplier = 0.8\nstatuses = [\"free\"]\n";
    const LoadResult r = load(text);
    ASSERT_TRUE(r.scenario) << all_errors(r);
    const Deal& d = r.scenario->deals[0];
    ASSERT_TRUE(d.co_invest);
    EXPECT_EQ(d.co_invest->share, 0.2);
    EXPECT_EQ(d.co_invest->receipt_share, 0.2);  // rho defaults to s (MODEL.md 4.1)
    EXPECT_EQ(d.co_invest->premium_multiplier, 0.8);
    EXPECT_EQ(d.co_invest->scope.commodities, (std::vector<int>{0}));
    EXPECT_EQ(d.co_invest->scope.licence_classes, (std::vector<std::string>{"new"}));
    EXPECT_EQ(d.co_invest->scope.statuses, (std::vector<RegionStatus>{RegionStatus::free}));
    ASSERT_EQ(r.scenario->uncertain_inputs.size(), 1u);
    EXPECT_EQ(r.scenario->uncertain_inputs[0].key, "deals.d.co_invest.share");
    EXPECT_FALSE(load(base).scenario->deals[0].co_invest);
}

TEST(LoaderErrors, CoInvestMistakes) {
    const std::string table = base + "[deals.d.co_invest]\n";
    const int line = line_of(table, "[deals.d.co_invest]");
    expect_one_error(load(table + "share = 0\n"), line + 1, "deals.d.co_invest.share",
                     "out of range");
    expect_one_error(load(table + "receipt_share = 0.1\n"), line, "deals.d.co_invest.share",
                     "missing");
    expect_one_error(load(table + "share = 0.1\nreceipt_shares = 0.1\n"), line + 2,
                     "deals.d.co_invest.receipt_shares", "did you mean 'receipt_share'?");
}

TEST(LoaderErrors, DealMistakes) {
    expect_one_error(load(base + "[deals.d.scope]\nlicence_classes = [\"nwe\"]\n"),
                     line_of(base, "share") + 2, "deals.d.scope.licence_classes",
                     "unknown licence class 'nwe'; did you mean 'new'?");
    expect_one_error(load(base + "[deals.d.regime_overrides.mineral]\ntax_rate = 0.3\n"),
                     line_of(base, "share") + 1, "deals.d.regime_overrides.mineral",
                     "did you mean 'minerals'?");
    expect_one_error(load(base + "ownership = \"pro_rata\"\npartner_share = 0.5\n"),
                     line_of(base, "share") + 2, "deals.d.partner_share", "fixed");
    expect_one_error(load(base + "cap = \"unlimited\"\n"), line_of(base, "share") + 1,
                     "deals.d.cap", "expected a number or \"none\"");
}

TEST(LoaderErrors, NoDeals) {
    const std::string text = replace(base, "[deals.d]\nshare = 0.5\n", "");
    expect_one_error(load(text), 0, "deals", "no deals");
}

TEST(LoaderErrors, HazardListMustHoldProbabilities) {
    const std::string text = replace(
        base, "initial = \"war\"", "initial = \"war\"\nend_hazard = [0.1, 1.5]\nrenew_hazard = []");
    const LoadResult r = load(text);
    ASSERT_EQ(r.errors.size(), 2u) << all_errors(r);
    EXPECT_EQ(r.errors[0].key, "world.conflict.end_hazard[1]");
    EXPECT_EQ(r.errors[1].key, "world.conflict.renew_hazard");
}

TEST(Loader, FormatError) {
    EXPECT_EQ(format_error({"a.toml", 3, 7, "world.x", "bad; fix"}),
              "a.toml:3:7: world.x: bad; fix");
    EXPECT_EQ(format_error({"a.toml", 0, 0, "", "gone"}), "a.toml: gone");
}

// MODEL.md 3.6: Ukraine's gas rent, whole bands of 14.5% and 29% and a marginal 65% above 400.
TEST(ScenarioModel, RoyaltyBandsFromModel) {
    RoyaltySchedule gas;
    gas.bands = {
        {0, 0.145, BandMode::whole}, {150, 0.29, BandMode::whole}, {400, 0.65, BandMode::marginal}};
    EXPECT_EQ(gas.per_unit(120), 17.4);
    EXPECT_EQ(gas.per_unit(300), 87);
    EXPECT_EQ(gas.per_unit(500), 181);
    EXPECT_EQ(gas.per_unit(1000), 506);
    EXPECT_DOUBLE_EQ(gas.on_revenue(500, 5000), 1810);
    EXPECT_EQ(gas.on_revenue(0, 100), 0);
}

TEST(ScenarioModel, RoyaltyMarginalSlicesAndConstants) {
    RoyaltySchedule slices;
    slices.bands = {{100, 0.1, BandMode::marginal}, {200, 0.2, BandMode::marginal}};
    EXPECT_EQ(slices.per_unit(50), 0);  // below the first band
    EXPECT_DOUBLE_EQ(slices.per_unit(150), 5);
    EXPECT_DOUBLE_EQ(slices.per_unit(300), 10 + 20);
    RoyaltySchedule flat;
    flat.rate = 0.05;
    EXPECT_DOUBLE_EQ(flat.per_unit(200), 10);
    EXPECT_DOUBLE_EQ(flat.on_revenue(200, 1000), 50);
}

TEST(ScenarioModel, ProfitSplitIsAStepFunction) {
    ProfitSplit split;
    split.table = {{1, 0.3}, {1.5, 0.5}, {2.5, 0.7}};
    EXPECT_EQ(split.at(0), 0.3);  // below the first threshold: the first row
    EXPECT_EQ(split.at(1), 0.3);
    EXPECT_EQ(split.at(1.49), 0.3);
    EXPECT_EQ(split.at(1.5), 0.5);
    EXPECT_EQ(split.at(2.4), 0.5);
    EXPECT_EQ(split.at(10), 0.7);
    ProfitSplit constant;
    constant.constant = 0.4;
    EXPECT_EQ(constant.at(3), 0.4);
}

TEST(ScenarioModel, ValueInYearRepeatsTheLast) {
    const YearList list{1, 2, 3};
    EXPECT_EQ(value_in_year(list, 0), 1);
    EXPECT_EQ(value_in_year(list, 2), 3);
    EXPECT_EQ(value_in_year(list, 40), 3);
    EXPECT_EQ(value_in_year(YearList{}, 3), 0);
    EXPECT_STREQ(to_string(RegionStatus::frontline), "frontline");
    EXPECT_STREQ(to_string(RevenueItem::profit_share), "profit_share");
}

}  // namespace
}  // namespace nadra
