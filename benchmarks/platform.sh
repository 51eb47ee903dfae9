# What the benchmark scripts share; sourced, not run.

api=${SDP_API_PORT:-5180}
simulator=${SDP_SIMULATOR_PORT:-5183}

# The API and the Simulator answer Healthy. The Simulator has a fixed port; the home-made host of earlier commits gave
# it a free one and printed it ("simulator: Running http://127.0.0.1:PORT"), so comparisons with them read it there.
healthy() { # AppHost log
  local simulator_url="http://127.0.0.1:$simulator" printed
  if printed=$(grep -o 'simulator: Running http://[0-9.:]*' "$1" 2> /dev/null | tail -1) && [[ -n $printed ]]; then
    simulator_url=${printed#simulator: Running }
  fi
  curl -sf -m 2 "http://127.0.0.1:$api/health" | grep -q Healthy && curl -sf -m 2 "$simulator_url/health" | grep -q Healthy
}

# The AppHost's launch profile as environment assignments (what `dotnet run` would set): its URL and variables, so the
# AppHost binary run directly serves the dashboard as `dotnet run --project AppHost` does.
launch_environment() { # repo
  local settings=$1/AppHost/Properties/launchSettings.json
  [[ -f $settings ]] || { echo "ASPNETCORE_ENVIRONMENT=Development"; return; }
  python3 - "$settings" << 'PY'
import json, sys
profile = next(iter(json.load(open(sys.argv[1]))["profiles"].values()))
if "applicationUrl" in profile:
    print(f"ASPNETCORE_URLS={profile['applicationUrl']}")
for name, value in profile.get("environmentVariables", {}).items():
    print(f"{name}={value}")
PY
}

# Every process of the platform an AppHost started: the AppHost, what it started, and Aspire's orchestrator (DCP), which
# detaches from the AppHost (its parent becomes init) and watches it with --monitor, and everything DCP started.
platform_processes() { # AppHost pid
  local dcp
  echo "$1"
  descendants "$1"
  for dcp in $(pgrep -f -- "--monitor $1( |$)"); do
    echo "$dcp"
    descendants "$dcp"
  done
}

# platform_processes and, with them, servers a script daemonized (the home-made host's `pg_ctl start`: their parent is
# init) found by the state folder on their command line, with their descendants (PostgreSQL's backends), so both
# hosts' servers are counted alike.
platform_and_server_processes() { # AppHost pid, state folder
  local p
  { platform_processes "$1"; for p in $(pgrep -f -- "$2"); do echo "$p"; descendants "$p"; done; } | sort -un
}

# Every process below a pid, depth first.
descendants() {
  local children child
  children=$(ps -o pid= --ppid "$1" 2> /dev/null)
  for child in $children; do
    echo "$child"
    descendants "$child"
  done
}

# Waits until the platform whose AppHost wrote LOG answers healthy, asking every INTERVAL seconds and at most TRIES
# times (none: until it does); fails at once when the AppHost (PID) has exited, as a platform that did not come up.
wait_until_healthy() { # log, AppHost pid, interval, tries
  local log=$1 pid=$2 interval=$3 tries=${4:-0} asked=0
  until healthy "$log"; do
    kill -0 "$pid" 2> /dev/null || return 1
    (( tries == 0 || ++asked < tries )) || return 1
    sleep "$interval"
  done
}

# The deploy benchmarks' platform: the AppHost binary (Release) of a checkout on a new state folder, with its launch
# profile's settings and the caller's environment, healthy and then 20 s more. Sets state (the folder), host (the
# AppHost's pid) and platform_repo (the checkout); a platform that does not come up ends the script.
start_platform() { # repo, name (of the state folder), AppHost arguments...
  local repo=$1 name=$2
  shift 2
  # Another platform (one still stopping, say) would answer the health checks below in this one's place.
  if curl -s -o /dev/null -m 2 "http://127.0.0.1:$api/health"; then
    echo "$name: something already answers on port $api; stop the platform that runs there first" >&2
    exit 1
  fi
  state=$(mktemp -d "/tmp/sdp-$name-XXXXXX")
  chmod 755 "$state" # PostgreSQL and RabbitMQ run as their own OS users when started as root
  (cd "$repo/AppHost" && exec env $(launch_environment "$repo") "$repo/AppHost/bin/Release/net10.0/AppHost" \
    --Sdp:StateDirectory="$state" "$@" > "$state.log" 2>&1) &
  host=$!
  platform_repo=$repo
  if ! wait_until_healthy "$state.log" "$host" 0.5 240; then
    echo "$name: the platform did not come up; see $state.log" >&2
    kill -TERM "$host" 2> /dev/null
    exit 1
  fi
  sleep 20
}

# The deploy benchmark (Release build) of start_platform's checkout, against its platform.
deploy_benchmark() { # DeployBenchmark arguments...
  dotnet "$platform_repo/benchmarks/DeployBenchmark/bin/Release/net10.0/DeployBenchmark.dll" --state-directory "$state" "$@"
}

# Stops what start_platform started and removes its state folder once its servers have finished.
stop_platform() {
  kill -TERM "$host"; wait "$host" 2> /dev/null
  sleep 8; pkill -f -- "$state" 2> /dev/null; rm -rf "$state" "$state.log"
}
