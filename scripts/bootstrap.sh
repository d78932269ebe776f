#!/bin/sh
# Install what GradientOpacity needs on Debian bookworm (root or sudo).
# Idempotent: apt-get runs only when a package is missing.
set -eu
PACKAGES="cmake make g++ gcc git paraview-dev python3-paraview libopenmpi-dev openmpi-bin
 libgtest-dev xvfb xauth libgl1-mesa-dri python3-numpy python3-scipy python3-matplotlib
 clang libclang-rt-14-dev valgrind"
missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "bootstrap: installing$missing" >&2
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
fi
