#include "analysis/variants.hpp"

#include <fmt/core.h>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>

namespace nadra {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

std::string settings_label(const Settings& settings) {
    std::string label;
    for (const Setting& s : settings) label += (label.empty() ? "" : ", ") + s.key + "=" + s.value;
    return label;
}

std::string setting_text(double value) { return fmt::format("{}", value); }

std::optional<double> parse_number(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

Estimate estimate(std::span<const double> values) {
    double sum = 0;
    std::int64_t n = 0;
    for (double v : values) {
        if (std::isnan(v)) continue;
        sum += v;
        ++n;
    }
    if (n == 0) return {nan, 0};
    const double mean = sum / static_cast<double>(n);
    if (n < 2) return {mean, 0};
    double squares = 0;
    for (double v : values) {
        if (!std::isnan(v)) squares += (v - mean) * (v - mean);
    }
    const double sd = std::sqrt(squares / static_cast<double>(n - 1));
    return {mean, sd / std::sqrt(static_cast<double>(n))};
}

Estimate paired_estimate(std::span<const double> a, std::span<const double> b) {
    if (a.size() != b.size()) throw std::logic_error("paired_estimate: unequal lengths");
    std::vector<double> difference(a.size());
    for (std::size_t p = 0; p < a.size(); ++p) difference[p] = a[p] - b[p];
    return estimate(difference);
}

const std::vector<Output>& all_outputs() {
    static const std::vector<Output> outputs{Output::host_gain,        Output::partner_gain,
                                             Output::host_value,       Output::partner_value,
                                             Output::cap_year,         Output::cap_probability,
                                             Output::host_total_gain,  Output::partner_net_gain,
                                             Output::host_total_value, Output::partner_net_value};
    return outputs;
}

std::string_view output_name(Output output) {
    switch (output) {
        case Output::host_gain:
            return "host_gain";
        case Output::partner_gain:
            return "partner_gain";
        case Output::host_value:
            return "host_value";
        case Output::partner_value:
            return "partner_value";
        case Output::cap_year:
            return "cap_year";
        case Output::cap_probability:
            return "cap_probability";
        case Output::host_total_gain:
            return "host_total_gain";
        case Output::partner_net_gain:
            return "partner_net_gain";
        case Output::host_total_value:
            return "host_total_value";
        case Output::partner_net_value:
            return "partner_net_value";
    }
    return "";
}

std::optional<Output> output_by_name(std::string_view name) {
    for (Output o : all_outputs()) {
        if (output_name(o) == name) return o;
    }
    return std::nullopt;
}

std::vector<double> output_values(Output output, const OutputPaths& paths, int cap_by_year) {
    const std::size_t n = paths.deal_host.size();
    std::vector<double> values(n);
    for (std::size_t p = 0; p < n; ++p) {
        switch (output) {
            case Output::host_gain:
                values[p] = paths.deal_host[p] - paths.base_host[p];
                break;
            case Output::partner_gain:
                values[p] = paths.deal_partner[p] - paths.base_partner[p];
                break;
            case Output::host_value:
                values[p] = paths.deal_host[p];
                break;
            case Output::partner_value:
                values[p] = paths.deal_partner[p];
                break;
            case Output::cap_year:
                values[p] = paths.cap_year[p];
                break;
            case Output::cap_probability: {
                const double year = paths.cap_year[p];
                values[p] = !std::isnan(year) && year <= cap_by_year ? 1.0 : 0.0;
                break;
            }
            case Output::host_total_gain:
                values[p] = paths.deal_host_total[p] - paths.base_host_total[p];
                break;
            case Output::partner_net_gain:
                values[p] = paths.deal_partner_net[p] - paths.base_partner_net[p];
                break;
            case Output::host_total_value:
                values[p] = paths.deal_host_total[p];
                break;
            case Output::partner_net_value:
                values[p] = paths.deal_partner_net[p];
                break;
        }
    }
    return values;
}

OutputPaths output_paths(const DealPaths& deal, const DealPaths& baseline) {
    return {deal.host_value,
            deal.partner_value,
            baseline.host_value,
            baseline.partner_value,
            deal.cap_year,
            deal.host_total_value,
            deal.partner_net_value,
            baseline.host_total_value,
            baseline.partner_net_value};
}

std::string_view basis_name(Basis basis) { return basis == Basis::money ? "money" : "total"; }

std::optional<Basis> basis_by_name(std::string_view name) {
    if (name == "money") return Basis::money;
    if (name == "total") return Basis::total;
    return std::nullopt;
}

std::span<const double> host_values(const DealPaths& deal, Basis basis) {
    return basis == Basis::money ? deal.host_value : deal.host_total_value;
}

std::span<const double> partner_values(const DealPaths& deal, Basis basis) {
    return basis == Basis::money ? deal.partner_value : deal.partner_net_value;
}

Estimate output_estimate(Output output, const OutputPaths& paths, int cap_by_year) {
    return estimate(output_values(output, paths, cap_by_year));
}

int deal_index(const Scenario& scenario, const std::string& name) {
    std::string names;
    for (std::size_t i = 0; i < scenario.deals.size(); ++i) {
        if (scenario.deals[i].name == name) return static_cast<int>(i);
        names += (names.empty() ? "" : ", ") + scenario.deals[i].name;
    }
    throw VariantError("no deal named '" + name + "'; the scenario has: " + names);
}

SimulationResult run_deals(const Scenario& scenario, std::vector<int> deals,
                           const RunOptions& options, const Progress& progress,
                           std::int64_t progress_offset, std::int64_t progress_total) {
    RunOptions run = options;
    run.deals = std::move(deals);
    run.keep_fund_paths = false;
    Progress counted;
    if (progress) {
        counted = [&](std::int64_t done, std::int64_t) {
            return progress(progress_offset + done, progress_total);
        };
    }
    return simulate(scenario, run, counted);
}

}  // namespace nadra
