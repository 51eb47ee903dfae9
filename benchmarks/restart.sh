#!/usr/bin/env bash
# A restart loses nothing, and how long coming back takes: starts the AppHost (Release build) on a new state folder,
# makes N live URL shorteners, stops the AppHost (SIGTERM, until every process it started is gone), starts it again
# on the same folder and measures, from that start, the time until the API answers Healthy and until every one of
# the N deployments answers GET /health at the endpoint it had before (asked 16 at a time, each until it answers).
# Prints one line per N.
#   benchmarks/restart.sh [REPO_DIR] [N...]        e.g. benchmarks/restart.sh . 0 100 1000
# The API is asked at localhost:5180 (the AppHost's Sdp:OrchestratorPort), or at SDP_API_PORT.
# Build first: dotnet build -c Release Sdp.sln
set -uo pipefail
repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
shift || true
counts=("${@:-0 100}")
apphost=$repo/AppHost/bin/Release/net10.0/AppHost
api=${SDP_API_PORT:-5180}
source "$(dirname "$0")/platform.sh"

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

start() { # state log
  (cd "$repo/AppHost" && exec env $(launch_environment "$repo") "$apphost" --Sdp:StateDirectory="$1" > "$2" 2>&1) &
  echo $!
}

stop() { # pid state
  local tree p left
  tree=$(platform_processes "$1")
  kill -TERM "$1"
  while true; do
    left=""
    for p in $1 $tree $(pgrep -f -- "$2/" || true); do
      if kill -0 "$p" 2> /dev/null && [[ $(ps -o stat= -p "$p") != Z* ]]; then left="$left $p"; fi
    done
    [[ -z $left ]] && return
    sleep 0.2
  done
}

api_healthy() { curl -sf -m 2 "http://127.0.0.1:$api/health" | grep -q Healthy; }

for n in ${counts[*]}; do
  state=$(mktemp -d /tmp/sdp-restart-XXXX)
  rmdir "$state"
  pid=$(start "$state" "$state.first.log")
  until healthy "$state.first.log"; do sleep 0.2; done
  admin=$(cat "$state/orchestrator-api/admin-api-key")
  tenant=$(curl -sf -X POST "localhost:$api/api/admin/tenants" -H "authorization: Bearer $admin" -H 'content-type: application/json' \
    -d "{\"name\":\"restart-bench-$n\",\"quotas\":{\"max_live_deployments\":$((n + 10)),\"max_deployments_per_hour\":$((n + 10))}}" \
    | sed -E 's/.*"id":"([^"]+)".*/\1/')
  key=$(curl -sf -X POST "localhost:$api/api/admin/keys" -H "authorization: Bearer $admin" -H 'content-type: application/json' \
    -d "{\"name\":\"restart bench\",\"role\":\"tenant\",\"tenant_id\":\"$tenant\",\"requests_per_minute\":1000000}" \
    | sed -E 's/.*"key":"([^"]+)".*/\1/')
  export key api
  # N deployments, 8 at a time, each until ready; their endpoints, one per line.
  seq 1 "$n" | xargs -P 8 -I{} sh -c '
    id=$(curl -sf -X POST "localhost:$api/api/deployments" -H "authorization: Bearer $key" -H "content-type: application/json" \
      -d "{\"problem_type\":\"url_shortener\",\"design_text\":\"restart benchmark\"}" | sed -E "s/.*\"id\":([0-9]+).*/\1/")
    for wait in 1 2 3 4 5; do
      endpoint=$(curl -sf "localhost:$api/api/deployments/$id?wait_for=ready&timeout_seconds=60" -H "authorization: Bearer $key" \
        | grep -o "\"endpoint_url\":\"[^\"]*\"" | cut -d\" -f4)
      if [ -n "$endpoint" ]; then echo "$endpoint"; break; fi
    done' > "$state.endpoints"
  made=$(wc -l < "$state.endpoints")
  stop "$pid" "$state"

  started=$(now)
  pid=$(start "$state" "$state.second.log")
  until api_healthy; do sleep 0.1; done
  up=$(since "$started")
  sed 's,/*$,/health,' "$state.endpoints" \
    | xargs -P 16 -I{} sh -c 'until curl -sf -m 2 -o /dev/null "$1"; do sleep 0.05; done' _ {}
  answering=$(since "$started")
  printf 'N = %-5s (%s ready before the stop)   API healthy %6.1f s   every deployment answering %6.1f s\n' "$n" "$made" "$up" "$answering"
  stop "$pid" "$state"
  rm -rf "$state" "$state".*
done
