#include "scenario/reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <tuple>

#include "scenario/limits.hpp"

namespace nadra::detail {

Place place_of(const toml::source_region& source) {
    return {source.path ? *source.path : std::string(), static_cast<int>(source.begin.line),
            static_cast<int>(source.begin.column)};
}

std::string number_text(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", x);
    return buffer;
}

std::string describe(const Place& place) {
    return place.file + ":" + std::to_string(place.line) + ":" + std::to_string(place.column);
}

View::View(std::vector<Part> parts, std::string path, Place place)
    : parts_(std::move(parts)), path_(std::move(path)), place_(std::move(place)) {}

std::string View::key_path(std::string_view key) const {
    return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

const toml::node* View::find(std::string_view key) const {
    for (const auto& part : parts_)
        if (const toml::node* node = part.table->get(key)) return node;
    return nullptr;
}

std::vector<Item> View::items() const {
    std::vector<Item> items;
    std::set<std::string, std::less<>> seen;
    for (const auto& part : parts_)
        for (const auto& [key, node] : *part.table)
            if (seen.insert(std::string(key.str())).second)
                items.push_back({std::string(key.str()), &key, &node, part.file});
    const auto order = [](const Item& item) {
        return std::tuple(item.file, item.key->source().begin.line,
                          item.key->source().begin.column);
    };
    std::sort(items.begin(), items.end(),
              [&](const Item& a, const Item& b) { return order(a) < order(b); });
    return items;
}

View View::sub(std::string_view key) const {
    std::vector<Part> parts;
    for (const auto& part : parts_)
        if (const toml::table* table = part.table->get_as<toml::table>(key))
            parts.push_back({table, part.file});
    // An absent table has no line; its file is the parent's.
    Place place =
        parts.empty() ? Place{place_.file, 0, 0} : place_of(parts.front().table->source());
    return View(std::move(parts), key_path(key), std::move(place));
}

void Reader::error(const Place& place, std::string key, std::string message) {
    if (errors_.size() >= limits::max_errors) {
        ++dropped_;
        return;
    }
    errors_.push_back({place.file, place.line, place.column, std::move(key), std::move(message)});
}

std::string Reader::suggest(std::string_view word, const std::vector<std::string>& candidates,
                            std::string_view listing) const {
    return errors_.size() >= limits::max_errors ? "" : suggestion(word, candidates, listing);
}

void Reader::error_at(const toml::node& node, std::string key, std::string message) {
    error(place_of(node.source()), std::move(key), std::move(message));
}

void Reader::missing(const View& view, std::string_view key) {
    error(view.place(), view.key_path(key),
          "missing required key '" + std::string(key) + "'; add `" + std::string(key) +
              " = ...` under [" + view.path() + "]");
}

const toml::node* Reader::present(const View& view, std::string_view key, Need need) {
    const toml::node* node = view.find(key);
    if (!node && need == Need::required) missing(view, key);
    return node;
}

void Reader::check_keys(const View& view, std::initializer_list<std::string_view> known) {
    const std::vector<std::string> words(known.begin(), known.end());
    for (const auto& item : view.items()) {
        if (std::find(words.begin(), words.end(), item.name) != words.end()) continue;
        error(place_of(item.key->source()), view.key_path(item.name),
              "unknown key '" + item.name + "'; " + suggest(item.name, words, "known keys"));
    }
}

View Reader::table(const View& view, std::string_view key) {
    const toml::node* node = view.find(key);
    if (node && !node->is_table()) wrong_type(*node, view.key_path(key), "a table");
    return view.sub(key);
}

namespace {

std::string type_name(const toml::node& node) {
    switch (node.type()) {
        case toml::node_type::string:
            return "a string";
        case toml::node_type::integer:
            return "an integer";
        case toml::node_type::floating_point:
            return "a number";
        case toml::node_type::boolean:
            return "a boolean";
        case toml::node_type::table:
            return "a table";
        case toml::node_type::array:
            return "an array";
        default:
            return "a date or time";
    }
}

std::string range_text(Range range) {
    const bool bounded_above = std::isfinite(range.high);
    const std::string low = number_text(range.low), high = number_text(range.high);
    if (!std::isfinite(range.low)) return "a number";
    if (!bounded_above) return std::string(range.low_open ? "a number > " : "a number >= ") + low;
    if (range.high_open) {
        return std::string(range.low_open ? "a number > " : "a number >= ") + low + " and < " +
               high;
    }
    if (range.low_open) return "a number > " + low + " and <= " + high;
    return "a number between " + low + " and " + high;
}

}  // namespace

void Reader::wrong_type(const toml::node& node, const std::string& path,
                        std::string_view expected) {
    error_at(node, path,
             "wrong type: expected " + std::string(expected) + ", found " + type_name(node));
}

bool Reader::finite_in(const toml::node& node, const std::string& path, double value, Range range) {
    if (!std::isfinite(value)) {
        error_at(node, path, "not a finite number; write an ordinary number");
        return false;
    }
    const bool above_low = range.low_open ? value > range.low : value >= range.low;
    const bool below_high = range.high_open ? value < range.high : value <= range.high;
    if (above_low && below_high) return true;
    error_at(node, path, "out of range: " + number_text(value) + "; use " + range_text(range));
    return false;
}

bool Reader::plain_number(const toml::node& node, const std::string& path, double& out,
                          Range range) {
    double value = 0;
    if (const auto* i = node.as_integer())
        value = static_cast<double>(i->get());
    else if (const auto* f = node.as_floating_point())
        value = f->get();
    else {
        wrong_type(node, path, "a number");
        return false;
    }
    if (!finite_in(node, path, value, range)) return false;
    out = value;
    return true;
}

bool Reader::uncertain(const toml::table& table, const std::string& path, double& out,
                       Range range) {
    const View view({{&table, 0}}, path, place_of(table.source()));
    check_keys(view, {"value", "low", "high", "label"});
    double values[3] = {0, 0, 0};
    bool ok = true;
    const char* keys[3] = {"value", "low", "high"};
    for (int i = 0; i < 3; ++i) {
        const toml::node* node = present(view, keys[i], Need::required);
        ok = node && plain_number(*node, view.key_path(keys[i]), values[i], range) && ok;
    }
    // A few words for reports where the key path would not say what the input is.
    std::string label;
    if (view.find("label")) ok = string(view, "label", label) && ok;
    if (!ok) return false;
    const auto [value, low, high] = values;
    if (!(low <= value && value <= high)) {
        error_at(table, path,
                 "an uncertain number needs low <= value <= high; got low " + number_text(low) +
                     ", value " + number_text(value) + ", high " + number_text(high));
        return false;
    }
    uncertain_.push_back({path, value, low, high, label});
    out = value;
    return true;
}

bool Reader::number(const toml::node& node, const std::string& path, double& out, Range range) {
    const auto* table = node.as_table();
    if (table && table->contains("value")) return uncertain(*table, path, out, range);
    if (table) {
        wrong_type(node, path, "a number, or { value = ..., low = ..., high = ... }");
        return false;
    }
    return plain_number(node, path, out, range);
}

bool Reader::number(const View& view, std::string_view key, double& out, Range range, Need need) {
    const toml::node* node = present(view, key, need);
    return node && number(*node, view.key_path(key), out, range);
}

bool Reader::integer(const View& view, std::string_view key, std::int64_t& out, std::int64_t low,
                     std::int64_t high, Need need) {
    const toml::node* node = present(view, key, need);
    if (!node) return false;
    const std::string path = view.key_path(key);
    std::int64_t value = 0;
    const auto* f = node->as_floating_point();
    if (const auto* i = node->as_integer())
        value = i->get();
    else if (f && std::trunc(f->get()) == f->get() && std::abs(f->get()) < 1e15)
        value = static_cast<std::int64_t>(f->get());  // 2026.0 is a whole number too
    else {
        wrong_type(*node, path, "an integer");
        return false;
    }
    if (value < low || value > high) {
        error_at(*node, path,
                 "out of range: " + std::to_string(value) + "; use an integer between " +
                     std::to_string(low) + " and " + std::to_string(high));
        return false;
    }
    out = value;
    return true;
}

bool Reader::integer(const View& view, std::string_view key, int& out, int low, int high,
                     Need need) {
    std::int64_t value = 0;
    if (!integer(view, key, value, low, high, need)) return false;
    out = static_cast<int>(value);
    return true;
}

bool Reader::boolean(const View& view, std::string_view key, bool& out) {
    const toml::node* node = view.find(key);
    if (!node) return false;
    if (const auto* b = node->as_boolean()) {
        out = b->get();
        return true;
    }
    wrong_type(*node, view.key_path(key), "true or false");
    return false;
}

bool Reader::string(const toml::node& node, const std::string& path, std::string& out) {
    if (const auto* s = node.as_string()) {
        out = s->get();
        return true;
    }
    wrong_type(node, path, "a string (in quotes)");
    return false;
}

bool Reader::string(const View& view, std::string_view key, std::string& out, Need need) {
    const toml::node* node = present(view, key, need);
    return node && string(*node, view.key_path(key), out);
}

bool Reader::strings(const View& view, std::string_view key,
                     std::vector<std::pair<std::string, const toml::node*>>& out) {
    const toml::node* node = view.find(key);
    if (!node) return false;
    const std::string path = view.key_path(key);
    const auto* array = node->as_array();
    if (!array) {
        wrong_type(*node, path, "an array of strings, e.g. [\"a\", \"b\"]");
        return false;
    }
    bool ok = true;
    for (std::size_t i = 0; i < array->size(); ++i) {
        std::string text;
        const std::string element = path + "[" + std::to_string(i) + "]";
        if (string((*array)[i], element, text))
            out.emplace_back(std::move(text), array->get(i));
        else
            ok = false;
    }
    return ok;
}

bool Reader::year_list(const View& view, std::string_view key, YearList& out, Range range) {
    const toml::node* node = view.find(key);
    if (!node) return false;
    const std::string path = view.key_path(key);
    const auto* array = node->as_array();
    YearList list(1, 0.0);
    if (!array) {
        if (!number(*node, path, list[0], range)) return false;
        out = list;
        return true;
    }
    if (array->empty()) {
        error_at(*node, path, "empty list; give at least one number (the last one repeats)");
        return false;
    }
    list.assign(array->size(), 0.0);
    bool ok = true;
    for (std::size_t i = 0; i < array->size(); ++i)
        ok = number((*array)[i], path + "[" + std::to_string(i) + "]", list[i], range) && ok;
    if (ok) out = list;
    return ok;
}

bool Reader::reference(const toml::node& node, const std::string& path,
                       const std::vector<std::string>& names, std::string_view what, int& out) {
    std::string name;
    return string(node, path, name) &&
           resolve(name, place_of(node.source()), path, names, what, out);
}

bool Reader::resolve(const std::string& name, const Place& place, const std::string& path,
                     const std::vector<std::string>& names, std::string_view what, int& out) {
    const auto found = std::find(names.begin(), names.end(), name);
    if (found != names.end()) {
        out = static_cast<int>(found - names.begin());
        return true;
    }
    error(place, path,
          "undefined " + std::string(what) + " '" + name + "'; " +
              suggest(name, names, "defined names"));
    return false;
}

}  // namespace nadra::detail
