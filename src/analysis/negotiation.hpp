// What terms both sides could accept: a grid of variants of one or more deals run on the same
// paths (sweep), the Pareto frontier and the zone of possible agreement among them, and the value
// of one term at which a party is indifferent to no deal (breakeven).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/input_sets.hpp"
#include "analysis/variants.hpp"
#include "analysis/workers.hpp"
#include "engine/engine.hpp"

namespace nadra {

// One term of the deal and the values it takes: "share=0.1:0.9:0.05" (from, to, step; both ends
// included) or "cap=none,2e11,5e11" (a list of scenario values).
struct SweepAxis {
    std::string key;  // relative to the deal, e.g. "share", "partner_support.cash"
    std::vector<std::string> values;
};

// Parses "KEY=FROM:TO:STEP" or "KEY=V1,V2,..."; on failure returns none and says why in `error`.
// A grid has at most max_axis_values values.
inline constexpr std::size_t max_axis_values = 10'000;
std::optional<SweepAxis> parse_sweep_axis(std::string_view text, std::string& error);

struct SweepOptions {
    std::vector<std::string> deals;  // the deals whose terms vary: each runs the whole grid
    std::string baseline;            // what each party gets without it, e.g. "no_deal"
    std::vector<SweepAxis> axes;
    Basis basis = Basis::money;  // the gains the frontier, the zone and the Nash point are on
    RunOptions run;              // seed, paths, threads; deals is ignored
    SampledInputs inputs;        // input sets each variant runs on (MODEL.md 4.3); none: count 0
};

struct SweepVariant {
    std::string deal;                  // which of SweepOptions::deals
    std::string name;                  // "v5[share=0.3, cap=none]", or the deal's name without axes
    Settings settings;                 // one value per axis, keys relative to the deal
    Estimate host, partner;            // host_value and partner_value
    Estimate host_gain, partner_gain;  // paired against the baseline
    // With support valued (MODEL.md 4.2): host_total_value and partner_net_value, and their
    // gains paired against the baseline.
    Estimate host_total, partner_net;
    Estimate host_total_gain, partner_net_gain;
    double cap_probability = 0;  // share of paths that reach the cap by the horizon
    // On the sweep's basis:
    bool on_frontier = false;  // no other variant is better for both by mean value
    bool in_zone = false;      // both gains above two standard errors
    bool nash = false;         // the Nash bargaining point: see nash_point()

    [[nodiscard]] const Estimate& host_value_on(Basis basis) const {
        return basis == Basis::money ? host : host_total;
    }
    [[nodiscard]] const Estimate& partner_value_on(Basis basis) const {
        return basis == Basis::money ? partner : partner_net;
    }
    [[nodiscard]] const Estimate& host_gain_on(Basis basis) const {
        return basis == Basis::money ? host_gain : host_total_gain;
    }
    [[nodiscard]] const Estimate& partner_gain_on(Basis basis) const {
        return basis == Basis::money ? partner_gain : partner_net_gain;
    }
};

struct SweepResult {
    std::vector<std::string> deals;
    std::string baseline;
    std::vector<SweepAxis> axes;
    Basis basis = Basis::money;                // what on_frontier, in_zone and nash were drawn on
    Estimate baseline_host, baseline_partner;  // host_value, partner_value
    Estimate baseline_host_total, baseline_partner_net;  // host_total_value, partner_net_value
    std::vector<SweepVariant> variants;  // deal by deal, each the grid, first axis slowest
};

// Runs the baseline and every variant in one simulation, so all share every draw. With no axes,
// each deal as the scenario has it is one variant (which drafts both sides prefer). Throws
// VariantError (an axis value the scenario rejects, an unknown deal) before simulating.
// With several `workers`, each runs the baseline and its share of the variants.
SweepResult sweep(const ScenarioMaker& make, const SweepOptions& options,
                  const Progress& progress = {}, Workers& workers = one_process());

// On `basis` (money: host_value and partner_value and their gains; total: host_total_value and
// partner_net_value and theirs): marks on_frontier: variant i is dominated when some j has host
// and partner means both >= and one >; the frontier is the variants not dominated. Marks in_zone:
// the host's and the partner's gains both more than `z` standard errors above zero. Marks nash:
// the variant nash_point() picks, if any.
void mark_frontier_and_zone(std::vector<SweepVariant>& variants, Basis basis = Basis::money,
                            double z = 2.0);

// The Nash bargaining solution among the variants: of those in_zone, the one whose mean gains
// on `basis` (against the sweep's baseline, the disagreement point) have the largest product;
// the first of equals. None when no variant is in the zone.
std::optional<std::size_t> nash_point(const std::vector<SweepVariant>& variants, Basis basis);

enum class Party { host, partner };
std::string_view party_name(Party party);

struct BreakevenOptions {
    std::string deal, baseline;
    std::string param;  // relative to the deal, e.g. "share"
    double low = 0, high = 1;
    std::vector<Party> parties{Party::host, Party::partner};
    Basis basis = Basis::money;  // which gains: host_gain and partner_gain, or with support valued
    double tolerance = 1e-4;     // relative to high - low
    double z = 1.959963984540054;  // two-sided 95%
    RunOptions run;
    SampledInputs inputs;  // input sets each evaluation runs on (MODEL.md 4.3); none: count 0
};

// Where a party's mean gain over the baseline, g(x), crosses zero for x in [low, high].
struct Breakeven {
    Party party = Party::host;
    double gain_at_low = 0, gain_at_high = 0;  // g at the ends of the range
    std::optional<double> value;               // none: g has one sign over the whole range
    // The confidence interval, by inverting the paired test: the x at which g(x) = +-z se(x).
    // An end is none when it lies outside [low, high].
    std::optional<double> ci_low, ci_high;
    int evaluations = 0;
};

struct BreakevenResult {
    std::string deal, baseline, param;
    double low = 0, high = 0;
    Basis basis = Basis::money;
    std::vector<Breakeven> parties;
};

// Bisection on common random numbers: every evaluation of g runs the same paths, so g is a
// deterministic function of x and the search converges. Each step runs the midpoints of every
// open search in one simulation.
// With several `workers`, each step's points are shared between them.
BreakevenResult breakeven(const ScenarioMaker& make, const BreakevenOptions& options,
                          const Progress& progress = {}, Workers& workers = one_process());

// The default search range of a term that is a fraction (share, share_liberated, payout_rate,
// partner_share): [0, 1]; none for others.
std::optional<std::pair<double, double>> default_range(std::string_view param);

}  // namespace nadra
