// A ScenarioMaker for the analysis tests: settings applied to a scenario built in C++ (no TOML),
// for the few keys the tests vary. An unknown key or value is a VariantError, as the loader's
// maker would give.
#pragma once

#include <charconv>
#include <cmath>
#include <functional>
#include <map>
#include <string>

#include "analysis/variants.hpp"
#include "scenario/scenario.hpp"

namespace nadra::test {

inline double setting_number(const Setting& setting) {
    double value = 0;
    const std::string& text = setting.value;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size()) {
        throw VariantError(setting.key + ": not a number: " + text);
    }
    return value;
}

inline Deal& deal_named(Scenario& s, const std::string& name) {
    for (Deal& d : s.deals) {
        if (d.name == name) return d;
    }
    throw VariantError("no deal " + name);
}

// Applies "deals.NAME.share", ".payout_rate", ".partner_share", ".partner_support.cash",
// ".in_kind",
// ".cap" (a number or none), "world.streams.INDEX.volume", "world.partner.discount_rate",
// "world.host.discount_rate" and "world.fund.return_mean".
inline void apply_setting(Scenario& s, const Setting& setting) {
    const std::string& key = setting.key;
    if (key.starts_with("deals.")) {
        const std::size_t dot = key.find('.', 6);
        Deal& d = deal_named(s, key.substr(6, dot - 6));
        const std::string field = key.substr(dot + 1);
        if (field == "cap") {
            d.cap = setting.value == "none" ? std::optional<double>() : setting_number(setting);
        } else if (field == "share") {
            d.share = setting_number(setting);
        } else if (field == "payout_rate") {
            d.payout_rate = setting_number(setting);
        } else if (field == "partner_share") {
            d.partner_share = setting_number(setting);
        } else if (field == "partner_support.cash") {
            d.partner_support.cash = {setting_number(setting)};
        } else if (field == "partner_support.in_kind") {
            d.partner_support.in_kind = {setting_number(setting)};
        } else {
            throw VariantError("unknown key " + key);
        }
        return;
    }
    if (key.starts_with("world.streams.")) {
        const std::size_t index = std::stoul(key.substr(14, key.find('.', 14) - 14));
        s.world.streams.at(index).volume = setting_number(setting);
    } else if (key == "world.partner.discount_rate") {
        s.world.partner_discount_rate = setting_number(setting);
    } else if (key == "world.host.discount_rate") {
        s.world.host_discount_rate = setting_number(setting);
    } else if (key == "world.fund.return_mean") {
        s.world.fund.return_mean = setting_number(setting);
    } else {
        throw VariantError("unknown key " + key);
    }
}

inline ScenarioMaker maker_of(const Scenario& base) {
    return [base](const Settings& settings) {
        Scenario s = base;
        for (const Setting& setting : settings) apply_setting(s, setting);
        return s;
    };
}

}  // namespace nadra::test
