#!/usr/bin/env bash
# Builds the fuzz preset and runs its libFuzzer targets (fuzz/README.md).
#
#   fuzz/run.sh build                  configure build-fuzz (once) and build the targets
#   fuzz/run.sh fuzz SECONDS [T...]    build, then fuzz each target T (default: all) for
#                                      SECONDS, growing build-fuzz/corpus/T (make fuzz)
#   fuzz/run.sh smoke RUNS [T...]      run each target over its seeds, then RUNS
#                                      fixed-seed mutations (the fuzz_smoke test)
#
# Seeds are fuzz/corpus/T/ and are only read; what a run adds goes to build-fuzz.
# A crash, sanitizer report, leak, timeout or oversized allocation fails the
# run and leaves the input in build-fuzz/artifacts/T/.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=build-fuzz
# One target per fuzz/fuzz_<what>.cpp.
TARGETS=()
for source in fuzz/fuzz_*.cpp; do TARGETS+=("$(basename "$source" .cpp)"); done
# A single allocation above this is a finding: every input here is small, so a
# big allocation means a length was trusted that should not have been.
COMMON_FLAGS=(-malloc_limit_mb=512 -rss_limit_mb=2048 -timeout=25 -print_final_stats=1)

die() {
  echo "fuzz: $*" >&2
  exit 1
}

build() {
  command -v clang++-14 >/dev/null ||
    die "clang++-14 is not installed, so the fuzz targets cannot be built (run scripts/setup-deps.sh)"
  ls /usr/lib/llvm-14/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1 ||
    die "libFuzzer for clang 14 is missing (Debian package libclang-rt-14-dev; run scripts/setup-deps.sh)"
  if [[ ! -f $BUILD/CMakeCache.txt ]]; then
    local launcher=()
    # Objects are shared with other checkouts when ccache is there.
    if command -v ccache >/dev/null; then
      launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
    fi
    cmake --preset fuzz "${launcher[@]}" >/dev/null
  fi
  cmake --build --preset fuzz -j "${JOBS:-2}"
}

run_target() {  # target, then libFuzzer options
  local target=$1
  shift
  local corpus=$BUILD/corpus/$target artifacts=$BUILD/artifacts/$target/
  mkdir -p "$corpus" "$artifacts"
  "$BUILD/bin/$target" "${COMMON_FLAGS[@]}" -artifact_prefix="$artifacts" "$@" \
    "$corpus" "fuzz/corpus/$target"
}

case "${1:-}" in
  build)
    build
    ;;
  fuzz)
    seconds=${2:?usage: fuzz/run.sh fuzz SECONDS [target...]}
    shift 2
    build
    for target in "${@:-${TARGETS[@]}}"; do
      echo "fuzz: $target for ${seconds}s"
      run_target "$target" -max_total_time="$seconds" -use_value_profile=1
    done
    ;;
  smoke)
    runs=${2:?usage: fuzz/run.sh smoke RUNS [target...]}
    shift 2
    # A fresh scratch corpus: the same seeds and mutations every time.
    scratch=$(mktemp -d "$BUILD/smoke.XXXXXX")
    trap 'rm -rf "$scratch"' EXIT
    for target in "${@:-${TARGETS[@]}}"; do
      [[ -x $BUILD/bin/$target ]] || die "$BUILD/bin/$target is not built (fuzz/run.sh build)"
      echo "fuzz: $target, seeds then $runs runs"
      mkdir -p "$scratch/$target" "$BUILD/artifacts/$target"
      "$BUILD/bin/$target" "${COMMON_FLAGS[@]}" -artifact_prefix="$BUILD/artifacts/$target/" \
        -seed=1 -runs="$runs" "$scratch/$target" "fuzz/corpus/$target"
    done
    ;;
  *)
    die "usage: fuzz/run.sh build | fuzz SECONDS [target...] | smoke RUNS [target...]"
    ;;
esac
