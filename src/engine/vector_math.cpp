#include "engine/vector_math.hpp"

#include <sleef.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "engine/vector_math_lanes.hpp"

namespace nadra::engine {

// The wider batches, each in a file compiled for its instruction set.
#if defined(__x86_64__)
void normal_pairs_avx512(const std::uint64_t*, const std::uint64_t*, std::size_t, double*, double*);
void exp_in_place_avx512(double*, std::size_t);
void normal_pairs_avx(const std::uint64_t*, const std::uint64_t*, std::size_t, double*, double*);
void exp_in_place_avx(double*, std::size_t);
#endif

namespace {

#if defined(__x86_64__)
// SSE2 is part of x86-64: always there.
struct Sse2 {
    static constexpr std::size_t width = 2;
    using Vector = __m128d;
    static Vector u01(const std::uint64_t* bits) {
        alignas(32) double v[width];
        ConvertEach<width>::u01(bits, v);
        return _mm_loadu_pd(v);
    }
    static Vector uneg11(const std::uint64_t* bits) {
        alignas(32) double v[width];
        ConvertEach<width>::uneg11(bits, v);
        return _mm_loadu_pd(v);
    }
    static Vector load(const double* p) { return _mm_load_pd(p); }
    static Vector loadu(const double* p) { return _mm_loadu_pd(p); }
    static void store(double* p, Vector v) { _mm_store_pd(p, v); }
    static void storeu(double* p, Vector v) { _mm_storeu_pd(p, v); }
    static Vector set1(double v) { return _mm_set1_pd(v); }
    static Vector mul(Vector a, Vector b) { return _mm_mul_pd(a, b); }
    static Vector sqrt(Vector v) { return _mm_sqrt_pd(v); }
    static Vector log(Vector v) { return Sleef_cinz_logd2_u10sse2(v); }
    static Vector exp(Vector v) { return Sleef_cinz_expd2_u10sse2(v); }
    static Sleef___m128d_2 sincospi(Vector v) { return Sleef_cinz_sincospid2_u05sse2(v); }
};
#endif

// One value at a time: SLEEF's portable C versions of the same functions.
struct Scalar {
    static constexpr std::size_t width = 1;
    using Vector = double;
    static Vector u01(const std::uint64_t* bits) { return u01_of(*bits); }
    static Vector uneg11(const std::uint64_t* bits) { return uneg11_of(*bits); }
    static Vector load(const double* p) { return *p; }
    static Vector loadu(const double* p) { return *p; }
    static void store(double* p, Vector v) { *p = v; }
    static void storeu(double* p, Vector v) { *p = v; }
    static Vector set1(double v) { return v; }
    static Vector mul(Vector a, Vector b) { return a * b; }
    static Vector sqrt(Vector v) { return std::sqrt(v); }
    static Vector log(Vector v) { return Sleef_cinz_logd1_u10purec(v); }
    static Vector exp(Vector v) { return Sleef_cinz_expd1_u10purec(v); }
    static Sleef_double_2 sincospi(Vector v) { return Sleef_cinz_sincospid1_u05purec(v); }
};

using NormalPairs = void (*)(const std::uint64_t*, const std::uint64_t*, std::size_t, double*,
                             double*);
using ExpInPlace = void (*)(double*, std::size_t);

struct Width {
    std::string_view name;
    NormalPairs normal_pairs;
    ExpInPlace exp_in_place;
};

// Widest first; only those the CPU runs.
std::vector<Width> available_widths() {
    std::vector<Width> widths;
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq"))
        widths.push_back({"avx512", normal_pairs_avx512, exp_in_place_avx512});
    if (__builtin_cpu_supports("avx"))
        widths.push_back({"avx", normal_pairs_avx, exp_in_place_avx});
    widths.push_back({"sse2", normal_pairs_lanes<Sse2>, exp_in_place_lanes<Sse2>});
#endif
    widths.push_back({"scalar", normal_pairs_lanes<Scalar>, exp_in_place_lanes<Scalar>});
    return widths;
}

const std::vector<Width>& widths() {
    static const std::vector<Width> all = available_widths();
    return all;
}

const Width& width_named(std::string_view name) {
    for (const Width& w : widths()) {
        if (w.name == name) return w;
    }
    throw std::invalid_argument("this CPU cannot run vector width '" + std::string(name) + "'");
}

}  // namespace

NormalPair normal_pair_of(std::uint64_t angle_bits, std::uint64_t radius_bits) {
    NormalPair pair;
    normal_pairs_lanes<Scalar>(&angle_bits, &radius_bits, 1, &pair.x, &pair.y);
    return pair;
}

double exp_of(double x) { return Scalar::exp(x); }

void normal_pairs(const std::uint64_t* angle_bits, const std::uint64_t* radius_bits, std::size_t n,
                  double* x, double* y) {
    static const NormalPairs widest = widths().front().normal_pairs;
    widest(angle_bits, radius_bits, n, x, y);
}

void exp_in_place(double* values, std::size_t n) {
    static const ExpInPlace widest = widths().front().exp_in_place;
    widest(values, n);
}

std::vector<std::string_view> vector_widths() {
    std::vector<std::string_view> names;
    for (const Width& w : widths()) names.push_back(w.name);
    return names;
}

void normal_pairs_at(std::string_view width, const std::uint64_t* angle_bits,
                     const std::uint64_t* radius_bits, std::size_t n, double* x, double* y) {
    width_named(width).normal_pairs(angle_bits, radius_bits, n, x, y);
}

void exp_in_place_at(std::string_view width, double* values, std::size_t n) {
    width_named(width).exp_in_place(values, n);
}

}  // namespace nadra::engine
