// How a command's independent pieces of work (blocks of paths, variants, model evaluations) are
// shared between processes. One process does all of them (the default build); the MPI build
// (src/mpi, NADRA_MPI) shares them between the ranks of a job. The analyses and the engine know
// only this interface, and their results do not depend on how many processes there are: a
// piece's result is a function of its index alone, and every reduction runs in index order.
#pragma once

#include <cstdint>
#include <cstring>
#include <functional>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/engine.hpp"

namespace nadra {

class Workers {
  public:
    virtual ~Workers() = default;

    // This process's place among `size()`; rank 0 writes the outputs and shows progress.
    [[nodiscard]] virtual int rank() const { return 0; }
    [[nodiscard]] virtual int size() const { return 1; }
    [[nodiscard]] bool root() const { return rank() == 0; }
    // Item i of a shared list is made by rank i mod size().
    [[nodiscard]] bool owns(std::size_t item) const {
        return static_cast<int>(item % static_cast<std::size_t>(size())) == rank();
    }

    // `items` holds this rank's items (those it owns) filled in; afterwards every rank holds
    // every item. Called by every rank with lists of the same length.
    virtual void share(std::vector<std::string>& items) { (void)items; }

    // Collective: every rank calls it, in the same order; afterwards each holds `root`'s bytes.
    virtual void broadcast(std::string& bytes, int root) {
        (void)bytes;
        (void)root;
    }

    // Where a rank's time went while it took the blocks in order (simulate_blocks_everywhere): for
    // the scaling benchmark's model (BENCHMARKS.md), which the MPI build prints on request.
    struct BlockTimes {
        double receiving = 0;  // waiting for, receiving (or sending) blocks, in seconds
        double consuming = 0;  // the consumer (the statistics), in CPU seconds of its thread
        std::int64_t blocks_received = 0, bytes_received = 0;
    };
    BlockTimes block_times;
};

// The one-process workers: every item is this process's, and sharing does nothing.
Workers& one_process();

// Runs `evaluate(i)` for each i < count this rank owns, then shares the results: every rank
// returns all `count` of them, in index order.
std::vector<std::string> share_items(Workers& workers, std::size_t count,
                                     const std::function<std::string(std::size_t)>& evaluate);

// The run's blocks simulated by every rank, each its share, and handed to `consume` on every
// rank, all of them in path order: each rank's blocks go to all the others. For statistics
// whose series are shared out between the ranks (StreamingSummary::keep_series_of), so that the
// work of summarising, most of a run's, is split too. `progress` (rank 0)
// counts consumed paths; elsewhere it is only asked whether to go on.
void simulate_blocks_everywhere(Workers& workers, const Scenario& scenario,
                                const RunOptions& options, std::int64_t block_paths,
                                const BlockConsumer& consume, const Progress& progress = {});

// A block's results as bytes and back (for sending it to the other ranks).
std::string block_bytes(const SimulationResult& block);
SimulationResult block_from_bytes(const std::string& bytes);

// Plain values to bytes and back, for the results the analyses share.
class ByteWriter {
  public:
    template <class T>
    ByteWriter& put(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        bytes_.append(reinterpret_cast<const char*>(&value), sizeof value);
        return *this;
    }
    template <class T>
    ByteWriter& put_span(std::span<const T> values) {
        static_assert(std::is_trivially_copyable_v<T>);
        put(static_cast<std::uint64_t>(values.size()));
        bytes_.append(reinterpret_cast<const char*>(values.data()), values.size_bytes());
        return *this;
    }
    [[nodiscard]] std::string take() && { return std::move(bytes_); }

  private:
    std::string bytes_;
};

class ByteReader {
  public:
    explicit ByteReader(const std::string& bytes) : bytes_(bytes) {}
    template <class T>
    T get() {
        static_assert(std::is_trivially_copyable_v<T>);
        T value;
        std::memcpy(&value, take(sizeof value), sizeof value);
        return value;
    }
    template <class T>
    std::vector<T> get_vector() {
        const auto n = static_cast<std::size_t>(get<std::uint64_t>());
        if (n > bytes_.size()) throw std::runtime_error("shared results: a corrupt message");
        std::vector<T> values(n);
        if (n > 0) std::memcpy(values.data(), take(n * sizeof(T)), n * sizeof(T));
        return values;
    }

  private:
    const char* take(std::size_t n) {
        if (n > bytes_.size() - at_) throw std::runtime_error("shared results: a short message");
        const char* p = bytes_.data() + at_;
        at_ += n;
        return p;
    }
    const std::string& bytes_;
    std::size_t at_ = 0;
};

}  // namespace nadra
