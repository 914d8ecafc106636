"""Settings parsing is strict: a typo stops start-up instead of falling back silently."""

import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from acopagro.env import env_bool, env_int, env_list


def test_env_bool_accepts_the_usual_words(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False


def test_env_bool_rejects_anything_else(monkeypatch):
    monkeypatch.setenv("FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG")


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("N", "12x")
    with pytest.raises(ImproperlyConfigured):
        env_int("N", 1)
    monkeypatch.setenv("HOSTS", "a.example, b.example,")
    assert env_list("HOSTS") == ["a.example", "b.example"]


def run_settings(env):
    code = (
        "import django; from django.conf import settings; django.setup(); "
        "print(settings.DATABASES['default']['ENGINE'])"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "acopagro.settings", **env},
        capture_output=True,
        text=True,
    )


def test_secret_key_required_without_debug():
    result = run_settings({"DEBUG": "0"})
    assert result.returncode != 0 and "SECRET_KEY is required" in result.stderr


def test_database_url_selects_postgresql():
    result = run_settings({"DEBUG": "1", "DATABASE_URL": "postgres://u@127.0.0.1:1/x"})
    assert result.stdout.strip() == "django.db.backends.postgresql"
    result = run_settings({"DEBUG": "1"})
    assert result.stdout.strip() == "django.db.backends.sqlite3"
