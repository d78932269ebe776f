#!/bin/sh
# Set up, build and run the main job on its default input.
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build}"
sh scripts/build.sh
"$BUILD_DIR/bin/GradientMagnitudeExample"
