#!/bin/sh
# valgrind memcheck on the kernel tests (fast subset): the C kernel gtests,
# the kernel regression tests, the bad-input matrix rows of the filter and
# vtkAutoGradientOpacity, and the fuzz corpus replay, from a plain
# (non-sanitized) build. Fails on any error or definite/indirect leak.
#
#   sh scripts/ci-valgrind.sh          BUILD_DIR (default build-rel)
set -eu
cd "$(dirname "$0")/.."
BUILD_DIR="${BUILD_DIR:-build-rel}"
# Lean: only C/C++ test programs are run here (no Python package, plugin or
# ITK benchmark routes needed).
cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPython3_EXECUTABLE=/usr/bin/python3 \
  -DGRADIENTOPACITY_WRAP_PYTHON=OFF -DGRADIENTOPACITY_PARAVIEW_PLUGIN=OFF \
  -DGRADIENTOPACITY_BENCHMARK_ITK=OFF >/dev/null
cmake --build "$BUILD_DIR" -j 2 --target GradientOpacityFilterTests \
  GradientOpacityReliabilityTests GradientOpacityRenderingTests fuzz_kernels_replay \
  fuzz_sampler_replay
VG="valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
 --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect --track-origins=no -q"
$VG "$BUILD_DIR/bin/GradientOpacityFilterTests" --gtest_filter='Kernels.*' --gtest_brief=1
$VG "$BUILD_DIR/bin/GradientOpacityReliabilityTests" --gtest_filter='KernelRegressions.*' --gtest_brief=1
# The bad-input rows through the VTK classes (filter, auto gradient opacity):
# ~50 s under memcheck.
$VG "$BUILD_DIR/bin/GradientOpacityReliabilityTests" \
  --gtest_filter='FilterBadInput.*:FilterPipeline.*:Sampling/AutoOpacityBadInput.*' --gtest_brief=1
# The sub-voxel sampler's kernels, AVX2 gathers included (memcheck checks
# every lane's address): ~5 s.
$VG "$BUILD_DIR/bin/GradientOpacityRenderingTests" --gtest_filter='AutoOpacitySampling.*:FiniteRange.*' --gtest_brief=1
fz="$(find "$BUILD_DIR" -name fuzz_kernels_replay -type f | head -1)"
$VG "$fz" Testing/Fuzz/corpus
fs="$(find "$BUILD_DIR" -name fuzz_sampler_replay -type f | head -1)"
$VG "$fs" Testing/Fuzz/corpus-sampler
echo "ci-valgrind: no errors"
