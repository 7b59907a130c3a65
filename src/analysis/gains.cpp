#include "analysis/gains.hpp"

#include <algorithm>
#include <utility>

namespace nadra {
namespace {

// The statistics of -x from those of x. A zero is +0, as reported_percentile writes it.
Stats negated(const Stats& s) {
    Stats out = s;
    out.mean = -s.mean + 0.0;
    out.p5 = reported_percentile(-s.p95);
    out.p25 = reported_percentile(-s.p75);
    out.p50 = reported_percentile(-s.p50);
    out.p75 = reported_percentile(-s.p25);
    out.p95 = reported_percentile(-s.p5);
    return out;
}

}  // namespace

std::string gains_baseline(const RunSummary& summary) {
    if (summary.deals.empty()) return {};
    const auto no_deal = std::find_if(summary.deals.begin(), summary.deals.end(),
                                      [](const DealSummary& d) { return d.name == "no_deal"; });
    return no_deal != summary.deals.end() ? no_deal->name : summary.deals.front().name;
}

std::vector<GainSummary> paired_gains(const RunSummary& summary) {
    const std::string baseline = gains_baseline(summary);
    std::vector<GainSummary> gains;
    for (const DealSummary& deal : summary.deals) {
        if (deal.name == baseline) continue;
        GainSummary gain{deal.name, baseline, {}, {}};
        for (const DifferenceSummary& d : summary.differences) {
            if (d.a == deal.name && d.b == baseline) {
                gain.metrics = d.metrics;
            } else if (d.a == baseline && d.b == deal.name) {
                for (const auto& [name, stats] : d.metrics) gain.metrics[name] = negated(stats);
            } else {
                continue;
            }
            gain.between_sets_share = d.between_sets_share;
            break;
        }
        gains.push_back(std::move(gain));
    }
    return gains;
}

}  // namespace nadra
