#!/bin/sh
# Private prefix holding Debian bookworm's plain VTK 9.1 SDK next to the
# installed ParaView 5.11 (python3-vtk9 Conflicts python3-paraview, so the
# packages cannot be installed system-wide): `apt-get download` + `dpkg -x`.
#
#   sh scripts/vtk91-prefix.sh [PREFIX]    prints PREFIX on stdout
#
# PREFIX defaults to $GO_VTK91_PREFIX, else /var/cache/gradientopacity/vtk91
# when writable, else ./build-cache/vtk91. Idempotent and cached: nothing is
# downloaded when the prefix is complete for the same package versions.
#
# Use it with
#   VTK_DIR=PREFIX/usr/lib/x86_64-linux-gnu/cmake/vtk-9.1
#   LD_LIBRARY_PATH=PREFIX/usr/lib/x86_64-linux-gnu   (libtbb, Python modules)
#   PYTHONPATH=PREFIX/usr/lib/python3/dist-packages    FIRST: ParaView's
#     vtkmodules in /usr/lib/python3/dist-packages segfault with 9.1 builds.
#
# The runtime packages (libvtk9.1, libvtk9.1-qt, vtk9, libvtk9-java, TBB) are
# not installed on the primary configuration, so they are extracted too: the
# dev package's relative lib*.so links then resolve inside the prefix, and
# VTK-targets.cmake finds every imported file under its own prefix. Their
# other dependencies (Qt5, HDF5, ... ) are shared with ParaView and installed.
set -eu

PACKAGES="libvtk9-dev libvtk9.1 libvtk9.1-qt python3-vtk9 vtk9 libvtk9-java
 libtbb-dev libtbb12 libtbbmalloc2 libtbbbind-2-5"

if [ $# -ge 1 ]; then
  PREFIX="$1"
elif [ -n "${GO_VTK91_PREFIX:-}" ]; then
  PREFIX="$GO_VTK91_PREFIX"
elif mkdir -p /var/cache/gradientopacity 2>/dev/null && [ -w /var/cache/gradientopacity ]; then
  PREFIX=/var/cache/gradientopacity/vtk91
else
  PREFIX="$(cd "$(dirname "$0")/.." && pwd)/build-cache/vtk91"
fi

log() { echo "vtk91-prefix: $*" >&2; }

# The exact versions wanted: the stamp records them, so a point release of
# Debian's VTK rebuilds the prefix.
versions=""
for p in $PACKAGES; do
  v="$(apt-cache policy "$p" 2>/dev/null | sed -n 's/^ *Candidate: //p')"
  if [ -z "$v" ] || [ "$v" = "(none)" ]; then
    log "package $p is not known to apt (run apt-get update; Debian bookworm main needed)"
    exit 1
  fi
  versions="$versions $p=$v"
done
versions="${versions# }"

stamp="$PREFIX/.gradientopacity-stamp"
cmake_dir="$PREFIX/usr/lib/x86_64-linux-gnu/cmake/vtk-9.1"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$versions" ] && [ -f "$cmake_dir/vtk-config.cmake" ]; then
  log "cached: $PREFIX"
  echo "$PREFIX"
  exit 0
fi

log "building $PREFIX"
tmp="$PREFIX.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp/debs" "$tmp/root"
trap 'rm -rf "$tmp"' EXIT INT TERM
(
  cd "$tmp/debs"
  # apt-get download drops privileges to _apt when root; let it write here.
  chmod 777 . 2>/dev/null || true
  # shellcheck disable=SC2086
  apt-get download -qq $versions >&2
)
for deb in "$tmp"/debs/*.deb; do
  dpkg -x "$deb" "$tmp/root"
done

lib="$tmp/root/usr/lib/x86_64-linux-gnu"
# Dev links of the extracted runtime: they are relative (libX.so ->
# libX.so.1) and resolve inside the prefix. Re-point the absolute ones.
find "$lib" -maxdepth 1 -type l -name 'lib*.so' | while read -r l; do
  t="$(readlink "$l")"
  case "$t" in
    /*) ln -sfn "$(basename "$t")" "$l" ;;
  esac
done
# Any link still dangling in the SDK (a file of a package not extracted) is
# pointed at the installed system file, when there is one.
find "$tmp/root" -xtype l | while read -r l; do
  rel="${l#"$tmp/root"}"
  if [ -e "$rel" ]; then
    ln -sfn "$rel" "$l"
  else
    log "warning: dangling link $rel"
  fi
done
test -f "$tmp/root/usr/lib/x86_64-linux-gnu/cmake/vtk-9.1/vtk-config.cmake"
test -d "$tmp/root/usr/lib/python3/dist-packages/vtkmodules"

echo "$versions" > "$tmp/root/.gradientopacity-stamp"
rm -rf "$PREFIX"
mkdir -p "$(dirname "$PREFIX")"
mv "$tmp/root" "$PREFIX"
log "done: $PREFIX ($(du -sh "$PREFIX" | cut -f1))"
echo "$PREFIX"
