#!/usr/bin/env bash
# Runs the shell blocks of docs/monitor.md in order, as a reader would, and checks what they did through the
# monitor's REST API. Run from the repository's top folder: monitor/src/test/docs/check-monitor-docs.sh
set -euo pipefail
cd "$(dirname "$0")/../../../.."
rm -rf /tmp/cf-monitor /tmp/cf-work /tmp/cf-texts
script=$(mktemp)
python3 - docs/monitor.md > "$script" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
blocks = re.findall(r"```bash\n(.*?)```", text, re.S)
print("set -euo pipefail")
for b in blocks:
    # Remember the monitor's process id so that this check can stop it, and keep its output out of the pipe
    # (or the pipe would stay open as long as the monitor runs).
    print(b.replace("--data /tmp/cf-monitor &\n",
                    "--data /tmp/cf-monitor > /tmp/cf-monitor.log 2>&1 &\nMONITOR_PID=$!\n"))
print('echo "TOKEN=$TOKEN"; echo "MONITOR_PID=$MONITOR_PID"')
PY
out=$(mktemp)
bash "$script" 2>&1 | tee "$out"
pid=$(sed -n 's/^MONITOR_PID=//p' "$out" | tail -1)
token=$(sed -n 's/^TOKEN=//p' "$out" | tail -1)
trap '[[ -n "$pid" ]] && kill "$pid"' EXIT
runs=$(curl -sf -H "Authorization: Bearer $token" http://127.0.0.1:8084/api/v1/runs)
python3 - "$runs" <<'PY'
import json, sys
runs = json.loads(sys.argv[1])
names = sorted(r["name"] for r in runs)
assert names == ["lines-1", "lines-2"], names
for r in runs:
    assert r["status"] == "succeeded" and r["finished"] == r["planned"] == 6 and r["dropped"] == 0, r
    assert r["reporter"] == "reporter", r
print("docs/monitor.md: OK (%d runs at the monitor)" % len(runs))
PY
grep -q "^monitor: http://127.0.0.1:8084/runs/lines-1-" "$out"
grep -q "^imported 16 events and the report of file:///tmp/cf-work/lines-2/" "$out"
