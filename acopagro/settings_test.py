"""Test settings: the real settings with a fixed key and a fast password hasher."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("STATIC_MANIFEST", "0")

from acopagro.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
WHITENOISE_USE_FINDERS = True

# Tests are written against the English source strings; the Spanish default, the translations
# and the language switch are tested explicitly (tests/test_i18n.py, tests/e2e).
LANGUAGE_CODE = "en"
