// Paired gains: each deal's metrics minus the baseline's, path by path, in one orientation
// everywhere in the product: gain = deal - baseline.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "analysis/statistics.hpp"

namespace nadra {

struct GainSummary {
    std::string deal, baseline;
    std::map<std::string, Stats> metrics;  // statistics of deal - baseline per path
    // With input sets (MODEL.md 4.3): the pair's between-set shares (a sign does not move them).
    std::map<std::string, double> between_sets_share;
};

// The baseline of a run's gains: "no_deal" when the run has it, else the run's first deal;
// empty for a run without deals.
std::string gains_baseline(const RunSummary& summary);

// Every deal but the baseline, in run order, with the statistics of deal - baseline taken from
// the run's paired differences: a difference (deal, baseline) as it is, a difference (baseline,
// deal) mirrored (means negated, P5 <-> P95 and P25 <-> P75 swapped and negated; sd, sem and
// count as they are). Empty when the run has one deal.
std::vector<GainSummary> paired_gains(const RunSummary& summary);

}  // namespace nadra
