#!/usr/bin/env bash
# Installs the PixelMed DICOM toolkit into the local Maven repository as com.pixelmed:pixelmed.
#
# PixelMed is not on Maven Central; Debian ships it as libpixelmed-java. This script takes the jar from
# PIXELMED_JAR (default /usr/share/java/pixelmed.jar), installing the Debian package first when the jar
# is missing and we can (root, or passwordless sudo). Idempotent: a no-op when the artifact is present.
set -euo pipefail

version="${PIXELMED_VERSION:-20220618}"
repo="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
target="$repo/com/pixelmed/pixelmed/$version/pixelmed-$version.jar"
jar="${PIXELMED_JAR:-/usr/share/java/pixelmed.jar}"

if [[ -f "$target" ]]; then
  exit 0
fi

if [[ ! -f "$jar" && -z "${PIXELMED_JAR:-}" ]]; then
  if [[ $(id -u) -eq 0 ]]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
  if [[ "$sudo" != none ]] && command -v apt-get >/dev/null; then
    echo "install-pixelmed: installing Debian package libpixelmed-java" >&2
    $sudo apt-get install -y -qq libpixelmed-java >/dev/null 2>&1 \
      || { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq libpixelmed-java >/dev/null; }
  fi
fi

if [[ ! -f "$jar" ]]; then
  cat >&2 <<MSG
install-pixelmed: cannot find the PixelMed jar at $jar.
  On Debian/Ubuntu:   sudo apt-get install libpixelmed-java
  Elsewhere:          download pixelmed.jar from https://www.dclunie.com/pixelmed/software/ and run
                      PIXELMED_JAR=/path/to/pixelmed.jar $0
MSG
  exit 1
fi

# Prefer the project's wrapper so this works on machines without a system Maven.
here="$(cd "$(dirname "$0")/.." && pwd)"
mvn_cmd="$here/mvnw"
[[ -x "$mvn_cmd" ]] || mvn_cmd=mvn
echo "install-pixelmed: installing $jar as com.pixelmed:pixelmed:$version" >&2
"$mvn_cmd" -q -B -N org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file \
  -Dfile="$jar" -DgroupId=com.pixelmed -DartifactId=pixelmed -Dversion="$version" -Dpackaging=jar \
  -DgeneratePom=true ${MAVEN_REPO_LOCAL:+-Dmaven.repo.local="$MAVEN_REPO_LOCAL"}
