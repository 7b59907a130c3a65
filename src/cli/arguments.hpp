// How the command line reads numbers and lists as people write them: "1e5" or "100_000" paths,
// "no_deal, v5" with a space, and no negative seed wrapped round to 2^64 - 1.
#pragma once

#include <CLI/CLI.hpp>
#include <cmath>
#include <cstdint>
#include <string>

namespace nadra::cli {

// A list entry without the spaces around it.
inline CLI::Validator trimmed() {
    return {[](std::string& text) {
                const auto first = text.find_first_not_of(" \t");
                const auto last = text.find_last_not_of(" \t");
                text = first == std::string::npos ? std::string()
                                                  : text.substr(first, last - first + 1);
                return std::string();
            },
            "", "trimmed"};
}

// A whole number written with digit separators ("100_000", "100,000") or in exponent form
// ("1e5", "2.5e4"), made plain digits; a negative or fractional one is an error.
inline CLI::Validator whole_number() {
    return {[](std::string& text) -> std::string {
                std::string plain;
                for (const char c : text)
                    if (c != '_' && c != ',') plain += c;
                if (plain.empty() || plain.front() == '-')
                    return "expected a whole number of at least 0, got '" + text + "'";
                if (plain.find_first_not_of("0123456789") == std::string::npos) {
                    text = plain;
                    return {};
                }
                std::size_t used = 0;
                double value = 0;
                try {
                    value = std::stod(plain, &used);
                } catch (const std::exception&) {
                    used = 0;
                }
                if (used != plain.size() || !std::isfinite(value) || value < 0 ||
                    value != std::floor(value) || value >= 1.8e19) {
                    return "expected a whole number such as 100000, 100_000 or 1e5, got '" + text +
                           "'";
                }
                text = std::to_string(static_cast<std::uint64_t>(value));
                return {};
            },
            "", "whole number"};
}

}  // namespace nadra::cli
