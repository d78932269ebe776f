#!/bin/sh
# Scaling figure of the ParaView plugin on embryo: pvbatch with 1 and 2 MPI
# ranks (printed, not asserted). Usage: Plugin/benchmark_mpi.sh [build dir]
set -e
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build-pv}
py=$(ls -d "$build"/lib/python3*/site-packages | head -1)
export PYTHONPATH="$py:$here/Testing"
export GRADIENTOPACITY_PLUGIN="$build/lib/paraview-5.11/plugins/GradientOpacityPlugin/GradientOpacityPlugin.so"
export GO_SHARED_DATA_DIR="${GO_SHARED_DATA_DIR:-$here/../../shared/data}"
export GO_TEST_TMP="${GO_TEST_TMP:-$build/Plugin/Testing/tmp}"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
xvfb-run -a pvbatch --force-offscreen-rendering "$here/Testing/benchmark_mpi.py" 2>&1 | grep -E "BENCH|absent"
xvfb-run -a mpiexec -n 2 pvbatch --force-offscreen-rendering "$here/Testing/benchmark_mpi.py" 2>&1 | grep -E "BENCH|absent"
