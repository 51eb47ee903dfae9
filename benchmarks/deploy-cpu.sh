#!/usr/bin/env bash
# The deploy benchmark (warm, standby pool of 200) at C = 1 and C = 8 on a platform of its own, and the CPU seconds each
# part of the platform spent over each, read from /proc (user + system, reaped children included):
#   benchmarks/deploy-cpu.sh [REPO_DIR] [LABEL] [AppHost arguments...]
# Starts the AppHost binary (Release) on a new state folder with its launch profile's settings, waits until it is
# healthy and 20 s more, runs one warm-up run of 50 at C = 8, then 3 runs of 200 at C = 1 and 3 at C = 8, and stops
# it. Parts are grouped by program: the services, Aspire's dashboard and orchestrator (dcp), PostgreSQL (every
# backend), Redis, RabbitMQ (beam.smp), Prometheus. Build first: dotnet build -c Release Sdp.sln
set -uo pipefail
repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
label=${2:-platform}
shift 2 || shift $#
source "$(dirname "$0")/platform.sh"

state=$(mktemp -d "/tmp/sdp-deploy-cpu-$label-XXXXXX")
chmod 755 "$state" # PostgreSQL and RabbitMQ run as their own OS users when started as root
(cd "$repo/AppHost" && exec env $(launch_environment "$repo") "$repo/AppHost/bin/Release/net10.0/AppHost" \
  --Sdp:StateDirectory="$state" "$@" > "$state.log" 2>&1) &
host=$!
for _ in $(seq 1 240); do healthy "$state.log" && break; sleep 0.5; done
healthy "$state.log" || { echo "$label: the platform did not come up; see $state.log" >&2; kill -TERM "$host"; exit 1; }
sleep 20

bench() { dotnet "$repo/benchmarks/DeployBenchmark/bin/Release/net10.0/DeployBenchmark.dll" --state-directory "$state" "$@"; }

cpu() {
  local p name
  for p in $( (platform_processes "$host"; pgrep -f -- "$state") | sort -u); do
    name=$(tr '\0' ' ' < "/proc/$p/cmdline" 2> /dev/null | grep -oE 'Aspire.Dashboard|dcpproc|dcp |AppHost|Orchestrator.Api|Provisioner.Worker|Cleanup.Worker|ScenarioRunner|Simulator|redis-server|beam.smp|prometheus|dotnet run' | head -1 | tr ' ' '_')
    [[ $(cat "/proc/$p/comm" 2> /dev/null) == postgres ]] && name=postgres
    [[ -z $name ]] && name=other
    awk -v n="$name" '{print n, $14 + $15 + $16 + $17}' "/proc/$p/stat" 2> /dev/null
  done | awk '{a[$1] += $2} END {for (k in a) print k, a[k]}' | sort
}

echo "== $label ($(git -C "$repo" log --oneline -1 | cut -c1-7)) $*"
bench --count 50 --concurrency 8 --runs 1 --standby 200 > /dev/null
c0=$(cpu)
bench --count 200 --concurrency 1 --runs 3 --standby 200 | tail -5
c1=$(cpu)
bench --count 200 --concurrency 8 --runs 3 --standby 200 | tail -5
c2=$(cpu)
ticks=$(getconf CLK_TCK)
echo "CPU seconds by part:     C = 1 runs   C = 8 runs"
join -a1 -e0 -o 0,1.2,2.2 <(echo "$c0") <(echo "$c1") | join -a1 -e0 -o 0,1.2,1.3,2.2 - <(echo "$c2") \
  | awk -v t="$ticks" '{a = ($3 - $2) / t; b = ($4 - $3) / t; sa += a; sb += b; printf "  %-22s %10.1f %12.1f\n", $1, a, b}
      END {printf "  %-22s %10.1f %12.1f\n", "total", sa, sb}'

kill -TERM "$host"; wait "$host" 2> /dev/null
sleep 8; pkill -f -- "$state" 2> /dev/null; rm -rf "$state" "$state.log"
