#include "analysis/streaming.hpp"

#ifndef NADRA_STD_THREADS
#include <tbb/parallel_for.h>
#endif

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <xsimd/xsimd.hpp>

namespace nadra {
namespace {

constexpr std::array<double, 5> percentile_probabilities{0.05, 0.25, 0.50, 0.75, 0.95};
constexpr std::string_view cap_year_metric = "cap_year";

[[noreturn]] void bracket_missed(double probability) {
    throw std::runtime_error(
        "the " + std::to_string(static_cast<int>(std::lround(probability * 100))) +
        "th percentile left the bracket kept for it: the values did not arrive as independent "
        "paths in random order (streaming percentiles, docs/model.md)");
}

}  // namespace

StreamingStats::StreamingStats(std::int64_t expected_count, const BracketLimits& limits)
    : limits_(limits),
      expected_count_(std::max<std::int64_t>(1, expected_count)),
      next_checkpoint_(std::max<std::int64_t>(2, limits.first_checkpoint)) {
    for (std::size_t i = 0; i < brackets_.size(); ++i)
        brackets_[i].probability = percentile_probabilities[i];
}

namespace {

struct BracketCounts {
    std::int64_t below = 0, at_low = 0, at_high = 0;
};

// Counts the values below `low`, at it and at `high` (when it differs), and appends those
// strictly between to `inside`. A batch of values at a time (xsimd: SSE2 on any x86-64),
// counting in doubles, exact up to 2^53; the tail one at a time. With `ties_rare` (a
// continuous series), a batch counts what lies below and tests whether any value lies in
// [low, high]; such a batch (rare once the bracket has narrowed) is sorted out one value at a
// time. Otherwise (an atom at an end) ties are counted a batch at a time too.
BracketCounts count_against(std::span<const double> values, double low, double high, bool ties_rare,
                            std::vector<double>& inside) {
    using Batch = xsimd::batch<double>;
    constexpr std::size_t width = Batch::size;
    const std::size_t n = values.size();
    const std::size_t whole = n - n % width;
    const Batch low_b(low), high_b(high), one(1.0), zero(0.0);
    Batch below(0.0);
    BracketCounts c;
    const auto one_by_one = [&](std::size_t from, std::size_t to) {  // all but `below`
        for (std::size_t j = from; j < to; ++j) {
            const double v = values[j];
            c.at_low += v == low;
            c.at_high += v == high && low != high;
            if (v > low && v < high) inside.push_back(v);
        }
    };
    if (ties_rare) {
        for (std::size_t i = 0; i < whole; i += width) {
            const Batch v = xsimd::load_unaligned(values.data() + i);
            below += xsimd::select(v < low_b, one, zero);
            if (xsimd::any((v >= low_b) && (v <= high_b))) one_by_one(i, i + width);
        }
    } else {
        const Batch distinct(low != high ? 1.0 : 0.0);
        Batch at_low(0.0), at_high(0.0);
        for (std::size_t i = 0; i < whole; i += width) {
            const Batch v = xsimd::load_unaligned(values.data() + i);
            below += xsimd::select(v < low_b, one, zero);
            at_low += xsimd::select(v == low_b, one, zero);
            at_high += xsimd::select(v == high_b, distinct, zero);
            if (xsimd::any((v > low_b) && (v < high_b))) {
                for (std::size_t j = i; j < i + width; ++j)
                    if (values[j] > low && values[j] < high) inside.push_back(values[j]);
            }
        }
        c.at_low += static_cast<std::int64_t>(xsimd::hadd(at_low));
        c.at_high += static_cast<std::int64_t>(xsimd::hadd(at_high));
    }
    c.below += static_cast<std::int64_t>(xsimd::hadd(below));
    for (std::size_t i = whole; i < n; ++i) c.below += values[i] < low;
    one_by_one(whole, n);
    return c;
}

// One pass over a block: whether it holds NaN, and its least and greatest value.
struct Scan {
    bool nan = false;
    double min = std::numeric_limits<double>::infinity();
    double max = -std::numeric_limits<double>::infinity();
};
Scan scan(std::span<const double> values) {
    using Batch = xsimd::batch<double>;
    constexpr std::size_t width = Batch::size;
    const std::size_t whole = values.size() - values.size() % width;
    Batch low(std::numeric_limits<double>::infinity());
    Batch high(-std::numeric_limits<double>::infinity());
    xsimd::batch_bool<double> nan(false);
    for (std::size_t i = 0; i < whole; i += width) {
        const Batch v = xsimd::load_unaligned(values.data() + i);
        nan = nan || (v != v);
        low = xsimd::min(low, v);
        high = xsimd::max(high, v);
    }
    Scan s;
    s.nan = xsimd::any(nan);
    alignas(Batch::arch_type::alignment()) std::array<double, width> lows{}, highs{};
    low.store_aligned(lows.data());
    high.store_aligned(highs.data());
    for (std::size_t j = 0; j < width; ++j) {
        s.min = std::min(s.min, lows[j]);
        s.max = std::max(s.max, highs[j]);
    }
    for (std::size_t i = whole; i < values.size(); ++i) {
        const double v = values[i];
        s.nan = s.nan || std::isnan(v);
        s.min = std::min(s.min, v);
        s.max = std::max(s.max, v);
    }
    return s;
}

}  // namespace

void StreamingStats::add(std::span<const double> values) {
    // NaN values are left out, as summarize() leaves them out; most series have none, and
    // their values are taken where they lie.
    Scan s = scan(values);
    thread_local std::vector<double> clean;
    if (s.nan) {
        clean.clear();
        for (const double v : values)
            if (!std::isnan(v)) clean.push_back(v);
        values = clean;
        s = scan(values);
    }
    if (values.empty()) return;
    add_moments(values, s.min == 0 && s.max == 0);
    const Bounds bounds{s.min, s.max};
    while (!values.empty()) {
        const auto room = static_cast<std::size_t>(next_checkpoint_ - count_);
        const std::size_t now = std::min(room, values.size());
        take(values.first(now), bounds);
        values = values.subspan(now);
        if (count_ == next_checkpoint_) narrow();
    }
}

namespace {

// Adds a chunk's moments (count n, mean, sum of squared deviations) to running ones.
void merge_moments(std::int64_t& count, double& mean, double& m2, std::size_t chunk_count,
                   double chunk_mean, double chunk_m2) {
    const auto n = static_cast<double>(chunk_count);
    const auto before = static_cast<double>(count);
    const double total = before + n;
    const double delta = chunk_mean - mean;
    mean += delta * n / total;
    m2 += chunk_m2 + delta * delta * before * n / total;
    count += static_cast<std::int64_t>(chunk_count);
}

// Adds a chunk's values, whose sum is `sum`, to running moments: the second pass about the
// chunk's own mean.
void merge_chunk(std::int64_t& count, double& mean, double& m2, std::span<const double> values,
                 double sum) {
    if (values.empty()) return;
    const double chunk_mean = sum / static_cast<double>(values.size());
    double chunk_m2 = 0;
    for (const double v : values) chunk_m2 += (v - chunk_mean) * (v - chunk_mean);
    merge_moments(count, mean, m2, values.size(), chunk_mean, chunk_m2);
}

// The same, summing the chunk first.
void merge_chunk(std::int64_t& count, double& mean, double& m2, std::span<const double> values) {
    double sum = 0;
    for (const double v : values) sum += v;
    merge_chunk(count, mean, m2, values, sum);
}

}  // namespace

// The sum in arrival order, and the chunks' moments: whole chunks straight from `values` (their
// sum beside the running one, in one loop), the rest through pending_. `zeros`: every value is
// ±0, which leaves the sum as it is (it starts at +0, so it is never -0) and gives each chunk
// the mean and m2 +0 that its two passes would.
void StreamingStats::add_moments(std::span<const double> values, bool zeros) {
    double sum = sum_;  // a local, which the values cannot alias
    std::size_t i = 0;
    if (pending_count_ > 0) {  // first complete the chunk an earlier block began
        i = std::min(chunk - pending_count_, values.size());
        for (std::size_t j = 0; j < i; ++j) {
            sum += values[j];
            pending_[pending_count_++] = values[j];
        }
        if (pending_count_ == chunk) merge_pending();
    }
    for (; values.size() - i >= chunk; i += chunk) {
        if (zeros) {
            merge_moments(merged_, merged_mean_, merged_m2_, chunk, 0.0, 0.0);
            continue;
        }
        const std::span<const double> part = values.subspan(i, chunk);
        double chunk_sum = 0;
        for (const double v : part) {
            sum += v;
            chunk_sum += v;
        }
        merge_chunk(merged_, merged_mean_, merged_m2_, part, chunk_sum);
    }
    for (; i < values.size(); ++i) {
        sum += values[i];
        pending_[pending_count_++] = values[i];
    }
    sum_ = sum;
}

void StreamingStats::take(std::span<const double> values, const Bounds& bounds) {
    const auto n = static_cast<std::int64_t>(values.size());
    count_ += n;
    if (!split_) {  // every value kept, once, until the first checkpoint
        if (unsplit_.empty())
            unsplit_.reserve(static_cast<std::size_t>(
                std::min(expected_count_, std::max<std::int64_t>(2, limits_.first_checkpoint))));
        unsplit_.insert(unsplit_.end(), values.begin(), values.end());
        return;
    }
    for (Bracket& bracket : brackets_) {
        // Without a pass where the bounds settle it: values all under the bracket or all
        // over it, or all one value (appended as they come where inside, so that a mix of
        // -0 and +0 keeps its signs).
        if (bounds.max < bracket.low) {
            bracket.below += n;
        } else if (bounds.min > bracket.high) {
        } else if (bounds.min == bounds.max) {
            const double v = bounds.min;
            if (v < bracket.low)
                bracket.below += n;
            else if (v == bracket.low)
                bracket.at_low += n;
            else if (v == bracket.high)
                bracket.at_high += n;
            else
                bracket.kept.insert(bracket.kept.end(), values.begin(), values.end());
        } else {
            // Ties are rare where the bracket holds more values than it has counted at its
            // ends, over the whole run: not on an atom.
            const bool ties_rare =
                bracket.at_low + bracket.at_high <= static_cast<std::int64_t>(bracket.kept.size());
            const auto [below, at_low, at_high] =
                count_against(values, bracket.low, bracket.high, ties_rare, bracket.kept);
            bracket.below += below;
            bracket.at_low += at_low;
            bracket.at_high += at_high;
        }
    }
}

void StreamingStats::merge_pending() {
    merge_chunk(merged_, merged_mean_, merged_m2_,
                std::span<const double>(pending_.data(), pending_count_));
    pending_count_ = 0;
}

// Where the percentile of all `expected_count_` values will end, in the ranks of the `count_`
// seen so far, is hypergeometric: mean p(n - 1), variance p(1 - p) n (1 - n/N). Keep
// margin_sd of those either side (and the slack, for small counts) and let the rest go.
// Each bracket's values are put in order first (those taken since the last checkpoint sorted,
// then merged in), so that its new ends are found by rank and search; at the first checkpoint
// every value seen is sorted once and each bracket copies only what it keeps.
void StreamingStats::narrow() {
    // (A series of one value, a fund empty on every path, is in order already.)
    if (!split_ && !std::is_sorted(unsplit_.begin(), unsplit_.end()))
        std::sort(unsplit_.begin(), unsplit_.end());
    const auto n = static_cast<double>(count_);
    const double unseen = std::max(0.0, 1 - n / static_cast<double>(expected_count_));
    for (Bracket& bracket : brackets_) {
        std::vector<double>& kept = bracket.kept;
        if (split_) {
            const auto taken = kept.begin() + static_cast<std::ptrdiff_t>(bracket.sorted);
            std::sort(taken, kept.end());
            std::inplace_merge(kept.begin(), taken, kept.end());
        }
        const std::span<const double> all = split_ ? std::span<const double>(kept) : unsplit_;
        std::span<const double> in_order = all;
        const auto size = [&] {
            return bracket.at_low + static_cast<std::int64_t>(in_order.size()) + bracket.at_high;
        };
        const double p = bracket.probability;
        const double h = p * (n - 1);
        const double margin = limits_.margin_sd * std::sqrt(p * (1 - p) * n * unseen) +
                              static_cast<double>(limits_.margin_slack);
        // The lowest and highest ranks to keep, as positions in the bracket.
        const double low_position = std::floor(h - margin) - static_cast<double>(bracket.below);
        if (low_position > 0 && low_position < static_cast<double>(size()))
            raise_low(bracket, in_order, static_cast<std::int64_t>(low_position));
        const double high_position = std::ceil(h + margin) - static_cast<double>(bracket.below);
        if (high_position >= 0 && high_position + 1 < static_cast<double>(size()))
            lower_high(bracket, in_order, static_cast<std::int64_t>(high_position));
        if (split_) {  // keep the values of in_order, which lies within kept
            const auto first = in_order.data() - all.data();
            kept.erase(kept.begin() + first + static_cast<std::ptrdiff_t>(in_order.size()),
                       kept.end());
            kept.erase(kept.begin(), kept.begin() + first);
        } else {
            kept.assign(in_order.begin(), in_order.end());
        }
        bracket.sorted = kept.size();
    }
    if (!split_) {
        unsplit_ = {};
        split_ = true;
    }
    const auto next = static_cast<std::int64_t>(std::ceil(n * limits_.checkpoint_growth));
    next_checkpoint_ = std::max(count_ + 1, next);
}

// The value at `position` becomes the new low end: what lies under it is counted in `below`.
void StreamingStats::raise_low(Bracket& bracket, std::span<const double>& in_order,
                               std::int64_t position) {
    if (position < bracket.at_low) return;  // on the low end's ties already
    const auto kept_count = static_cast<std::int64_t>(in_order.size());
    if (position >= bracket.at_low + kept_count) {  // on the high end's ties: they are all left
        bracket.below += bracket.at_low + kept_count;
        bracket.low = bracket.high;
        bracket.at_low = bracket.at_high;
        bracket.at_high = 0;
        in_order = in_order.last(0);  // empty, still within kept
        return;
    }
    const double low = in_order[static_cast<std::size_t>(position - bracket.at_low)];
    const auto [equal, above] = std::equal_range(in_order.begin(), in_order.end(), low);
    bracket.below += bracket.at_low + (equal - in_order.begin());
    bracket.at_low = above - equal;
    bracket.low = low;
    in_order = std::span<const double>(above, in_order.end());
}

// The value at `position` becomes the new high end: what lies over it is let go.
void StreamingStats::lower_high(Bracket& bracket, std::span<const double>& in_order,
                                std::int64_t position) {
    const auto kept_count = static_cast<std::int64_t>(in_order.size());
    if (position >= bracket.at_low + kept_count) return;  // on the high end's ties already
    if (position < bracket.at_low) {  // on the low end's ties: only they are left
        bracket.high = bracket.low;
        bracket.at_high = 0;
        in_order = in_order.first(0);  // empty, still within kept
        return;
    }
    const double high = in_order[static_cast<std::size_t>(position - bracket.at_low)];
    const auto [equal, above] = std::equal_range(in_order.begin(), in_order.end(), high);
    bracket.at_high = above - equal;
    bracket.high = high;
    in_order = std::span<const double>(in_order.begin(), equal);
}

Stats StreamingStats::finish() const {
    Stats stats;
    stats.count = count_;
    if (count_ == 0) return stats;
    stats.mean = sum_ / static_cast<double>(count_);
    if (count_ >= 2) {
        std::int64_t merged = merged_;  // with the chunk being filled
        double mean = merged_mean_, m2 = merged_m2_;
        merge_chunk(merged, mean, m2, std::span<const double>(pending_.data(), pending_count_));
        stats.sd = std::sqrt(m2 / static_cast<double>(count_ - 1));
        stats.sem = stats.sd / std::sqrt(static_cast<double>(count_));
    }
    std::array<double, 5> values{};
    for (std::size_t i = 0; i < brackets_.size(); ++i) {
        const Bracket& bracket = brackets_[i];
        // Type 7, as summarize(): the order statistic at floor(h), and the next one.
        const double h = static_cast<double>(count_ - 1) * bracket.probability;
        const auto lower = static_cast<std::int64_t>(std::floor(h));
        const double fraction = h - static_cast<double>(lower);
        const std::int64_t position = lower - bracket.below;
        std::vector<double> kept = split_ ? bracket.kept : unsplit_;
        const std::int64_t size =
            bracket.at_low + static_cast<std::int64_t>(kept.size()) + bracket.at_high;
        if (position < 0 || position + (fraction != 0 ? 1 : 0) >= size)
            bracket_missed(bracket.probability);
        std::sort(kept.begin(), kept.end());
        const auto value_at = [&](std::int64_t at) {
            if (at < bracket.at_low) return bracket.low;
            at -= bracket.at_low;
            if (at < static_cast<std::int64_t>(kept.size()))
                return kept[static_cast<std::size_t>(at)];
            return bracket.high;
        };
        const double at = value_at(position);
        values[i] = fraction == 0 ? at : at + fraction * (value_at(position + 1) - at);
    }
    stats.p5 = reported_percentile(values[0]);
    stats.p25 = reported_percentile(values[1]);
    stats.p50 = reported_percentile(values[2]);
    stats.p75 = reported_percentile(values[3]);
    stats.p95 = reported_percentile(values[4]);
    return stats;
}

std::uint64_t StreamingStats::kept_values() const {
    std::uint64_t total = unsplit_.capacity();
    for (const Bracket& bracket : brackets_) total += bracket.kept.capacity();
    return total;
}

StreamingSummary::StreamingSummary(const Scenario& scenario, std::int64_t paths,
                                   const BracketLimits& limits, std::int64_t input_sets)
    : scenario_(&scenario), paths_(paths), limits_(limits), input_sets_(input_sets) {}

void StreamingSummary::start(const SimulationResult& block) {
    horizon_ = block.horizon;
    const std::size_t metric_count = metric_names().size();
    for (const DealPaths& paths : block.deals) {
        DealSeries deal;
        deal.deal = paths.deal;
        deal.metrics.assign(metric_count, StreamingStats(paths_, limits_));
        if (input_sets_ > 0)
            deal.metric_sets.assign(metric_count,
                                    std::vector<SetMoments>(static_cast<std::size_t>(input_sets_)));
        if (!paths.fund_balance.empty())
            deal.fund_balance.assign(static_cast<std::size_t>(horizon_),
                                     StreamingStats(paths_, limits_));
        deal.first_reached.assign(static_cast<std::size_t>(horizon_), 0);
        deal.projects = paths.projects;
        deal.started_in.assign(
            static_cast<std::size_t>(paths.projects) * static_cast<std::size_t>(horizon_), 0);
        deal.co_invested.assign(static_cast<std::size_t>(paths.projects), 0);
        if (!paths.years.empty()) {
            const Deal& terms = scenario_->deals.at(static_cast<std::size_t>(paths.deal));
            for (int series = 0; series < year_series_count; ++series) {
                const auto which = static_cast<YearSeries>(series);
                if (which == YearSeries::cap && !terms.cap) continue;  // +inf: not streamed
                if (!terms.co_invest && (which == YearSeries::co_invest_paid ||
                                         which == YearSeries::co_invest_receipts ||
                                         which == YearSeries::co_invest_unpaid))
                    continue;
                deal.year_series.push_back(series);
            }
            deal.years.assign(deal.year_series.size() * static_cast<std::size_t>(horizon_),
                              StreamingStats(paths_, limits_));
            const std::size_t assets =
                scenario_->world.projects.size() + scenario_->world.streams.size();
            deal.asset_sum.assign(assets, 0.0);
            deal.asset_npv_sum.assign(assets, 0.0);
        }
        deals_.push_back(std::move(deal));
    }
    for (std::size_t a = 0; a < deals_.size(); ++a) {
        for (std::size_t b = a + 1; b < deals_.size(); ++b) {
            pairs_.push_back(
                {a,
                 b,
                 0,
                 std::vector<StreamingStats>(metric_count - 1, StreamingStats(paths_, limits_)),
                 {}});
            if (input_sets_ > 0)
                pairs_.back().metric_sets.assign(
                    metric_count - 1,
                    std::vector<SetMoments>(static_cast<std::size_t>(input_sets_)));
        }
    }
    // Every series gets its index, in one fixed order (keep_series_of, finished_series).
    for (DealSeries& deal : deals_) {
        deal.first_series = series_.size();
        for (const auto* group : {&deal.metrics, &deal.fund_balance, &deal.years})
            for (const StreamingStats& s : *group) series_.push_back(&s);
    }
    for (PairSeries& pair : pairs_) {
        pair.first_series = series_.size();
        for (const StreamingStats& s : pair.metrics) series_.push_back(&s);
    }
}

void StreamingSummary::keep_series_of(int rank, int ranks) {
    if (!deals_.empty()) throw std::logic_error("keep_series_of: blocks have come already");
    if (ranks < 1 || rank < 0 || rank >= ranks)
        throw std::logic_error("keep_series_of: no such rank");
    rank_ = rank;
    ranks_ = ranks;
}

void StreamingSummary::add(const SimulationResult& block, std::int64_t first_path) {
    if (first_path != seen_)
        throw std::logic_error("blocks of paths must come in path order, without gaps");
    if (deals_.empty()) start(block);
    if (block.deals.size() != deals_.size() || block.horizon != horizon_)
        throw std::logic_error("every block must hold the same deals and years");
    const auto n = static_cast<std::size_t>(block.paths);
    const std::vector<std::string>& names = metric_names();
    const auto years = static_cast<std::size_t>(horizon_);
    thread_local std::vector<double> column;  // one year's fund balances, or a difference
    for (std::size_t k = 0; k < deals_.size(); ++k) {
        DealSeries& deal = deals_[k];
        const DealPaths& paths = block.deals[k];
        for (std::size_t m = 0; m < names.size(); ++m) {
            if (owns(deal.first_series + m))
                deal.metrics[m].add(metric_values(paths, names[m]).first(n));
            if (!deal.metric_sets.empty())
                add_to_sets(deal.metric_sets[m], metric_values(paths, names[m]).first(n),
                            first_path);
        }
        for (std::size_t i = 0; i < n; ++i) {
            const double year = paths.cap_year[i];
            if (std::isnan(year)) continue;
            const double index = std::max(0.0, std::ceil(year - scenario_->start_year));
            if (index < static_cast<double>(horizon_))
                ++deal.first_reached[static_cast<std::size_t>(index)];
        }
        // Each project's start year, counted (a histogram: exact, and the same size however many
        // paths come).
        const auto projects = static_cast<std::size_t>(deal.projects);
        for (std::size_t i = 0; i < n; ++i) {
            for (std::size_t j = 0; j < projects; ++j) {
                const int start = paths.project_start[i * projects + j];
                if (start >= 0 && start < horizon_)
                    ++deal.started_in[j * years + static_cast<std::size_t>(start)];
                deal.co_invested[j] += paths.project_co_invested[i * projects + j] != 0;
            }
        }
        column.resize(n);
        for (std::size_t t = 0; t < deal.fund_balance.size(); ++t) {
            if (!owns(deal.first_series + deal.metrics.size() + t)) continue;
            for (std::size_t i = 0; i < n; ++i) column[i] = paths.fund_balance[i * years + t];
            deal.fund_balance[t].add(column);
        }
    }
    // The per-year series are most of the work: each deal's on whichever thread is free (each
    // deal's statistics still take their values in path order).
#ifdef NADRA_STD_THREADS
    for (std::size_t k = 0; k < deals_.size(); ++k)
        if (!deals_[k].year_series.empty()) add_years(deals_[k], block.deals[k], n);
#else
    tbb::parallel_for(std::size_t{0}, deals_.size(), [&](std::size_t k) {
        if (!deals_[k].year_series.empty()) add_years(deals_[k], block.deals[k], n);
    });
#endif
    for (PairSeries& pair : pairs_) {
        std::size_t slot = 0;
        for (const std::string& name : names) {
            if (name == cap_year_metric) continue;
            if (pair.metric_sets.empty() && !owns(pair.first_series + slot)) {
                ++slot;
                continue;
            }
            const std::span<const double> x = metric_values(block.deals[pair.a], name);
            const std::span<const double> y = metric_values(block.deals[pair.b], name);
            column.resize(n);
            for (std::size_t i = 0; i < n; ++i) column[i] = x[i] - y[i];
            if (!pair.metric_sets.empty()) add_to_sets(pair.metric_sets[slot], column, first_path);
            if (owns(pair.first_series + slot)) pair.metrics[slot].add(column);
            ++slot;
        }
    }
    seen_ += block.paths;
}

std::vector<Stats> StreamingSummary::finished_series(Workers& workers) const {
    if (workers.size() != ranks_ || (ranks_ > 1 && workers.rank() != rank_))
        throw std::logic_error("finish: the workers are not those the series were kept for");
    const std::vector<std::string> items = share_items(workers, series_.size(), [&](std::size_t i) {
        ByteWriter out;
        out.put(series_[i]->finish());
        return std::move(out).take();
    });
    std::vector<Stats> series;
    series.reserve(items.size());
    for (const std::string& bytes : items) series.push_back(ByteReader(bytes).get<Stats>());
    return series;
}

RunSummary StreamingSummary::finish(Workers& workers) const {
    const std::vector<Stats> series = finished_series(workers);
    RunSummary run;
    const std::vector<std::string>& names = metric_names();
    for (const DealSeries& deal : deals_) {
        DealSummary summary;
        summary.name = scenario_->deals.at(static_cast<std::size_t>(deal.deal)).name;
        for (std::size_t m = 0; m < names.size(); ++m) {
            summary.metrics[names[m]] = series[deal.first_series + m];
            if (!deal.metric_sets.empty())
                summary.between_sets_share[names[m]] = between_sets(deal.metric_sets[m]).share;
        }
        std::int64_t reached = 0;
        for (const std::int64_t count : deal.first_reached) {
            reached += count;
            summary.cap_reached_probability.push_back(static_cast<double>(reached) /
                                                      static_cast<double>(seen_));
        }
        for (std::size_t t = 0; t < deal.fund_balance.size(); ++t)
            summary.fund_balance.push_back(series[deal.first_series + deal.metrics.size() + t]);
        const auto years = static_cast<std::size_t>(horizon_);
        for (std::size_t j = 0; j < static_cast<std::size_t>(deal.projects); ++j) {
            const auto first = deal.started_in.begin() + static_cast<std::ptrdiff_t>(j * years);
            summary.projects.push_back(project_starts(
                scenario_->world.projects.at(j).name,
                std::vector<std::int64_t>(first, first + static_cast<std::ptrdiff_t>(years)),
                deal.co_invested[j], seen_, scenario_->start_year));
        }
        if (!deal.asset_sum.empty()) finish_years(deal, series, summary);
        run.deals.push_back(std::move(summary));
    }
    for (const PairSeries& pair : pairs_) {
        DifferenceSummary difference{run.deals[pair.a].name, run.deals[pair.b].name, {}, {}};
        std::size_t slot = 0;
        for (const std::string& name : names) {
            if (name == cap_year_metric) continue;
            if (!pair.metric_sets.empty()) {
                const std::vector<SetMoments>& sets = pair.metric_sets[slot];
                difference.between_sets_share[name] = between_sets(sets).share;
                std::vector<double>& means = difference.set_means[name];
                for (const SetMoments& set : sets)
                    means.push_back(set.count > 0 ? set.mean : std::nan(""));
            }
            difference.metrics[name] = series[pair.first_series + slot++];
        }
        run.differences.push_back(std::move(difference));
    }
    return run;
}

std::uint64_t StreamingSummary::kept_values() const {
    std::uint64_t total = 0;
    for (const DealSeries& deal : deals_) {
        for (const StreamingStats& s : deal.metrics) total += s.kept_values();
        for (const StreamingStats& s : deal.fund_balance) total += s.kept_values();
        for (const StreamingStats& s : deal.years) total += s.kept_values();
    }
    for (const PairSeries& pair : pairs_)
        for (const StreamingStats& s : pair.metrics) total += s.kept_values();
    return total;
}

std::size_t StreamingSummary::series_count(std::size_t deals, int horizon) {
    const std::size_t metric_count = metric_names().size();
    return deals * (metric_count + static_cast<std::size_t>(horizon)) +
           (deals < 2 ? 0 : deals * (deals - 1) / 2 * (metric_count - 1));
}

namespace {

// About the most one series holds for `paths` paths.
double series_bytes(std::int64_t paths, const BracketLimits& limits);

}  // namespace

std::uint64_t StreamingSummary::estimated_year_bytes(std::size_t deals, int horizon,
                                                     std::int64_t paths,
                                                     const BracketLimits& limits) {
    const auto series = static_cast<double>(deals * year_series_count *
                                            static_cast<std::size_t>(std::max(0, horizon)));
    return static_cast<std::uint64_t>(series * series_bytes(paths, limits));
}

std::uint64_t StreamingSummary::estimated_bytes(std::size_t deals, int horizon, std::int64_t paths,
                                                const BracketLimits& limits) {
    const std::size_t series = series_count(deals, horizon);
    return static_cast<std::uint64_t>(static_cast<double>(series) * series_bytes(paths, limits));
}

namespace {

double series_bytes(std::int64_t paths, const BracketLimits& limits) {
    // A bracket is widest, margin either side, where sqrt(n (1 - n/N)) peaks (n = N/2), and
    // grows by a (growth - 1) share of that until the next checkpoint; vectors may hold twice
    // their size; before the first checkpoint every value is kept.
    const auto n = static_cast<double>(std::max<std::int64_t>(1, paths));
    double values = 0;
    for (const double p : percentile_probabilities) {
        const double margin = limits.margin_sd * std::sqrt(p * (1 - p)) * 0.5 * std::sqrt(n) +
                              static_cast<double>(limits.margin_slack);
        values += std::max(2 * margin * limits.checkpoint_growth,
                           static_cast<double>(std::min(paths, limits.first_checkpoint)));
    }
    return 2 * values * sizeof(double) + sizeof(StreamingStats);
}

}  // namespace

void StreamingSummary::add_years(DealSeries& deal, const DealPaths& paths, std::size_t n) {
    // The block's values series by series and year by year (each path's are together): one
    // pass over them into columns of n paths, then each column into its statistics.
    const auto h = static_cast<std::size_t>(horizon_);
    const std::size_t per_path = static_cast<std::size_t>(year_series_count) * h;
    const std::size_t slots = deal.year_series.size();
    thread_local std::vector<double> columns;
    columns.resize(slots * h * n);
    // Only the columns this process keeps (keep_series_of): in each slot, every ranks-th year
    // from the first it owns.
    const std::size_t first = deal.first_series + deal.metrics.size() + deal.fund_balance.size();
    const auto ranks = static_cast<std::size_t>(ranks_);
    thread_local std::vector<std::size_t> first_owned;
    first_owned.resize(slots);
    for (std::size_t slot = 0; slot < slots; ++slot)
        first_owned[slot] =
            (static_cast<std::size_t>(rank_) + ranks - (first + slot * h) % ranks) % ranks;
    for (std::size_t i = 0; i < n; ++i) {
        const double* const from = paths.years.data() + i * per_path;
        for (std::size_t slot = 0; slot < slots; ++slot) {
            const double* const row = from + static_cast<std::size_t>(deal.year_series[slot]) * h;
            double* const to = columns.data() + slot * h * n + i;
            for (std::size_t t = first_owned[slot]; t < h; t += ranks) to[t * n] = row[t];
        }
    }
    for (std::size_t c = 0; c < slots * h; ++c)
        if (owns(first + c)) deal.years[c].add(std::span<const double>(columns.data() + c * n, n));
    const std::size_t assets = deal.asset_sum.size();
    for (std::size_t i = 0; i < n; ++i) {
        const double* const sum = paths.asset_contributions.data() + i * assets;
        const double* const npv = paths.asset_contributions_npv.data() + i * assets;
        for (std::size_t a = 0; a < assets; ++a) {
            deal.asset_sum[a] += sum[a];
            deal.asset_npv_sum[a] += npv[a];
        }
    }
}

void StreamingSummary::finish_years(const DealSeries& deal, std::span<const Stats> series_stats,
                                    DealSummary& summary) const {
    const auto h = static_cast<std::size_t>(horizon_);
    const std::size_t first_year =
        deal.first_series + deal.metrics.size() + deal.fund_balance.size();
    // year_series_names() are the YearSeries in order, with the fund balance among them.
    int series = 0;
    for (const std::string& name : year_series_names()) {
        if (name == "fund_balance") {
            if (!summary.fund_balance.empty())
                summary.by_year.push_back({name, true, summary.fund_balance});
            continue;
        }
        const int which = series++;
        const auto slot = std::find(deal.year_series.begin(), deal.year_series.end(), which);
        if (slot == deal.year_series.end()) {
            // The cap of a deal without one: +inf on every path, reported as not defined.
            if (static_cast<YearSeries>(which) == YearSeries::cap)
                summary.by_year.push_back({name, false, std::vector<Stats>(h)});
            continue;
        }
        YearSeriesSummary out{name, true, {}};
        const auto first = static_cast<std::size_t>(slot - deal.year_series.begin()) * h;
        for (std::size_t t = 0; t < h; ++t)
            out.years.push_back(series_stats[first_year + first + t]);
        summary.by_year.push_back(std::move(out));
    }

    const World& world = scenario_->world;
    const auto paths = static_cast<double>(seen_);
    const double total = summary.metrics.at("host_contributions").mean;
    const auto share_of = [&](double value) {
        return total > 0 ? value / total : std::numeric_limits<double>::quiet_NaN();
    };
    std::vector<AssetContributions> commodities(world.commodities.size());
    for (std::size_t c = 0; c < commodities.size(); ++c)
        commodities[c].commodity = world.commodities[c].name;
    for (std::size_t a = 0; a < deal.asset_sum.size(); ++a) {
        const bool project = a < world.projects.size();
        const int commodity = project ? world.projects[a].commodity
                                      : world.streams[a - world.projects.size()].commodity;
        AssetContributions out;
        out.asset =
            project ? world.projects[a].name : world.streams[a - world.projects.size()].name;
        out.kind = project ? "project" : "stream";
        out.commodity = world.commodities.at(static_cast<std::size_t>(commodity)).name;
        out.contributions = seen_ > 0 ? deal.asset_sum[a] / paths : 0.0;
        out.contributions_npv = seen_ > 0 ? deal.asset_npv_sum[a] / paths : 0.0;
        out.share = share_of(out.contributions);
        AssetContributions& rolled = commodities[static_cast<std::size_t>(commodity)];
        rolled.contributions += out.contributions;
        rolled.contributions_npv += out.contributions_npv;
        summary.by_asset.push_back(std::move(out));
    }
    for (AssetContributions& c : commodities) c.share = share_of(c.contributions);
    summary.by_commodity = std::move(commodities);
}

}  // namespace nadra
