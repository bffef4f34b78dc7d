#!/usr/bin/env bash
# Issue 12: peak memory per concurrently running subject. Runs examples/radiomics/dicom-ct.yaml on the STS CT
# cases (DICOM CT + RTSTRUCT, ROI GTV_Mass_CT) with the local executor, N subjects at a time (--parallelism N)
# for each N given, each run in a fresh JVM and a fresh work folder (nothing cached), and reports per N:
#   - the smallest heap the run completes in (-Xmx found by bisection to --step MiB: a run counts as done when
#     it exits 0, i.e. no job ran out of memory): what an executor must be given, garbage collector included;
#   - with a generous heap (--xmx): the process's peak resident set (VmHWM of /proc/PID/status, read until the
#     JVM exits) and the largest heap after a young collection (-Xlog:gc), which also counts old garbage;
# then fits "base + N x per subject" by least squares over the N (N above the number of samples counts as
# the number of samples). With --only S --copies K the cohort is subject S listed K times (sample ids S-1 ..
# S-K; each copy's jobs run and are stored on their own), so that N copies of the same (largest) subject
# really run at once, which a mixed cohort leaves to scheduling.
#
#   benchmarks/memory-per-subject.sh [--data ../shared/data/sts-cohort/dicom] [--parallel "1 2 4"] [--step 8]
#                                    [--only STS_004 --copies 4] [--xmx 4g] [--keep DIR]
# Prints a markdown table; every run's log and GC log stay in the work folder (--keep DIR, or a temporary
# folder that is removed at the end).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "$0")")/.." && pwd)"
data="$root/../shared/data/sts-cohort/dicom"
parallel="1 2 4"
step=8
only=""
copies=1
xmx=4g
keep=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --data) data="$2"; shift 2 ;;
    --parallel) parallel="$2"; shift 2 ;;
    --step) step="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    --copies) copies="$2"; shift 2 ;;
    --xmx) xmx="$2"; shift 2 ;;
    --keep) keep="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
data="$(cd "$data" && pwd)"
if [[ -n "$keep" ]]; then mkdir -p "$keep"; tmp="$(cd "$keep" && pwd)"; else tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT; fi

# Build once (the launcher builds when sources changed), then run without the launcher's check.
"$root/cohortflow" --version >/dev/null

sheet="$tmp/samples.csv"
echo "sample_id,ct,rtstruct,roi" > "$sheet"
subjects=0
for d in "$data"/*/; do
  s="$(basename "$d")"
  [[ -d "$d/CT/image" && -f "$d/CT/mask/RS.dcm" ]] || continue
  [[ -z "$only" || "$s" == "$only" ]] || continue
  for c in $(seq 1 "$copies"); do
    id="$s"; [[ $copies -gt 1 ]] && id="$s-$c"
    echo "$id,$d/CT/image,$d/CT/mask/RS.dcm,GTV_Mass_CT" >> "$sheet"
    subjects=$((subjects + 1))
  done
done
[[ $subjects -gt 0 ]] || { echo "no subjects with CT/image and CT/mask/RS.dcm under $data${only:+ named $only}" >&2; exit 1; }

echo "Load average at start: $(cut -d' ' -f1-3 /proc/loadavg); $subjects samples${only:+ ($only x $copies)}" >&2

# run DIR N HEAP: one run of the network, N subjects at a time, in a JVM with -XmxHEAP; sets rc, hwm (KiB), secs.
run() {
  local dir="$1" n="$2" heap="$3"
  rm -rf "$dir"; mkdir -p "$dir"
  local start; start=$(date +%s.%N)
  COHORTFLOW_NO_BUILD=1 COHORTFLOW_JAVA_OPTS="-Xmx$heap -Xlog:gc:file=$dir/gc.log" \
    "$root/cohortflow" run "$root/examples/radiomics/dicom-ct.yaml" --samples "$sheet" --executor local \
    --parallelism "$n" --work "$dir/work" --out "$dir/out" --progress off > "$dir/run.log" 2>&1 &
  local pid=$!
  hwm=0
  while kill -0 "$pid" 2>/dev/null; do
    local v; v=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' "/proc/$pid/status" 2>/dev/null || true)
    [[ -n "$v" ]] && hwm=$v
    sleep 0.05
  done
  rc=0; wait "$pid" || rc=$?
  secs=$(echo "$(date +%s.%N) - $start" | bc)
}

results="$tmp/results.tsv"
: > "$results"
for n in $parallel; do
  run "$tmp/p$n-generous" "$n" "$xmx"
  if [[ $rc -ne 0 ]]; then echo "run with --parallelism $n -Xmx$xmx failed (exit $rc); see $tmp/p$n-generous/run.log:" >&2
    tail -20 "$tmp/p$n-generous/run.log" >&2; exit 1; fi
  young=$(grep -o '[0-9]*M->[0-9]*M' "$tmp/p$n-generous/gc.log" | sed 's/.*->\([0-9]*\)M/\1/' | sort -n | tail -1)
  rss=$((hwm / 1024)); gsecs=${secs%.*}
  # Bisection on -Xmx (MiB): lo fails (or is assumed to), hi completes.
  lo=16; hi=128
  while true; do
    run "$tmp/p$n-x$hi" "$n" "${hi}m"; echo "parallelism $n, -Xmx${hi}m: exit $rc, ${secs%.*} s" >&2
    [[ $rc -eq 0 ]] && break
    lo=$hi; hi=$((hi * 2))
    [[ $hi -le 8192 ]] || { echo "parallelism $n: no -Xmx up to 8g completes" >&2; exit 1; }
  done
  while [[ $((hi - lo)) -gt $step ]]; do
    mid=$(( (lo + hi) / 2 ))
    run "$tmp/p$n-x$mid" "$n" "${mid}m"; echo "parallelism $n, -Xmx${mid}m: exit $rc, ${secs%.*} s" >&2
    if [[ $rc -eq 0 ]]; then hi=$mid; else lo=$mid; fi
  done
  printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$hi" "$rss" "${young:-0}" "$gsecs" >> "$results"
  echo "parallelism $n: completes in -Xmx${hi}m (not in ${lo}m); with -Xmx$xmx peak RSS $rss MiB, heap after young GC up to ${young:-?} MiB, $gsecs s" >&2
done
echo "Load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >&2

awk -F'\t' -v subjects="$subjects" -v xmx="$xmx" '
  { n[++k] = $1; heap[k] = $2; rss[k] = $3; young[k] = $4; secs[k] = $5 }
  END {
    print "| subjects at a time | smallest -Xmx that completes, MiB | peak RSS with -Xmx" xmx ", MiB | max heap after young GC, MiB | run s |"
    print "|---:|---:|---:|---:|---:|"
    for (i = 1; i <= k; i++) printf "| %d | %d | %d | %d | %d |\n", n[i], heap[i], rss[i], young[i], secs[i]
    if (k < 2) exit
    for (i = 1; i <= k; i++) { m = n[i] > subjects ? subjects : n[i]
      sx += m; sxx += m * m; sh += heap[i]; shx += heap[i] * m; sr += rss[i]; srx += rss[i] * m }
    d = k * sxx - sx * sx
    ph = (k * shx - sx * sh) / d; bh = (sh - ph * sx) / k
    pr = (k * srx - sx * sr) / d; br = (sr - pr * sx) / k
    printf "\nheap: about %.0f MiB per running subject plus %.0f MiB base\n", ph, bh
    printf "RSS:  about %.0f MiB per running subject plus %.0f MiB base (with -Xmx%s)\n", pr, br, xmx
  }' "$results"
