#!/bin/sh
# Runs a server under the AppHost's orchestrator and passes its stop on in the way the server wants it.
# usage: supervise.sh PIDFILE STOP_SIGNAL[:THEN_SIGNAL] [--before CMD...] -- SERVER_COMMAND...
# With THEN_SIGNAL, a server still running 8 s after STOP_SIGNAL gets THEN_SIGNAL (PostgreSQL: INT:QUIT, a fast
# shutdown and then an immediate one), so a stop always ends within the orchestrator's patience.
#
# Why a wrapper: as root, PostgreSQL and RabbitMQ must run as their own OS users (setpriv), and a server that is
# exec'd through setpriv takes the orchestrator's SIGTERM as its slowest stop ("smart" for PostgreSQL). Here the
# server runs in the background, TERM/INT become STOP_SIGNAL (INT: PostgreSQL's fast shutdown), and the wrapper
# exits with the server. Every process it starts is written to PIDFILE, so the next start can stop what a killed
# AppHost left running (with setpriv, the recorded process becomes the server: setpriv execs it).
pidfile=$1; stop_signal=${2%%:*}; then_signal=""
case $2 in *:*) then_signal=${2#*:} ;; esac
shift 2
helper=""
: > "$pidfile"
# "pid start-time stop-signal": the start time tells a leftover from a new process that got the same pid; the signal
# is the one that stops it (a background job of this shell ignores INT unless it handles INT itself, as PostgreSQL
# does: rabbitmq-server's script and epmd need TERM).
record() { echo "$1 $(cut -d' ' -f22 "/proc/$1/stat" 2> /dev/null) $stop_signal" >> "$pidfile"; }
if [ "$1" = "--before" ]; then
  shift
  helper_cmd=""
  while [ "$1" != "--" ]; do helper_cmd="$helper_cmd '$(printf %s "$1" | sed "s/'/'\\\\''/g")'"; shift; done
  # exec: the recorded pid is the helper itself, not a subshell whose death would leave the helper running.
  eval "exec $helper_cmd" &
  helper=$!
  record "$helper"
fi
shift # --
"$@" &
server=$!
record "$server"
escalation=""
# THEN_SIGNAL 8 s after STOP_SIGNAL, unless the wrapper ends first and stops this (its sleep included). It holds none of
# the wrapper's output: the orchestrator counts a process as stopped only once its output is closed, and an escalation
# left sleeping with it open held every stop of PostgreSQL until the orchestrator's SIGKILL, seconds later.
escalate() {
  sleeper=""
  trap 'kill $sleeper 2> /dev/null; exit 0' TERM
  sleep 8 &
  sleeper=$!
  wait "$sleeper" && kill "-$then_signal" "$server" 2> /dev/null
}
stop() {
  kill "-$stop_signal" "$server" 2> /dev/null
  if [ -n "$then_signal" ] && [ -z "$escalation" ]; then
    escalate < /dev/null > /dev/null 2>&1 &
    escalation=$!
  fi
}
trap stop TERM INT
status=0
while kill -0 "$server" 2> /dev/null; do
  wait "$server"
  status=$?
done
if [ -n "$escalation" ]; then
  kill "$escalation" 2> /dev/null
fi
if [ -n "$helper" ]; then
  kill -TERM "$helper" 2> /dev/null
  wait "$helper" 2> /dev/null
fi
: > "$pidfile"
exit "$status"
