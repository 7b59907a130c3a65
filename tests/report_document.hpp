// The results document inlined in an HTML report (report/html_report.hpp), read back.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

namespace nadra::test {

inline nlohmann::ordered_json inlined_document(const std::string& html) {
    const std::string open = "<script type=\"application/json\" id=\"nadra-results\">";
    const auto at = html.find(open);
    if (at == std::string::npos) throw std::runtime_error("the report has no results document");
    const auto start = at + open.size();
    const auto end = html.find("</script>", start);
    return nlohmann::ordered_json::parse(html.substr(start, end - start));
}

}  // namespace nadra::test
