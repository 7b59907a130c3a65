#include "cli/progress.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <string>

namespace nadra::cli {
namespace {

// Set by the handler, read by the engine's worker threads: a lock-free atomic is safe in a
// signal handler and, unlike a volatile sig_atomic_t, between threads.
std::atomic<bool> interrupt_flag{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_interrupt(int) { interrupt_flag.store(true, std::memory_order_relaxed); }

constexpr auto show_after = std::chrono::seconds(1);
constexpr auto redraw_every = std::chrono::milliseconds(100);
constexpr int bar_width = 30;

}  // namespace

void catch_interrupts() {
    std::signal(SIGINT, on_interrupt);
#ifdef NADRA_MPI
    // mpirun passes Ctrl-C on to the ranks as SIGTERM: the same, so no rank dies half way.
    std::signal(SIGTERM, on_interrupt);
#endif
}
bool interrupted() { return interrupt_flag.load(std::memory_order_relaxed); }

ProgressBar::ProgressBar()
    : enabled_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() { finish(); }

Progress ProgressBar::callback() {
    return [this](std::int64_t done, std::int64_t total) {
        if (enabled_) draw(done, total);
        return !interrupted();
    };
}

void ProgressBar::draw(std::int64_t done, std::int64_t total) {
    const auto now = std::chrono::steady_clock::now();
    if (now - start_ < show_after) return;
    std::unique_lock lock(mutex_, std::try_to_lock);
    if (!lock || (drawn_ && now - last_draw_ < redraw_every && done < total)) return;
    last_draw_ = now;
    drawn_ = true;
    const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1;
    const int filled = static_cast<int>(fraction * bar_width);
    const double seconds = std::chrono::duration<double>(now - start_).count();
    const double remaining = fraction > 0 ? seconds * (1 - fraction) / fraction : 0;
    std::fprintf(stderr, "\r[%s%s] %3.0f%%  %lld/%lld paths  %.0f s left ",
                 std::string(filled, '#').c_str(), std::string(bar_width - filled, '.').c_str(),
                 100 * fraction, static_cast<long long>(done), static_cast<long long>(total),
                 remaining);
    std::fflush(stderr);
}

void ProgressBar::finish() {
    std::lock_guard lock(mutex_);
    if (!drawn_) return;
    std::fprintf(stderr, "\r%*s\r", bar_width + 50, "");
    std::fflush(stderr);
    drawn_ = false;
}

}  // namespace nadra::cli
