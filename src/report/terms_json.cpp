#include "report/terms_json.hpp"

#include <cmath>
#include <cstddef>
#include <nlohmann/json.hpp>

namespace nadra {
namespace {

using nlohmann::ordered_json;

template <class T>
ordered_json optional(const std::optional<T>& value) {
    return value ? ordered_json(*value) : ordered_json(nullptr);
}

ordered_json scope_json(const Scenario& scenario, const Scope& scope) {
    ordered_json json = ordered_json::object();
    json["items"] = ordered_json::array();
    for (RevenueItem item : scope.items) json["items"].push_back(to_string(item));
    json["licence_classes"] = scope.licence_classes;
    json["commodities"] = ordered_json::array();
    for (int c : scope.commodities)
        json["commodities"].push_back(
            scenario.world.commodities.at(static_cast<std::size_t>(c)).name);
    json["statuses"] = ordered_json::array();
    for (RegionStatus status : scope.statuses) json["statuses"].push_back(to_string(status));
    return json;
}

ordered_json deal_json(const Scenario& scenario, const Deal& deal) {
    ordered_json json = ordered_json::object();
    json["name"] = deal.name;
    json["description"] = deal.description;
    json["scope"] = scope_json(scenario, deal.scope);
    json["share"] = deal.share;
    json["share_liberated"] = optional(deal.share_liberated);
    json["cap"] = optional(deal.cap);
    json["cap_growth_per_support"] = deal.cap_growth_per_support;
    json["term_years"] = optional(deal.term_years);
    json["partner_support"] = {
        {"cash", deal.partner_support.cash},
        {"in_kind", deal.partner_support.in_kind},
        {"continuation_probability", deal.partner_support.continuation_probability}};
    json["lock_years"] = deal.lock_years;
    json["payout_rate"] = deal.payout_rate;
    json["ownership"] = deal.ownership == Ownership::fixed ? "fixed" : "pro_rata";
    json["partner_share"] = deal.partner_share;
    json["in_kind_counts"] = deal.in_kind_counts;
    json["partner_initial_capital"] = deal.partner_initial_capital;
    json["waterfall"] = deal.waterfall == Waterfall::pro_rata ? "pro_rata" : "partner_first";
    json["recoup_rate"] = deal.recoup_rate;
    json["security_guarantee"] = deal.security_guarantee;
    json["world_modifiers"] = {{"end_hazard_multiplier", deal.end_hazard_multiplier},
                               {"renew_hazard_multiplier", deal.renew_hazard_multiplier}};
    json["regime_overrides"] = ordered_json::array();
    for (const auto& [index, regime] : deal.regime_overrides)
        json["regime_overrides"].push_back(regime.name);
    json["co_invest"] = nullptr;
    if (deal.co_invest) {
        const CoInvest& co = *deal.co_invest;
        ordered_json scope = scope_json(scenario, co.scope);
        scope.erase("items");
        json["co_invest"] = {{"share", co.share},
                             {"receipt_share", co.receipt_share},
                             {"premium_multiplier", co.premium_multiplier},
                             {"scope", scope}};
    }
    return json;
}

// The name of items[index], or null where there is none (a hand-built scenario in a test).
template <class T>
ordered_json name_at(const std::vector<T>& items, int index) {
    const auto i = static_cast<std::size_t>(index);
    return index >= 0 && i < items.size() ? ordered_json(items[i].name) : ordered_json();
}

ordered_json project_json(const World& world, const Project& project) {
    ordered_json json = ordered_json::object();
    json["name"] = project.name;
    json["commodity"] = name_at(world.commodities, project.commodity);
    const auto commodity = static_cast<std::size_t>(project.commodity);
    json["unit"] = commodity < world.commodities.size()
                       ? ordered_json(world.commodities[commodity].unit)
                       : ordered_json();
    json["region"] = name_at(world.regions, project.region);
    json["licence_class"] = project.licence_class;
    json["regime"] = name_at(world.regimes, project.regime);
    return json;
}

// The world a run assumes, for a report's assumptions panel: rates, the war's odds, prices, the
// fund's returns, and every uncertain input's range (with its label, where the scenario gives
// one).
ordered_json assumptions_json(const Scenario& scenario) {
    const World& world = scenario.world;
    ordered_json json = ordered_json::object();
    json["inflation"] = world.inflation;
    json["investor"] = {{"hurdle_rate", world.investor.hurdle_rate},
                        {"country_risk_premium", world.investor.country_risk_premium}};
    json["conflict"] = {{"initial_war", world.conflict.initial_war},
                        {"end_hazard", world.conflict.end_hazard},
                        {"renew_hazard", world.conflict.renew_hazard},
                        {"war_disruption", world.conflict.war_disruption},
                        {"liberation_probability", world.conflict.liberation_probability}};
    json["guarantee"] = {{"renew_hazard_multiplier", world.guarantee.renew_hazard_multiplier},
                         {"risk_premium_multiplier", world.guarantee.risk_premium_multiplier}};
    json["fund"] = {{"initial", world.fund.initial},
                    {"return_mean", world.fund.return_mean},
                    {"return_sigma", world.fund.return_sigma}};
    json["commodities"] = ordered_json::array();
    for (const Commodity& c : world.commodities)
        json["commodities"].push_back({{"name", c.name},
                                       {"unit", c.unit},
                                       {"price0", c.price0},
                                       {"level", c.level},
                                       {"drift", c.drift},
                                       {"kappa", c.kappa},
                                       {"sigma", c.sigma}});
    json["regions"] = ordered_json::array();
    for (const Region& r : world.regions)
        json["regions"].push_back(
            {{"name", r.name}, {"war_disruption", optional(r.war_disruption)}});
    json["uncertain_inputs"] = ordered_json::array();
    for (const UncertainInput& input : scenario.uncertain_inputs) {
        ordered_json item = {{"key", input.key}};
        if (!input.label.empty()) item["label"] = input.label;
        item["value"] = input.value;
        item["low"] = input.low;
        item["high"] = input.high;
        json["uncertain_inputs"].push_back(std::move(item));
    }
    return json;
}

}  // namespace

std::string terms_json(const Scenario& scenario, std::span<const int> deals) {
    ordered_json json = ordered_json::object();
    json["deals"] = ordered_json::array();
    for (const int deal : deals)
        json["deals"].push_back(
            deal_json(scenario, scenario.deals.at(static_cast<std::size_t>(deal))));
    // What a dollar of in-kind support is worth to each side (MODEL.md 4.2).
    json["support_value"] = {{"host", scenario.world.host_support_value},
                             {"partner_cost", scenario.world.partner_support_cost}};
    // The rates at which each side's values are NPVs (MODEL.md 5).
    json["discount_rates"] = {{"host", scenario.world.host_discount_rate},
                              {"partner", scenario.world.partner_discount_rate}};
    json["projects"] = ordered_json::array();
    for (const Project& project : scenario.world.projects)
        json["projects"].push_back(project_json(scenario.world, project));
    json["assumptions"] = assumptions_json(scenario);
    return json.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace nadra
