// The batched normals and exponentials (engine/vector_math.hpp): every vector width this CPU runs
// gives, value for value, the bits of the one-at-a-time functions, whatever the batch's length
// and wherever a value falls in it; and those functions are Random123's Box-Muller and exp to
// within rounding.
#include <Random123/philox.h>
#include <gtest/gtest.h>

#include <Random123/boxmuller.hpp>
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <stdexcept>
#include <vector>

#include "engine/random.hpp"
#include "engine/vector_math.hpp"

namespace nadra {
namespace {

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Philox-like bits, with the extremes of both conversions among them.
std::vector<std::uint64_t> test_bits(std::size_t n, std::uint64_t seed) {
    std::mt19937_64 g(seed);
    std::vector<std::uint64_t> bits(n);
    for (auto& b : bits) b = g();
    const std::uint64_t extremes[] = {0,
                                      1,
                                      std::numeric_limits<std::uint64_t>::max(),
                                      std::uint64_t{1} << 63,
                                      (std::uint64_t{1} << 63) - 1,
                                      (std::uint64_t{1} << 63) + 1,
                                      std::uint64_t{1} << 62,
                                      std::uint64_t{3} << 62};
    for (std::size_t i = 0; i < std::size(extremes) && i < n; ++i) bits[i * 7 % n] = extremes[i];
    return bits;
}

TEST(VectorMath, ScalarAndSse2AreAlwaysThere) {
    const auto widths = engine::vector_widths();
    ASSERT_GE(widths.size(), 1u);
    EXPECT_EQ(widths.back(), "scalar");
#if defined(__x86_64__)
    EXPECT_NE(std::find(widths.begin(), widths.end(), "sse2"), widths.end());
#endif
    EXPECT_THROW(engine::exp_in_place_at("no-such-width", nullptr, 0), std::invalid_argument);
}

TEST(VectorMath, EveryWidthGivesTheOneAtATimeBits) {
    for (const std::size_t n : {0u, 1u, 2u, 3u, 7u, 8u, 9u, 15u, 17u, 450u, 20011u}) {
        const auto angle = test_bits(n, 1 + n);
        const auto radius = test_bits(n, 1000 + n);
        std::vector<double> expected_x(n), expected_y(n), exponent(n), expected_exp(n);
        std::mt19937_64 g(n);
        std::uniform_real_distribution<double> u(-30, 30);
        for (std::size_t i = 0; i < n; ++i) {
            const auto pair = engine::normal_pair_of(angle[i], radius[i]);
            expected_x[i] = pair.x;
            expected_y[i] = pair.y;
            exponent[i] = i % 97 == 0 ? -745.5 + static_cast<double>(i % 5) * 400 : u(g);
            expected_exp[i] = engine::exp_of(exponent[i]);
        }
        for (const auto width : engine::vector_widths()) {
            std::vector<double> x(n, -1), y(n, -1), e = exponent;
            engine::normal_pairs_at(width, angle.data(), radius.data(), n, x.data(), y.data());
            engine::exp_in_place_at(width, e.data(), n);
            for (std::size_t i = 0; i < n; ++i) {
                ASSERT_TRUE(same_bits(x[i], expected_x[i]) && same_bits(y[i], expected_y[i]))
                    << width << ", n " << n << ", i " << i << ": " << x[i] << " " << y[i] << " vs "
                    << expected_x[i] << " " << expected_y[i];
                ASSERT_TRUE(same_bits(e[i], expected_exp[i]))
                    << width << ", exp(" << exponent[i] << "): " << e[i] << " vs "
                    << expected_exp[i];
            }
        }
        // The default (widest) functions too.
        std::vector<double> x(n), y(n);
        engine::normal_pairs(angle.data(), radius.data(), n, x.data(), y.data());
        for (std::size_t i = 0; i < n; ++i) ASSERT_TRUE(same_bits(x[i], expected_x[i]));
    }
}

// Random123's boxmuller computes sin(pi a) as sin(pi * a) with pi * a rounded, and glibc's
// log; SLEEF's sincospi reduces exactly and is within 0.506 ulp, its log within 1 ulp. So the
// two agree to a few ulps of the radius r = sqrt(-2 ln u), which bounds both coordinates.
TEST(VectorMath, BoxMullerIsRandom123sToRounding) {
    const auto angle = test_bits(200000, 5);
    const auto radius = test_bits(200000, 6);
    double worst = 0;
    for (std::size_t i = 0; i < angle.size(); ++i) {
        const auto ours = engine::normal_pair_of(angle[i], radius[i]);
        const auto theirs = r123::boxmuller(angle[i], radius[i]);
        const double r = std::hypot(theirs.x, theirs.y);
        worst = std::max({worst, std::abs(ours.x - theirs.x) / r, std::abs(ours.y - theirs.y) / r});
    }
    EXPECT_LT(worst, 8 * std::numeric_limits<double>::epsilon());
    EXPECT_GT(worst, 0);  // they do differ: a check that the other functions are in use
}

TEST(VectorMath, ExpIsStdExpToOneUlp) {
    std::mt19937_64 g(7);
    std::uniform_real_distribution<double> u(-700, 700);
    for (int i = 0; i < 100000; ++i) {
        const double x = i < 1000 ? u(g) / 700 : u(g);
        const double ours = engine::exp_of(x), theirs = std::exp(x);
        ASSERT_LE(std::abs(ours - theirs), std::abs(theirs) * 2.3e-16) << "exp(" << x << ")";
    }
    EXPECT_EQ(engine::exp_of(0), 1.0);
    EXPECT_EQ(engine::exp_of(-std::numeric_limits<double>::infinity()), 0.0);
    EXPECT_EQ(engine::exp_of(1000), std::numeric_limits<double>::infinity());
}

// The batched normals are standard normals: over 10^6 pairs of the engine's own Philox blocks,
// mean 0 and variance 1 within 5 standard errors (sd of the mean 1/sqrt(n), of the variance
// sqrt(2/n)), the two coordinates uncorrelated, and the tails as a normal's (P(|z| > 3) =
// 0.0026998, binomial standard error).
TEST(VectorMath, NormalsAreStandardNormal) {
    const engine::Random random(11);
    const std::size_t n = 1'000'000;
    std::vector<std::uint64_t> angle(n), radius(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto bits = random.block(engine::Driver::price, i, 0, 0);
        angle[i] = bits.v[0];
        radius[i] = bits.v[1];
    }
    std::vector<double> x(n), y(n);
    engine::normal_pairs(angle.data(), radius.data(), n, x.data(), y.data());
    double sum = 0, sum2 = 0, cross = 0, tails = 0;
    for (std::size_t i = 0; i < n; ++i) {
        sum += x[i] + y[i];
        sum2 += x[i] * x[i] + y[i] * y[i];
        cross += x[i] * y[i];
        tails += (std::abs(x[i]) > 3) + (std::abs(y[i]) > 3);
    }
    const double m = 2.0 * n;
    EXPECT_NEAR(sum / m, 0, 5 / std::sqrt(m));
    EXPECT_NEAR(sum2 / m - (sum / m) * (sum / m), 1, 5 * std::sqrt(2 / m));
    EXPECT_NEAR(cross / static_cast<double>(n), 0, 5 / std::sqrt(static_cast<double>(n)));
    const double p3 = 0.0026997960632601866;
    EXPECT_NEAR(tails / m, p3, 5 * std::sqrt(p3 * (1 - p3) / m));
}

}  // namespace
}  // namespace nadra
