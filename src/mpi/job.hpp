// The MPI build's side of nadra (NADRA_MPI=ON): `mpirun -n K nadra ...` runs the command on K
// ranks that share its work through analysis/workers.hpp. Rank 0 prints and writes; the others
// print nothing unless they fail. A rank that fails, or an interrupt, ends the whole job with an
// error and nothing written.
#pragma once

#include <functional>

#include "analysis/workers.hpp"

namespace nadra::mpi {

// Starts MPI, runs `command` with this rank's workers, and ends the job: MPI_Finalize when every
// rank succeeded, MPI_Abort (after saying which rank failed and why) when one did not. Returns
// the exit code (only when the job was not aborted).
int run_job(int& argc, char**& argv, const std::function<int(Workers&)>& command);

}  // namespace nadra::mpi
