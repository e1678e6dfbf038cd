#!/bin/sh
# Peak memory (max RSS) and throughput of `theater verify` and `theater events`
# on one actor's ~1 GiB chain, against SHA-256 of the same bytes measured in
# the same run: openssl dgst and sha256sum of the event file (sha256sum uses
# no SHA instructions here), and openssl speed, the CPU's best case, by CPU
# time and by wall clock (see below). Figures go to docs/PERFORMANCE.md ("Chain reading").
#
#   bench/chain/run.sh [build-dir] [MiB]        (defaults: build 1024)
#
# Needs `cmake --build build --target theater chain_fill` first, and
# 2-3 GiB free under /tmp. Not a test: timings vary with the machine's load.
set -eu
build=${1:-build}
mib=${2:-1024}
work=$(mktemp -d /tmp/theater-chain-bench-XXXXXX)
trap 'rm -rf "$work"' EXIT

set -- $("$build/bin/chain_fill" "$work/home" "$mib")
id=$1
events=$2
file="$work/home/theater.db-events"
bytes=$(stat -c %s "$file")
export THEATER_HOME="$work/home"
cat "$file" > /dev/null  # into the page cache, as for every command below

# Runs a command with its output discarded; prints
# "seconds max-rss-KiB exit-code user-seconds system-seconds".
measure() {
  /usr/bin/time -f '%e %M %x %U %S' -o "$work/time" "$@" > /dev/null 2> "$work/stderr" || true
  cat "$work/time"
}

mb_per_s() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? b / s / 1e6 : 0) }'; }

# "<label>: <s> s, max RSS <MiB> MiB, <MB/s> MB/s of chain, exit <code>"
report() {
  label=$1
  set -- $2
  rss=$(awk -v k="$2" 'BEGIN { printf "%.1f", k / 1024 }')
  echo "$label: $1 s, max RSS $rss MiB, $(mb_per_s "$1") MB/s of chain, exit $3"
}

echo "chain: $events events, $bytes bytes in $file"
report "theater verify" "$(measure "$build/bin/theater" verify "$id")"
report "theater events --format jsonl" "$(measure "$build/bin/theater" events "$id" --format jsonl)"
report "theater events (pretty)" "$(measure "$build/bin/theater" events "$id")"
report "openssl dgst -sha256 of the event file" "$(measure openssl dgst -sha256 "$file")"
report "sha256sum of the event file" "$(measure sha256sum "$file")"
# The CPU's SHA-256 rate on data already in cache: the bound verify can reach.
# openssl speed divides by its user CPU time; with -elapsed, by wall-clock
# time, which other processes on a shared machine stretch as they stretch
# verify's. Each is compared with the matching figure of verify.
sha_speed() {
  openssl speed -seconds 3 -bytes 65536 "$@" sha256 2>/dev/null | tail -1 |
    awk '{ sub("k", "", $2); printf "%.0f", $2 * 1000 / 1e6 }'
}
speed=$(sha_speed)
echo "openssl speed sha256, 64 KiB blocks, one core: $speed MB/s of user CPU time"
set -- $(measure "$build/bin/theater" verify "$id")
wall=$(mb_per_s "$1")
cpu=$(mb_per_s "$(awk -v u="$4" -v s="$5" 'BEGIN { print u + s }')")
elapsed_speed=$(sha_speed -elapsed)
echo "openssl speed -elapsed sha256, right after: $elapsed_speed MB/s of wall-clock time"
ratio() { awk -v v="$1" -v s="$2" 'BEGIN { printf "%.2f", (s > 0 ? v / s : 0) }'; }
echo "theater verify again: $wall MB/s wall clock = $(ratio "$wall" "$speed") of openssl speed," \
  "$(ratio "$wall" "$elapsed_speed") of openssl speed -elapsed;" \
  "$cpu MB/s of CPU time (user + system) = $(ratio "$cpu" "$speed") of openssl speed"
