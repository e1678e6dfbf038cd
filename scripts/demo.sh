#!/usr/bin/env bash
# `make demo`: the project's main job on a bundled example. An actor
# (examples/process-runner) runs a real command through the process handler,
# streams its output to the log line by line, and stops with the command's
# exit code. Then a supervisor (examples/supervision) restarts a crashing
# worker one-for-one. Fails if a run fails or a command does not exit 0.
# Its runtime home (event log, runtime log) is build/demo-home unless
# THEATER_HOME says otherwise, so no state of yours is touched.
set -euo pipefail
cd "$(dirname "$0")/.."
theater=build/bin/theater
export THEATER_HOME=${THEATER_HOME:-$PWD/build/demo-home}
mkdir -p "$THEATER_HOME"
manifest=examples/process-runner/process-runner.toml
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# run <description> [theater run options...]
run() {
  echo "--- $1"
  shift
  "$theater" run "$manifest" "$@" | tee "$log"
  if [[ "$(tail -n 1 "$log")" != "shutdown: 0" ]]; then
    echo "demo failed: the actor did not report exit code 0" >&2
    exit 1
  fi
}

$theater version
run "ls -l of the repository, from the manifest's init_state"
run "uname -a, the command given on the command line" \
  --init-state '{"program": "uname", "args": ["-a"]}'
echo "--- both commands ran and exited 0; their chains: THEATER_HOME=$THEATER_HOME $theater events <actor id>"

echo "--- supervision: three workers, one crashes on its message \"crash\" and is restarted one-for-one"
"$theater" run examples/supervision/manifest.toml | tee "$log"
if [[ "$(tail -n 1 "$log")" != "shutdown: finished=3 failures=1" ]]; then
  echo "demo failed: the supervisor did not finish its three workers after one restart" >&2
  exit 1
fi
