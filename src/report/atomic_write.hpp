// Writing a run's output files so that a reader sees all of them or none of the new ones.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace nadra {

// File name (no directory part) -> contents.
using OutputFiles = std::map<std::string, std::string>;

// Creates `dir` if needed, writes each file to DIR/.NAME.tmp-PID and fsyncs it, then renames
// all into place and fsyncs the directory. On any failure it removes every temp file and every
// file already renamed in, and throws std::runtime_error naming the path and the system's
// reason. (A file that a rename had already replaced is then gone, not restored.) A name with a
// directory part, or "." or "..", is rejected with std::invalid_argument before anything is
// written.
void write_files_atomically(const std::filesystem::path& dir, const OutputFiles& files);

}  // namespace nadra
