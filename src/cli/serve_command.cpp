// `nadra serve`: the live page and its JSON API (src/server, docs/api.md).
#include <fmt/core.h>

#include <csignal>
#include <thread>

#include "cli/commands.hpp"
#include "server/server.hpp"

namespace nadra::cli {
namespace {

server::Server* running = nullptr;

extern "C" void stop_serving(int) {
    // httplib's stop() only closes the listening socket and sets a flag: safe enough here, and
    // the process ends right after.
    if (running) running->stop();
}

}  // namespace

int serve_command(const ServeArgs& args) {
    const bool loopback =
        args.bind == "127.0.0.1" || args.bind == "::1" || args.bind == "localhost";
    if (!loopback) {
        fmt::print(stderr,
                   "warning: --bind {}: the page and its API will answer anyone who can reach "
                   "this address; there is no login. Use the default 127.0.0.1 unless the "
                   "network is yours\n",
                   args.bind);
    }
    server::ServeConfig config;
    config.scenario = args.scenario;
    config.max_paths = args.max_paths;
    config.paths = args.paths;
    config.threads = args.threads;
    config.limits.running = args.runs;
    config.memory_budget = args.memory_budget;
    try {
        server::Server server(config);
        const int port = server.bind(args.bind, args.port);
        const std::string host =
            args.bind.find(':') != std::string::npos ? "[" + args.bind + "]" : args.bind;
        fmt::print("nadra serve: open http://{}:{}/ (Ctrl-C stops)\n", host, port);
        std::fflush(stdout);
        running = &server;
        std::signal(SIGINT, stop_serving);
        std::signal(SIGTERM, stop_serving);
        const bool ok = server.listen();
        running = nullptr;
        return ok ? exit_ok : exit_invalid;
    } catch (const server::RequestError& e) {
        for (const InputError& error : e.errors) fmt::print(stderr, "{}\n", format_error(error));
        if (e.errors.empty()) fmt::print(stderr, "error: {}\n", e.message);
        return exit_invalid;
    } catch (const std::exception& e) {
        fmt::print(stderr, "error: {}\n", e.what());
        return exit_invalid;
    }
}

}  // namespace nadra::cli
