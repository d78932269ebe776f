#!/bin/sh
# Second CI configuration: the module, its tests and the Python package
# against Debian's plain VTK 9.1 (libvtk9-dev + python3-vtk9), taken from a
# private prefix (scripts/vtk91-prefix.sh) so that the installed ParaView 5.11
# SDK stays the system's configuration.
#
#   sh scripts/ci-vtk91.sh [extra cmake args]
#
# BUILD_DIR (default build-91), JOBS (default 2), GO_VTK91_PREFIX (see
# vtk91-prefix.sh). Excluded test: install.prefix_python_and_find_package —
# it imports the installed package with LD_LIBRARY_PATH unset and only the
# install prefix on PYTHONPATH, which cannot find a VTK that lives in a
# private prefix (it runs in the primary configuration).
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build-91}"
JOBS="${JOBS:-2}"

PREFIX="$(sh scripts/vtk91-prefix.sh)"
LIBDIR="$PREFIX/usr/lib/x86_64-linux-gnu"
PYDIR="$PREFIX/usr/lib/python3/dist-packages"
# libtbb and the 9.1 libraries are only in the prefix; Python modules of
# python3-vtk9 have no RUNPATH.
LD_LIBRARY_PATH="$LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
# 9.1's vtkmodules must come before ParaView's in /usr/lib/python3/dist-packages.
PYTHONPATH="$PYDIR${PYTHONPATH:+:$PYTHONPATH}"
export LD_LIBRARY_PATH PYTHONPATH

start=$(date +%s)
mkdir -p "$BUILD_DIR"
# Lean: the module, its tests and the Python wrapping. Parts that need
# ParaView (the plugin) switch themselves off when ParaView is not found.
cmake -S . -B "$BUILD_DIR" \
  -DCMAKE_BUILD_TYPE=Release \
  -DPython3_EXECUTABLE=/usr/bin/python3 \
  -DVTK_DIR="$LIBDIR/cmake/vtk-9.1" \
  -DCMAKE_PREFIX_PATH="$PREFIX/usr" \
  -DBUILD_TESTING=ON \
  -DGRADIENTOPACITY_WRAP_PYTHON=ON \
  -DGRADIENTOPACITY_BENCHMARK_ITK=OFF -DGRADIENTOPACITY_PARAVIEW_PLUGIN=OFF \
  "$@" >"$BUILD_DIR/configure.log" 2>&1 || { cat "$BUILD_DIR/configure.log"; exit 1; }
grep -E "GradientOpacity: VTK" "$BUILD_DIR/configure.log" || true
if ! grep -q "GradientOpacity: VTK 9\.1" "$BUILD_DIR/configure.log"; then
  echo "ci-vtk91: configured against something other than VTK 9.1" >&2
  exit 1
fi
cmake --build "$BUILD_DIR" -j "$JOBS"

# The Python tests set PYTHONPATH to the build tree's package folder only
# (ctest ENVIRONMENT replaces the variable): make 9.1's vtkmodules visible
# there, ahead of ParaView's.
pydest="$(sed -n 's/^GRADIENTOPACITY_PYTHON_DESTINATION:[A-Z]*=//p' "$BUILD_DIR/CMakeCache.txt")"
[ -n "$pydest" ] || pydest=lib/python3/dist-packages
if [ -d "$BUILD_DIR/$pydest" ]; then
  ln -sfn "$PYDIR/vtkmodules" "$BUILD_DIR/$pydest/vtkmodules"
  ln -sfn "$PYDIR/vtk.py" "$BUILD_DIR/$pydest/vtk.py"
fi
built=$(date +%s)
echo "ci-vtk91: configure+build $((built - start)) s"

cd "$BUILD_DIR"
rc=0
if command -v xvfb-run >/dev/null 2>&1; then
  xvfb-run -a -s "-screen 0 1280x1024x24" \
    ctest --output-on-failure -j "$JOBS" --timeout 600 -E '^install\.' || rc=$?
else
  ctest --output-on-failure -j "$JOBS" --timeout 600 -E '^install\.' || rc=$?
fi
echo "ci-vtk91: tests $(( $(date +%s) - built )) s, exit $rc"
exit $rc
