#include "server/variant.hpp"

#include <fmt/core.h>
#include <toml++/toml.h>

#include <charconv>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>
#include <sstream>

#include "report/terms_json.hpp"
#include "scenario/builtin.hpp"
#include "scenario/limits.hpp"

namespace nadra::server {
namespace {

[[noreturn]] void refuse(int status, const std::string& key, const std::string& message) {
    throw RequestError{status, key, key.empty() ? message : key + ": " + message, {}};
}

std::vector<std::string> split_key(const std::string& key) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto dot = key.find('.', start);
        parts.push_back(key.substr(start, dot - start));
        if (dot == std::string::npos) return parts;
        start = dot + 1;
    }
}

std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20)
                    out += fmt::format("\\u{:04x}", static_cast<int>(c));
                else
                    out += c;
        }
    }
    return out + "\"";
}

std::string key_text(const std::string& key) {
    const bool bare = !key.empty() && key.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyz"
                                          "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_-") == std::string::npos;
    return bare ? key : quoted(key);
}

// A TOML value as a `set` writes it: numbers shortest-round-trip (0.3, not 0.29999999999999999),
// so that a value read back is written as the page wrote it.
std::string value_text(const toml::node& node) {
    if (const auto* d = node.as_floating_point()) {
        char buffer[64];
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, d->get()).ptr;
        std::string text(buffer, end);
        // Still a TOML float: "1" would read back as an integer (and 1e19 written out in full
        // would not fit one).
        if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
        return text;
    }
    if (const auto* i = node.as_integer()) return std::to_string(i->get());
    if (const auto* b = node.as_boolean()) return b->get() ? "true" : "false";
    if (const auto* s = node.as_string()) return quoted(s->get());
    if (const auto* a = node.as_array()) {
        std::string out = "[";
        for (const toml::node& item : *a) out += (out.size() > 1 ? ", " : "") + value_text(item);
        return out + "]";
    }
    if (const auto* t = node.as_table()) {
        std::string out = "{ ";
        bool first = true;
        for (const auto& [key, value] : *t) {
            out +=
                (first ? "" : ", ") + key_text(std::string(key.str())) + " = " + value_text(value);
            first = false;
        }
        return out + (first ? "}" : " }");
    }
    std::ostringstream out;  // dates and times
    node.visit([&out](const auto& value) { out << value; });
    return out.str();
}

// `table` as a TOML table headed [HEADER], its values first, then each table in it as its own
// [HEADER.KEY]: values written as value_text() writes them, so 0.3 stays 0.3.
void write_table(std::ostringstream& out, const toml::table& table, const std::string& header) {
    const auto section = [](const toml::node& node) {
        const auto* t = node.as_table();
        return t && !t->is_inline();
    };
    out << "[" << header << "]\n";
    for (const auto& [key, value] : table)
        if (!section(value))
            out << key_text(std::string(key.str())) << " = " << value_text(value) << "\n";
    for (const auto& [key, value] : table) {
        if (!section(value)) continue;
        out << "\n";
        write_table(out, *value.as_table(), header + "." + key_text(std::string(key.str())));
    }
}

// KEY.PATH -> value text of every value of `table`; inline tables ({value, low, high}) are values.
void flatten(const toml::table& table, const std::string& prefix,
             std::map<std::string, std::string>& out) {
    for (const auto& [key, value] : table) {
        const std::string path = prefix + std::string(key.str());
        if (const auto* t = value.as_table(); t && !t->is_inline())
            flatten(*t, path + ".", out);
        else
            out[path] = value_text(value);
    }
}

std::string read_scenario_file(const ServeConfig& config, const std::string& file) {
    if (config.scenario.empty()) {
        const auto found = builtin_scenario().find(file);
        return found == builtin_scenario().end() ? std::string() : found->second;
    }
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

struct BaseDeal {
    toml::table table;             // [deals.NAME] as the scenario's files give it
    nlohmann::ordered_json terms;  // the deal's terms as terms.json writes them
};

BaseDeal base_deal(const ServeConfig& config, const std::string& deal) {
    LoadAttempt attempt = try_load(config.scenario, {});
    if (!attempt.loaded)
        refuse(500, "",
               "the scenario no longer loads: " + (attempt.errors.empty()
                                                       ? std::string("unknown error")
                                                       : format_error(attempt.errors.front())));
    const Scenario& scenario = attempt.loaded->scenario;
    std::vector<int> all(scenario.deals.size());
    std::iota(all.begin(), all.end(), 0);
    std::string names;
    for (const Deal& d : scenario.deals) names += (names.empty() ? "" : ", ") + d.name;
    const auto terms = nlohmann::ordered_json::parse(terms_json(scenario, all));
    for (const auto& entry : terms["deals"]) {
        if (entry["name"] != deal) continue;
        for (const std::string& file : attempt.files) {
            try {
                const toml::table root =
                    toml::parse(read_scenario_file(config, file), std::string_view(file));
                if (const auto* table = root["deals"][deal].as_table()) return {*table, entry};
            } catch (const toml::parse_error&) {
                // a file changed since; the others may still hold the deal
            }
        }
    }
    refuse(404, "deal", fmt::format("no deal named '{}'; the scenario has: {}", deal, names));
}

// The deal's term KEY (parts after deals.NAME.) as terms.json gives it, for "old -> new".
std::string term_text(const nlohmann::ordered_json& terms, const std::vector<std::string>& parts) {
    const nlohmann::ordered_json* at = &terms;
    for (std::size_t i = 2; i < parts.size(); ++i) {
        if (!at->is_object() || !at->contains(parts[i])) return "(default)";
        at = &(*at)[parts[i]];
    }
    if (at->is_null()) return "none";
    if (at->is_string()) return at->get<std::string>();
    return at->dump();
}

}  // namespace

std::string variant_toml(const ServeConfig& config, const std::vector<std::string>& sets,
                         const std::string& deal) {
    BaseDeal base = base_deal(config, deal);
    toml::table& table = base.table;
    std::vector<std::string> changes, besides;
    for (const std::string& set : sets) {
        const auto o = parse_override(set);
        if (!o) continue;  // the run's sets were checked when it was asked for
        const std::vector<std::string> parts = split_key(o->key);
        if (parts.size() < 3 || parts[0] != "deals" || parts[1] != deal) {
            besides.push_back("--set " + set);
            continue;
        }
        toml::table value_table;
        try {
            value_table = toml::parse("v=" + o->value);
        } catch (const toml::parse_error&) {
            value_table = toml::parse("v=" + quoted(o->value));  // a bare word is a string
        }
        toml::table* at = &table;
        for (std::size_t i = 2; i + 1 < parts.size(); ++i) {
            auto* next = (*at)[parts[i]].as_table();
            if (!next)
                next = at->insert_or_assign(parts[i], toml::table{}).first->second.as_table();
            at = next;
        }
        changes.push_back(fmt::format("{} {} -> {}", o->key.substr(7 + deal.size()),
                                      term_text(base.terms, parts), o->value));
        at->insert_or_assign(parts.back(), *value_table.get("v"));
    }
    std::ostringstream out;
    out << "# changed from deal " << deal << ": "
        << (changes.empty() ? std::string("nothing") : "");
    for (std::size_t i = 0; i < changes.size(); ++i) out << (i ? ", " : "") << changes[i];
    if (!besides.empty()) {
        out << "\n# The run also had, outside this deal (not in this file):";
        for (const std::string& b : besides) out << " " << b;
    }
    out << "\n# Saved by nadra serve. A deal file (docs/scenario-format.md): list it in a "
           "scenario's include\n# in place of the deal's own file, or load it back on the page.\n";
    write_table(out, table, "deals." + key_text(deal));
    return out.str();
}

LoadedVariant read_variant(const ServeConfig& config, std::string_view toml_text) {
    if (const auto problem = limits::check_text(toml_text))
        refuse(400, "",
               fmt::format("variant.toml:{}:{}: {}", problem->line, problem->column,
                           problem->message));
    toml::table root;
    try {
        root = toml::parse(toml_text, std::string_view("variant.toml"));
    } catch (const toml::parse_error& e) {
        refuse(400, "",
               fmt::format("variant.toml:{}:{}: syntax error: {}; fix the TOML syntax",
                           e.source().begin.line, e.source().begin.column, e.description()));
    }
    const auto* deals = root["deals"].as_table();
    if (root.size() != 1 || !deals || deals->size() != 1 || !deals->begin()->second.is_table())
        refuse(400, "deals",
               "a variant file holds exactly one [deals.NAME] table, as nadra serve saves it");
    const std::string deal(deals->begin()->first.str());
    BaseDeal base;
    try {
        base = base_deal(config, deal);
    } catch (RequestError& e) {
        if (e.status == 404) e.status = 400;  // the file names the deal: bad input
        throw;
    }
    std::map<std::string, std::string> theirs, ours;
    flatten(*deals->begin()->second.as_table(), "", theirs);
    flatten(base.table, "", ours);
    LoadedVariant variant{deal, {}};
    for (const auto& [key, value] : ours) {
        if (!theirs.contains(key))
            refuse(400, "deals." + deal + "." + key,
                   "missing; a variant changes a deal's values but cannot remove one: give it "
                   "its value (" +
                       value + ")");
    }
    for (const auto& [key, value] : theirs) {
        const auto found = ours.find(key);
        if (found == ours.end() || found->second != value)
            variant.sets.push_back("deals." + deal + "." + key + "=" + value);
    }
    LoadAttempt attempt = try_load(config.scenario, variant.sets);
    if (!attempt.loaded) {
        RequestError error{400, "deals." + deal, "", attempt.errors};
        if (!attempt.errors.empty()) {
            error.key = attempt.errors.front().key;
            error.message = format_error(attempt.errors.front());
        }
        throw error;
    }
    return variant;
}

}  // namespace nadra::server
