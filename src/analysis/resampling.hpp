// What the analyses' resampling shares: counter-based uniforms on streams of their own (the
// Sobol design and bootstrap, the input correlations' bootstrap) and the percentile of sorted
// values, so every bootstrap is a function of its seed and indices alone.
#pragma once

#include <Random123/philox.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace nadra {

// Counter-based uniforms in [0, 1): (seed, stream) the key, (i, j) the counter.
class Uniforms {
  public:
    Uniforms(std::uint64_t seed, std::uint64_t stream) : key_{{seed, stream}} {}
    [[nodiscard]] double at(std::uint64_t i, std::uint64_t j) const {
        const r123::Philox4x64::ctr_type counter = {{i, j, 0, 0}};
        const auto bits = r123::Philox4x64()(counter, key_);
        return static_cast<double>(bits.v[0] >> 11) * 0x1.0p-53;
    }
    // An index in [0, count) from at(i, j): a position of a bootstrap resample.
    [[nodiscard]] std::size_t index(std::uint64_t i, std::uint64_t j, std::size_t count) const {
        return std::min(count - 1, static_cast<std::size_t>(at(i, j) * static_cast<double>(count)));
    }

  private:
    r123::Philox4x64::key_type key_;
};

// Streams of Uniforms, distinct from the engine's drivers by their high bits.
inline constexpr std::uint64_t sobol_design_stream = 0x5'0B01'0000'0001;
inline constexpr std::uint64_t sobol_bootstrap_stream = 0x5'0B01'0000'0002;
inline constexpr std::uint64_t correlation_bootstrap_stream = 0x5'0B01'0000'0003;

// The p-quantile of sorted values, interpolated between order statistics; NaN when empty.
inline double quantile_sorted(const std::vector<double>& sorted, double p) {
    if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
    const double h = static_cast<double>(sorted.size() - 1) * p;
    const auto lower = static_cast<std::size_t>(std::floor(h));
    const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
    return sorted[lower] + (h - static_cast<double>(lower)) * (sorted[upper] - sorted[lower]);
}

}  // namespace nadra
