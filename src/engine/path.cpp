#include "engine/path.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

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
    out.price.resize(static_cast<std::size_t>(n) * horizon);
    out.shocks.resize(n);
    for (int c = 0; c < n; ++c) out.price[c * horizon] = std::log(world.commodities[c].price0);
    for (int t = 0; t + 1 < horizon; ++t) {
        for (int c = 0; c < n; c += 2) {
            const auto pair = random.normal_pair(Driver::price, p, t, c / 2);
            out.shocks[c] = pair.x;
            if (c + 1 < n) out.shocks[c + 1] = pair.y;
        }
        for (int c = 0; c < n; ++c) {
            double shock = 0;
            for (int k = 0; k <= c; ++k) shock += plan.cholesky[c * n + k] * out.shocks[k];
            out.price[c * horizon + t + 1] = next_log_price(world.commodities[c], plan.log_level[c],
                                                            out.price[c * horizon + t], t, shock);
        }
    }
    for (double& x : out.price) x = std::exp(x);

    out.projects.resize(world.projects.size());
    for (std::size_t j = 0; j < world.projects.size(); ++j) {
        const Project& project = world.projects[j];
        const auto draw = [&](ProjectDraw what) { return static_cast<std::uint64_t>(what); };
        ProjectDraws& d = out.projects[j];
        d.viable =
            random.uniform(Driver::project, p, j, draw(ProjectDraw::viability)) < project.viability;
        d.lead_time = round_lead_time(
            triangular(project.lead_time,
                       random.uniform(Driver::project, p, j, draw(ProjectDraw::lead_time))));
        d.capex_multiplier = std::exp(
            project.capex_sigma * random.normal(Driver::project, p, j, draw(ProjectDraw::capex)));
        d.opex_multiplier = std::exp(project.opex_sigma *
                                     random.normal(Driver::project, p, j, draw(ProjectDraw::opex)));
    }

    out.fund_return.resize(horizon);
    for (int t = 0; t < horizon; t += 2) {
        const auto z = random.normal_pair(Driver::fund_return, p, t / 2);
        const FundWorld& fund = world.fund;
        out.fund_return[t] = std::exp(fund.return_mean + fund.return_sigma * z.x) - 1;
        if (t + 1 < horizon) {
            out.fund_return[t + 1] = std::exp(fund.return_mean + fund.return_sigma * z.y) - 1;
        }
    }
}

void simulate_conflict(const Plan& plan, const WorldVariant& variant, const Random& random,
                       std::int64_t path, ConflictPath& out) {
    const World& world = plan.scenario->world;
    const Conflict& conflict = world.conflict;
    const int horizon = plan.horizon;
    const auto p = static_cast<std::uint64_t>(path);
    const std::size_t regions = world.regions.size();
    out.war.assign(horizon, 0);
    out.accessible.assign(regions * horizon, 0);
    out.access.assign(regions * horizon, 0.0);
    // Occupied regions liberated so far; the others need no state.
    std::vector<char> liberated(regions, 0);
    bool war = conflict.initial_war;
    for (int t = 0; t < horizon; ++t) {
        out.war[t] = war;
        for (std::size_t r = 0; r < regions; ++r) {
            const Region& region = world.regions[r];
            double access = 0;
            if (region.status == RegionStatus::free) {
                access = war ? 1 - region.war_disruption.value_or(conflict.war_disruption) : 1;
                out.accessible[r * horizon + t] = 1;
            } else if (region.status == RegionStatus::frontline || liberated[r]) {
                access = war ? 0 : 1;
                out.accessible[r * horizon + t] = !war;
            }
            out.access[r * horizon + t] = access;
        }
        // The transition at the end of year t decides year t + 1 (MODEL.md 3.2, 7).
        const double u = random.uniform(Driver::conflict, p, t);
        if (war) {
            const double end =
                std::min(1.0, value_in_year(conflict.end_hazard, t) * variant.end_multiplier);
            if (u < end) {
                war = false;
                for (std::size_t r = 0; r < regions; ++r) {
                    if (world.regions[r].status == RegionStatus::occupied && !liberated[r] &&
                        random.uniform(Driver::liberation, p, t, r) <
                            conflict.liberation_probability) {
                        liberated[r] = 1;
                    }
                }
            }
        } else {
            const double renew =
                std::min(1.0, value_in_year(conflict.renew_hazard, t) * variant.renew_multiplier);
            war = u < renew;
        }
    }
}

void simulate_assets(const Plan& plan, const WorldVariant& variant, const SharedDraws& draws,
                     const ConflictPath& conflict, AssetRevenue& out, int record_project,
                     std::vector<CashflowYear>* record) {
    const World& world = plan.scenario->world;
    const int horizon = plan.horizon;
    out.items.assign(static_cast<std::size_t>(plan.asset_count()) * revenue_item_count * horizon,
                     0.0);
    const auto item = [&](int asset, RevenueItem i, int t) -> double& {
        return out.items[(asset * revenue_item_count + static_cast<int>(i)) * horizon + t];
    };
    const int projects = static_cast<int>(world.projects.size());
    for (int j = 0; j < projects; ++j) {
        const Project& project = world.projects[j];
        const bool free = world.regions[project.region].status == RegionStatus::free;
        ProjectFlows flows(project, variant.regimes[project.regime], draws.projects[j]);
        for (int t = 0; t < horizon; ++t) {
            const std::size_t at = static_cast<std::size_t>(project.region) * horizon + t;
            const bool accessible = conflict.accessible[at];
            const double price = draws.price[project.commodity * horizon + t];
            const double escalation = plan.escalation[t];
            if (flows.waiting() && flows.viable() && t >= project.licence_year && accessible &&
                (!conflict.war[t] || (free && world.investor.invest_in_war_in_free_regions)) &&
                price >= variant.breakeven[j] * escalation) {
                flows.start(t);
            }
            // A project not started, or finished, yields nothing: skip its arithmetic.
            if ((flows.waiting() || flows.finished(t - 1)) && j != record_project) continue;
            const CashflowYear y =
                flows.step(t, price, escalation, accessible, conflict.access[at]);
            item(j, RevenueItem::royalty, t) = y.royalty;
            item(j, RevenueItem::licence_fee, t) = y.licence_fee;
            item(j, RevenueItem::profit_share, t) = y.profit_share;
            item(j, RevenueItem::income_tax, t) = y.income_tax;
            item(j, RevenueItem::dividend, t) = y.dividend;
            if (j == record_project && record) {
                record->push_back(y);
                record->back().year = plan.scenario->start_year + t;
            }
        }
    }
    for (std::size_t s = 0; s < world.streams.size(); ++s) {
        const Stream& stream = world.streams[s];
        const int asset = projects + static_cast<int>(s);
        double growth = 1;
        for (int t = 0; t < horizon; ++t, growth *= 1 + stream.volume_growth) {
            const std::size_t at = static_cast<std::size_t>(stream.region) * horizon + t;
            const double price = draws.price[stream.commodity * horizon + t];
            const double volume = stream.volume * growth * conflict.access[at];
            const double revenue = volume * price * stream.realisation;
            const double cost = volume * stream.unit_cost * plan.escalation[t];
            const double royalty = stream.royalty.on_revenue(price, revenue);
            const double profit = std::max(0.0, revenue - cost - royalty);
            item(asset, RevenueItem::royalty, t) = royalty;
            item(asset, RevenueItem::income_tax, t) = stream.income_tax_take * profit;
            item(asset, RevenueItem::dividend, t) = stream.dividend_take * profit;
        }
    }
    out.total.assign(horizon, 0.0);
    for (std::size_t row = 0; row < out.items.size(); row += horizon) {
        for (int t = 0; t < horizon; ++t) out.total[t] += out.items[row + t];
    }
}

namespace {

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

    // Sum the scoped items first, row by row (contiguous in memory), then walk the years; once
    // per path for all the deals of a scope group.
    const auto group = static_cast<std::size_t>(plan.scope_group[k]);
    if (scratch.summed.size() != plan.deals.size()) {
        scratch.scoped.resize(plan.deals.size());
        scratch.scoped_occupied.resize(plan.deals.size());
        scratch.summed.assign(plan.deals.size(), 0);
    }
    std::vector<double>& scoped = scratch.scoped[group];
    std::vector<double>& scoped_occupied = scratch.scoped_occupied[group];
    if (!scratch.summed[group]) {
        scoped.assign(horizon, 0.0);
        scoped_occupied.assign(horizon, 0.0);
        for (int a = 0; a < assets; ++a) {
            for (int i = 0; i < revenue_item_count; ++i) {
                const double* row = &revenue.items[(a * revenue_item_count + i) * horizon];
                if (!(mask[a] & (1u << i))) continue;
                double* into = plan.asset_occupied[a] ? scoped_occupied.data() : scoped.data();
                for (int t = 0; t < horizon; ++t) into[t] += row[t];
            }
        }
        scratch.summed[group] = 1;
    }
    for (int t = 0; t < horizon; ++t) {
        const double year_revenue = revenue.total[t];
        const PartnerSupport& ps = deal.partner_support;
        const double cash = support ? value_in_year(ps.cash, t) : 0.0;
        const double in_kind = support ? value_in_year(ps.in_kind, t) : 0.0;
        if (support && cash + in_kind > 0 &&
            random.uniform(Driver::support, static_cast<std::uint64_t>(path), t) >=
                ps.continuation_probability) {
            support = false;  // from next year on
        }
        cumulative_support += cash + in_kind;
        const double year_cap = cap + deal.cap_growth_per_support * cumulative_support;

        const bool in_term = !deal.term_years || t < *deal.term_years;
        const double due =
            in_term ? deal.share * scoped[t] + share_liberated * scoped_occupied[t] : 0.0;
        const double room = std::max(0.0, year_cap - o.host_contributions);
        double contribution = due;
        if (deal.cap && due >= room) {
            contribution = room;
            if (std::isnan(o.cap_year)) o.cap_year = scenario.start_year + t;
        }
        o.host_contributions += contribution;

        const double fund_return = balance * draws.fund_return[t];
        const double inflow = balance + fund_return + contribution + cash;
        const double distribution = t < deal.lock_years ? 0.0 : deal.payout_rate * inflow;
        balance = inflow - distribution;

        const double new_capital = cash + (deal.in_kind_counts ? in_kind : 0.0);
        partner_capital += new_capital;
        recoup = recoup * (1 + deal.recoup_rate) + new_capital;
        if (deal.ownership == Ownership::pro_rata) {
            const double accounts = partner_capital + o.host_contributions;
            partner_ownership = accounts > 0 ? partner_capital / accounts : 0.5;
        }
        const Split split = split_distribution(deal, distribution, partner_ownership, recoup);

        const double dh = plan.host_discount[t], dp = plan.partner_discount[t];
        revenue_total += year_revenue;
        o.host_revenue += year_revenue * dh;
        contributions_npv += contribution * dh;
        o.host_value += (year_revenue - contribution + split.to_host) * dh;
        o.partner_value += (split.to_partner - cash) * dp;
        o.in_kind_support_npv += in_kind * dp;
        if (fund_balance) fund_balance[t] = balance;
        if (ledger) {
            ledger->years[t] = {year_revenue,     scoped[t] + scoped_occupied[t],
                                contribution,     cash,
                                in_kind,          fund_return,
                                distribution,     split.to_host,
                                split.to_partner, balance,
                                year_cap,         conflict.war[t] != 0};
        }
    }
    // The balance left at the horizon is paid out at the end of the last year.
    const Split terminal = split_distribution(deal, balance, partner_ownership, recoup);
    o.host_value += terminal.to_host * plan.host_discount[horizon - 1];
    o.partner_value += terminal.to_partner * plan.partner_discount[horizon - 1];
    o.host_kept = o.host_revenue - contributions_npv;
    o.share_ceded = revenue_total > 0 ? o.host_contributions / revenue_total : 0.0;
    if (ledger) {
        ledger->terminal_to_host = terminal.to_host;
        ledger->terminal_to_partner = terminal.to_partner;
    }
    return o;
}

}  // namespace nadra::engine
