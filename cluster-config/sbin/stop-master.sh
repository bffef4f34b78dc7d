#!/usr/bin/env bash
# Stops this machine's Spark master.
set -euo pipefail
source "$(dirname "$0")/cluster-env.sh"
stop_daemon master
rm -f "$COHORTFLOW_CLUSTER_DIR/run/master.url"
