// Running the `nadra` binary as a child process for tests: separate stdout and stderr, the exit
// code or the signal that ended it, and optionally a signal sent to it after a delay.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

namespace nadra::test {

// A fresh folder in the system's temporary folder, named for this process so that test runs at
// the same time do not meet, and removed with everything in it at the end of its scope.
class TempDir {
  public:
    explicit TempDir(const std::string& name)
        : path_(std::filesystem::temp_directory_path() /
                ("nadra-test-" + std::to_string(getpid()) + "-" + name)) {
        std::filesystem::remove_all(path_);
        std::filesystem::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    [[nodiscard]] const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

struct Exit {
    int code = -1;                // exit status, or -1 when a signal ended the process
    int signal = 0;               // the signal that ended it, or 0
    std::string out;              // stdout
    std::string err;              // stderr
    double seconds = 0;           // from start to exit
    double after_signal = -1;     // from sending `send` to exit; -1 when none was sent
    bool killed_by_test = false;  // ran past `timeout` and was killed
};

struct Spawn {
    std::vector<std::string> args;          // args[0] is the program
    std::string cwd;                        // empty: the test's
    std::optional<int> send;                // a signal to send...
    double send_after = 1.0;                // ...this many seconds after start
    double timeout = 120;                   // then SIGKILL and fail
    std::vector<std::string> shell_prefix;  // e.g. {"sh", "-c", "ulimit -f 8; exec \"$0\" \"$@\""}
};

inline Spawn command(std::vector<std::string> args) {
    Spawn s;
    s.args = std::move(args);
    return s;
}

inline Exit spawn(const Spawn& s) {
    using clock = std::chrono::steady_clock;
    Exit e;
    int out_pipe[2], err_pipe[2];
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) return e;
    const auto start = clock::now();
    const pid_t pid = fork();
    if (pid < 0) return e;
    if (pid == 0) {
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) close(fd);
        if (!s.cwd.empty() && chdir(s.cwd.c_str()) != 0) _exit(126);
        std::vector<std::string> all = s.shell_prefix;
        all.insert(all.end(), s.args.begin(), s.args.end());
        std::vector<char*> argv;
        for (auto& a : all) argv.push_back(a.data());
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    close(out_pipe[1]);
    close(err_pipe[1]);
    std::array<pollfd, 2> fds{{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}}};
    std::array<std::string*, 2> sinks{&e.out, &e.err};
    std::optional<clock::time_point> sent;
    int open_fds = 2;
    const auto seconds_since = [&](clock::time_point t) {
        return std::chrono::duration<double>(clock::now() - t).count();
    };
    while (open_fds > 0) {
        const double now = seconds_since(start);
        if (s.send && !sent && now >= s.send_after) {
            kill(pid, *s.send);
            sent = clock::now();
        }
        if (now > s.timeout && !e.killed_by_test) {
            kill(pid, SIGKILL);
            e.killed_by_test = true;
        }
        if (poll(fds.data(), fds.size(), 10) < 0 && errno != EINTR) break;
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char buffer[65536];
            const ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
            if (n > 0) {
                sinks[i]->append(buffer, static_cast<std::size_t>(n));
            } else if (n == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open_fds;
            }
        }
    }
    int status = 0;
    // The pipes close at exit; wait for the process itself, still honouring the signal.
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (s.send && !sent && seconds_since(start) >= s.send_after) {
            kill(pid, *s.send);
            sent = clock::now();
        }
        if (seconds_since(start) > s.timeout && !e.killed_by_test) {
            kill(pid, SIGKILL);
            e.killed_by_test = true;
        }
        usleep(1000);
    }
    e.seconds = seconds_since(start);
    if (sent) e.after_signal = seconds_since(*sent);
    if (WIFEXITED(status)) e.code = WEXITSTATUS(status);
    if (WIFSIGNALED(status)) e.signal = WTERMSIG(status);
    return e;
}

// The lines of `text`, without their newlines.
inline std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> lines;
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t end = text.find('\n', begin);
        if (end == std::string::npos) end = text.size();
        lines.push_back(text.substr(begin, end - begin));
        begin = end + 1;
    }
    return lines;
}

}  // namespace nadra::test
