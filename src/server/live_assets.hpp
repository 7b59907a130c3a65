// The live page, embedded at build time (cmake/embed_live.cmake): web/live.html with the
// bundle of web/src/live/ inlined, so that the server reads no file to serve it.
#pragma once

#include <string>
#include <string_view>

namespace nadra::server {

namespace live_assets {
extern const std::string_view html_template;  // web/live.html, with {{SCRIPT}}
extern const std::string_view script;         // the bundle of web/src/live/main.ts
}  // namespace live_assets

// The page: the template with the script in place.
std::string live_page();

}  // namespace nadra::server
