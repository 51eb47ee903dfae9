#!/usr/bin/env bash
# The whole platform's idle cost: starts the AppHost (Release build) on a new state folder, waits until the API and the
# Simulator are healthy and then SETTLE seconds more (standby pools fill, first sweeps run), then reads the CPU time
# every process of the platform used over WINDOW seconds and their memory (RSS) at the end, per process and in all,
# with the files it keeps in /dev/shm.
#   benchmarks/idle.sh [REPO_DIR] [SETTLE] [WINDOW]
set -uo pipefail
repo=$(cd "${1:-$(dirname "$0")/..}" && pwd)
settle=${2:-90}
window=${3:-60}
apphost=$repo/AppHost/bin/Release/net10.0/AppHost
state=$(mktemp -d /tmp/sdp-idle-XXXX)
rmdir "$state" # the AppHost makes it, reachable by the servers' OS users
ticks=$(getconf CLK_TCK)

source "$(dirname "$0")/platform.sh"

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2> /dev/null || echo 0; }

(cd "$repo/AppHost" && exec env $(launch_environment "$repo") "$apphost" --Sdp:StateDirectory="$state" > "$state.log" 2>&1) &
pid=$!
until healthy "$state.log"; do
  sleep 0.5
done
sleep "$settle"
procs=$(platform_and_server_processes "$pid" "$state")
declare -A before
for p in $procs; do before[$p]=$(cpu_ticks "$p"); done
sleep "$window"
total_cpu=0
total_rss=0
printf '%-28s %8s %9s\n' process cpu_% rss_MiB
for p in $procs; do
  [[ -r /proc/$p/stat ]] || continue
  used=$(( $(cpu_ticks "$p") - ${before[$p]:-0} ))
  rss=$(awk '/VmRSS/ { print $2 }' "/proc/$p/status" 2> /dev/null || echo 0)
  name=$(tr '\0' ' ' < "/proc/$p/cmdline" | awk '{ n = $1; if ($2 == "run") n = "dotnet run " $4; else if (n ~ /dotnet$/ || n ~ /sh$/ || n ~ /setpriv$/) n = $2; sub(".*/", "", n); print n }')
  total_cpu=$(( total_cpu + used ))
  total_rss=$(( total_rss + ${rss:-0} ))
  printf '%-28s %8.1f %9.1f\n' "$name" "$(echo "100 * $used / $ticks / $window" | bc -l)" "$(echo "${rss:-0} / 1024" | bc -l)"
done
# What the platform keeps in files of its own in a memory-backed folder (the dashboard's telemetry database in a folder
# of /dev/shm) is memory too, though no process's RSS holds it.
shm_kib=$(for p in $procs; do find "/proc/$p/fd" -lname '/dev/shm/*/*' -printf '%l\n' 2> /dev/null; done \
  | xargs -r -n1 dirname | sort -u | xargs -r du -sk | awk '{ s += $1 } END { print s + 0 }')
total_rss=$(( total_rss + shm_kib ))
printf '%-28s %8s %9.1f\n' "(files in /dev/shm)" "" "$(echo "$shm_kib / 1024" | bc -l)"
printf '%-28s %8.1f %9.1f\n' "ALL" "$(echo "100 * $total_cpu / $ticks / $window" | bc -l)" "$(echo "$total_rss / 1024" | bc -l)"
kill -TERM "$pid"
wait "$pid" 2> /dev/null
sleep 15
rm -rf "$state" "$state.log"
