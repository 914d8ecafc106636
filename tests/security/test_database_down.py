"""Database loss: /healthz says so, pages answer a friendly 503, service resumes by itself.

The first tests break the ORM in-process (any engine). The last one really stops and restarts
the throwaway PostgreSQL server of .ci/postgres.sh under a gunicorn serving the test database.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import OperationalError, connection
from django.db.models.sql.compiler import SQLCompiler

from core.availability import server_error

BASE_DIR = Path(__file__).resolve().parent.parent.parent
pytestmark = pytest.mark.django_db


@pytest.fixture
def database_gone(monkeypatch):
    """Every query and cursor fails the way psycopg does when the server is gone."""

    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    monkeypatch.setattr(SQLCompiler, "execute_sql", refuse)
    monkeypatch.setattr(connection, "cursor", refuse)


def test_healthz_ok_without_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_503_without_database(client, database_gone):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "unavailable"}


def test_pages_answer_a_friendly_503_without_database(staff_client, database_gone):
    response = staff_client.get("/members/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "Temporarily unavailable" in html and "Nothing you saved before is lost" in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert response["Retry-After"].isdigit()


@pytest.mark.parametrize("path", ["/api/members/", "/api/visits/1/", "/api/credits/totals/"])
def test_the_api_answers_a_json_503_without_database(staff, database_gone, path):
    """An API client gets JSON it can read, not the HTML page (issue 17, hardening)."""
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(staff)
    response = api.get(path)
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    body = json.loads(response.content)
    assert "temporarily unavailable" in body["detail"] and body["retry_after_s"] > 0
    assert response["Retry-After"].isdigit()


def test_a_page_asked_for_as_json_answers_json_503(staff_client, database_gone):
    response = staff_client.get("/members/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503 and response["Content-Type"] == "application/json"
    browser = staff_client.get("/members/", HTTP_ACCEPT="text/html,application/json;q=0.9")
    assert browser["Content-Type"].startswith("text/html")


def test_the_api_token_url_answers_json_503_from_the_error_handler(rf):
    request = rf.post("/api/token/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and response["Content-Type"] == "application/json"


def test_handler500_turns_database_errors_into_503_and_others_into_500(rf):
    request = rf.get("/")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503 and b"Temporarily unavailable" in response.content
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)
    assert response.status_code == 500 and b"Something went wrong" in response.content


# --- The real thing: PostgreSQL stopped and started under a running gunicorn -----------------


def _pg_ctl(action):
    pg_dir = os.environ["PG_DIR"]
    pg_ctl = shutil.which("pg_ctl") or "/usr/lib/postgresql/15/bin/pg_ctl"
    port = os.environ["PG_PORT"]
    options = f"-p {port} -k {pg_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
    command = f"{pg_ctl} -D {pg_dir}/data -l {pg_dir}/server.log -w -t 60 -m fast"
    command += f" -o '{options}' {action}" if action == "start" else f" {action}"
    argv = ["su", "-s", "/bin/sh", "postgres", "-c", command] if os.getuid() == 0 else None
    subprocess.run(argv or ["sh", "-c", command], check=True, capture_output=True, timeout=90)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, cookie=None):
    # English, the tests' language: the served settings default to Spanish.
    headers = {"Accept-Language": "en", **({"Cookie": cookie} if cookie else {})}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError as error:
        return None, str(error)


def _throwaway_postgres():
    return (
        connection.vendor == "postgresql"
        and os.environ.get("PG_DIR")
        and Path(os.environ["PG_DIR"], "data").is_dir()
        and os.environ.get("PG_PORT") == str(connection.settings_dict["PORT"])
    )


@pytest.mark.postgres
# It stops the one PostgreSQL server: make test runs it after the parallel run, by itself.
@pytest.mark.alone
# serialized_rollback like the other transactional tests: after their flush (which skips
# post_migrate) the role groups the staff fixture needs come back from the snapshot.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_postgresql_restart_gives_503_then_recovers_without_restart(staff):
    if not _throwaway_postgres():
        pytest.skip("needs the throwaway PostgreSQL of .ci/postgres.sh (pg_start) to stop it")
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session["_auth_user_id"] = str(staff.pk)
    session["_auth_user_backend"] = "core.backends.CachedPermissionsBackend"
    session["_auth_user_hash"] = staff.get_session_auth_hash()
    session.create()
    cookie = f"sessionid={session.session_key}"
    db = connection.settings_dict
    port = _free_port()
    env = {
        "PATH": os.environ["PATH"],
        "DEBUG": "0",
        "SECRET_KEY": "restart-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "0",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "DB_CONNECT_TIMEOUT": "2",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "acopagro.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--timeout", "30"],
        cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            if _get(base + "/healthz")[0] == 200:
                break
            time.sleep(0.1)
        status, html = _get(base + "/members/", cookie)
        assert status == 200, html[:500]

        connection.close()  # our own connection dies with the server anyway
        _pg_ctl("stop")
        try:
            assert _get(base + "/healthz")[0] == 503
            status, html = _get(base + "/members/", cookie)
            assert status == 503
            assert "Temporarily unavailable" in html and "Traceback" not in html
        finally:
            _pg_ctl("start")
        back_at = time.monotonic()
        while time.monotonic() - back_at < 10:
            if _get(base + "/members/", cookie)[0] == 200:
                break
            time.sleep(0.2)
        recovery_s = time.monotonic() - back_at
        print(f"served again {recovery_s:.2f} s after PostgreSQL returned")
        assert _get(base + "/members/", cookie)[0] == 200
        assert _get(base + "/healthz")[0] == 200
        assert recovery_s < 5, f"served again {recovery_s:.1f} s after PostgreSQL returned"
        assert server.poll() is None, "gunicorn kept running: no restart needed"
    finally:
        server.terminate()
        server.wait(timeout=30)
