#!/usr/bin/env bash
# Full-scale benchmark (`make bench`): PostgreSQL, seed_demo at full and 1/100 scale, gunicorn
# with 2 workers, wrk at concurrency 1 and 8, then 8 again beside one writer saving twice a
# second (bench/writer.py), query counts at both scales, cold pages (bench/cold_pages.py);
# BENCH_10X=1 adds 10x the cooperative (seed_demo --members 18000). See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
PORT=${BENCH_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
OUT=${BENCH_OUT:-/tmp/acopagro-bench}
mkdir -p "$OUT"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

export DEBUG=0 SECRET_KEY=bench-only-not-secret STATIC_MANIFEST=0 WHITENOISE_USE_FINDERS=1
export ALLOWED_HOSTS=127.0.0.1,localhost LOG_LEVEL=ERROR
source .ci/postgres.sh
source .ci/redis.sh
GUNICORN_PID=
cleanup() { [ -n "$GUNICORN_PID" ] && kill "$GUNICORN_PID" 2>/dev/null; pg_stop; redis_stop; }
trap cleanup EXIT
pg_start
# The workers share one cache, as in production (docker-compose.yml).
redis_start
FULL_URL=$DATABASE_URL
SMALL_URL=${DATABASE_URL%/*}/acopagro_small
SMALL_REDIS=${REDIS_URL%/*}/1  # its own Redis database: no figure of one scale read by the other
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE acopagro_small" >/dev/null

echo "== loading 1/100 scale (18 members) and full scale (1,800 members)"
DATABASE_URL=$SMALL_URL REDIS_URL=$SMALL_REDIS $PY manage.py migrate -v0
DATABASE_URL=$SMALL_URL REDIS_URL=$SMALL_REDIS $PY manage.py seed_demo --members 18 | tail -1
DATABASE_URL=$SMALL_URL REDIS_URL=$SMALL_REDIS $PY manage.py create_demo_accounts >/dev/null
$PY manage.py migrate -v0
/usr/bin/time -f "seed_demo full scale: %e s, %M KiB" $PY manage.py seed_demo | tail -1
$PY manage.py create_demo_accounts >/dev/null
"$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -d acopagro -qc "VACUUM ANALYZE" >/dev/null

echo "== query counts (cold cache, warm cache)"
DATABASE_URL=$SMALL_URL REDIS_URL=$SMALL_REDIS $PY bench/query_counts.py > "$OUT/queries-small.json"
$PY bench/query_counts.py > "$OUT/queries-full.json"
$PY - "$OUT" <<'PYEOF'
import json, sys
small = json.load(open(f"{sys.argv[1]}/queries-small.json"))
full = json.load(open(f"{sys.argv[1]}/queries-full.json"))
print("| page | queries at 1/100 (cold, warm) | queries at full scale (cold, warm) | same |")
print("|---|---|---|---|")
for name in full:
    print(f"| {name} | {small[name]} | {full[name]} | {'yes' if small[name] == full[name] else 'NO'} |")
PYEOF

echo "== cold pages and pages right after a saved visit (full scale, one process)"
$PY bench/cold_pages.py "$OUT/cold-full.json"

if [ "${BENCH_10X:-0}" = 1 ]; then
  # 10x the cooperative (18,000 members, 20 M trees): seed time, query counts, cold pages.
  TEN_URL=${DATABASE_URL%/*}/acopagro_ten
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE acopagro_ten" >/dev/null
  DATABASE_URL=$TEN_URL REDIS_URL=${REDIS_URL%/*}/2 $PY manage.py migrate -v0
  DATABASE_URL=$TEN_URL REDIS_URL=${REDIS_URL%/*}/2 /usr/bin/time -f "seed_demo 10x: %e s, %M KiB" \
    $PY manage.py seed_demo --members 18000 | tail -1
  DATABASE_URL=$TEN_URL REDIS_URL=${REDIS_URL%/*}/2 $PY manage.py create_demo_accounts >/dev/null
  DATABASE_URL=$TEN_URL REDIS_URL=${REDIS_URL%/*}/2 $PY bench/query_counts.py > "$OUT/queries-ten.json"
  DATABASE_URL=$TEN_URL REDIS_URL=${REDIS_URL%/*}/2 $PY bench/cold_pages.py "$OUT/cold-ten.json"
fi

echo "== gunicorn, 2 workers, on 127.0.0.1:$PORT (cache: $REDIS_URL)"
.venv/bin/gunicorn acopagro.wsgi -w 2 -b "127.0.0.1:$PORT" --timeout 300 --log-level warning &
GUNICORN_PID=$!
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
IDS=$($PY manage.py shell -c "from members.models import Member; import json; m = Member.objects.get(code='ACO-00001'); print(json.dumps({'member': m.pk, 'community': m.community_id}))" | tail -1)
$PY bench/load.py "http://127.0.0.1:$PORT" "$OUT/load.json" "$IDS"
echo "Figures in $OUT; machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(date -I)"
