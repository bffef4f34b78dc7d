#!/usr/bin/env bash
# Stops the worker COHORTFLOW_WORKER_INSTANCE (default 1) of this machine, and the executors it launched.
set -euo pipefail
source "$(dirname "$0")/cluster-env.sh"
stop_daemon "worker-${COHORTFLOW_WORKER_INSTANCE:-1}"
