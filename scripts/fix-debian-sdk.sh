#!/bin/sh
# Work around a Debian packaging bug of paraview-dev on trixie (5.13) and
# unstable (6.1): its CMake export files (VTKPython-targets-*.cmake,
# ParaViewPython-targets-*.cmake) name Python extension modules as
# .../dist-packages/<pkg>/X.so while the packages ship
# X.cpython-3NN-<arch>.so. Any find_package(VTK ... Python) or
# find_package(ParaView) then stops with "The imported target ... references
# the file ... but this file does not exist".
#
# This script lists every such missing file and, as root, links it to the
# shipped module (X.so -> X.cpython-3NN-<arch>.so, in the same folder). It
# changes nothing else and nothing when the export files are right.
#
#   sh scripts/fix-debian-sdk.sh          check and link (root)
#   sh scripts/fix-debian-sdk.sh --check  only report; exit 1 when files are missing
set -eu

check_only=0
[ "${1:-}" = "--check" ] && check_only=1

# The Python modules every CMake export of VTK and ParaView imports. The
# exports name them relative to their prefix, ${_IMPORT_PREFIX} = /usr here.
missing="$(find /usr/lib/*/cmake -maxdepth 3 -name '*-targets-*.cmake' \
  \( -path '*/paraview-*' -o -path '*/vtk*' \) 2>/dev/null |
  xargs -r grep -ho '"${_IMPORT_PREFIX}/lib/python3[^"]*\.so"' 2>/dev/null |
  tr -d '"' | sed 's|^${_IMPORT_PREFIX}|/usr|' | sort -u |
  while read -r f; do [ -e "$f" ] || echo "$f"; done)"

[ -n "$missing" ] || exit 0
n=$(echo "$missing" | wc -l)
if [ "$check_only" = 1 ] || [ "$(id -u)" != 0 ]; then
  echo "fix-debian-sdk: $n Python modules named by the VTK/ParaView CMake exports do not exist" >&2
  echo "fix-debian-sdk: (Debian paraview-dev packaging bug); run as root: sh scripts/fix-debian-sdk.sh" >&2
  exit 1
fi
linked=0
for f in $missing; do
  dir="$(dirname "$f")"
  base="$(basename "$f" .so)"
  shipped="$(ls "$dir/$base".cpython-*.so 2>/dev/null | head -n 1 || true)"
  if [ -n "$shipped" ]; then
    ln -s "$(basename "$shipped")" "$f"
    linked=$((linked + 1))
  else
    echo "fix-debian-sdk: no shipped module for $f" >&2
  fi
done
echo "fix-debian-sdk: linked $linked of $n Python modules the CMake exports name as X.so (Debian paraview-dev packaging bug)" >&2
