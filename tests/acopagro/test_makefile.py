"""Issue 16: `make test` on a fresh machine installs Debian's Chromium (and gettext) when the
user can, otherwise prints exactly what to run and stops. bin/system-packages is run here with a
PATH of fakes (id, sudo, apt-get) so no real package is touched."""

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "bin" / "system-packages"
BASH = "/bin/bash"


def fake(bin_dir: Path, name: str, body: str):
    path = bin_dir / name
    path.write_text(f"#!{BASH}\n{body}\n")
    path.chmod(0o755)


@pytest.fixture
def machine(tmp_path):
    """A machine without Chromium: msgfmt present, apt-get logs its calls and 'installs'."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt.log"
    fake(bin_dir, "msgfmt", "exit 0")
    fake(
        bin_dir,
        "apt-get",
        f'echo "$*" >> {log}\n'
        f'if [ "$1" = install ]; then printf "#!{BASH}\\nexit 0\\n" > {bin_dir}/chromium; '
        f"/bin/chmod +x {bin_dir}/chromium; fi",
    )

    def run(uid="1000"):
        fake(bin_dir, "id", f'[ "$1" = "-u" ] && echo {uid}')
        env = {"PATH": str(bin_dir), "HOME": str(tmp_path)}
        result = subprocess.run(
            [BASH, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=30
        )
        calls = log.read_text().splitlines() if log.exists() else []
        return result, calls

    run.bin_dir = bin_dir
    return run


def test_root_installs_chromium_from_debian(machine):
    result, calls = machine(uid="0")
    assert result.returncode == 0, result.stdout + result.stderr
    assert calls == ["update -qq", "install -y -qq chromium"]
    assert "Installing chromium" in result.stdout


def test_a_user_with_passwordless_sudo_installs_it_through_sudo(machine):
    fake(machine.bin_dir, "sudo", '[ "$1" = "-n" ] && shift; "$@"')
    result, calls = machine(uid="1000")
    assert result.returncode == 0, result.stdout + result.stderr
    assert calls == ["update -qq", "install -y -qq chromium"]


def test_a_user_who_cannot_install_is_told_exactly_what_to_run(machine):
    fake(machine.bin_dir, "sudo", "exit 1")  # sudo asks for a password: -n fails
    result, calls = machine(uid="1000")
    assert result.returncode == 1
    assert calls == []
    assert "sudo apt-get update && sudo apt-get install -y chromium" in result.stdout


def test_nothing_is_installed_when_chromium_is_there(machine):
    fake(machine.bin_dir, "chromium", "exit 0")
    result, calls = machine(uid="0")
    assert result.returncode == 0 and calls == [] and result.stdout == ""


def test_make_test_runs_the_check_first():
    dry_run = subprocess.run(
        # --no-print-directory: under a make of its own (.ci/run's make test) make would first
        # print which directory it enters.
        ["make", "--no-print-directory", "-n", "test"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "MAKEFLAGS": ""},
    )
    assert dry_run.stdout.splitlines()[0] == "bash bin/system-packages"
