// `nadra serve`'s HTTP side (cpp-httplib): the live page, served from memory, and the JSON API
// (docs/api.md) over the run manager. Nothing a request says becomes a file path: the server
// reads only its scenario's files and writes none.
#pragma once

#include <memory>
#include <string>

#include "server/run_request.hpp"

namespace nadra::server {

class Server {
  public:
    // Loads the scenario once to check it (throws RequestError with its first error).
    explicit Server(ServeConfig config);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds to `host`:`port` (0: a free port); the port bound. Throws std::runtime_error.
    int bind(const std::string& host, int port);
    // Answers requests until stop(); returns false when it could not listen.
    bool listen();
    void stop();

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace nadra::server
