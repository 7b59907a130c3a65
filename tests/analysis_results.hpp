// Hand-made results of the analyses (sweep, breakeven, tornado, sobol, fiscal), for tests of the
// report: small, with known zones, frontiers and crossings, and with a factor named like markup.
#pragma once

#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "analysis/fiscal.hpp"
#include "analysis/negotiation.hpp"
#include "analysis/sensitivity.hpp"
#include "report/analysis_outputs.hpp"
#include "report/atomic_write.hpp"
#include "report/fiscal_outputs.hpp"
#include "report/run_info.hpp"

namespace nadra::test {

inline RunInfo analysis_info() {
    RunInfo info;
    info.nadra_version = "0.0.test";
    info.scenario = "builtin:ukraine-2025";
    info.scenario_sha256 = "0123456789abcdef";
    info.seed = 1;
    info.paths = 300;
    info.start_year = 2025;
    info.horizon = 30;
    return info;
}

// A factor named like markup, in the tornado and the Sobol indices.
inline const std::string markup_factor = "</script><!--<b>world.x&";

// v5 with share from 0.1 to 0.5 against no_deal: the host's gain falls as the share rises, the
// partner's rises. In the zone: share 0.2 and 0.3; on the frontier: 0.1 to 0.4 (0.4 beats 0.5
// for both). The Nash point: 0.3 (3 x 3 > 5 x 1). With support valued, each side 1e9 better off
// than on money (the same basis marks the frontier, zone and Nash point: money).
inline SweepResult sweep_result() {
    SweepResult r;
    r.deals = {"v5"};
    r.baseline = "no_deal";
    r.axes = {{"share", {"0.1", "0.2", "0.3", "0.4", "0.5"}}};
    r.baseline_host = {100e9, 2e9};
    r.baseline_partner = {0, 0};
    r.baseline_host_total = {101e9, 2e9};
    r.baseline_partner_net = {-1e9, 0};
    struct Row {
        const char* share;
        double host, host_se, partner, partner_se, cap;
        bool frontier, zone;
    };
    for (const Row& row : {Row{"0.1", 8e9, 0.5e9, -2e9, 0.3e9, 0.05, true, false},
                           Row{"0.2", 5e9, 0.5e9, 1e9, 0.3e9, 0.2, true, true},
                           Row{"0.3", 3e9, 0.5e9, 3e9, 0.4e9, 0.35, true, true},
                           Row{"0.4", 0.5e9, 0.5e9, 5e9, 0.4e9, 0.5, true, false},
                           Row{"0.5", -2e9, 0.5e9, 4e9, 0.4e9, 0.6, false, false}}) {
        SweepVariant v;
        v.deal = "v5";
        v.name = std::string("v5[share=") + row.share + "]";
        v.settings = {{"share", row.share}};
        v.host_gain = {row.host, row.host_se};
        v.partner_gain = {row.partner, row.partner_se};
        v.host = {r.baseline_host.mean + row.host, 2e9};
        v.partner = {row.partner, row.partner_se};
        v.cap_probability = row.cap;
        v.on_frontier = row.frontier;
        v.in_zone = row.zone;
        v.nash = std::string(row.share) == "0.3";
        v.host_total = {v.host.mean + 1e9, v.host.se};
        v.partner_net = {v.partner.mean - 1e9, v.partner.se};
        v.host_total_gain = v.host_gain;
        v.partner_net_gain = v.partner_gain;
        r.variants.push_back(v);
    }
    return r;
}

// The host gains while share < 0.31; the partner while share > 0.15 (its interval open below).
inline BreakevenResult breakeven_result() {
    BreakevenResult r;
    r.deal = "v5";
    r.baseline = "no_deal";
    r.param = "share";
    r.low = 0;
    r.high = 1;
    Breakeven host;
    host.party = Party::host;
    host.gain_at_low = 8e9;
    host.gain_at_high = -6e9;
    host.value = 0.31;
    host.ci_low = 0.29;
    host.ci_high = 0.33;
    Breakeven partner;
    partner.party = Party::partner;
    partner.gain_at_low = -2e9;
    partner.gain_at_high = 5e9;
    partner.value = 0.15;
    partner.ci_high = 0.2;
    r.parties = {host, partner};
    return r;
}

inline std::vector<Factor> analysis_factors() {
    return {{"world.conflict.end_hazard", {{"world.conflict.end_hazard", 0.1, 0.05, 0.2}}},
            {"world.projects.*.capex",
             {{"world.projects.dobra.capex", 1, 0.8, 1.4},
              {"world.projects.shevchenko.capex", 1, 0.8, 1.4}}},
            {markup_factor, {{markup_factor, 2, 1, 3}}}};
}

// Every output's estimate: host gain `gain` and made-up others.
inline OutputEstimates estimates(double gain) {
    return {{{gain, 0.4e9},
             {1e9, 0.2e9},
             {100e9 + gain, 2e9},
             {1e9, 0.2e9},
             {2041.5, 0.3},
             {0.4, 0.02},
             {gain + 0.5e9, 0.4e9},
             {0.8e9, 0.2e9},
             {101e9 + gain, 2e9},
             {0.5e9, 0.2e9}}};
}

inline TornadoResult tornado_result() {
    TornadoResult r;
    r.deal = "v5";
    r.baseline = "no_deal";
    r.output = Output::host_gain;
    r.cap_by_year = 2054;
    r.base = estimates(3e9);
    const std::vector<Factor> factors = analysis_factors();
    const double lows[] = {-4e9, 1e9, 2.5e9}, highs[] = {9e9, 5e9, 3.4e9};
    for (std::size_t i = 0; i < factors.size(); ++i) {
        TornadoBar bar;
        bar.factor = factors[i];
        bar.low = estimates(lows[i]);
        bar.high = estimates(highs[i]);
        for (std::size_t o = 0; o < all_outputs().size(); ++o) {
            bar.swing.push_back({bar.high.by_output[o].mean - bar.low.by_output[o].mean,
                                 0.1 * (bar.high.by_output[o].se + 1)});
        }
        r.bars.push_back(bar);
    }
    return r;
}

inline SobolResult sobol_result() {
    SobolResult r;
    r.deal = "v5";
    r.baseline = "no_deal";
    r.output = Output::host_gain;
    r.cap_by_year = 2054;
    r.factors = analysis_factors();
    r.estimate.samples = 128;
    r.estimate.mean = 3.1e9;
    r.estimate.variance = 16e18;
    r.estimate.indices = {{r.factors[0].name, 0.55, 0.45, 0.66, 0.62, 0.5, 0.75},
                          {r.factors[1].name, 0.2, 0.12, 0.29, 0.3, 0.21, 0.4},
                          {r.factors[2].name, -0.01, -0.05, 0.03, 0.02, 0.0, 0.05}};
    return r;
}

// Dobra under a light regime and a heavy one, on 4 paths (the project starts on 3): the heavy
// takes more than the project makes at half the price (a take above 100%), its AETR is not
// defined there nor on path 2, and its METR is not defined; the state gets 50 m more on each
// path where the project starts, the investor 30 m less.
inline FiscalComparison fiscal_result() {
    constexpr double nan = std::numeric_limits<double>::quiet_NaN();
    FiscalComparison c;
    c.project = "dobra";
    c.commodity = "lithium";
    c.unit = "USD/t";
    c.price_level = 15000;
    c.investor_rate = 0.16;
    c.host_rate = 0.08;
    const auto regime = [&](const std::string& name, double extra) {
        RegimeOutcome r;
        r.regime = name;
        ProjectFiscal& f = r.base;
        f.breakeven_price = 12000 + 4000 * extra;
        f.government_take = 0.35 + extra;
        f.aetr = 0.4 + extra;
        f.investor_npv = 80e6 - 300e6 * extra;
        f.state_revenue_npv = 150e6 + 500e6 * extra;
        f.irr = 0.2 - extra;
        f.pretax_irr = 0.25;
        f.payback.defined = true;
        f.payback.year = 2034;
        f.effective_royalty_rate = 0.05 + extra / 2;
        f.metr = extra > 0 ? nan : 0.2;
        f.metr_gap = extra > 0 ? MetrGap::pretax_irr_not_positive : MetrGap::defined;
        for (const double factor : progressivity_factors) {
            const double take = factor < 0.6 ? 0.9 + 3 * extra : 0.3 + extra + 0.05 * factor;
            f.progressivity.push_back(
                {factor, take, factor < 0.6 && extra > 0 ? nan : take + 0.05});
        }
        r.started = {1, 1, 1, 0};
        r.mean_real_price = {9000, 15000, 21000, 12000};
        r.state_npv = {100e6 + 500e6 * extra, 200e6 + 500e6 * extra, 300e6 + 500e6 * extra, 0};
        r.investor_npv = {-10e6 - 300e6 * extra, 50e6 - 300e6 * extra, 90e6 - 300e6 * extra, 0};
        r.take = {0.6 + extra, 0.4 + extra, 0.35 + extra, nan};
        r.aetr = {0.7 + 10 * extra, 0.45 + extra, extra > 0 ? nan : 0.4, nan};
        r.state_npv_stats = summarize(std::span<const double>(r.state_npv));
        r.investor_npv_stats = summarize(std::span<const double>(r.investor_npv));
        r.take_stats = summarize(std::span<const double>(r.take));
        r.aetr_stats = summarize(std::span<const double>(r.aetr));
        r.started_probability = 0.75;
        return r;
    };
    c.regimes = {regime("light", 0), regime("heavy", 0.1)};
    const std::vector<double> state{50e6, 50e6, 50e6, 0}, investor{-30e6, -30e6, -30e6, 0};
    c.differences.push_back({"heavy", "light", summarize(std::span<const double>(state)),
                             summarize(std::span<const double>(investor))});
    return c;
}

// The JSON and CSV files of all five analyses, as the commands write them.
inline OutputFiles all_analysis_files(const RunInfo& info = analysis_info()) {
    OutputFiles files;
    for (const OutputFiles& one :
         {sweep_outputs(info, sweep_result()), breakeven_outputs(info, breakeven_result()),
          tornado_outputs(info, tornado_result()), sobol_outputs(info, sobol_result()),
          fiscal_outputs(info, fiscal_result())}) {
        files.insert(one.begin(), one.end());
    }
    return files;
}

}  // namespace nadra::test
