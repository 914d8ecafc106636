"""Production settings: `check --deploy` is clean, the headers are there, sessions expire."""

import datetime
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PRODUCTION_ENV = {
    "PATH": "/usr/bin:/bin",
    "DEBUG": "0",
    "SECURE_SSL": "1",
    "ALLOWED_HOSTS": "acopagro.example",
    "DATABASE_URL": "sqlite:////tmp/acopagro-deploy-check.sqlite3",
    "EMAIL_HOST": "smtp.acopagro.example",
}


def manage(*args, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**PRODUCTION_ENV, "SECRET_KEY": secrets.token_urlsafe(50), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_setting(name, **env):
    code = f"from django.conf import settings; print(repr(settings.{name}))"
    result = manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_check_deploy_reports_nothing_in_production():
    result = manage("check", "--deploy", "--fail-level", "DEBUG")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_would_complain_without_https_settings():
    """The check above can fail: without SECURE_SSL the HTTPS warnings appear."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", SECURE_SSL="0")
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


def test_check_deploy_warns_when_no_mail_server_is_set():
    """Password reset says a mail was sent: production without a mail server is flagged."""
    result = manage("check", "--deploy", "--fail-level", "WARNING", EMAIL_HOST="")
    assert result.returncode != 0 and "acopagro.W001" in result.stderr


def test_mail_goes_through_the_smtp_server_of_the_environment():
    assert production_setting("EMAIL_BACKEND") == "'django.core.mail.backends.smtp.EmailBackend'"
    assert production_setting("EMAIL_HOST") == "'smtp.acopagro.example'"
    assert production_setting("EMAIL_PORT", EMAIL_PORT="465", EMAIL_USE_SSL="1") == "465"
    assert production_setting("EMAIL_USE_TLS") == "True"


def test_mail_is_printed_on_the_console_for_make_run():
    backend = production_setting("EMAIL_BACKEND", DEBUG="1", SECURE_SSL="0", EMAIL_HOST="")
    assert backend == "'django.core.mail.backends.console.EmailBackend'"


def test_password_reset_really_sends_the_mail(client, staff, mailoutbox):
    staff.email = "staff@acopagro.example"
    staff.save()
    response = client.post("/accounts/password_reset/", {"email": "staff@acopagro.example"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["staff@acopagro.example"]
    assert "/accounts/reset/" in mailoutbox[0].body


def test_https_only_cookies_and_hsts_in_production():
    assert production_setting("SESSION_COOKIE_SECURE") == "True"
    assert production_setting("CSRF_COOKIE_SECURE") == "True"
    assert production_setting("SECURE_SSL_REDIRECT") == "True"
    assert int(production_setting("SECURE_HSTS_SECONDS")) >= 31536000
    assert production_setting("DEBUG") == "False"


def test_security_headers_on_every_page(client, staff):
    client.force_login(staff)
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_admin_relaxes_style_attributes_only(admin_client_):
    response = admin_client_.get("/admin/")
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "style-src-attr 'unsafe-inline'" in csp
    assert re.search(r"script-src 'self'(;|$)", csp)


def test_pages_load_only_scripts_of_our_own(client, staff):
    """Every <script> on the home page has a src under STATIC_URL: nothing inline, no CDN."""
    client.force_login(staff)
    html = client.get("/").content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts, "the page loads Bootstrap's script"
    for attributes in scripts:
        src = re.search(r'src="([^"]+)"', attributes)
        assert src and src.group(1).startswith(settings.STATIC_URL), attributes


def test_session_expires_after_inactivity_and_slides_with_activity(client, staff, monkeypatch):
    assert "core.middleware.SessionRefreshMiddleware" in settings.MIDDLEWARE
    age = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    client.force_login(staff)
    start = timezone.now()
    # Active just before the limit: still logged in, and the limit moves forward.
    monkeypatch.setattr(timezone, "now", lambda: start + age - datetime.timedelta(minutes=1))
    assert client.get("/").status_code == 200
    # Idle for a whole session age counted from that last request: logged out.
    monkeypatch.setattr(timezone, "now", lambda: start + 2 * age - datetime.timedelta(minutes=2))
    assert client.get("/").status_code == 200
    monkeypatch.setattr(timezone, "now", lambda: start + 3 * age)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def _session_writes(client, url="/"):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    ]


def test_session_is_written_at_most_once_a_minute(client, staff, monkeypatch):
    """The sliding expiry costs one session write a minute, not one per request."""
    start = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: start)
    response = client.post(
        "/accounts/login/", {"username": staff.username, "password": "pass-word-123"}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session
    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(seconds=5))
    assert _session_writes(client) == []  # saved at login 5 s ago
    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(seconds=50))
    assert _session_writes(client) == []
    expiry = client.session.get_expiry_date()
    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(seconds=70))
    assert len(_session_writes(client)) == 1  # a minute after the last save: refreshed
    assert client.session.get_expiry_date() > expiry
    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(seconds=100))
    assert _session_writes(client) == []
    # The health check is no activity: it neither reads nor writes the session.
    monkeypatch.setattr(timezone, "now", lambda: start + datetime.timedelta(seconds=500))
    assert _session_writes(client, "/healthz") == []


def test_anonymous_visits_create_no_session(client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert Session.objects.count() == 0


pytestmark = pytest.mark.django_db


def test_sessions_are_djangos_own_and_read_only_their_unexpired_row():
    """The stock database session engine: the refresh middleware adds nothing to the store."""
    from django.contrib.sessions.backends.db import SessionStore

    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"

    mine, other = SessionStore(), SessionStore()
    mine["colour"], other["colour"] = "green", "red"
    mine.save()
    other.save()
    assert SessionStore(mine.session_key)["colour"] == "green"
    assert SessionStore("x" * 32).load() == {}  # no such key
    Session.objects.filter(session_key=mine.session_key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(mine.session_key)
    assert expired.load() == {} and expired.session_key is None
    assert SessionStore(other.session_key)["colour"] == "red"
