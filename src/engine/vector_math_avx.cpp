// vector_math's batches four doubles at a time (compiled with -mavx; run only where the CPU has
// it).
#if defined(__x86_64__)
#include <sleef.h>

#include "engine/vector_math_lanes.hpp"

namespace nadra::engine {
namespace {

struct Avx {
    static constexpr std::size_t width = 4;
    using Vector = __m256d;
    static Vector u01(const std::uint64_t* bits) {
        alignas(32) double v[width];
        ConvertEach<width>::u01(bits, v);
        return _mm256_loadu_pd(v);
    }
    static Vector uneg11(const std::uint64_t* bits) {
        alignas(32) double v[width];
        ConvertEach<width>::uneg11(bits, v);
        return _mm256_loadu_pd(v);
    }
    static Vector load(const double* p) { return _mm256_load_pd(p); }
    static Vector loadu(const double* p) { return _mm256_loadu_pd(p); }
    static void store(double* p, Vector v) { _mm256_store_pd(p, v); }
    static void storeu(double* p, Vector v) { _mm256_storeu_pd(p, v); }
    static Vector set1(double v) { return _mm256_set1_pd(v); }
    static Vector mul(Vector a, Vector b) { return _mm256_mul_pd(a, b); }
    static Vector sqrt(Vector v) { return _mm256_sqrt_pd(v); }
    static Vector log(Vector v) { return Sleef_cinz_logd4_u10avx(v); }
    static Vector exp(Vector v) { return Sleef_cinz_expd4_u10avx(v); }
    static Sleef___m256d_2 sincospi(Vector v) { return Sleef_cinz_sincospid4_u05avx(v); }
};

}  // namespace

void normal_pairs_avx(const std::uint64_t* angle_bits, const std::uint64_t* radius_bits,
                      std::size_t n, double* x, double* y) {
    normal_pairs_lanes<Avx>(angle_bits, radius_bits, n, x, y);
}

void exp_in_place_avx(double* values, std::size_t n) { exp_in_place_lanes<Avx>(values, n); }

}  // namespace nadra::engine
#endif  // __x86_64__
