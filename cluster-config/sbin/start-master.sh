#!/usr/bin/env bash
# Starts a Spark standalone master on this machine from the cohortflow jar and waits until it accepts
# workers. Settings: sbin/cluster-env.sh (SPARK_MASTER_HOST, SPARK_MASTER_PORT, SPARK_MASTER_WEBUI_PORT, ...).
set -euo pipefail
# May be sourced (slurm/cohortflow.sbatch does): the daemon then stays a child of the sourcing shell, so SLURM
# tracks it as part of the job step and kills it with the step.
source "$(dirname "${BASH_SOURCE[0]}")/cluster-env.sh"
require_jar
prepare_spark_home
# The REST submission gateway (spark-submit --deploy-mode cluster to a standalone master) only when a port
# is given: it would otherwise bind a fixed port (6066) on every master.
if [[ -n "${SPARK_MASTER_REST_PORT:-}" ]]; then
  rest=(-Dspark.master.rest.enabled=true -Dspark.master.rest.port="$SPARK_MASTER_REST_PORT")
else
  rest=(-Dspark.master.rest.enabled=false)
fi
start_daemon master "${rest[@]}" org.apache.spark.deploy.master.Master \
  --host "$SPARK_MASTER_HOST" --port "$SPARK_MASTER_PORT" --webui-port "$SPARK_MASTER_WEBUI_PORT"
wait_for_log master "I have been elected leader"
# The URL as the master reports it, so that SPARK_MASTER_PORT=0 (a free port, as SLURM jobs sharing a node
# need) works: run/master.url is what workers and drivers are given.
master_url="$(grep -o 'Starting Spark master at spark://[^ ]*' "$COHORTFLOW_CLUSTER_DIR/logs/master.log" | head -n 1 | sed 's/.* at //')"
[[ -n "$master_url" ]] || master_url="spark://$SPARK_MASTER_HOST:$SPARK_MASTER_PORT"
echo "$master_url" > "$COHORTFLOW_CLUSTER_DIR/run/master.url"
echo "master: $master_url (web UI port $SPARK_MASTER_WEBUI_PORT," \
  "pid $(cat "$COHORTFLOW_CLUSTER_DIR/run/master.pid"), log $COHORTFLOW_CLUSTER_DIR/logs/master.log)"
