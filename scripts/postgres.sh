#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the tests, from Debian's binaries (scripts/prerequisites.sh
# installs them): a temporary data folder, a free port on 127.0.0.1 only, trust authentication
# (nothing but this machine can reach it), durability switched off for speed.
#
#   scripts/postgres.sh start   # starts it (once) and prints its URL
#   scripts/postgres.sh url     # prints the URL of the running cluster
#   scripts/postgres.sh stop    # stops it and deletes its data
#
# The tests read the URL from ASSAY_TEST_POSTGRES_URL: export ASSAY_TEST_POSTGRES_URL=$(scripts/postgres.sh start)
# One cluster per checkout (ASSAY_PG_DIR names another), so two worktrees never share one.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="${ASSAY_PG_DIR:-${TMPDIR:-/tmp}/assay-postgres-$(printf '%s' "$root" | cksum | cut -d' ' -f1)}"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -x "$bin/initdb" ] || { echo "postgres.sh: no PostgreSQL server binaries (install Debian's postgresql: scripts/prerequisites.sh)" >&2; exit 1; }

# PostgreSQL refuses to run as root: run its programs as the `postgres` account (or nobody).
as_server() {
  if [ "$(id -u)" -ne 0 ]; then "$@"
  elif id postgres >/dev/null 2>&1; then runuser -u postgres -- "$@"
  else runuser -u nobody -- "$@"; fi
}
owner() { if [ "$(id -u)" -ne 0 ]; then id -un; elif id postgres >/dev/null 2>&1; then echo postgres; else echo nobody; fi; }

url() { echo "postgres://assay@127.0.0.1:$(cat "$dir/port")/postgres?sslmode=disable"; }
running() { [ -f "$dir/port" ] && as_server "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; }

free_port() { # a port nothing listens on, from a random start so parallel starts rarely collide
  local port=$((20000 + RANDOM % 30000))
  while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
  echo "$port"
}

case "${1:-}" in
  start)
    if running; then url; exit 0; fi
    rm -rf "$dir"; mkdir -p "$dir"; chown "$(owner)" "$dir"
    as_server "$bin/initdb" -D "$dir/data" -U assay -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
    port="$(free_port)"
    # Tests run in parallel, each on its own database and pool: room for a few hundred connections.
    as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      >/dev/null || { cat "$dir/server.log" >&2; exit 1; }
    echo "$port" >"$dir/port"
    url
    ;;
  url)
    running || { echo "postgres.sh: not running (scripts/postgres.sh start)" >&2; exit 1; }
    url
    ;;
  stop)
    if [ -d "$dir/data" ]; then as_server "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true; fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: scripts/postgres.sh start|stop|url" >&2; exit 2
    ;;
esac
