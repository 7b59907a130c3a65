// The Python module `nadra._nadra` (python/nadra/ wraps it): the engine, the analyses and the
// report through pybind11, with no code of theirs written again. A run streams its paths into
// the same statistics as `nadra run` and writes summary.json's text with the same code; it also
// keeps every path's metrics, which Python sees as NumPy arrays without a copy. Runs release the
// GIL and can be cancelled with Ctrl-C (KeyboardInterrupt; nothing is kept).
#include <pybind11/functional.h>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "analysis/negotiation.hpp"
#include "analysis/sensitivity.hpp"
#include "analysis/statistics.hpp"
#include "analysis/streaming.hpp"
#include "engine/engine.hpp"
#include "report/analysis_outputs.hpp"
#include "report/atomic_write.hpp"
#include "report/csv.hpp"
#include "report/html_report.hpp"
#include "report/outputs.hpp"
#include "runner/scenario_input.hpp"
#include "scenario/builtin.hpp"
#include "scenario/load.hpp"

namespace py = pybind11;

namespace nadra::python {
namespace {

// Paths per block, as `nadra run` with per-year results (the results do not depend on it).
constexpr std::int64_t block_paths = 256;

// A loaded scenario: the files it came from and the overrides, so that analyses can read it
// again with their settings (scenario_maker) exactly as the command line does.
struct PyScenario {
    std::shared_ptr<const Loaded> loaded;

    [[nodiscard]] const Scenario& scenario() const { return loaded->scenario; }
};

py::dict error_dict(const InputError& e) {
    // The loader's messages end in what to do ("...; did you mean 'share'?"): the suggestion.
    std::string message = e.message;
    std::string suggestion;
    for (const char* marker : {"did you mean", "known keys:", "defined names:"}) {
        if (const auto at = message.rfind(marker); at != std::string::npos) {
            suggestion = message.substr(at);
            std::size_t end = at;
            while (end > 0 && (message[end - 1] == ' ' || message[end - 1] == ';')) --end;
            message.resize(end);
            break;
        }
    }
    py::dict d;
    d["file"] = e.file;
    d["line"] = e.line;
    d["column"] = e.column;
    d["key"] = e.key;
    d["message"] = message;
    d["suggestion"] = suggestion.empty() ? py::object(py::none()) : py::str(suggestion);
    d["text"] = format_error(e);
    return d;
}

// Loads the scenario at `path` (the built-in one when empty) with `overrides` as (key, TOML
// value) pairs, the same as `--set key=value`. Returns the scenario, or the list of errors.
py::object load_scenario(const std::string& path,
                         const std::vector<std::pair<std::string, std::string>>& pairs) {
    Overrides overrides;
    for (const auto& [key, value] : pairs) overrides.push_back({key, value});
    LoadResult result;
    {
        py::gil_scoped_release release;
        result = path.empty()
                     ? load_scenario_files(builtin_scenario(), builtin_scenario_root, overrides)
                     : load_scenario_file(path, overrides);
    }
    if (!result.scenario) {
        py::list errors;
        for (const InputError& e : result.errors) errors.append(error_dict(e));
        return errors;
    }
    // The same label as `nadra run`'s summary ("scenario"): the path or builtin:NAME, and the
    // overrides.
    std::string label = path.empty() ? "builtin:" + result.scenario->name : path;
    for (const Override& o : overrides) label += " --set " + o.key + "=" + o.value;
    auto loaded = std::make_shared<Loaded>(Loaded{
        std::move(*result.scenario), path, std::move(label), std::move(result.sha256), overrides});
    return py::cast(PyScenario{std::move(loaded)});
}

// Runs `work` on a thread of its own while this thread, the GIL released, waits; every 50 ms it
// takes the GIL to check for Ctrl-C (signals reach Python's main thread only) and to call
// `on_progress(done, total)`. Ctrl-C or an exception from on_progress cancels the work (the
// engine's Progress returns false); the Python error is then raised here.
void run_cancellable(const std::function<void(const Progress&)>& work,
                     const py::object& on_progress) {
    std::atomic<bool> cancel{false};
    std::atomic<std::int64_t> done{0}, total{0};
    std::mutex mutex;
    std::condition_variable finished_cv;
    bool finished = false;
    std::exception_ptr failure;
    const Progress progress = [&](std::int64_t d, std::int64_t t) {
        std::int64_t seen = done.load();
        while (d > seen && !done.compare_exchange_weak(seen, d)) {
        }
        total.store(t);
        return !cancel.load();
    };
    std::optional<py::error_already_set> python_error;
    {
        py::gil_scoped_release release;
        std::thread worker([&] {
            try {
                work(progress);
            } catch (...) {
                failure = std::current_exception();
            }
            const std::lock_guard lock(mutex);
            finished = true;
            finished_cv.notify_all();
        });
        std::int64_t reported = -1;
        for (;;) {
            std::unique_lock lock(mutex);
            if (finished_cv.wait_for(lock, std::chrono::milliseconds(50), [&] { return finished; }))
                break;
            lock.unlock();
            if (cancel.load()) continue;
            py::gil_scoped_acquire acquire;
            if (PyErr_CheckSignals() != 0) {
                python_error.emplace();  // fetches the KeyboardInterrupt
                cancel.store(true);
                continue;
            }
            if (!on_progress.is_none() && done.load() != reported) {
                reported = done.load();
                try {
                    on_progress(reported, total.load());
                } catch (py::error_already_set& e) {
                    python_error.emplace(std::move(e));
                    cancel.store(true);
                }
            }
        }
        worker.join();
    }
    if (python_error) throw std::move(*python_error);
    // Ctrl-C after the last paths ran: the run finished, but the user asked to stop.
    if (PyErr_CheckSignals() != 0) throw py::error_already_set();
    if (failure) {
        try {
            std::rethrow_exception(failure);
        } catch (const Cancelled&) {
            throw py::value_error("the run was cancelled");
        } catch (const VariantError& e) {
            throw py::value_error(e.what());
        }
    }
    if (!on_progress.is_none() && total.load() > 0) on_progress(total.load(), total.load());
}

int deal_by_name(const Scenario& scenario, const std::string& name, const char* argument) {
    for (std::size_t i = 0; i < scenario.deals.size(); ++i) {
        if (scenario.deals[i].name == name) return static_cast<int>(i);
    }
    std::string names;
    for (const Deal& d : scenario.deals) names += (names.empty() ? "" : ", ") + d.name;
    throw py::value_error(std::string(argument) + ": no deal named '" + name +
                          "'; the scenario has: " + names);
}

RunOptions run_options(const Scenario& scenario, std::optional<std::int64_t> paths,
                       std::optional<std::uint64_t> seed, int threads, std::int64_t default_paths) {
    RunOptions options;
    options.paths = paths.value_or(scenario.paths.value_or(default_paths));
    options.seed = seed.value_or(scenario.seed.value_or(default_seed));
    if (options.paths < 1) throw py::value_error("paths must be at least 1");
    if (threads < 0) throw py::value_error("threads must be >= 0 (0: all cores)");
    options.threads = threads;
    return options;
}

RunInfo run_info(const PyScenario& s, const RunOptions& options, std::string command = {}) {
    return RunInfo{NADRA_VERSION,        s.loaded->label,   s.loaded->sha256,
                   options.seed,         options.paths,     s.scenario().start_year,
                   s.scenario().horizon, std::move(command)};
}

// A finished run: its files as `nadra run` writes them, the report's sample of paths, and every
// path's metrics, [metric][path * deals + deal].
struct RunResult {
    OutputFiles files;
    std::string sample_csv;
    std::vector<std::string> deals;
    std::int64_t paths = 0;
    std::map<std::string, std::vector<double>> per_path;
};

std::shared_ptr<RunResult> run(const PyScenario& s, std::optional<std::int64_t> paths,
                               std::optional<std::uint64_t> seed, int threads,
                               const std::optional<std::vector<std::string>>& deal_names,
                               const py::object& on_progress) {
    const Scenario& scenario = s.scenario();
    RunOptions options = run_options(scenario, paths, seed, threads, default_paths);
    options.keep_years = true;  // by_year and by_asset, as `nadra run`
    if (scenario.deals.empty()) throw py::value_error("the scenario has no deals");
    if (deal_names) {
        if (deal_names->empty()) throw py::value_error("deals: give at least one deal, or None");
        for (const std::string& name : *deal_names)
            options.deals.push_back(deal_by_name(scenario, name, "deals"));
    }
    std::vector<int> deals = options.deals;
    if (deals.empty()) {
        for (std::size_t d = 0; d < scenario.deals.size(); ++d)
            deals.push_back(static_cast<int>(d));
    }
    auto result = std::make_shared<RunResult>();
    result->paths = options.paths;
    for (int d : deals) result->deals.push_back(scenario.deals[d].name);
    const std::size_t n_deals = deals.size();
    for (const std::string& metric : metric_names()) {
        result->per_path[metric].resize(static_cast<std::size_t>(options.paths) * n_deals);
    }
    run_cancellable(
        [&](const Progress& progress) {
            StreamingSummary streaming(scenario, options.paths);
            PathsCsvWriter sample(scenario, path_sample(options.paths, report_path_sample));
            simulate_blocks(
                scenario, options, block_paths,
                [&](const SimulationResult& block, std::int64_t first_path) {
                    streaming.add(block, first_path);
                    sample.add(block, first_path);
                    for (auto& [metric, values] : result->per_path) {
                        for (std::size_t d = 0; d < n_deals; ++d) {
                            const auto v = metric_values(block.deals[d], metric);
                            for (std::size_t i = 0; i < v.size(); ++i) {
                                values[(static_cast<std::size_t>(first_path) + i) * n_deals + d] =
                                    v[i];
                            }
                        }
                    }
                },
                progress);
            const RunSummary summary = streaming.finish();
            result->files = run_outputs(run_info(s, options), scenario, deals, summary,
                                        project_fiscal_summaries(scenario), std::nullopt);
            result->sample_csv = std::move(sample).text();
        },
        on_progress);
    return result;
}

// The report of a run (as `nadra run --report`), with any analyses' files beside it.
void write_report(const std::string& file, const OutputFiles& inputs) {
    namespace fs = std::filesystem;
    const fs::path path(file);
    const std::string html = html_report(inputs, utc_now());
    write_files_atomically(path.has_parent_path() ? path.parent_path() : fs::path("."),
                           {{path.filename().string(), html}});
}

py::dict files_dict(const OutputFiles& files) {
    py::dict d;
    for (const auto& [name, content] : files) d[py::str(name)] = py::bytes(content);
    return d;
}

Basis basis_arg(const std::string& value) {
    const auto basis = basis_by_name(value);
    if (!basis) {
        throw py::value_error("value: '" + value +
                              "'; choose 'money' (from the subsoil) or 'total' (with in-kind "
                              "support valued)");
    }
    return *basis;
}

void check_deal_and_baseline(const Scenario& scenario, const std::string& deal,
                             const std::string& baseline) {
    if (deal == baseline) {
        throw py::value_error("deal and baseline are both '" + deal +
                              "'; compare a deal with another, e.g. baseline='no_deal'");
    }
    deal_by_name(scenario, deal, "deal");
    deal_by_name(scenario, baseline, "baseline");
}

// `nadra sweep`: the files it writes (sweep.json, sweep.csv).
OutputFiles sweep(const PyScenario& s, const std::vector<std::string>& deals,
                  const std::vector<std::string>& vary, const std::string& baseline,
                  const std::string& value, std::optional<std::int64_t> paths,
                  std::optional<std::uint64_t> seed, int threads, const std::string& command,
                  const py::object& on_progress) {
    SweepOptions options;
    options.basis = basis_arg(value);
    options.deals = deals;
    options.baseline = baseline;
    options.run = run_options(s.scenario(), paths, seed, threads, default_paths);
    if (deals.empty()) throw py::value_error("deal: name at least one deal");
    for (const std::string& deal : deals) check_deal_and_baseline(s.scenario(), deal, baseline);
    std::size_t variants = 1;
    for (const std::string& text : vary) {
        std::string error;
        const auto axis = parse_sweep_axis(text, error);
        if (!axis) throw py::value_error("vary: " + error);
        options.axes.push_back(*axis);
        variants *= axis->values.size();
    }
    if (variants > max_axis_values) {
        throw py::value_error("vary: the grid has " + std::to_string(variants) +
                              " variants, more than " + std::to_string(max_axis_values));
    }
    OutputFiles files;
    run_cancellable(
        [&](const Progress& progress) {
            const SweepResult result =
                nadra::sweep(scenario_maker(*s.loaded, "vary"), options, progress);
            files = sweep_outputs(run_info(s, options.run, command), result);
        },
        on_progress);
    return files;
}

OutputFiles breakeven(const PyScenario& s, const std::string& deal, const std::string& param,
                      std::optional<std::pair<double, double>> range, const std::string& baseline,
                      const std::string& party, const std::string& value,
                      std::optional<std::int64_t> paths, std::optional<std::uint64_t> seed,
                      int threads, const std::string& command, const py::object& on_progress) {
    check_deal_and_baseline(s.scenario(), deal, baseline);
    BreakevenOptions options;
    options.basis = basis_arg(value);
    options.deal = deal;
    options.baseline = baseline;
    options.param = param;
    options.run = run_options(s.scenario(), paths, seed, threads, default_paths);
    if (!range) range = default_range(param);
    if (!range) {
        throw py::value_error("range: " + param +
                              " has no natural range; give one, e.g. range=(0, 5e11)");
    }
    std::tie(options.low, options.high) = *range;
    if (!(options.low < options.high)) throw py::value_error("range: low must be below high");
    if (party == "host" || party == "partner") {
        options.parties = {party == "host" ? Party::host : Party::partner};
    } else if (party != "both") {
        throw py::value_error("party: '" + party + "'; choose 'host', 'partner' or 'both'");
    }
    OutputFiles files;
    run_cancellable(
        [&](const Progress& progress) {
            const BreakevenResult result =
                nadra::breakeven(scenario_maker(*s.loaded, "param"), options, progress);
            files = breakeven_outputs(run_info(s, options.run, command), result);
        },
        on_progress);
    return files;
}

SensitivityOptions sensitivity_options(const PyScenario& s, const std::string& deal,
                                       const std::string& baseline, const std::string& output,
                                       std::optional<int> year, std::optional<std::int64_t> paths,
                                       std::optional<std::uint64_t> seed, int threads,
                                       std::int64_t default_paths) {
    check_deal_and_baseline(s.scenario(), deal, baseline);
    const auto out = output_by_name(output);
    if (!out) {
        std::string names;
        for (Output o : all_outputs())
            names += (names.empty() ? "" : ", ") + std::string(output_name(o));
        throw py::value_error("output: '" + output + "' is not an output; choose one of " + names);
    }
    const int first = s.scenario().start_year;
    const int last = first + s.scenario().horizon - 1;
    if (year && (*year < first || *year > last)) {
        throw py::value_error("year " + std::to_string(*year) +
                              " is outside the scenario's years " + std::to_string(first) + "-" +
                              std::to_string(last));
    }
    SensitivityOptions options;
    options.deal = deal;
    options.baseline = baseline;
    options.output = *out;
    options.cap_by_year = year.value_or(last);
    options.run = run_options(s.scenario(), paths, seed, threads, default_paths);
    return options;
}

std::vector<Factor> factors(const PyScenario& s, const std::vector<std::string>& inputs,
                            bool each) {
    if (s.scenario().uncertain_inputs.empty()) {
        throw py::value_error(
            "the scenario marks no input uncertain; give an input a range, e.g. end_hazard = { "
            "value = 0.2, low = 0.1, high = 0.35 }");
    }
    try {
        return make_factors(s.scenario().uncertain_inputs, inputs, each);
    } catch (const VariantError& e) {
        throw py::value_error(e.what());
    }
}

// Defaults as the command line's (seconds on the built-in scenario with 2 cores).
constexpr std::int64_t default_tornado_paths = 2'000;
constexpr std::int64_t default_sobol_paths = 200;

OutputFiles tornado(const PyScenario& s, const std::string& deal, const std::string& baseline,
                    const std::string& output, std::optional<int> year,
                    const std::vector<std::string>& inputs, bool each,
                    std::optional<std::int64_t> paths, std::optional<std::uint64_t> seed,
                    int threads, const std::string& command, const py::object& on_progress) {
    const SensitivityOptions options = sensitivity_options(s, deal, baseline, output, year, paths,
                                                           seed, threads, default_tornado_paths);
    const std::vector<Factor> f = factors(s, inputs, each);
    OutputFiles files;
    run_cancellable(
        [&](const Progress& progress) {
            const TornadoResult result =
                nadra::tornado(scenario_maker(*s.loaded, "inputs"), f, options, progress);
            files = tornado_outputs(run_info(s, options.run, command), result);
        },
        on_progress);
    return files;
}

OutputFiles sobol(const PyScenario& s, const std::string& deal, const std::string& baseline,
                  const std::string& output, std::optional<int> year,
                  const std::vector<std::string>& inputs, bool each, std::int64_t samples,
                  int bootstrap, int top, std::optional<std::int64_t> paths,
                  std::optional<std::uint64_t> seed, int threads, const std::string& command,
                  const py::object& on_progress) {
    const SensitivityOptions options = sensitivity_options(s, deal, baseline, output, year, paths,
                                                           seed, threads, default_sobol_paths);
    if (samples < 2) throw py::value_error("samples must be at least 2");
    if (bootstrap < 1) throw py::value_error("bootstrap must be at least 1");
    std::vector<Factor> f = factors(s, inputs, each);
    SobolSettings settings;
    settings.samples = samples;
    settings.bootstrap = bootstrap;
    settings.seed = options.run.seed;
    OutputFiles files;
    run_cancellable(
        [&](const Progress& progress) {
            const ScenarioMaker make = scenario_maker(*s.loaded, "inputs");
            // Without inputs, screen as `nadra sobol` does: the factors with the widest swings.
            if (inputs.empty() && top > 0 && f.size() > static_cast<std::size_t>(top)) {
                const TornadoResult screen = nadra::tornado(make, f, options, progress);
                std::vector<Factor> kept;
                for (std::size_t i = 0; i < static_cast<std::size_t>(top); ++i)
                    kept.push_back(screen.bars[i].factor);
                f = std::move(kept);
            }
            const SobolResult result = nadra::sobol(make, f, options, settings, progress);
            files = sobol_outputs(run_info(s, options.run, command), result);
        },
        on_progress);
    return files;
}

}  // namespace
}  // namespace nadra::python

PYBIND11_MODULE(_nadra, m) {
    using namespace nadra;
    using namespace nadra::python;
    m.doc() = "nadra's engine (the package nadra wraps it; use that)";
    m.attr("__version__") = NADRA_VERSION;

    py::class_<PyScenario>(m, "Scenario")
        .def_property_readonly("name", [](const PyScenario& s) { return s.scenario().name; })
        .def_property_readonly("path", [](const PyScenario& s) { return s.loaded->path; })
        .def_property_readonly("label", [](const PyScenario& s) { return s.loaded->label; })
        .def_property_readonly("sha256", [](const PyScenario& s) { return s.loaded->sha256; })
        .def_property_readonly("overrides",
                               [](const PyScenario& s) {
                                   std::vector<std::pair<std::string, std::string>> out;
                                   for (const Override& o : s.loaded->overrides)
                                       out.emplace_back(o.key, o.value);
                                   return out;
                               })
        .def_property_readonly("deals",
                               [](const PyScenario& s) {
                                   std::vector<std::string> out;
                                   for (const Deal& d : s.scenario().deals) out.push_back(d.name);
                                   return out;
                               })
        .def_property_readonly("projects",
                               [](const PyScenario& s) {
                                   std::vector<std::string> out;
                                   for (const auto& p : s.scenario().world.projects)
                                       out.push_back(p.name);
                                   return out;
                               })
        .def_property_readonly("uncertain_inputs",
                               [](const PyScenario& s) {
                                   std::vector<std::string> out;
                                   for (const auto& i : s.scenario().uncertain_inputs)
                                       out.push_back(i.key);
                                   return out;
                               })
        .def_property_readonly("start_year",
                               [](const PyScenario& s) { return s.scenario().start_year; })
        .def_property_readonly("horizon", [](const PyScenario& s) { return s.scenario().horizon; })
        .def_property_readonly("paths", [](const PyScenario& s) { return s.scenario().paths; })
        .def_property_readonly("seed", [](const PyScenario& s) { return s.scenario().seed; });

    py::class_<RunResult, std::shared_ptr<RunResult>>(m, "RunResult")
        .def_property_readonly("deals", [](const RunResult& r) { return r.deals; })
        .def_property_readonly("n_paths", [](const RunResult& r) { return r.paths; })
        .def_property_readonly("metrics",
                               [](const RunResult& r) {
                                   std::vector<std::string> out;
                                   for (const auto& [name, v] : r.per_path) out.push_back(name);
                                   return out;
                               })
        .def("file", [](const RunResult& r,
                        const std::string& name) { return py::bytes(r.files.at(name)); })
        .def("files", [](const RunResult& r) { return files_dict(r.files); })
        // Every path's values of one metric, paths x deals, viewing the result's own memory:
        // the array's base is this object, which it keeps alive. Read-only.
        .def("paths",
             [](py::object self, const std::string& metric) {
                 auto& r = self.cast<RunResult&>();
                 const auto found = r.per_path.find(metric);
                 if (found == r.per_path.end()) {
                     std::string names;
                     for (const auto& [name, v] : r.per_path)
                         names += (names.empty() ? "" : ", ") + name;
                     throw py::value_error("metric: no metric named '" + metric +
                                           "'; choose one of " + names);
                 }
                 const auto deals = static_cast<py::ssize_t>(r.deals.size());
                 py::array_t<double> array({static_cast<py::ssize_t>(r.paths), deals},
                                           {deals * static_cast<py::ssize_t>(sizeof(double)),
                                            static_cast<py::ssize_t>(sizeof(double))},
                                           found->second.data(), self);
                 py::detail::array_proxy(array.ptr())->flags &=
                     ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
                 return array;
             })
        .def("report", [](const RunResult& r, const std::string& file,
                          const std::map<std::string, py::bytes>& analyses) {
            OutputFiles inputs = r.files;
            inputs["paths.csv"] = r.sample_csv;
            for (const auto& [name, content] : analyses)
                inputs.try_emplace(name, static_cast<std::string>(content));
            py::gil_scoped_release release;
            write_report(file, inputs);
        });

    m.def("load", &load_scenario, py::arg("path"), py::arg("overrides"));
    m.def("run", &run, py::arg("scenario"), py::arg("paths"), py::arg("seed"), py::arg("threads"),
          py::arg("deals"), py::arg("on_progress"));
    // Each analysis returns the files its command writes (e.g. sweep.json, sweep.csv), as bytes;
    // `command` is what they record as the call that made them.
    m.def(
        "sweep",
        [](const PyScenario& s, const std::vector<std::string>& deals,
           const std::vector<std::string>& vary, const std::string& baseline,
           const std::string& value, std::optional<std::int64_t> paths,
           std::optional<std::uint64_t> seed, int threads, const std::string& command,
           const py::object& on_progress) {
            return files_dict(
                sweep(s, deals, vary, baseline, value, paths, seed, threads, command, on_progress));
        },
        py::arg("scenario"), py::arg("deals"), py::arg("vary"), py::arg("baseline"),
        py::arg("value"), py::arg("paths"), py::arg("seed"), py::arg("threads"), py::arg("command"),
        py::arg("on_progress"));
    m.def(
        "breakeven",
        [](const PyScenario& s, const std::string& deal, const std::string& param,
           std::optional<std::pair<double, double>> range, const std::string& baseline,
           const std::string& party, const std::string& value, std::optional<std::int64_t> paths,
           std::optional<std::uint64_t> seed, int threads, const std::string& command,
           const py::object& on_progress) {
            return files_dict(breakeven(s, deal, param, range, baseline, party, value, paths, seed,
                                        threads, command, on_progress));
        },
        py::arg("scenario"), py::arg("deal"), py::arg("param"), py::arg("range"),
        py::arg("baseline"), py::arg("party"), py::arg("value"), py::arg("paths"), py::arg("seed"),
        py::arg("threads"), py::arg("command"), py::arg("on_progress"));
    m.def(
        "tornado",
        [](const PyScenario& s, const std::string& deal, const std::string& baseline,
           const std::string& output, std::optional<int> year,
           const std::vector<std::string>& inputs, bool each, std::optional<std::int64_t> paths,
           std::optional<std::uint64_t> seed, int threads, const std::string& command,
           const py::object& on_progress) {
            return files_dict(tornado(s, deal, baseline, output, year, inputs, each, paths, seed,
                                      threads, command, on_progress));
        },
        py::arg("scenario"), py::arg("deal"), py::arg("baseline"), py::arg("output"),
        py::arg("year"), py::arg("inputs"), py::arg("each"), py::arg("paths"), py::arg("seed"),
        py::arg("threads"), py::arg("command"), py::arg("on_progress"));
    m.def(
        "sobol",
        [](const PyScenario& s, const std::string& deal, const std::string& baseline,
           const std::string& output, std::optional<int> year,
           const std::vector<std::string>& inputs, bool each, std::int64_t samples, int bootstrap,
           int top, std::optional<std::int64_t> paths, std::optional<std::uint64_t> seed,
           int threads, const std::string& command, const py::object& on_progress) {
            return files_dict(sobol(s, deal, baseline, output, year, inputs, each, samples,
                                    bootstrap, top, paths, seed, threads, command, on_progress));
        },
        py::arg("scenario"), py::arg("deal"), py::arg("baseline"), py::arg("output"),
        py::arg("year"), py::arg("inputs"), py::arg("each"), py::arg("samples"),
        py::arg("bootstrap"), py::arg("top"), py::arg("paths"), py::arg("seed"), py::arg("threads"),
        py::arg("command"), py::arg("on_progress"));
    m.def(
        "report",
        [](const std::string& file, const std::map<std::string, py::bytes>& files) {
            OutputFiles inputs;
            for (const auto& [name, content] : files)
                inputs[name] = static_cast<std::string>(content);
            py::gil_scoped_release release;
            write_report(file, inputs);
        },
        py::arg("file"), py::arg("files"));
    m.def("metric_names", &metric_names);
}
