"""Test settings: the real settings with a fixed key and a fast password hasher."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("STATIC_MANIFEST", "0")
# Jobs run inline in tests (tests/imports/test_jobs.py also runs the database worker itself).
os.environ.setdefault("TASKS_BACKEND", "immediate")
# pytest-xdist's worker ("gw0", "gw1"...): each has its own test database (pytest-django adds
# the suffix), its own media folder and its own Redis database below.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
WORKER_INDEX = int(WORKER[2:]) if WORKER.startswith("gw") else 0
# Uploaded files of the tests stay inside the checkout's ignored tmp/ folder.
os.environ.setdefault(
    "MEDIA_ROOT",
    os.path.join(os.path.dirname(os.path.dirname(__file__)), "tmp", f"test-media{WORKER}"),
)

from acopagro.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True

# Tests are written against the English source strings; the Spanish default, the translations
# and the language switch are tested explicitly (tests/core/test_i18n.py, tests/e2e).
LANGUAGE_CODE = "en"

# One Redis database per worker: a test's cache.clear() (FLUSHDB) must not empty another's.
if WORKER_INDEX and CACHES["default"]["BACKEND"].endswith("RedisCache"):  # noqa: F405
    _base, _, _db = CACHES["default"]["LOCATION"].rpartition("/")  # noqa: F405
    _db = int(_db) if _db.isdigit() else 0
    CACHES["default"]["LOCATION"] = f"{_base}/{_db + WORKER_INDEX}"  # noqa: F405
