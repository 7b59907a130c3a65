// Reading typed values out of parsed TOML with every problem recorded as an InputError.
// Internal to the loader.
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "scenario/load.hpp"
#include "scenario/suggest.hpp"

namespace nadra::detail {

struct Place {
    std::string file;
    int line = 0;
    int column = 0;
};
Place place_of(const toml::source_region& source);
std::string describe(const Place& place);  // "file:line:column"
std::string number_text(double x);         // as %g: 0.3, 1.5e+09

// One table of one file, and that file's position in load order.
struct Part {
    const toml::table* table = nullptr;
    int file = 0;
};

// A key of a View with the first place it is given.
struct Item {
    std::string name;
    const toml::key* key = nullptr;
    const toml::node* node = nullptr;
    int file = 0;
};

// A logical table: one key path as it appears in one or more files (an included file may add
// to [world], for example). Where a key is given twice, the first occurrence counts.
class View {
  public:
    View() = default;
    View(std::vector<Part> parts, std::string path, Place place);

    [[nodiscard]] const std::string& path() const { return path_; }
    [[nodiscard]] const Place& place() const { return place_; }
    [[nodiscard]] std::string key_path(std::string_view key) const;
    [[nodiscard]] const toml::node* find(std::string_view key) const;
    // Every key, in input order: load order of the files, then line, then column.
    [[nodiscard]] std::vector<Item> items() const;
    // The tables under `key` in every part; absent: an empty view placed at this table.
    [[nodiscard]] View sub(std::string_view key) const;
    [[nodiscard]] const std::vector<Part>& parts() const { return parts_; }

  private:
    std::vector<Part> parts_;
    std::string path_;
    Place place_;
};

enum class Need { optional, required };

// An allowed interval for a number.
struct Range {
    double low = -std::numeric_limits<double>::infinity();
    double high = std::numeric_limits<double>::infinity();
    bool low_open = false;
    bool high_open = false;
};
inline constexpr Range any_number{};
inline constexpr Range unit_interval{0, 1};
inline constexpr Range non_negative{0};
inline constexpr Range positive{0, std::numeric_limits<double>::infinity(), true};
inline constexpr Range growth_rate{-1, 1, true};  // (1 + r) must stay positive
inline constexpr Range correlation_range{-1, 1};
inline constexpr Range unit_interval_open_above{0, 1, false, true};  // [0, 1)

template <class E>
using Choices = std::initializer_list<std::pair<std::string_view, E>>;

class Reader {
  public:
    Reader(std::vector<InputError>& errors, std::vector<UncertainInput>& uncertain)
        : errors_(errors), uncertain_(uncertain) {}

    // Records an error; after limits::max_errors it only counts them.
    void error(const Place& place, std::string key, std::string message);
    void error_at(const toml::node& node, std::string key, std::string message);
    void missing(const View& view, std::string_view key);
    [[nodiscard]] std::size_t error_count() const { return errors_.size() + dropped_; }
    [[nodiscard]] std::size_t dropped() const { return dropped_; }
    // suggestion(), or nothing once no more errors are recorded (it costs time on big inputs).
    [[nodiscard]] std::string suggest(std::string_view word,
                                      const std::vector<std::string>& candidates,
                                      std::string_view listing) const;

    // Reports every key of `view` that is not in `known`, with the nearest known key.
    void check_keys(const View& view, std::initializer_list<std::string_view> known);
    // A sub-table; reports a key that holds something else.
    View table(const View& view, std::string_view key);

    // Each reader leaves `out` unchanged when the key is absent or its value is invalid and
    // returns whether it set it.
    bool number(const View& view, std::string_view key, double& out, Range range,
                Need need = Need::optional);
    bool number(const toml::node& node, const std::string& path, double& out, Range range);
    bool integer(const View& view, std::string_view key, std::int64_t& out, std::int64_t low,
                 std::int64_t high, Need need = Need::optional);
    bool integer(const View& view, std::string_view key, int& out, int low, int high,
                 Need need = Need::optional);
    bool boolean(const View& view, std::string_view key, bool& out);
    bool string(const View& view, std::string_view key, std::string& out,
                Need need = Need::optional);
    bool string(const toml::node& node, const std::string& path, std::string& out);
    // An array of strings, each with its node (for error places).
    bool strings(const View& view, std::string_view key,
                 std::vector<std::pair<std::string, const toml::node*>>& out);
    // A number or a non-empty array of numbers (MODEL.md 2).
    bool year_list(const View& view, std::string_view key, YearList& out, Range range);
    // A name that must be one of `names`; `what` is e.g. "commodity".
    bool reference(const toml::node& node, const std::string& path,
                   const std::vector<std::string>& names, std::string_view what, int& out);
    bool resolve(const std::string& name, const Place& place, const std::string& path,
                 const std::vector<std::string>& names, std::string_view what, int& out);

    template <class E>
    bool choice(const toml::node& node, const std::string& path, E& out, Choices<E> choices) {
        std::string text;
        if (!string(node, path, text)) return false;
        std::vector<std::string> words;
        for (const auto& [word, value] : choices) {
            if (word == text) {
                out = value;
                return true;
            }
            words.emplace_back(word);
        }
        error_at(node, path, "unknown value '" + text + "'; " + suggest(text, words, "use one of"));
        return false;
    }
    template <class E>
    bool choice(const View& view, std::string_view key, E& out, Choices<E> choices,
                Need need = Need::optional) {
        const toml::node* node = present(view, key, need);
        return node && choice(*node, view.key_path(key), out, choices);
    }

    // The node at `key`, reporting it missing when required.
    const toml::node* present(const View& view, std::string_view key, Need need);

  private:
    bool finite_in(const toml::node& node, const std::string& path, double value, Range range);
    bool plain_number(const toml::node& node, const std::string& path, double& out, Range range);
    bool uncertain(const toml::table& table, const std::string& path, double& out, Range range);
    void wrong_type(const toml::node& node, const std::string& path, std::string_view expected);

    std::vector<InputError>& errors_;
    std::vector<UncertainInput>& uncertain_;
    std::size_t dropped_ = 0;
};

}  // namespace nadra::detail
