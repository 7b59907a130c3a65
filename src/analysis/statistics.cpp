#include "analysis/statistics.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace nadra {
namespace {

using Metric = std::vector<double> DealPaths::*;

// One table for names and members, so metric_names() and metric_values() cannot disagree.
constexpr std::array<std::pair<std::string_view, Metric>, 10> metrics{{
    {"host_value", &DealPaths::host_value},
    {"partner_value", &DealPaths::partner_value},
    {"in_kind_support_npv", &DealPaths::in_kind_support_npv},
    {"host_contributions", &DealPaths::host_contributions},
    {"host_revenue", &DealPaths::host_revenue},
    {"host_kept", &DealPaths::host_kept},
    {"share_ceded", &DealPaths::share_ceded},
    {"cap_year", &DealPaths::cap_year},
    {"host_total_value", &DealPaths::host_total_value},
    {"partner_net_value", &DealPaths::partner_net_value},
}};

constexpr std::string_view cap_year_metric = "cap_year";

// Type 7: the value at rank h = (n - 1) p, between the order statistics either side of it.
// Found by selection rather than a full sort: after nth_element at `lower`, everything from
// `from` up to it is no larger and everything after no smaller, so the next order statistic is
// the minimum of the rest. Call with increasing p, passing the previous `lower` as `from`.
double percentile(std::vector<double>& values, double p, std::size_t& from) {
    const double h = static_cast<double>(values.size() - 1) * p;
    const auto lower = static_cast<std::size_t>(std::floor(h));
    const double fraction = h - static_cast<double>(lower);
    const auto at = values.begin() + static_cast<std::ptrdiff_t>(lower);
    std::nth_element(values.begin() + static_cast<std::ptrdiff_t>(from), at, values.end());
    from = lower;
    if (fraction == 0) return *at;  // exact, and no inf - inf at the top
    const double upper = *std::min_element(at + 1, values.end());
    return *at + fraction * (upper - *at);
}

double mean_of(const std::vector<double>& values) {
    double sum = 0;
    for (double v : values) sum += v;
    return sum / static_cast<double>(values.size());
}

double sample_sd(const std::vector<double>& values, double mean) {
    double squares = 0;
    for (double v : values) squares += (v - mean) * (v - mean);
    return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

// P(cap reached by year index t) over all paths, for t in [0, horizon).
std::vector<double> cap_curve(const std::vector<double>& cap_year, int start_year, int horizon) {
    std::vector<double> curve(static_cast<std::size_t>(horizon), 0.0);
    if (cap_year.empty()) return curve;
    std::vector<std::int64_t> first_reached(curve.size(), 0);
    for (double year : cap_year) {
        if (std::isnan(year)) continue;
        const double index = std::max(0.0, std::ceil(year - start_year));
        if (index < static_cast<double>(horizon)) ++first_reached[static_cast<std::size_t>(index)];
    }
    std::int64_t reached = 0;
    for (std::size_t t = 0; t < curve.size(); ++t) {
        reached += first_reached[t];
        curve[t] = static_cast<double>(reached) / static_cast<double>(cap_year.size());
    }
    return curve;
}

// Statistics across paths of each year's fund balance; empty when the run kept no fund paths.
std::vector<Stats> fund_bands(const std::vector<double>& balance, std::size_t paths, int horizon) {
    if (balance.empty()) return {};
    const auto years = static_cast<std::size_t>(horizon);
    if (balance.size() != paths * years) {
        throw std::invalid_argument("fund_balance has " + std::to_string(balance.size()) +
                                    " entries, expected paths * horizon");
    }
    std::vector<Stats> bands;
    std::vector<double> column(paths);
    for (std::size_t t = 0; t < years; ++t) {
        for (std::size_t p = 0; p < paths; ++p) column[p] = balance[p * years + t];
        bands.push_back(summarize(column));
    }
    return bands;
}

// Each project's starts over the deal's paths (DealPaths::project_start), counted by year.
std::vector<ProjectStarts> project_starts_of(const Scenario& scenario, const DealPaths& deal,
                                             int horizon) {
    const auto projects = static_cast<std::size_t>(deal.projects);
    const std::size_t paths = projects == 0 ? 0 : deal.project_start.size() / projects;
    std::vector<ProjectStarts> out;
    for (std::size_t j = 0; j < projects; ++j) {
        std::vector<std::int64_t> started_in(static_cast<std::size_t>(horizon), 0);
        std::int64_t co_invested = 0;
        for (std::size_t p = 0; p < paths; ++p) {
            const int start = deal.project_start[p * projects + j];
            if (start >= 0 && start < horizon) ++started_in[static_cast<std::size_t>(start)];
            co_invested += deal.project_co_invested[p * projects + j] != 0;
        }
        out.push_back(project_starts(scenario.world.projects.at(j).name, started_in, co_invested,
                                     static_cast<std::int64_t>(paths), scenario.start_year));
    }
    return out;
}

DealSummary summarize_deal(const Scenario& scenario, const SimulationResult& result,
                           const DealPaths& deal) {
    DealSummary summary;
    summary.name = scenario.deals.at(static_cast<std::size_t>(deal.deal)).name;
    for (const auto& [name, member] : metrics) {
        summary.metrics[std::string(name)] = summarize(deal.*member);
    }
    summary.cap_reached_probability = cap_curve(deal.cap_year, scenario.start_year, result.horizon);
    summary.fund_balance = fund_bands(deal.fund_balance, deal.cap_year.size(), result.horizon);
    summary.projects = project_starts_of(scenario, deal, result.horizon);
    return summary;
}

// Statistics of the per-path difference a - b: paired, so common noise cancels.
DifferenceSummary summarize_difference(const DealSummary& a_summary, const DealPaths& a,
                                       const DealSummary& b_summary, const DealPaths& b) {
    DifferenceSummary summary{a_summary.name, b_summary.name, {}, {}};
    std::vector<double> difference;
    for (const auto& [name, member] : metrics) {
        if (name == cap_year_metric) continue;
        const std::vector<double>& x = a.*member;
        const std::vector<double>& y = b.*member;
        if (x.size() != y.size()) throw std::invalid_argument("deals have different path counts");
        difference.resize(x.size());
        for (std::size_t p = 0; p < x.size(); ++p) difference[p] = x[p] - y[p];
        summary.metrics[std::string(name)] = summarize(difference);
    }
    return summary;
}

}  // namespace

Stats summarize(std::span<const double> values) {
    std::vector<double> kept;
    kept.reserve(values.size());
    std::copy_if(values.begin(), values.end(), std::back_inserter(kept),
                 [](double v) { return !std::isnan(v); });
    Stats stats;
    stats.count = static_cast<std::int64_t>(kept.size());
    if (kept.empty()) return stats;
    stats.mean = mean_of(kept);
    if (kept.size() >= 2) {
        stats.sd = sample_sd(kept, stats.mean);
        stats.sem = stats.sd / std::sqrt(static_cast<double>(kept.size()));
    }
    std::size_t from = 0;
    stats.p5 = reported_percentile(percentile(kept, 0.05, from));
    stats.p25 = reported_percentile(percentile(kept, 0.25, from));
    stats.p50 = reported_percentile(percentile(kept, 0.50, from));
    stats.p75 = reported_percentile(percentile(kept, 0.75, from));
    stats.p95 = reported_percentile(percentile(kept, 0.95, from));
    return stats;
}

ProjectStarts project_starts(std::string name, const std::vector<std::int64_t>& started_in,
                             std::int64_t co_invested, std::int64_t paths, int start_year) {
    ProjectStarts out;
    out.name = std::move(name);
    const double n = paths > 0 ? static_cast<double>(paths) : 1.0;
    std::int64_t started = 0;
    for (const std::int64_t count : started_in) {
        started += count;
        out.started_by_year.push_back(static_cast<double>(started) / n);
    }
    out.started_probability = static_cast<double>(started) / n;
    out.co_invested_probability = static_cast<double>(co_invested) / n;
    out.median_start_year = std::numeric_limits<double>::quiet_NaN();
    if (started > 0) {
        // summarize()'s median (type 7) of the start years: the order statistics at ranks
        // floor(h) and floor(h) + 1, h = (started - 1) / 2, read off the counts.
        const std::int64_t lower = (started - 1) / 2;
        const bool between = (started - 1) % 2 != 0;
        const auto year_at = [&](std::int64_t rank) {
            std::int64_t below = 0;
            for (std::size_t t = 0; t < started_in.size(); ++t) {
                below += started_in[t];
                if (rank < below) return static_cast<double>(start_year + static_cast<int>(t));
            }
            return std::numeric_limits<double>::quiet_NaN();  // not reached: rank < started
        };
        const double at = year_at(lower);
        out.median_start_year = between ? at + 0.5 * (year_at(lower + 1) - at) : at;
    }
    return out;
}

const std::vector<std::string>& metric_names() {
    static const std::vector<std::string> names = [] {
        std::vector<std::string> list;
        for (const auto& [name, member] : metrics) list.emplace_back(name);
        return list;
    }();
    return names;
}

std::span<const double> metric_values(const DealPaths& deal, const std::string& metric) {
    for (const auto& [name, member] : metrics) {
        if (name == metric) return deal.*member;
    }
    throw std::invalid_argument("unknown metric: " + metric);
}

const std::vector<std::string>& year_series_names() {
    static const std::vector<std::string> names = {"host_revenue",
                                                   "scoped_revenue",
                                                   "contributions",
                                                   "cumulative_contributions",
                                                   "cap",
                                                   "distributions_to_host",
                                                   "distributions_to_partner",
                                                   "fund_balance",
                                                   "co_invest_paid",
                                                   "co_invest_receipts",
                                                   "co_invest_unpaid"};
    return names;
}

RunSummary summarize_run(const Scenario& scenario, const SimulationResult& result) {
    RunSummary run;
    for (const DealPaths& deal : result.deals) {
        run.deals.push_back(summarize_deal(scenario, result, deal));
    }
    for (std::size_t i = 0; i < result.deals.size(); ++i) {
        for (std::size_t j = i + 1; j < result.deals.size(); ++j) {
            run.differences.push_back(
                summarize_difference(run.deals[i], result.deals[i], run.deals[j], result.deals[j]));
        }
    }
    return run;
}

}  // namespace nadra

namespace nadra {

void add_to_sets(std::vector<SetMoments>& sets, std::span<const double> values,
                 std::int64_t first_path) {
    const auto k = static_cast<std::int64_t>(sets.size());
    std::int64_t set = first_path % k;
    for (const double value : values) {
        if (!std::isnan(value)) sets[static_cast<std::size_t>(set)].add(value);
        if (++set == k) set = 0;
    }
}

BetweenSets between_sets(std::span<const SetMoments> sets) {
    BetweenSets out;
    // The grand mean and the pooled within-set sum of squares, in set order.
    double sum = 0;
    for (const SetMoments& s : sets) {
        if (s.count == 0) continue;
        out.count += s.count;
        ++out.sets;
        sum += s.mean * static_cast<double>(s.count);
        out.ss_within += s.m2;
    }
    if (out.count == 0) return out;
    const auto n = static_cast<double>(out.count);
    out.mean = sum / n;
    double squares = 0;
    for (const SetMoments& s : sets) {
        if (s.count == 0) continue;
        const double d = s.mean - out.mean;
        out.ss_between += static_cast<double>(s.count) * d * d;
        squares += static_cast<double>(s.count) * static_cast<double>(s.count);
    }
    if (out.sets <= 1) return out;
    const auto k = static_cast<double>(out.sets);
    out.ms_between = out.ss_between / (k - 1);
    out.ms_within = out.count > out.sets ? out.ss_within / (n - k) : 0.0;
    const double n0 = (n - squares / n) / (k - 1);
    out.between = n0 > 0 ? std::max(0.0, (out.ms_between - out.ms_within) / n0) : 0.0;
    const double total = out.between + out.ms_within;
    out.share = total > 0 ? out.between / total : 0.0;
    return out;
}

}  // namespace nadra
