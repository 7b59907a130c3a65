#!/usr/bin/env python3
"""Strong and weak scaling of `mpirun -n K nadra` (BENCHMARKS.md, "MPI"), as efficiency against
K = 1, and a model of the efficiency at many ranks from what the runs measure.

Usage: mpi_scaling.py NADRA [--quick] [--ranks 1,2,4,8] [--run-paths N] [--weak-paths N]
       [--sobol ARGS]
NADRA is a build with -DNADRA_MPI=ON (`make mpi`). Every rank runs one thread (--threads 1), so
that K ranks use K cores; ranks beyond the machine's cores are oversubscribed and marked so.
"""
import argparse
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

ENV = dict(os.environ, OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1",
           OMPI_MCA_btl_vader_single_copy_mechanism="none", NADRA_MPI_TIMES="1")


def timed(nadra, ranks, args, out):
    """Wall seconds of one job, and rank 0's block times (run only)."""
    command = ["mpirun", "--oversubscribe", "--bind-to", "none", "-n", str(ranks), nadra, *args,
               "--threads", "1", "--out", out]
    start = time.perf_counter()
    done = subprocess.run(command, env=ENV, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"mpi_scaling: {' '.join(command)} failed:\n{done.stderr[-2000:]}")
    times = {}
    match = re.search(r"mpi-times: (.*)", done.stderr)
    if match:
        words = match.group(1).split()
        times = {words[i]: float(words[i + 1]) for i in range(0, len(words), 2)}
    shutil.rmtree(out, ignore_errors=True)
    return seconds, times


def table(title, rows, cores):
    print(f"\n{title}")
    print("| ranks | work | seconds | efficiency |")
    print("|---:|---|---:|---:|")
    for ranks, work, seconds, efficiency in rows:
        mark = " (oversubscribed)" if ranks > cores else ""
        print(f"| {ranks}{mark} | {work} | {seconds:.2f} | {efficiency:.2f} |")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("nadra")
    parser.add_argument("--quick", action="store_true", help="small sizes (CI, make bench)")
    parser.add_argument("--ranks", default="1,2,4,8")
    parser.add_argument("--run-paths", type=int, help="strong scaling of run (default 10^6)")
    parser.add_argument("--weak-paths", type=int, help="weak scaling of run: paths a rank")
    parser.add_argument("--sobol", help="sobol's arguments (default: its defaults)")
    parser.add_argument("--weak-ranks", type=int, default=8, help="weak scaling up to this K")
    a = parser.parse_args()
    ranks = [int(k) for k in a.ranks.split(",")]
    run_paths = a.run_paths or (4_000 if a.quick else 1_000_000)
    weak_paths = a.weak_paths or (2_000 if a.quick else 100_000)
    sobol = (a.sobol or ("--paths 40 --samples 8 --bootstrap 50 --top 3" if a.quick else "")).split()
    sobol_samples = 64
    for i, word in enumerate(sobol):
        if word == "--samples":
            sobol_samples = int(sobol[i + 1])
    cores = os.cpu_count() or 1
    work = tempfile.mkdtemp(prefix="nadra-mpi-bench-")
    print(f"MPI scaling: {a.nadra}, {cores} cores, one thread a rank; built-in scenario")

    strong, weak, sobol_strong, sobol_weak = [], [], [], []
    block_times = {}
    for k in ranks:
        seconds, times = timed(a.nadra, k, ["run", "--paths", str(run_paths)], f"{work}/r")
        strong.append((k, seconds))
        block_times[k] = times
        args = ["sobol", "--deal", "v5", *sobol]
        seconds, _ = timed(a.nadra, k, args, f"{work}/s")
        sobol_strong.append((k, seconds))
        if k > a.weak_ranks:
            continue
        seconds, _ = timed(a.nadra, k, ["run", "--paths", str(weak_paths * k)], f"{work}/w")
        weak.append((k, seconds))
        weak_args = [w for w in args]
        if "--samples" in weak_args:
            weak_args[weak_args.index("--samples") + 1] = str(sobol_samples * k)
        else:
            weak_args += ["--samples", str(sobol_samples * k)]
        seconds, _ = timed(a.nadra, k, weak_args, f"{work}/sw")
        sobol_weak.append((k, seconds))

    t1 = strong[0][1]
    table(f"run, strong scaling: {run_paths:,} paths", [
        (k, f"{run_paths:,} paths", s, t1 / (k * s)) for k, s in strong], cores)
    t1 = weak[0][1]
    table(f"run, weak scaling: {weak_paths:,} paths a rank", [
        (k, f"{weak_paths * k:,} paths", s, t1 / s) for k, s in weak], cores)
    t1 = sobol_strong[0][1]
    label = " ".join(sobol) or "its defaults"
    table(f"sobol, strong scaling: {label}", [
        (k, f"N = {sobol_samples}", s, t1 / (k * s)) for k, s in sobol_strong], cores)
    t1 = sobol_weak[0][1]
    table(f"sobol, weak scaling: N = {sobol_samples} a rank", [
        (k, f"N = {sobol_samples * k}", s, t1 / s) for k, s in sobol_weak], cores)

    # The model. Start: a job of one block, at each K (mpirun, MPI, loading the scenario).
    # run: every rank takes every block in path order (a broadcast from the rank that simulated
    # it) and summarises its share of the series. With C1 the consuming at K = 1 and C2 at K = 2,
    # the series' own work S = 2 (C1 - C2) splits, the rest U = C1 - S (reading the blocks into
    # columns, the counts) does not; nor does receiving every block. So K ranks take at least
    # start + max(simulation / K, U + S / K + blocks x bytes / bandwidth).
    print("\nModel of larger jobs (from the runs above):")
    start = {k: timed(a.nadra, k, ["run", "--paths", "256"], f"{work}/f")[0] for k in ranks}
    print("- start (a job of one block of 256 paths): " +
          ", ".join(f"{start[k]:.2f} s at K = {k}" for k in ranks))
    t1, t2 = block_times.get(1), block_times.get(2)
    if t1 and t2:
        total = strong[0][1]
        blocks = math.ceil(run_paths / 256)
        c1, c2 = t1["consuming"], t2["consuming"]
        split = max(0.0, min(c1, 2 * (c1 - c2)))
        unsplit = c1 - split
        per_block_bytes = t2["bytes_received"] / max(1, t2["blocks_received"])
        simulate = max(0.0, total - start[ranks[0]] - c1)
        bandwidth = 10e9  # bytes a second a rank receives: a cluster's InfiniBand, roughly
        receive = blocks * per_block_bytes / bandwidth
        print(f"- run, {run_paths:,} paths on one rank: {total:.1f} s = start "
              f"{start[ranks[0]]:.1f} s + simulation {simulate:.1f} s + statistics {c1:.1f} s, of "
              f"which {split:.1f} s splits between ranks (each series on one rank) and "
              f"{unsplit:.1f} s does not (every rank reads every block); blocks of "
              f"{per_block_bytes / 1e6:.1f} MB; at K = 2 this machine spent "
              f"{t2['receiving']:.1f} s a rank broadcasting and waiting for blocks")
        for k in (64, 1024):
            floor = unsplit + split / k + receive
            tk = start[ranks[-1]] + max(simulate / k, floor)
            print(f"  K = {k}: at least {tk:.1f} s, efficiency at most {total / (k * tk):.3f}: "
                  f"bound by what every rank does with every block ({unsplit:.1f} s reading, "
                  f"{receive:.1f} s receiving {blocks * per_block_bytes / 1e9:.1f} GB at "
                  f"{bandwidth / 1e9:.0f} GB/s)")
    # sobol: a screening tornado (1 + F pieces, each factor's two runs) when the scenario has more
    # factors F than --top, then N (top + 2) runs; each piece on rank i mod K.
    listed = subprocess.run([a.nadra, "tornado", "--list"], env=ENV, capture_output=True,
                            text=True).stdout.splitlines()
    factors = sum(1 for line in listed if line and not line.startswith(" "))
    top, paths = 8, 200
    for i, word in enumerate(sobol):
        if word == "--top":
            top = int(sobol[i + 1])
        if word == "--paths":
            paths = int(sobol[i + 1])
    s1 = sobol_strong[0][1]

    def sobol_runs(n, k):  # runs on the busiest of k ranks
        screen = 0 if factors <= top else 2 * math.ceil((1 + factors) / k)
        return screen + math.ceil(n * (min(top, factors) + 2) / k)

    per_run = max(0.0, s1 - start[ranks[0]]) / sobol_runs(sobol_samples, 1)
    print(f"- sobol ({label}), one rank: {s1:.1f} s = start {start[ranks[0]]:.1f} s + "
          f"{sobol_runs(sobol_samples, 1)} runs (a tornado over {factors} factors, then "
          f"N x {min(top, factors) + 2}) of {per_run * 1e3:.1f} ms")
    for k, n, scale in ((64, sobol_samples, 1), (1024, sobol_samples, 1),
                        (64, 1024, 10_000 / paths), (1024, 1024, 10_000 / paths)):
        t_run = per_run * scale  # a run's time grows with its paths
        tk = start[ranks[-1]] + sobol_runs(n, k) * t_run
        t_one = start[ranks[0]] + sobol_runs(n, 1) * t_run
        print(f"  K = {k}, N = {n}, {round(paths * scale):,} paths a run: {sobol_runs(n, k)} "
              f"runs on the busiest rank, efficiency about {t_one / (k * tk):.2f}")
    shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    main()
