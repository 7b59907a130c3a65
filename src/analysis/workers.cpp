#include "analysis/workers.hpp"

#include <algorithm>
#include <chrono>
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

}  // namespace

std::string block_bytes(const SimulationResult& block) {
    ByteWriter out;
    out.put(block.paths).put(block.horizon).put(static_cast<std::uint64_t>(block.deals.size()));
    for (const DealPaths& d : block.deals) {
        out.put(d.deal).put(d.projects);
        for_each_array(
            d, [&](const std::vector<double>& v) { out.put_span(std::span<const double>(v)); });
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
        for_each_array(d, [&](std::vector<double>& v) { v = in.get_vector<double>(); });
        d.project_start = in.get_vector<std::int16_t>();
        d.project_co_invested = in.get_vector<char>();
    }
    return block;
}

void simulate_shared_blocks(Workers& workers, const Scenario& scenario, const RunOptions& options,
                            std::int64_t block_paths, const BlockConsumer& consume,
                            const Progress& progress) {
    const int ranks = workers.size();
    if (ranks == 1) {
        simulate_blocks(scenario, options, block_paths, consume, progress);
        return;
    }
    const BlockShare share{workers.rank(), ranks};
    if (!workers.root()) {
        simulate_blocks(
            scenario, options, block_paths,
            [&](const SimulationResult& block, std::int64_t) {
                workers.send_to_root(block_bytes(block));
            },
            progress, share);
        return;
    }
    // Rank 0: its own blocks come from the engine in order; before each, and after the last,
    // the other ranks' blocks that precede it, received in order.
    const std::int64_t size = std::max<std::int64_t>(1, block_paths);
    const std::int64_t blocks = (options.paths + size - 1) / size;
    std::int64_t next = 0;  // the next block to consume
    std::int64_t consumed = 0;
    const auto go_on = [&] { return !progress || progress(consumed, options.paths); };
    using Clock = std::chrono::steady_clock;
    const auto seconds_since = [](Clock::time_point start) {
        return std::chrono::duration<double>(Clock::now() - start).count();
    };
    Workers::BlockTimes& times = workers.block_times;
    const auto consume_in_order = [&](const SimulationResult& block, std::int64_t index) {
        const auto start = Clock::now();
        consume(block, index * size);
        times.consuming += seconds_since(start);
        consumed = std::min(options.paths, (index + 1) * size);
        ++next;
    };
    const auto receive_until = [&](std::int64_t index) {
        while (next < index) {
            const auto start = Clock::now();
            const std::string bytes = workers.receive_from(static_cast<int>(next % ranks));
            const SimulationResult block = block_from_bytes(bytes);
            times.receiving += seconds_since(start);
            ++times.blocks_received;
            times.bytes_received += static_cast<std::int64_t>(bytes.size());
            consume_in_order(block, next);
            if (!go_on()) throw Cancelled{};
        }
    };
    simulate_blocks(
        scenario, options, block_paths,
        [&](const SimulationResult& block, std::int64_t first_path) {
            const std::int64_t index = first_path / size;
            receive_until(index);
            consume_in_order(block, index);
        },
        [&](std::int64_t, std::int64_t) { return go_on(); }, share);
    receive_until(blocks);
}

}  // namespace nadra
