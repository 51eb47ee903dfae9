#!/usr/bin/env bash
# How fast one scenario runner drives load, side by side with wrk, against one URL shortener on the local platform:
#   benchmarks/loadgen.sh [REPO_DIR] [DURATION] [RATES]
# Starts the AppHost (Release build) on a new state folder and free ports, deploys a URL shortener through the API,
# makes one short URL, then sends GET /{code} (302 to the URL expected) with:
#   1. the runner's own load phase (benchmarks/LoadGenBenchmark: open loop, latency from each request's due time,
#      64 in flight at most) at each rate of RATES for DURATION s, and the highest rate it sustains;
#   2. wrk (closed loop: 2 threads, 64 connections, each sends when its last answer came) for DURATION s;
# and finally asks the platform for a scenario run (the url_shortener scenario's own mix of creates and resolves) at
# the contract's maximum, 500 rps for DURATION s with 64 in flight, which the scenario-runner service carries out.
# Build first: dotnet build -c Release Sdp.sln. wrk is the Debian package of that name (apt-get install -y wrk).
set -uo pipefail
repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
duration=${2:-10}
rates=${3:-500,1000,2000,3000,4000,5000,6000}
apphost=$repo/AppHost/bin/Release/net10.0/AppHost
loadgen=$repo/benchmarks/LoadGenBenchmark/bin/Release/net10.0/LoadGenBenchmark.dll
command -v wrk > /dev/null || { echo "wrk is not installed: apt-get install -y wrk" >&2; exit 2; }
[[ -x $apphost && -f $loadgen ]] || { echo "Build first: dotnet build -c Release Sdp.sln" >&2; exit 2; }

source "$(dirname "$0")/platform.sh"

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
json() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }

api=$(free_port)
simulator=$(free_port)
state=$(mktemp -d /tmp/sdp-loadgen-XXXX)
rmdir "$state" # the AppHost makes it, reachable by the servers' OS users
(cd "$repo/AppHost" && exec env $(launch_environment "$repo") ASPNETCORE_URLS="http://127.0.0.1:$(free_port)" \
  ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="http://127.0.0.1:$(free_port)" \
  ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="http://127.0.0.1:$(free_port)" \
  "$apphost" --Sdp:StateDirectory="$state" --Sdp:OrchestratorPort="$api" --Sdp:SimulatorPort="$simulator" \
  --Prometheus:Enabled=false > "$state.log" 2>&1) &
pid=$!
stop() {
  kill -TERM "$pid" 2> /dev/null
  wait "$pid" 2> /dev/null
  # The servers finish their shutdown after the AppHost has gone: remove the state folder once nothing uses it.
  for (( i = 0; i < 60 && $(pgrep -fc -- "$state/") > 0; i++ )); do sleep 0.5; done
  rm -rf "$state" "$state.log"
}
trap stop EXIT
wait_until_healthy "$state.log" "$pid" 0.5 || { echo "The AppHost exited; see $state.log" >&2; exit 1; }

base=http://127.0.0.1:$api
admin=$(cat "$state/orchestrator-api/admin-api-key")
# No standby pools: building their slots would take the cores the measurement needs. Let what started settle.
for pool in url_shortener rate_limiter distributed_cache notification_system; do
  curl -sf -X PUT "$base/api/admin/standby/$pool" -H "authorization: Bearer $admin" -H 'content-type: application/json' \
    -d '{"size":0}' > /dev/null
done
sleep 30
tenant=$(curl -sf "$base/api/admin/tenants" -H "authorization: Bearer $admin" -H 'content-type: application/json' \
  -d '{"name":"loadgen","quotas":{"max_scenario_runs_in_flight":10}}' | json '["id"]')
key=$(curl -sf "$base/api/admin/keys" -H "authorization: Bearer $admin" -H 'content-type: application/json' \
  -d "{\"name\":\"loadgen\",\"role\":\"tenant\",\"tenant_id\":\"$tenant\",\"requests_per_minute\":1000000}" | json '["key"]')
id=$(curl -sf "$base/api/deployments" -H "authorization: Bearer $key" -H 'content-type: application/json' \
  -d '{"problem_type":"url_shortener","design_text":"load generator benchmark"}' | json '["id"]')
endpoint=$(curl -sf "$base/api/deployments/$id?wait_for=ready&timeout_seconds=60" -H "authorization: Bearer $key" \
  | json '["endpoint_url"]')
endpoint=${endpoint%/}
target=https://example.com/loadgen
code=$(curl -sf "$endpoint/api/urls" -H 'content-type: application/json' -d "{\"url\":\"$target\"}" | json '["code"]')
echo "deployment $id at $endpoint; GET /$code → 302 $target; ${duration} s per step; $(nproc) cores"

echo
echo "== the scenario runner's load phase (open loop; latency from each request's due time)"
dotnet "$loadgen" --url "$endpoint" --path "/$code" --location "$target" --rates "$rates" --duration "$duration" \
  --concurrency 64 | tee "$state.loadgen"

echo
echo "== wrk -t2 -c64 -d${duration}s --latency (closed loop; latency from each request's send)"
TIMEFORMAT='wrk used %U s user + %S s system CPU'
time (wrk -t2 -c64 -d"${duration}s" --latency "$endpoint/$code" | tee "$state.wrk")

echo
echo "== through the platform: a url_shortener scenario run at 500 rps for ${duration} s, 64 in flight"
run=$(curl -sf "$base/api/deployments/$id/scenarios" -H "authorization: Bearer $key" -H 'content-type: application/json' \
  -d "{\"load\":{\"requests_per_second\":500,\"duration_seconds\":$duration,\"concurrency\":64}}" | json '["id"]')
for (( waited = 0; waited < duration + 180; waited++ )); do
  [[ $(curl -sf "$base/api/deployments/$id/scenarios/$run" -H "authorization: Bearer $key" | json '["state"]') == completed ]] && break
  sleep 1
done
curl -sf "$base/api/deployments/$id/scenarios/$run" -H "authorization: Bearer $key" | python3 -c '
import json, sys
run = json.load(sys.stdin)
load = (run.get("report") or {}).get("load") or {}
print("%s %s: %s requests, %s errors, %s rps, p50 %s ms, p99 %s ms" % (run["state"], run.get("outcome"), load.get("requests"),
      load.get("errors"), load.get("requests_per_second"), load.get("latency_p50_ms"), load.get("latency_p99_ms")))' | tee "$state.service"

echo
echo "== side by side"
wrk_rps=$(awk '/Requests\/sec/ { print $2 }' "$state.wrk")
wrk_p50=$(awk '$1 == "50%" { print $2 }' "$state.wrk")
wrk_p99=$(awk '$1 == "99%" { print $2 }' "$state.wrk")
printf '%-44s %s\n' "runner load phase, highest sustained" "$(grep '^highest sustained' "$state.loadgen" | cut -d: -f2-)"
printf '%-44s %s\n' "wrk, closed loop, 64 connections" "$wrk_rps rps, p50 $wrk_p50, p99 $wrk_p99 (from send, not due time)"
printf '%-44s %s\n' "scenario-runner service, 500 rps (contract max)" "$(cat "$state.service")"
rm -f "$state.loadgen" "$state.wrk" "$state.service"
