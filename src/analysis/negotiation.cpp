#include "analysis/negotiation.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <map>
#include <utility>

#include "analysis/input_sets.hpp"

namespace nadra {
namespace {

std::string_view trimmed(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

std::vector<std::string> split(std::string_view text, char separator) {
    std::vector<std::string> parts;
    for (std::size_t at = 0;;) {
        const std::size_t next = text.find(separator, at);
        parts.emplace_back(trimmed(text.substr(at, next - at)));
        if (next == std::string_view::npos) return parts;
        at = next + 1;
    }
}

// A number as scenario text: 12 significant digits, so 0.1 + 3 * 0.05 prints as 0.25.
std::string number_text(double value) { return fmt::format("{:.12g}", value); }

std::string deal_key(const std::string& deal, const std::string& key) {
    return "deals." + deal + "." + key;
}

// The grid of settings, the first axis varying slowest.
std::vector<Settings> grid_of(const std::vector<SweepAxis>& axes) {
    std::vector<Settings> grid{{}};
    for (const SweepAxis& axis : axes) {
        std::vector<Settings> next;
        next.reserve(grid.size() * axis.values.size());
        for (const Settings& row : grid) {
            for (const std::string& value : axis.values) {
                Settings extended = row;
                extended.push_back({axis.key, value});
                next.push_back(std::move(extended));
            }
        }
        grid = std::move(next);
    }
    return grid;
}

std::string variant_name(const std::string& deal, const Settings& relative) {
    return relative.empty() ? deal : fmt::format("{}[{}]", deal, settings_label(relative));
}

// The deal as the settings (keys relative to it) make it, from a whole scenario made with them.
Deal variant_deal(const ScenarioMaker& make, const std::string& deal, int deal_index_in_base,
                  const Settings& relative) {
    Settings absolute;
    for (const Setting& s : relative) absolute.push_back({deal_key(deal, s.key), s.value});
    const Scenario scenario = make(absolute);
    Deal variant = scenario.deals.at(static_cast<std::size_t>(deal_index_in_base));
    variant.name = variant_name(deal, relative);
    return variant;
}

}  // namespace

std::optional<SweepAxis> parse_sweep_axis(std::string_view text, std::string& error) {
    const std::size_t equals = text.find('=');
    if (equals == std::string_view::npos) {
        error = "expected KEY=FROM:TO:STEP or KEY=V1,V2,..., e.g. share=0.1:0.9:0.1; got '" +
                std::string(text) + "'";
        return std::nullopt;
    }
    SweepAxis axis;
    axis.key = std::string(trimmed(text.substr(0, equals)));
    const std::string_view spec = trimmed(text.substr(equals + 1));
    if (axis.key.empty()) {
        error = "no key before '=' in '" + std::string(text) + "'";
        return std::nullopt;
    }
    if (spec.find(':') != std::string_view::npos) {
        const auto parts = split(spec, ':');
        std::array<double, 3> range{};
        for (std::size_t i = 0; i < parts.size() && i < 3; ++i) {
            const auto value = parse_number(parts[i]);
            if (!value) {
                error = axis.key + ": '" + parts[i] + "' is not a number in " + std::string(spec);
                return std::nullopt;
            }
            range[i] = *value;
        }
        const auto [from, to, step] = range;
        if (parts.size() != 3) {
            error =
                axis.key + ": a range is FROM:TO:STEP, e.g. 0.1:0.9:0.1; got " + std::string(spec);
            return std::nullopt;
        }
        if (!(step > 0) || to < from) {
            error = axis.key + ": a range needs FROM <= TO and STEP > 0; got " + std::string(spec);
            return std::nullopt;
        }
        // Both ends included; a step that does not divide the range stops short of TO.
        const double count = std::floor((to - from) / step + 1e-9) + 1;
        if (count > static_cast<double>(max_axis_values)) {
            error = fmt::format("{}: {} gives {:.0f} values, more than {}; use a larger step",
                                axis.key, spec, count, max_axis_values);
            return std::nullopt;
        }
        for (int i = 0; i < static_cast<int>(count); ++i) {
            axis.values.push_back(number_text(from + i * step));
        }
        return axis;
    }
    axis.values = split(spec, ',');
    for (const std::string& value : axis.values) {
        if (value.empty()) {
            error = axis.key + ": an empty value in '" + std::string(spec) +
                    "'; list values as V1,V2,... e.g. cap=none,2e11";
            return std::nullopt;
        }
    }
    if (axis.values.size() > max_axis_values) {
        error = fmt::format("{}: more than {} values", axis.key, max_axis_values);
        return std::nullopt;
    }
    return axis;
}

void mark_frontier_and_zone(std::vector<SweepVariant>& variants, Basis basis, double z) {
    for (SweepVariant& v : variants) {
        const double host = v.host_value_on(basis).mean, partner = v.partner_value_on(basis).mean;
        v.on_frontier = true;
        for (const SweepVariant& w : variants) {
            const double w_host = w.host_value_on(basis).mean;
            const double w_partner = w.partner_value_on(basis).mean;
            const bool no_worse = w_host >= host && w_partner >= partner;
            const bool better = w_host > host || w_partner > partner;
            if (no_worse && better) {
                v.on_frontier = false;
                break;
            }
        }
        const Estimate& host_gain = v.host_gain_on(basis);
        const Estimate& partner_gain = v.partner_gain_on(basis);
        v.in_zone = host_gain.mean > z * host_gain.se && partner_gain.mean > z * partner_gain.se;
    }
    const std::optional<std::size_t> nash = nash_point(variants, basis);
    for (std::size_t i = 0; i < variants.size(); ++i) variants[i].nash = nash && *nash == i;
}

std::optional<std::size_t> nash_point(const std::vector<SweepVariant>& variants, Basis basis) {
    std::optional<std::size_t> best;
    double best_product = 0;
    for (std::size_t i = 0; i < variants.size(); ++i) {
        const SweepVariant& v = variants[i];
        if (!v.in_zone) continue;
        const double product = v.host_gain_on(basis).mean * v.partner_gain_on(basis).mean;
        if (!best || product > best_product) {
            best = i;
            best_product = product;
        }
    }
    return best;
}

SweepResult sweep(const ScenarioMaker& make, const SweepOptions& options, const Progress& progress,
                  Workers& workers) {
    const Scenario base = make({});
    if (options.deals.empty()) throw VariantError("--deal: name the deal to sweep");
    std::vector<int> deals;
    for (const std::string& name : options.deals) deals.push_back(deal_index(base, name));
    const int baseline = deal_index(base, options.baseline);
    for (std::size_t i = 0; i < options.axes.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
            if (options.axes[i].key == options.axes[j].key) {
                throw VariantError("--vary " + options.axes[i].key +
                                   " is given twice; list all its values in one --vary");
            }
        }
    }

    // The baseline and every variant in one scenario, so one simulation runs them all on the
    // same draws (deals that change the world alike also share its simulation). A deal's
    // results on a path do not depend on which others run beside it, so with several workers
    // each runs the baseline and the variants it owns.
    const std::vector<Settings> grid = grid_of(options.axes);
    SweepResult result;
    std::vector<std::size_t> mine;  // the variants this worker runs, in order
    for (std::size_t d = 0; d < deals.size(); ++d) {
        for (const Settings& settings : grid) {
            if (workers.owns(result.variants.size())) mine.push_back(result.variants.size());
            SweepVariant v;
            v.deal = options.deals[d];
            v.name = variant_name(options.deals[d], settings);
            v.settings = settings;
            result.variants.push_back(std::move(v));
        }
    }
    const auto combine = [&](const ScenarioMaker& maker, const Scenario& world) {
        Scenario combined = world;
        combined.deals = {world.deals[static_cast<std::size_t>(baseline)]};
        for (std::size_t i : mine) {
            const std::size_t d = i / grid.size();
            combined.deals.push_back(
                variant_deal(maker, options.deals[d], deals[d], grid[i % grid.size()]));
        }
        return combined;
    };
    const Scenario combined = combine(make, base);
    // With input sets, each set's own scenario of the same variants (MODEL.md 4.3).
    const std::vector<Scenario> sets =
        input_set_scenarios(make, options.inputs,
                            [&](const ScenarioMaker& maker) { return combine(maker, maker({})); });
    std::vector<int> all(combined.deals.size());
    for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
    const SimulationResult run = run_deals(combined, all, with_input_sets(options.run, sets),
                                           progress, 0, options.run.paths);

    result.deals = options.deals;
    result.baseline = options.baseline;
    result.axes = options.axes;
    result.basis = options.basis;
    const DealPaths& base_paths = run.deals.front();
    result.baseline_host = estimate(base_paths.host_value);
    result.baseline_partner = estimate(base_paths.partner_value);
    result.baseline_host_total = estimate(base_paths.host_total_value);
    result.baseline_partner_net = estimate(base_paths.partner_net_value);
    const int horizon_year = combined.start_year + combined.horizon - 1;
    std::vector<std::string> shared(result.variants.size());
    for (std::size_t m = 0; m < mine.size(); ++m) {
        const DealPaths& d = run.deals[m + 1];
        const std::array<Estimate, 8> estimates{
            estimate(d.host_value),
            estimate(d.partner_value),
            paired_estimate(d.host_value, base_paths.host_value),
            paired_estimate(d.partner_value, base_paths.partner_value),
            estimate(d.host_total_value),
            estimate(d.partner_net_value),
            paired_estimate(d.host_total_value, base_paths.host_total_value),
            paired_estimate(d.partner_net_value, base_paths.partner_net_value)};
        const double cap_probability =
            output_estimate(Output::cap_probability, output_paths(d, base_paths), horizon_year)
                .mean;
        ByteWriter out;
        out.put(estimates).put(cap_probability);
        shared[mine[m]] = std::move(out).take();
    }
    workers.share(shared);
    for (std::size_t i = 0; i < result.variants.size(); ++i) {
        SweepVariant& v = result.variants[i];
        ByteReader in(shared[i]);
        const auto e = in.get<std::array<Estimate, 8>>();
        v.host = e[0];
        v.partner = e[1];
        v.host_gain = e[2];
        v.partner_gain = e[3];
        v.host_total = e[4];
        v.partner_net = e[5];
        v.host_total_gain = e[6];
        v.partner_net_gain = e[7];
        v.cap_probability = in.get<double>();
    }
    mark_frontier_and_zone(result.variants, options.basis);
    return result;
}

std::string_view party_name(Party party) { return party == Party::host ? "host" : "partner"; }

std::optional<std::pair<double, double>> default_range(std::string_view param) {
    for (std::string_view fraction : {"share", "share_liberated", "payout_rate", "partner_share"}) {
        if (param == fraction) return std::pair{0.0, 1.0};
    }
    return std::nullopt;
}

BreakevenResult breakeven(const ScenarioMaker& make, const BreakevenOptions& options,
                          const Progress& progress, Workers& workers) {
    if (!(options.low < options.high)) {
        throw VariantError(fmt::format("--range: the low end ({}) must be below the high end ({})",
                                       options.low, options.high));
    }
    const Scenario base = make({});
    const int deal = deal_index(base, options.deal);
    const int baseline = deal_index(base, options.baseline);
    const double width = options.high - options.low;
    const int steps = static_cast<int>(std::ceil(std::log2(1.0 / options.tolerance)));
    // Progress counts runs of the paths: baseline, the two ends, then up to `steps` bisections.
    const std::int64_t total = (3 + steps) * options.run.paths;
    std::int64_t done = 0;

    // Every run's scenario is made by a recipe, so that with input sets each set gets its own
    // (MODEL.md 4.3).
    const auto run_recipe = [&](const ScenarioRecipe& recipe, std::vector<int> deals_run) {
        const Scenario scenario = recipe(make);
        const std::vector<Scenario> sets = input_set_scenarios(make, options.inputs, recipe);
        return run_deals(scenario, std::move(deals_run), with_input_sets(options.run, sets),
                         progress, done, total);
    };
    const SimulationResult base_run = run_recipe(
        [&](const ScenarioMaker& maker) {
            Scenario only_baseline = maker({});
            only_baseline.deals = {only_baseline.deals[static_cast<std::size_t>(baseline)]};
            return only_baseline;
        },
        {0});
    done += options.run.paths;
    const DealPaths& base_paths = base_run.deals.front();

    // g(x) and se(x) of each party, by x; every x is run once.
    struct Gains {
        Estimate host, partner;
    };
    std::map<double, Gains> evaluated;
    const auto evaluate = [&](std::vector<double> xs) {
        std::sort(xs.begin(), xs.end());
        xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
        std::erase_if(xs, [&](double x) { return evaluated.contains(x); });
        if (xs.empty()) return;
        // With several workers, each runs the points it owns (a deal's results do not depend on
        // the deals beside it) and all then hold every point's gains.
        std::vector<std::size_t> mine;
        for (std::size_t i = 0; i < xs.size(); ++i)
            if (workers.owns(i)) mine.push_back(i);
        const auto recipe = [&](const ScenarioMaker& maker) {
            Scenario variants = maker({});
            variants.deals.clear();
            for (std::size_t i : mine) {
                variants.deals.push_back(variant_deal(maker, options.deal, deal,
                                                      {{options.param, setting_text(xs[i])}}));
            }
            return variants;
        };
        std::vector<std::string> shared(xs.size());
        if (!mine.empty()) {
            std::vector<int> all(mine.size());
            for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
            const SimulationResult run = run_recipe(recipe, all);
            for (std::size_t m = 0; m < mine.size(); ++m) {
                const DealPaths& d = run.deals[m];
                const Gains g{paired_estimate(host_values(d, options.basis),
                                              host_values(base_paths, options.basis)),
                              paired_estimate(partner_values(d, options.basis),
                                              partner_values(base_paths, options.basis))};
                shared[mine[m]] = std::move(ByteWriter().put(g)).take();
            }
        }
        done = std::min(done + options.run.paths, total);
        workers.share(shared);
        for (std::size_t i = 0; i < xs.size(); ++i)
            evaluated[xs[i]] = ByteReader(shared[i]).get<Gains>();
    };
    const auto gain = [&](Party party, double x) {
        const Gains& g = evaluated.at(x);
        return party == Party::host ? g.host : g.partner;
    };

    evaluate({options.low, options.high});

    // One search per party and target: the root of g(x) + c z se(x), c in {0, -1, +1}.
    struct Search {
        Party party;
        double c;
        double a, b;    // bracket
        double ha, hb;  // h at a and b, of opposite signs
        bool open;      // still bisecting
        std::optional<double> root;
    };
    const auto h = [&](const Search& s, double x) {
        const Estimate e = gain(s.party, x);
        return e.mean + s.c * options.z * e.se;
    };
    std::vector<Search> searches;
    for (Party party : options.parties) {
        for (double c : {0.0, -1.0, 1.0}) {
            Search s{party, c, options.low, options.high, 0, 0, false, std::nullopt};
            s.ha = h(s, s.a);
            s.hb = h(s, s.b);
            if (s.ha == 0) {
                s.root = s.a;
            } else if (s.hb == 0) {
                s.root = s.b;
            } else if ((s.ha < 0) != (s.hb < 0)) {
                s.open = true;
            }
            searches.push_back(s);
        }
    }
    for (int step = 0; step < steps; ++step) {
        std::vector<double> midpoints;
        for (const Search& s : searches) {
            if (s.open) midpoints.push_back(0.5 * (s.a + s.b));
        }
        if (midpoints.empty()) break;
        evaluate(midpoints);
        for (Search& s : searches) {
            if (!s.open) continue;
            const double m = 0.5 * (s.a + s.b);
            const double hm = h(s, m);
            if (hm == 0) {
                s.root = m;
                s.open = false;
            } else if ((hm < 0) == (s.ha < 0)) {
                s.a = m;
                s.ha = hm;
            } else {
                s.b = m;
                s.hb = hm;
            }
            if (s.open && s.b - s.a <= options.tolerance * width) s.open = false;
        }
    }
    for (Search& s : searches) {
        // Within the last bracket, the secant: exact where g is linear in x.
        if (!s.root && (s.ha < 0) != (s.hb < 0)) {
            s.root = s.a - s.ha * (s.b - s.a) / (s.hb - s.ha);
        }
    }

    BreakevenResult result{options.deal,
                           options.baseline,
                           options.param,
                           options.low,
                           options.high,
                           options.basis,
                           {}};
    for (Party party : options.parties) {
        Breakeven b;
        b.party = party;
        b.gain_at_low = gain(party, options.low).mean;
        b.gain_at_high = gain(party, options.high).mean;
        const auto find = [&](double c) {
            for (const Search& s : searches) {
                if (s.party == party && s.c == c) return s.root;
            }
            return std::optional<double>{};
        };
        b.value = find(0.0);
        if (b.value) {
            // g + z se reaches zero where g is negative: on the side where g falls.
            const bool falling = b.gain_at_high < b.gain_at_low;
            b.ci_low = falling ? find(-1.0) : find(1.0);
            b.ci_high = falling ? find(1.0) : find(-1.0);
        }
        b.evaluations = static_cast<int>(evaluated.size());
        result.parties.push_back(b);
    }
    return result;
}

}  // namespace nadra
