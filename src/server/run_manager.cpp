#include "server/run_manager.hpp"

#include <exception>
#include <stdexcept>
#include <string>
#include <utility>

namespace nadra::server {
namespace {

const std::string cancelled_message = "cancelled: the page asked for a newer run";

}  // namespace

RunManager::RunManager(RunLimits limits) : limits_(limits) {
    for (int i = 0; i < limits_.running; ++i) workers_.emplace_back([this] { work(); });
}

RunManager::~RunManager() {
    {
        const std::lock_guard lock(mutex_);
        stopping_ = true;
        for (auto& [id, run] : runs_) *run.cancelled = true;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) worker.join();
}

std::optional<std::string> RunManager::submit(const std::string& page, Job job,
                                              std::shared_ptr<const void> inputs) {
    const std::lock_guard lock(mutex_);
    if (!page.empty()) {
        // The page's earlier runs are stale: a queued one never starts, a running one stops at
        // its next batch of paths.
        std::vector<std::string> dropped;
        for (auto& [id, run] : runs_) {
            if (run.page != page || run.view.state == RunState::done ||
                run.view.state == RunState::failed)
                continue;
            *run.cancelled = true;
            if (run.view.state == RunState::queued) dropped.push_back(id);
        }
        for (const std::string& id : dropped) {  // finish() may forget runs: not while iterating
            std::erase(queue_, id);
            RunView outcome = runs_.at(id).view;
            outcome.state = RunState::failed;
            outcome.failure = {"", cancelled_message};
            finish(id, std::move(outcome));
        }
    }
    if (static_cast<int>(queue_.size()) >= limits_.queued) return std::nullopt;
    std::string id = "r";  // (not "r" + to_string: GCC 12 warns of a false overlap)
    id += std::to_string(next_id_++);
    Run run{page, std::move(job), {}};
    run.view.inputs = std::move(inputs);
    runs_.emplace(id, std::move(run));
    queue_.push_back(id);
    wake_.notify_one();
    return id;
}

std::optional<RunView> RunManager::view(const std::string& id) const {
    const std::lock_guard lock(mutex_);
    const auto found = runs_.find(id);
    if (found == runs_.end()) return std::nullopt;
    RunView view = found->second.view;
    if (view.state == RunState::running) view.progress = *found->second.progress;
    return view;
}

int RunManager::active() const {
    const std::lock_guard lock(mutex_);
    return static_cast<int>(queue_.size()) + running_;
}

void RunManager::work() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        if (stopping_) return;
        const std::string id = queue_.front();
        queue_.pop_front();
        Run& run = runs_.at(id);  // a queued run is never forgotten
        run.view.state = RunState::running;
        Job job = std::move(run.job);
        const auto cancelled = run.cancelled;
        const auto progress = run.progress;
        ++running_;
        lock.unlock();

        RunView outcome;
        try {
            RunFiles files = job([&](double fraction) {
                *progress = fraction;
                return !*cancelled;
            });
            if (*cancelled) throw std::runtime_error("cancelled");
            outcome.state = RunState::done;
            outcome.progress = 1;
            outcome.result = std::make_shared<const RunFiles>(std::move(files));
        } catch (const RunFailure& failure) {
            outcome.state = RunState::failed;
            outcome.failure = failure;
        } catch (const std::exception& e) {
            outcome.state = RunState::failed;
            outcome.failure = {
                "", *cancelled ? cancelled_message : std::string("internal error: ") + e.what()};
        } catch (...) {  // the engine's Cancelled, after the progress callback said stop
            outcome.state = RunState::failed;
            outcome.failure = {"", *cancelled ? cancelled_message : "internal error"};
        }
        lock.lock();
        --running_;
        Run& done = runs_.at(id);
        outcome.inputs = done.view.inputs;
        if (outcome.state == RunState::failed) outcome.progress = *done.progress;
        finish(id, std::move(outcome));
    }
}

void RunManager::finish(const std::string& id, RunView outcome) {
    runs_.at(id).view = std::move(outcome);
    finished_.push_back(id);
    forget_old();
}

void RunManager::forget_old() {
    while (finished_.size() > limits_.kept) {
        runs_.erase(finished_.front());
        finished_.pop_front();
    }
}

}  // namespace nadra::server
