# Throwaway Redis server for CI and benchmarks (the cache every worker shares). Source, then:
#   redis_start         starts redis-server on a free loopback port, exports REDIS_URL and REDIS_DIR
#   redis_stop          stops it and removes its folder (safe to call twice)
# Debian's redis-server is installed with apt when missing (not on a new machine).

redis_start() {
  if ! command -v redis-server >/dev/null; then
    echo "redis-server not found: installing the Debian package"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  fi
  REDIS_DIR=$(mktemp -d /tmp/acopagro-redis.XXXXXX)
  REDIS_PORT=${REDIS_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')}
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$REDIS_DIR" --save "" \
    --appendonly no --daemonize yes --pidfile "$REDIS_DIR/redis.pid" \
    --logfile "$REDIS_DIR/redis.log" --maxmemory "${REDIS_MAXMEMORY:-256mb}" \
    --maxmemory-policy allkeys-lru
  for _ in $(seq 50); do
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break
    sleep 0.1
  done
  export REDIS_DIR REDIS_PORT
  export REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"
  echo "Redis started on 127.0.0.1:$REDIS_PORT"
}

redis_stop() {
  if [ -n "${REDIS_DIR:-}" ] && [ -f "$REDIS_DIR/redis.pid" ]; then
    kill "$(cat "$REDIS_DIR/redis.pid")" 2>/dev/null || true
    for _ in $(seq 50); do [ -f "$REDIS_DIR/redis.pid" ] || break; sleep 0.1; done
    rm -rf "$REDIS_DIR"
    echo "Redis stopped"
  fi
  REDIS_DIR=
}
