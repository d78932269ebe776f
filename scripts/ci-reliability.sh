#!/bin/sh
# CI reliability jobs: the plain VTK 9.1 configuration, the sanitizer build of the
# C/C++ tests, a bounded fuzz run and valgrind on the kernel tests.
#
#   sh scripts/ci-reliability.sh       FUZZ_SECONDS (default 60)
# Each step prints its time; the script fails on the first failing step.
set -eu
cd "$(dirname "$0")/.."
step() {
  name="$1"
  shift
  t0=$(date +%s)
  echo "=== ci-reliability: $name" >&2
  "$@"
  echo "=== ci-reliability: $name ok ($(( $(date +%s) - t0 )) s)" >&2
}
step "VTK 9.1 configuration" sh scripts/ci-vtk91.sh
step "sanitizers (address, undefined)" sh scripts/ci-sanitize.sh
step "fuzz (${FUZZ_SECONDS:-60} s)" sh scripts/ci-fuzz.sh "${FUZZ_SECONDS:-60}"
step "valgrind memcheck (kernels)" sh scripts/ci-valgrind.sh
