// The built-in Ukraine 2025 scenario (data/ukraine-2025/, compiled into the binary) held to its
// data: it loads and validates with every deal; year-1 host subsoil revenue matches the Ministry
// of Finance receipts it is calibrated to; on a deterministic "flat" copy the year a cap is
// reached equals the geometric-sum formula; no deal ever takes more than its share of its scope
// or more than its (grown) cap; every deal file opens with a header that states its terms.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "scenario/builtin.hpp"
#include "scenario/load.hpp"

namespace nadra {
namespace {

std::string all_errors(const LoadResult& result) {
    std::string text;
    for (const auto& e : result.errors) text += format_error(e) + "\n";
    return text;
}

// Loaded once: every test reads the same validated scenario.
const Scenario& ukraine() {
    static const Scenario scenario = [] {
        const LoadResult loaded = load_scenario_files(builtin_scenario(), builtin_scenario_root);
        if (!loaded.scenario) {
            ADD_FAILURE() << all_errors(loaded);
            return Scenario{};
        }
        return *loaded.scenario;
    }();
    return scenario;
}

int deal_index(const Scenario& s, const std::string& name) {
    for (std::size_t k = 0; k < s.deals.size(); ++k) {
        if (s.deals[k].name == name) return static_cast<int>(k);
    }
    return -1;
}

int commodity_index(const Scenario& s, const std::string& name) {
    for (std::size_t c = 0; c < s.world.commodities.size(); ++c) {
        if (s.world.commodities[c].name == name) return static_cast<int>(c);
    }
    return -1;
}

TEST(UkraineScenario, LoadsWithEveryDealAndProject) {
    const LoadResult loaded = load_scenario_files(builtin_scenario(), builtin_scenario_root);
    ASSERT_TRUE(loaded.scenario) << all_errors(loaded);
    EXPECT_TRUE(loaded.errors.empty()) << all_errors(loaded);
    const Scenario& s = *loaded.scenario;
    EXPECT_EQ(s.name, "ukraine-2025");
    EXPECT_EQ(s.start_year, 2025);
    EXPECT_EQ(s.horizon, 76);  // 2025-2100
    for (const char* name :
         {"no_deal", "v1", "v2", "v3", "v4", "v5", "signed_with_guarantee", "v4_telegraph"}) {
        EXPECT_GE(deal_index(s, name), 0) << name;
    }
    EXPECT_EQ(s.deals.size(), 8u);
    EXPECT_EQ(s.deals.front().name, "no_deal");  // the reference comes first in reports
    for (const Deal& deal : s.deals) EXPECT_FALSE(deal.description.empty()) << deal.name;
    EXPECT_GE(s.world.projects.size(), 25u);
    EXPECT_GE(s.world.streams.size(), 10u);
    // The war was on when every draft was written and signed.
    EXPECT_TRUE(s.world.conflict.initial_war);
    // The guarantee pair differs only by the guarantee.
    const Deal& v5 = s.deals[static_cast<std::size_t>(deal_index(s, "v5"))];
    const Deal& g = s.deals[static_cast<std::size_t>(deal_index(s, "signed_with_guarantee"))];
    EXPECT_FALSE(v5.security_guarantee);
    EXPECT_TRUE(g.security_guarantee);
    EXPECT_EQ(v5.share, g.share);
    EXPECT_EQ(v5.lock_years, g.lock_years);
    EXPECT_EQ(v5.scope.items, g.scope.items);
    EXPECT_EQ(v5.scope.licence_classes, g.scope.licence_classes);
    EXPECT_EQ(v5.scope.commodities, g.scope.commodities);
    EXPECT_EQ(v5.partner_support.in_kind, g.partner_support.in_kind);
    EXPECT_EQ(v5.partner_support.cash, g.partner_support.cash);
}

// Year 1 (2025) host subsoil revenue against the receipts the streams are calibrated to:
// "According to the Ministry of Finance of Ukraine, in 2024 the Ukrainian state earned UAH 47.7
// billion ... in royalties and other payments related to the exploitation of natural resources"
// (Reuters, "US, Ukraine may wait decade or more to see revenue from minerals deal", 1-2 May
// 2025, as cited in data/ukraine-2025/streams.toml), USD 1,188M at the NBU's 2024 average of
// ~40.15 UAH/USD. Tolerance 10%, the calibration criterion: the reported figure is rent
// "and other payments", so whether CIT and dividends belong in it is a reading (rent alone is
// ~USD 1,117M, 94%; rent + CIT + dividends ~USD 1,282M, 108%; the engine reports the latter),
// and the year-1 model world (a war year at 2025 prices) is not 2024's. Year 0 is the same on
// every path but for new projects that may start in 2025 (licence fees), so the mean over many
// paths is the figure, and every path is held to the band too. A one-year horizon makes the
// host-revenue NPV the year-0 revenue discounted once: NPV * (1 + host rate); the ledger of a
// few full-horizon paths confirms the reading.
TEST(UkraineScenario, YearOneHostRevenueMatchesMinistryOfFinanceReceipts) {
    const Scenario& s = ukraine();
    const int no_deal = deal_index(s, "no_deal");
    ASSERT_GE(no_deal, 0);
    constexpr double receipts = 47.7e9 / 40.15;  // USD 1,188M
    EXPECT_NEAR(receipts, 1188e6, 0.5e6);

    Scenario one_year = s;
    one_year.horizon = 1;
    RunOptions options;
    options.seed = 1;
    options.paths = 1000;
    options.threads = 1;
    options.deals = {no_deal};
    options.keep_fund_paths = false;
    const SimulationResult result = simulate(one_year, options);
    ASSERT_EQ(result.deals.size(), 1u);
    const double discount = 1 + s.world.host_discount_rate;
    const std::vector<double>& npv = result.deals[0].host_revenue;
    double sum = 0;
    for (const double v : npv) {
        sum += v * discount;
        EXPECT_NEAR(v * discount / receipts, 1.0, 0.10);
    }
    const double mean = sum / static_cast<double>(npv.size());
    EXPECT_NEAR(mean / receipts, 1.0, 0.10) << "year-1 host revenue USD " << mean / 1e6 << "M";

    for (int p = 0; p < 3; ++p) {
        const PathLedger ledger = ledger_for_path(s, no_deal, 1, p);
        ASSERT_EQ(ledger.years.size(), 76u);
        EXPECT_TRUE(ledger.years[0].war);
        const double year0 = ledger.years[0].host_revenue;
        EXPECT_NEAR(year0, npv[static_cast<std::size_t>(p)] * discount, 1e-9 * year0);
    }
}

// The "flat" variant: the Ukraine world made deterministic, with one stream whose revenue grows
// exactly geometrically, and V2 with a cap and nothing that grows it. The year the cap is
// reached must equal the geometric-sum formula.
//
// The stream is other_minerals (streams.toml): volume 1.2e9 (USD of sales, a value index),
// volume_growth 0.01, realisation 1, royalty 5.5% flat, commodity other_minerals with price0 1
// and drift g = 0.01. With sigma 0 the log price is ln(price0) + g t (MODEL.md 3.1), so
// price(t) = e^(0.01 t). Income tax and dividend takes are set to 0, so the host's revenue is
// the royalty alone (unit cost and inflation then play no part):
//   R(t) = 0.055 * 1.2e9 * 1.01^t * e^(0.01 t) * 1 = R0 * q^t,
//   R0 = 66.0e6,  q = 1.01 * e^0.01 = 1.0201507.
// V2 contributes share 0.5 of royalty: 33.0e6 * q^t a year. With cap C = 2.5e9 the cap is
// reached in year index n-1 for the smallest n with
//   33.0e6 * (q^n - 1) / (q - 1) >= 2.5e9
//   q^n >= 1 + 2.5e9 * 0.0201507 / 33.0e6 = 2.526566
//   n >= ln(2.526566) / ln(1.0201507) = 0.926861 / 0.0199503 = 46.46  ->  n = 47,
// so cap_year = 2025 + 46 = 2071 (46 years give USD 2.462bn, 47 give USD 2.545bn).
// With the draft's cap of USD 500bn, or 20e9, the whole horizon gives only
// 33.0e6 * (q^76 - 1) / (q - 1) = USD 5.82bn: never reached.
Scenario flat_world(double cap) {
    Scenario s = ukraine();
    World& w = s.world;
    for (Commodity& c : w.commodities) {
        c.sigma = 0;
        c.kappa = 0;
    }
    w.fund.return_sigma = 0;
    w.conflict.initial_war = false;
    w.conflict.renew_hazard = {0.0};
    w.projects.clear();
    std::vector<Stream> kept;
    for (const Stream& st : w.streams) {
        if (st.name == "other_minerals") kept.push_back(st);
    }
    w.streams = kept;
    if (w.streams.size() == 1) {
        w.streams[0].income_tax_take = 0;
        w.streams[0].dividend_take = 0;
    }
    Deal& v2 = s.deals[static_cast<std::size_t>(deal_index(s, "v2"))];
    v2.cap = cap;
    v2.cap_growth_per_support = 0;
    v2.partner_support = PartnerSupport{};  // no support: cash 0, in kind 0
    return s;
}

TEST(UkraineScenario, FlatWorldReachesCapInTheGeometricSumYear) {
    ASSERT_GE(deal_index(ukraine(), "v2"), 0);
    const Scenario s = flat_world(2.5e9);
    ASSERT_EQ(s.world.streams.size(), 1u);
    const Stream& st = s.world.streams[0];
    const Commodity& c =
        s.world.commodities[static_cast<std::size_t>(commodity_index(s, "other_minerals"))];
    // The stream's numbers the hand computation above uses.
    ASSERT_EQ(st.volume, 1.2e9);
    ASSERT_EQ(st.volume_growth, 0.01);
    ASSERT_EQ(st.realisation, 1.0);
    ASSERT_TRUE(st.royalty.bands.empty());
    ASSERT_EQ(st.royalty.rate, 0.055);
    ASSERT_EQ(c.price0, 1.0);
    ASSERT_EQ(c.drift, 0.01);

    const int v2 = deal_index(s, "v2");
    const double share = s.deals[static_cast<std::size_t>(v2)].share;
    ASSERT_EQ(share, 0.5);
    const double r0 = st.volume * c.price0 * st.realisation * st.royalty.rate;
    const double q = (1 + st.volume_growth) * std::exp(c.drift);
    EXPECT_NEAR(r0, 66.0e6, 1e-3);
    EXPECT_NEAR(q, 1.0201507, 1e-7);
    // The closed form: the smallest n with share * R0 * (q^n - 1) / (q - 1) >= cap.
    const double n_real = std::log(1 + 2.5e9 * (q - 1) / (share * r0)) / std::log(q);
    EXPECT_NEAR(n_real, 46.46, 0.01);
    const int n = static_cast<int>(std::ceil(n_real));
    EXPECT_EQ(n, 47);

    // The engine's ledger follows the geometric path year by year and stops at the cap.
    const PathLedger ledger = ledger_for_path(s, v2, 7, 3);
    double cumulative = 0;
    int reached = -1;
    for (int t = 0; t < s.horizon; ++t) {
        const LedgerYear& y = ledger.years[static_cast<std::size_t>(t)];
        EXPECT_FALSE(y.war);
        const double expected_revenue = r0 * std::pow(q, t);
        EXPECT_NEAR(y.host_revenue, expected_revenue, 1e-9 * expected_revenue) << t;
        EXPECT_NEAR(y.scoped_revenue, expected_revenue, 1e-9 * expected_revenue) << t;
        if (reached < 0 && cumulative + y.contribution >= 2.5e9 * (1 - 1e-12)) reached = t;
        if (reached < 0) {
            EXPECT_NEAR(y.contribution, share * expected_revenue, 1e-9 * expected_revenue) << t;
        }
        cumulative += y.contribution;
    }
    EXPECT_EQ(reached, n - 1);
    EXPECT_NEAR(cumulative, 2.5e9, 1e-6);  // the cap, exactly, by the horizon

    // simulate() reports the same year on every path (the world is deterministic).
    RunOptions options;
    options.seed = 11;
    options.paths = 8;
    options.threads = 1;
    options.deals = {v2};
    options.keep_fund_paths = false;
    const SimulationResult result = simulate(s, options);
    ASSERT_EQ(result.deals.size(), 1u);
    for (const double year : result.deals[0].cap_year) {
        EXPECT_EQ(year, 2071.0);  // 2025 + n - 1
        EXPECT_EQ(year, s.start_year + n - 1);
    }
    for (const double total : result.deals[0].host_contributions) EXPECT_NEAR(total, 2.5e9, 1e-6);
}

TEST(UkraineScenario, FlatWorldNeverReachesALargeCap) {
    for (const double cap : {20e9, 500e9}) {
        const Scenario s = flat_world(cap);
        const int v2 = deal_index(s, "v2");
        // 33.0e6 * (q^76 - 1) / (q - 1) = USD 5.82bn by 2100
        const double q = 1.01 * std::exp(0.01);
        const double total = 33.0e6 * (std::pow(q, 76) - 1) / (q - 1);
        EXPECT_NEAR(total, 5.82e9, 0.01e9);
        RunOptions options;
        options.paths = 2;
        options.threads = 1;
        options.deals = {v2};
        options.keep_fund_paths = false;
        const SimulationResult result = simulate(s, options);
        for (const double year : result.deals[0].cap_year) EXPECT_TRUE(std::isnan(year)) << cap;
        for (const double c : result.deals[0].host_contributions) {
            EXPECT_NEAR(c, total, 1e-9 * total) << cap;
        }
    }
}

// MODEL.md 6 on the real scenario: a contribution never exceeds the larger of share and
// share_liberated times the scoped revenue, and cumulative contributions never exceed the cap
// in force (grown by support). Year by year on the ledger of 16 paths of every deal
// (ledger_for_path rebuilds the plan, breakevens included, on each call: ~8 ms, so 50 paths of
// 8 deals would take the suite past its time budget), and in aggregate on 1,000 paths of every
// deal from simulate(): cumulative contributions within the cap grown by the most support the
// deal can pay, and the share ceded within the share.
TEST(UkraineScenario, ContributionsStayWithinShareAndCap) {
    const Scenario& s = ukraine();
    ASSERT_FALSE(s.deals.empty());
    const auto max_share = [](const Deal& deal) {
        return std::max(deal.share, deal.share_liberated.value_or(deal.share));
    };
    constexpr int ledger_paths = 16;
    for (std::size_t k = 0; k < s.deals.size(); ++k) {
        const Deal& deal = s.deals[k];
        const double share = max_share(deal);
        double total_contributions = 0;
        for (int p = 0; p < ledger_paths; ++p) {
            const PathLedger ledger = ledger_for_path(s, static_cast<int>(k), 1, p);
            double cumulative = 0;
            for (std::size_t t = 0; t < ledger.years.size(); ++t) {
                const LedgerYear& y = ledger.years[t];
                EXPECT_GE(y.contribution, 0.0) << deal.name << " path " << p << " year " << t;
                EXPECT_LE(y.scoped_revenue, y.host_revenue * (1 + 1e-9) + 1e-6)
                    << deal.name << " path " << p << " year " << t;
                EXPECT_LE(y.contribution, share * y.scoped_revenue * (1 + 1e-9) + 1e-6)
                    << deal.name << " path " << p << " year " << t;
                cumulative += y.contribution;
                EXPECT_LE(cumulative, y.cap * (1 + 1e-9))
                    << deal.name << " path " << p << " year " << t;
            }
            total_contributions += cumulative;
        }
        if (deal.share == 0) {
            EXPECT_EQ(total_contributions, 0.0) << deal.name;
        } else {
            EXPECT_GT(total_contributions, 0.0) << deal.name;
        }
    }

    RunOptions options;
    options.seed = 2;
    options.paths = 1000;
    options.threads = 0;
    options.keep_fund_paths = false;
    const SimulationResult result = simulate(s, options);
    ASSERT_EQ(result.deals.size(), s.deals.size());
    for (const DealPaths& paths : result.deals) {
        const Deal& deal = s.deals[static_cast<std::size_t>(paths.deal)];
        double most_support = 0;  // support paid every year, as if it never stopped
        for (int t = 0; t < s.horizon; ++t) {
            most_support += value_in_year(deal.partner_support.cash, t) +
                            value_in_year(deal.partner_support.in_kind, t);
        }
        const double cap = deal.cap ? *deal.cap + deal.cap_growth_per_support * most_support
                                    : std::numeric_limits<double>::infinity();
        for (std::size_t p = 0; p < paths.host_contributions.size(); ++p) {
            EXPECT_LE(paths.host_contributions[p], cap * (1 + 1e-9)) << deal.name << " " << p;
            EXPECT_LE(paths.share_ceded[p], max_share(deal) * (1 + 1e-9)) << deal.name << " " << p;
            EXPECT_GE(paths.host_kept[p], 0.0) << deal.name << " " << p;
        }
    }
}

// Every deal file opens with a comment block that states its terms in words (issue 4).
TEST(UkraineScenario, EveryDealFileHasAHeader) {
    int deal_files = 0;
    for (const auto& [path, text] : builtin_scenario()) {
        if (path.rfind("deals/", 0) != 0) continue;
        ++deal_files;
        int header_lines = 0;
        std::size_t at = 0;
        while (at < text.size() && text[at] == '#') {
            ++header_lines;
            const std::size_t end = text.find('\n', at);
            if (end == std::string::npos) break;
            at = end + 1;
        }
        EXPECT_GE(header_lines, 3) << path << " must open with a comment block";
    }
    EXPECT_EQ(deal_files, 8);
}

}  // namespace
}  // namespace nadra
