#!/usr/bin/env bash
# `make demo`: the project's main job on a bundled example.
set -euo pipefail
cd "$(dirname "$0")/.."
theater=build/bin/theater
guest=build/wasm/engine_demo_fib.wasm
$theater version
echo "--- fib(32) in a wasm guest"
$theater wasm-run "$guest" fib 32
echo "--- a runaway loop with a 200 ms deadline (the watchdog stops it)"
if $theater wasm-run "$guest" forever --timeout-ms 200; then
  echo "unexpected: the runaway call returned" >&2
  exit 1
fi
echo "--- the runaway call was stopped, as intended"
