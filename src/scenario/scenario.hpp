// The scenario model: a world (what the subsoil may yield and what may happen to it) and the
// deals run on it. Plain data, validated once by the loader (scenario/load.hpp); the engine reads
// it and never changes it. Names follow ../shared/MODEL.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace nadra {

// A per-year list (MODEL.md 2): entry t applies to year t; a list shorter than the horizon
// repeats its last value. A plain number is a list of one.
using YearList = std::vector<double>;
double value_in_year(const YearList& list, int year_index);

enum class RegionStatus { free, frontline, occupied };
enum class RevenueItem { royalty, licence_fee, profit_share, income_tax, dividend, rent_tax };
inline constexpr int revenue_item_count = 6;

enum class BandMode { whole, marginal };

struct RoyaltyBand {
    double lower = 0;  // benchmark price at which the band starts (inclusive), money of the year
    double rate = 0;
    BandMode mode = BandMode::whole;
    bool operator==(const RoyaltyBand&) const = default;
};

// A royalty rate: a constant (bands empty) or a table of price bands (MODEL.md 3.6).
struct RoyaltySchedule {
    double rate = 0;
    std::vector<RoyaltyBand> bands;  // sorted by lower, strictly increasing

    // Royalty per unit of benchmark price p (MODEL.md 3.6); rate * p for a constant.
    [[nodiscard]] double per_unit(double benchmark_price) const;
    // Royalty on revenue R earned at benchmark price p: per_unit(p) / p * R (0 when p <= 0).
    [[nodiscard]] double on_revenue(double benchmark_price, double revenue) const;
    bool operator==(const RoyaltySchedule&) const = default;
};

struct ProfitSplitRow {
    double r_factor = 0;  // threshold
    double split = 0;     // the state's share of profit
    bool operator==(const ProfitSplitRow&) const = default;
};

// The state's share of profit under production sharing: a constant (table empty) or a step
// function of the R-factor (MODEL.md 7: the row with the largest threshold at or below the
// R-factor; the first row below the first threshold).
struct ProfitSplit {
    double constant = 0;
    std::vector<ProfitSplitRow> table;  // sorted by r_factor, strictly increasing
    [[nodiscard]] double at(double r_factor) const;
    bool operator==(const ProfitSplit&) const = default;
};

enum class RegimeType { concession, production_sharing };

// A resource rent tax (MODEL.md 3.6, v1.3): `rate` of the year's pre-tax cash flow plus the
// negative base carried from earlier years, grown by 1 + `uplift`.
struct RentTax {
    double rate = 0;
    double uplift = 0;
    bool operator==(const RentTax&) const = default;
};
enum class LimitBase { revenue, revenue_minus_royalty };

struct Regime {
    std::string name;
    RegimeType type = RegimeType::concession;
    RoyaltySchedule royalty;
    double cost_recovery_limit = 1;  // production sharing only
    LimitBase limit_base = LimitBase::revenue;
    ProfitSplit profit_split;  // production sharing only
    double tax_rate = 0;
    int depreciation_years = 1;
    double state_equity = 0;
    std::optional<RentTax> rent_tax;  // none: no rent tax
    // MODEL.md 3.6 (v1.3): from year index `from_year` on, what is under this regime follows
    // regime `then` (an index into World::regimes); a stability clause shields a project whose
    // regime in force at its start has `stabilised` from law changes (World::fiscal_risk).
    std::optional<int> then;
    int from_year = 0;
    bool stabilised = false;
    // Lookup (MODEL.md 3.3): a project that names no regime takes the first regime, in file
    // order, that lists its commodity and licence class; a regime that lists no commodities
    // (or no classes) matches any, and is tried after those that name the commodity.
    std::vector<std::string> commodities;
    std::vector<std::string> licence_classes;
    bool operator==(const Regime&) const = default;
};

struct Commodity {
    std::string name;
    std::string unit;   // e.g. "USD/t"; words only, for reports
    double price0 = 0;  // price in year 0
    double level = 0;   // long-run price, year-0 money
    double drift = 0;   // g, nominal drift per year
    double kappa = 0;   // reversion speed in [0, 1]
    double sigma = 0;   // volatility of ln price per year
};

struct Region {
    std::string name;
    RegionStatus status = RegionStatus::free;
    std::optional<double> war_disruption;  // overrides conflict.war_disruption
};

struct Triangular {
    double min = 0, mode = 0, max = 0;
};

struct Project {
    std::string name;
    int commodity = 0;  // index into World::commodities
    int region = 0;     // index into World::regions
    std::string licence_class = "new";
    int regime = 0;        // index into World::regimes (resolved by the loader)
    int licence_year = 0;  // year index (calendar year - start_year), >= 0
    double licence_fee = 0;
    double viability = 1;
    Triangular lead_time;  // years of construction
    double capacity = 0;   // units a year
    double ramp_years = 0;
    double reserve = 0;  // units
    double capex = 0;    // total, year-0 money
    double opex = 0;     // per unit, year-0 money
    double realisation = 1;
    double capex_sigma = 0;  // lognormal multiplier, median 1
    double opex_sigma = 0;
    std::optional<double> state_equity;  // overrides the regime's
};

struct Stream {
    std::string name;
    int commodity = 0;
    int region = 0;
    double volume = 0;  // units in year 0
    double volume_growth = 0;
    double realisation = 1;
    double unit_cost = 0;  // year-0 money per unit
    RoyaltySchedule royalty;
    // MODEL.md 3.6 (v1.3): the royalty of this regime in force (schedules and law changes apply)
    // instead of `royalty`; an index into World::regimes.
    std::optional<int> regime;
    double income_tax_take = 0;
    double dividend_take = 0;
};

struct Conflict {
    bool initial_war = true;
    YearList end_hazard{0.0};
    YearList renew_hazard{0.0};
    double war_disruption = 0;
    double liberation_probability = 0;
};

struct Investor {
    double hurdle_rate = 0.1;
    double country_risk_premium = 0;
    bool invest_in_war_in_free_regions = true;
    // MODEL.md 3.3 (v1.3): a producing project pauses in a year its revenue per unit after
    // royalty is below (1 - shut_in_cost) times its unit opex, paying shut_in_cost of that opex.
    bool shut_in = true;
    double shut_in_cost = 0;
};

struct Guarantee {
    double renew_hazard_multiplier = 1;
    double risk_premium_multiplier = 1;
};

struct FundWorld {
    double initial = 0;
    double return_mean = 0;   // mean of ln(1 + r)
    double return_sigma = 0;  // sd of ln(1 + r)
};

// Law-change risk (MODEL.md 3.6, v1.3): at the end of year t the law changes with probability
// hazard(t) (once per path at most); from the next year, a regime x in force is changes[x] where
// that is >= 0.
struct FiscalRisk {
    YearList hazard{0.0};
    std::vector<int> changes;  // per regime: the index of the regime it becomes, or -1
};

struct World {
    double inflation = 0;
    double host_discount_rate = 0;
    double partner_discount_rate = 0;
    // What a dollar of in-kind support is worth to the host, and costs the partner (MODEL.md 4.2).
    double host_support_value = 0;
    double partner_support_cost = 0;
    Investor investor;
    Guarantee guarantee;
    FundWorld fund;
    Conflict conflict;
    std::vector<Commodity> commodities;
    // Correlation of price shocks, commodities.size()^2, row-major; identity when not given.
    std::vector<double> correlation;
    std::vector<Region> regions;
    std::vector<Regime> regimes;
    std::optional<FiscalRisk> fiscal_risk;  // none: the law never changes
    std::vector<Project> projects;
    std::vector<Stream> streams;
};

// Which revenue items a deal draws on (MODEL.md 4); an empty list selects everything.
struct Scope {
    std::vector<RevenueItem> items;
    std::vector<std::string> licence_classes;
    std::vector<int> commodities;        // indices into World::commodities
    std::vector<RegionStatus> statuses;  // status at signing
};

struct PartnerSupport {
    YearList cash{0.0};
    YearList in_kind{0.0};
    double continuation_probability = 1;
};

// The fund as co-investor (MODEL.md 4.1): it pays `share` of the capex and licence fees of every
// eligible project that starts within the deal's term and receives `receipt_share` of its
// operating cash flow, for the project's life.
struct CoInvest {
    double share = 0;               // s, in (0, 1]
    double receipt_share = 0;       // rho, in [0, 1]; the loader sets s when not given
    double premium_multiplier = 1;  // m: on the country risk premium of the investor's decision
    // Eligible projects; the loader fills each list not given with the deal scope's (items unused).
    Scope scope;
};

enum class Ownership { fixed, pro_rata };
enum class Waterfall { pro_rata, partner_first };

struct Deal {
    std::string name;
    std::string description;
    Scope scope;
    double share = 0;
    std::optional<double> share_liberated;  // for regions occupied at signing
    std::optional<double> cap;              // none: no ceiling
    double cap_growth_per_support = 0;
    std::optional<int> term_years;  // none: to the horizon
    PartnerSupport partner_support;
    int lock_years = 0;
    double payout_rate = 1;
    Ownership ownership = Ownership::fixed;
    double partner_share = 0;  // with fixed ownership
    bool in_kind_counts = false;
    double partner_initial_capital = 0;
    Waterfall waterfall = Waterfall::pro_rata;
    double recoup_rate = 0;
    bool security_guarantee = false;
    double end_hazard_multiplier = 1;    // world_modifiers
    double renew_hazard_multiplier = 1;  // world_modifiers
    // Regimes this deal changes: whole regimes that replace the world's regime of the same index.
    std::vector<std::pair<int, Regime>> regime_overrides;
    std::optional<CoInvest> co_invest;  // none: the fund only earns its return and pays out
};

// A world input given as {value, low, high}: the range a sensitivity analysis swings it over.
struct UncertainInput {
    std::string key;  // key path, e.g. "world.conflict.end_hazard"
    double value = 0, low = 0, high = 0;
    std::string label{};  // words for reports (`label = "..."`); empty: the key path in words
};

struct Scenario {
    std::string name;
    std::string description;
    int start_year = 2025;
    int horizon = 1;                    // T, number of annual periods
    std::optional<std::uint64_t> seed;  // run defaults; the command line overrides
    std::optional<std::int64_t> paths;
    std::optional<std::int64_t> sample_inputs;  // [run] sample_inputs: input sets (MODEL.md 4.3)
    World world;
    std::vector<Deal> deals;
    std::vector<UncertainInput> uncertain_inputs;
};

const char* to_string(RegionStatus status);
const char* to_string(RevenueItem item);

}  // namespace nadra
