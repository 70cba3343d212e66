#!/usr/bin/env bash
# A private PostgreSQL server for the tests and CI (no docker, works as root).
#   scripts/pg_test_server.sh start [PORT]   install Debian's postgresql if missing, initdb in
#                                            a temporary folder, start on 127.0.0.1:PORT
#                                            (default 54329) and print the test URL
#   scripts/pg_test_server.sh stop           stop it and remove its folder
#   scripts/pg_test_server.sh url            print the URL of the running server
# pg_ctl refuses to run as root, so as root the server runs as the `postgres` OS user.
# Authentication is `trust` on the loopback only: a throwaway server for tests.
set -euo pipefail
STATE="${LEDGERDESK_PG_STATE:-/tmp/ledgerdesk-pg-test}"
PORT_DEFAULT=54329

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  return 1
}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

ensure_installed() {
  find_bin >/dev/null && return 0
  echo "Installing PostgreSQL (Debian's package)..." >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
  # The package starts its own cluster on 5432: we do not need it.
  as_root service postgresql stop >/dev/null 2>&1 || true
  find_bin >/dev/null
}

run_as_pg() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$1"; else bash -c "$1"; fi
}

url() { echo "postgresql+psycopg://postgres@127.0.0.1:$(cat "$STATE/port")/postgres"; }

start() {
  local port="${1:-$PORT_DEFAULT}" bin
  ensure_installed
  bin="$(find_bin)"
  if [ -f "$STATE/port" ] && run_as_pg "$bin/pg_ctl -D $STATE/data status" >/dev/null 2>&1; then
    url; return 0
  fi
  rm -rf "$STATE"
  mkdir -p "$STATE"
  [ "$(id -u)" = 0 ] && chown postgres: "$STATE"
  run_as_pg "$bin/initdb -D $STATE/data -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >$STATE/initdb.log 2>&1" \
    || { cat "$STATE/initdb.log" >&2; exit 1; }
  run_as_pg "$bin/pg_ctl -D $STATE/data -l $STATE/server.log -w -t 60 -o \"-c listen_addresses=127.0.0.1 -p $port -k $STATE -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start >/dev/null" \
    || { cat "$STATE/server.log" >&2; exit 1; }
  echo "$port" > "$STATE/port"
  url
}

stop() {
  local bin
  bin="$(find_bin)" || return 0
  [ -d "$STATE/data" ] || return 0
  run_as_pg "$bin/pg_ctl -D $STATE/data -m fast -w stop >/dev/null" || true
  rm -rf "$STATE"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop ;;
  url) url ;;
  *) echo "usage: $0 start [PORT] | stop | url" >&2; exit 2 ;;
esac
