# Sourced by the start/stop scripts: settings with their defaults, and helpers. Override any setting in the
# environment or in conf/cluster.env (see conf/cluster.env.example); the environment wins.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
config_root="$(dirname "$here")"
conf_file="${COHORTFLOW_CLUSTER_CONF:-$config_root/conf/cluster.env}"
if [[ -f "$conf_file" ]]; then
  # Keep values already in the environment: read the file's assignments only for unset names.
  while IFS='=' read -r name value; do
    [[ "$name" =~ ^[A-Z_][A-Z0-9_]*$ ]] || continue
    if [[ -z "${!name+x}" ]]; then
      export "$name=$value"
    fi
  done < <(grep -E '^[A-Z_][A-Z0-9_]*=' "$conf_file")
fi

# The shaded jar (dist module): Spark, Hadoop and all of cohortflow in one file.
if [[ -z "${COHORTFLOW_JAR:-}" ]]; then
  COHORTFLOW_JAR="$(ls "$config_root"/../dist/target/cohortflow-[0-9]*.jar 2>/dev/null | head -n 1 || true)"
fi
export COHORTFLOW_JAR
# Logs, pid files, the SPARK_HOME layout and the workers' work folders of this machine.
export COHORTFLOW_CLUSTER_DIR="${COHORTFLOW_CLUSTER_DIR:-${TMPDIR:-/tmp}/cohortflow-cluster-$(id -un)}"
export SPARK_MASTER_HOST="${SPARK_MASTER_HOST:-$(hostname -f 2>/dev/null || hostname)}"
export SPARK_MASTER_PORT="${SPARK_MASTER_PORT:-7077}"
export SPARK_MASTER_WEBUI_PORT="${SPARK_MASTER_WEBUI_PORT:-8080}"
export SPARK_WORKER_WEBUI_PORT="${SPARK_WORKER_WEBUI_PORT:-8081}"
export SPARK_WORKER_PORT="${SPARK_WORKER_PORT:-0}"
export SPARK_WORKER_CORES="${SPARK_WORKER_CORES:-$(nproc)}"
export SPARK_WORKER_MEMORY="${SPARK_WORKER_MEMORY:-2g}"
export COHORTFLOW_DAEMON_MEMORY="${COHORTFLOW_DAEMON_MEMORY:-512m}"
export COHORTFLOW_START_TIMEOUT="${COHORTFLOW_START_TIMEOUT:-60}"
export COHORTFLOW_STOP_TIMEOUT="${COHORTFLOW_STOP_TIMEOUT:-30}"
# Spark's worker builds executor class paths from SPARK_HOME/jars and needs the Scala version to find them.
export SPARK_HOME="$COHORTFLOW_CLUSTER_DIR/spark-home"
export SPARK_SCALA_VERSION=2.13
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# Spark 4 on Java 17: the module opens spark-submit would add (JavaModuleOptions).
JAVA_OPENS=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  -Djdk.reflect.useDirectMethodHandle=false)

die() {
  echo "$(basename "$0"): $*" >&2
  exit 1
}

require_jar() {
  [[ -n "$COHORTFLOW_JAR" && -f "$COHORTFLOW_JAR" ]] || die "no cohortflow jar: build it with
  ./mvnw -B -q -pl dist -am package -DskipTests
or set COHORTFLOW_JAR to the shaded jar (dist/target/cohortflow-VERSION.jar)"
}

# SPARK_HOME/jars holds a link to the shaded jar: the one thing executors need on their class path.
prepare_spark_home() {
  mkdir -p "$SPARK_HOME/jars" "$COHORTFLOW_CLUSTER_DIR/logs" "$COHORTFLOW_CLUSTER_DIR/run"
  find "$SPARK_HOME/jars" -maxdepth 1 -type l -delete
  ln -s "$(readlink -f "$COHORTFLOW_JAR")" "$SPARK_HOME/jars/cohortflow.jar"
}

# start_daemon NAME [-Dprop=value ...] MAIN_CLASS ARGS...: runs a Spark daemon from the jar in the background, detached from
# this shell, with its pid in run/NAME.pid and its output in logs/NAME.log.
start_daemon() {
  local name="$1"; shift
  local pid_file="$COHORTFLOW_CLUSTER_DIR/run/$name.pid"
  local log="$COHORTFLOW_CLUSTER_DIR/logs/$name.log"
  if [[ -f "$pid_file" ]] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then
    die "$name is already running (pid $(cat "$pid_file")); stop it first"
  fi
  local props=()
  while [[ "${1:-}" == -D* ]]; do
    props+=("$1"); shift
  done
  # Spark's own logging defaults (INFO), not the command's quiet config that the jar also carries: the
  # daemon logs are what operators read, and wait_for_log looks for their INFO lines.
  # COHORTFLOW_DAEMON_OPTS comes after, so -Dlog4j2.configurationFile=... there still wins.
  nohup "$JAVA" -Xmx"$COHORTFLOW_DAEMON_MEMORY" "${JAVA_OPENS[@]}" \
    -Dlog4j2.configurationFile=classpath:org/apache/spark/log4j2-defaults.properties \
    ${COHORTFLOW_DAEMON_OPTS:-} "${props[@]}" \
    -cp "$SPARK_HOME/jars/cohortflow.jar" "$@" > "$log" 2>&1 < /dev/null &
  echo $! > "$pid_file"
}

# wait_for_log NAME TEXT: waits until the daemon's log contains TEXT; fails when it dies or times out.
wait_for_log() {
  local name="$1" text="$2"
  local pid log deadline
  pid="$(cat "$COHORTFLOW_CLUSTER_DIR/run/$name.pid")"
  log="$COHORTFLOW_CLUSTER_DIR/logs/$name.log"
  deadline=$((SECONDS + COHORTFLOW_START_TIMEOUT))
  while ! grep -q "$text" "$log" 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$log" >&2
      die "$name (pid $pid) exited; log: $log"
    fi
    if ((SECONDS >= deadline)); then
      tail -n 30 "$log" >&2
      die "$name (pid $pid) did not log '$text' within $COHORTFLOW_START_TIMEOUT s; log: $log"
    fi
    sleep 0.5
  done
}

# stop_daemon NAME: SIGTERM (Spark's shutdown hooks stop a worker's executors), SIGKILL after the timeout;
# children still alive then (executor JVMs) are killed too.
stop_daemon() {
  local name="$1"
  local pid_file="$COHORTFLOW_CLUSTER_DIR/run/$name.pid"
  if [[ ! -f "$pid_file" ]]; then
    echo "$name: not running (no $pid_file)"
    return 0
  fi
  local pid children deadline
  pid="$(cat "$pid_file")"
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "$name: not running (stale pid $pid)"
    rm -f "$pid_file"
    return 0
  fi
  children="$(ps -o pid= --ppid "$pid" 2>/dev/null | tr -d ' ' || true)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + COHORTFLOW_STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "$name: pid $pid did not stop within $COHORTFLOW_STOP_TIMEOUT s, killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
  fi
  for c in $children; do
    kill -KILL "$c" 2>/dev/null || true
  done
  rm -f "$pid_file"
  echo "$name: stopped (pid $pid)"
}
