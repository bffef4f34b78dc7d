#!/usr/bin/env bash
# Runs the commands of docs/intake.md's session in order and checks their answers. From the repository root,
# after ./cohortflow has built the command line. Exits non-zero on the first mismatch.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../../.." && pwd)"
cd "$root"
demo=/tmp/intake-demo
rm -rf "$demo" && mkdir -p "$demo"
cat > "$demo/sts-trial.yaml" <<'YAML'
project: sts-trial
secret: replace-with-a-long-random-project-secret
options: [retainLongitudinalModifiedDates]
pseudonyms: {prefix: STS-}
accept: {modalities: [CT, RTSTRUCT], callingAets: [SITE1]}
scans: [{label: ct, modality: CT}, {label: rtstruct, modality: RTSTRUCT}]
YAML
# The configuration block of the page.
sed -n '/^name: intake$/,/^  # governor:/p' docs/intake.md > "$demo/intake.yaml"
./cohortflow intake validate "$demo/sts-trial.yaml" | grep -q "valid profile for project 'sts-trial'"
./cohortflow serve intake --config "$demo/intake.yaml" > "$demo/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 120); do curl -sf http://127.0.0.1:8085/health > /dev/null && break; sleep 1; done
storescu -aet SITE1 -aec INTAKE +sd +r 127.0.0.1 11112 ../shared/data/ibsi-ct-phantom/dicom
for _ in $(seq 120); do
  curl -s -u admin:intake-demo-password http://127.0.0.1:8085/api/v1/status | grep -q '"FORWARDED":61' && break
  sleep 1
done
curl -s -u admin:intake-demo-password http://127.0.0.1:8085/api/v1/status \
  | grep -q '{"project":"sts-trial","destination":"folder /tmp/intake-demo/store","counts":{"RECEIVED":0,"DEIDENTIFIED":0,"FORWARDED":61,"QUARANTINED":0,"DELETED":0}}'
for _ in $(seq 60); do
  curl -s -u admin:intake-demo-password http://127.0.0.1:8085/api/v1/completed-studies | grep -q '"pseudonym":"STS-0001","objects":61' && break
  sleep 1
done
curl -s -u admin:intake-demo-password http://127.0.0.1:8085/api/v1/completed-studies | grep -q '"objects":61'
[ "$(find "$demo/store" -type f | wc -l)" = 61 ]
echo "docs/intake.md: the session works"
