// [world]: commodities, correlation, regions, regimes, projects, streams and the rest.
#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "scenario/build.hpp"
#include "scenario/limits.hpp"

namespace nadra::detail {

namespace {

// How many entries a collection may have (scenario/limits.hpp).
std::size_t max_entries(const std::string& collection) {
    static const std::map<std::string, std::size_t> most{
        {"world.commodities", limits::max_commodities}, {"world.regions", limits::max_regions},
        {"world.regimes", limits::max_regimes},         {"world.projects", limits::max_assets},
        {"world.streams", limits::max_assets},          {"deals", limits::max_deals}};
    const auto found = most.find(collection);
    return found == most.end() ? limits::max_assets : found->second;
}

}  // namespace

std::vector<std::pair<std::string, View>> entries(Reader& reader, const View& collection) {
    std::vector<std::pair<std::string, View>> out;
    const std::size_t most = max_entries(collection.path());
    for (const auto& item : collection.items()) {
        const auto* table = item.node->as_table();
        if (!table) {
            reader.error_at(
                *item.node, collection.key_path(item.name),
                "wrong type: expected a table [" + collection.key_path(item.name) + "]");
            continue;
        }
        if (out.size() == most) {
            const std::string what = collection.path().substr(collection.path().rfind('.') + 1);
            reader.error(place_of(item.key->source()), collection.key_path(item.name),
                         "too many " + what + ": more than " + std::to_string(most) +
                             ", the most a scenario may have; remove some, or split the "
                             "scenario in two");
            break;
        }
        out.emplace_back(item.name, View({{table, item.file}}, collection.key_path(item.name),
                                         place_of(table->source())));
    }
    return out;
}

namespace {

bool contains(const std::vector<std::string>& list, const std::string& word) {
    return std::find(list.begin(), list.end(), word) != list.end();
}

// [world.host] and [world.partner]: the party's discount rate and what in-kind support is
// worth to it (`support_key`: support_value or support_cost, MODEL.md 4.2).
void read_party(Reader& r, const View& view, std::string_view support_key, double& rate,
                double& support) {
    r.check_keys(view, {"discount_rate", support_key});
    r.number(view, "discount_rate", rate, growth_rate, Need::required);
    r.number(view, support_key, support, non_negative);
}

void read_investor(Reader& r, const View& view, Investor& out) {
    r.check_keys(view, {"hurdle_rate", "country_risk_premium", "invest_in_war_in_free_regions",
                        "shut_in", "shut_in_cost"});
    r.number(view, "hurdle_rate", out.hurdle_rate, unit_interval);
    r.number(view, "country_risk_premium", out.country_risk_premium, unit_interval);
    r.boolean(view, "invest_in_war_in_free_regions", out.invest_in_war_in_free_regions);
    r.boolean(view, "shut_in", out.shut_in);
    r.number(view, "shut_in_cost", out.shut_in_cost, unit_interval_open_above);
}

void read_guarantee(Reader& r, const View& view, Guarantee& out) {
    r.check_keys(view, {"renew_hazard_multiplier", "risk_premium_multiplier"});
    r.number(view, "renew_hazard_multiplier", out.renew_hazard_multiplier, non_negative);
    r.number(view, "risk_premium_multiplier", out.risk_premium_multiplier, non_negative);
}

void read_fund(Reader& r, const View& view, FundWorld& out) {
    r.check_keys(view, {"initial", "return_mean", "return_sigma"});
    r.number(view, "initial", out.initial, non_negative);
    r.number(view, "return_mean", out.return_mean, any_number);
    r.number(view, "return_sigma", out.return_sigma, non_negative);
}

void read_conflict(Reader& r, const View& view, Conflict& out) {
    r.check_keys(view, {"initial", "end_hazard", "renew_hazard", "war_disruption",
                        "liberation_probability"});
    r.choice(view, "initial", out.initial_war, Choices<bool>{{"war", true}, {"peace", false}},
             Need::required);
    r.year_list(view, "end_hazard", out.end_hazard, unit_interval);
    r.year_list(view, "renew_hazard", out.renew_hazard, unit_interval);
    r.number(view, "war_disruption", out.war_disruption, unit_interval);
    r.number(view, "liberation_probability", out.liberation_probability, unit_interval);
}

void read_commodities(Reader& r, const View& view, World& world, Context& context) {
    for (const auto& [name, v] : entries(r, view)) {
        Commodity c;
        c.name = name;
        r.check_keys(v, {"unit", "price0", "level", "drift", "kappa", "sigma"});
        r.string(v, "unit", c.unit);
        r.number(v, "price0", c.price0, positive, Need::required);
        c.level = c.price0;
        r.number(v, "level", c.level, positive);
        r.number(v, "drift", c.drift, any_number);
        r.number(v, "kappa", c.kappa, unit_interval);
        r.number(v, "sigma", c.sigma, non_negative);
        world.commodities.push_back(c);
        context.commodities.push_back(name);
    }
}

// Cholesky without keeping the factor: the engine factors the matrix itself.
bool positive_definite(std::vector<double> m, std::size_t n) {
    for (std::size_t j = 0; j < n; ++j) {
        double d = m[j * n + j];
        for (std::size_t k = 0; k < j; ++k) d -= m[j * n + k] * m[j * n + k];
        if (d <= 1e-12) return false;
        const double root = std::sqrt(d);
        m[j * n + j] = root;
        for (std::size_t i = j + 1; i < n; ++i) {
            double s = m[i * n + j];
            for (std::size_t k = 0; k < j; ++k) s -= m[i * n + k] * m[j * n + k];
            m[i * n + j] = s / root;
        }
    }
    return true;
}

struct Pair {
    double rho = 0;
    Place place;
    std::string path;
};

// One `a.b = rho` entry; reports a self-pair and a pair given both ways with different values.
void read_pair(Reader& r, const Context& context, const Item& first, const Item& second,
               const std::string& path, std::map<std::pair<int, int>, Pair>& pairs) {
    int a = 0, b = 0;
    const bool known = r.resolve(first.name, place_of(first.key->source()), path,
                                 context.commodities, "commodity", a) &
                       r.resolve(second.name, place_of(second.key->source()), path,
                                 context.commodities, "commodity", b);
    double rho = 0;
    if (!r.number(*second.node, path, rho, correlation_range) || !known) return;
    const Place place = place_of(second.node->source());
    if (a == b) {
        r.error(place, path, "a commodity's correlation with itself is 1; remove this entry");
        return;
    }
    const auto other = pairs.find({b, a});
    if (other != pairs.end() && other->second.rho != rho) {
        r.error(place, path,
                "correlation not symmetric: " + other->second.path + " = " +
                    number_text(other->second.rho) + " at " + describe(other->second.place) +
                    "; give each pair once");
        return;
    }
    pairs[{a, b}] = {rho, place, path};
}

void read_correlation(Reader& r, const View& view, World& world, const Context& context) {
    const std::size_t n = world.commodities.size();
    world.correlation.assign(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) world.correlation[i * n + i] = 1;
    std::map<std::pair<int, int>, Pair> pairs;
    const std::size_t errors_before = r.error_count();
    for (const auto& first : view.items()) {
        if (!first.node->is_table()) {
            r.error_at(*first.node, view.key_path(first.name),
                       "expected a pair of commodities, e.g. gas.iron_ore = 0.3");
            continue;
        }
        const View row = view.sub(first.name);
        for (const auto& second : row.items())
            read_pair(r, context, first, second, row.key_path(second.name), pairs);
    }
    for (const auto& [ab, pair] : pairs) {
        const auto a = static_cast<std::size_t>(ab.first), b = static_cast<std::size_t>(ab.second);
        world.correlation[a * n + b] = world.correlation[b * n + a] = pair.rho;
    }
    if (r.error_count() == errors_before && !positive_definite(world.correlation, n))
        r.error(view.place(), view.path(),
                "the correlation matrix is not positive definite: these correlations cannot all "
                "hold at once; weaken the strongest ones");
}

void read_regions(Reader& r, const View& view, World& world, Context& context) {
    for (const auto& [name, v] : entries(r, view)) {
        Region region;
        region.name = name;
        r.check_keys(v, {"status", "war_disruption"});
        r.choice(v, "status", region.status,
                 Choices<RegionStatus>{{"free", RegionStatus::free},
                                       {"frontline", RegionStatus::frontline},
                                       {"occupied", RegionStatus::occupied}},
                 Need::required);
        double disruption = 0;
        if (r.number(v, "war_disruption", disruption, unit_interval))
            region.war_disruption = disruption;
        world.regions.push_back(region);
        context.regions.push_back(name);
    }
}

// `then` and `from_year` (MODEL.md 3.6, v1.3), once every regime's name is known: `then` names
// a regime, `from_year` is the calendar year it takes over; a chain of `then` may not loop.
void read_schedules(Reader& r, const std::vector<std::pair<std::string, View>>& views, World& world,
                    const Context& context) {
    for (std::size_t i = 0; i < views.size(); ++i) {
        const View& v = views[i].second;
        const toml::node* then = v.find("then");
        const toml::node* from = v.find("from_year");
        if (!then && !from) continue;
        if (!then || !from) {
            r.error(v.place(), v.key_path(then ? "from_year" : "then"),
                    "a regime that changes needs both `then` (the regime that follows) and "
                    "`from_year` (the calendar year it takes over), e.g. then = \"gas_rent_2032\", "
                    "from_year = 2032");
            continue;
        }
        int index = 0, year = 0;
        const bool named = r.reference(*then, v.key_path("then"), context.regimes, "regime", index);
        if (!r.integer(v, "from_year", year, 1900, 3000) || !named) continue;
        if (index == static_cast<int>(i)) {
            r.error_at(*then, v.key_path("then"), "a regime cannot be followed by itself");
            continue;
        }
        world.regimes[i].then = index;
        world.regimes[i].from_year = std::max(0, year - context.start_year);
    }
    for (std::size_t i = 0; i < world.regimes.size(); ++i) {
        int x = static_cast<int>(i);
        for (std::size_t steps = 0; world.regimes[x].then; ++steps) {
            x = *world.regimes[x].then;
            if (steps <= world.regimes.size()) continue;
            r.error(views[i].second.place(), views[i].second.key_path("then"),
                    "the regimes' `then` chain from '" + world.regimes[i].name +
                        "' loops; end it at a regime without `then`");
            world.regimes[i].then.reset();
            break;
        }
    }
}

void read_regimes(Reader& r, const View& view, World& world, Context& context) {
    const auto views = entries(r, view);
    for (const auto& [name, v] : views) {
        Regime regime;
        regime.name = name;
        read_regime(r, v, regime, context, false);
        world.regimes.push_back(regime);
        context.regimes.push_back(name);
    }
    read_schedules(r, views, world, context);
}

// [world.fiscal_risk] (MODEL.md 3.6, v1.3): the yearly hazard of a law change and the regime
// each regime becomes; a target that changes on a schedule of its own is an error.
void read_fiscal_risk(Reader& r, const View& world_view, World& world, const Context& context) {
    if (!world_view.find("fiscal_risk")) return;
    const View v = r.table(world_view, "fiscal_risk");
    r.check_keys(v, {"hazard", "changes"});
    FiscalRisk risk;
    r.year_list(v, "hazard", risk.hazard, unit_interval);
    risk.changes.assign(world.regimes.size(), -1);
    const View changes = r.table(v, "changes");
    for (const auto& item : changes.items()) {
        int from = 0, to = 0;
        const std::string path = changes.key_path(item.name);
        if (!r.resolve(item.name, place_of(item.key->source()), path, context.regimes, "regime",
                       from) ||
            !r.reference(*item.node, path, context.regimes, "regime", to))
            continue;
        if (world.regimes[to].then) {
            r.error_at(*item.node, path,
                       "regime '" + world.regimes[to].name +
                           "' changes on a schedule of its own (`then`); a law change must lead "
                           "to a regime without one");
            continue;
        }
        risk.changes[from] = to;
    }
    world.fiscal_risk = std::move(risk);
}

// The engine counts construction in whole years.
constexpr Range lead_time_range{0, limits::max_lead_time};

void read_lead_time(Reader& r, const View& project, Triangular& out) {
    const toml::node* node = r.present(project, "lead_time", Need::required);
    if (!node) return;
    const std::string path = project.key_path("lead_time");
    const auto* table = node->as_table();
    if (!table || table->contains("value")) {
        double years = 0;
        if (r.number(*node, path, years, lead_time_range)) out = {years, years, years};
        return;
    }
    const View v({{table, 0}}, path, place_of(table->source()));
    r.check_keys(v, {"min", "mode", "max"});
    Triangular t;
    const bool ok = r.number(v, "min", t.min, lead_time_range, Need::required) &
                    r.number(v, "mode", t.mode, lead_time_range, Need::required) &
                    r.number(v, "max", t.max, lead_time_range, Need::required);
    if (!ok) return;
    if (t.min <= t.mode && t.mode <= t.max)
        out = t;
    else
        r.error_at(*node, path, "a triangular lead time needs min <= mode <= max");
}

// MODEL.md 3.3 and the lookup rule in scenario.hpp: regimes that name the commodity first.
std::optional<int> find_regime(const World& world, const std::string& commodity,
                               const std::string& licence_class) {
    for (const bool named : {true, false})
        for (std::size_t i = 0; i < world.regimes.size(); ++i) {
            const Regime& g = world.regimes[i];
            const bool matches = named ? contains(g.commodities, commodity) : g.commodities.empty();
            if (matches &&
                (g.licence_classes.empty() || contains(g.licence_classes, licence_class)))
                return static_cast<int>(i);
        }
    return std::nullopt;
}

void resolve_regime(Reader& r, const View& v, const World& world, const Context& context,
                    bool commodity_known, Project& p) {
    if (const toml::node* node = v.find("regime")) {
        r.reference(*node, v.key_path("regime"), context.regimes, "regime", p.regime);
        return;
    }
    if (!commodity_known) return;
    const std::string& commodity = context.commodities[static_cast<std::size_t>(p.commodity)];
    if (auto found = find_regime(world, commodity, p.licence_class)) {
        p.regime = *found;
        return;
    }
    const std::string names = context.regimes.empty() ? "NAME" : join(context.regimes);
    r.error(v.place(), v.key_path("regime"),
            "no regime covers commodity '" + commodity + "' with licence class '" +
                p.licence_class + "'; add `regime = \"...\"` naming one of: " + names +
                ", or list the commodity in a regime's `commodities`");
}

void read_project_numbers(Reader& r, const View& v, Project& p) {
    r.number(v, "licence_fee", p.licence_fee, non_negative);
    r.number(v, "viability", p.viability, unit_interval);
    read_lead_time(r, v, p.lead_time);
    r.number(v, "capacity", p.capacity, non_negative, Need::required);
    r.number(v, "ramp_years", p.ramp_years, non_negative);
    r.number(v, "reserve", p.reserve, non_negative, Need::required);
    r.number(v, "capex", p.capex, non_negative, Need::required);
    r.number(v, "opex", p.opex, non_negative, Need::required);
    r.number(v, "realisation", p.realisation, unit_interval);
    r.number(v, "capex_sigma", p.capex_sigma, non_negative);
    r.number(v, "opex_sigma", p.opex_sigma, non_negative);
    double equity = 0;
    if (r.number(v, "state_equity", equity, unit_interval)) p.state_equity = equity;
}

void read_project(Reader& r, const View& v, const World& world, const Context& context,
                  Project& p) {
    r.check_keys(v, {"commodity", "region", "licence_class", "regime", "licence_year",
                     "licence_fee", "viability", "lead_time", "capacity", "ramp_years", "reserve",
                     "capex", "opex", "realisation", "capex_sigma", "opex_sigma", "state_equity"});
    const toml::node* commodity = r.present(v, "commodity", Need::required);
    const bool commodity_known =
        commodity && r.reference(*commodity, v.key_path("commodity"), context.commodities,
                                 "commodity", p.commodity);
    if (const toml::node* region = r.present(v, "region", Need::required))
        r.reference(*region, v.key_path("region"), context.regions, "region", p.region);
    r.string(v, "licence_class", p.licence_class);
    int year = context.start_year;
    r.integer(v, "licence_year", year, 1900, 2500);
    p.licence_year = std::max(0, year - context.start_year);
    read_project_numbers(r, v, p);
    resolve_regime(r, v, world, context, commodity_known, p);
}

void read_projects(Reader& r, const View& view, World& world, const Context& context) {
    for (const auto& [name, v] : entries(r, view)) {
        Project p;
        p.name = name;
        read_project(r, v, world, context, p);
        world.projects.push_back(p);
    }
}

void read_streams(Reader& r, const View& view, World& world, const Context& context) {
    for (const auto& [name, v] : entries(r, view)) {
        Stream s;
        s.name = name;
        r.check_keys(v,
                     {"commodity", "region", "volume", "volume_growth", "realisation", "unit_cost",
                      "royalty_rate", "regime", "income_tax_take", "dividend_take"});
        if (const toml::node* node = r.present(v, "commodity", Need::required))
            r.reference(*node, v.key_path("commodity"), context.commodities, "commodity",
                        s.commodity);
        if (const toml::node* node = r.present(v, "region", Need::required))
            r.reference(*node, v.key_path("region"), context.regions, "region", s.region);
        r.number(v, "volume", s.volume, non_negative, Need::required);
        r.number(v, "volume_growth", s.volume_growth, growth_rate);
        r.number(v, "realisation", s.realisation, unit_interval);
        r.number(v, "unit_cost", s.unit_cost, non_negative);
        read_royalty(r, v, s.royalty);
        // MODEL.md 3.6 (v1.3): the royalty of a regime, schedules and law changes included.
        if (const toml::node* node = v.find("regime")) {
            int index = 0;
            if (v.find("royalty_rate")) {
                r.error_at(*node, v.key_path("regime"),
                           "a stream pays the royalty of its `regime` or its own `royalty_rate`, "
                           "not both; remove one");
            } else if (r.reference(*node, v.key_path("regime"), context.regimes, "regime", index)) {
                s.regime = index;
            }
        }
        r.number(v, "income_tax_take", s.income_tax_take, unit_interval);
        r.number(v, "dividend_take", s.dividend_take, unit_interval);
        world.streams.push_back(s);
    }
}

}  // namespace

void read_world(Reader& r, const View& world, World& out, Context& context) {
    r.check_keys(world, {"inflation", "host", "partner", "investor", "guarantee", "fund",
                         "conflict", "commodities", "correlation", "regions", "regimes",
                         "fiscal_risk", "projects", "streams"});
    r.number(world, "inflation", out.inflation, growth_rate);
    read_party(r, r.table(world, "host"), "support_value", out.host_discount_rate,
               out.host_support_value);
    read_party(r, r.table(world, "partner"), "support_cost", out.partner_discount_rate,
               out.partner_support_cost);
    read_investor(r, r.table(world, "investor"), out.investor);
    read_guarantee(r, r.table(world, "guarantee"), out.guarantee);
    read_fund(r, r.table(world, "fund"), out.fund);
    read_conflict(r, r.table(world, "conflict"), out.conflict);
    read_commodities(r, r.table(world, "commodities"), out, context);
    read_correlation(r, r.table(world, "correlation"), out, context);
    read_regions(r, r.table(world, "regions"), out, context);
    read_regimes(r, r.table(world, "regimes"), out, context);
    read_fiscal_risk(r, world, out, context);
    read_projects(r, r.table(world, "projects"), out, context);
    read_streams(r, r.table(world, "streams"), out, context);
    const std::size_t assets = out.projects.size() + out.streams.size();
    if (assets > limits::max_assets)
        r.error(world.sub("streams").place(), "world.streams",
                "too many assets: " + std::to_string(out.projects.size()) + " projects and " +
                    std::to_string(out.streams.size()) + " streams, more than the " +
                    std::to_string(limits::max_assets) +
                    " a scenario may have together; remove some, or split the scenario in two");
}

}  // namespace nadra::detail
