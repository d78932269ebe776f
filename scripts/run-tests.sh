#!/bin/sh
# Set up, build and run the whole test suite (rendering tests under Xvfb).
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build}"
sh scripts/build.sh
cd "$BUILD_DIR"
xvfb-run -a -s "-screen 0 1280x1024x24" ctest --output-on-failure -j 2 --timeout 600
