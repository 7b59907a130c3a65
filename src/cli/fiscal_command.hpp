// `nadra fiscal`: one project under several fiscal regimes, on the same futures (issue 19).
#pragma once

#include <string>
#include <vector>

#include "analysis/workers.hpp"
#include "cli/commands.hpp"

namespace nadra::cli {

struct FiscalArgs {
    AnalysisArgs common;  // its deal and baseline are unused
    std::string project;
    std::vector<std::string> regimes;  // --regime, repeatable; "all" (--regimes all): every one
};
int fiscal_command(const FiscalArgs& args, Workers& workers = one_process());

}  // namespace nadra::cli
