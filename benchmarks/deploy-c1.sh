#!/usr/bin/env bash
# The deploy benchmark at C = 1 only, on a platform of its own: the sets where every step waits on the one before, and
# so the ones the machine's noise moves most. Short enough (about two minutes a platform) to alternate many platforms
# of two checkouts in one sitting:
#   benchmarks/deploy-c1.sh [REPO_DIR] [LABEL] [AppHost arguments...]
# Starts the AppHost binary (Release) on a new state folder with its launch profile's settings and the caller's
# environment (so `SOME_SETTING=x benchmarks/deploy-c1.sh ...` probes a setting), waits until it is healthy and 20 s
# more, runs one warm-up run of 50 at C = 8, then 2 runs of 200 at C = 1 with a standby pool of 200 and 2 without one,
# and stops it. Prints each run's client and platform figures. Build first: dotnet build -c Release Sdp.sln
set -uo pipefail
repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
label=${2:-platform}
shift 2 || shift $#
source "$(dirname "$0")/platform.sh"

state=$(mktemp -d "/tmp/sdp-deploy-c1-$label-XXXXXX")
chmod 755 "$state" # PostgreSQL and RabbitMQ run as their own OS users when started as root
(cd "$repo/AppHost" && exec env $(launch_environment "$repo") "$repo/AppHost/bin/Release/net10.0/AppHost" \
  --Sdp:StateDirectory="$state" "$@" > "$state.log" 2>&1) &
host=$!
for _ in $(seq 1 240); do healthy "$state.log" && break; sleep 0.5; done
healthy "$state.log" || { echo "$label: the platform did not come up; see $state.log" >&2; kill -TERM "$host"; exit 1; }
sleep 20

bench() { dotnet "$repo/benchmarks/DeployBenchmark/bin/Release/net10.0/DeployBenchmark.dll" --state-directory "$state" "$@"; }

echo "== $label ($(git -C "$repo" log --oneline -1 | cut -c1-7)) $*"
bench --count 50 --concurrency 8 --runs 1 --standby 200 > /dev/null
for pool in 200 0; do
  echo "-- pool $pool"
  bench --count 200 --concurrency 1 --runs 2 --standby "$pool" | grep -E "^run|client|cleaning"
done

kill -TERM "$host"; wait "$host" 2> /dev/null
sleep 8; pkill -f -- "$state" 2> /dev/null; rm -rf "$state" "$state.log"
