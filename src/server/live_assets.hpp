// The live page, embedded at build time: web/build.mjs --live makes it (web/live.html with the
// report's style and the bundle of web/src/live/ inlined) and cmake/embed_live.cmake embeds it,
// so that the server reads no file to serve it.
#pragma once

#include <string_view>

namespace nadra::server::live_assets {

extern const std::string_view page;

}  // namespace nadra::server::live_assets
