#include "server/server.hpp"

#include <fmt/core.h>
#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "report/html_report.hpp"
#include "server/live_assets.hpp"
#include "server/scenario_api.hpp"
#include "server/variant.hpp"

namespace nadra::server {
namespace {

using json = nlohmann::json;

constexpr const char* json_type = "application/json";

// Threads answering requests: enough that slow clients do not hold up the rest.
constexpr std::size_t http_threads = 32;

void answer_json(httplib::Response& res, int status, const std::string& body) {
    res.status = status;
    res.set_content(body, json_type);
}

json error_json(const RequestError& error) {
    json out = {{"error", error.message}, {"key", error.key}};
    if (!error.errors.empty()) {
        out["errors"] = json::array();
        for (const InputError& e : error.errors)
            out["errors"].push_back({{"file", e.file},
                                     {"line", e.line},
                                     {"column", e.column},
                                     {"key", e.key},
                                     {"message", e.message},
                                     {"text", format_error(e)}});
    }
    return out;
}

void answer_error(httplib::Response& res, const RequestError& error) {
    answer_json(res, error.status, error_json(error).dump() + "\n");
}

const char* state_name(RunState state) {
    switch (state) {
        case RunState::queued:
        case RunState::running:
            return "running";
        case RunState::done:
            return "done";
        case RunState::failed:
            return "failed";
    }
    return "failed";
}

// GET /api/runs/ID: summary.json and the document spliced in as they are (no parse and dump).
std::string run_json(const std::string& id, const RunView& view) {
    const auto& inputs = *static_cast<const RunInputs*>(view.inputs.get());
    json head = {{"id", id},
                 {"state", state_name(view.state)},
                 {"queued", view.state == RunState::queued},
                 {"progress", view.progress},
                 {"paths", inputs.paths},
                 {"seed", inputs.seed},
                 {"set", inputs.sets},
                 {"deals", inputs.deals},
                 {"page", inputs.page}};
    if (view.state == RunState::failed) {
        head["error"] = view.failure.message;
        head["key"] = view.failure.key;
    }
    std::string text = head.dump();
    if (view.state == RunState::done) {
        text.pop_back();  // the closing brace
        text += ",\"summary\":" + view.result->files.at("summary.json");
        text += ",\"document\":" + document_for(view.result->files) + "}";
    }
    return text + "\n";
}

}  // namespace

struct Server::State {
    ServeConfig config;
    std::string scenario_json;
    std::string page;
    RunManager runs;
    httplib::Server http;
    std::atomic<socket_t> listening{-1};  // the listening socket, once bound

    explicit State(ServeConfig c) : config(std::move(c)), runs(config.limits) {}

    std::optional<RunView> find(const httplib::Request& req, httplib::Response& res) {
        auto view = runs.view(req.matches[1]);
        if (!view)
            answer_error(res, {404,
                               "id",
                               "id: no run '" + std::string(req.matches[1]) +
                                   "' (runs are forgotten after a while; ask again)",
                               {}});
        return view;
    }

    void routes() {
        http.Get("/", [this](const httplib::Request&, httplib::Response& res) {
            res.set_content(page, "text/html; charset=utf-8");
        });
        http.Get("/api/scenario", [this](const httplib::Request&, httplib::Response& res) {
            answer_json(res, 200, scenario_json);
        });
        http.Post("/api/run", [this](const httplib::Request& req, httplib::Response& res) {
            try {
                auto inputs = std::make_shared<const RunInputs>(read_run_request(req.body, config));
                // What the run keeps once it has finished: not the scenario it ran on, which
                // only the job holds while it runs.
                auto record = std::make_shared<RunInputs>(*inputs);
                record->loaded.reset();
                const int threads = config.threads;
                const auto id = runs.submit(
                    inputs->page,
                    [inputs, threads](const std::function<bool(double)>& progress) {
                        return execute_run(*inputs, threads, progress);
                    },
                    std::move(record));
                if (!id) {
                    answer_error(res, {429,
                                       "",
                                       fmt::format("busy: {} runs are waiting already; "
                                                   "ask again in a moment",
                                                   config.limits.queued),
                                       {}});
                    res.set_header("Retry-After", "1");
                    return;
                }
                answer_json(res, 200, json{{"id", *id}}.dump() + "\n");
            } catch (const RequestError& e) {
                answer_error(res, e);
            }
        });
        const std::string id = R"(/api/runs/([A-Za-z0-9_-]{1,40}))";
        http.Get(id, [this](const httplib::Request& req, httplib::Response& res) {
            if (auto view = find(req, res)) answer_json(res, 200, run_json(req.matches[1], *view));
        });
        // The files of a finished run; 409 while it runs or when it failed.
        const auto finished = [this](const httplib::Request& req,
                                     httplib::Response& res) -> std::optional<RunView> {
            auto view = find(req, res);
            if (view && view->state != RunState::done) {
                answer_error(res, {409,
                                   "id",
                                   "id: the run has not finished well: " +
                                       std::string(state_name(view->state)),
                                   {}});
                return std::nullopt;
            }
            return view;
        };
        http.Get(id + "/summary.json",
                 [finished](const httplib::Request& req, httplib::Response& res) {
                     if (auto view = finished(req, res))
                         answer_json(res, 200, view->result->files.at("summary.json"));
                 });
        http.Get(id + "/report.html",
                 [finished](const httplib::Request& req, httplib::Response& res) {
                     auto view = finished(req, res);
                     if (!view) return;
                     OutputFiles files = view->result->files;
                     if (!view->result->path_sample_csv.empty())
                         files["paths.csv"] = view->result->path_sample_csv;
                     res.set_content(html_report(files, utc_now()), "text/html; charset=utf-8");
                     res.set_header("Content-Disposition", "attachment; filename=\"report.html\"");
                 });
        http.Get(id + "/variant.toml", [this, finished](const httplib::Request& req,
                                                        httplib::Response& res) {
            auto view = finished(req, res);
            if (!view) return;
            const auto& inputs = *static_cast<const RunInputs*>(view->inputs.get());
            // The deal: ?deal=NAME, else the first deal a `set` changes.
            std::string deal = req.get_param_value("deal");
            for (const std::string& set : inputs.sets) {
                if (!deal.empty()) break;
                if (set.starts_with("deals.")) deal = set.substr(6, set.find('.', 6) - 6);
            }
            if (deal.empty()) {
                answer_error(
                    res,
                    {400, "deal", "deal: the run changes no deal; name one with ?deal=NAME", {}});
                return;
            }
            try {
                res.set_content(variant_toml(config, inputs.sets, deal), "application/toml");
                res.set_header("Content-Disposition",
                               "attachment; filename=\"" + deal + "-variant.toml\"");
            } catch (const RequestError& e) {
                answer_error(res, e);
            }
        });
        http.Post("/api/variant", [this](const httplib::Request& req, httplib::Response& res) {
            try {
                const LoadedVariant variant = read_variant(config, req.body);
                answer_json(res, 200,
                            json{{"deal", variant.deal}, {"set", variant.sets}}.dump() + "\n");
            } catch (const RequestError& e) {
                answer_error(res, e);
            }
        });
        // Every other answer of 400 and up carries JSON saying why (an unknown path, malformed
        // HTTP, a body over the limit).
        http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
            if (!res.body.empty()) return;
            std::string message = fmt::format("HTTP {}", res.status);
            if (res.status == 404) message = "no such page or API route: " + req.path;
            if (res.status == 413)
                message = fmt::format("the request body is over {} bytes", max_body_bytes);
            if (res.status == 400) message = "malformed request";
            answer_json(res, res.status, json{{"error", message}, {"key", ""}}.dump() + "\n");
        });
        http.set_exception_handler(
            [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
                answer_json(res, 500,
                            R"({"error": "internal error", "key": ""})"
                            "\n");
            });
    }
};

Server::Server(ServeConfig config) : state_(std::make_unique<State>(std::move(config))) {
    if (state_->config.paths > state_->config.max_paths)
        throw RequestError{400,
                           "paths",
                           fmt::format("--paths {} is over --max-paths {}: raise --max-paths, or "
                                       "use fewer paths",
                                       state_->config.paths, state_->config.max_paths),
                           {}};
    LoadAttempt attempt = try_load(state_->config.scenario, {});
    if (!attempt.loaded) {
        RequestError error{400, "", "the scenario does not load", attempt.errors};
        if (!attempt.errors.empty()) error.message = format_error(attempt.errors.front());
        throw error;
    }
    state_->scenario_json = scenario_json(*attempt.loaded, state_->config);
    state_->page = std::string(live_assets::page);
    state_->http.new_task_queue = [] { return new httplib::ThreadPool(http_threads); };
    state_->http.set_payload_max_length(max_body_bytes);
    state_->http.set_read_timeout(5, 0);
    state_->http.set_write_timeout(5, 0);
    state_->http.set_keep_alive_timeout(2);
    // Our own socket options: SO_REUSEADDR without httplib's SO_REUSEPORT (which would let
    // another server of the same user share the port), and the socket kept, to lengthen the
    // queue of connections waiting to be accepted (bind()).
    state_->http.set_socket_options([state = state_.get()](socket_t socket) {
        int yes = 1;
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
        state->listening = socket;
    });
    state_->routes();
}

Server::~Server() { stop(); }

int Server::bind(const std::string& host, int port) {
    int bound = 0;
    if (port == 0)
        bound = state_->http.bind_to_any_port(host);
    else if (state_->http.bind_to_port(host, port))
        bound = port;
    if (bound > 0) {
        // httplib listens with a backlog of 5: with many clients at once, connections beyond it
        // are dropped or reset before a thread can take them. Listening again sets the backlog.
        if (state_->listening >= 0) ::listen(state_->listening, SOMAXCONN);
        return bound;
    }
    throw std::runtime_error(
        fmt::format("cannot listen on {}:{}; is the port in use? Try "
                    "another with --port",
                    host, port));
}

bool Server::listen() { return state_->http.listen_after_bind(); }

void Server::stop() { state_->http.stop(); }

}  // namespace nadra::server
