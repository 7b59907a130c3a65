// The batch loops of vector_math.cpp, written once over a vector width's operations (`Lanes`:
// a SIMD type, its loads, stores and SLEEF functions). Included only by the files compiled for
// one width (vector_math_*.cpp); everything here must have internal linkage there, so that no
// code compiled for a wide instruction set is shared with the rest of the program.
#pragma once

#include <cstddef>
#include <cstdint>

namespace nadra::engine {
namespace {

// Random123's u01<double> and uneg11<double> (uniform.hpp), written here so that this file's
// copies are its own: (unsigned) bits * 2^-64 + 2^-65, and (signed) bits * 2^-63 + 2^-64.
inline double u01_of(std::uint64_t bits) { return static_cast<double>(bits) * 0x1p-64 + 0x1p-65; }
inline double uneg11_of(std::uint64_t bits) {
    return static_cast<double>(static_cast<std::int64_t>(bits)) * 0x1p-63 + 0x1p-64;
}

// The conversions a batch at a time, for widths without their own instructions for them.
template <std::size_t width>
struct ConvertEach {
    static void u01(const std::uint64_t* bits, double* out) {
        for (std::size_t l = 0; l < width; ++l) out[l] = u01_of(bits[l]);
    }
    static void uneg11(const std::uint64_t* bits, double* out) {
        for (std::size_t l = 0; l < width; ++l) out[l] = uneg11_of(bits[l]);
    }
};

template <class Lanes>
void normal_pairs_lanes(const std::uint64_t* angle_bits, const std::uint64_t* radius_bits,
                        std::size_t n, double* x, double* y) {
    constexpr std::size_t width = Lanes::width;
    alignas(64) double angle[width], radius[width], out_x[width], out_y[width];
    // sqrt(-2 ln u) times sin and cos of pi a: the same operations as Random123's boxmuller.
    const auto pairs = [](typename Lanes::Vector a, typename Lanes::Vector u, double* to_x,
                          double* to_y) {
        const auto sin_cos = Lanes::sincospi(a);
        const auto r = Lanes::sqrt(Lanes::mul(Lanes::set1(-2.0), Lanes::log(u)));
        Lanes::storeu(to_x, Lanes::mul(sin_cos.x, r));
        Lanes::storeu(to_y, Lanes::mul(sin_cos.y, r));
    };
    std::size_t i = 0;
    for (; i + width <= n; i += width) {
        pairs(Lanes::uneg11(angle_bits + i), Lanes::u01(radius_bits + i), x + i, y + i);
    }
    if (i == n) return;
    // The last, partial batch: lanes past the end compute a harmless value that is not stored.
    for (std::size_t l = 0; l < width; ++l) {
        angle[l] = i + l < n ? uneg11_of(angle_bits[i + l]) : 0.5;
        radius[l] = i + l < n ? u01_of(radius_bits[i + l]) : 0.5;
    }
    pairs(Lanes::load(angle), Lanes::load(radius), out_x, out_y);
    for (std::size_t l = 0; i + l < n; ++l) {
        x[i + l] = out_x[l];
        y[i + l] = out_y[l];
    }
}

template <class Lanes>
void exp_in_place_lanes(double* values, std::size_t n) {
    constexpr std::size_t width = Lanes::width;
    std::size_t i = 0;
    for (; i + width <= n; i += width)
        Lanes::storeu(values + i, Lanes::exp(Lanes::loadu(values + i)));
    if (i == n) return;
    alignas(64) double rest[width];
    for (std::size_t l = 0; l < width; ++l) rest[l] = i + l < n ? values[i + l] : 0.0;
    Lanes::store(rest, Lanes::exp(Lanes::load(rest)));
    for (std::size_t l = 0; i + l < n; ++l) values[i + l] = rest[l];
}

}  // namespace
}  // namespace nadra::engine
