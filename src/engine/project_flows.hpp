// One project's fiscal cash flow, year by year (MODEL.md 3.3, 3.6, 7). The same code serves the
// paths, the breakeven search and the base-case tables, so they cannot disagree.
#pragma once

#include <optional>
#include <vector>

#include "engine/engine.hpp"
#include "scenario/scenario.hpp"

namespace nadra::engine {

// What varies per path: the draws (base inputs: lead at the mode, multipliers 1).
struct ProjectDraws {
    bool viable = true;
    int lead_time = 0;
    double capex_multiplier = 1;
    double opex_multiplier = 1;
};

int round_lead_time(double years);
ProjectDraws base_draws(const Project& project);

class ProjectFlows {
  public:
    ProjectFlows(const Project& project, const Regime& regime, const ProjectDraws& draws);

    [[nodiscard]] bool waiting() const { return phase_ == Phase::waiting; }
    [[nodiscard]] bool viable() const { return viable_; }
    // Construction starts in year t (the caller has decided the investor invests).
    void start(int t);
    // The flows of year t. `accessible`: construction may proceed; `access`: production factor.
    CashflowYear step(int t, double price, double escalation, bool accessible, double access);
    // Production over and depreciation done: nothing more can happen.
    [[nodiscard]] bool finished(int t) const;

  private:
    enum class Phase { waiting, building, producing };

    double production(int t, double access);
    void fiscal(CashflowYear& y);

    const Project& project_;
    const Regime& regime_;
    double state_equity_;
    bool viable_;
    int lead_time_;
    double capex_multiplier_, opex_multiplier_;

    Phase phase_ = Phase::waiting;
    int start_year_ = -1;
    int built_years_ = 0;
    int first_production_ = -1;
    double produced_ = 0;
    double capex_spent_ = 0;
    double unrecovered_ = 0;   // production sharing: costs carried forward
    double loss_carried_ = 0;  // income tax losses carried forward
    double receipts_ = 0;      // R-factor numerator, years before this one
    double costs_ = 0;         // R-factor denominator
};

// The base case (MODEL.md 3.3, 5): base draws, construction at the licence year, always
// accessible and at peace, until the reserve is exhausted and depreciation is over. Prices are
// a constant real price, escalated, or without one the base price path (every shock 0),
// extended past the horizon as needed. Years from 0 (calendar years in CashflowYear::year).
std::vector<CashflowYear> base_case(const Scenario& scenario, const Project& project,
                                    const Regime& regime, std::optional<double> real_price);
// Investor NPV of the base case at a constant real price (breakeven search).
double investor_npv_at_real_price(const Scenario& scenario, const Project& project,
                                  const Regime& regime, double real_price, double rate);
// Breakeven real price for a project under a regime at the investor's rate.
double breakeven_price(const Scenario& scenario, const Project& project, const Regime& regime,
                       double rate);
// The investor's rate: hurdle plus the country premium, scaled down by a guarantee.
double investor_rate(const World& world, bool guarantee);

}  // namespace nadra::engine
