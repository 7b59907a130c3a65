#include "analysis/sensitivity.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <utility>

#include "analysis/resampling.hpp"

namespace nadra {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Key parts of named entities in lists: their inputs are grouped by default.
constexpr std::string_view entity_lists[] = {"world.projects.", "world.streams.", "world.regions."};

// "world.projects.dobra.viability" -> "world.projects.*.viability"; other keys unchanged.
std::string default_group(const std::string& key) {
    for (std::string_view list : entity_lists) {
        if (key.starts_with(list)) {
            const std::size_t name_end = key.find('.', list.size());
            if (name_end == std::string::npos) return key;
            return std::string(list) + "*" + key.substr(name_end);
        }
    }
    return key;
}

bool matches_from(std::string_view pattern, std::string_view key) {
    if (pattern.empty()) return key.empty();
    if (pattern.starts_with("**")) {
        for (std::size_t skip = 0; skip <= key.size(); ++skip) {
            if (matches_from(pattern.substr(2), key.substr(skip))) return true;
        }
        return false;
    }
    if (pattern.front() == '*') {
        for (std::size_t skip = 0; skip <= key.size(); ++skip) {
            if (matches_from(pattern.substr(1), key.substr(skip))) return true;
            if (skip < key.size() && key[skip] == '.') break;  // * stays within one part
        }
        return false;
    }
    return !key.empty() && pattern.front() == key.front() &&
           matches_from(pattern.substr(1), key.substr(1));
}

// Runs the baseline and the deal in the scenario the settings make; the per-path values that
// every output is computed from.
struct PairRun {
    SimulationResult result;
    [[nodiscard]] OutputPaths paths() const {
        return output_paths(result.deals[1], result.deals[0]);
    }
};

PairRun run_pair(const ScenarioMaker& make, const Settings& settings,
                 const SensitivityOptions& options, const Progress& progress, std::int64_t done,
                 std::int64_t total) {
    const Scenario scenario = make(settings);
    const int baseline = deal_index(scenario, options.baseline);
    const int deal = deal_index(scenario, options.deal);
    // With input sets, the other inputs drawn per set and the settings' held in all of them.
    const std::vector<Scenario> sets = input_set_scenarios(
        make, options.inputs, [&](const ScenarioMaker& maker) { return maker(settings); });
    return {run_deals(scenario, {baseline, deal}, with_input_sets(options.run, sets), progress,
                      done, total)};
}

OutputEstimates estimates_of(const OutputPaths& paths, int cap_by_year) {
    OutputEstimates e;
    for (Output o : all_outputs()) e.by_output.push_back(output_estimate(o, paths, cap_by_year));
    return e;
}

// Estimates as bytes and back, for sharing them between ranks.
void put_estimates(ByteWriter& out, const std::vector<Estimate>& estimates) {
    out.put_span(std::span<const Estimate>(estimates));
}
std::vector<Estimate> get_estimates(ByteReader& in) { return in.get_vector<Estimate>(); }

std::size_t output_position(Output output) {
    const auto& outputs = all_outputs();
    return static_cast<std::size_t>(std::find(outputs.begin(), outputs.end(), output) -
                                    outputs.begin());
}

struct Indices {
    std::vector<double> first, total;
    double mean = 0, variance = 0;
};

// Saltelli 2010 first order, Jansen total, on the rows `rows` (a bootstrap resample or all).
Indices indices_on(const std::vector<double>& fa, const std::vector<double>& fb,
                   const std::vector<std::vector<double>>& fab,
                   const std::vector<std::size_t>& rows) {
    Indices out;
    const double n = static_cast<double>(rows.size());
    double sum = 0;
    for (std::size_t r : rows) sum += fa[r] + fb[r];
    out.mean = sum / (2 * n);
    double squares = 0;
    for (std::size_t r : rows) {
        squares +=
            (fa[r] - out.mean) * (fa[r] - out.mean) + (fb[r] - out.mean) * (fb[r] - out.mean);
    }
    out.variance = squares / (2 * n - 1);
    for (const std::vector<double>& f : fab) {
        double first = 0, total = 0;
        for (std::size_t r : rows) {
            // f(B) centred: the same expectation, a far smaller variance when the output's mean
            // is large beside its spread (money values are).
            first += (fb[r] - out.mean) * (f[r] - fa[r]);
            total += (fa[r] - f[r]) * (fa[r] - f[r]);
        }
        const bool defined = out.variance > 0;
        out.first.push_back(defined ? first / n / out.variance : nan);
        out.total.push_back(defined ? total / (2 * n) / out.variance : nan);
    }
    return out;
}

// Type-7 quantile of sorted values.

}  // namespace

bool key_matches(std::string_view pattern, std::string_view key) {
    return matches_from(pattern, key);
}

std::vector<Factor> make_factors(const std::vector<UncertainInput>& inputs,
                                 const std::vector<std::string>& patterns, bool each) {
    std::vector<Factor> factors;
    if (!patterns.empty()) {
        for (const std::string& pattern : patterns) {
            Factor factor{pattern, {}};
            for (const UncertainInput& input : inputs) {
                if (key_matches(pattern, input.key)) factor.inputs.push_back(input);
            }
            if (factor.inputs.empty()) {
                throw VariantError("--input " + pattern +
                                   ": matches no input marked uncertain ({value, low, high}); "
                                   "`nadra tornado --list` shows them");
            }
            factors.push_back(std::move(factor));
        }
        return factors;
    }
    std::map<std::string, std::size_t> by_name;
    for (const UncertainInput& input : inputs) {
        const std::string name = each ? input.key : default_group(input.key);
        const auto [it, added] = by_name.try_emplace(name, factors.size());
        if (added) factors.push_back({name, {}});
        factors[it->second].inputs.push_back(input);
    }
    return factors;
}

double triangular_quantile(const UncertainInput& input, double u) {
    const double a = input.low, c = input.value, b = input.high;
    if (b <= a) return c;
    const double split = (c - a) / (b - a);
    if (u <= split) return a + std::sqrt(u * (b - a) * (c - a));
    return b - std::sqrt((1 - u) * (b - a) * (b - c));
}

Estimate OutputEstimates::at(Output output) const { return by_output.at(output_position(output)); }

TornadoResult tornado(const ScenarioMaker& make, const std::vector<Factor>& factors,
                      const SensitivityOptions& options, const Progress& progress,
                      Workers& workers) {
    const std::int64_t paths = options.run.paths;
    // Runs: the base, then each factor's low and high (one piece of work: their swing is
    // paired). Progress counts this rank's runs, scaled to the whole.
    const std::size_t pieces = 1 + factors.size();
    std::size_t mine = 0;
    for (std::size_t i = 0; i < pieces; ++i) mine += workers.owns(i) ? (i == 0 ? 1 : 2) : 0;
    const std::int64_t total = static_cast<std::int64_t>(mine) * paths;
    std::int64_t done = 0;

    TornadoResult result;
    result.deal = options.deal;
    result.baseline = options.baseline;
    result.output = options.output;
    result.cap_by_year = options.cap_by_year;
    const std::vector<std::string> shared = share_items(workers, pieces, [&](std::size_t i) {
        ByteWriter out;
        if (i == 0) {
            const PairRun base = run_pair(make, {}, options, progress, done, total);
            done += paths;
            put_estimates(out, estimates_of(base.paths(), options.cap_by_year).by_output);
            return std::move(out).take();
        }
        const Factor& factor = factors[i - 1];
        Settings low_settings, high_settings;
        for (const UncertainInput& input : factor.inputs) {
            low_settings.push_back({input.key, setting_text(input.low)});
            high_settings.push_back({input.key, setting_text(input.high)});
        }
        const PairRun low = run_pair(make, low_settings, options, progress, done, total);
        done += paths;
        const PairRun high = run_pair(make, high_settings, options, progress, done, total);
        done += paths;
        std::vector<Estimate> swing;
        for (Output o : all_outputs()) {
            swing.push_back(paired_estimate(output_values(o, high.paths(), options.cap_by_year),
                                            output_values(o, low.paths(), options.cap_by_year)));
        }
        put_estimates(out, estimates_of(low.paths(), options.cap_by_year).by_output);
        put_estimates(out, estimates_of(high.paths(), options.cap_by_year).by_output);
        put_estimates(out, swing);
        return std::move(out).take();
    });
    {
        ByteReader in(shared[0]);
        result.base.by_output = get_estimates(in);
    }
    for (std::size_t i = 0; i < factors.size(); ++i) {
        ByteReader in(shared[i + 1]);
        TornadoBar bar{factors[i], {get_estimates(in)}, {get_estimates(in)}, get_estimates(in)};
        result.bars.push_back(std::move(bar));
    }
    const std::size_t at = output_position(options.output);
    std::stable_sort(result.bars.begin(), result.bars.end(),
                     [at](const TornadoBar& x, const TornadoBar& y) {
                         const double a = std::abs(x.swing[at].mean);
                         const double b = std::abs(y.swing[at].mean);
                         if (std::isnan(b)) return !std::isnan(a);
                         return a > b;
                     });
    return result;
}

SobolEstimate sobol_indices(const UnitModel& model, const std::vector<std::string>& factor_names,
                            const std::vector<std::vector<int>>& groups,
                            const SobolSettings& settings) {
    if (settings.samples < 2) throw std::invalid_argument("Sobol indices need at least 2 samples");
    if (groups.size() != factor_names.size()) throw std::logic_error("sobol: groups and names");
    int columns = 0;
    for (const auto& group : groups) {
        for (int c : group) columns = std::max(columns, c + 1);
    }
    const auto n = static_cast<std::size_t>(settings.samples);
    const std::size_t k = groups.size();
    const Uniforms design(settings.seed, sobol_design_stream);

    // Rows: A (0..n), B (n..2n), then A with factor i's columns from B, for each i.
    std::vector<std::vector<double>> points(n * (k + 2), std::vector<double>(columns));
    for (std::size_t r = 0; r < n; ++r) {
        for (int c = 0; c < columns; ++c) {
            points[r][static_cast<std::size_t>(c)] =
                design.at(r, 2 * static_cast<std::uint64_t>(c));
            points[n + r][static_cast<std::size_t>(c)] =
                design.at(r, 2 * static_cast<std::uint64_t>(c) + 1);
        }
        for (std::size_t i = 0; i < k; ++i) {
            std::vector<double>& row = points[(2 + i) * n + r];
            row = points[r];
            for (int c : groups[i]) {
                row[static_cast<std::size_t>(c)] = points[n + r][static_cast<std::size_t>(c)];
            }
        }
    }
    std::vector<double> outputs(points.size(), nan);
    model(points, outputs);

    const std::vector<double> fa(outputs.begin(), outputs.begin() + static_cast<std::ptrdiff_t>(n));
    const std::vector<double> fb(outputs.begin() + static_cast<std::ptrdiff_t>(n),
                                 outputs.begin() + static_cast<std::ptrdiff_t>(2 * n));
    std::vector<std::vector<double>> fab;
    for (std::size_t i = 0; i < k; ++i) {
        const auto from = outputs.begin() + static_cast<std::ptrdiff_t>((2 + i) * n);
        fab.emplace_back(from, from + static_cast<std::ptrdiff_t>(n));
    }
    std::vector<std::size_t> rows(n);
    for (std::size_t r = 0; r < n; ++r) rows[r] = r;
    const Indices point = indices_on(fa, fb, fab, rows);

    // Percentile bootstrap: resample the N rows (each row's A, B and AB_i stay together).
    const Uniforms resample(settings.seed, sobol_bootstrap_stream);
    std::vector<std::vector<double>> first(k), total(k);
    for (int b = 0; b < settings.bootstrap; ++b) {
        for (std::size_t r = 0; r < n; ++r) {
            rows[r] = resample.index(static_cast<std::uint64_t>(b), r, n);
        }
        const Indices again = indices_on(fa, fb, fab, rows);
        for (std::size_t i = 0; i < k; ++i) {
            if (!std::isnan(again.first[i])) first[i].push_back(again.first[i]);
            if (!std::isnan(again.total[i])) total[i].push_back(again.total[i]);
        }
    }
    const double tail = (1 - settings.confidence) / 2;
    SobolEstimate estimate;
    estimate.samples = settings.samples;
    estimate.mean = point.mean;
    estimate.variance = point.variance;
    for (std::size_t i = 0; i < k; ++i) {
        std::sort(first[i].begin(), first[i].end());
        std::sort(total[i].begin(), total[i].end());
        estimate.indices.push_back(
            {factor_names[i], point.first[i], quantile_sorted(first[i], tail),
             quantile_sorted(first[i], 1 - tail), point.total[i], quantile_sorted(total[i], tail),
             quantile_sorted(total[i], 1 - tail)});
    }
    return estimate;
}

SobolResult sobol(const ScenarioMaker& make, const std::vector<Factor>& factors,
                  const SensitivityOptions& options, const SobolSettings& settings,
                  const Progress& progress, Workers& workers) {
    if (options.inputs.count > 0) {
        throw VariantError(
            "sobol draws every factor itself: --sample-inputs is for run, sweep, breakeven and "
            "tornado; give sobol the inputs to vary with --input");
    }
    // Columns: every input of every factor, in factor order.
    std::vector<const UncertainInput*> columns;
    std::vector<std::vector<int>> groups;
    std::vector<std::string> names;
    for (const Factor& factor : factors) {
        std::vector<int> group;
        for (const UncertainInput& input : factor.inputs) {
            group.push_back(static_cast<int>(columns.size()));
            columns.push_back(&input);
        }
        groups.push_back(std::move(group));
        names.push_back(factor.name);
    }
    // Every range end must make a valid scenario before hours are spent on the inside.
    for (const UncertainInput* input : columns) {
        for (double end : {input->low, input->high}) make({{input->key, setting_text(end)}});
    }
    // The runs are many and short (a few batches of paths each), so they run side by side, one
    // thread each, rather than one after another on every thread. Each output depends only on its
    // point, so the result is the same at any thread count.
    // With several ranks, each evaluates the points it owns (point i: rank i mod ranks), and
    // all then hold every output.
    const UnitModel model = [&](const std::vector<std::vector<double>>& points,
                                std::vector<double>& outputs) {
        std::vector<std::size_t> mine;
        for (std::size_t p = 0; p < points.size(); ++p) {
            if (workers.owns(p)) mine.push_back(p);
        }
        const std::int64_t total = static_cast<std::int64_t>(mine.size()) * options.run.paths;
        SensitivityOptions one_thread = options;
        one_thread.run.threads = 1;
        std::atomic<std::size_t> next{0};
        std::atomic<std::int64_t> finished{0};
        std::atomic<bool> failed{false};
        std::exception_ptr failure;
        std::mutex failure_mutex;
        // Progress counts whole runs; between them it only passes on a cancellation.
        const Progress cancel_only = [&](std::int64_t, std::int64_t) {
            return !progress || progress(finished.load() * options.run.paths, total);
        };
        const auto work = [&] {
            for (std::size_t m; !failed && (m = next.fetch_add(1)) < mine.size();) {
                const std::size_t p = mine[m];
                try {
                    Settings point;
                    for (std::size_t c = 0; c < columns.size(); ++c) {
                        point.push_back({columns[c]->key, setting_text(triangular_quantile(
                                                              *columns[c], points[p][c]))});
                    }
                    const PairRun run = run_pair(make, point, one_thread, cancel_only, 0, total);
                    outputs[p] =
                        output_estimate(options.output, run.paths(), options.cap_by_year).mean;
                    ++finished;
                } catch (...) {
                    const std::lock_guard lock(failure_mutex);
                    if (!failure) failure = std::current_exception();
                    failed = true;
                }
            }
        };
        const unsigned threads = options.run.threads > 0
                                     ? static_cast<unsigned>(options.run.threads)
                                     : std::max(1u, std::thread::hardware_concurrency());
        std::vector<std::thread> threads_used;
        for (unsigned t = 1; t < threads; ++t) threads_used.emplace_back(work);
        work();
        for (std::thread& thread : threads_used) thread.join();
        if (failure) std::rethrow_exception(failure);
        std::vector<std::string> shared(points.size());
        for (std::size_t p : mine) shared[p] = std::move(ByteWriter().put(outputs[p])).take();
        workers.share(shared);
        for (std::size_t p = 0; p < points.size(); ++p)
            outputs[p] = ByteReader(shared[p]).get<double>();
    };
    SobolResult result;
    result.deal = options.deal;
    result.baseline = options.baseline;
    result.output = options.output;
    result.cap_by_year = options.cap_by_year;
    result.factors = factors;
    result.estimate = sobol_indices(model, names, groups, settings);
    return result;
}

}  // namespace nadra
