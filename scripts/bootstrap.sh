#!/bin/sh
# Install what GradientOpacity needs on a supported Debian release: 12
# bookworm, 13 trixie, unstable (sid). Run as root, or as a user with sudo.
# Idempotent: apt-get runs only when a package is missing.
#
#   sh scripts/bootstrap.sh           install what is missing
#   sh scripts/bootstrap.sh --list    print this release's packages, install nothing
#
# GO_DEBIAN_RELEASE=bookworm|trixie|unstable overrides the release read from
# /etc/os-release.
set -eu
cd "$(dirname "$0")/.."

release="${GO_DEBIAN_RELEASE:-}"
if [ -z "$release" ] && [ -r /etc/os-release ]; then
  id="$(. /etc/os-release; echo "${ID:-}")"
  codename="$(. /etc/os-release; echo "${VERSION_CODENAME:-}")"
  pretty="$(. /etc/os-release; echo "${PRETTY_NAME:-}")"
  if [ "$id" = debian ]; then
    case "$codename" in
      bookworm|trixie) release="$codename" ;;
      # unstable and testing report the next release's codename (or none)
      # with "sid" in PRETTY_NAME.
      *) case "$pretty" in *sid*) release=unstable ;; esac ;;
    esac
  fi
fi

# Common to every release: toolchain, test runners, the Python test deps,
# the sanitizer/fuzz/valgrind tools.
COMMON="cmake make g++ gcc git ca-certificates xvfb xauth libgl1-mesa-dri
 libgtest-dev libopenmpi-dev openmpi-bin python3-numpy python3-scipy
 python3-matplotlib clang valgrind"
case "$release" in
  bookworm)
    # ParaView 5.11 bundles VTK 9.2. paraview-dev's CMake config also needs
    # double-conversion and X11 headers, which it does not depend on.
    PACKAGES="$COMMON paraview-dev python3-paraview libdouble-conversion-dev
 libx11-dev libclang-rt-14-dev" ;;
  trixie)
    # ParaView 5.13 bundles VTK 9.3; python3-paraview conflicts with
    # python3-vtk9. libpython3-dev, double-conversion and X11 headers are
    # needed by its CMake config but not depended on.
    PACKAGES="$COMMON paraview-dev python3-paraview libpython3-dev
 libdouble-conversion-dev libx11-dev libclang-rt-19-dev python3-pyvista" ;;
  unstable)
    # ParaView 6.1 uses the system VTK 9.6 (libvtk9-dev).
    PACKAGES="$COMMON libvtk9-dev python3-vtk9 paraview-dev python3-paraview
 libpython3-dev libdouble-conversion-dev libx11-dev libclang-rt-dev
 python3-pyvista" ;;
  *)
    echo "bootstrap: unsupported system '${pretty:-unknown}'. Supported: Debian 12 bookworm," >&2
    echo "bootstrap: Debian 13 trixie and Debian unstable (see README, Supported platforms)." >&2
    echo "bootstrap: elsewhere install VTK >= 9.1 (or ParaView >= 5.11) with Python, then build" >&2
    echo "bootstrap: by hand (docs/building.md); GO_DEBIAN_RELEASE=<release> forces a list." >&2
    exit 1 ;;
esac
PACKAGES="$(echo $PACKAGES)"

if [ "${1:-}" = "--list" ]; then
  echo "$PACKAGES"
  exit 0
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=sudo
  else
    echo "bootstrap: not root and no sudo: run it as root, or install: $PACKAGES" >&2
    exit 1
  fi
fi

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "bootstrap: Debian $release: installing$missing" >&2
  t0=$(date +%s)
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >&2
  echo "bootstrap: installed in $(( $(date +%s) - t0 )) s" >&2
fi

# Debian's paraview-dev on trixie and unstable exports Python modules under
# names it does not ship (a packaging bug): fix-debian-sdk.sh checks and
# reports, and links the missing names when run as root.
case "$release" in
  trixie|unstable) $SUDO sh scripts/fix-debian-sdk.sh ;;
esac
