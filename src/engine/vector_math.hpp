// Standard normals (Box-Muller) and exponentials over arrays of draws. They use SLEEF's
// "consistent" functions (the cinz_ family: no fused multiply-add), which return the same bits
// on every x86-64 CPU and at every vector width, so the widest vectors the CPU has are used and
// a value computed in a batch is the value computed alone (Random::normal_pair): results do not
// depend on the machine, the batch a draw falls in, or the thread count.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace nadra::engine {

struct NormalPair {
    double x = 0, y = 0;
};

// Random123's boxmuller on a Philox block's first two words: the angle from `angle_bits`
// (uneg11, times pi), the radius from `radius_bits` (u01, never 0), computed alone.
NormalPair normal_pair_of(std::uint64_t angle_bits, std::uint64_t radius_bits);
// exp(x), computed alone: the same bits as exp_in_place gives.
double exp_of(double x);

// x[i], y[i] = normal_pair_of(angle_bits[i], radius_bits[i]) for i < n.
void normal_pairs(const std::uint64_t* angle_bits, const std::uint64_t* radius_bits, std::size_t n,
                  double* x, double* y);
// values[i] = exp_of(values[i]) for i < n.
void exp_in_place(double* values, std::size_t n);

// The vector widths this CPU can run, widest first ("avx512", "avx", "sse2" on x86-64, then
// "scalar", SLEEF's portable C; the first is used), and the same functions at a chosen one of
// them (for tests and benchmarks).
std::vector<std::string_view> vector_widths();
void normal_pairs_at(std::string_view width, const std::uint64_t* angle_bits,
                     const std::uint64_t* radius_bits, std::size_t n, double* x, double* y);
void exp_in_place_at(std::string_view width, double* values, std::size_t n);

}  // namespace nadra::engine
