#!/usr/bin/env bash
# Deploy benchmark with the AppHost's telemetry on or off, and CPU seconds per process over the C = 8 runs.
# usage: benchmarks/telemetry-cost.sh on|off [count]   (Release builds of AppHost and DeployBenchmark first)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?on or off}
count=${2:-100}
state=$(mktemp -d /tmp/sdp-telemetry-$mode-XXXXXX)
chmod 755 "$state" # PostgreSQL and RabbitMQ run as their own OS users when started as root
extra=()
if [ "$mode" = off ]; then extra=(--Dashboard:CollectTelemetry=false --Prometheus:Enabled=false); fi

dotnet AppHost/bin/Release/net10.0/AppHost.dll --Sdp:StateDirectory="$state" "${extra[@]}" > "$state.log" 2>&1 &
host=$!
trap 'kill -TERM $host 2>/dev/null; wait $host 2>/dev/null; rm -rf "$state" "$state.log"' EXIT
for _ in $(seq 1 120); do curl -fs http://localhost:5180/health > /dev/null 2>&1 && break; sleep 1; done
curl -fs http://localhost:5180/health > /dev/null || { echo "the platform did not come up:"; tail -20 "$state.log"; exit 1; }
sleep 15 # every resource settled, not just the API

bench() { dotnet benchmarks/DeployBenchmark/bin/Release/net10.0/DeployBenchmark.dll --state-directory "$state" "$@"; }

# CPU (user + system, children included) of the host, its services and its servers, summed by program.
cpu() {
  for pid in $( (echo $host; pgrep -P $host; pgrep -f "$state"; for p in $(pgrep -f "$state"); do pgrep -P "$p"; done) | sort -u); do
    name=$(tr '\0' ' ' < /proc/$pid/cmdline 2>/dev/null \
      | grep -oE 'AppHost|Orchestrator.Api|Provisioner.Worker|Cleanup.Worker|ScenarioRunner|Simulator|redis-server|beam.smp|prometheus|postgres' | head -1 || true)
    [ -n "$name" ] && awk -v n="$name" '{print n, $14 + $15 + $16 + $17}' /proc/$pid/stat 2>/dev/null
  done | awk '{a[$1] += $2} END {for (k in a) print k, a[k]}' | sort
}

echo "== telemetry $mode"
bench --count 20 --concurrency 1 --runs 1 > /dev/null # warm-up
bench --count "$count" --concurrency 1 --runs 3
before=$(cpu)
bench --count "$count" --concurrency 8 --runs 3
after=$(cpu)
ticks=$(getconf CLK_TCK)
echo "CPU seconds per process over the C = 8 runs:"
join <(echo "$before") <(echo "$after") | awk -v t="$ticks" '{d = ($3 - $2) / t; s += d; printf "  %-20s %6.1f s\n", $1, d} END {printf "  %-20s %6.1f s\n", "total", s}'
