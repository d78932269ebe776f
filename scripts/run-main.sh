#!/bin/sh
# Set up, build and run the main job on its default input.
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build}"
sh scripts/build.sh
xvfb-run -a "$BUILD_DIR/bin/gradient-opacity" --out gradient-opacity-out
