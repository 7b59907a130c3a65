#include "peers.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include "engine/engine.hpp"

namespace nadra::bench {
namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

SimpleResult run_scalar_simple(std::int64_t samples, std::uint64_t seed) {
    constexpr int years = 30;
    constexpr double price0 = 100, drift = 0.02, sigma = 0.25, volume = 11e6;
    constexpr double share = 0.5, cap = 20e9, rate = 0.05;
    const auto start = std::chrono::steady_clock::now();
    std::mt19937_64 generator(seed);
    std::normal_distribution<double> shock(drift, sigma);
    double sum = 0, sum_squares = 0;
    std::int64_t reached = 0;
    for (std::int64_t i = 0; i < samples; ++i) {
        double log_price = std::log(price0);
        double cumulative = 0, npv = 0, discount = 1;
        bool capped = false;
        for (int t = 0; t < years; ++t) {
            if (t > 0) log_price += shock(generator);
            discount /= 1 + rate;
            const double due = share * volume * std::exp(log_price);
            double contribution = due;
            if (due >= cap - cumulative) {
                contribution = std::max(0.0, cap - cumulative);
                capped = true;
            }
            cumulative += contribution;
            npv += contribution * discount;
        }
        sum += npv;
        sum_squares += npv * npv;
        reached += capped;
    }
    const auto n = static_cast<double>(samples);
    SimpleResult r;
    r.mean_npv = sum / n;
    r.sem_npv = std::sqrt(std::max(0.0, (sum_squares - n * r.mean_npv * r.mean_npv) / (n - 1)) / n);
    r.p_cap = static_cast<double>(reached) / n;
    r.seconds = seconds_since(start);
    return r;
}

SimpleResult run_nadra_simple(const Scenario& scenario, std::int64_t samples) {
    RunOptions options;
    options.threads = 1;
    options.paths = 1000;
    simulate(scenario, options);  // warm-up, not timed
    options.paths = samples;
    const auto start = std::chrono::steady_clock::now();
    const SimulationResult result = simulate(scenario, options);
    SimpleResult r;
    r.seconds = seconds_since(start);
    const DealPaths& deal = result.deals.at(0);
    double sum = 0, sum_squares = 0;
    std::int64_t reached = 0;
    for (std::size_t i = 0; i < deal.partner_value.size(); ++i) {
        sum += deal.partner_value[i];
        sum_squares += deal.partner_value[i] * deal.partner_value[i];
        reached += !std::isnan(deal.cap_year[i]);
    }
    const auto n = static_cast<double>(samples);
    r.mean_npv = sum / n;
    r.sem_npv = std::sqrt(std::max(0.0, (sum_squares - n * r.mean_npv * r.mean_npv) / (n - 1)) / n);
    r.p_cap = static_cast<double>(reached) / n;
    return r;
}

}  // namespace nadra::bench
