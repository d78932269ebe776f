#!/bin/sh
# Set up (scripts/bootstrap.sh), configure and build GradientOpacity into
# ./build (BUILD_DIR overrides). Extra arguments go to the CMake configure
# step. The VTK is found automatically: ParaView's own VTK where ParaView
# bundles one (bookworm, trixie), else the system VTK (unstable).
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build}"
sh scripts/bootstrap.sh
t0=$(date +%s)
cmake -S . -B "$BUILD_DIR" -DPython3_EXECUTABLE=/usr/bin/python3 "$@"
t1=$(date +%s)
cmake --build "$BUILD_DIR" -j "$(nproc)"
echo "build: configure $((t1 - t0)) s, build $(( $(date +%s) - t1 )) s" >&2
