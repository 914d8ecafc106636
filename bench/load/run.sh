#!/usr/bin/env bash
# Load and fault benchmark (`make bench-load`): full demo scale on a throwaway PostgreSQL 15,
# gunicorn with the production settings of acopagro/gunicorn_conf.py (5 sync workers on 2 cores),
# Locust headless with 40 users (each logs in once) for LOAD_TIME (3m) twice:
#   1. steady: zero 5xx expected; every acknowledged write must be in the database, and the
#      summaries the writers kept side by side must equal a rebuild from the raw rows;
#   2. faults: a gunicorn worker is killed (SIGKILL) and PostgreSQL restarted mid-run; no
#      acknowledged write lost, no half-written visit, summaries true; recovery times measured.
# Local only: all traffic goes to 127.0.0.1, every loop is bounded. Figures: bench/out/load/.
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=${PY:-.venv/bin/python}
LOAD_VENV=${LOAD_VENV:-.venv-load}
USERS=${LOAD_USERS:-40}
RAMP=${LOAD_RAMP:-4}  # users started per second: 40 logins (PBKDF2) spread over 10 s
RUN_TIME=${LOAD_TIME:-3m}
MEMBERS=${LOAD_MEMBERS:-1800}
OUT=${LOAD_OUT:-bench/out/load}
KILL_AT=${FAULT_KILL_AT:-60}  # seconds into the fault run
PG_AT=${FAULT_PG_AT:-100}
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
mkdir -p "$OUT"

if [ ! -x "$LOAD_VENV/bin/locust" ]; then
  python3.11 -m venv "$LOAD_VENV"
  "$LOAD_VENV/bin/pip" install -q -r bench/requirements-load.txt
fi

export DEBUG=0 SECRET_KEY=load-bench-only-not-a-secret-0123456789abcdefghijklmnop
export STATIC_MANIFEST=0 WHITENOISE_USE_FINDERS=1 ALLOWED_HOSTS=127.0.0.1 LOG_LEVEL=ERROR
export DB_CONNECT_TIMEOUT=2 PG_DB=acopagro_load DEMO_PASSWORD=acopagro-demo
source .ci/postgres.sh
source .ci/redis.sh
GUNICORN_PID=
cleanup() {
  [ -n "$GUNICORN_PID" ] && kill "$GUNICORN_PID" 2>/dev/null && wait "$GUNICORN_PID" 2>/dev/null
  pg_stop
  redis_stop
}
trap cleanup EXIT
pg_start
redis_start  # the workers share one cache, as in production

echo "== demo data: $MEMBERS members"
$PY manage.py migrate -v0
/usr/bin/time -f "seed_demo: %e s" $PY manage.py seed_demo --members "$MEMBERS" | tail -1
$PY manage.py create_demo_accounts >/dev/null
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$PG_DB" -qc "VACUUM ANALYZE" >/dev/null
$PY bench/load/targets.py "$OUT/targets.json"

WORKERS=${WEB_CONCURRENCY:-$((2 * $(nproc) + 1))}
start_gunicorn() {
  GUNICORN_BIND="127.0.0.1:$PORT" GUNICORN_ACCESS_LOG="" WEB_CONCURRENCY=$WORKERS \
    .venv/bin/gunicorn acopagro.wsgi --config python:acopagro.gunicorn_conf \
    --log-level warning --error-logfile "$OUT/gunicorn.log" 2>>"$OUT/gunicorn.log" &
  GUNICORN_PID=$!
  for _ in $(seq 100); do
    curl -fs "$BASE/healthz" >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  echo "gunicorn did not start"; return 1
}

run_locust() {  # $1 = name of the run
  rm -f "$OUT/$1-acks.log"
  LOAD_RUN="$1" TARGETS="$OUT/targets.json" ACK_LOG="$OUT/$1-acks.log" STATUS_LOG="$OUT/$1-status.json" \
    "$LOAD_VENV/bin/locust" -f bench/load/locustfile.py --headless -u "$USERS" -r "$RAMP" \
    -t "$RUN_TIME" --stop-timeout 10 --host "$BASE" --csv "$OUT/$1" --only-summary \
    --loglevel ERROR > "$OUT/$1-locust.txt" 2>&1 || true
}

summary() {  # $1 = name of the run
  $PY - "$OUT" "$1" <<'PYEOF'
import csv, json, sys
out, name = sys.argv[1:]
rows = list(csv.DictReader(open(f"{out}/{name}_stats.csv")))
total = next(r for r in rows if r["Name"] == "Aggregated")
status = json.load(open(f"{out}/{name}-status.json"))
print(f"{name}: {total['Request Count']} requests, {float(total['Requests/s']):.1f} req/s, "
      f"p50 {total['50%']} ms, p95 {total['95%']} ms, p99 {total['99%']} ms; status {status}")
for r in rows:
    if r["Name"] != "Aggregated":
        print(f"  {r['Name']:<44} {r['Request Count']:>6}  p50 {r['50%']:>5} ms  p95 {r['95%']:>5} ms")
PYEOF
}

echo "== run 1: steady load, $USERS users, $RUN_TIME, gunicorn $WORKERS sync workers"
start_gunicorn
run_locust steady
summary steady
$PY bench/load/check_writes.py "$OUT/steady-acks.log" steady
$PY manage.py rebuild_summaries --check

echo "== run 2: same load; a gunicorn worker killed at $KILL_AT s, PostgreSQL restarted at $PG_AT s"
run_locust faults &
LOCUST_PID=$!
sleep "$KILL_AT"
WORKER=$(pgrep -P "$GUNICORN_PID" | head -1)
kill -9 "$WORKER"
KILLED_AT=$(date +%s.%N)
echo "killed worker $WORKER"
# gunicorn's master replaces the worker; measure until all workers answer again.
for _ in $(seq 300); do
  [ "$(pgrep -P "$GUNICORN_PID" | wc -l)" -ge "$WORKERS" ] && curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
echo "worker replaced and serving after $(python3 -c "import time; print(f'{time.time() - $KILLED_AT:.2f}')") s"
sleep "$((PG_AT - KILL_AT))"
echo "restarting PostgreSQL"
pg_as_owner "$PG_BIN/pg_ctl -D $PG_DIR/data -m fast -w stop" >/dev/null
DOWN_AT=$(date +%s.%N)
sleep 5  # five seconds without a database: the app must answer 503, not hang or crash
pg_as_owner "$PG_BIN/pg_ctl -D $PG_DIR/data -l $PG_DIR/server.log -w -t 60 \
  -o '-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200' start" >/dev/null
UP_AT=$(date +%s.%N)
for _ in $(seq 300); do
  curl -fs "$BASE/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
SERVING_AT=$(date +%s.%N)
python3 -c "print(f'PostgreSQL down {$UP_AT - $DOWN_AT:.1f} s; app serving again {$SERVING_AT - $UP_AT:.2f} s after PostgreSQL was back')"
wait "$LOCUST_PID" || true
summary faults
$PY bench/load/check_writes.py "$OUT/faults-acks.log" faults
$PY manage.py rebuild_summaries --check
echo "Figures in $OUT; machine: $(nproc) cores, $(date -I)"
