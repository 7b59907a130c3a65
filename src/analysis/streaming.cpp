#include "analysis/streaming.hpp"

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
// counting in doubles, exact up to 2^53; a batch with a value inside (rare once the bracket has
// narrowed) is appended one value at a time; the tail one at a time.
BracketCounts count_against(std::span<const double> values, double low, double high,
                            std::vector<double>& inside) {
    using Batch = xsimd::batch<double>;
    constexpr std::size_t width = Batch::size;
    const std::size_t n = values.size();
    const std::size_t whole = n - n % width;
    const Batch low_b(low), high_b(high), one(1.0), zero(0.0);
    const Batch distinct(low != high ? 1.0 : 0.0);
    Batch below(0.0), at_low(0.0), at_high(0.0);
    const auto append = [&](double v) {
        if (v > low && v < high) inside.push_back(v);
    };
    for (std::size_t i = 0; i < whole; i += width) {
        const Batch v = xsimd::load_unaligned(values.data() + i);
        below += xsimd::select(v < low_b, one, zero);
        at_low += xsimd::select(v == low_b, one, zero);
        at_high += xsimd::select(v == high_b, distinct, zero);
        if (xsimd::any((v > low_b) && (v < high_b))) {
            for (std::size_t j = i; j < i + width; ++j) append(values[j]);
        }
    }
    const auto count = [](const Batch& b) { return static_cast<std::int64_t>(xsimd::hadd(b)); };
    BracketCounts c{count(below), count(at_low), count(at_high)};
    for (std::size_t i = whole; i < n; ++i) {
        const double v = values[i];
        c.below += v < low;
        c.at_low += v == low;
        c.at_high += v == high && low != high;
        append(v);
    }
    return c;
}

}  // namespace

void StreamingStats::add(std::span<const double> values) {
    // NaN values are left out, as summarize() leaves them out.
    thread_local std::vector<double> clean;
    clean.resize(values.size());
    std::size_t n = 0;
    for (const double v : values) {
        clean[n] = v;
        n += !std::isnan(v);
    }
    std::span<const double> rest(clean.data(), n);
    while (!rest.empty()) {
        const auto room = static_cast<std::size_t>(next_checkpoint_ - count_);
        const std::size_t now = std::min(room, rest.size());
        take(rest.first(now));
        rest = rest.subspan(now);
        if (count_ == next_checkpoint_) narrow();
    }
}

void StreamingStats::take(std::span<const double> values) {
    count_ += static_cast<std::int64_t>(values.size());
    for (const double v : values) sum_ += v;
    for (const double v : values) {
        pending_[pending_count_++] = v;
        if (pending_count_ == chunk) merge_pending();
    }
    if (!split_) {  // every value kept, once, until the first checkpoint
        if (unsplit_.empty())
            unsplit_.reserve(static_cast<std::size_t>(
                std::min(expected_count_, std::max<std::int64_t>(2, limits_.first_checkpoint))));
        unsplit_.insert(unsplit_.end(), values.begin(), values.end());
        return;
    }
    for (Bracket& bracket : brackets_) {
        const auto [below, at_low, at_high] =
            count_against(values, bracket.low, bracket.high, bracket.kept);
        bracket.below += below;
        bracket.at_low += at_low;
        bracket.at_high += at_high;
    }
}

namespace {

// Adds a chunk's values to running moments (count, mean, sum of squared deviations).
void merge_chunk(std::int64_t& count, double& mean, double& m2, std::span<const double> values) {
    if (values.empty()) return;
    const auto n = static_cast<double>(values.size());
    double sum = 0;
    for (const double v : values) sum += v;
    const double chunk_mean = sum / n;
    double chunk_m2 = 0;
    for (const double v : values) chunk_m2 += (v - chunk_mean) * (v - chunk_mean);
    const auto before = static_cast<double>(count);
    const double total = before + n;
    const double delta = chunk_mean - mean;
    mean += delta * n / total;
    m2 += chunk_m2 + delta * delta * before * n / total;
    count += static_cast<std::int64_t>(values.size());
}

}  // namespace

void StreamingStats::merge_pending() {
    merge_chunk(merged_, merged_mean_, merged_m2_,
                std::span<const double>(pending_.data(), pending_count_));
    pending_count_ = 0;
}

// Where the percentile of all `expected_count_` values will end, in the ranks of the `count_`
// seen so far, is hypergeometric: mean p(n - 1), variance p(1 - p) n (1 - n/N). Keep
// margin_sd of those either side (and the slack, for small counts) and let the rest go.
void StreamingStats::narrow() {
    if (!split_) {  // the first checkpoint: each bracket starts from every value seen
        for (Bracket& bracket : brackets_) bracket.kept = unsplit_;
        unsplit_ = {};
        split_ = true;
    }
    const auto n = static_cast<double>(count_);
    const double unseen = std::max(0.0, 1 - n / static_cast<double>(expected_count_));
    for (Bracket& bracket : brackets_) {
        const double p = bracket.probability;
        const double h = p * (n - 1);
        const double margin = limits_.margin_sd * std::sqrt(p * (1 - p) * n * unseen) +
                              static_cast<double>(limits_.margin_slack);
        // The lowest and highest ranks to keep, as positions in the bracket.
        const double low_position = std::floor(h - margin) - static_cast<double>(bracket.below);
        if (low_position > 0 && low_position < static_cast<double>(bracket.size()))
            raise_low(bracket, static_cast<std::int64_t>(low_position));
        const double high_position = std::ceil(h + margin) - static_cast<double>(bracket.below);
        if (high_position >= 0 && high_position + 1 < static_cast<double>(bracket.size()))
            lower_high(bracket, static_cast<std::int64_t>(high_position));
    }
    const auto next = static_cast<std::int64_t>(std::ceil(n * limits_.checkpoint_growth));
    next_checkpoint_ = std::max(count_ + 1, next);
}

namespace {

// The value of rank `index` among `values`, which are reordered: those under it first, then those
// equal to it (from `equal`), then those above it (from `above`).
struct Split {
    double value;
    std::vector<double>::iterator equal, above;
};
Split split_at(std::vector<double>& values, std::int64_t index) {
    const auto at = values.begin() + index;
    std::nth_element(values.begin(), at, values.end());
    const double value = *at;
    const auto equal =
        std::partition(values.begin(), values.end(), [value](double v) { return v < value; });
    const auto above =
        std::partition(equal, values.end(), [value](double v) { return v == value; });
    return {value, equal, above};
}

}  // namespace

// The value at `position` becomes the new low end: what lies under it is counted in `below`.
void StreamingStats::raise_low(Bracket& bracket, std::int64_t position) {
    if (position < bracket.at_low) return;  // on the low end's ties already
    std::vector<double>& kept = bracket.kept;
    const auto kept_count = static_cast<std::int64_t>(kept.size());
    if (position >= bracket.at_low + kept_count) {  // on the high end's ties: they are all left
        bracket.below += bracket.at_low + kept_count;
        bracket.low = bracket.high;
        bracket.at_low = bracket.at_high;
        bracket.at_high = 0;
        kept.clear();
        return;
    }
    const auto [low, equal, above] = split_at(kept, position - bracket.at_low);
    bracket.below += bracket.at_low + (equal - kept.begin());
    bracket.at_low = above - equal;
    bracket.low = low;
    kept.erase(kept.begin(), above);
}

// The value at `position` becomes the new high end: what lies over it is let go.
void StreamingStats::lower_high(Bracket& bracket, std::int64_t position) {
    std::vector<double>& kept = bracket.kept;
    const auto kept_count = static_cast<std::int64_t>(kept.size());
    if (position >= bracket.at_low + kept_count) return;  // on the high end's ties already
    if (position < bracket.at_low) {  // on the low end's ties: only they are left
        bracket.high = bracket.low;
        bracket.at_high = 0;
        kept.clear();
        return;
    }
    const auto [high, equal, above] = split_at(kept, position - bracket.at_low);
    bracket.at_high = above - equal;
    bracket.high = high;
    kept.erase(equal, kept.end());
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
    stats.p5 = values[0];
    stats.p25 = values[1];
    stats.p50 = values[2];
    stats.p75 = values[3];
    stats.p95 = values[4];
    return stats;
}

std::uint64_t StreamingStats::kept_values() const {
    std::uint64_t total = unsplit_.capacity();
    for (const Bracket& bracket : brackets_) total += bracket.kept.capacity();
    return total;
}

StreamingSummary::StreamingSummary(const Scenario& scenario, std::int64_t paths,
                                   const BracketLimits& limits)
    : scenario_(&scenario), paths_(paths), limits_(limits) {}

void StreamingSummary::start(const SimulationResult& block) {
    horizon_ = block.horizon;
    const std::size_t metric_count = metric_names().size();
    for (const DealPaths& paths : block.deals) {
        DealSeries deal;
        deal.deal = paths.deal;
        deal.metrics.assign(metric_count, StreamingStats(paths_, limits_));
        if (!paths.fund_balance.empty())
            deal.fund_balance.assign(static_cast<std::size_t>(horizon_),
                                     StreamingStats(paths_, limits_));
        deal.first_reached.assign(static_cast<std::size_t>(horizon_), 0);
        deals_.push_back(std::move(deal));
    }
    for (std::size_t a = 0; a < deals_.size(); ++a) {
        for (std::size_t b = a + 1; b < deals_.size(); ++b)
            pairs_.push_back(
                {a, b,
                 std::vector<StreamingStats>(metric_count - 1, StreamingStats(paths_, limits_))});
    }
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
        for (std::size_t m = 0; m < names.size(); ++m)
            deal.metrics[m].add(metric_values(paths, names[m]).first(n));
        for (std::size_t i = 0; i < n; ++i) {
            const double year = paths.cap_year[i];
            if (std::isnan(year)) continue;
            const double index = std::max(0.0, std::ceil(year - scenario_->start_year));
            if (index < static_cast<double>(horizon_))
                ++deal.first_reached[static_cast<std::size_t>(index)];
        }
        column.resize(n);
        for (std::size_t t = 0; t < deal.fund_balance.size(); ++t) {
            for (std::size_t i = 0; i < n; ++i) column[i] = paths.fund_balance[i * years + t];
            deal.fund_balance[t].add(column);
        }
    }
    for (PairSeries& pair : pairs_) {
        std::size_t slot = 0;
        for (const std::string& name : names) {
            if (name == cap_year_metric) continue;
            const std::span<const double> x = metric_values(block.deals[pair.a], name);
            const std::span<const double> y = metric_values(block.deals[pair.b], name);
            column.resize(n);
            for (std::size_t i = 0; i < n; ++i) column[i] = x[i] - y[i];
            pair.metrics[slot++].add(column);
        }
    }
    seen_ += block.paths;
}

RunSummary StreamingSummary::finish() const {
    RunSummary run;
    const std::vector<std::string>& names = metric_names();
    for (const DealSeries& deal : deals_) {
        DealSummary summary;
        summary.name = scenario_->deals.at(static_cast<std::size_t>(deal.deal)).name;
        for (std::size_t m = 0; m < names.size(); ++m)
            summary.metrics[names[m]] = deal.metrics[m].finish();
        std::int64_t reached = 0;
        for (const std::int64_t count : deal.first_reached) {
            reached += count;
            summary.cap_reached_probability.push_back(static_cast<double>(reached) /
                                                      static_cast<double>(seen_));
        }
        for (const StreamingStats& year : deal.fund_balance)
            summary.fund_balance.push_back(year.finish());
        run.deals.push_back(std::move(summary));
    }
    for (const PairSeries& pair : pairs_) {
        DifferenceSummary difference{run.deals[pair.a].name, run.deals[pair.b].name, {}};
        std::size_t slot = 0;
        for (const std::string& name : names) {
            if (name == cap_year_metric) continue;
            difference.metrics[name] = pair.metrics[slot++].finish();
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

std::uint64_t StreamingSummary::estimated_bytes(std::size_t deals, int horizon, std::int64_t paths,
                                                const BracketLimits& limits) {
    const std::size_t series = series_count(deals, horizon);
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
    const double per_series = 2 * values * sizeof(double) + sizeof(StreamingStats);
    return static_cast<std::uint64_t>(static_cast<double>(series) * per_series);
}

}  // namespace nadra
