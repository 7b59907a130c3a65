// vector_math's batches eight doubles at a time (compiled with -mavx512f -mavx512dq; run only
// where the CPU has both).
#if defined(__x86_64__)
#include <sleef.h>

#include "engine/vector_math_lanes.hpp"

namespace nadra::engine {
namespace {

struct Avx512 {
    static constexpr std::size_t width = 8;
    using Vector = __m512d;
    // (unsigned) bits * 2^-64 + 2^-65 and (signed) bits * 2^-63 + 2^-64, as u01_of and uneg11_of:
    // AVX-512DQ converts 64-bit integers, rounding to nearest as a scalar conversion does.
    static Vector u01(const std::uint64_t* bits) {
        const __m512d v = _mm512_cvtepu64_pd(_mm512_loadu_si512(bits));
        return _mm512_add_pd(_mm512_mul_pd(v, _mm512_set1_pd(0x1p-64)), _mm512_set1_pd(0x1p-65));
    }
    static Vector uneg11(const std::uint64_t* bits) {
        const __m512d v = _mm512_cvtepi64_pd(_mm512_loadu_si512(bits));
        return _mm512_add_pd(_mm512_mul_pd(v, _mm512_set1_pd(0x1p-63)), _mm512_set1_pd(0x1p-64));
    }
    static Vector load(const double* p) { return _mm512_load_pd(p); }
    static Vector loadu(const double* p) { return _mm512_loadu_pd(p); }
    static void store(double* p, Vector v) { _mm512_store_pd(p, v); }
    static void storeu(double* p, Vector v) { _mm512_storeu_pd(p, v); }
    static Vector set1(double v) { return _mm512_set1_pd(v); }
    static Vector mul(Vector a, Vector b) { return _mm512_mul_pd(a, b); }
    // The zero-masked form with every lane set: _mm512_sqrt_pd trips gcc 12's
    // -Wmaybe-uninitialized inside its header.
    static Vector sqrt(Vector v) { return _mm512_maskz_sqrt_pd(0xff, v); }
    static Vector log(Vector v) { return Sleef_cinz_logd8_u10avx512fnofma(v); }
    static Vector exp(Vector v) { return Sleef_cinz_expd8_u10avx512fnofma(v); }
    static Sleef___m512d_2 sincospi(Vector v) { return Sleef_cinz_sincospid8_u05avx512fnofma(v); }
};

}  // namespace

void normal_pairs_avx512(const std::uint64_t* angle_bits, const std::uint64_t* radius_bits,
                         std::size_t n, double* x, double* y) {
    normal_pairs_lanes<Avx512>(angle_bits, radius_bits, n, x, y);
}

void exp_in_place_avx512(double* values, std::size_t n) { exp_in_place_lanes<Avx512>(values, n); }

}  // namespace nadra::engine
#endif  // __x86_64__
