#!/usr/bin/env bash
# examples/notes end to end, as its README runs it: two runs in a fresh
# THEATER_HOME each keep the four notes of data/seed.txt, star the same note
# (the manifest's random seed), and leave them in the store, read back with
# `theater store`; every chain verifies.
#   notes_example.sh <theater binary> <repository root>
set -euo pipefail
theater=$1
root=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "notes example: $*" >&2; exit 1; }

run_once() {  # run_once <n>: output in $work/run<n>.txt, home $work/home<n>
  local home=$work/home$1
  mkdir -p "$home"
  THEATER_HOME=$home "$theater" run "$root/examples/notes/notes.toml" > "$work/run$1.txt" ||
    fail "run $1 exited $?: $(cat "$work/run$1.txt")"
  [[ "$(tail -n 1 "$work/run$1.txt")" == "shutdown: 4 notes kept, 4 labels, "*" bytes in the store" ]] ||
    fail "run $1 did not end with its summary: $(tail -n 1 "$work/run$1.txt")"
}
run_once 1
run_once 2
starred() { grep -o "starred note/[0-9]*" "$work/run$1.txt"; }
[[ -n "$(starred 1)" && "$(starred 1)" == "$(starred 2)" ]] ||
  fail "the seeded pick differs: '$(starred 1)' vs '$(starred 2)'"

export THEATER_HOME=$work/home1
store=$(grep -o "store   [0-9a-f-]*" "$work/run1.txt" | awk '{print $2}')
note=$(starred 1 | awk '{print $2}')
content=$("$theater" store get "$store" "$note")
[[ "$content" == *" *" ]] || fail "$note in store $store is not the starred content: $content"
"$theater" store ls "$store" | grep -q "^label .* note/4$" || fail "note/4 is not labelled in $store"
actor=$(head -n 1 "$work/run1.txt" | awk '{print $2}')
"$theater" verify "$actor" > /dev/null || fail "the chain of $actor does not verify"
echo "notes example: ok ($note starred in both runs)"
