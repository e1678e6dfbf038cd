#!/usr/bin/env bash
# Store put/get of 1 KiB and 1 MiB blobs vs SQLite's own insert/select of the
# same blobs, same run (bench/handlers/store_bench.cpp). Target: ratio >= 0.8.
set -euo pipefail
BUILD=${BUILD:-$(cd "$(dirname "$0")/../.." && pwd)/build}
cmake --build "$BUILD" -j2 --target bench_store >/dev/null
"$BUILD/bin/bench_store" "$@"
