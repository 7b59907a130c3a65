// What the negotiation and sensitivity analyses share: scenarios changed by key path, the
// outputs they compare, and estimates of means and paired differences over common random
// numbers (the same seed, so every variant sees the same futures).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.hpp"
#include "scenario/scenario.hpp"

namespace nadra {

// A value for a key path, as scenario text: {"deals.v5.share", "0.4"}, {"deals.v2.cap", "none"}.
struct Setting {
    std::string key;
    std::string value;
};
using Settings = std::vector<Setting>;

// The scenario with `settings` applied on top of the base the analysis was given. The analyses
// know nothing of files: the caller decides how settings become a scenario (the command line
// re-reads the scenario files with them as overrides). Throws VariantError when the settings do
// not make a valid scenario.
using ScenarioMaker = std::function<Scenario(const Settings&)>;

struct VariantError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// "key=value" of each setting, comma-separated: the name of a variant.
std::string settings_label(const Settings& settings);

// A number as setting text that reads back as exactly this double (shortest round trip).
std::string setting_text(double value);

// A finite number, spaces around it allowed; none for anything else ("0.1", " 2e11 ").
std::optional<double> parse_number(std::string_view text);

// A mean over paths and its standard error.
struct Estimate {
    double mean = 0;
    double se = 0;
};

// Mean and standard error (sample sd / sqrt(n)) of the values that are not NaN; the standard
// error is 0 with fewer than two values, and the mean NaN with none. Sums run in index order.
Estimate estimate(std::span<const double> values);
// The same of the per-path difference a - b (paired: noise the two share cancels).
Estimate paired_estimate(std::span<const double> a, std::span<const double> b);

// The outputs an analysis can compare, for one deal, against a baseline deal run on the same
// paths in the same world.
enum class Output {
    host_gain,        // host_value - the baseline's host_value, per path
    partner_gain,     // partner_value - the baseline's partner_value, per path
    host_value,       // MODEL.md 5
    partner_value,    // MODEL.md 5
    cap_year,         // mean calendar year the cap is reached, over the paths that reach it
    cap_probability,  // share of paths that reach the cap by a given calendar year
    // With support valued (MODEL.md 4.2):
    host_total_gain,    // host_total_value - the baseline's host_total_value, per path
    partner_net_gain,   // partner_net_value - the baseline's partner_net_value, per path
    host_total_value,   // host_value + host.support_value x in-kind support (NPV, host's rate)
    partner_net_value,  // partner_value - partner.support_cost x in_kind_support_npv
};

const std::vector<Output>& all_outputs();
std::string_view output_name(Output output);
std::optional<Output> output_by_name(std::string_view name);

// Every output of a deal over paths, against its baseline on the same paths.
struct OutputPaths {
    std::span<const double> deal_host, deal_partner, base_host, base_partner, cap_year;
    // host_total_value and partner_net_value of the deal and the baseline
    std::span<const double> deal_host_total, deal_partner_net, base_host_total, base_partner_net;
};

// The outputs of `deal` against `baseline`, both from one run.
OutputPaths output_paths(const DealPaths& deal, const DealPaths& baseline);

// Which values the negotiation analyses compare deals on (MODEL.md 4.2): money from the subsoil
// alone (host_value, partner_value) or with support valued (host_total_value, partner_net_value).
enum class Basis { money, total };
std::string_view basis_name(Basis basis);
std::optional<Basis> basis_by_name(std::string_view name);
// The host's and the partner's per-path values of a deal on `basis`.
std::span<const double> host_values(const DealPaths& deal, Basis basis);
std::span<const double> partner_values(const DealPaths& deal, Basis basis);

// The per-path values of `output` (NaN where a path does not count: cap_year of a path that
// never reaches the cap).
std::vector<double> output_values(Output output, const OutputPaths& paths, int cap_by_year);

// The estimate of `output`: for cap_year, over the paths that reach the cap (NaN mean when none).
Estimate output_estimate(Output output, const OutputPaths& paths, int cap_by_year);

// Index of the deal named `name`, or VariantError naming the deals there are.
int deal_index(const Scenario& scenario, const std::string& name);

// Runs `deals` of `scenario` (indices) on the analysis's paths; only per-path values are kept.
// `progress_offset` paths are counted as done before this run (an analysis is many runs).
SimulationResult run_deals(const Scenario& scenario, std::vector<int> deals,
                           const RunOptions& options, const Progress& progress,
                           std::int64_t progress_offset, std::int64_t progress_total);

}  // namespace nadra
