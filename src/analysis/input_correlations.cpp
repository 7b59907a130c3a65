#include "analysis/input_correlations.hpp"

#include <tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "analysis/resampling.hpp"

namespace nadra {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Average ranks (1-based) of `values`; ties share the mean of their positions.
std::vector<double> ranks(std::span<const double> values) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return values[a] < values[b]; });
    std::vector<double> rank(values.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
        const double average = (static_cast<double>(i + j) + 2.0) / 2.0;
        for (std::size_t k = i; k <= j; ++k) rank[order[k]] = average;
        i = j + 1;
    }
    return rank;
}

double pearson(std::span<const double> x, std::span<const double> y) {
    const auto n = static_cast<double>(x.size());
    const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
    const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
    double sxy = 0, sxx = 0, syy = 0;
    for (std::size_t i = 0; i < x.size(); ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (!(sxx > 0) || !(syy > 0)) return nan;
    return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

}  // namespace

double spearman(std::span<const double> x, std::span<const double> y) {
    if (x.size() != y.size() || x.size() < 3) return nan;
    const std::vector<double> rx = ranks(x), ry = ranks(y);
    return pearson(rx, ry);
}

InputCorrelations input_correlations(const RunSummary& summary, const InputDraws& draws,
                                     std::uint64_t seed, const CorrelationOptions& options) {
    InputCorrelations result;
    const std::int64_t sets = summary.inputs.sets;
    const bool has_reference =
        std::any_of(summary.deals.begin(), summary.deals.end(),
                    [&](const DealSummary& d) { return d.name == options.reference; });
    if (sets <= 0 || !has_reference) return result;
    result.reference = options.reference;
    result.bootstrap = options.bootstrap;
    result.confidence = options.confidence;

    // Each set's draw of each sampled input: [input][set].
    const std::vector<std::string> keys = sampled_keys(draws);
    std::vector<std::vector<double>> drawn(keys.size());
    for (std::int64_t k = 0; k < sets; ++k) {
        const std::vector<double> values = input_set_values(draws, seed, k);
        for (std::size_t i = 0; i < keys.size(); ++i) drawn[i].push_back(values[i]);
    }

    // Each deal's per-set mean gains, from the pair with the reference (a - b: the sign flips
    // when the reference is a).
    struct Series {
        std::string deal, metric;
        std::vector<double> means;
    };
    std::vector<Series> series;
    for (const DealSummary& deal : summary.deals) {
        if (deal.name == options.reference) continue;
        for (const auto& [value, gain] :
             {std::pair{"host_value", "host_gain"}, std::pair{"partner_value", "partner_gain"}}) {
            for (const DifferenceSummary& d : summary.differences) {
                const bool forward = d.a == deal.name && d.b == options.reference;
                const bool backward = d.b == deal.name && d.a == options.reference;
                const auto it = d.set_means.find(value);
                if ((!forward && !backward) || it == d.set_means.end()) continue;
                Series s{deal.name, gain, it->second};
                if (backward)
                    for (double& m : s.means) m = -m;
                series.push_back(std::move(s));
            }
        }
    }
    // The sets with a value in every series.
    std::vector<std::size_t> kept;
    for (std::size_t k = 0; k < static_cast<std::size_t>(sets); ++k) {
        if (std::all_of(series.begin(), series.end(),
                        [k](const Series& s) { return std::isfinite(s.means[k]); }))
            kept.push_back(k);
    }
    const auto pick = [&](const std::vector<double>& values, const std::vector<std::size_t>& at) {
        std::vector<double> out;
        out.reserve(at.size());
        for (std::size_t k : at) out.push_back(values[k]);
        return out;
    };

    // The estimates on every kept set, then on each resample (resample b holds kept[position]).
    const std::size_t rows = series.size() * keys.size();
    std::vector<double> estimate(rows);
    for (std::size_t s = 0; s < series.size(); ++s)
        for (std::size_t i = 0; i < keys.size(); ++i)
            estimate[s * keys.size() + i] =
                spearman(pick(drawn[i], kept), pick(series[s].means, kept));
    const auto resamples = static_cast<std::size_t>(std::max(0, options.bootstrap));
    std::vector<std::vector<double>> by_resample(resamples);
    // Resample b holds kept[position] at (seed, b, position) on a stream of its own.
    const Uniforms resample(seed, correlation_bootstrap_stream);
    tbb::parallel_for(std::size_t{0}, resamples, [&](std::size_t b) {
        std::vector<std::size_t> at(kept.size());
        for (std::size_t p = 0; p < kept.size(); ++p)
            at[p] = kept[resample.index(b, p, kept.size())];
        std::vector<std::vector<double>> input_ranks(keys.size());
        for (std::size_t i = 0; i < keys.size(); ++i) input_ranks[i] = ranks(pick(drawn[i], at));
        std::vector<double>& out = by_resample[b];
        out.resize(rows);
        for (std::size_t s = 0; s < series.size(); ++s) {
            const std::vector<double> mean_ranks = ranks(pick(series[s].means, at));
            for (std::size_t i = 0; i < keys.size(); ++i)
                out[s * keys.size() + i] = pearson(input_ranks[i], mean_ranks);
        }
    });
    const double tail = (1 - options.confidence) / 2;
    for (std::size_t s = 0; s < series.size(); ++s) {
        for (std::size_t i = 0; i < keys.size(); ++i) {
            const std::size_t row = s * keys.size() + i;
            std::vector<double> values;
            for (const std::vector<double>& r : by_resample)
                if (std::isfinite(r[row])) values.push_back(r[row]);
            std::sort(values.begin(), values.end());
            result.rows.push_back({series[s].deal, series[s].metric, keys[i], estimate[row],
                                   quantile_sorted(values, tail),
                                   quantile_sorted(values, 1 - tail)});
        }
    }
    return result;
}

}  // namespace nadra
