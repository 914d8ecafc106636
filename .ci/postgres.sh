# Throwaway PostgreSQL server for CI and benchmarks. Source this file, then:
#   pg_start            starts a server on a free local port, exports DATABASE_URL and PG_DIR
#   pg_stop             stops it and removes its folder (safe to call twice)
# PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_ensure_installed() {
  if [ ! -x "$PG_BIN/initdb" ]; then
    echo "PostgreSQL 15 not found: installing the Debian package"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null
  fi
}

pg_as_owner() {
  if [ "$(id -u)" = "0" ]; then su -s /bin/sh postgres -c "$*"; else sh -c "$*"; fi
}

pg_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

pg_start() {
  pg_ensure_installed
  PG_DIR=$(mktemp -d /tmp/acopagro-pg.XXXXXX)
  PG_PORT=${PG_PORT:-$(pg_free_port)}
  if [ "$(id -u)" = "0" ]; then chown postgres:postgres "$PG_DIR"; fi
  pg_as_owner "$PG_BIN/initdb -D $PG_DIR/data -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null
  pg_as_owner "$PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/server.log -w -t 60 \
    -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-off} \
    -c max_connections=200 -c shared_buffers=${PG_SHARED_BUFFERS:-256MB}' start" >/dev/null
  export PG_DIR PG_PORT
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/${PG_DB:-acopagro}"
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE ${PG_DB:-acopagro}" >/dev/null
  echo "PostgreSQL started on 127.0.0.1:$PG_PORT (data in $PG_DIR)"
}

pg_stop() {
  if [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ]; then
    pg_as_owner "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast -w stop" >/dev/null 2>&1 || true
    rm -rf "$PG_DIR"
    echo "PostgreSQL stopped"
  fi
  PG_DIR=
}
