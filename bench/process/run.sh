#!/usr/bin/env bash
# The process handler's benchmarks, Theater and its peers in the same run,
# with ratios. Builds nothing: it needs a release build holding bench_process,
# bench_process_spawn_c and the sink actor (`make build`, or
# `cmake --build build --target bench_process bench_process_spawn_c`).
# Installs erlang-base (Debian) when escript is missing; Node and Python must
# be on the PATH.
#
#   bench/process/run.sh                 BUILD=build RUNS=3 LINES=2000000 SPAWNS=2000
#
# Each figure is the median of RUNS runs. Theater's side runs a real runtime
# with its SQLite event log: every callback is a recorded actor call.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
bin=$build/bin
runs=${RUNS:-3}
lines=${LINES:-2000000}
spawns=${SPAWNS:-2000}

for tool in "$bin/bench_process" "$bin/bench_process_spawn_c"; do
  [[ -x $tool ]] || { echo "missing $tool: build the release tree first" >&2; exit 1; }
done
for tool in node python3; do
  command -v $tool > /dev/null || { echo "missing $tool" >&2; exit 1; }
done
if ! command -v escript > /dev/null; then
  echo "installing erlang-base for the Erlang peers"
  apt-get install -y -q erlang-base > /dev/null ||
    { apt-get update -q > /dev/null && apt-get install -y -q erlang-base > /dev/null; }
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
head -c 1073741824 /dev/zero > "$work/raw.bin"
seq 1 "$lines" > "$work/lines.txt"

# median of the numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# the median of RUNS runs of a command that prints one number
repeat() { for _ in $(seq "$runs"); do "$@"; done | median; }
theater() { "$bin/bench_process" "$@" "$runs" | awk '/^median/ { print $2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row() { printf "  %-52s %12s %s\n" "$1" "$2" "$3"; }

echo "== raw: 1 GiB from cat into one reader (MB/s)"
t_raw=$(theater raw "$work/raw.bin")
node_raw=$(repeat node "$here/peers/raw_node.js" "$work/raw.bin")
row "theater (actor, raw mode, every byte in the chain)" "$t_raw" "MB/s"
row "node child_process" "$node_raw" "MB/s"
row "theater / node" "$(ratio "$t_raw" "$node_raw")" "(target >= 1, and theater >= 500 MB/s)"
# Theater writes every byte to its event file; Node keeps nothing. The
# disk's own bound, in the same run: dd of the same GiB into a new file here.
dd_rate() {
  rm -f "$work/dd.out"
  dd if="$work/raw.bin" of="$work/dd.out" bs=64K 2>&1 |
    awk '/copied/ { for (i = 1; i <= NF; i++) if ($i == "s,") s = $(i - 1); printf "%.1f\n", $1 / s / 1e6 }'
  rm -f "$work/dd.out"
}
dd_raw=$(repeat dd_rate)
row "dd, the same GiB into a new file on this disk" "$dd_raw" "MB/s"
row "theater / dd" "$(ratio "$t_raw" "$dd_raw")" "(the storage bound; no target)"
# Every byte is hashed into the chain (SHA-256, DESIGN.md): one core's rate.
sha_rate() {
  openssl speed -seconds 1 -bytes 65536 sha256 2>/dev/null | awk '/^sha256/ { printf "%.1f\n", $2 / 1000 }'
}
sha_raw=$(repeat sha_rate)
row "sha256 of 64 KiB blocks on one core (openssl speed)" "$sha_raw" "MB/s"
row "node / sha256" "$(ratio "$node_raw" "$sha_raw")" "(above 1: hashing alone cannot keep up with node)"

echo "== lines: cat of $lines lines, one callback per line (lines/s)"
t_lines=$(theater lines "$work/lines.txt")
py_lines=$(repeat python3 "$here/peers/lines_python.py" "$work/lines.txt")
erl_lines=$(repeat escript "$here/peers/lines_erlang.escript" "$work/lines.txt")
row "theater (actor, line-by-line mode)" "$t_lines" "lines/s"
row "python subprocess readline loop" "$py_lines" "lines/s"
row "erlang port {line, 4096}" "$erl_lines" "lines/s"
row "theater / python" "$(ratio "$t_lines" "$py_lines")" "(target >= 1, and theater >= 250k lines/s)"
row "theater / erlang" "$(ratio "$t_lines" "$erl_lines")" "(target >= 1)"

echo "== spawn to exit: /bin/true x $spawns in sequence (spawns/s)"
t_spawn=$(theater spawn "$spawns")
c_spawn=$(repeat "$bin/bench_process_spawn_c" "$spawns")
node_spawn=$(repeat node "$here/peers/spawn_node.js" "$spawns")
erl_spawn=$(repeat escript "$here/peers/spawn_erlang.escript" "$spawns")
row "theater (actor, next spawn from handle-exit)" "$t_spawn" "spawns/s"
row "C posix_spawn + waitpid" "$c_spawn" "spawns/s"
row "node child_process" "$node_spawn" "spawns/s"
row "erlang open_port" "$erl_spawn" "spawns/s"
row "theater / C" "$(ratio "$t_spawn" "$c_spawn")" "(target >= 0.70)"
row "theater / node" "$(ratio "$t_spawn" "$node_spawn")" "(target >= 1)"
row "theater / erlang" "$(ratio "$t_spawn" "$erl_spawn")" "(target >= 1)"
