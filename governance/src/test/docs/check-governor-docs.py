#!/usr/bin/env python3
"""Runs every ```bash block of docs/governor.md in order, as a reader would, and checks what they print.

Usage (from the repository root, with the cli built): python3 governance/src/test/docs/check-governor-docs.py

The block that starts the governor runs in the background until the end; before the block that reads the
experiment's history, the script waits (as the text says, about 20 s) for the experiment to reach 'failed'.
Blocks share one environment through a state file, so TOKEN set in one block is seen by the next.
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request

ROOT = os.getcwd()
DOC = os.path.join(ROOT, "docs", "governor.md")
blocks = re.findall(r"```bash\n(.*?)```", open(DOC).read(), re.S)
shutil.rmtree("/tmp/cohortflow-governor", ignore_errors=True)
env = dict(os.environ)
server = None
outputs = []


def health():
    try:
        with urllib.request.urlopen("http://127.0.0.1:8081/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def state(token):
    req = urllib.request.Request("http://127.0.0.1:8081/api/v1/experiments/1", headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(req, timeout=5) as r:
        return json.load(r)["state"]


try:
    for block in blocks:
        if "serve governor" in block:
            server = subprocess.Popen(["bash", "-c", block], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
            for _ in range(120):
                if health():
                    break
                time.sleep(1)
            else:
                sys.exit("the governor did not start")
            continue
        if "/experiments/1/actions" in block:
            token = open("/tmp/alice.token").read().strip()
            for _ in range(60):
                if state(token) == "failed":
                    break
                time.sleep(1)
            else:
                sys.exit("experiment 1 did not reach 'failed'")
        script = "set -euo pipefail -a\n" + ("source /tmp/governor-docs.env\n" if os.path.exists("/tmp/governor-docs.env") else "") \
            + block + "\nexport -p > /tmp/governor-docs.env\n"
        r = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env)
        print("$ " + block.strip().replace("\n", "\n$ "))
        print(r.stdout + r.stderr)
        if r.returncode not in (0,) and "validate" not in block:
            sys.exit("block failed with exit code %d" % r.returncode)
        outputs.append(r.stdout)
    text = "\n".join(outputs)
    checks = {
        "valid workflow": "valid workflow 'ct-qc'" in text,
        "workflow stored": '"name":"ct-qc","version":1' in text,
        "study made": '"name":"lung"' in text,
        "experiment made": '"state":"received"' in text,
        "failed after 3 attempts": '"attempts":3' in text and "does not answer" in text,
        "moved back by hand": '"reason":"scorer is up again"' in text or '"entryActionId":3' in text,
        "409 for an undefined transition": text.rstrip().endswith("409"),
    }
    for name, ok in checks.items():
        print(("ok   " if ok else "FAIL ") + name)
    sys.exit(0 if all(checks.values()) else 1)
finally:
    if server is not None:
        # Stop the background 'cohortflow serve' and every process below it (the launcher's java), by the ids
        # this script started.
        children = {}
        for line in subprocess.run(["ps", "-eo", "pid,ppid"], capture_output=True, text=True).stdout.splitlines()[1:]:
            pid, ppid = map(int, line.split())
            children.setdefault(ppid, []).append(pid)
        todo, mine = [server.pid], []
        while todo:
            p = todo.pop()
            mine.append(p)
            todo.extend(children.get(p, []))
        for p in reversed(mine):
            try:
                os.kill(p, 15)
            except ProcessLookupError:
                pass
    if os.path.exists("/tmp/governor-docs.env"):
        os.remove("/tmp/governor-docs.env")
