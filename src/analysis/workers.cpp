#include "analysis/workers.hpp"

#include <time.h>  // clock_gettime: a thread's CPU time

#ifndef NADRA_STD_THREADS
#include <tbb/task_arena.h>
#endif

#include <algorithm>
#include <atomic>
#include <bit>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

namespace nadra {

Workers& one_process() {
    static Workers workers;
    return workers;
}

std::vector<std::string> share_items(Workers& workers, std::size_t count,
                                     const std::function<std::string(std::size_t)>& evaluate) {
    std::vector<std::string> items(count);
    for (std::size_t i = 0; i < count; ++i) {
        if (workers.owns(i)) items[i] = evaluate(i);
    }
    workers.share(items);
    return items;
}

namespace {

// Every per-path array of a deal's results, in one fixed order.
template <class Deal, class F>
void for_each_array(Deal& d, F&& f) {
    for (auto* v : {&d.host_value, &d.partner_value, &d.in_kind_support_npv, &d.host_contributions,
                    &d.host_revenue, &d.host_kept, &d.share_ceded, &d.cap_year, &d.host_total_value,
                    &d.partner_net_value, &d.fund_balance, &d.years, &d.asset_contributions,
                    &d.asset_contributions_npv}) {
        f(*v);
    }
}

// A block's arrays repeat themselves (zeros where a deal has no fund, +inf where it has no cap,
// a total that stops growing): each value that equals the one before it, bit for bit (the first
// compared with +0), is a set bit of a mask and is not written. Exact, and a fraction of the bytes
// every rank receives.
void put_repeating(ByteWriter& out, const std::vector<double>& values) {
    std::vector<std::uint8_t> repeats((values.size() + 7) / 8, 0);
    std::vector<double> literals;
    std::uint64_t previous = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const auto bits = std::bit_cast<std::uint64_t>(values[i]);
        if (bits == previous)
            repeats[i / 8] = static_cast<std::uint8_t>(repeats[i / 8] | (1u << (i % 8)));
        else
            literals.push_back(values[i]);
        previous = bits;
    }
    out.put(static_cast<std::uint64_t>(values.size()));
    out.put_span(std::span<const std::uint8_t>(repeats));
    out.put_span(std::span<const double>(literals));
}

std::vector<double> get_repeating(ByteReader& in, std::size_t limit) {
    const auto n = static_cast<std::size_t>(in.get<std::uint64_t>());
    const std::vector<std::uint8_t> repeats = in.get_vector<std::uint8_t>();
    const std::vector<double> literals = in.get_vector<double>();
    if (n > limit || repeats.size() != (n + 7) / 8)
        throw std::runtime_error("shared results: a corrupt block");
    std::vector<double> values(n);
    std::size_t next = 0;
    double previous = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        if ((repeats[i / 8] >> (i % 8) & 1u) == 0) {
            if (next == literals.size())
                throw std::runtime_error("shared results: a corrupt block");
            previous = literals[next++];
        }
        values[i] = previous;
    }
    if (next != literals.size()) throw std::runtime_error("shared results: a corrupt block");
    return values;
}

}  // namespace

std::string block_bytes(const SimulationResult& block) {
    ByteWriter out;
    out.put(block.paths).put(block.horizon).put(static_cast<std::uint64_t>(block.deals.size()));
    for (const DealPaths& d : block.deals) {
        out.put(d.deal).put(d.projects);
        for_each_array(d, [&](const std::vector<double>& v) { put_repeating(out, v); });
        out.put_span(std::span<const std::int16_t>(d.project_start));
        out.put_span(std::span<const char>(d.project_co_invested));
    }
    return std::move(out).take();
}

SimulationResult block_from_bytes(const std::string& bytes) {
    ByteReader in(bytes);
    SimulationResult block;
    block.paths = in.get<std::int64_t>();
    block.horizon = in.get<int>();
    const auto deals = in.get<std::uint64_t>();
    if (deals > bytes.size()) throw std::runtime_error("shared results: a corrupt block");
    block.deals.resize(static_cast<std::size_t>(deals));
    for (DealPaths& d : block.deals) {
        d.deal = in.get<int>();
        d.projects = in.get<int>();
        for_each_array(d, [&](std::vector<double>& v) { v = get_repeating(in, bytes.size() * 8); });
        d.project_start = in.get_vector<std::int16_t>();
        d.project_co_invested = in.get_vector<char>();
    }
    return block;
}

void simulate_blocks_everywhere(Workers& workers, const Scenario& scenario,
                                const RunOptions& options, std::int64_t block_paths,
                                const BlockConsumer& consume, const Progress& progress) {
    using Clock = std::chrono::steady_clock;
    const auto seconds_since = [](Clock::time_point start) {
        return std::chrono::duration<double>(Clock::now() - start).count();
    };
    // The consumer's time is the thread's CPU time: what it costs, whoever else wants the cores.
    const auto cpu_seconds = [] {
        timespec now{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
        return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
    };
    Workers::BlockTimes& times = workers.block_times;
    const int ranks = workers.size();
    if (ranks == 1) {
        const auto timed = [&](const SimulationResult& block, std::int64_t first_path) {
            const double start = cpu_seconds();
            consume(block, first_path);
            times.consuming += cpu_seconds() - start;
        };
        simulate_blocks(scenario, options, block_paths, timed, progress);
        return;
    }
    // Block b is rank (b mod ranks)'s. The engine simulates this rank's blocks into a short
    // queue while one thread, the only one that talks to the other ranks, takes every block in
    // path order (this rank's from the queue, the others' by broadcast) and consumes it: so the
    // ranks do not wait for each other's simulation at every block.
    const int rank = workers.rank();
    const std::int64_t size = std::max<std::int64_t>(1, block_paths);
    const std::int64_t blocks = (options.paths + size - 1) / size;
    constexpr std::size_t queue_limit = 2;  // blocks simulated ahead: memory stays flat
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<std::string> queue;
    bool stop = false;  // the exchange ended early (failed or cancelled): the engine stops too
    std::exception_ptr failure;
    std::atomic<std::int64_t> consumed{0};
    const auto go_on = [&] { return !progress || progress(consumed.load(), options.paths); };
    const auto next_own = [&] {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return !queue.empty() || stop; });
        if (queue.empty()) throw Cancelled{};
        std::string bytes = std::move(queue.front());
        queue.pop_front();
        changed.notify_all();
        return bytes;
    };
    const auto exchange_blocks = [&] {
        for (std::int64_t index = 0; index < blocks; ++index) {
            const int root = static_cast<int>(index % ranks);
            std::string bytes = root == rank ? next_own() : std::string{};
            const auto start = Clock::now();
            workers.broadcast(bytes, root);
            const SimulationResult block = block_from_bytes(bytes);
            times.receiving += seconds_since(start);
            if (root != rank) {
                ++times.blocks_received;
                times.bytes_received += static_cast<std::int64_t>(bytes.size());
            }
            const double consuming = cpu_seconds();
            consume(block, index * size);
            times.consuming += cpu_seconds() - consuming;
            consumed = std::min(options.paths, (index + 1) * size);
            if (!go_on()) throw Cancelled{};
        }
    };
    std::thread exchange([&] {
        try {
#ifdef NADRA_STD_THREADS
            exchange_blocks();
#else
            // The consumer's parallel loops (StreamingSummary::add) on at most --threads threads,
            // as the engine's: not on every core of the machine.
            tbb::task_arena arena(options.threads > 0 ? options.threads
                                                      : tbb::task_arena::automatic);
            arena.execute(exchange_blocks);
#endif
        } catch (...) {
            const std::lock_guard lock(mutex);
            failure = std::current_exception();
            stop = true;
            changed.notify_all();
        }
    });
    const auto stop_exchange = [&] {
        {
            const std::lock_guard lock(mutex);
            stop = true;
            changed.notify_all();
        }
        exchange.join();
    };
    try {
        simulate_blocks(
            scenario, options, block_paths,
            [&](const SimulationResult& block, std::int64_t) {
                std::string bytes = block_bytes(block);
                std::unique_lock lock(mutex);
                changed.wait(lock, [&] { return queue.size() < queue_limit || stop; });
                if (stop) throw Cancelled{};
                queue.push_back(std::move(bytes));
                changed.notify_all();
            },
            [&](std::int64_t, std::int64_t) {
                {
                    const std::lock_guard lock(mutex);
                    if (stop) return false;
                }
                return go_on();
            },
            BlockShare{rank, ranks});
    } catch (...) {
        stop_exchange();
        // The exchange's own failure says more than the engine's stop it caused.
        if (failure) std::rethrow_exception(failure);
        throw;
    }
    exchange.join();
    if (failure) std::rethrow_exception(failure);
}

}  // namespace nadra
