#!/usr/bin/env bash
# The MPI build's promise (docs/cluster.md): every output file of run, sweep, breakeven, tornado,
# sobol and fiscal on K = 1, 2, 3 and 4 ranks is byte for byte the one process's; paths that do not
# divide evenly by K, and fewer blocks than ranks; a rank that fails ends the job with an error
# that names it, and nothing is written.
# Usage: check_ranks.sh NADRA WORKDIR (NADRA built with -DNADRA_MPI=ON).
set -euo pipefail
nadra=$1
work=$2
# Open MPI refuses root without these (CI and containers run as root); more ranks than cores
# need --oversubscribe; no shared-memory single-copy, which containers often forbid.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
mpirun=(mpirun --oversubscribe --bind-to none)
rm -rf "$work"
mkdir -p "$work"
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# check NAME ARGS...: ARGS on one process (no mpirun), then on K ranks, compared file by file.
check() {
  local name=$1
  shift
  local one="$work/$name-one"
  if ! "$nadra" "$@" --threads 1 --out "$one" > "$one.log" 2>&1; then
    fail "$name on one process: $(tail -3 "$one.log")"
    return
  fi
  local files
  files=$(ls "$one")
  for k in 1 2 3 4; do
    local out="$work/$name-$k"
    if ! "${mpirun[@]}" -n "$k" "$nadra" "$@" --threads 1 --out "$out" > "$out.log" 2>&1; then
      fail "$name on $k ranks: $(tail -5 "$out.log")"
      continue
    fi
    [ "$(ls "$out")" = "$files" ] || fail "$name on $k ranks wrote $(ls "$out" | tr '\n' ' ')"
    for f in $files; do
      cmp -s "$one/$f" "$out/$f" || fail "$name on $k ranks: $f differs from one process's"
    done
    echo "ok: $name on $k ranks: $(echo $files | wc -w) files identical"
  done
}

# 1,000 paths are 4 blocks of 256 (the last 232): uneven over 3 ranks; 300 paths are 2 blocks,
# fewer than 3 or 4 ranks.
check run-1000 run --paths 1000
check run-300 run --paths 300 --per-path
check run-sets run --paths 700 --sample-inputs 3 --report "$work/report-ignored.html"
check sweep sweep --deal v5,v2 --vary share=0.1:0.5:0.2 --paths 500
check breakeven breakeven --deal v5 --param share --paths 300
check tornado tornado --deal v5 --paths 200
check sobol sobol --deal v5 --paths 40 --samples 8 --bootstrap 50 --top 3
check fiscal fiscal --project dobra --regimes all --paths 300  # 5 regimes: uneven over 2-4 ranks

# A rank that fails part way: the job ends with an error naming it, and nothing is written.
for case in "run --paths 1000" "sobol --deal v5 --paths 40 --samples 8 --bootstrap 50 --top 3"; do
  for bad in 0 1; do
    out="$work/failed-$bad"
    # shellcheck disable=SC2086
    if NADRA_TEST_FAIL_RANK=$bad "${mpirun[@]}" -x NADRA_TEST_FAIL_RANK -n 2 "$nadra" $case \
      --threads 1 --out "$out" > "$out.log" 2>&1; then
      fail "$case with rank $bad failing exited 0"
    fi
    grep -q "error: rank $bad of 2 " "$out.log" && grep -q "NADRA_TEST_FAIL_RANK" "$out.log" ||
      fail "$case with rank $bad failing: no error naming the rank: $(tail -5 "$out.log")"
    [ ! -e "$out" ] || fail "$case with rank $bad failing wrote $out: $(ls "$out")"
    echo "ok: ${case%% *} with rank $bad failing: an error naming it, nothing written"
  done
done

# Ctrl-C: mpirun passes it to the ranks, which stop with nothing written. (A run far longer
# than the wait, so that it is still running when the interrupt comes.)
out="$work/interrupted"
"${mpirun[@]}" -n 2 "$nadra" run --paths 1000000 --threads 1 --out "$out" > "$out.log" 2>&1 &
job=$!
sleep 3
kill -INT "$job"
wait "$job" && fail "an interrupted run exited 0"
grep -q "interrupted: nothing written" "$out.log" || fail "interrupted: $(tail -5 "$out.log")"
[ ! -e "$out" ] || fail "an interrupted run wrote $out"
echo "ok: Ctrl-C: interrupted, nothing written"

if [ "$failures" -gt 0 ]; then
  echo "$failures failures" >&2
  exit 1
fi
echo "all outputs identical to one process's"
