#!/usr/bin/env bash
# Starts a Spark standalone worker on this machine from the cohortflow jar and waits until the master has
# registered it.
#   start-worker.sh [spark://HOST:PORT]     default: spark://$SPARK_MASTER_HOST:$SPARK_MASTER_PORT
# Several workers on one machine: give each its own COHORTFLOW_WORKER_INSTANCE (1, 2, ...) and web UI port.
set -euo pipefail
# May be sourced (slurm/cohortflow.sbatch does): the daemon then stays a child of the sourcing shell, so SLURM
# tracks it as part of the job step and kills it with the step.
source "$(dirname "${BASH_SOURCE[0]}")/cluster-env.sh"
require_jar
master_url="${1:-spark://$SPARK_MASTER_HOST:$SPARK_MASTER_PORT}"
[[ "$master_url" == spark://* ]] || die "expected a master URL spark://HOST:PORT, got '$master_url'"
instance="${COHORTFLOW_WORKER_INSTANCE:-1}"
name="worker-$instance"
prepare_spark_home
work_dir="$COHORTFLOW_CLUSTER_DIR/$name"
mkdir -p "$work_dir"
host_args=()
if [[ -n "${SPARK_LOCAL_IP:-}" ]]; then
  host_args=(--host "$SPARK_LOCAL_IP")
fi
start_daemon "$name" org.apache.spark.deploy.worker.Worker "${host_args[@]}" \
  --port "$SPARK_WORKER_PORT" --webui-port "$SPARK_WORKER_WEBUI_PORT" \
  --cores "$SPARK_WORKER_CORES" --memory "$SPARK_WORKER_MEMORY" --work-dir "$work_dir" "$master_url"
wait_for_log "$name" "Successfully registered with master"
echo "$name: registered with $master_url ($SPARK_WORKER_CORES cores, $SPARK_WORKER_MEMORY," \
  "pid $(cat "$COHORTFLOW_CLUSTER_DIR/run/$name.pid"), log $COHORTFLOW_CLUSTER_DIR/logs/$name.log)"
