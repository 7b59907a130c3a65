// libFuzzer target: the scenario loader and validator on arbitrary bytes (scripts/fuzz).
//
// An input is one or more files: the bytes up to the first line "#@file NAME" are the root file
// scenario.toml, and each such line starts the file NAME (so includes can be fuzzed too). Lines
// "#@set KEY=VALUE" in the root file are also passed as overrides. scripts/fuzz-corpus turns
// the scenarios in data/ and tests/bad-input/ into such inputs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "scenario/load.hpp"

namespace {

constexpr std::string_view file_marker = "#@file ";
constexpr std::string_view set_marker = "#@set ";

// Every line of `text` that starts with `marker`: where it starts and what follows the marker.
template <class F>
void each_marked_line(std::string_view text, std::string_view marker, F&& f) {
    for (std::size_t at = 0; at < text.size();) {
        std::size_t end = text.find('\n', at);
        if (end == std::string_view::npos) end = text.size();
        const std::string_view line = text.substr(at, end - at);
        if (line.substr(0, marker.size()) == marker) f(at, end, line.substr(marker.size()));
        at = end + 1;
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    nadra::FileSet files;
    std::string name = "scenario.toml";
    std::size_t begin = 0;
    each_marked_line(input, file_marker,
                     [&](std::size_t at, std::size_t end, std::string_view next) {
                         files[name] = std::string(input.substr(begin, at - begin));
                         name = std::string(next);
                         begin = std::min(end + 1, input.size());
                     });
    files[name] = std::string(input.substr(begin));
    nadra::Overrides overrides;
    each_marked_line(files["scenario.toml"], set_marker,
                     [&](std::size_t, std::size_t, std::string_view text) {
                         if (const auto o = nadra::parse_override(text)) overrides.push_back(*o);
                     });
    const nadra::LoadResult result = nadra::load_scenario_files(files, "scenario.toml", overrides);
    // A scenario comes back exactly when there are no errors, and every error says something.
    if (result.scenario.has_value() == !result.errors.empty()) __builtin_trap();
    for (const nadra::InputError& e : result.errors) {
        if (e.message.empty()) __builtin_trap();
        (void)nadra::format_error(e);
    }
    return 0;
}
