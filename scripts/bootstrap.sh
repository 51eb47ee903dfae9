#!/usr/bin/env bash
# Installs, from the OS packages, whatever is missing of the servers the AppHost runs on loopback:
# PostgreSQL 15 (postgresql), Redis 7 (redis-server) and RabbitMQ (rabbitmq-server); and of the tools the
# observability tests use: Prometheus (prometheus: promtool, and the server the AppHost starts when present) and
# headless Chromium (chromium). Nothing else.
# Idempotent and quick when all is there (no apt-get at all then). It starts no server: the AppHost does.
# When it cannot install (no apt-get, or not root and no sudo), it says what is missing and how to install it,
# and exits non-zero.
set -euo pipefail

postgres_bin=/usr/lib/postgresql/15/bin
rabbitmq_bin=/usr/lib/rabbitmq/bin

missing=()
if [[ ! -x $postgres_bin/initdb || ! -x $postgres_bin/pg_ctl || ! -x $postgres_bin/postgres ]]; then
  missing+=(postgresql)
fi
if ! command -v redis-server > /dev/null 2>&1; then
  missing+=(redis-server)
elif ! redis-server --version | grep -Eq 'v=([7-9]|[1-9][0-9])\.'; then
  echo "warning: $(redis-server --version | cut -d' ' -f1-3) is older than Redis 7; ACL selectors need 7." >&2
fi
if [[ ! -x $rabbitmq_bin/rabbitmq-server ]] || ! command -v erl > /dev/null 2>&1 || ! command -v epmd > /dev/null 2>&1; then
  missing+=(rabbitmq-server)
fi

if ! command -v promtool > /dev/null 2>&1 || ! command -v prometheus > /dev/null 2>&1; then
  missing+=(prometheus)
fi
if ! command -v chromium > /dev/null 2>&1 && ! command -v chromium-browser > /dev/null 2>&1; then
  missing+=(chromium)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "bootstrap: PostgreSQL 15, Redis, RabbitMQ, Prometheus and Chromium are installed."
  exit 0
fi

echo "bootstrap: missing: ${missing[*]}"

if ! command -v apt-get > /dev/null 2>&1; then
  {
    echo "bootstrap: no apt-get here, so nothing was installed. Install with your package manager:"
    for package in "${missing[@]}"; do
      case $package in
        postgresql) echo "  PostgreSQL 15 server: initdb, pg_ctl, postgres in $postgres_bin (or set Sdp:PostgresBinDirectory)" ;;
        redis-server) echo "  Redis 7 server: redis-server on PATH (or set Sdp:RedisBinDirectory)" ;;
        rabbitmq-server) echo "  RabbitMQ server and Erlang: rabbitmq-server in $rabbitmq_bin, erl and epmd on PATH (or set Sdp:RabbitMQBinDirectory)" ;;
        prometheus) echo "  Prometheus: prometheus and promtool on PATH" ;;
        chromium) echo "  Chromium: chromium on PATH (or set SDP_CHROMIUM for the browser test)" ;;
      esac
    done
    echo "  (Debian/Ubuntu package names: ${missing[*]})"
  } >&2
  exit 1
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo > /dev/null 2>&1 && { sudo -n true 2> /dev/null || [[ -t 0 ]]; }; then
    sudo=(sudo)
  else
    cat >&2 << EOF
bootstrap: not root and no usable sudo, so nothing was installed. As root, run:
  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}
EOF
    exit 1
  fi
fi

# Debian packages start their daemon on install where an init system runs; the AppHost runs its own servers,
# so forbid service starts for the duration (policy-rc.d exit 101), restoring any policy that was there.
policy=/usr/sbin/policy-rc.d
saved_policy=""
if [[ -e $policy ]]; then
  saved_policy=$(mktemp)
  "${sudo[@]}" cp -p "$policy" "$saved_policy"
fi
restore_policy() {
  if [[ -n $saved_policy ]]; then
    "${sudo[@]}" cp -p "$saved_policy" "$policy"
    rm -f "$saved_policy"
  else
    "${sudo[@]}" rm -f "$policy"
  fi
}
trap restore_policy EXIT
printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" > /dev/null
"${sudo[@]}" chmod 755 "$policy"

"${sudo[@]}" apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"

echo "bootstrap: installed ${missing[*]}."
