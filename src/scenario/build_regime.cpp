// Fiscal regimes (MODEL.md 3.6): royalty rates and band tables, profit split tables.
#include <string>

#include "scenario/build.hpp"

namespace nadra::detail {

namespace {

std::string element(const std::string& path, std::size_t i) {
    return path + "[" + std::to_string(i) + "]";
}

// The array at `key` of a table, each element a table; reports anything else.
std::vector<View> table_array(Reader& r, const View& v, std::string_view key) {
    const toml::node* node = r.present(v, key, Need::required);
    if (!node) return {};
    const std::string path = v.key_path(key);
    const auto* array = node->as_array();
    if (!array || array->empty()) {
        r.error_at(*node, path, "expected a non-empty array of tables, e.g. [{ ... }, { ... }]");
        return {};
    }
    std::vector<View> out;
    for (std::size_t i = 0; i < array->size(); ++i) {
        const auto* table = (*array)[i].as_table();
        if (table)
            out.emplace_back(std::vector<Part>{{table, 0}}, element(path, i),
                             place_of(table->source()));
        else
            r.error_at((*array)[i], element(path, i), "wrong type: expected a table { ... }");
    }
    return out;
}

// Bounds of a table must rise strictly; reports the first that does not.
bool rising(Reader& r, const std::vector<View>& rows, const std::vector<double>& bounds,
            std::string_view key) {
    for (std::size_t i = 1; i < bounds.size(); ++i) {
        if (bounds[i] > bounds[i - 1]) continue;
        r.error(rows[i].place(), rows[i].key_path(key),
                std::string(key) + " " + number_text(bounds[i]) +
                    " is not above the previous "
                    "row's " +
                    number_text(bounds[i - 1]) + "; order the rows by " + std::string(key) +
                    ", each above the last");
        return false;
    }
    return true;
}

bool read_band_mode(Reader& r, const View& v, std::string_view key, BandMode& out, Need need) {
    return r.choice(v, key, out,
                    Choices<BandMode>{{"whole", BandMode::whole}, {"marginal", BandMode::marginal}},
                    need);
}

void read_bands(Reader& r, const View& v, RoyaltySchedule& out) {
    r.check_keys(v, {"band_mode", "bands"});
    BandMode table_mode = BandMode::whole;
    bool ok = read_band_mode(r, v, "band_mode", table_mode, Need::required);
    const std::vector<View> rows = table_array(r, v, "bands");
    std::vector<RoyaltyBand> bands;
    std::vector<double> lowers;
    for (const View& row : rows) {
        r.check_keys(row, {"lower", "rate", "mode"});
        RoyaltyBand band{0, 0, table_mode};
        ok = r.number(row, "lower", band.lower, non_negative, Need::required) & ok;
        ok = r.number(row, "rate", band.rate, unit_interval, Need::required) & ok;
        if (!read_band_mode(r, row, "mode", band.mode, Need::optional) && row.find("mode"))
            ok = false;
        bands.push_back(band);
        lowers.push_back(band.lower);
    }
    if (ok && !rows.empty() && rows.size() == bands.size() && rising(r, rows, lowers, "lower"))
        out = {0, bands};
}

void read_profit_split(Reader& r, const View& v, ProfitSplit& out) {
    const toml::node* node = v.find("profit_split");
    if (!node) return;
    const std::string path = v.key_path("profit_split");
    if (!node->is_array()) {
        double split = 0;
        if (r.number(*node, path, split, unit_interval)) out = {split, {}};
        return;
    }
    const std::vector<View> rows = table_array(r, v, "profit_split");
    ProfitSplit result;
    std::vector<double> thresholds;
    bool ok = !rows.empty();
    for (const View& row : rows) {
        r.check_keys(row, {"r_factor", "split"});
        ProfitSplitRow entry;
        ok = r.number(row, "r_factor", entry.r_factor, non_negative, Need::required) & ok;
        ok = r.number(row, "split", entry.split, unit_interval, Need::required) & ok;
        result.table.push_back(entry);
        thresholds.push_back(entry.r_factor);
    }
    if (ok && rising(r, rows, thresholds, "r_factor")) out = result;
}

void read_coverage(Reader& r, const View& v, Regime& regime, Context& context) {
    std::vector<std::pair<std::string, const toml::node*>> names;
    r.strings(v, "commodities", names);
    for (const auto& [name, node] : names) {
        int index = 0;
        if (r.reference(*node, v.key_path("commodities"), context.commodities, "commodity", index))
            regime.commodities.push_back(name);
    }
    names.clear();
    r.strings(v, "licence_classes", names);
    for (const auto& [name, node] : names) {
        regime.licence_classes.push_back(name);
        context.class_refs.push_back(
            {name, place_of(node->source()), v.key_path("licence_classes")});
    }
}

// rent_tax = { rate, uplift } (MODEL.md 3.6, v1.3).
void read_rent_tax(Reader& r, const View& v, std::optional<RentTax>& out) {
    const toml::node* node = v.find("rent_tax");
    if (!node) return;
    const std::string path = v.key_path("rent_tax");
    const auto* table = node->as_table();
    if (!table) {
        r.error_at(*node, path, "expected a table, e.g. rent_tax = { rate = 0.4, uplift = 0.1 }");
        return;
    }
    const View rent(std::vector<Part>{{table, 0}}, path, place_of(table->source()));
    r.check_keys(rent, {"rate", "uplift"});
    RentTax tax;
    bool ok = r.number(rent, "rate", tax.rate, unit_interval, Need::required);
    ok = r.number(rent, "uplift", tax.uplift, non_negative, Need::required) & ok;
    if (ok) out = tax;
}

// Fields that a concession does not use: an error rather than silently ignored.
void check_concession(Reader& r, const View& v, const Regime& regime) {
    if (regime.type != RegimeType::concession) return;
    for (const char* key : {"cost_recovery_limit", "limit_base", "profit_split"})
        if (const toml::node* node = v.find(key))
            r.error_at(*node, v.key_path(key),
                       std::string(key) +
                           " applies only to production sharing; set type = "
                           "\"production_sharing\" or remove it");
}

}  // namespace

void read_royalty(Reader& r, const View& v, RoyaltySchedule& out) {
    const toml::node* node = v.find("royalty_rate");
    if (!node) return;
    const std::string path = v.key_path("royalty_rate");
    const auto* table = node->as_table();
    if (table && !table->contains("value")) {
        read_bands(r, View({{table, 0}}, path, place_of(table->source())), out);
        return;
    }
    double rate = 0;
    if (r.number(*node, path, rate, unit_interval)) out = {rate, {}};
}

void read_regime(Reader& r, const View& v, Regime& regime, Context& context, bool is_override) {
    if (is_override)
        r.check_keys(v,
                     {"type", "royalty_rate", "cost_recovery_limit", "limit_base", "profit_split",
                      "tax_rate", "depreciation_years", "state_equity", "rent_tax", "stabilised"});
    else
        r.check_keys(
            v, {"type", "royalty_rate", "cost_recovery_limit", "limit_base", "profit_split",
                "tax_rate", "depreciation_years", "state_equity", "rent_tax", "stabilised", "then",
                "from_year", "commodities", "licence_classes"});
    r.choice(v, "type", regime.type,
             Choices<RegimeType>{{"concession", RegimeType::concession},
                                 {"production_sharing", RegimeType::production_sharing}});
    read_royalty(r, v, regime.royalty);
    r.number(v, "cost_recovery_limit", regime.cost_recovery_limit, unit_interval);
    r.choice(v, "limit_base", regime.limit_base,
             Choices<LimitBase>{{"R", LimitBase::revenue},
                                {"R_minus_royalty", LimitBase::revenue_minus_royalty}});
    read_profit_split(r, v, regime.profit_split);
    r.number(v, "tax_rate", regime.tax_rate, unit_interval);
    r.integer(v, "depreciation_years", regime.depreciation_years, 1, 100);
    r.number(v, "state_equity", regime.state_equity, unit_interval);
    read_rent_tax(r, v, regime.rent_tax);
    r.boolean(v, "stabilised", regime.stabilised);
    check_concession(r, v, regime);
    if (!is_override) read_coverage(r, v, regime, context);
}

}  // namespace nadra::detail
