#!/usr/bin/env bash
# Installs what building and testing cohortflow needs beyond Maven Central, on a fresh machine:
# the PixelMed jars (toolkit and JPEG Lossless decoder) in the local Maven repository and, where we are root (or have sudo) on Debian,
# the packages some tests compare against (pydicom, nibabel, dcmtk) or run as pipeline nodes
# (dcm2niix, in examples/radiomics/dicom-ct-dcm2niix.yaml), and the real servers the services' tests start
# on loopback and stop (Orthanc with DICOMweb, PostgreSQL, Chromium with its driver). Idempotent and quick when done.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"

debian_packages=(libpixelmed-java libpixelmed-imageio-java python3-pydicom python3-nibabel dcmtk dcm2niix orthanc orthanc-dicomweb postgresql chromium chromium-driver slurmd slurmctld munge)

missing=()
# The task service's browser viewer is bundled by npm during the build (Node.js 18 or later). Machines that
# already have Node.js (often from NodeSource) keep it; elsewhere Debian's packages provide it.
command -v npm >/dev/null || debian_packages+=(nodejs npm)
if command -v dpkg-query >/dev/null; then
  for p in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi
if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
  if [[ "$sudo" != none ]]; then
    echo "bootstrap: installing Debian packages: ${missing[*]}" >&2
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "bootstrap: not root, so cannot install ${missing[*]}: the tests that need them will fail, naming what is missing" >&2
  fi
fi

"$here/install-pixelmed.sh"
