#!/bin/sh
# Build the libFuzzer targets over the C kernels with clang (ASan + UBSan) and
# run them for a bounded time on one core, starting from the seed corpora:
# fuzz_kernels (gradient kernels), then fuzz_sampler (sub-voxel sampler).
#
#   sh scripts/ci-fuzz.sh [SECONDS]      (default 60; BUILD_DIR build-fuzz)
#
# New inputs go to $BUILD_DIR/corpus (not the repository); a failing input is
# written to $BUILD_DIR/artifacts/ and the script fails. Reproduce with
#   $BUILD_DIR/fuzz_kernels_replay <file>   (FUZZ_VERBOSE=1 prints the case)
set -eu
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-60}"
BUILD_DIR="${BUILD_DIR:-build-fuzz}"
CC_FUZZ="${CC_FUZZ:-clang}"
if ! command -v "$CC_FUZZ" >/dev/null 2>&1; then
  echo "ci-fuzz: $CC_FUZZ not found (apt-get install clang libclang-rt-14-dev)" >&2
  exit 1
fi
cmake -S Testing/Fuzz -B "$BUILD_DIR" -DCMAKE_C_COMPILER="$CC_FUZZ" >/dev/null
cmake --build "$BUILD_DIR" -j 2
mkdir -p "$BUILD_DIR/corpus" "$BUILD_DIR/artifacts"
"$BUILD_DIR/fuzz_kernels_replay" Testing/Fuzz/corpus
# A fixed seed and execution budget make the CI run reproducible (the time
# limit only caps it on a slow machine); FUZZ_RUNS=-1 fuzzes for the time.
"$BUILD_DIR/fuzz_kernels" -seed="${FUZZ_SEED:-20261124}" -runs="${FUZZ_RUNS:-40000}" \
  -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -rss_limit_mb=1024 \
  -timeout=20 -print_final_stats=1 -artifact_prefix="$BUILD_DIR/artifacts/" \
  "$BUILD_DIR/corpus" Testing/Fuzz/corpus 2>"$BUILD_DIR/fuzz.log" || {
  tail -40 "$BUILD_DIR/fuzz.log" >&2
  exit 1
}
grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$BUILD_DIR/fuzz.log" || true
# The sub-voxel sampler target (AVX2 form vs scalar form, ranges vs one call,
# typed vs generic reads): a third of the time, its own corpus.
mkdir -p "$BUILD_DIR/corpus-sampler"
"$BUILD_DIR/fuzz_sampler_replay" Testing/Fuzz/corpus-sampler
"$BUILD_DIR/fuzz_sampler" -seed="${FUZZ_SEED:-20261124}" -runs="${FUZZ_SAMPLER_RUNS:-15000}" \
  -max_total_time="$(( SECONDS_TO_RUN / 3 + 1 ))" -max_len=8192 -rss_limit_mb=1024 \
  -timeout=20 -print_final_stats=1 -artifact_prefix="$BUILD_DIR/artifacts/" \
  "$BUILD_DIR/corpus-sampler" Testing/Fuzz/corpus-sampler 2>"$BUILD_DIR/fuzz-sampler.log" || {
  tail -40 "$BUILD_DIR/fuzz-sampler.log" >&2
  exit 1
}
grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$BUILD_DIR/fuzz-sampler.log" || true
