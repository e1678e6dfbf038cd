#!/usr/bin/env bash
# `make bench`: every benchmark, figures to stdout. docs/PERFORMANCE.md says
# which command produced each figure; run on a quiet machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/bin
echo "== engine (median of 5 repetitions)"
$bin/bench_engine --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_display_aggregates_only=true 2>&1 | grep -E "median|Benchmark|---"
echo "== density, bounds checks (100,000 one-page instances)"
$bin/bench_density bounds-checks 100000 | tail -1
echo "== density, guard regions (until address space runs out)"
$bin/bench_density guard-regions 20000 | tail -2
for extra in bench_abi bench_chain; do
  if [[ -x $bin/$extra ]]; then
    echo "== $extra"
    $bin/$extra --benchmark_repetitions=3 --benchmark_report_aggregates_only=true 2>&1 | grep -E "median|Benchmark"
  fi
done
