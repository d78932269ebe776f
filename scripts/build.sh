#!/bin/sh
# Configure and build GradientOpacity against ParaView 5.11's VTK into ./build
# (BUILD_DIR overrides). Extra arguments go to the CMake configure step.
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build}"
sh scripts/bootstrap.sh
cmake -S . -B "$BUILD_DIR" -DPython3_EXECUTABLE=/usr/bin/python3 "$@" >/dev/null
cmake --build "$BUILD_DIR" -j "$(nproc)"
