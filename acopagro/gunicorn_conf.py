"""gunicorn settings for the container (`--config python:acopagro.gunicorn_conf`).

Workers: WEB_CONCURRENCY when set, else 2 × CPUs + 1 sync workers (gunicorn's own advice): 5 on
2 cores. Measured on 2 cores (bench/README.md): threads (gthread) served CPU-bound cached pages
slower than sync workers (the GIL), while more sync workers than cores let one render while
another waits on PostgreSQL or computes a report after new data. The workers share one cache
(Redis, REDIS_URL) and keep nothing of their own (sessions in the database), so more containers
scale it out the same way.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
# A request that takes longer is stuck (the slowest report takes well under a second at full
# scale); the worker is replaced and its client gets a 502 from the load balancer.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
graceful_timeout = 30
# Recycle workers now and then, so a slow leak never grows without bound.
max_requests = 2000
max_requests_jitter = 200
# Access log on stdout for the container; GUNICORN_ACCESS_LOG="" turns it off (load tests).
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# The load balancer in front sets X-Forwarded-Proto; only trust it from the private network.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
