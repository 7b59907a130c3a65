#!/usr/bin/env bash
# docs/cluster.md's batch script (examples/cluster/sobol.sbatch) submitted to a one-node Slurm
# started here (slurm-wlm, munge), at a small size, its outputs compared byte for byte with one
# process's. Skipped (77) where Slurm is not installed or this is not root (the daemons run as
# root with a configuration in a temporary folder).
# Usage: check_slurm.sh NADRA SOURCE_DIR WORKDIR
set -euo pipefail
nadra=$1
source_dir=$2
work=$3
for tool in slurmctld slurmd sbatch munged munge; do
  command -v "$tool" > /dev/null || { echo "skip: no $tool (slurm-wlm, munge)"; exit 77; }
done
[ "$(id -u)" -eq 0 ] || { echo "skip: the local Slurm daemons need root"; exit 77; }
rm -rf "$work"
mkdir -p "$work"/{state,spool,log}
host=$(hostname -s)
conf="$work/slurm.conf"
# Ports of its own, so that it does not meet a Slurm already running here.
cat > "$conf" <<CONF
ClusterName=nadra-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
ReturnToService=2
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=2000 State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP OverSubscribe=YES
CONF
export SLURM_CONF=$conf
stop() {
  for daemon in slurmd slurmctld; do
    [ -f "$work/$daemon.pid" ] && kill "$(cat "$work/$daemon.pid")" 2> /dev/null || true
  done
}
trap stop EXIT
# munge authenticates Slurm's messages: its daemon, with the key the package made.
if ! munge -n > /dev/null 2>&1; then
  mkdir -p /run/munge
  [ -f /etc/munge/munge.key ] || mungekey --create > /dev/null 2>&1 ||
    dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2> /dev/null
  chown -R munge: /etc/munge /run/munge /var/lib/munge /var/log/munge 2> /dev/null || true
  chmod 600 /etc/munge/munge.key
  runuser -u munge -- munged 2> /dev/null || munged --force
fi
slurmctld -f "$conf"
slurmd -f "$conf"
for _ in $(seq 60); do
  sinfo -h -o %T 2> /dev/null | grep -q idle && break
  sleep 1
done
sinfo -h -o %T | grep -q idle || { echo "FAIL: the local Slurm node did not come up"; cat "$work"/log/*; exit 1; }

# The batch script as documented, at a small size, on 2 tasks.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_btl_vader_single_copy_mechanism=none
export NADRA="$nadra" SAMPLES=4 PATHS=20 OUT="$work/slurm-out"
sbatch --wait --ntasks=2 --mem-per-cpu=500M --output="$work/job.log" --export=ALL \
  "$source_dir/examples/cluster/sobol.sbatch" || { echo "FAIL: the job failed"; cat "$work/job.log"; exit 1; }
"$nadra" sobol --deal v5 --top 10 --samples 4 --paths 20 --threads 1 --out "$work/one" \
  > "$work/one.log"
for f in $(ls "$work/one"); do
  cmp "$work/one/$f" "$work/slurm-out/$f" || { echo "FAIL: $f differs"; exit 1; }
done
echo "ok: the batch script's outputs under Slurm are one process's, byte for byte"
