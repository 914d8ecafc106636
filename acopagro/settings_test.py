"""Test settings: the real settings with a fixed key and a fast password hasher."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("STATIC_MANIFEST", "0")
# Jobs run inline in tests (tests/imports/test_jobs.py also runs the database worker itself).
os.environ.setdefault("TASKS_BACKEND", "immediate")
# Uploaded files of the tests stay inside the checkout's ignored tmp/ folder.
os.environ.setdefault(
    "MEDIA_ROOT", os.path.join(os.path.dirname(os.path.dirname(__file__)), "tmp", "test-media")
)

from acopagro.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True

# Tests are written against the English source strings; the Spanish default, the translations
# and the language switch are tested explicitly (tests/core/test_i18n.py, tests/e2e).
LANGUAGE_CODE = "en"
