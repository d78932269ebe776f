#!/bin/sh
# Memory and time of the distributed and whole routes of "Auto Gradient
# Opacity" on a generated 512^3 uint16 volume (.pvti of 8 pieces) under
# pvbatch at 1, 2 and 4 MPI ranks (printed, not asserted; see docs/parallel.md).
# Each rank runs under /usr/bin/time: "RSS" lines give its peak resident set.
#
#   sh Plugin/benchmark_mpi_volume.sh [build dir] [size] [ranks...]
# (GO_BENCH_CONFIGS="auto" or "gm+auto" runs one pipeline only.)
set -e
here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:-$here/../build}" && pwd)
size=${2:-512}
shift 2 2>/dev/null || shift $#
ranks=${*:-1 2 4}
py=$(ls -d "$build"/lib/python3*/site-packages | head -1)
export PYTHONPATH="$py:$here/Testing"
export GRADIENTOPACITY_PLUGIN="$build/lib/paraview-5.11/plugins/GradientOpacityPlugin/GradientOpacityPlugin.so"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
tmp="${GO_BENCH_TMP:-$build/Plugin/Testing/tmp}"
vol="$tmp/volume_${size}_u16.pvti"
[ -f "$vol" ] || /usr/bin/python3 "$here/Testing/make_volume_pvti.py" "$vol" "$size" 8
for config in ${GO_BENCH_CONFIGS:-auto gm+auto}; do
  for np in $ranks; do
    for dist in 1 0; do
      [ "$np" = 1 ] && [ "$dist" = 0 ] && continue # one rank: the same run
      echo "== np=$np config=$config distributed=$dist"
      xvfb-run -a mpiexec -n "$np" --oversubscribe /usr/bin/time -f "RSS %M KB wall %e s" \
        pvbatch --force-offscreen-rendering "$here/Testing/benchmark_mpi_volume.py" \
        "$vol" "$config" "$dist" 2>&1 | grep -E "BENCH|^RSS|Error|ERR"
    done
  done
done
