// A progress bar on stderr for long runs, shown only on a terminal and only after a second,
// and Ctrl-C handling: the bar's callback tells the engine to stop.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>

#include "engine/engine.hpp"

namespace nadra::cli {

class ProgressBar {
  public:
    ProgressBar();
    ~ProgressBar();
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    // The engine's callback; false once Ctrl-C was pressed.
    [[nodiscard]] Progress callback();
    // Clears the bar's line, if one was drawn.
    void finish();

  private:
    void draw(std::int64_t done, std::int64_t total);

    bool enabled_;
    std::chrono::steady_clock::time_point start_;
    std::chrono::steady_clock::time_point last_draw_;
    std::mutex mutex_;
    bool drawn_ = false;
};

// Installs a SIGINT handler that sets a flag instead of killing the process.
void catch_interrupts();
bool interrupted();

}  // namespace nadra::cli
