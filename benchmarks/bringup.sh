#!/usr/bin/env bash
# Bring-up and shutdown of the whole platform, as a developer meets them:
#   benchmarks/bringup.sh [REPO_DIR] [RUNS]
# For each run: a cold start (new state folder: initdb, RabbitMQ's first boot), then a warm start (the same folder).
# Bring-up is the time from starting the AppHost (Release build, run from its output folder) until the Orchestrator
# API and the Simulator both answer /health with Healthy (the API's health covers PostgreSQL and RabbitMQ). Shutdown
# is the time from SIGTERM to the AppHost until every process it started (all its descendants, Aspire's orchestrator
# and what that started, and anything running from the state folder) is gone. Build first: dotnet build -c Release Sdp.sln
set -uo pipefail
repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
runs=${2:-3}
apphost=$repo/AppHost/bin/Release/net10.0/AppHost

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

source "$(dirname "$0")/platform.sh"

start_and_stop() { # state-dir label
  local state=$1 label=$2 started pid up down tree left
  started=$(now)
  (cd "$repo/AppHost" && exec env $(launch_environment "$repo") "$apphost" --Sdp:StateDirectory="$state" \
    > "$state.$label.log" 2>&1) &
  pid=$!
  wait_until_healthy "$state.$label.log" "$pid" 0.1 || { echo "$label: the AppHost exited; see $state.$label.log" >&2; return 1; }
  up=$(since "$started")
  sleep 5 # let start-up work (standby refills, first sweeps) settle a little before stopping
  tree=$(platform_processes "$pid")
  started=$(now)
  kill -TERM "$pid"
  while true; do
    left=""
    for p in $pid $tree $(pgrep -f -- "$state/" || true); do
      if kill -0 "$p" 2> /dev/null && [[ $(ps -o stat= -p "$p") != Z* ]]; then left="$left $p"; fi
    done
    [[ -z $left ]] && break
    if (( $(echo "$(since "$started") > 60" | bc) )); then
      echo "$label: still running after 60 s:$left" >&2
      break
    fi
    sleep 0.1
  done
  down=$(since "$started")
  printf '%-5s bring-up %6.1f s   shutdown %5.1f s\n' "$label" "$up" "$down"
}

for run in $(seq 1 "$runs"); do
  state=$(mktemp -d /tmp/sdp-bringup-XXXX)
  rmdir "$state"
  start_and_stop "$state" cold
  start_and_stop "$state" warm
  rm -rf "$state" "$state".*.log
done
