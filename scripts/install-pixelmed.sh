#!/usr/bin/env bash
# Installs the PixelMed DICOM toolkit into the local Maven repository: com.pixelmed:pixelmed (the toolkit)
# and com.pixelmed:pixelmed-imageio (its JPEG Lossless decoder, an ImageIO plugin PixelMed finds by itself).
#
# PixelMed is not on Maven Central; Debian ships the two as libpixelmed-java and libpixelmed-imageio-java.
# This script takes the jars from PIXELMED_JAR and PIXELMED_IMAGEIO_JAR (default: Debian's, in
# /usr/share/java), installing the Debian packages first when a jar is missing and we can (root, or
# passwordless sudo). Idempotent: a no-op when both artifacts are present.
#
# Debian's pixelmed.jar names its dependencies in its manifest Class-Path, among them slf4j-jdk14.jar and
# slf4j-api.jar (SLF4J 1.7). Next to Spark's jul-to-slf4j bridge the first makes logging call itself until
# the stack overflows; the second shadows the SLF4J 2 API that Maven puts on the class path, so logging
# falls back to a no-op logger with a warning on every start. The installed copy (version suffix -cf2)
# has both entries removed: SLF4J comes from Maven (Spark's), and PixelMed's own logging shim works
# with or without it.
set -euo pipefail

version="${PIXELMED_VERSION:-20220618-cf2}"
imageio_version="${PIXELMED_IMAGEIO_VERSION:-20200328}"
repo="${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}"
here="$(cd "$(dirname "$0")/.." && pwd)"

# installed ARTIFACT VERSION: whether the local repository has it.
installed() {
  [[ -f "$repo/com/pixelmed/$1/$2/$1-$2.jar" ]]
}

# find_jar JAR DEBIAN_PACKAGE USER_SET: makes sure JAR exists, installing the package when we may.
find_jar() {
  local jar="$1" package="$2" user_set="$3" sudo
  if [[ ! -f "$jar" && -z "$user_set" ]]; then
    if [[ $(id -u) -eq 0 ]]; then sudo=""; elif sudo -n true 2>/dev/null; then sudo="sudo -n"; else sudo="none"; fi
    if [[ "$sudo" != none ]] && command -v apt-get >/dev/null; then
      echo "install-pixelmed: installing Debian package $package" >&2
      $sudo apt-get install -y -qq "$package" >/dev/null 2>&1 \
        || { $sudo apt-get update -qq >/dev/null && $sudo apt-get install -y -qq "$package" >/dev/null; }
    fi
  fi
  if [[ ! -f "$jar" ]]; then
    cat >&2 <<MSG
install-pixelmed: cannot find $jar.
  On Debian/Ubuntu:   sudo apt-get install $package
  Elsewhere:          download it from https://www.dclunie.com/pixelmed/software/ and run
                      PIXELMED_JAR=/path/to/pixelmed.jar PIXELMED_IMAGEIO_JAR=/path/to/pixelmed_imageio.jar $0
MSG
    exit 1
  fi
}

# install_file FILE ARTIFACT VERSION
install_file() {
  # Prefer the project's wrapper so this works on machines without a system Maven.
  local mvn_cmd="$here/mvnw"
  [[ -x "$mvn_cmd" ]] || mvn_cmd=mvn
  echo "install-pixelmed: installing $1 as com.pixelmed:$2:$3" >&2
  "$mvn_cmd" -q -B -N org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file \
    -Dfile="$1" -DgroupId=com.pixelmed -DartifactId="$2" -Dversion="$3" -Dpackaging=jar \
    -DgeneratePom=true ${MAVEN_REPO_LOCAL:+-Dmaven.repo.local="$MAVEN_REPO_LOCAL"}
}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

if ! installed pixelmed "$version"; then
  jar="${PIXELMED_JAR:-/usr/share/java/pixelmed.jar}"
  find_jar "$jar" libpixelmed-java "${PIXELMED_JAR:-}"
  cp "$jar" "$work/pixelmed.jar"
  (cd "$work" && jar --extract --file pixelmed.jar META-INF/MANIFEST.MF 2>/dev/null) || true
  if grep -qs slf4j "$work/META-INF/MANIFEST.MF"; then
    # Manifest lines are wrapped at 72 bytes; join them before editing the Class-Path.
    tr -d '\r' < "$work/META-INF/MANIFEST.MF" | sed -e ':a;N;$!ba;s/\n //g' \
      | grep '^Class-Path:' | sed -e 's# [^ ]*slf4j-[^ ]*\.jar##g' > "$work/classpath.mf"
    (cd "$work" && jar --update --file pixelmed.jar --manifest classpath.mf 2>/dev/null)
  fi
  install_file "$work/pixelmed.jar" pixelmed "$version"
fi

if ! installed pixelmed-imageio "$imageio_version"; then
  imageio="${PIXELMED_IMAGEIO_JAR:-/usr/share/java/pixelmed_imageio.jar}"
  find_jar "$imageio" libpixelmed-imageio-java "${PIXELMED_IMAGEIO_JAR:-}"
  install_file "$imageio" pixelmed-imageio "$imageio_version"
fi
