#include "report/html_report.hpp"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <ctime>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "report/report_assets.hpp"

namespace nadra {
namespace {

namespace fs = std::filesystem;
using nlohmann::ordered_json;

// Where the page takes its results document (web/src/page.html).
constexpr std::string_view results_marker = "<!--NADRA_RESULTS-->";

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) throw std::runtime_error("cannot read " + path.string());
    return text.str();
}

}  // namespace

OutputFiles read_run_directory(const fs::path& dir) {
    OutputFiles files;
    for (const char* name : {"sweep", "breakeven", "tornado", "sobol", "fiscal"}) {
        const std::string file = std::string(name) + ".json";
        if (fs::exists(dir / file)) files[file] = read_file(dir / file);
    }
    const bool run = fs::exists(dir / "summary.json");
    if (run || files.empty()) {
        for (const char* name : {"summary.json", "fund_bands.csv", "cap_curve.csv"}) {
            if (!fs::exists(dir / name))
                throw std::runtime_error(fmt::format(
                    "{} has no {}: is it the --out directory of a nadra run?", dir.string(), name));
            files[name] = read_file(dir / name);
        }
        for (const char* name : {"terms.json", "paths.csv"})
            if (fs::exists(dir / name)) files[name] = read_file(dir / name);
    }
    return files;
}

std::string script_json(const ordered_json& json) {
    const std::string text = json.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
    std::string out;
    out.reserve(text.size() + text.size() / 64);
    for (const char c : text) {
        switch (c) {
            case '<':
                out += "\\u003c";
                break;
            case '>':
                out += "\\u003e";
                break;
            case '&':
                out += "\\u0026";
                break;
            default:
                out += c;
        }
    }
    return out;
}

std::string html_page(const ordered_json& document) {
    const std::string_view page = report_assets::report_page;
    const std::size_t at = page.find(results_marker);
    if (at == std::string_view::npos) throw std::logic_error("report page: no results marker");
    std::string html;
    html.reserve(page.size() + (1 << 20));
    html.append(page.substr(0, at));
    html += "<script type=\"application/json\" id=\"nadra-results\">";
    html += script_json(document);
    html += "</script>";
    html.append(page.substr(at + results_marker.size()));
    return html;
}

std::string html_report(const OutputFiles& files, std::string_view generated) {
    return html_page(results_document(files, generated));
}

std::string utc_now() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    gmtime_r(&now, &utc);
    return fmt::format("{:04}-{:02}-{:02} {:02}:{:02} UTC", utc.tm_year + 1900, utc.tm_mon + 1,
                       utc.tm_mday, utc.tm_hour, utc.tm_min);
}

}  // namespace nadra
