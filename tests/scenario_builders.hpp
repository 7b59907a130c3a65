// Builders for the engine tests: scenarios made directly in C++, without the TOML loader, so a
// test states every input it depends on. The starting point is a deterministic world (no
// volatility, no conflict, no inflation, discount rates 0) that a test then changes field by
// field; every probability is 0 or 1 unless a test sets it otherwise.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/engine.hpp"
#include "scenario/scenario.hpp"

namespace nadra::test {

inline constexpr int start_year = 2025;

// Identity correlation for n commodities, row-major.
inline std::vector<double> identity_correlation(std::size_t n) {
    std::vector<double> c(n * n, 0.0);
    for (std::size_t i = 0; i < n; ++i) c[i * n + i] = 1.0;
    return c;
}

// Adds a commodity; ln price follows MODEL.md 3.1. With kappa 0 the level does not matter.
inline int add_commodity(Scenario& s, const std::string& name, double price0, double drift = 0,
                         double sigma = 0, double kappa = 0, double level = -1) {
    Commodity c;
    c.name = name;
    c.unit = "USD/unit";
    c.price0 = price0;
    c.level = level < 0 ? price0 : level;
    c.drift = drift;
    c.kappa = kappa;
    c.sigma = sigma;
    s.world.commodities.push_back(c);
    s.world.correlation = identity_correlation(s.world.commodities.size());
    return static_cast<int>(s.world.commodities.size()) - 1;
}

inline int add_region(Scenario& s, const std::string& name, RegionStatus status,
                      std::optional<double> war_disruption = std::nullopt) {
    Region r;
    r.name = name;
    r.status = status;
    r.war_disruption = war_disruption;
    s.world.regions.push_back(r);
    return static_cast<int>(s.world.regions.size()) - 1;
}

inline Regime concession(double royalty_rate, double tax_rate = 0, int depreciation_years = 1,
                         double state_equity = 0) {
    Regime r;
    r.name = "concession";
    r.type = RegimeType::concession;
    r.royalty.rate = royalty_rate;
    r.tax_rate = tax_rate;
    r.depreciation_years = depreciation_years;
    r.state_equity = state_equity;
    return r;
}

inline Regime production_sharing(double royalty_rate, double cost_recovery_limit,
                                 LimitBase limit_base, double profit_split, double tax_rate = 0,
                                 int depreciation_years = 1) {
    Regime r;
    r.name = "psa";
    r.type = RegimeType::production_sharing;
    r.royalty.rate = royalty_rate;
    r.cost_recovery_limit = cost_recovery_limit;
    r.limit_base = limit_base;
    r.profit_split.constant = profit_split;
    r.tax_rate = tax_rate;
    r.depreciation_years = depreciation_years;
    return r;
}

inline int add_regime(Scenario& s, const Regime& regime) {
    s.world.regimes.push_back(regime);
    return static_cast<int>(s.world.regimes.size()) - 1;
}

// A deterministic world: commodity 0 "ore" at 100 a unit forever (drift 0, sigma 0), region 0
// free, regime 0 a concession without royalty or tax, peace in every year (initial peace,
// renew hazard 0), no inflation, discount rates 0, fund returns 0.
inline Scenario deterministic_world(int horizon = 10) {
    Scenario s;
    s.name = "test";
    s.start_year = start_year;
    s.horizon = horizon;
    s.seed = 1;
    s.paths = 1;
    World& w = s.world;
    w.inflation = 0;
    w.host_discount_rate = 0;
    w.partner_discount_rate = 0;
    w.investor.hurdle_rate = 0.1;
    w.investor.country_risk_premium = 0;
    w.conflict.initial_war = false;
    w.conflict.end_hazard = {0.0};
    w.conflict.renew_hazard = {0.0};
    w.conflict.war_disruption = 0;
    w.conflict.liberation_probability = 0;
    w.fund.initial = 0;
    w.fund.return_mean = 0;
    w.fund.return_sigma = 0;
    add_commodity(s, "ore", 100.0);
    add_region(s, "free", RegionStatus::free);
    add_regime(s, concession(0.0));
    return s;
}

inline Stream make_stream(int commodity, int region, double volume, double royalty_rate,
                          double income_tax_take = 0, double dividend_take = 0,
                          double unit_cost = 0) {
    Stream st;
    st.name = "stream";
    st.commodity = commodity;
    st.region = region;
    st.volume = volume;
    st.royalty.rate = royalty_rate;
    st.income_tax_take = income_tax_take;
    st.dividend_take = dividend_take;
    st.unit_cost = unit_cost;
    return st;
}

inline int add_stream(Scenario& s, const Stream& stream) {
    s.world.streams.push_back(stream);
    return static_cast<int>(s.world.streams.size()) - 1;
}

// A project with a fixed lead time (min = mode = max), viable for sure, no cost volatility.
inline Project make_project(int commodity, int region, int regime, double capacity, double reserve,
                            double capex, double opex, double lead_time, int licence_year = 0) {
    Project p;
    p.name = "project";
    p.commodity = commodity;
    p.region = region;
    p.regime = regime;
    p.licence_year = licence_year;
    p.viability = 1;
    p.lead_time = Triangular{lead_time, lead_time, lead_time};
    p.capacity = capacity;
    p.ramp_years = 0;
    p.reserve = reserve;
    p.capex = capex;
    p.opex = opex;
    return p;
}

inline int add_project(Scenario& s, const Project& project) {
    s.world.projects.push_back(project);
    return static_cast<int>(s.world.projects.size()) - 1;
}

// A deal that pays `share` of every revenue item, no cap, no support, defaults elsewhere.
inline Deal make_deal(const std::string& name, double share) {
    Deal d;
    d.name = name;
    d.share = share;
    return d;
}

inline int add_deal(Scenario& s, const Deal& deal) {
    s.deals.push_back(deal);
    return static_cast<int>(s.deals.size()) - 1;
}

// NPV at rate r of flows falling at the end of years 0, 1, ...: sum flow[t] * (1 + r)^-(t+1).
inline double npv(const std::vector<double>& flows, double rate) {
    double v = 0;
    for (std::size_t t = 0; t < flows.size(); ++t) {
        v += flows[t] * std::pow(1.0 + rate, -static_cast<double>(t + 1));
    }
    return v;
}

inline RunOptions run_options(std::int64_t paths, std::uint64_t seed = 1, int threads = 1) {
    RunOptions o;
    o.seed = seed;
    o.paths = paths;
    o.threads = threads;
    return o;
}

// The row of a project's cash flow for a calendar year; nullptr if the table has none.
inline const CashflowYear* row_for(const std::vector<CashflowYear>& table, int calendar_year) {
    for (const auto& r : table) {
        if (r.year == calendar_year) return &r;
    }
    return nullptr;
}

inline constexpr double infinity = std::numeric_limits<double>::infinity();

}  // namespace nadra::test
