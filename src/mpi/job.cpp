#include "mpi/job.hpp"

// The C API only (CMake defines OMPI_SKIP_MPICXX: Open MPI's C++ bindings are deprecated).
#include <fmt/core.h>
#include <mpi.h>
#include <unistd.h>

#include <chrono>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string>
#include <thread>

namespace nadra::mpi {
namespace {

// For the tests: NADRA_TEST_FAIL_RANK=r makes rank r throw at its first exchange with the
// others, as a rank that runs out of memory or loses a file part way would.
int failing_rank() {
    const char* text = std::getenv("NADRA_TEST_FAIL_RANK");
    return text == nullptr ? -1 : std::atoi(text);
}

int checked_count(std::size_t bytes) {
    if (bytes > static_cast<std::size_t>(INT_MAX))
        throw std::runtime_error("a message between ranks over 2 GiB; use fewer paths per block");
    return static_cast<int>(bytes);
}

class MpiWorkers final : public Workers {
  public:
    MpiWorkers() {
        MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
        MPI_Comm_size(MPI_COMM_WORLD, &size_);
    }
    [[nodiscard]] int rank() const override { return rank_; }
    [[nodiscard]] int size() const override { return size_; }

    void share(std::vector<std::string>& items) override {
        fail_if_asked();
        // Each rank's items, in index order, each as its length then its bytes.
        std::string mine;
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (!owns(i)) continue;
            const auto length = static_cast<std::uint64_t>(items[i].size());
            mine.append(reinterpret_cast<const char*>(&length), sizeof length);
            mine += items[i];
        }
        const int my_count = checked_count(mine.size());
        std::vector<int> counts(static_cast<std::size_t>(size_));
        MPI_Allgather(&my_count, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
        std::vector<int> offsets(counts.size());
        std::size_t total = 0;
        for (std::size_t r = 0; r < counts.size(); ++r) {
            offsets[r] = checked_count(total);
            total += static_cast<std::size_t>(counts[r]);
        }
        checked_count(total);
        std::string all(total, '\0');
        MPI_Allgatherv(mine.data(), my_count, MPI_BYTE, all.data(), counts.data(), offsets.data(),
                       MPI_BYTE, MPI_COMM_WORLD);
        for (std::size_t r = 0; r < counts.size(); ++r) {
            std::size_t at = static_cast<std::size_t>(offsets[r]);
            for (std::size_t i = r; i < items.size(); i += counts.size()) {
                std::uint64_t length = 0;
                std::memcpy(&length, all.data() + at, sizeof length);
                at += sizeof length;
                items[i].assign(all.data() + at, static_cast<std::size_t>(length));
                at += static_cast<std::size_t>(length);
            }
        }
    }

    void broadcast(std::string& bytes, int root) override {
        fail_if_asked();
        auto length = static_cast<std::uint64_t>(bytes.size());
        MPI_Request request = MPI_REQUEST_NULL;
        MPI_Ibcast(&length, 1, MPI_UINT64_T, root, MPI_COMM_WORLD, &request);
        wait_without_spinning(request);
        bytes.resize(static_cast<std::size_t>(length));
        MPI_Ibcast(bytes.data(), checked_count(bytes.size()), MPI_BYTE, root, MPI_COMM_WORLD,
                   &request);
        wait_without_spinning(request);
    }

  private:
    // MPI's own waits spin on a core; a run's exchange thread waits for other ranks' blocks while
    // this rank's engine threads need the cores, so it polls and sleeps between polls instead.
    static void wait_without_spinning(MPI_Request& request) {
        for (;;) {
            int done = 0;
            MPI_Test(&request, &done, MPI_STATUS_IGNORE);
            if (done != 0) return;
            std::this_thread::sleep_for(std::chrono::microseconds(50));
        }
    }

    void fail_if_asked() const {
        if (failing_rank() == rank_)
            throw std::runtime_error("NADRA_TEST_FAIL_RANK: this rank was told to fail");
    }
    int rank_ = 0, size_ = 1;
};

// What a rank other than 0 printed on stderr, which is kept in a file until it fails (then it
// is shown) or succeeds (then it is dropped: rank 0 said the same).
std::FILE* captured_stderr = nullptr;
int real_stderr = STDERR_FILENO;

void say(const std::string& text) {
    const ssize_t written = ::write(real_stderr, text.data(), text.size());
    (void)written;
}

std::string captured_text() {
    if (captured_stderr == nullptr) return {};
    std::fflush(stderr);
    std::rewind(captured_stderr);
    std::string text;
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, captured_stderr)) > 0;)
        text.append(buffer, n);
    return text;
}

[[noreturn]] void end_job(int rank, int size, int code, const std::string& why) {
    std::string text;
    if (rank != 0) {
        // Its own words first, each line marked with the rank.
        const std::string own = captured_text();
        for (std::size_t at = 0; at < own.size();) {
            const std::size_t end = own.find('\n', at);
            text += fmt::format("rank {}: {}\n", rank, own.substr(at, end - at));
            at = end == std::string::npos ? own.size() : end + 1;
        }
    }
    text +=
        fmt::format("error: rank {} of {} {}; the job stops, nothing written\n", rank, size, why);
    std::fflush(stdout);
    std::fflush(stderr);
    say(text);
    MPI_Abort(MPI_COMM_WORLD, code == 0 ? 1 : code);
    std::_Exit(code == 0 ? 1 : code);
}

}  // namespace

int run_job(int& argc, char**& argv, const std::function<int(Workers&)>& command) {
    int provided = 0;
    // Blocks go through MPI from one thread at a time: a run's exchange thread (workers.cpp),
    // else the main thread.
    MPI_Init_thread(&argc, &argv, MPI_THREAD_SERIALIZED, &provided);
    MpiWorkers workers;
    const int rank = workers.rank(), size = workers.size();
    if (provided < MPI_THREAD_SERIALIZED && size > 1) {
        std::fprintf(stderr,
                     "error: this MPI library cannot be called from several threads "
                     "(MPI_THREAD_SERIALIZED); run nadra on one process per rank\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    if (rank != 0) {
        // Only rank 0 prints: the others' output would repeat it.
        std::fflush(stdout);
        if (std::freopen("/dev/null", "w", stdout) == nullptr) std::fclose(stdout);
        real_stderr = ::dup(STDERR_FILENO);
        captured_stderr = std::tmpfile();
        if (real_stderr >= 0 && captured_stderr != nullptr) {
            std::fflush(stderr);
            ::dup2(::fileno(captured_stderr), STDERR_FILENO);
        } else {
            real_stderr = STDERR_FILENO;
        }
    }
    int code = 0;
    try {
        code = command(workers);
    } catch (const std::exception& e) {
        end_job(rank, size, 1, std::string("failed: ") + e.what());
    } catch (...) {
        end_job(rank, size, 1, "failed");
    }
    if (code != 0 && size > 1) {
        end_job(rank, size, code, fmt::format("ended with exit code {}", code));
    }
    // For the scaling benchmark (bench/mpi_scaling.py): where rank 0's time went.
    if (rank == 0 && std::getenv("NADRA_MPI_TIMES") != nullptr) {
        const Workers::BlockTimes& t = workers.block_times;
        std::fprintf(stderr,
                     "mpi-times: ranks %d receiving %.6f consuming %.6f blocks_received %lld "
                     "bytes_received %lld\n",
                     size, t.receiving, t.consuming, static_cast<long long>(t.blocks_received),
                     static_cast<long long>(t.bytes_received));
    }
    MPI_Finalize();
    return code;
}

}  // namespace nadra::mpi
