// [deals.NAME] (MODEL.md 4) and the licence-class check that spans world and deals.
#include <algorithm>
#include <limits>
#include <set>

#include "scenario/build.hpp"

namespace nadra::detail {

namespace {

template <class E>
void read_choice_list(Reader& r, const View& v, std::string_view key, std::vector<E>& out,
                      Choices<E> choices) {
    std::vector<std::pair<std::string, const toml::node*>> words;
    r.strings(v, key, words);
    for (std::size_t i = 0; i < words.size(); ++i) {
        E value{};
        if (r.choice(*words[i].second, v.key_path(key) + "[" + std::to_string(i) + "]", value,
                     choices))
            out.push_back(value);
    }
}

// The asset filters of a scope (licence classes, commodities, statuses); `read_scope` adds items.
void read_asset_filters(Reader& r, const View& v, Context& context, Scope& out) {
    read_choice_list(r, v, "statuses", out.statuses,
                     Choices<RegionStatus>{{"free", RegionStatus::free},
                                           {"frontline", RegionStatus::frontline},
                                           {"occupied", RegionStatus::occupied}});
    std::vector<std::pair<std::string, const toml::node*>> names;
    r.strings(v, "commodities", names);
    for (const auto& [name, node] : names) {
        int index = 0;
        if (r.reference(*node, v.key_path("commodities"), context.commodities, "commodity", index))
            out.commodities.push_back(index);
    }
    names.clear();
    r.strings(v, "licence_classes", names);
    for (const auto& [name, node] : names) {
        out.licence_classes.push_back(name);
        context.class_refs.push_back(
            {name, place_of(node->source()), v.key_path("licence_classes")});
    }
}

void read_scope(Reader& r, const View& v, Context& context, Scope& out) {
    r.check_keys(v, {"items", "licence_classes", "commodities", "statuses"});
    read_choice_list(r, v, "items", out.items,
                     Choices<RevenueItem>{{"royalty", RevenueItem::royalty},
                                          {"licence_fee", RevenueItem::licence_fee},
                                          {"profit_share", RevenueItem::profit_share},
                                          {"income_tax", RevenueItem::income_tax},
                                          {"dividend", RevenueItem::dividend},
                                          {"rent_tax", RevenueItem::rent_tax}});
    read_asset_filters(r, v, context, out);
}

// [deals.NAME.co_invest] (MODEL.md 4.1). Eligibility lists not given are the deal scope's.
void read_co_invest(Reader& r, const View& v, Context& context, Deal& d) {
    if (!v.find("co_invest")) return;
    const View c = r.table(v, "co_invest");
    r.check_keys(c, {"share", "receipt_share", "premium_multiplier", "licence_classes",
                     "commodities", "statuses"});
    CoInvest co;
    r.number(c, "share", co.share, {0, 1, true}, Need::required);
    co.receipt_share = co.share;
    r.number(c, "receipt_share", co.receipt_share, unit_interval);
    r.number(c, "premium_multiplier", co.premium_multiplier, non_negative);
    read_asset_filters(r, c, context, co.scope);
    if (!c.find("licence_classes")) co.scope.licence_classes = d.scope.licence_classes;
    if (!c.find("commodities")) co.scope.commodities = d.scope.commodities;
    if (!c.find("statuses")) co.scope.statuses = d.scope.statuses;
    d.co_invest = co;
}

void read_cap(Reader& r, const View& v, std::optional<double>& out) {
    const toml::node* node = v.find("cap");
    if (!node) return;
    if (const auto* text = node->as_string()) {
        if (text->get() != "none")
            r.error_at(*node, v.key_path("cap"),
                       "expected a number or \"none\", found \"" + text->get() + "\"");
        return;
    }
    double cap = 0;
    if (r.number(*node, v.key_path("cap"), cap, non_negative)) out = cap;
}

void read_support(Reader& r, const View& v, PartnerSupport& out) {
    r.check_keys(v, {"cash", "in_kind", "continuation_probability"});
    r.year_list(v, "cash", out.cash, non_negative);
    r.year_list(v, "in_kind", out.in_kind, non_negative);
    r.number(v, "continuation_probability", out.continuation_probability, unit_interval);
}

void read_modifiers(Reader& r, const View& v, Deal& out) {
    r.check_keys(v, {"end_hazard_multiplier", "renew_hazard_multiplier"});
    r.number(v, "end_hazard_multiplier", out.end_hazard_multiplier, non_negative);
    r.number(v, "renew_hazard_multiplier", out.renew_hazard_multiplier, non_negative);
}

void read_overrides(Reader& r, const View& v, const World& world, Context& context, Deal& out) {
    for (const auto& item : v.items()) {
        const std::string path = v.key_path(item.name);
        int index = 0;
        if (!r.resolve(item.name, place_of(item.key->source()), path, context.regimes, "regime",
                       index))
            continue;
        const auto* table = item.node->as_table();
        if (!table) {
            r.error_at(*item.node, path, "wrong type: expected a table of regime fields");
            continue;
        }
        Regime regime = world.regimes[static_cast<std::size_t>(index)];
        read_regime(r, View({{table, item.file}}, path, place_of(table->source())), regime, context,
                    true);
        out.regime_overrides.emplace_back(index, regime);
    }
}

// Keys that the chosen ownership or waterfall would silently ignore.
void check_unused(Reader& r, const View& v, const Deal& deal) {
    if (deal.ownership == Ownership::pro_rata)
        if (const toml::node* node = v.find("partner_share"))
            r.error_at(*node, v.key_path("partner_share"),
                       "partner_share applies only to ownership = \"fixed\"; remove it or "
                       "change the ownership");
    if (deal.waterfall == Waterfall::pro_rata)
        if (const toml::node* node = v.find("recoup_rate"))
            r.error_at(*node, v.key_path("recoup_rate"),
                       "recoup_rate applies only to waterfall = \"partner_first\"; remove it or "
                       "change the waterfall");
}

void read_terms(Reader& r, const View& v, Deal& d) {
    r.number(v, "share", d.share, unit_interval, Need::required);
    double share = 0;
    if (r.number(v, "share_liberated", share, unit_interval)) d.share_liberated = share;
    read_cap(r, v, d.cap);
    r.number(v, "cap_growth_per_support", d.cap_growth_per_support, non_negative);
    int term = 0;
    if (r.integer(v, "term_years", term, 1, 1000)) d.term_years = term;
    r.integer(v, "lock_years", d.lock_years, 0, 1000);
    r.number(v, "payout_rate", d.payout_rate, unit_interval);
}

void read_fund_rules(Reader& r, const View& v, Deal& d) {
    r.choice(v, "ownership", d.ownership,
             Choices<Ownership>{{"fixed", Ownership::fixed}, {"pro_rata", Ownership::pro_rata}});
    r.number(v, "partner_share", d.partner_share, unit_interval);
    r.boolean(v, "in_kind_counts", d.in_kind_counts);
    r.number(v, "partner_initial_capital", d.partner_initial_capital, non_negative);
    r.choice(v, "waterfall", d.waterfall,
             Choices<Waterfall>{{"pro_rata", Waterfall::pro_rata},
                                {"partner_first", Waterfall::partner_first}});
    r.number(v, "recoup_rate", d.recoup_rate, unit_interval);
    r.boolean(v, "security_guarantee", d.security_guarantee);
    check_unused(r, v, d);
}

void read_deal(Reader& r, const View& v, const World& world, Context& context, Deal& d) {
    r.check_keys(v, {"description",
                     "scope",
                     "share",
                     "share_liberated",
                     "cap",
                     "cap_growth_per_support",
                     "term_years",
                     "partner_support",
                     "lock_years",
                     "payout_rate",
                     "ownership",
                     "partner_share",
                     "in_kind_counts",
                     "partner_initial_capital",
                     "waterfall",
                     "recoup_rate",
                     "security_guarantee",
                     "world_modifiers",
                     "regime_overrides",
                     "co_invest"});
    r.string(v, "description", d.description);
    read_scope(r, r.table(v, "scope"), context, d.scope);
    read_terms(r, v, d);
    read_support(r, r.table(v, "partner_support"), d.partner_support);
    read_fund_rules(r, v, d);
    read_modifiers(r, r.table(v, "world_modifiers"), d);
    read_overrides(r, r.table(v, "regime_overrides"), world, context, d);
    read_co_invest(r, v, context, d);
}

}  // namespace

void read_deals(Reader& r, const View& deals, const World& world, Context& context,
                std::vector<Deal>& out) {
    for (const auto& [name, v] : entries(r, deals)) {
        Deal d;
        d.name = name;
        read_deal(r, v, world, context, d);
        out.push_back(d);
    }
    if (out.empty())
        r.error(deals.place(), "deals", "no deals defined; add at least one [deals.NAME] table");
}

void check_licence_classes(Reader& r, const World& world, const Context& context) {
    std::vector<std::string> known{"new", "existing"};
    std::set<std::string> lookup(known.begin(), known.end());
    for (const auto& p : world.projects)
        if (lookup.insert(p.licence_class).second) known.push_back(p.licence_class);
    for (const auto& ref : context.class_refs)
        if (!lookup.contains(ref.name))
            r.error(ref.place, ref.path,
                    "unknown licence class '" + ref.name + "'; " +
                        r.suggest(ref.name, known, "classes in use"));
}

}  // namespace nadra::detail
