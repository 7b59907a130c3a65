// Counter-based random numbers (MODEL.md 3): every draw is a pure function of
// (seed, driver, path, index...), so a path's results never depend on threads or order.
#pragma once

#include <Random123/philox.h>

#include <cstdint>

#include "engine/vector_math.hpp"

namespace nadra::engine {

// One named stream per random driver (as OpenMC names its streams).
enum class Driver : std::uint64_t {
    price = 1,    // (path, year, commodity): price shocks before correlation
    conflict,     // (path, year): the shared uniform deciding the war/peace transition
    liberation,   // (path, year, region): liberation at a war-to-peace transition
    project,      // (path, project, what): viability, lead time, capex and opex multipliers
    fund_return,  // (path, year): ln(1 + r)
    support,      // (path, year): continuation of partner support
    inputs,       // (set, input): the uniform an input set draws an uncertain input from (4.3)
    law,          // (path, year): whether the law changes at the end of the year (3.6, v1.3)
};

// What a project draws, the `what` index of Driver::project.
enum class ProjectDraw : std::uint64_t { viability, lead_time, capex, opex };

class Random {
  public:
    explicit Random(std::uint64_t seed) : seed_(seed) {}

    [[nodiscard]] std::uint64_t seed() const { return seed_; }

    // Uniform on [0, 1): u < p is certain for p = 1 and impossible for p = 0.
    [[nodiscard]] double uniform(Driver driver, std::uint64_t path, std::uint64_t i,
                                 std::uint64_t j = 0) const {
        const auto bits = block(driver, path, i, j);
        return static_cast<double>(bits.v[0] >> 11) * 0x1.0p-53;
    }

    // Standard normal (Box-Muller on one Philox block: normal_pair's x).
    [[nodiscard]] double normal(Driver driver, std::uint64_t path, std::uint64_t i,
                                std::uint64_t j = 0) const {
        return normal_pair(driver, path, i, j).x;
    }

    // Two independent standard normals from one block: half the cost of two normal() calls.
    // Draw k of a sequence is normal_pair(..., k / 2) and its .x (k even) or .y (k odd). The
    // engine draws them in batches (vector_math.hpp: normal_pairs), which give the same bits.
    [[nodiscard]] NormalPair normal_pair(Driver driver, std::uint64_t path, std::uint64_t i,
                                         std::uint64_t j = 0) const {
        const auto bits = block(driver, path, i, j);
        return normal_pair_of(bits.v[0], bits.v[1]);
    }

    using Philox = r123::Philox4x64;

    // The Philox block every draw of (driver, path, i, j) is made from.
    [[nodiscard]] Philox::ctr_type block(Driver driver, std::uint64_t path, std::uint64_t i,
                                         std::uint64_t j = 0) const {
        const Philox::ctr_type counter = {{path, i, j, 0}};
        const Philox::key_type key = {{seed_, static_cast<std::uint64_t>(driver)}};
        return Philox()(counter, key);
    }

  private:
    std::uint64_t seed_;
};

}  // namespace nadra::engine
