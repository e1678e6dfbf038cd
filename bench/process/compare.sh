#!/usr/bin/env bash
# Two builds of bench_process side by side, interleaved run by run so both see
# the same machine: line mode, spawn to exit, and raw mode.
#
#   bench/process/compare.sh BEFORE_BUILD AFTER_BUILD    ROUNDS=3 LINES=1000000 SPAWNS=1000 MODES="lines spawn raw"
#
# Prints each figure's median over ROUNDS for both builds and their ratio.
set -euo pipefail
before=$1/bin/bench_process
after=$2/bin/bench_process
rounds=${ROUNDS:-3}
lines=${LINES:-1000000}
spawns=${SPAWNS:-1000}
for tool in "$before" "$after"; do
  [[ -x $tool ]] || { echo "missing $tool" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 536870912 /dev/zero > "$work/raw.bin"
seq 1 "$lines" > "$work/lines.txt"

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
once() { "$1" "${@:2}" 1 | awk '/^median/ { print $2 }'; }

for mode in ${MODES:-lines spawn raw}; do
  case $mode in
    lines) args=(lines "$work/lines.txt"); unit="lines/s" ;;
    spawn) args=(spawn "$spawns"); unit="spawns/s" ;;
    raw) args=(raw "$work/raw.bin"); unit="MB/s" ;;
  esac
  : > "$work/a"; : > "$work/b"
  for _ in $(seq "$rounds"); do
    once "$before" "${args[@]}" >> "$work/a"
    once "$after" "${args[@]}" >> "$work/b"
  done
  a=$(median < "$work/a"); b=$(median < "$work/b")
  printf "  %-6s before %12s  after %12s %-9s after/before %s   (runs: %s | %s)\n" "$mode" "$a" "$b" \
    "$unit" "$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", b / a }')" \
    "$(tr '\n' ' ' < "$work/a")" "$(tr '\n' ' ' < "$work/b")"
done
