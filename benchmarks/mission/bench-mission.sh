#!/usr/bin/env bash
# The mission's benchmark (issue 19, "Benchmark"): subjects per minute through the whole flow
# (`cohortflow demo --review auto`: scanner -> intake -> governor -> tasks -> radiomics on Spark -> export) against
# the compute alone on the same subjects (`cohortflow demo --compute-only`, same seed, so the same DICOM cohort),
# run one after the other in this invocation, and the time from each subject's last C-STORE to its features at
# the governor. Usage: benchmarks/mission/bench-mission.sh [SUBJECTS] [WORK_DIR]   (from the repository root)
set -euo pipefail
subjects="${1:-4}"
work="${2:-/tmp/cohortflow-bench-mission}"
root="$(cd "$(dirname "$(readlink -f "$0")")/../.." && pwd)"
rm -rf "$work" && mkdir -p "$work"
cd "$root"

start=$(date +%s.%N)
./cohortflow demo --review auto --subjects "$subjects" --work "$work/flow" > "$work/flow.log" 2>&1
flow_wall=$(echo "$(date +%s.%N) - $start" | bc)
./cohortflow demo --compute-only --subjects "$subjects" --progress off --work "$work/compute" > "$work/compute.log" 2>&1

python3 - "$work" "$subjects" "$flow_wall" <<'PY'
import json, re, statistics, sys, glob
work, n, flow_wall = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
summary = json.load(open(glob.glob(work + "/flow/demo-*/summary.json")[0]))
stages = summary["stages"]
# the flow proper: from the first C-STORE to the last experiment in a final state (services up, cohort written)
flow = stages["C-STORE to the intake"] + stages["workflow (intake to last final state)"]
log = open(work + "/compute.log").read()
spark = float(re.search(r"start spark executor\s+([\d.]+) s", log).group(1))
run = float(re.search(r"run \(all stages\)\s+([\d.]+) s", log).group(1))
compute = spark + run
done = summary["perState"].get("done", 0)
s2f = summary["storeToFeaturesSeconds"]
print(f"subjects: {n} (done {done}), services started in {stages['start services']:.1f} s, whole command {flow_wall:.1f} s")
print(f"whole flow (first C-STORE to last final state): {flow:7.1f} s  = {60 * n / flow:6.2f} subjects/min")
print(f"compute alone (Spark start + radiomics run):   {compute:7.1f} s  = {60 * n / compute:6.2f} subjects/min")
print(f"ratio flow / compute: {flow / compute:.2f}x (what the services, the scanner's transfer and the reviews cost around the compute)")
if s2f:
    print(f"last C-STORE of a subject to its features at the governor: median {statistics.median(s2f):.1f} s, "
          f"min {min(s2f):.1f} s, max {max(s2f):.1f} s")
PY
