#include <string>

#include "server/live_assets.hpp"

namespace nadra::server {

std::string live_page() {
    std::string page(live_assets::html_template);
    const std::string placeholder = "{{SCRIPT}}";
    const auto at = page.find(placeholder);
    if (at != std::string::npos) page.replace(at, placeholder.size(), live_assets::script);
    return page;
}

}  // namespace nadra::server
