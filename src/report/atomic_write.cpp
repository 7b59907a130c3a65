#include "report/atomic_write.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <vector>

namespace nadra {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(std::string_view what, const fs::path& path, int error) {
    throw std::runtime_error("cannot " + std::string(what) + " " + path.string() + ": " +
                             std::generic_category().message(error));
}

void check_name(const std::string& name) {
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
        throw std::invalid_argument("not a plain file name: '" + name + "'");
    }
}

fs::path temp_path(const fs::path& dir, const std::string& name) {
    return dir / ("." + name + ".tmp-" + std::to_string(::getpid()));
}

void write_all(int fd, const fs::path& path, std::string_view content) {
    while (!content.empty()) {
        const ssize_t written = ::write(fd, content.data(), content.size());
        if (written < 0 && errno == EINTR) continue;
        if (written < 0) fail("write", path, errno);
        content.remove_prefix(static_cast<std::size_t>(written));
    }
}

// Writes, fsyncs and closes; the fd is closed on every path out.
void finish_file(int fd, const fs::path& path, std::string_view content) {
    try {
        write_all(fd, path, content);
        if (::fsync(fd) != 0) fail("sync", path, errno);
    } catch (...) {
        ::close(fd);
        throw;
    }
    if (::close(fd) != 0) fail("close", path, errno);
}

// The renames are durable only once the directory itself is synced.
void sync_directory(const fs::path& dir) {
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) fail("open directory", dir, errno);
    const int result = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (result != 0) fail("sync directory", dir, error);
}

void remove_all_quietly(const std::vector<fs::path>& paths) {
    std::error_code ignored;
    for (const fs::path& path : paths) fs::remove(path, ignored);
}

}  // namespace

void write_files_atomically(const fs::path& dir, const OutputFiles& files) {
    for (const auto& [name, content] : files) check_name(name);
    std::error_code error;
    fs::create_directories(dir, error);
    if (error) fail("create directory", dir, error.value());

    std::vector<fs::path> temps;  // only files this call created, so cleanup removes nothing else
    std::vector<fs::path> renamed;
    try {
        for (const auto& [name, content] : files) {
            const fs::path temp = temp_path(dir, name);
            const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
            if (fd < 0) fail("create", temp, errno);
            temps.push_back(temp);
            finish_file(fd, temp, content);
        }
        std::size_t i = 0;
        for (const auto& [name, content] : files) {
            const fs::path target = dir / name;
            if (::rename(temps[i++].c_str(), target.c_str()) != 0) fail("rename to", target, errno);
            renamed.push_back(target);
        }
        sync_directory(dir);
    } catch (...) {
        remove_all_quietly(temps);
        remove_all_quietly(renamed);
        throw;
    }
}

}  // namespace nadra
