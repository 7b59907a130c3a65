// The runs `nadra serve` makes: a bounded set of them at once, the rest queued up to a limit,
// each one's progress, and a page's stale run cancelled when the page asks for a newer one.
// Knows nothing of HTTP or of what a run computes: a run is a Job.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "report/atomic_write.hpp"

namespace nadra::server {

// A run that could not finish: the key of the input at fault (may be empty) and the message.
struct RunFailure {
    std::string key;
    std::string message;
};

// What a job produces: the run's files (summary.json, terms.json, ...) and, apart, a sample of
// paths for the report's scatter (paths.csv's text; may be empty).
struct RunFiles {
    OutputFiles files;
    std::string path_sample_csv;
};

// A job reports its progress (0..1) through the callback, which answers false once the run was
// cancelled: the job then stops (throwing anything; it is recorded as cancelled). A job throws
// RunFailure for an input that turned out wrong, anything else for an internal error.
using Job = std::function<RunFiles(const std::function<bool(double)>& progress)>;

enum class RunState { queued, running, done, failed };

struct RunView {
    RunState state = RunState::queued;
    double progress = 0;
    std::shared_ptr<const RunFiles> result;  // when done
    RunFailure failure;                      // when failed
    std::shared_ptr<const void> inputs;      // what submit() was given to keep with the run
};

struct RunLimits {
    int running = 2;        // runs at once
    int queued = 8;         // runs waiting; a run beyond is refused
    std::size_t kept = 64;  // finished runs kept for GET (the oldest are forgotten)
};

class RunManager {
  public:
    explicit RunManager(RunLimits limits);
    ~RunManager();  // cancels every run and waits for the running ones
    RunManager(const RunManager&) = delete;
    RunManager& operator=(const RunManager&) = delete;

    // Queues `job`; first cancels the page's unfinished runs (an empty page cancels nothing).
    // The run's id, or none when the queue is full.
    std::optional<std::string> submit(const std::string& page, Job job,
                                      std::shared_ptr<const void> inputs = {});
    std::optional<RunView> view(const std::string& id) const;
    // Runs queued or running now.
    int active() const;

  private:
    struct Run {
        std::string page;
        Job job;
        RunView view;
        std::shared_ptr<std::atomic<bool>> cancelled = std::make_shared<std::atomic<bool>>(false);
        std::shared_ptr<std::atomic<double>> progress = std::make_shared<std::atomic<double>>(0);
    };
    void work();
    void finish(const std::string& id, RunView outcome);  // with mutex_ held
    void forget_old();                                    // with mutex_ held

    RunLimits limits_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::map<std::string, Run> runs_;
    std::deque<std::string> queue_;     // ids waiting
    std::deque<std::string> finished_;  // ids finished, oldest first
    std::uint64_t next_id_ = 1;
    int running_ = 0;
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

}  // namespace nadra::server
