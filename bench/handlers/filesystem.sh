#!/usr/bin/env bash
# read-file of a 1 MiB file through a guest vs `cat` of it, same run.
#   bench/handlers/filesystem.sh     BUILD=build READS=100 RUNS=5
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${BUILD:-$(cd "$here/../.." && pwd)/build}
cmake --build "$build" -j2 --target bench_filesystem > /dev/null
"$build/bin/bench_filesystem" "${READS:-100}" "${RUNS:-5}"
