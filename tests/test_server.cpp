// `nadra serve` (src/server): the run manager's queue and cancellation with stand-in jobs, and
// the HTTP API on an ephemeral loopback port: results equal `nadra run --set` byte for byte,
// every bad input is a 4xx naming the key, and no request reaches a file.
#include <arpa/inet.h>
#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "process.hpp"
#include "server/run_manager.hpp"
#include "server/server.hpp"

namespace {

using namespace std::chrono_literals;
using nadra::server::RunLimits;
using nadra::server::RunManager;
using nadra::server::RunState;
using nlohmann::json;
using ::testing::HasSubstr;

// A stand-in run: reports progress until released or cancelled.
nadra::server::Job waiting_job(std::atomic<bool>& release) {
    return [&release](const std::function<bool(double)>& progress) {
        while (!release) {
            if (!progress(0.5)) throw std::runtime_error("stopped");
            std::this_thread::sleep_for(2ms);
        }
        return nadra::server::RunFiles{{{"summary.json", "{}"}}, ""};
    };
}

RunState wait_finished(const RunManager& runs, const std::string& id) {
    for (int i = 0; i < 5000; ++i) {
        const auto view = runs.view(id);
        if (view && (view->state == RunState::done || view->state == RunState::failed))
            return view->state;
        std::this_thread::sleep_for(2ms);
    }
    return RunState::running;
}

TEST(RunManager, QueuesUpToItsLimitThenRefuses) {
    std::atomic<bool> release{false};
    RunManager runs(RunLimits{1, 1, 8});
    const auto a = runs.submit("", waiting_job(release));
    ASSERT_TRUE(a);
    // Until the worker takes the first run, it is the one queued.
    for (int i = 0; i < 1000 && runs.view(*a)->state == RunState::queued; ++i)
        std::this_thread::sleep_for(1ms);
    const auto b = runs.submit("", waiting_job(release));
    ASSERT_TRUE(b);
    EXPECT_EQ(runs.view(*b)->state, RunState::queued);
    EXPECT_FALSE(runs.submit("", waiting_job(release)));  // one running, one waiting: full
    EXPECT_EQ(runs.active(), 2);
    release = true;
    EXPECT_EQ(wait_finished(runs, *a), RunState::done);
    EXPECT_EQ(wait_finished(runs, *b), RunState::done);
    EXPECT_EQ(runs.view(*b)->result->files.at("summary.json"), "{}");
}

TEST(RunManager, ANewerRunOfThePageCancelsItsStaleOne) {
    std::atomic<bool> never{false}, release{false};
    RunManager runs(RunLimits{2, 4, 8});
    const auto stale = runs.submit("page-1", waiting_job(never));
    const auto other = runs.submit("page-2", waiting_job(release));
    const auto newer = runs.submit("page-1", waiting_job(release));
    ASSERT_TRUE(stale && other && newer);
    EXPECT_EQ(wait_finished(runs, *stale), RunState::failed);
    EXPECT_THAT(runs.view(*stale)->failure.message, HasSubstr("cancelled"));
    release = true;
    EXPECT_EQ(wait_finished(runs, *other), RunState::done);  // another page's run goes on
    EXPECT_EQ(wait_finished(runs, *newer), RunState::done);
}

TEST(RunManager, ForgetsTheOldestFinishedRuns) {
    std::atomic<bool> release{true};
    RunManager runs(RunLimits{1, 4, 2});
    std::vector<std::string> ids;
    for (int i = 0; i < 4; ++i) {
        ids.push_back(*runs.submit("", waiting_job(release)));
        wait_finished(runs, ids.back());
    }
    EXPECT_FALSE(runs.view(ids[0]));
    EXPECT_FALSE(runs.view(ids[1]));
    EXPECT_TRUE(runs.view(ids[3]));
}

// A server on a free loopback port for the test's life.
class Served {
  public:
    explicit Served(nadra::server::ServeConfig config) : server_(std::move(config)) {
        port_ = server_.bind("127.0.0.1", 0);
        thread_ = std::thread([this] { server_.listen(); });
    }
    ~Served() {
        server_.stop();
        thread_.join();
    }
    int port() const { return port_; }
    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port_);
        c.set_read_timeout(60, 0);
        return c;
    }

  private:
    nadra::server::Server server_;
    int port_ = 0;
    std::thread thread_;
};

nadra::server::ServeConfig test_config() {
    nadra::server::ServeConfig config;
    config.max_paths = 50'000;
    return config;
}

// Bytes sent on a fresh connection, and everything the server answers before it closes.
std::string raw_exchange(int port, const std::string& bytes) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        close(fd);
        return {};
    }
    // No shutdown of our side: the server may take an early end of input for a dead client and
    // close without answering. It closes after answering (Connection: close, or an error); the
    // timeout keeps a test from hanging where it would not.
    timeval timeout{10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    (void)!write(fd, bytes.data(), bytes.size());
    // Until the server closes, or one whole answer is in (a 400 keeps the connection open).
    std::string answer;
    char buffer[4096];
    for (ssize_t n; (n = read(fd, buffer, sizeof buffer)) > 0;) {
        answer.append(buffer, static_cast<std::size_t>(n));
        const auto end = answer.find("\r\n\r\n");
        const auto length = answer.find("Content-Length: ");
        if (end == std::string::npos || length == std::string::npos || length > end) continue;
        if (answer.size() >= end + 4 + std::stoul(answer.substr(length + 16))) break;
    }
    close(fd);
    return answer;
}

json wait_run(httplib::Client& client, const std::string& id) {
    for (int i = 0; i < 6000; ++i) {
        const auto res = client.Get("/api/runs/" + id);
        if (!res || res->status != 200) return {};
        json status = json::parse(res->body);
        if (status["state"] != "running") return status;
        std::this_thread::sleep_for(20ms);
    }
    return {};
}

std::string post_run(httplib::Client& client, const json& request) {
    const auto res = client.Post("/api/run", request.dump(), "application/json");
    if (!res || res->status != 200) return {};
    return json::parse(res->body)["id"].get<std::string>();
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(Server, ScenarioListsTheDealsTheirTermsAndTheUncertainInputs) {
    Served served(test_config());
    auto client = served.client();
    const auto res = client.Get("/api/scenario");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
    const json scenario = json::parse(res->body);
    EXPECT_EQ(scenario["baseline"], "no_deal");
    EXPECT_EQ(scenario["preview_paths"], 10'000);
    bool found = false;
    for (const json& deal : scenario["deals"]) {
        if (deal["name"] != "v5") continue;
        found = true;
        EXPECT_EQ(deal["terms"]["share"], 0.5);
        EXPECT_EQ(deal["terms"]["lock_years"], 10);
        EXPECT_EQ(deal["terms"]["ownership"], "pro_rata");
    }
    EXPECT_TRUE(found);
    ASSERT_FALSE(scenario["uncertain_inputs"].empty());
    EXPECT_TRUE(scenario["uncertain_inputs"][0].contains("low"));
    const auto page = client.Get("/");
    ASSERT_TRUE(page);
    EXPECT_EQ(page->status, 200);
    EXPECT_THAT(page->body, HasSubstr("<main id=\"live\">"));
    // web/build.mjs --live put the report's style and the bundle in place of their markers.
    EXPECT_EQ(page->body.find("/*STYLE*/"), std::string::npos);
    EXPECT_EQ(page->body.find("/*BUNDLE*/"), std::string::npos);
    EXPECT_THAT(page->body, HasSubstr("table.gains td.gains"));
}

TEST(Server, PathsOptionSetsARunsPathsAndThePagesFullRun) {
    nadra::server::ServeConfig config = test_config();
    config.paths = 700;
    Served served(config);
    auto client = served.client();
    const auto res = client.Get("/api/scenario");
    ASSERT_TRUE(res);
    const json scenario = json::parse(res->body);
    EXPECT_EQ(scenario["paths"], 700);  // the built-in scenario's own is 10,000
    EXPECT_EQ(scenario["preview_paths"], 10'000);
    const std::string id = post_run(client, {{"deals", {"no_deal", "v5"}}});
    ASSERT_FALSE(id.empty());
    const json status = wait_run(client, id);
    ASSERT_EQ(status["state"], "done") << status.dump();
    EXPECT_EQ(status["paths"], 700);
    EXPECT_EQ(status["summary"]["paths"], 700);

    config.paths = config.max_paths + 1;
    try {
        nadra::server::Server refused(config);
        ADD_FAILURE() << "--paths over --max-paths was accepted";
    } catch (const nadra::server::RequestError& e) {
        EXPECT_EQ(e.key, "paths");
        EXPECT_THAT(e.message, HasSubstr("--max-paths"));
    }
}

TEST(Server, ARunEqualsNadraRunWithTheSameSetsByteForByte) {
    Served served(test_config());
    auto client = served.client();
    const json request = {{"set", {"deals.v5.share=0.3", "deals.v5.lock_years=12"}},
                          {"paths", 3000},
                          {"seed", 7},
                          {"deals", {"no_deal", "v5"}},
                          {"page", "test"}};
    const std::string id = post_run(client, request);
    ASSERT_FALSE(id.empty());
    const json status = wait_run(client, id);
    ASSERT_EQ(status["state"], "done") << status.dump();
    EXPECT_EQ(status["progress"], 1.0);
    const auto summary = client.Get("/api/runs/" + id + "/summary.json");
    ASSERT_TRUE(summary);

    nadra::test::TempDir dir("serve-equal");
    const std::string command =
        std::string(NADRA_BINARY) +
        " run --set deals.v5.share=0.3 --set deals.v5.lock_years=12 --paths 3000 --seed 7 "
        "--deals no_deal,v5 --out " +
        (dir.path() / "out").string() + " > /dev/null";
    ASSERT_EQ(std::system(command.c_str()), 0);
    const std::string expected = read_file(dir.path() / "out" / "summary.json");
    ASSERT_FALSE(expected.empty());
    EXPECT_EQ(summary->body, expected);
    // The status carries the same document, and the results document with it.
    EXPECT_EQ(status["summary"], json::parse(expected));
    EXPECT_EQ(status["document"]["summary"], json::parse(expected));
    EXPECT_EQ(status["document"]["terms"]["deals"][1]["share"], 0.3);

    const auto report = client.Get("/api/runs/" + id + "/report.html");
    ASSERT_TRUE(report);
    EXPECT_EQ(report->status, 200);
    EXPECT_THAT(report->body, HasSubstr("<html"));
}

TEST(Server, AVariantSavedAndLoadedBackGivesTheSameNumbers) {
    Served served(test_config());
    auto client = served.client();
    const json request = {{"set", {"deals.v5.lock_years=12", "deals.v5.share=0.3"}},
                          {"paths", 2000},
                          {"deals", {"no_deal", "v5"}}};
    const std::string id = post_run(client, request);
    const json first = wait_run(client, id);
    ASSERT_EQ(first["state"], "done");
    const auto variant = client.Get("/api/runs/" + id + "/variant.toml?deal=v5");
    ASSERT_TRUE(variant);
    ASSERT_EQ(variant->status, 200) << variant->body;
    EXPECT_THAT(variant->body,
                HasSubstr("# changed from deal v5: lock_years 10 -> 12, share 0.5 -> 0.3"));
    EXPECT_THAT(variant->body, HasSubstr("[deals.v5]"));

    const auto loaded = client.Post("/api/variant", variant->body, "application/toml");
    ASSERT_TRUE(loaded);
    ASSERT_EQ(loaded->status, 200) << loaded->body;
    const json back = json::parse(loaded->body);
    EXPECT_EQ(back["deal"], "v5");
    EXPECT_EQ(back["set"], request["set"]);  // in key order, which the request kept
    json again = request;
    again["set"] = back["set"];
    const json second = wait_run(client, post_run(client, again));
    ASSERT_EQ(second["state"], "done");
    EXPECT_EQ(second["summary"], first["summary"]);

    // And it is a deal file: in place of the deal's own file, `nadra run` gives the same gains.
    nadra::test::TempDir dir("serve-variant");
    const std::string init =
        std::string(NADRA_BINARY) + " init " + (dir.path() / "scenario").string() + " > /dev/null";
    ASSERT_EQ(std::system(init.c_str()), 0);
    std::ofstream(dir.path() / "scenario" / "deals" / "v5.toml") << variant->body;
    const std::string run =
        std::string(NADRA_BINARY) + " run " + (dir.path() / "scenario" / "scenario.toml").string() +
        " --paths 2000 --deals no_deal,v5 --out " + (dir.path() / "out").string() + " > /dev/null";
    ASSERT_EQ(std::system(run.c_str()), 0);
    const json from_file = json::parse(read_file(dir.path() / "out" / "summary.json"));
    EXPECT_EQ(from_file["gains"], first["summary"]["gains"]);
}

TEST(Server, BadInputsAre400sNamingTheKey) {
    nadra::server::ServeConfig config = test_config();
    Served served(config);
    auto client = served.client();
    const auto expect_400 = [&](const std::string& body, const std::string& key,
                                const std::string& words) {
        const auto res = client.Post("/api/run", body, "application/json");
        ASSERT_TRUE(res) << body;
        EXPECT_EQ(res->status, 400) << body;
        const json answer = json::parse(res->body);
        EXPECT_EQ(answer["key"], key) << body << " -> " << res->body;
        EXPECT_THAT(answer["error"].get<std::string>(), HasSubstr(words)) << body;
    };
    expect_400(R"({"set": ["deals.v5.share=1.5"]})", "deals.v5.share", "out of range");
    expect_400(R"({"set": ["deals.v5.shar=0.3"]})", "deals.v5.shar", "did you mean 'share'");
    expect_400(R"({"set": ["deals.v9.share=0.3"]})", "deals.v9.share", "no deal named 'v9'");
    expect_400(R"({"set": ["no equals sign"]})", "set", "expected KEY=VALUE");
    expect_400(R"({"set": "deals.v5.share=0.3"})", "set", "expected a list");
    expect_400(R"({"paths": -3})", "paths", "at least 1");
    expect_400(R"({"paths": 2.5})", "paths", "whole number");
    expect_400(R"({"paths": 60000})", "paths", "over this server's limit of 50000");
    expect_400(R"({"seed": "one"})", "seed", "whole number");
    expect_400(R"({"deals": ["v5", "v99"]})", "deals", "no deal named 'v99'");
    expect_400(R"({"sets": []})", "sets", "unknown key");
    expect_400(R"({"set": [)", "body", "not JSON");
    expect_400(R"([1, 2])", "body", "JSON object");
    expect_400("", "body", "not JSON");

    const auto unknown = client.Get("/api/runs/r999999");
    ASSERT_TRUE(unknown);
    EXPECT_EQ(unknown->status, 404);
    EXPECT_EQ(json::parse(unknown->body)["key"], "id");
    const auto bad_variant = client.Post("/api/variant", "[deals.v5\nshare = ", "application/toml");
    ASSERT_TRUE(bad_variant);
    EXPECT_EQ(bad_variant->status, 400);
    EXPECT_THAT(bad_variant->body, HasSubstr("variant.toml:"));
    const auto wrong_deal = client.Post("/api/variant", "[deals.v99]\nshare = 0.3\n", "text/plain");
    ASSERT_TRUE(wrong_deal);
    EXPECT_EQ(wrong_deal->status, 400);
    EXPECT_EQ(json::parse(wrong_deal->body)["key"], "deal");
    const auto bad_value = client.Post("/api/variant", "[deals.v5]\nshare = 2.0\n", "text/plain");
    ASSERT_TRUE(bad_value);
    EXPECT_EQ(bad_value->status, 400);
}

TEST(Server, RefusesRunsOverTheMemoryBudget) {
    nadra::server::ServeConfig config = test_config();
    config.memory_budget = 1'000'000;  // 1 MB: not even one run's working space
    Served served(config);
    auto client = served.client();
    const auto res = client.Post("/api/run", R"({"paths": 1000})", "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 400);
    const json answer = json::parse(res->body);
    EXPECT_EQ(answer["key"], "paths");
    EXPECT_THAT(answer["error"].get<std::string>(), HasSubstr("memory"));
}

TEST(Server, RefusesBodiesOverOneMegabyte) {
    Served served(test_config());
    auto client = served.client();
    const std::string big = R"({"set": [")" + std::string(1'100'000, 'x') + R"("]})";
    const auto res = client.Post("/api/run", big, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 413);
}

TEST(Server, MalformedHttpIsA400) {
    Served served(test_config());
    for (const std::string& bytes :
         {std::string("GARBAGE\r\n\r\n"), std::string("GET /api/scenario HTTP/9.9 extra\r\n\r\n"),
          std::string("POST /api/run HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n{}"),
          std::string("\x16\x03\x01 not a request\r\n\r\n")}) {
        const std::string answer = raw_exchange(served.port(), bytes);
        EXPECT_THAT(answer, HasSubstr(" 400 ")) << bytes;
    }
    // And it still answers.
    auto client = served.client();
    const auto res = client.Get("/api/scenario");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
}

TEST(Server, NoRequestReachesAFile) {
    Served served(test_config());
    for (const std::string target :
         {"/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
          "/api/runs/../../../etc/passwd", "/api/runs/..%2F..%2F..%2Fetc%2Fpasswd/report.html",
          "/api/runs/%2e%2e%2f%2e%2e%2fetc%2fpasswd", "/api/runs/r1/..%2f..%2fsummary.json",
          "/static/..%252f..%252fetc%252fpasswd", "/web/live.html", "/CMakeLists.txt"}) {
        const std::string answer = raw_exchange(served.port(), "GET " + target +
                                                                   " HTTP/1.1\r\nHost: x\r\n"
                                                                   "Connection: close\r\n\r\n");
        EXPECT_THAT(answer, ::testing::AnyOf(HasSubstr(" 404 "), HasSubstr(" 400 "))) << target;
        EXPECT_EQ(answer.find("root:"), std::string::npos) << target;
        EXPECT_EQ(answer.find("cmake_minimum_required"), std::string::npos) << target;
    }
}

TEST(Server, RunsBeyondTheQueueAre429) {
    nadra::server::ServeConfig config = test_config();
    config.limits = {1, 1, 8};
    config.max_paths = 1'000'000;
    Served served(config);
    auto client = served.client();
    int refused = 0;
    for (int i = 0; i < 3; ++i) {
        const json request = {{"paths", 400'000}, {"page", fmt::format("p{}", i)}};
        const auto res = client.Post("/api/run", request.dump(), "application/json");
        ASSERT_TRUE(res);
        if (res->status == 429) {
            ++refused;
            EXPECT_THAT(res->body, HasSubstr("busy"));
        } else {
            EXPECT_EQ(res->status, 200);
        }
    }
    EXPECT_GE(refused, 1);  // one runs, one waits: the third at the latest is refused
}

}  // namespace

namespace {

TEST(Serve, PrintsTheAddressWarnsOffLoopbackAndStopsOnCtrlC) {
    nadra::test::Spawn spawn;
    spawn.args = {NADRA_BINARY, "serve", "--port", "0", "--bind", "0.0.0.0"};
    spawn.send = SIGINT;
    spawn.send_after = 1.5;
    spawn.timeout = 30;
    const nadra::test::Exit exit = nadra::test::spawn(spawn);
    EXPECT_EQ(exit.code, 0) << exit.err;
    EXPECT_THAT(exit.out, HasSubstr("nadra serve: open http://0.0.0.0:"));
    EXPECT_THAT(exit.err, HasSubstr("warning: --bind 0.0.0.0"));

    spawn.args = {NADRA_BINARY, "serve", "--port", "0"};  // loopback: no warning
    const nadra::test::Exit quiet = nadra::test::spawn(spawn);
    EXPECT_EQ(quiet.code, 0) << quiet.err;
    EXPECT_THAT(quiet.out, HasSubstr("nadra serve: open http://127.0.0.1:"));
    EXPECT_EQ(quiet.err, "");
}

}  // namespace
