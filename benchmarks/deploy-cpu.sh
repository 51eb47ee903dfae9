#!/usr/bin/env bash
# The deploy benchmark at C = 1 and C = 8, warm (standby pool of 200) and built on request (no pool), on a platform of
# its own, and the CPU seconds each part of the platform spent over each, read from /proc (user + system, reaped
# children included):
#   benchmarks/deploy-cpu.sh [REPO_DIR] [LABEL] [AppHost arguments...]
# Starts the AppHost binary (Release) on a new state folder with its launch profile's settings, waits until it is
# healthy and 20 s more, runs one warm-up run of 50 at C = 8, then 3 runs of 200 at C = 1 and 3 at C = 8 with the pool,
# the same without it, and stops it. Parts are grouped by program: the services, Aspire's dashboard and orchestrator
# (dcp), PostgreSQL (every backend), Redis, RabbitMQ (beam.smp), Prometheus. Build first: dotnet build -c Release Sdp.sln
set -uo pipefail
repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
label=${2:-platform}
shift 2 || shift $#
source "$(dirname "$0")/platform.sh"

start_platform "$repo" "deploy-cpu-$label" "$@"

cpu() {
  local p name
  for p in $(platform_and_server_processes "$host" "$state"); do
    [[ -r /proc/$p/stat ]] || continue
    name=$( (tr '\0' ' ' < "/proc/$p/cmdline") 2> /dev/null | grep -oE 'Aspire.Dashboard|dcpproc|dcp |AppHost|Orchestrator.Api|Provisioner.Worker|Cleanup.Worker|ScenarioRunner|Simulator|redis-server|beam.smp|prometheus|dotnet run' | head -1 | tr ' ' '_')
    [[ $(cat "/proc/$p/comm" 2> /dev/null) == postgres ]] && name=postgres
    [[ -z $name ]] && name=other
    awk -v n="$name" '{print n, $14 + $15 + $16 + $17}' "/proc/$p/stat" 2> /dev/null
  done | awk '{a[$1] += $2} END {for (k in a) print k, a[k]}' | sort
}

echo "== $label ($(git -C "$repo" log --oneline -1 | cut -c1-7)) $*"
deploy_benchmark --count 50 --concurrency 8 --runs 1 --standby 200 > /dev/null
snapshots=("$(cpu)")
for pool in 200 0; do
  for concurrency in 1 8; do
    echo "-- C = $concurrency, standby pool $pool"
    deploy_benchmark --count 200 --concurrency "$concurrency" --runs 3 --standby "$pool" | tail -5
    snapshots+=("$(cpu)")
  done
done
ticks=$(getconf CLK_TCK)
echo "CPU seconds by part, over each set of runs:"
echo "  part                   pool C = 1   pool C = 8   none C = 1   none C = 8"
for i in "${!snapshots[@]}"; do echo "${snapshots[$i]}" | sed "s/^/$i /"; done \
  | awk -v t="$ticks" -v n="${#snapshots[@]}" '{v[$2, $1] = $3; parts[$2] = 1}
      END {for (p in parts) {line = sprintf("  %-22s", p); for (i = 1; i < n; i++) {d = (v[p, i] - v[p, i - 1]) / t; sum[i] += d; line = line sprintf(" %12.1f", d)} print line}
           line = sprintf("  %-22s", "total"); for (i = 1; i < n; i++) line = line sprintf(" %12.1f", sum[i]); print line}' \
  | sort

stop_platform
