#!/usr/bin/env bash
# Installs the PixelMed DICOM toolkit into the local Maven repository as com.pixelmed:pixelmed.
#
# PixelMed is not on Maven Central; Debian ships it as libpixelmed-java. This script takes the jar from
# PIXELMED_JAR (default /usr/share/java/pixelmed.jar), installing the Debian package first when the jar
# is missing and we can (root, or passwordless sudo). Idempotent: a no-op when the artifact is present.
#
# Debian's jar names its dependencies in its manifest Class-Path, among them slf4j-jdk14.jar and
# slf4j-api.jar (SLF4J 1.7). Next to Spark's jul-to-slf4j bridge the first makes logging call itself until
# the stack overflows; the second shadows the SLF4J 2 API that Maven puts on the class path, so logging
# falls back to a no-op logger with a warning on every start. The installed copy (version suffix -cf2)
# has both entries removed: SLF4J comes from Maven (Spark's), and PixelMed's own logging shim works
# with or without it.
set -euo pipefail

version="${PIXELMED_VERSION:-20220618-cf2}"
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
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp "$jar" "$work/pixelmed.jar"
(cd "$work" && jar --extract --file pixelmed.jar META-INF/MANIFEST.MF 2>/dev/null) || true
if grep -qs slf4j "$work/META-INF/MANIFEST.MF"; then
  # Manifest lines are wrapped at 72 bytes; join them before editing the Class-Path.
  tr -d '\r' < "$work/META-INF/MANIFEST.MF" | sed -e ':a;N;$!ba;s/\n //g' \
    | grep '^Class-Path:' | sed -e 's# [^ ]*slf4j-[^ ]*\.jar##g' > "$work/classpath.mf"
  (cd "$work" && jar --update --file pixelmed.jar --manifest classpath.mf 2>/dev/null)
fi
echo "install-pixelmed: installing $jar as com.pixelmed:pixelmed:$version" >&2
"$mvn_cmd" -q -B -N org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file \
  -Dfile="$work/pixelmed.jar" -DgroupId=com.pixelmed -DartifactId=pixelmed -Dversion="$version" -Dpackaging=jar \
  -DgeneratePom=true ${MAVEN_REPO_LOCAL:+-Dmaven.repo.local="$MAVEN_REPO_LOCAL"}
