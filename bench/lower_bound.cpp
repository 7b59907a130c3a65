#include "lower_bound.hpp"

#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "engine/path.hpp"
#include "engine/plan.hpp"
#include "engine/random.hpp"

namespace nadra::bench {
namespace {

using engine::Driver;

struct Scratch {
    std::vector<double> shocks;  // [commodity * horizon + t]
    std::vector<double> fund;    // [t]
    std::vector<double> items;   // [(variant * assets + asset) * horizon + t]
    std::vector<std::uint64_t> angle_bits, radius_bits;  // every normal pair's Philox words
    std::vector<double> x, y;                            // and the pairs, in one batch
};

double kernel_path(const KernelShape& k, const engine::Random& random, std::uint64_t p,
                   Scratch& s) {
    const int horizon = k.horizon, n = k.commodities, assets = k.assets();
    const int half = (n + 1) / 2;
    s.shocks.resize(static_cast<std::size_t>(n) * horizon);
    s.fund.resize(horizon);
    s.items.resize(static_cast<std::size_t>(k.variants) * assets * horizon);
    double sum = 0;
    // Every normal pair's Philox block, as the engine draws them (draw_shared): prices
    // (t, c / 2), projects' capex and opex (.x only), fund returns (t / 2); then Box-Muller over
    // all of them in one batch.
    const std::size_t pairs =
        static_cast<std::size_t>(k.price_pairs + k.project_normals + k.fund_pairs);
    s.angle_bits.resize(pairs);
    s.radius_bits.resize(pairs);
    s.x.resize(pairs);
    s.y.resize(pairs);
    std::size_t next = 0;
    const auto keep = [&](const engine::Random::Philox::ctr_type& bits) {
        s.angle_bits[next] = bits.v[0];
        s.radius_bits[next++] = bits.v[1];
    };
    for (int t = 0; t + 1 < horizon; ++t) {
        for (int c2 = 0; c2 < half; ++c2) keep(random.block(Driver::price, p, t, c2));
    }
    for (int j = 0; j < k.projects; ++j) {
        const auto jj = static_cast<std::uint64_t>(j);
        keep(random.block(Driver::project, p, jj, 2));
        keep(random.block(Driver::project, p, jj, 3));
    }
    for (int t = 0; t < horizon; t += 2) keep(random.block(Driver::fund_return, p, t / 2));
    engine::normal_pairs(s.angle_bits.data(), s.radius_bits.data(), pairs, s.x.data(), s.y.data());
    // Prices: a normal per commodity and year after the first.
    for (int c = 0; c < n; ++c) s.shocks[c * horizon] = k.log_price0[c];
    for (int t = 0; t + 1 < horizon; ++t) {
        for (int c = 0; c < n; ++c) {
            const std::size_t pair = static_cast<std::size_t>(t) * half + c / 2;
            s.shocks[c * horizon + t + 1] = c % 2 == 0 ? s.x[pair] : s.y[pair];
        }
    }
    // Projects: viability and lead-time uniforms, and the two normals.
    const std::size_t project_pairs = static_cast<std::size_t>(k.price_pairs);
    for (int j = 0; j < k.projects; ++j) {
        const auto jj = static_cast<std::uint64_t>(j);
        sum += random.uniform(Driver::project, p, jj, 0) +
               random.uniform(Driver::project, p, jj, 1) + s.x[project_pairs + 2 * jj] +
               s.x[project_pairs + 2 * jj + 1];
    }
    // Fund returns.
    const std::size_t fund_pairs = project_pairs + static_cast<std::size_t>(k.project_normals);
    for (int t = 0; t < horizon; ++t) {
        const std::size_t pair = fund_pairs + static_cast<std::size_t>(t / 2);
        s.fund[t] = t % 2 == 0 ? s.x[pair] : s.y[pair];
    }
    // War and peace, liberation, support continuation.
    for (int t = 0; t < horizon; ++t) sum += random.uniform(Driver::conflict, p, t);
    for (int i = 0; i < k.liberation_uniforms; ++i) sum += random.uniform(Driver::liberation, p, i);
    for (int i = 0; i < k.support_uniforms; ++i) sum += random.uniform(Driver::support, p, i);
    // Every asset-year of every world variant: read the commodity's draw, write it, sum.
    for (int v = 0; v < k.variants; ++v) {
        for (int a = 0; a < assets; ++a) {
            const double* in = &s.shocks[k.asset_commodity[a] * horizon];
            double* out = &s.items[(static_cast<std::size_t>(v) * assets + a) * horizon];
            double acc[4] = {0, 0, 0, 0};
            int t = 0;
            for (; t + 4 <= horizon; t += 4) {
                for (int l = 0; l < 4; ++l) {
                    out[t + l] = in[t + l];
                    acc[l] += out[t + l];
                }
            }
            for (; t < horizon; ++t) {
                out[t] = in[t];
                acc[0] += out[t];
            }
            sum += (acc[0] + acc[1]) + (acc[2] + acc[3]);
        }
    }
    for (int t = 0; t < horizon; ++t) sum += s.fund[t];
    return sum;
}

}  // namespace

KernelShape kernel_shape(const Scenario& scenario, const RunOptions& options,
                         std::int64_t calibration_paths) {
    const engine::Plan plan = engine::make_plan(scenario, options.deals);
    const World& world = scenario.world;
    KernelShape k;
    k.horizon = plan.horizon;
    k.commodities = static_cast<int>(world.commodities.size());
    k.projects = static_cast<int>(world.projects.size());
    k.variants = static_cast<int>(plan.variants.size());
    k.deals = static_cast<int>(plan.deals.size());
    for (const Project& p : world.projects) k.asset_commodity.push_back(p.commodity);
    for (const Stream& s : world.streams) k.asset_commodity.push_back(s.commodity);
    for (const Commodity& c : world.commodities) k.log_price0.push_back(std::log(c.price0));
    k.price_pairs = (k.horizon - 1) * ((k.commodities + 1) / 2);
    k.project_uniforms = 2 * k.projects;
    k.project_normals = 2 * k.projects;
    k.fund_pairs = (k.horizon + 1) / 2;
    k.conflict_uniforms = k.horizon;

    int occupied = 0;
    for (const Region& r : world.regions) occupied += r.status == RegionStatus::occupied;
    const engine::Random random(options.seed);
    engine::ConflictPath conflict;
    double liberation = 0, support = 0;
    for (std::int64_t path = 0; path < calibration_paths; ++path) {
        const auto p = static_cast<std::uint64_t>(path);
        // Liberation: a uniform per occupied region at each war-to-peace transition (at most:
        // a region already liberated draws no more).
        std::set<int> ends;
        for (const engine::WorldVariant& v : plan.variants) {
            engine::simulate_conflict(plan, v, random, path, conflict);
            for (int t = 0; t + 1 < k.horizon; ++t) {
                if (conflict.war[t] && !conflict.war[t + 1]) ends.insert(t);
            }
        }
        liberation += static_cast<double>(ends.size()) * occupied;
        // Support: the engine's rule (path.cpp, run_deal), counting its draws.
        int most = 0;
        for (const int d : plan.deals) {
            const PartnerSupport& ps = scenario.deals[d].partner_support;
            bool on = true;
            int draws = 0;
            for (int t = 0; t < k.horizon; ++t) {
                const double due =
                    on ? value_in_year(ps.cash, t) + value_in_year(ps.in_kind, t) : 0;
                if (on && due > 0) {
                    ++draws;
                    if (random.uniform(Driver::support, p, t) >= ps.continuation_probability) {
                        on = false;
                    }
                }
            }
            most = std::max(most, draws);
        }
        support += most;
    }
    const auto n = static_cast<double>(calibration_paths);
    k.liberation_mean = liberation / n;
    k.support_mean = support / n;
    k.liberation_uniforms = static_cast<int>(std::lround(k.liberation_mean));
    k.support_uniforms = static_cast<int>(std::lround(k.support_mean));
    return k;
}

double run_lower_bound(const KernelShape& shape, std::uint64_t seed, std::int64_t paths,
                       int threads) {
    const engine::Random random(seed);
    std::vector<double> checksum(static_cast<std::size_t>(paths));
    tbb::enumerable_thread_specific<Scratch> scratch;
    tbb::task_arena arena(threads);
    arena.execute([&] {
        tbb::parallel_for(tbb::blocked_range<std::int64_t>(0, paths, 64),
                          [&](const tbb::blocked_range<std::int64_t>& range) {
                              Scratch& s = scratch.local();
                              for (std::int64_t path = range.begin(); path != range.end(); ++path) {
                                  checksum[static_cast<std::size_t>(path)] = kernel_path(
                                      shape, random, static_cast<std::uint64_t>(path), s);
                              }
                          });
    });
    double total = 0;
    for (const double c : checksum) total += c;
    return total;
}

std::string grouped(std::int64_t n) {
    std::string digits = std::to_string(n < 0 ? -n : n);
    std::string out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return n < 0 ? "-" + out : out;
}

}  // namespace nadra::bench
