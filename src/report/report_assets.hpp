// What the HTML report is made of, embedded at build time (cmake/embed_report.cmake): the
// template web/report.html and the charting libraries from web/node_modules.
#pragma once

#include <string_view>

namespace nadra::report_assets {

extern const std::string_view html_template;     // web/report.html, with {{NAME}} placeholders
extern const std::string_view vega_js;           // vega/build/vega.min.js
extern const std::string_view vega_lite_js;      // vega-lite/build/vega-lite.min.js
extern const std::string_view vega_embed_js;     // vega-embed/build/vega-embed.min.js
extern const std::string_view library_versions;  // "vega 6.4.0, vega-lite 6.4.1, ..."
extern const std::string_view library_licences;  // their LICENSE files, one after another

}  // namespace nadra::report_assets
