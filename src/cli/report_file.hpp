// The HTML report file that `run --report`, `report` and the analyses write.
#pragma once

#include <string>

#include "report/atomic_write.hpp"

namespace nadra::cli {

// Writes the HTML report of a run directory's files to `file`, whole or not at all; prints any
// error and returns false.
bool write_report(const std::string& file, const OutputFiles& run);

}  // namespace nadra::cli
