#!/usr/bin/env bash
# Host-call overhead of timing.now and random-bytes(32), chain record
# included, per host call, next to the same run's empty host call and plain
# SHA-256 of the record, and their ratios. BUILD defaults to build/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
BUILD=${BUILD:-$here/../../build}
cmake --build "$BUILD" -j2 --target bench_host_calls >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$BUILD/bin/bench_host_calls" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_format=json >"$out"
python3 - "$out" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
def per_call_ns(name):
    for r in runs:
        if r["name"] == f"{name}_median":
            scale = {"ns": 1, "us": 1e3, "ms": 1e6, "s": 1e9}[r["time_unit"]]
            return r["real_time"] * scale / r["calls_per_iteration"]
    raise SystemExit(f"no result for {name}")
empty = per_call_ns("BM_EmptyHostCall")
sha = per_call_ns("BM_Sha256OfNowRecord")
print(f"empty host call          {empty:8.0f} ns per call (reference)")
print(f"SHA-256 of a now record  {sha:8.0f} ns (reference)")
for label, name in (("timing.now", "BM_TimingNow"), ("random-bytes(32)", "BM_RandomBytes32")):
    ours = per_call_ns(name)
    verdict = "meets" if ours <= 1000 else "misses"
    print(f"{label:24s} {ours:8.0f} ns per call, recorded: {ours / empty:5.1f}x the empty call, "
          f"{ours / sha:5.1f}x the SHA-256; {verdict} the 1 us target")
PY
