#!/usr/bin/env bash
# Runs every handler benchmark in BUILD (default build/) and prints ratios.
#   bench/handlers/run.sh        BUILD=build
# Each section is one script beside this one (store.sh, filesystem.sh,
# host_calls.sh), run when present.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export BUILD=${BUILD:-$root/build}
status=0
for section in store filesystem host_calls; do
  script=$here/$section.sh
  [ -x "$script" ] || continue
  echo "== $section"
  "$script" || status=1
done
exit $status
