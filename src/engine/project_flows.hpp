// One project's fiscal cash flow, year by year (MODEL.md 3.3, 3.6, 7). The same code serves the
// paths, the breakeven search and the base-case tables, so they cannot disagree.
#pragma once

#include <algorithm>
#include <cstddef>
#include <limits>
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

// RoyaltySchedule::on_revenue with what the bands under each band give at its lower bound
// computed once rather than on every call: the same operations in the same order, so the same
// results to the bit.
class RoyaltyRule {
  public:
    RoyaltyRule() = default;
    explicit RoyaltyRule(const RoyaltySchedule& schedule);

    [[nodiscard]] double on_revenue(double benchmark_price, double revenue) const {
        if (benchmark_price <= 0) return 0;
        return revenue_factor(benchmark_price) * revenue;
    }
    // What on_revenue multiplies the revenue by at a benchmark price not at or below 0.
    [[nodiscard]] double revenue_factor(double benchmark_price) const {
        if (lower_.empty()) return constant_;
        // RoyaltySchedule::per_unit(p) / p. The band is the last whose lower bound is at or
        // below p (std::upper_bound's, the lower bounds increasing strictly; a NaN price takes
        // the last band, as there), counted without branching; entry 0 stands for no band:
        // rate 0, whose 0 * p / p is the 0 / p of per_unit's 0 for p > 0.
        std::size_t band = 0;
        for (const double lower : lower_) band += !(benchmark_price < lower);
        const double rate = rate_[band];
        const double whole = rate * benchmark_price;
        const double marginal = below_[band] + rate * (benchmark_price - band_lower_[band]);
        return (marginal_[band] ? marginal : whole) / benchmark_price;
    }

  private:
    double constant_ = 0;
    std::vector<double> lower_;  // each band's lower bound
    // Entry 0: below the first band; entry i > 0: band i - 1.
    std::vector<double> rate_, below_, band_lower_;
    std::vector<char> marginal_;
};
// The shut-in rule (MODEL.md 3.3, v1.3) as a project applies it: whether it is on, the share of
// the opex a shut-in year still costs, and whether a shut-in year ends the project's life (on a
// constant real price) rather than pausing it (on the base price path and on paths).
struct ShutIn {
    bool on = false;
    double cost = 0;
    bool ends_life = false;
};
// The world's rule: investor.shut_in and investor.shut_in_cost, pausing.
ShutIn shut_in_rule(const World& world);

// The regime in force (MODEL.md 3.6, v1.3), among `regimes`: from regime x, each regime's `then`
// from its `from_year` on (the scheduled regime of year t); where the law has changed for the
// asset, changes[s] in place of the scheduled s where that is >= 0.
inline int scheduled_regime(const std::vector<Regime>& regimes, int x, int t) {
    while (regimes[x].then && t >= regimes[x].from_year) x = *regimes[x].then;
    return x;
}
inline int regime_in_force(const std::vector<Regime>& regimes, const std::vector<int>* changes,
                           int x, int t, bool law_changed) {
    const int s = scheduled_regime(regimes, x, t);
    if (!law_changed || !changes || (*changes)[s] < 0) return s;
    return (*changes)[s];
}

// The regimes a project passes through: from `first`, scheduled, and changed by the law from
// `law_year` on (never without `changes`).
struct RegimePath {
    const std::vector<Regime>* regimes = nullptr;
    int first = 0;
    const std::vector<int>* changes = nullptr;
    int law_year = std::numeric_limits<int>::max();
    [[nodiscard]] int at(int t) const {
        return regime_in_force(*regimes, changes, first, t, t >= law_year);
    }
};

class ProjectFlows {
  public:
    // `royalty`, when given, is `regime.royalty` made a RoyaltyRule (it must outlive this).
    ProjectFlows(const Project& project, const Regime& regime, const ProjectDraws& draws,
                 const RoyaltyRule* royalty = nullptr, const ShutIn& shut_in = {});

    [[nodiscard]] bool waiting() const { return phase_ == Phase::waiting; }
    [[nodiscard]] bool viable() const { return viable_; }
    // Construction starts in year t (the caller has decided the investor invests).
    void start(int t) {
        phase_ = Phase::building;
        start_year_ = t;
        depreciation_years_ = regime_->depreciation_years;
    }
    // The regime in force changes (MODEL.md 3.6, v1.3), before this year's step. Carried
    // losses, unrecovered costs, the R-factor's sums and the rent tax's base carry over, and
    // depreciation keeps the schedule of the regime the project started under; a switch into
    // production sharing starts with nothing unrecovered; a rent tax that first applies to a
    // started project carries the lesser of 0 and its bases to date (sunk capital not yet
    // recovered is not taxed). `royalty`, when given, is `regime.royalty` as a RoyaltyRule.
    void use_regime(const Regime& regime, const RoyaltyRule* royalty) {
        if (&regime == regime_) return;
        if (phase_ != Phase::waiting) {
            if (regime.type == RegimeType::production_sharing &&
                regime_->type != RegimeType::production_sharing) {
                unrecovered_ = 0;
            }
            if (regime.rent_tax && !rent_taxed_) rent_carried_ = std::min(0.0, rent_base_sum_);
        }
        regime_ = &regime;
        royalty_ = royalty;
        if (!project_.state_equity) state_equity_ = regime.state_equity;
    }
    // The flows of year t. `accessible`: construction may proceed; `access`: production factor.
    // Inlined into the path's loop, where most of the year's fields are not needed.
    [[gnu::always_inline]] CashflowYear step(int t, double price, double escalation,
                                             bool accessible, double access) {
        CashflowYear y;
        y.price = price;
        if (t == start_year_) y.licence_fee = project_.licence_fee * escalation;
        if (phase_ == Phase::building) {
            if (lead_time_ == 0) {
                y.capex = project_.capex * capex_multiplier_ * escalation;
                first_production_ = t;
                phase_ = Phase::producing;
            } else if (accessible) {
                y.capex = project_.capex * capex_multiplier_ / lead_time_ * escalation;
                if (++built_years_ == lead_time_) {
                    first_production_ = t + 1;
                    phase_ = Phase::producing;
                }
            }
            capex_spent_ += y.capex;
        }
        y.production = production(t, access, price, escalation, y.shut_in);
        if (phase_ == Phase::producing && t >= first_production_ &&
            t - first_production_ < depreciation_years_) {
            y.depreciation = capex_spent_ / depreciation_years_;
        }
        y.revenue = y.production * price * project_.realisation;
        y.opex = y.production * project_.opex * opex_multiplier_ * escalation;
        // A shut-in year pays shut_in_cost of the opex of the output it forgoes (opex, in every
        // computation below). A project whose life has ended pays nothing.
        if (y.shut_in && !closed_) y.opex = shut_in_cost_ * forgone_ * unit_opex_;
        fiscal(y);
        return y;
    }
    // The state of a started project in year t, after step(t) gave `y` (`accessible`: as
    // given to step). Before the start (waiting) the caller knows why it waits.
    [[nodiscard]] AssetState state(int t, bool accessible, const CashflowYear& y) const {
        if (phase_ == Phase::waiting) return AssetState::waiting_price;
        if (phase_ == Phase::building) {
            return accessible ? AssetState::constructing : AssetState::no_access;
        }
        if (t < first_production_) return AssetState::constructing;
        if (y.shut_in) return AssetState::shut_in;
        if (y.production > 0) return AssetState::producing;
        if (produced_ >= project_.reserve || project_.capacity <= 0) return AssetState::exhausted;
        return AssetState::no_access;
    }
    // Production over and depreciation done: nothing more can happen.
    [[nodiscard]] bool finished(int t) const {
        if (phase_ != Phase::producing) return false;
        const bool exhausted = produced_ >= project_.reserve || project_.capacity <= 0 || closed_;
        return exhausted && t - first_production_ + 1 >= depreciation_years_;
    }

  private:
    enum class Phase { waiting, building, producing };

    // The year's output; `shut_in` set (and the output forgone and its unit opex kept) where
    // the shut-in rule stops a producing project with reserve left this year.
    [[gnu::always_inline]] double production(int t, double access, double price, double escalation,
                                             bool& shut_in) {
        if (phase_ != Phase::producing || t < first_production_) return 0;
        if (closed_) {
            shut_in = true;
            return 0;
        }
        const double k = t - first_production_ + 1;
        const double ramp = project_.ramp_years <= 1 ? 1.0 : std::min(1.0, k / project_.ramp_years);
        const double q = std::min(project_.capacity * ramp * access, project_.reserve - produced_);
        if (shut_in_on_ && produced_ < project_.reserve && shuts_in(price, escalation)) {
            shut_in = true;
            forgone_ = std::max(0.0, q);
            unit_opex_ = project_.opex * opex_multiplier_ * escalation;
            if (shut_in_ends_life_) {
                closed_ = true;
                forgone_ = 0;
            }
            return 0;
        }
        produced_ += q;
        return std::max(0.0, q);
    }

    // Revenue per unit after royalty below (1 - shut_in_cost) times the unit opex (MODEL.md
    // 3.3): the royalty per unit is the royalty on one unit's revenue, as on the year's.
    [[nodiscard]] bool shuts_in(double price, double escalation) const {
        const double unit_revenue = price * project_.realisation;
        const double unit_royalty = royalty_ ? royalty_->on_revenue(price, unit_revenue)
                                             : regime_->royalty.on_revenue(price, unit_revenue);
        return unit_revenue - unit_royalty <
               (1 - shut_in_cost_) * (project_.opex * opex_multiplier_ * escalation);
    }

    [[gnu::always_inline]] void fiscal(CashflowYear& y) {
        y.royalty = royalty_ ? royalty_->on_revenue(y.price, y.revenue)
                             : regime_->royalty.on_revenue(y.price, y.revenue);
        if (regime_->type == RegimeType::production_sharing) {
            const double recoverable = unrecovered_ + y.opex + y.capex + y.licence_fee;
            const double base =
                regime_->limit_base == LimitBase::revenue ? y.revenue : y.revenue - y.royalty;
            y.cost_recovered =
                std::min(recoverable, regime_->cost_recovery_limit * std::max(0.0, base));
            unrecovered_ = recoverable - y.cost_recovered;
            const double r_factor = costs_ > 0 ? receipts_ / costs_ : 0.0;
            const double profit = y.revenue - y.royalty - y.cost_recovered;
            y.profit_share = regime_->profit_split.at(r_factor) * std::max(0.0, profit);
            receipts_ += y.revenue - y.royalty - y.profit_share;
            costs_ += y.capex + y.opex + y.licence_fee;
        }
        // The rent tax's base cash flow to date, for a rent tax that starts applying later.
        rent_base_sum_ += y.revenue - y.royalty - y.profit_share - y.opex - y.capex - y.licence_fee;
        if (regime_->rent_tax) rent_tax(y, *regime_->rent_tax);
        const double taxable = y.revenue - y.royalty - y.profit_share - y.opex - y.licence_fee -
                               y.rent_tax - y.depreciation - loss_carried_;
        loss_carried_ = std::max(0.0, -taxable);
        y.taxable_income = std::max(0.0, taxable);
        y.income_tax = regime_->tax_rate * y.taxable_income;
        double after_tax = y.revenue - y.opex - y.capex - y.licence_fee - y.royalty -
                           y.profit_share - y.income_tax;
        // Without a rent tax, the same operations as before it existed (the same bits).
        if (regime_->rent_tax) after_tax -= y.rent_tax;
        y.dividend = state_equity_ * std::max(0.0, after_tax);
        y.investor_cash_flow = after_tax - y.dividend;
        y.state_revenue = y.royalty + y.licence_fee + y.profit_share + y.income_tax + y.dividend;
        if (regime_->rent_tax) y.state_revenue += y.rent_tax;
    }

    // The resource rent tax (MODEL.md 3.6, v1.3): the year's pre-tax cash flow plus the negative
    // base carried from last year grown by 1 + uplift; a negative base is carried.
    void rent_tax(CashflowYear& y, const RentTax& tax) {
        const double base = y.revenue - y.royalty - y.profit_share - y.opex - y.capex -
                            y.licence_fee + rent_carried_ * (1 + tax.uplift);
        y.rent_tax = tax.rate * std::max(0.0, base);
        rent_carried_ = std::min(0.0, base);
        rent_taxed_ = true;
    }

    const Project& project_;
    const Regime* regime_;
    const RoyaltyRule* royalty_;
    int depreciation_years_;  // the regime's in force at the start, for the project's life
    double state_equity_;
    bool viable_;
    int lead_time_;
    double capex_multiplier_, opex_multiplier_;
    bool shut_in_on_, shut_in_ends_life_;
    double shut_in_cost_;

    Phase phase_ = Phase::waiting;
    int start_year_ = -1;
    int built_years_ = 0;
    int first_production_ = -1;
    double produced_ = 0;
    double capex_spent_ = 0;
    double unrecovered_ = 0;    // production sharing: costs carried forward
    double loss_carried_ = 0;   // income tax losses carried forward
    double receipts_ = 0;       // R-factor numerator, years before this one
    double costs_ = 0;          // R-factor denominator
    double rent_carried_ = 0;   // the rent tax's negative base carried forward
    double rent_base_sum_ = 0;  // the rent tax's yearly bases to date, without uplift
    bool rent_taxed_ = false;   // a regime with a rent tax has applied
    bool closed_ = false;       // shut in on a constant real price: its life is over
    double forgone_ = 0;        // a shut-in year: the output it would have produced
    double unit_opex_ = 0;      // and its opex per unit
};

// The operating cash flow of a year (MODEL.md 4.1): the investor's after-tax cash flow before
// capex and licence fee.
inline double operating_cash_flow(const CashflowYear& y) {
    return y.investor_cash_flow + y.capex + y.licence_fee;
}

// The investor's part of a project's flows: all of them, or beside a co-investing fund (MODEL.md
// 4.1) `cost_share` (1 - s) of capex and licence fee and `receipt_share` (1 - rho) of the
// operating cash flow.
struct InvestorStake {
    double cost_share = 1, receipt_share = 1;
    [[nodiscard]] double flow(const CashflowYear& y) const {
        if (cost_share == 1 && receipt_share == 1) return y.investor_cash_flow;
        return receipt_share * operating_cash_flow(y) - cost_share * (y.capex + y.licence_fee);
    }
};

// The base case (MODEL.md 3.3, 5): base draws, construction at the licence year, always
// accessible and at peace, until the reserve is exhausted and depreciation is over. Prices are
// a constant real price, escalated, or without one the base price path (every shock 0),
// extended past the horizon as needed. Years from 0 (calendar years in CashflowYear::year).
std::vector<CashflowYear> base_case(const Scenario& scenario, const Project& project,
                                    const Regime& regime, std::optional<double> real_price);
// The same through the regimes of `path` (MODEL.md 3.6, v1.3).
std::vector<CashflowYear> base_case(const Scenario& scenario, const Project& project,
                                    const RegimePath& path, std::optional<double> real_price);
// Investor NPV of the base case at a constant real price (breakeven search).
double investor_npv_at_real_price(const Scenario& scenario, const Project& project,
                                  const Regime& regime, double real_price, double rate);
// Breakeven real price for a project under a regime at the investor's rate, on its stake.
double breakeven_price(const Scenario& scenario, const Project& project, const Regime& regime,
                       double rate, const InvestorStake& stake = {});
double breakeven_price(const Scenario& scenario, const Project& project, const RegimePath& path,
                       double rate, const InvestorStake& stake = {});
// The investor's rate: hurdle plus the country premium, scaled down by a guarantee and by a
// co-investing fund's `premium_multiplier`.
double investor_rate(const World& world, bool guarantee, double premium_multiplier = 1);

}  // namespace nadra::engine
