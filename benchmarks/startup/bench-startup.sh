#!/usr/bin/env bash
# Start-up of `cohortflow validate` before and after a change, measured in one invocation (issue 12 item 4): builds the
# cli of BEFORE_REF (default 1daed29, the base of the Spark runner split) from `git archive` in WORK_DIR, builds this
# checkout, then runs `./cohortflow validate NETWORK` of each ROUNDS times, alternating before and after so that both
# see the same load, and prints the median wall time of each, their ratio, the classes each JVM loaded and the size of
# the class path it was given, with the load average at the start and the end.
# Usage (from the repository root): benchmarks/startup/bench-startup.sh [BEFORE_REF] [ROUNDS] [NETWORK] [WORK_DIR]
set -euo pipefail
before_ref="${1:-1daed29}"
rounds="${2:-10}"
network="${3:-examples/networks/count-lines.yaml}"
work="${4:-/tmp/cohortflow-bench-startup}"
root="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
cd "$root"
mkdir -p "$work"
before="$work/$(git rev-parse --short "$before_ref")"

if [[ ! -f "$before/cli/target/runtime-classpath.txt" ]]; then
  echo "building $before_ref in $before ..." >&2
  rm -rf "$before" && mkdir -p "$before"
  git archive "$before_ref" | tar -x -C "$before"
  (cd "$before" && ./mvnw -B -q -DskipTests -pl cli -am package >&2)
fi
echo "building this checkout ..." >&2
./mvnw -B -q -DskipTests -pl cli -am package >&2

# One run, on stdout as "WALL_SECONDS CPU_SECONDS CLASSES": wall time, user + system CPU time of the JVM (less
# sensitive than the wall time to what else runs on the machine) and the number of classes it loaded.
measure() {
  local tree="$1" log="$work/classes.log"
  (cd "$tree" && COHORTFLOW_NO_BUILD=1 COHORTFLOW_JAVA_OPTS="-Xlog:class+load=info:file=$log" \
      /usr/bin/time -o "$work/time.txt" -f "%e %U %S" ./cohortflow validate "$root/$network" > "$work/validate.out" 2>&1) ||
      { cat "$work/validate.out" >&2; exit 1; }
  read -r wall user sys < "$work/time.txt"
  echo "$wall $(echo "$user + $sys" | bc) $(grep -c 'class,load' "$log")"
}

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
measure "$before" > /dev/null   # warm the page cache for both trees' jars
measure "$root" > /dev/null
: > "$work/times.txt"
for ((i = 1; i <= rounds; i++)); do
  echo "before $(measure "$before")" >> "$work/times.txt"
  echo "after $(measure "$root")" >> "$work/times.txt"
done
load_end="$(cut -d' ' -f1-3 /proc/loadavg)"

cp_size() { # jars and megabytes on the class path the launcher gives `validate`
  local tree="$1" file="$1/cli/target/runtime-classpath.txt"
  [[ -f "$tree/cli/target/core-classpath.txt" ]] && grep -q 'core-classpath' "$tree/cohortflow" && file="$tree/cli/target/core-classpath.txt"
  tr ':' '\n' < "$file" | grep -c '\.jar$' | tr '\n' ' '
  tr ':' '\n' < "$file" | grep '\.jar$' | xargs du -cm | tail -1 | cut -f1
}

python3 - "$work/times.txt" "$before_ref" "$rounds" "$network" "$load_start" "$load_end" \
    "$(cp_size "$before")" "$(cp_size "$root")" <<'PY'
import statistics, sys
times, ref, rounds, network, load_start, load_end, cp_before, cp_after = sys.argv[1:]
runs = {"before": [], "after": []}
for line in open(times):
    which, wall, cpu, classes = line.split()
    runs[which].append((float(wall), float(cpu), int(classes)))
def med(which, i):
    return statistics.median(r[i] for r in runs[which])
def span(which, i):
    return f"{min(r[i] for r in runs[which]):.2f}-{max(r[i] for r in runs[which]):.2f}"
print(f"cohortflow validate {network}, {rounds} rounds alternating; load average {load_start} at the start, {load_end} at the end")
print("| build | median wall (s) | wall min-max (s) | median CPU, user+sys (s) | classes loaded | class path given to validate |")
print("|---|---:|---:|---:|---:|---:|")
for which, label, cp in (("before", f"before ({ref})", cp_before), ("after", "after (this checkout)", cp_after)):
    jars, mb = cp.split()
    print(f"| {label} | {med(which, 0):.2f} | {span(which, 0)} | {med(which, 1):.2f} | {med(which, 2):.0f} | {jars} jars, {mb} MB |")
print(f"ratio before / after: wall {med('before', 0) / med('after', 0):.2f}x, CPU {med('before', 1) / med('after', 1):.2f}x")
PY
