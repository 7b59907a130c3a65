#include "engine/path.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace nadra::engine {
namespace {

double triangular(const Triangular& tri, double u) {
    const double span = tri.max - tri.min;
    if (span <= 0) return tri.min;
    const double split = (tri.mode - tri.min) / span;
    if (u < split) return tri.min + std::sqrt(u * span * (tri.mode - tri.min));
    return tri.max - std::sqrt((1 - u) * span * (tri.max - tri.mode));
}

// Log-OU step (MODEL.md 3.1) from x(t) to x(t+1) with the year's correlated shock.
double next_log_price(const Commodity& c, double log_level, double x, int t, double shock) {
    const double target = log_level + c.drift * t;
    return x + c.drift + c.kappa * (target - x) + c.sigma * shock;
}

}  // namespace

void draw_shared(const Plan& plan, const Random& random, std::int64_t path, SharedDraws& out) {
    const World& world = plan.scenario->world;
    const int horizon = plan.horizon;
    const int n = static_cast<int>(world.commodities.size());
    const auto p = static_cast<std::uint64_t>(path);
    // Every normal of the path is drawn first, in batches (normal_pairs): Philox blocks into
    // `angle_bits` and `radius_bits`, then Box-Muller over all of them at once. Draw for draw the
    // same bits as Random::normal_pair.
    // The batch arrays only grow: shrinking them for a smaller batch and growing them again for
    // the next path's prices would zero thousands of entries a path for nothing.
    std::size_t batch = 0;
    const auto draw_pairs = [&](std::size_t count) {
        batch = count;
        if (out.angle_bits.size() >= count) return;
        out.angle_bits.resize(count);
        out.radius_bits.resize(count);
        out.normal_x.resize(count);
        out.normal_y.resize(count);
    };
    const auto make_normals = [&] {
        normal_pairs(out.angle_bits.data(), out.radius_bits.data(), batch, out.normal_x.data(),
                     out.normal_y.data());
    };

    // Prices: year t's independent normals are pairs (t, c / 2), .x for even c, .y for odd.
    const int half = (n + 1) / 2;
    draw_pairs(static_cast<std::size_t>(std::max(0, horizon - 1)) * half);
    for (int t = 0; t + 1 < horizon; ++t) {
        for (int c2 = 0; c2 < half; ++c2) {
            const auto bits = random.block(Driver::price, p, t, c2);
            out.angle_bits[t * half + c2] = bits.v[0];
            out.radius_bits[t * half + c2] = bits.v[1];
        }
    }
    make_normals();
    // The correlated shocks of every year at once: shock[c][t] = L[c][k] * z[k][t] summed over k
    // in order (Plan keeps L's nonzero entries only: the others add zeros), years side by side.
    const auto years = static_cast<std::size_t>(std::max(0, horizon - 1));
    out.independent.resize(static_cast<std::size_t>(n) * years);
    out.shocks.assign(static_cast<std::size_t>(n) * years, 0.0);
    for (int c = 0; c < n; ++c) {
        const double* const from = (c % 2 == 0 ? out.normal_x.data() : out.normal_y.data()) + c / 2;
        double* const to = out.independent.data() + c * years;
        for (std::size_t t = 0; t < years; ++t) to[t] = from[t * half];
    }
    const int* const row_begin = plan.cholesky_row_begin.data();
    const int* const column = plan.cholesky_column.data();
    const double* const value = plan.cholesky_value.data();
    for (int c = 0; c < n; ++c) {
        double* const shock = out.shocks.data() + c * years;
        for (int e = row_begin[c]; e < row_begin[c + 1]; ++e) {
            const double l = value[e];
            const double* const z = out.independent.data() + column[e] * years;
            for (std::size_t t = 0; t < years; ++t) shock[t] += l * z[t];
        }
    }
    // ln prices year by year (each commodity's a chain; the commodities side by side), then exp
    // of all of them in one batch.
    out.price.resize(static_cast<std::size_t>(n) * horizon);
    out.log_price.resize(n);
    double* const log_price = out.log_price.data();
    double* const price = out.price.data();
    for (int c = 0; c < n; ++c) {
        log_price[c] = plan.log_price0[c];
        price[c * horizon] = log_price[c];
    }
    for (int t = 0; t + 1 < horizon; ++t) {
        for (int c = 0; c < n; ++c) {
            log_price[c] = next_log_price(world.commodities[c], plan.log_level[c], log_price[c], t,
                                          out.shocks[c * years + t]);
            price[c * horizon + t + 1] = log_price[c];
        }
    }
    exp_in_place(price, out.price.size());

    // The law changes at the end of the first year t whose uniform is below its hazard, and
    // applies from t + 1 (MODEL.md 3.6, 7): its own driver, so no other draw moves.
    out.law_year = std::numeric_limits<int>::max();
    for (int t = 0; t < static_cast<int>(plan.law_probability.size()); ++t) {
        if (random.uniform(Driver::law, p, static_cast<std::uint64_t>(t)) <
            plan.law_probability[t]) {
            out.law_year = t + 1;
            break;
        }
    }
    const std::vector<int>* const changes =
        world.fiscal_risk ? &world.fiscal_risk->changes : nullptr;

    out.stream_royalty_factor.resize(world.streams.size() * static_cast<std::size_t>(horizon));
    for (std::size_t s = 0; s < world.streams.size(); ++s) {
        const RoyaltyRule& rule = plan.stream_royalty[s];
        const double* const price_of = price + world.streams[s].commodity * horizon;
        double* const factor = out.stream_royalty_factor.data() + s * horizon;
        const int source = plan.stream_factor_source.size() == world.streams.size()
                               ? plan.stream_factor_source[s]
                               : -1;
        if (source >= 0) {
            // The same rule at the same prices: the same factors.
            const double* const from =
                out.stream_royalty_factor.data() + static_cast<std::size_t>(source) * horizon;
            std::copy(from, from + horizon, factor);
            continue;
        }
        if (const std::optional<int> regime = world.streams[s].regime) {
            // The royalty of the regime in force: scheduled, and changed by the law (streams are
            // never stabilised); the world's regimes, which no deal's overrides reach.
            for (int t = 0; t < horizon; ++t) {
                const int r =
                    regime_in_force(world.regimes, changes, *regime, t, t >= out.law_year);
                factor[t] =
                    price_of[t] <= 0 ? 0.0 : plan.world_royalty[r].revenue_factor(price_of[t]);
            }
            continue;
        }
        for (int t = 0; t < horizon; ++t) {
            factor[t] = price_of[t] <= 0 ? 0.0 : rule.revenue_factor(price_of[t]);
        }
    }

    // Projects: viability and lead-time uniforms; the capex and opex multipliers, exp(sigma z)
    // with z the .x of the blocks (j, capex) and (j, opex), in batches.
    const std::size_t projects = world.projects.size();
    const auto draw = [&](ProjectDraw what) { return static_cast<std::uint64_t>(what); };
    draw_pairs(2 * projects);
    for (std::size_t j = 0; j < projects; ++j) {
        const auto capex = random.block(Driver::project, p, j, draw(ProjectDraw::capex));
        const auto opex = random.block(Driver::project, p, j, draw(ProjectDraw::opex));
        out.angle_bits[2 * j] = capex.v[0];
        out.radius_bits[2 * j] = capex.v[1];
        out.angle_bits[2 * j + 1] = opex.v[0];
        out.radius_bits[2 * j + 1] = opex.v[1];
    }
    make_normals();
    for (std::size_t j = 0; j < projects; ++j) {
        out.normal_x[2 * j] *= world.projects[j].capex_sigma;
        out.normal_x[2 * j + 1] *= world.projects[j].opex_sigma;
    }
    exp_in_place(out.normal_x.data(), 2 * projects);
    out.projects.resize(projects);
    for (std::size_t j = 0; j < projects; ++j) {
        const Project& project = world.projects[j];
        ProjectDraws& d = out.projects[j];
        d.viable =
            random.uniform(Driver::project, p, j, draw(ProjectDraw::viability)) < project.viability;
        d.lead_time = round_lead_time(
            triangular(project.lead_time,
                       random.uniform(Driver::project, p, j, draw(ProjectDraw::lead_time))));
        d.capex_multiplier = out.normal_x[2 * j];
        d.opex_multiplier = out.normal_x[2 * j + 1];
    }

    // Fund returns: r(t) = exp(mean + sigma z) - 1, z from pair t / 2 (.x for even t, .y odd).
    // With sigma 0 that is exp(mean) - 1 whatever z is (a normal is finite): nothing is drawn.
    const FundWorld& fund = world.fund;
    out.fund_return.assign(horizon, fund.return_mean);
    if (fund.return_sigma != 0) {
        const int fund_pairs = (horizon + 1) / 2;
        draw_pairs(static_cast<std::size_t>(fund_pairs));
        for (int k = 0; k < fund_pairs; ++k) {
            const auto bits = random.block(Driver::fund_return, p, k);
            out.angle_bits[k] = bits.v[0];
            out.radius_bits[k] = bits.v[1];
        }
        make_normals();
        for (int t = 0; t < horizon; ++t) {
            const double z = t % 2 == 0 ? out.normal_x[t / 2] : out.normal_y[t / 2];
            out.fund_return[t] = fund.return_mean + fund.return_sigma * z;
        }
    }
    exp_in_place(out.fund_return.data(), out.fund_return.size());
    for (double& r : out.fund_return) r -= 1;
}

namespace {

// The uniforms of a path's war and peace: the same in every world variant, so drawn once a path
// (per thread: the last path's are kept). `conflict` [t]: each year's transition, and
// `liberation` [region * horizon + t]: NaN until drawn, as the variants need them.
struct ConflictUniforms {
    bool valid = false;
    std::uint64_t seed = 0, path = 0;
    std::size_t regions = 0;
    std::vector<double> conflict, liberation;
};

ConflictUniforms& conflict_uniforms(const Random& random, std::uint64_t path, int horizon,
                                    std::size_t regions) {
    thread_local ConflictUniforms drawn;
    if (!drawn.valid || drawn.path != path || drawn.seed != random.seed() ||
        drawn.conflict.size() != static_cast<std::size_t>(horizon) || drawn.regions != regions) {
        drawn.conflict.assign(static_cast<std::size_t>(horizon),
                              std::numeric_limits<double>::quiet_NaN());
        drawn.liberation.assign(regions * horizon, std::numeric_limits<double>::quiet_NaN());
        drawn.valid = true;
        drawn.path = path;
        drawn.seed = random.seed();
        drawn.regions = regions;
    }
    return drawn;
}

}  // namespace

void simulate_conflict(const Plan& plan, const WorldVariant& variant, const Random& random,
                       std::int64_t path, ConflictPath& out) {
    const World& world = plan.scenario->world;
    const Conflict& conflict = world.conflict;
    const int horizon = plan.horizon;
    const auto p = static_cast<std::uint64_t>(path);
    const std::size_t regions = world.regions.size();
    out.war.resize(horizon);
    out.accessible.resize(regions * horizon);
    out.access.resize(regions * horizon);
    // Occupied regions: the first year each is liberated (horizon: never).
    out.liberated_from.assign(regions, horizon);
    ConflictUniforms& drawn = conflict_uniforms(random, p, horizon, regions);
    // u < probability for year t's uniform u on [0, 1): drawn only when it can matter (a
    // probability of 0 or 1 decides alone: no war ever renews in a scenario without renewal).
    const auto happens = [&](int t, double probability) {
        if (!(probability > 0)) return false;
        if (probability >= 1) return true;
        double& u = drawn.conflict[t];
        if (std::isnan(u)) u = random.uniform(Driver::conflict, p, t);
        return u < probability;
    };
    // make_variant's per-year probabilities, or (a variant made otherwise) the same computed here.
    const bool per_year = variant.end_probability.size() >= static_cast<std::size_t>(horizon) &&
                          variant.renew_probability.size() >= static_cast<std::size_t>(horizon);
    const auto end_probability = [&](int t) {
        return per_year
                   ? variant.end_probability[t]
                   : std::min(1.0, value_in_year(conflict.end_hazard, t) * variant.end_multiplier);
    };
    const auto renew_probability = [&](int t) {
        return per_year ? variant.renew_probability[t]
                        : std::min(1.0, value_in_year(conflict.renew_hazard, t) *
                                            variant.renew_multiplier);
    };
    bool war = conflict.initial_war;
    for (int t = 0; t < horizon; ++t) {
        out.war[t] = war;
        // The transition at the end of year t decides year t + 1 (MODEL.md 3.2, 7).
        if (war) {
            if (happens(t, end_probability(t))) {
                war = false;
                for (std::size_t r = 0; r < regions; ++r) {
                    if (world.regions[r].status != RegionStatus::occupied ||
                        out.liberated_from[r] <= t) {
                        continue;
                    }
                    double& liberation = drawn.liberation[r * horizon + t];
                    if (std::isnan(liberation)) {
                        liberation = random.uniform(Driver::liberation, p, t, r);
                    }
                    if (liberation < conflict.liberation_probability) out.liberated_from[r] = t + 1;
                }
            }
        } else {
            war = happens(t, renew_probability(t));
        }
    }
    const char* const war_in = out.war.data();
    for (std::size_t r = 0; r < regions; ++r) {
        char* const accessible = out.accessible.data() + r * horizon;
        double* const access = out.access.data() + r * horizon;
        const RegionStatus status = world.regions[r].status;
        if (status == RegionStatus::free) {
            const double in_war = plan.region_war_access[r];
            for (int t = 0; t < horizon; ++t) {
                access[t] = war_in[t] ? in_war : 1;
                accessible[t] = 1;
            }
            continue;
        }
        // Frontline, or occupied and liberated from year `from`: accessible in peace only.
        const int from = status == RegionStatus::frontline ? 0 : out.liberated_from[r];
        for (int t = 0; t < horizon; ++t) {
            const bool open = t >= from && !war_in[t];
            access[t] = open ? 1 : 0;
            accessible[t] = open;
        }
    }
}

namespace {

// Clears what asset `a`'s last call wrote outside what this call wrote (its items `now` in years
// [first, end)), and records this call's.
void clear_stale(AssetRevenue& out, int horizon, int a, int first, int end, std::uint8_t now) {
    const int old_first = out.first_year[a], old_end = out.end_year[a];
    const std::uint8_t old = out.items_written[a];
    double* const rows =
        out.items.data() + static_cast<std::size_t>(a) * revenue_item_count * horizon;
    for (int i = 0; i < revenue_item_count; ++i) {
        if (!(old & (1u << i))) continue;
        double* const row = rows + static_cast<std::size_t>(i) * horizon;
        if (!(now & (1u << i))) {
            std::fill(row + old_first, row + old_end, 0.0);
            continue;
        }
        if (old_first < std::min(old_end, first)) {
            std::fill(row + old_first, row + std::min(old_end, first), 0.0);
        }
        if (std::max(old_first, end) < old_end) {
            std::fill(row + std::max(old_first, end), row + old_end, 0.0);
        }
    }
    out.first_year[a] = first;
    out.end_year[a] = end;
    out.items_written[a] = now;
}

struct Span {
    int first = 0, end = 0;  // years [first, end)
};

// A co-investing fund's part in one project (MODEL.md 4.1), year by year into the world's dues
// and receipts, and what is needed to value the stake at the horizon.
struct FundStake {
    double share, receipt_share;
    double* dues;
    double* receipts;
    double paid_in = 0;         // the fund's part of capex and licence fees so far
    double produced = 0;        // units
    double unit_cash_flow = 0;  // operating cash flow per unit in the last producing year

    void add(int t, const CashflowYear& y) {
        const double operating = operating_cash_flow(y);
        const double costs = share * (y.capex + y.licence_fee);
        paid_in += costs;
        dues[t] += operating < 0 ? costs - receipt_share * operating : costs;
        if (operating > 0) receipts[t] += receipt_share * operating;
        if (y.production > 0) {
            produced += y.production;
            unit_cash_flow = operating / y.production;
        }
    }

    // At the horizon: a producing stake as a level annuity of its last year's cash flow at
    // capacity over the years its reserve lasts (at most 100), at the decision's rate; one that
    // has not produced at what the fund put in; never below 0.
    [[nodiscard]] double value(const Project& project, double rate) const {
        if (produced <= 0) return std::max(0.0, paid_in);
        const double left = project.reserve - produced;
        if (!(left > 0) || !(project.capacity > 0)) return 0.0;
        const double years = std::min(100.0, left / project.capacity);
        const double annuity = rate > 0 ? (1 - std::pow(1 + rate, -years)) / rate : years;
        return std::max(0.0, receipt_share * unit_cash_flow * project.capacity * annuity);
    }
};

// One project's years on a path: its items into its rows.
struct ProjectYears {
    const Plan& plan;
    const WorldVariant& variant;
    const SharedDraws& draws;
    const ConflictPath& conflict;
    int j;
    const RoyaltyRule* royalty_rule;
    double* rows;  // the project's first item row; the others follow, `horizon` apart

    // The first year the investor starts construction (MODEL.md 3.3): a viable project,
    // licensed, its region accessible, at peace (or in a free region, if the investor invests
    // in war there) and the price at least its breakeven. The horizon if none.
    [[nodiscard]] int start_year() const {
        const World& world = plan.scenario->world;
        const Project& project = world.projects[j];
        const int horizon = plan.horizon;
        if (!draws.projects[j].viable) return horizon;
        const bool may_invest_in_war =
            plan.project_free[j] && world.investor.invest_in_war_in_free_regions;
        const double breakeven = variant.breakeven[j];
        // With a co-investing fund, an eligible project starting within the deal's term is
        // decided on the investor's part of it (MODEL.md 4.1).
        const CoInvestment* const co = variant.co_invest ? &*variant.co_invest : nullptr;
        const int co_end = co && co->eligible[j] ? co->term_end : 0;
        const double co_breakeven = co_end > 0 ? co->breakeven[j] : breakeven;
        const double* const price_of = draws.price.data() + project.commodity * horizon;
        const char* const accessible_in =
            conflict.accessible.data() + static_cast<std::size_t>(project.region) * horizon;
        const char* const war = conflict.war.data();
        const double* const escalation_of = plan.escalation.data();
        // Regimes that change: the breakeven of the regime in force in year t (MODEL.md 3.6).
        const std::vector<double>* const by_state =
            variant.breakeven_by_state.empty() ? nullptr : &variant.breakeven_by_state[j];
        for (int t = std::max(0, project.licence_year); t < horizon; ++t) {
            double price_needed = t < co_end ? co_breakeven : breakeven;
            if (by_state && t >= co_end) {
                int k = 0;
                for (int x = project.regime;
                     variant.regimes[x].then && t >= variant.regimes[x].from_year;
                     x = *variant.regimes[x].then) {
                    ++k;
                }
                price_needed = (*by_state)[2 * k + (t >= draws.law_year ? 1 : 0)];
            }
            if (accessible_in[t] && (!war[t] || may_invest_in_war) &&
                price_of[t] >= price_needed * escalation_of[t]) {
                return t;
            }
        }
        return horizon;
    }

    // Why a project has not started by year t (start_year's test of that year, for the
    // cash-flow table): no viability, before its licence year, no access (or war where the
    // investor does not invest), or the price below the breakeven.
    [[nodiscard]] AssetState waiting_state(int t) const {
        const World& world = plan.scenario->world;
        const Project& project = world.projects[j];
        const int horizon = plan.horizon;
        if (!draws.projects[j].viable) return AssetState::not_viable;
        if (t < project.licence_year) return AssetState::waiting_licence;
        const bool may_invest_in_war =
            plan.project_free[j] && world.investor.invest_in_war_in_free_regions;
        const std::size_t at = static_cast<std::size_t>(project.region) * horizon + t;
        if (!conflict.accessible[at] || (conflict.war[t] && !may_invest_in_war)) {
            return AssetState::waiting_access;
        }
        return AssetState::waiting_price;
    }

    // Whether a co-investing fund joins the project when it starts in year `start`.
    [[nodiscard]] bool co_invested(int start) const {
        return variant.co_invest && variant.co_invest->eligible[j] &&
               start < variant.co_invest->term_end;
    }

    // The years stepped, construction starting in year `start`. Recording: every year, each
    // into `record` (if not null); otherwise from `start` until the project is finished.
    template <bool recording>
    Span run(int start, std::vector<CashflowYear>* record, FundStake* stake = nullptr) const {
        const World& world = plan.scenario->world;
        const Project& project = world.projects[j];
        const int horizon = plan.horizon;
        ProjectFlows flows(project, variant.regimes[project.regime], draws.projects[j],
                           royalty_rule, shut_in_rule(world));
        const double* const price_of = draws.price.data() + project.commodity * horizon;
        const std::size_t region = static_cast<std::size_t>(project.region) * horizon;
        const char* const accessible_in = conflict.accessible.data() + region;
        const double* const access_in = conflict.access.data() + region;
        const double* const escalation_of = plan.escalation.data();
        double* const royalty = rows;
        double* const licence_fee = rows + horizon;
        double* const profit_share = rows + 2 * horizon;
        double* const income_tax = rows + 3 * horizon;
        double* const dividend = rows + 4 * horizon;
        double* const rent_tax = rows + 5 * horizon;
        int t = recording ? 0 : start;
        Span span{t, t};
        // Regimes that change (MODEL.md 3.6, v1.3): the regime in force each year; a project
        // whose regime in force at its start is stabilised, starting before the law changed, is
        // shielded from the change for life.
        const bool changing = plan.regimes_change;
        const std::vector<int>* const changes =
            world.fiscal_risk ? &world.fiscal_risk->changes : nullptr;
        const bool shielded =
            start < draws.law_year && start < horizon &&
            variant.regimes[scheduled_regime(variant.regimes, project.regime, start)].stabilised;
        int in_force = project.regime;
        for (; t < horizon; ++t) {
            if (changing) {
                const bool changed = t >= draws.law_year && !shielded;
                const int r = regime_in_force(variant.regimes, changes, project.regime, t, changed);
                if (r != in_force) {
                    in_force = r;
                    flows.use_regime(variant.regimes[r],
                                     royalty_rule ? &variant.royalty[r] : nullptr);
                }
            }
            if (t == start) flows.start(t);
            // Finished stays finished: nothing steps it any more.
            if (!recording && flows.finished(t - 1)) break;
            const CashflowYear y =
                flows.step(t, price_of[t], escalation_of[t], accessible_in[t], access_in[t]);
            span.end = t + 1;
            royalty[t] = y.royalty;
            licence_fee[t] = y.licence_fee;
            profit_share[t] = y.profit_share;
            income_tax[t] = y.income_tax;
            dividend[t] = y.dividend;
            rent_tax[t] = y.rent_tax;
            if (stake) stake->add(t, y);
            if (recording && record) {
                CashflowYear& row = record->emplace_back(y);
                row.year = plan.scenario->start_year + t;
                row.war = conflict.war[t] != 0;
                row.access = access_in[t];
                row.state = t < start ? waiting_state(t) : flows.state(t, accessible_in[t], y);
            }
        }
        return span;
    }
};

constexpr std::uint8_t item_bit(RevenueItem i) {
    return static_cast<std::uint8_t>(1u << static_cast<int>(i));
}

// Item i's row of an asset in `revenue` (an AssetRevenue, const or not).
template <class Revenue>
auto* item_row(Revenue& revenue, int horizon, int asset, RevenueItem i) {
    return revenue.items.data() +
           (static_cast<std::size_t>(asset) * revenue_item_count + static_cast<int>(i)) * horizon;
}

// An earlier world variant of the same path, already simulated.
struct EarlierVariant {
    const WorldVariant* variant;
    const ConflictPath* conflict;
    const AssetRevenue* revenue;
};

// An earlier variant's rows of project j that are this variant's (none: revenue null): one
// where it started in the same year under the same regimes, its region as accessible and as
// open in every year it was stepped. Then every step had the same state and inputs as here
// (the prices, draws and escalation are the path's, and a breakeven or war matter only to the
// start), so gave the same items, and it ended in the same year.
struct SameProject {
    const AssetRevenue* revenue = nullptr;
    Span span;
};

SameProject same_project_in(const Plan& plan, const WorldVariant& variant,
                            const ConflictPath& conflict,
                            const std::vector<EarlierVariant>& earlier, int j, int start) {
    if (variant.overrides_regimes) return {};
    const int horizon = plan.horizon;
    const std::size_t region =
        static_cast<std::size_t>(plan.scenario->world.projects[j].region) * horizon;
    for (const EarlierVariant& e : earlier) {
        if (e.variant->overrides_regimes) continue;
        const int first = e.revenue->first_year[j], end = e.revenue->end_year[j];
        if (first != start || end <= first) continue;
        const auto n = static_cast<std::size_t>(end - first);
        const std::size_t from = region + static_cast<std::size_t>(first);
        if (std::memcmp(conflict.access.data() + from, e.conflict->access.data() + from,
                        n * sizeof(double)) == 0 &&
            std::memcmp(conflict.accessible.data() + from, e.conflict->accessible.data() + from,
                        n) == 0) {
            return {e.revenue, {first, end}};
        }
    }
    return {};
}

void simulate_assets_reusing(const Plan& plan, const WorldVariant& variant,
                             const SharedDraws& draws, const ConflictPath& conflict,
                             AssetRevenue& out, int record_project,
                             std::vector<CashflowYear>* record,
                             const std::vector<EarlierVariant>& earlier) {
    const World& world = plan.scenario->world;
    const int horizon = plan.horizon;
    const int assets = plan.asset_count();
    const std::size_t size = static_cast<std::size_t>(assets) * revenue_item_count * horizon;
    const auto per_asset = static_cast<std::size_t>(assets);
    if (out.items.size() != size || out.first_year.size() != per_asset ||
        out.end_year.size() != per_asset || out.items_written.size() != per_asset) {
        out.items.assign(size, 0.0);
        out.first_year.assign(per_asset, 0);
        out.end_year.assign(per_asset, 0);
        out.items_written.assign(per_asset, 0);
    }
    // Each year's total adds every asset's items in asset and item order, as a sum of the rows
    // would; the items left out are zeros, which leave the sum as it is (it starts at +0 and so
    // is never -0).
    out.total.assign(horizon, 0.0);
    double* const total = out.total.data();
    out.project_start.assign(world.projects.size(), -1);
    const auto row_of = [&](int asset, RevenueItem i) { return item_row(out, horizon, asset, i); };
    const bool rules = variant.royalty.size() == variant.regimes.size();
    const int projects = static_cast<int>(world.projects.size());
    const CoInvestment* const co = variant.co_invest ? &*variant.co_invest : nullptr;
    out.fund_stakes = 0;
    if (co) {
        out.fund_dues.assign(horizon, 0.0);
        out.fund_receipts.assign(horizon, 0.0);
        out.co_invested.assign(world.projects.size(), 0);
    } else {
        out.fund_dues.clear();
        out.fund_receipts.clear();
        out.co_invested.clear();
    }
    for (int j = 0; j < projects; ++j) {
        const Project& project = world.projects[j];
        double* const rows = row_of(j, RevenueItem::royalty);
        const ProjectYears years{
            plan, variant, draws, conflict, j, rules ? &variant.royalty[project.regime] : nullptr,
            rows};
        // A project not started, or finished, yields nothing: skip its arithmetic. One that is
        // not viable or licensed too late never starts (start_year: the horizon).
        Span span;
        const int start = years.start_year();
        if (start < horizon) out.project_start[j] = start;
        // A project the fund joins is stepped, never copied: its flows make the fund's.
        const bool joined = start < horizon && years.co_invested(start);
        FundStake stake{joined ? co->share : 0, joined ? co->receipt_share : 0,
                        out.fund_dues.data(), out.fund_receipts.data()};
        if (j == record_project) {
            span = years.run<true>(start, record, joined ? &stake : nullptr);
        } else if (joined) {
            span = years.run<false>(start, nullptr, &stake);
        } else if (start < horizon) {
            const SameProject same = same_project_in(plan, variant, conflict, earlier, j, start);
            span = same.span;
            if (same.revenue) {
                const double* const from =
                    item_row(*same.revenue, horizon, j, RevenueItem::royalty);
                for (int i = 0; i < revenue_item_count; ++i) {
                    std::copy(from + i * horizon + span.first, from + i * horizon + span.end,
                              rows + i * horizon + span.first);
                }
            } else {
                span = years.run<false>(start, nullptr);
            }
        }
        if (joined) {
            out.fund_stakes += stake.value(project, co->rate);
            out.co_invested[j] = 1;
        }
        for (int t = span.first; t < span.end; ++t) {
            for (int i = 0; i < revenue_item_count; ++i) total[t] += rows[i * horizon + t];
        }
        if (span.first < span.end) {
            clear_stale(out, horizon, j, span.first, span.end, 0x3f);
        } else {
            clear_stale(out, horizon, j, 0, 0, 0);
        }
    }
    for (std::size_t s = 0; s < world.streams.size(); ++s) {
        const Stream& stream = world.streams[s];
        const int asset = projects + static_cast<int>(s);
        const double* const volume_of = plan.stream_volume[s].data();
        const double* const factor = draws.stream_royalty_factor.data() + s * horizon;
        const double* const price_of = draws.price.data() + stream.commodity * horizon;
        const double* const access_in =
            conflict.access.data() + static_cast<std::size_t>(stream.region) * horizon;
        double* const royalty_out = row_of(asset, RevenueItem::royalty);
        double* const income_tax_out = row_of(asset, RevenueItem::income_tax);
        double* const dividend_out = row_of(asset, RevenueItem::dividend);
        const double* const escalation_of = plan.escalation.data();
        const double realisation = stream.realisation, unit_cost = stream.unit_cost;
        const double income_tax_take = stream.income_tax_take;
        const double dividend_take = stream.dividend_take;
        int t = 0;
#ifdef __SSE2__
        // Two years at once: the same operations as the loop below, lane by lane (max(margin, 0)
        // is margin > 0 ? margin : 0, as std::max(0.0, margin); a price at or below 0 gives a
        // royalty of +0, as RoyaltyRule::on_revenue).
        const __m128d zero = _mm_setzero_pd();
        const __m128d realisation2 = _mm_set1_pd(realisation);
        const __m128d unit_cost2 = _mm_set1_pd(unit_cost);
        const __m128d income_tax_take2 = _mm_set1_pd(income_tax_take);
        const __m128d dividend_take2 = _mm_set1_pd(dividend_take);
        for (; t + 2 <= horizon; t += 2) {
            const __m128d price = _mm_loadu_pd(price_of + t);
            const __m128d volume =
                _mm_mul_pd(_mm_loadu_pd(volume_of + t), _mm_loadu_pd(access_in + t));
            const __m128d revenue = _mm_mul_pd(_mm_mul_pd(volume, price), realisation2);
            const __m128d cost =
                _mm_mul_pd(_mm_mul_pd(volume, unit_cost2), _mm_loadu_pd(escalation_of + t));
            const __m128d royalty = _mm_andnot_pd(_mm_cmple_pd(price, zero),
                                                  _mm_mul_pd(_mm_loadu_pd(factor + t), revenue));
            const __m128d profit = _mm_max_pd(_mm_sub_pd(_mm_sub_pd(revenue, cost), royalty), zero);
            const __m128d income_tax = _mm_mul_pd(income_tax_take2, profit);
            const __m128d dividend = _mm_mul_pd(dividend_take2, profit);
            _mm_storeu_pd(royalty_out + t, royalty);
            _mm_storeu_pd(income_tax_out + t, income_tax);
            _mm_storeu_pd(dividend_out + t, dividend);
            const __m128d sum = _mm_add_pd(
                _mm_add_pd(_mm_add_pd(_mm_loadu_pd(total + t), royalty), income_tax), dividend);
            _mm_storeu_pd(total + t, sum);
        }
#endif
        for (; t < horizon; ++t) {
            const double price = price_of[t];
            const double volume = volume_of[t] * access_in[t];
            const double revenue = volume * price * realisation;
            const double cost = volume * unit_cost * escalation_of[t];
            // RoyaltyRule::on_revenue(price, revenue).
            const double royalty = price <= 0 ? 0.0 : factor[t] * revenue;
            const double profit = std::max(0.0, revenue - cost - royalty);
            const double income_tax = income_tax_take * profit;
            const double dividend = dividend_take * profit;
            royalty_out[t] = royalty;
            income_tax_out[t] = income_tax;
            dividend_out[t] = dividend;
            // A stream's licence fee and profit share are zero.
            total[t] += royalty;
            total[t] += income_tax;
            total[t] += dividend;
        }
        clear_stale(out, horizon, asset, 0, horizon,
                    item_bit(RevenueItem::royalty) | item_bit(RevenueItem::income_tax) |
                        item_bit(RevenueItem::dividend));
    }
}

}  // namespace

void simulate_assets(const Plan& plan, const WorldVariant& variant, const SharedDraws& draws,
                     const ConflictPath& conflict, AssetRevenue& out, int record_project,
                     std::vector<CashflowYear>* record) {
    simulate_assets_reusing(plan, variant, draws, conflict, out, record_project, record, {});
}

void record_stream(const Plan& plan, const SharedDraws& draws, const ConflictPath& conflict, int s,
                   std::vector<CashflowYear>& record) {
    const World& world = plan.scenario->world;
    const Stream& stream = world.streams[s];
    const int horizon = plan.horizon;
    const double* const price_of = draws.price.data() + stream.commodity * horizon;
    const double* const factor = draws.stream_royalty_factor.data() + s * horizon;
    const std::size_t region = static_cast<std::size_t>(stream.region) * horizon;
    record.clear();
    for (int t = 0; t < horizon; ++t) {
        // simulate_assets' arithmetic, in its order.
        CashflowYear y;
        y.year = plan.scenario->start_year + t;
        y.price = price_of[t];
        y.war = conflict.war[t] != 0;
        y.access = conflict.access[region + t];
        y.production = plan.stream_volume[s][t] * y.access;
        y.revenue = y.production * y.price * stream.realisation;
        y.opex = y.production * stream.unit_cost * plan.escalation[t];
        y.royalty = y.price <= 0 ? 0.0 : factor[t] * y.revenue;
        y.taxable_income = std::max(0.0, y.revenue - y.opex - y.royalty);
        y.income_tax = stream.income_tax_take * y.taxable_income;
        y.dividend = stream.dividend_take * y.taxable_income;
        y.state_revenue = y.royalty + y.income_tax + y.dividend;
        y.investor_cash_flow = y.revenue - y.opex - y.state_revenue;
        y.state = !(y.access > 0)    ? AssetState::no_access
                  : y.production > 0 ? AssetState::producing
                                     : AssetState::exhausted;
        record.push_back(y);
    }
}

void simulate_all_assets(const Plan& plan, const SharedDraws& draws,
                         const std::vector<ConflictPath>& conflict,
                         std::vector<AssetRevenue>& out) {
    out.resize(plan.variants.size());
    thread_local std::vector<EarlierVariant> earlier;
    earlier.clear();
    for (std::size_t v = 0; v < plan.variants.size(); ++v) {
        simulate_assets_reusing(plan, plan.variants[v], draws, conflict[v], out[v], -1, nullptr,
                                earlier);
        earlier.push_back({&plan.variants[v], &conflict[v], &out[v]});
    }
}

namespace {

// into[t]: the rows' values at t summed in the rows' order from +0, as adding the rows one by one
// into zeros would; years two at a time, in registers. A row is zero outside its years, and
// adding those zeros (or not) leaves the sum as it is: it starts at +0, so is never -0.
void sum_rows(const std::vector<DealScratch::Row>& rows, int horizon, double* into) {
    int t = 0;
#ifdef __SSE2__
    // Eight years at a time: four independent sums, so that each add need not wait for the last.
    for (; t + 8 <= horizon; t += 8) {
        __m128d s0 = _mm_setzero_pd(), s1 = _mm_setzero_pd();
        __m128d s2 = _mm_setzero_pd(), s3 = _mm_setzero_pd();
        for (const DealScratch::Row& r : rows) {
            if (t + 8 <= r.first || t >= r.end) continue;
            const double* const v = r.values + t;
            s0 = _mm_add_pd(s0, _mm_loadu_pd(v));
            s1 = _mm_add_pd(s1, _mm_loadu_pd(v + 2));
            s2 = _mm_add_pd(s2, _mm_loadu_pd(v + 4));
            s3 = _mm_add_pd(s3, _mm_loadu_pd(v + 6));
        }
        _mm_storeu_pd(into + t, s0);
        _mm_storeu_pd(into + t + 2, s1);
        _mm_storeu_pd(into + t + 4, s2);
        _mm_storeu_pd(into + t + 6, s3);
    }
    for (; t + 2 <= horizon; t += 2) {
        __m128d sum = _mm_setzero_pd();
        for (const DealScratch::Row& r : rows) {
            if (t + 2 > r.first && t < r.end) sum = _mm_add_pd(sum, _mm_loadu_pd(r.values + t));
        }
        _mm_storeu_pd(into + t, sum);
    }
#endif
    for (; t < horizon; ++t) {
        double sum = 0;
        for (const DealScratch::Row& r : rows) {
            if (t >= r.first && t < r.end) sum += r.values[t];
        }
        into[t] = sum;
    }
}

// Splits a distribution between the parties (MODEL.md 4 and 7's partner-first convention).
struct Split {
    double to_host = 0, to_partner = 0;
};

Split split_distribution(const Deal& deal, double amount, double partner_ownership,
                         double& recoup_balance) {
    Split s;
    if (deal.waterfall == Waterfall::partner_first) {
        s.to_partner = std::min(amount, std::max(0.0, recoup_balance));
        recoup_balance -= s.to_partner;
        amount -= s.to_partner;
    }
    s.to_partner += partner_ownership * amount;
    s.to_host = (1 - partner_ownership) * amount;
    return s;
}

}  // namespace

DealOutcome run_deal(const Plan& plan, int k, const Random& random, std::int64_t path,
                     const SharedDraws& draws, const ConflictPath& conflict,
                     const AssetRevenue& revenue, DealScratch& scratch, double* fund_balance,
                     PathLedger* ledger) {
    const Scenario& scenario = *plan.scenario;
    const Deal& deal = scenario.deals[plan.deals[k]];
    const std::vector<std::uint8_t>& mask = plan.scope_mask[k];
    const int horizon = plan.horizon;
    const int assets = plan.asset_count();
    const double share_liberated = deal.share_liberated.value_or(deal.share);
    const double cap = deal.cap.value_or(std::numeric_limits<double>::infinity());

    DealOutcome o;
    double balance = scenario.world.fund.initial;
    double recoup = deal.partner_initial_capital;
    double cumulative_support = 0, partner_capital = deal.partner_initial_capital;
    double revenue_total = 0, contributions_npv = 0;
    bool support = true;
    double partner_ownership = deal.partner_share;
    if (ledger) ledger->years.assign(horizon, {});

    // Sum the scoped items first (sum_rows), then walk the years; once per path for all the deals
    // of a scope group.
    const auto group = static_cast<std::size_t>(plan.scope_group[k]);
    if (scratch.summed.size() != plan.deals.size()) {
        scratch.scoped.resize(plan.deals.size());
        scratch.scoped_occupied.resize(plan.deals.size());
        scratch.summed.assign(plan.deals.size(), 0);
    }
    std::vector<double>& scoped = scratch.scoped[group];
    std::vector<double>& scoped_occupied = scratch.scoped_occupied[group];
    const int term_end = deal.term_years ? *deal.term_years : horizon;  // in term: t < term_end
    // A deal that takes no share (no deal at all) is due nothing, whatever its scope holds (the
    // items are at least 0, so 0 x is +0): its sums are needed only for a ledger.
    const bool takes_a_share = (deal.share != 0 || share_liberated != 0) && term_end > 0;
    const bool summing = takes_a_share || ledger;
    if (summing && !scratch.summed[group]) {
        scoped.resize(horizon);
        scoped_occupied.resize(horizon);
        // Only the items an asset may have nonzero, and their years (AssetRevenue's spans).
        const bool spans = revenue.first_year.size() == static_cast<std::size_t>(assets) &&
                           revenue.end_year.size() == static_cast<std::size_t>(assets) &&
                           revenue.items_written.size() == static_cast<std::size_t>(assets);
        scratch.rows.clear();
        scratch.rows_occupied.clear();
        for (int a = 0; a < assets; ++a) {
            const unsigned items = spans ? mask[a] & revenue.items_written[a] : mask[a];
            if (!items) continue;
            const int first = spans ? revenue.first_year[a] : 0;
            const int end = spans ? revenue.end_year[a] : horizon;
            auto& rows = plan.asset_occupied[a] ? scratch.rows_occupied : scratch.rows;
            for (int i = 0; i < revenue_item_count; ++i) {
                if (!(items & (1u << i))) continue;
                rows.push_back(
                    {&revenue.items[(a * revenue_item_count + i) * horizon], first, end});
            }
        }
        sum_rows(scratch.rows, horizon, scoped.data());
        sum_rows(scratch.rows_occupied, horizon, scoped_occupied.data());
        scratch.summed[group] = 1;
    }
    if (!scratch.support_valid || scratch.support_path != path ||
        scratch.support_seed != random.seed() ||
        scratch.support.size() != static_cast<std::size_t>(horizon)) {
        scratch.support.assign(horizon, std::numeric_limits<double>::quiet_NaN());
        scratch.support_valid = true;
        scratch.support_path = path;
        scratch.support_seed = random.seed();
    }
    const double* const cash_of = plan.support_cash[k].data();
    const double* const in_kind_of = plan.support_in_kind[k].data();
    const double* const year_revenue_of = revenue.total.data();
    // Not summing: the group's sums are left for the deals that need them, and zeros read.
    if (!summing && scratch.zeros.size() != static_cast<std::size_t>(horizon))
        scratch.zeros.assign(horizon, 0.0);  // never written: zeros once made
    const double* const scoped_of = summing ? scoped.data() : scratch.zeros.data();
    const double* const scoped_occupied_of = summing ? scoped_occupied.data() : scoped_of;
    const double* const fund_return_of = draws.fund_return.data();
    const double* const host_discount = plan.host_discount.data();
    const double* const partner_discount = plan.partner_discount.data();
    // The deal's terms, and the outcome's sums, held in locals: the stores to fund_balance,
    // ledger and scratch cannot change them, so the compiler need not reload them every year.
    const double share = deal.share;
    const double cap_growth = deal.cap_growth_per_support;
    const double continuation = deal.partner_support.continuation_probability;
    const bool capped = deal.cap.has_value();
    const int lock_years = deal.lock_years;
    const double payout_rate = deal.payout_rate, recoup_rate = deal.recoup_rate;
    const bool in_kind_counts = deal.in_kind_counts;
    const bool pro_rata = deal.ownership == Ownership::pro_rata;
    // A co-investing fund's dues and receipts (MODEL.md 4.1); what it cannot pay grows at the
    // investor's rate until it can.
    const CoInvestment* const co = plan.variants[plan.deal_variant[k]].co_invest
                                       ? &*plan.variants[plan.deal_variant[k]].co_invest
                                       : nullptr;
    double arrears = 0, unpaid = 0;
    double host_contributions = 0, host_revenue = 0, host_value = 0, partner_value = 0;
    double in_kind_support_npv = 0, cap_year = not_reached, in_kind_host_npv = 0;
    for (int t = 0; t < horizon; ++t) {
        const double year_revenue = year_revenue_of[t];
        const double cash = support ? cash_of[t] : 0.0;
        const double in_kind = support ? in_kind_of[t] : 0.0;
        if (support && cash + in_kind > 0) {
            // The year's uniform is every deal's: drawn by the first deal that needs it.
            double& u = scratch.support[t];
            if (std::isnan(u))
                u = random.uniform(Driver::support, static_cast<std::uint64_t>(path), t);
            if (u >= continuation) support = false;  // from next year on
        }
        cumulative_support += cash + in_kind;
        const double year_cap = cap + cap_growth * cumulative_support;

        const double due =
            t < term_end ? share * scoped_of[t] + share_liberated * scoped_occupied_of[t] : 0.0;
        const double room = std::max(0.0, year_cap - host_contributions);
        double contribution = due;
        if (capped && due >= room) {
            contribution = room;
            if (std::isnan(cap_year)) cap_year = scenario.start_year + t;
        }
        host_contributions += contribution;

        const double fund_return = balance * fund_return_of[t];
        double inflow = balance + fund_return + contribution + cash;
        double receipts = 0, paid = 0;
        if (co) {
            receipts = revenue.fund_receipts[t];
            inflow += receipts;
            const double owed = arrears + revenue.fund_dues[t];
            paid = std::min(inflow, owed);
            unpaid = owed - paid;
            arrears = unpaid * (1 + co->rate);
            inflow -= paid;
        }
        const double distribution = t < lock_years ? 0.0 : payout_rate * inflow;
        balance = inflow - distribution;

        const double new_capital = cash + (in_kind_counts ? in_kind : 0.0);
        partner_capital += new_capital;
        recoup = recoup * (1 + recoup_rate) + new_capital;
        if (pro_rata) {
            const double accounts = partner_capital + host_contributions;
            partner_ownership = accounts > 0 ? partner_capital / accounts : 0.5;
        }
        const Split split = split_distribution(deal, distribution, partner_ownership, recoup);

        const double dh = host_discount[t], dp = partner_discount[t];
        revenue_total += year_revenue;
        host_revenue += year_revenue * dh;
        contributions_npv += contribution * dh;
        host_value += (year_revenue - contribution + split.to_host) * dh;
        partner_value += (split.to_partner - cash) * dp;
        in_kind_support_npv += in_kind * dp;
        in_kind_host_npv += in_kind * dh;
        if (fund_balance) fund_balance[t] = balance;
        if (ledger) {
            ledger->years[t] = {year_revenue,
                                scoped_of[t] + scoped_occupied_of[t],
                                contribution,
                                cash,
                                in_kind,
                                fund_return,
                                distribution,
                                split.to_host,
                                split.to_partner,
                                balance,
                                year_cap,
                                conflict.war[t] != 0,
                                receipts,
                                paid,
                                unpaid};
        }
    }
    // The balance left at the horizon is paid out at the end of the last year; a co-investing
    // fund's is its terminal value (MODEL.md 4.1), of which a loss falls on the parties by
    // ownership, without priority.
    Split terminal;
    if (!co) {
        terminal = split_distribution(deal, balance, partner_ownership, recoup);
    } else if (const double value = balance - unpaid + revenue.fund_stakes; value >= 0) {
        terminal = split_distribution(deal, value, partner_ownership, recoup);
    } else {
        terminal = {(1 - partner_ownership) * value, partner_ownership * value};
    }
    host_value += terminal.to_host * host_discount[horizon - 1];
    partner_value += terminal.to_partner * partner_discount[horizon - 1];
    o.host_value = host_value;
    o.partner_value = partner_value;
    o.in_kind_support_npv = in_kind_support_npv;
    o.host_contributions = host_contributions;
    o.host_revenue = host_revenue;
    o.cap_year = cap_year;
    o.host_kept = host_revenue - contributions_npv;
    o.share_ceded = revenue_total > 0 ? host_contributions / revenue_total : 0.0;
    // What support is worth to each side (MODEL.md 4.2).
    o.host_total_value = host_value + scenario.world.host_support_value * in_kind_host_npv;
    o.partner_net_value = partner_value - scenario.world.partner_support_cost * in_kind_support_npv;
    if (ledger) {
        ledger->terminal_to_host = terminal.to_host;
        ledger->terminal_to_partner = terminal.to_partner;
        ledger->co_invest_stakes = co ? revenue.fund_stakes : 0.0;
    }
    return o;
}

}  // namespace nadra::engine
