#!/usr/bin/env bash
# The messaging benchmarks, Theater and its peers in the same run, with
# ratios (bench/messaging/README.md says what each figure measures).
#
#   bench/messaging/run.sh      BUILD=build RUNS=3 MESSAGES=1000000 TRIPS=20000
#                               ACTORS=10000 SPAWNS=10000
#
# Installs the peers' Debian packages when they are missing (erlang-base,
# erlang-crypto for the Erlang same-work peer, libcaf-dev; as root,
# non-interactively) and skips a peer, saying so, when its package cannot be
# installed. Builds bench_messaging (and bench_supervision, when the tree has
# it) in BUILD and the CAF peer with g++. Each figure is the median of RUNS
# runs. Peers come plain and "same-work": the same program appending every
# message to a SHA-256 hash chain, as Theater records everything.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${BUILD:-$root/build}
runs=${RUNS:-3}
messages=${MESSAGES:-1000000}
trips=${TRIPS:-20000}
actors=${ACTORS:-10000}
spawns=${SPAWNS:-10000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# ---- peers: install, build ----------------------------------------------------

# Installs the Debian packages named unless `check` already succeeds; false
# when they still cannot be used.
ensure() {
  local check=$1
  shift
  eval "$check" > /dev/null 2>&1 && return 0
  echo "installing $* (Debian)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "$@" > "$work/apt.log" 2>&1 ||
    { apt-get update -q > /dev/null 2>&1 && apt-get install -y -q "$@" > "$work/apt.log" 2>&1; } ||
    { echo "  cannot install $*: $(tail -n 1 "$work/apt.log")"; return 1; }
  eval "$check" > /dev/null 2>&1
}

erlang_plain=no erlang_chain=no caf=no
if ensure "command -v erlc" erlang-base && erlc -o "$work" "$here/peers/messaging_peer.erl"; then
  erlang_plain=yes
  ensure "erl -noshell -eval 'halt(case code:which(crypto) of non_existing -> 1; _ -> 0 end)'" \
    erlang-crypto && erlang_chain=yes
fi
[[ $erlang_plain == yes ]] || echo "skipping the Erlang peer: erlang-base is not available"
[[ $erlang_chain == yes || $erlang_plain == no ]] ||
  echo "skipping the Erlang same-work peer: erlang-crypto is not available"
if ensure "test -f /usr/include/caf/all.hpp" libcaf-dev; then
  echo "building the CAF peer"
  g++ -O2 -std=c++20 -I "$root/src" -o "$work/caf_peer" "$here/peers/caf_peer.cpp" \
    "$root/src/common/sha256.cpp" -lcaf_core -lcrypto -pthread && caf=yes
fi
[[ $caf == yes ]] || echo "skipping the CAF peer: libcaf-dev is not available or did not build"

# ---- Theater: build ------------------------------------------------------------

theater_targets=(bench_messaging)
[[ -f $here/supervision_bench.cpp ]] && theater_targets+=(bench_supervision)
echo "building ${theater_targets[*]} in $build"
cmake --build "$build" -j2 --target "${theater_targets[@]}" > "$work/build.log" 2>&1 ||
  { tail -n 20 "$work/build.log"; echo "the Theater side did not build" >&2; exit 1; }

# ---- running ------------------------------------------------------------------

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
# The median of RUNS runs of a command that prints one number; empty when a run fails.
repeat() {
  local values="" value
  for _ in $(seq "$runs"); do
    value=$("$@") || return 1
    values+="$value"$'\n'
  done
  printf "%s" "$values" | median
}
erlang() { [[ $1 == plain && $erlang_plain == yes || $1 == chain && $erlang_chain == yes ]] &&
  repeat erl -noshell -pa "$work" -run messaging_peer main "$@"; }
caf() { [[ $caf == yes ]] && repeat "$work/caf_peer" "$@"; }
# The value of bench_messaging's "figure <name> <value> <unit>" line. Exit 3
# means it cannot run at all (no message-server handler): noted once, in a
# file, since this runs in a subshell.
unavailable=$work/theater.unavailable
theater() {
  [[ ! -f $unavailable ]] || return
  "$build/bin/bench_messaging" "$1" "$runs" "$2" > "$work/theater.out" 2> "$work/theater.err"
  case $? in
    0) awk '/^figure/ { print $3 }' "$work/theater.out" ;;
    3) cp "$work/theater.err" "$unavailable" ;;
    *) echo "  theater $1 failed: $(tail -n 1 "$work/theater.err")" >&2 ;;
  esac
}
row() { printf "  %-50s %12s %s\n" "$1" "${2:-n/a}" "$3"; }
# theater / peer for a rate, peer / theater for a time: above 1, Theater is ahead.
ratio() {
  [[ -n $2 && -n $3 ]] || { echo "n/a"; return; }
  awk -v t="$2" -v p="$3" -v k="$1" 'BEGIN { printf "%.2f", k == "rate" ? t / p : p / t }'
}
ratios() {  # kind theater target-text, then the peers' name=value pairs
  local kind=$1 theater_value=$2 target=$3
  shift 3
  [[ -n $theater_value ]] || { row "ratios" "n/a" "(no theater figure) $target"; return; }
  for pair in "$@"; do
    row "ratio vs ${pair%%=*}" "$(ratio "$kind" "$theater_value" "${pair#*=}")" "$target"
  done
}

# One figure: Theater's value, the four peers', and the ratios against each.
figure() {  # title kind unit figure amount target
  local title=$1 kind=$2 unit=$3 name=$4 amount=$5 target=$6
  echo "== $title ($unit)"
  local t ep ec cp cc
  t=$(theater "$name" "$amount")
  ep=$(erlang plain "$name" "$amount") ec=$(erlang chain "$name" "$amount")
  cp=$(caf plain "$name" "$amount") cc=$(caf chain "$name" "$amount")
  row "theater (every message in both chains)" "$t" "$unit"
  row "erlang, plain" "$ep" "$unit"
  row "erlang, same work (sha-256 chain)" "$ec" "$unit"
  row "caf, plain" "$cp" "$unit"
  row "caf, same work (sha-256 chain)" "$cc" "$unit"
  ratios "$kind" "$t" "$target" "erlang plain=$ep" "erlang same-work=$ec" "caf plain=$cp" \
    "caf same-work=$cc"
}

# The work itself: SHA-256 of the messages' size on one core.
sha_rate() {
  openssl speed -seconds 1 -bytes "$1" sha256 2>/dev/null |
    awk '/^sha256/ { printf "%.0f\n", $2 * 1000 / '"$1"' }'
}
echo "== the work's own limit: sha-256 on one core (hashes/s, openssl speed)"
row "64-byte messages" "$(repeat sha_rate 64)" "hashes/s"
row "96-byte records (32-byte head || 64-byte message)" "$(repeat sha_rate 96)" "hashes/s"

figure "one-way send, 1 sender -> 1 receiver, $messages messages" rate msgs/s send1 "$messages" \
  "(target: theater >= 500k, ahead of same work)"
figure "one-way send, 4 senders -> 1 receiver, $messages messages" rate msgs/s send4 "$messages" \
  "(target: theater >= 500k, ahead of same work)"
figure "request/reply round trip, median of batches of 100, $trips trips" time us request "$trips" \
  "(target: theater <= 10 us, ahead of same work)"
figure "channel messages, one way, $messages messages" rate msgs/s channel "$messages" ""
figure "fan-out: one ask to $actors actors, all replies back" time ms fanout "$actors" ""

# Spawn and restart: Theater's figures come from bench_supervision when the
# tree has it (its "figure spawn|restart <value> us" lines).
echo "== child spawn and restart of a crashed child, $spawns each (us each)"
declare -A supervision=()
if [[ -x $build/bin/bench_supervision ]]; then
  "$build/bin/bench_supervision" > "$work/supervision.out" 2>&1 ||
    echo "  bench_supervision failed: $(tail -n 1 "$work/supervision.out")"
  while read -r _ name value _; do supervision[$name]=$value; done < <(grep '^figure' "$work/supervision.out")
  [[ ${#supervision[@]} -gt 0 ]] || sed 's/^/  bench_supervision: /' "$work/supervision.out"
else
  echo "  (no bench_supervision in $build: Theater's spawn and restart figures are missing)"
fi
for name in spawn restart; do
  t=${supervision[$name]:-}
  ep=$(erlang plain "$name" "$spawns") ec=$(erlang chain "$name" "$spawns")
  cp=$(caf plain "$name" "$spawns") cc=$(caf chain "$name" "$spawns")
  target="(target: theater <= $([[ $name == spawn ]] && echo 150 || echo 200) us)"
  row "theater $name (supervisor handler)" "$t" us
  row "erlang $name, plain$([[ $name == restart ]] && echo ': OTP one_for_one')" "$ep" us
  row "erlang $name, same work" "$ec" us
  row "caf $name, plain$([[ $name == restart ]] && echo ': monitor + respawn')" "$cp" us
  row "caf $name, same work" "$cc" us
  ratios time "$t" "$target" "erlang plain=$ep" "erlang same-work=$ec" "caf plain=$cp" \
    "caf same-work=$cc"
done

[[ ! -f $unavailable ]] || echo "theater side not run: $(cat "$unavailable")"
echo "ratios above 1: Theater ahead (rates: theater / peer; times: peer / theater)"
