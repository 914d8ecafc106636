"""The cache every worker shares and the job backend follow their environment variables."""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings

SHOW = (
    "import django, json; from django.conf import settings; django.setup(); "
    "c = settings.CACHES['default']; print(json.dumps({'cache': c['BACKEND'], "
    "'location': c.get('LOCATION'), 'tasks': settings.TASKS['default']['BACKEND'], "
    "'media': str(settings.MEDIA_ROOT), "
    "'mode': settings.STORAGES['imports']['OPTIONS']['file_permissions_mode']}))"
)


def settings_with(env):
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "acopagro.settings", **env},
        capture_output=True,
        text=True,
    )
    return result


def test_local_memory_without_redis_and_redis_when_set():
    plain = json.loads(settings_with({"DEBUG": "1"}).stdout)
    assert plain["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert plain["tasks"] == "django_tasks_db.DatabaseBackend"
    assert plain["mode"] == 0o600
    shared = json.loads(settings_with({"DEBUG": "1", "REDIS_URL": "redis://cache:6379/1"}).stdout)
    assert shared["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert shared["location"] == "redis://cache:6379/1"
    other = json.loads(settings_with({"DEBUG": "1", "CACHE_URL": "redis://other:6379/0"}).stdout)
    assert other["location"] == "redis://other:6379/0"


@pytest.mark.parametrize(
    "env,message",
    [
        ({"REDIS_URL": "memcached://x:11211"}, "REDIS_URL / CACHE_URL must be a redis://"),
        ({"TASKS_BACKEND": "celery"}, "TASKS_BACKEND must be database or immediate"),
    ],
)
def test_a_wrong_value_stops_start_up(env, message):
    result = settings_with({"DEBUG": "1", **env})
    assert result.returncode != 0 and message in result.stderr


def test_immediate_jobs_on_request():
    inline = json.loads(settings_with({"DEBUG": "1", "TASKS_BACKEND": "immediate"}).stdout)
    assert inline["tasks"] == "django_tasks.backends.immediate.ImmediateBackend"


@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs a Redis server: set REDIS_URL (.ci/run and make bench start one)",
)
def test_the_real_redis_is_shared_between_processes():
    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    from django.core.cache import cache

    key = f"test-shared-{uuid.uuid4().hex}"
    cache.set(key, {"written by": "this process"}, 30)
    code = (
        "import django; django.setup(); from django.core.cache import cache; "
        f"print(cache.get({key!r})); cache.set({key!r} + '-back', 'from the other', 30); "
        f"print(cache.add({key!r}, 'again'))"
    )
    other = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "acopagro.settings_test", "DEBUG": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert other.stdout.split("\n")[:2] == ["{'written by': 'this process'}", "False"]
    assert cache.get(f"{key}-back") == "from the other"
    cache.delete_many([key, f"{key}-back"])
