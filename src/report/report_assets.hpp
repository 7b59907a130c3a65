// The HTML report's page, built from web/ at build time (web/build.mjs bundles the front-end
// with its charting libraries; cmake/embed_report.cmake embeds the result).
#pragma once

#include <string_view>

namespace nadra::report_assets {

// The page, with the marker <!--NADRA_RESULTS--> where the results document goes.
extern const std::string_view report_page;

}  // namespace nadra::report_assets
