#!/usr/bin/env bash
# One task of the workers' job step of slurm/cohortflow.sbatch (`srun`, one task per node): starts a Spark
# standalone worker on this node with sbin/start-worker.sh, offering the node's allocated CPUs and the memory
# the batch script computed, and stays until the worker ends. On SIGUSR1 (the batch script's normal end) or
# SIGTERM (scancel, time limit) it stops the worker with sbin/stop-worker.sh, which takes the worker's
# executors, and with them their tool processes, along.
#   worker-step.sh spark://HOST:PORT
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
sbin="$here/../sbin"
master_url="${1:?usage: worker-step.sh spark://HOST:PORT}"
node="$(hostname -s)"
export COHORTFLOW_CLUSTER_DIR="${COHORTFLOW_SLURM_DIR:-${TMPDIR:-/tmp}}/cohortflow-slurm-${SLURM_JOB_ID:?not in a SLURM job}-$node"
export SPARK_WORKER_CORES="${SPARK_WORKER_CORES:-${SLURM_CPUS_ON_NODE:?}}"
export SPARK_WORKER_PORT="${SPARK_WORKER_PORT:-0}" SPARK_WORKER_WEBUI_PORT="${SPARK_WORKER_WEBUI_PORT:-0}"
export COHORTFLOW_WORKER_INSTANCE=1

stopped=0
stop_worker() {
  if ((stopped == 0)); then
    stopped=1
    bash "$sbin/stop-worker.sh" || true
  fi
}
trap 'stop_worker; exit 0' USR1 TERM INT
trap 'stop_worker' EXIT

# Sourced, not run: the worker JVM stays a child of this task, so SLURM's process tracking (even
# proctrack/linuxproc, which follows parent PIDs) sees it and its executors, and kills them should this
# task be killed before its trap ran.
source "$sbin/start-worker.sh" "$master_url"
pid="$(cat "$COHORTFLOW_CLUSTER_DIR/run/worker-1.pid")"
while kill -0 "$pid" 2>/dev/null; do
  # A background sleep and `wait`, so that a signal runs the trap at once rather than after the sleep.
  sleep 1 &
  wait $! || true
done
echo "worker-step: the worker on $node (pid $pid) ended by itself; log: $COHORTFLOW_CLUSTER_DIR/logs/worker-1.log" >&2
tail -n 30 "$COHORTFLOW_CLUSTER_DIR/logs/worker-1.log" >&2 || true
exit 1
