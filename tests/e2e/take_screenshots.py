"""Screenshots of the main staff pages for docs/screenshots/ (`make screenshots`).

Builds a throwaway SQLite database with a small demo (40 members), serves it with runserver on a
free port, logs in as the demo `staff` account with Debian's Chromium and saves each page at a
1366x768 laptop size and a 390 px phone width. Nothing here touches the developer's database.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
PASSWORD = "acopagro-demo"
SIZES = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_for(url: str, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} did not answer")


def pages(base: str, ids: dict) -> dict:
    return {
        "login": "/accounts/login/",
        "member-list": "/members/",
        "member-detail": f"/members/{ids['member']}/",
        "plot-detail": f"/plots/{ids['plot']}/",
        "planting-list": "/plantings/",
        "planting-form": f"/plantings/add/?plot={ids['plot']}",
        "visit-form": f"/monitoring/add/?plot={ids['plot']}",
        "visit-list": "/monitoring/",
        "species-list": "/species/",
    }


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"sqlite:///{tmp}/screenshots.sqlite3",
            "STATIC_MANIFEST": "0",
        }
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo", "--members", "40", "--seed", "7")
        manage(env, "create_demo_accounts")
        ids_script = (
            "from plantings.models import Planting;"
            "p = Planting.objects.select_related('plot').order_by('pk').first();"
            "print('IDS', p.plot.member_id, p.plot_id)"
        )
        out = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", ids_script],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        # The shell may print its own notes first: read the line we printed.
        [line] = [line for line in out.splitlines() if line.startswith("IDS ")]
        _marker, member_id, plot_id = line.split()
        ids = {"member": member_id, "plot": plot_id}
        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_for(base + "/healthz")
            shoot(base, ids)
        finally:
            server.terminate()
            server.wait(timeout=10)


def shoot(base: str, ids: dict):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        for size_name, viewport in SIZES.items():
            context = browser.new_context(base_url=base, viewport=viewport, locale="es-PE")
            page = context.new_page()
            page.goto("/accounts/login/")
            page.screenshot(path=OUT / f"login-{size_name}.png")
            page.fill("#id_username", "staff")
            page.fill("#id_password", PASSWORD)
            page.click("main button[type=submit]")
            page.wait_for_load_state()
            for name, path in pages(base, ids).items():
                if name == "login":
                    continue
                page.goto(path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=OUT / f"{name}-{size_name}.png", full_page=False)
                print(f"docs/screenshots/{name}-{size_name}.png")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
