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

start_platform "$repo" "deploy-c1-$label" "$@"

echo "== $label ($(git -C "$repo" log --oneline -1 | cut -c1-7)) $*"
deploy_benchmark --count 50 --concurrency 8 --runs 1 --standby 200 > /dev/null
for pool in 200 0; do
  echo "-- pool $pool"
  deploy_benchmark --count 200 --concurrency 1 --runs 2 --standby "$pool" | grep -E "^run|client|cleaning"
done

stop_platform
