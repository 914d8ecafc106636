"""Load test of the served app with wrk: p50/p95 latency and requests/s at concurrency 1 and 8.

Run by bench/run.sh once gunicorn serves BASE_URL. Logs in once as the demo manager and passes
the session cookie to wrk. Prints a Markdown table and writes the figures as JSON (argv[2]).
BENCH_ONLY="healthz,dashboard" measures only the pages named (comma-separated). Then, unless
BENCH_WRITER=0, every page again at concurrency 8 while bench/writer.py saves twice a second.
"""

import http.cookiejar
import json
import os
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from pages import PAGES  # noqa: E402

BASE = sys.argv[1].rstrip("/")
DURATION = "8s"
LUA = __file__.rsplit("/", 1)[0] + "/latency.lua"


def login() -> str:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"username": "manager", "password": "acopagro-demo", "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        f"{BASE}/accounts/login/", data=data, headers={"Referer": f"{BASE}/accounts/login/"}
    )
    opener.open(request).read()
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, "login failed"
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def timed_get(url: str, cookie: str) -> tuple[int, float, int]:
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = b"", error.code
    return status, time.perf_counter() - start, len(body)


def wrk(url: str, cookie: str, connections: int) -> dict:
    threads = min(connections, 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{DURATION}", "-s", LUA, url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: {cookie}"]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads([line for line in output.splitlines() if line.startswith("{")][-1])


def main():
    cookie = login()
    ids = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    results = {}
    print(
        "| page | first request (s) | c=1 p50 / p95 (ms) | c=1 req/s "
        "| c=8 p50 / p95 (ms) | c=8 req/s |"
    )
    print("|---|---|---|---|---|---|")
    only = [name for name in os.environ.get("BENCH_ONLY", "").split(",") if name]
    for name, path, logged_in in PAGES:
        if only and name not in only:
            continue
        url = BASE + path.format(**ids)
        status, first_s, size = timed_get(url, cookie if logged_in else "")
        if status != 200:
            print(f"| {name} | HTTP {status} | | | | |")
            continue
        for _ in range(6):  # both workers compute and cache once before measuring
            timed_get(url, cookie if logged_in else "")
        one = wrk(url, cookie if logged_in else "", 1)
        eight = wrk(url, cookie if logged_in else "", 8)
        results[name] = {"first_s": round(first_s, 3), "bytes": size, "c1": one, "c8": eight}
        print(
            f"| {name} | {first_s:.2f} | {one['p50_ms']} / {one['p95_ms']} | {one['rps']} "
            f"| {eight['p50_ms']} / {eight['p95_ms']} | {eight['rps']} |",
            flush=True,
        )
    if os.environ.get("BENCH_WRITER", "1") != "0":
        results["with writer"] = under_writes(results, cookie, ids)
    with open(sys.argv[2], "w") as out:
        json.dump(results, out, indent=1)


def under_writes(quiet: dict, cookie: str, ids: dict) -> dict:
    """Every page again at concurrency 8 while bench/writer.py saves a visit twice a second
    through the services (each save refreshes the summaries and moves the "visits"
    generation): the issue's budget is half the quiet throughput or more."""
    names = [name for name, _path, _logged in PAGES if name in quiet]
    seconds = (int(DURATION.rstrip("s")) + 1) * len(names) + 5
    writer = subprocess.Popen(
        [sys.executable, __file__.rsplit("/", 1)[0] + "/writer.py", str(seconds)],
        stdout=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)  # the writer has started saving
    rows = {}
    print("\n| page | c=8 req/s quiet | c=8 req/s, one writer 2 saves/s | ratio | p95 (ms) |")
    print("|---|---|---|---|---|")
    for name, path, logged_in in PAGES:
        if name not in names:
            continue
        eight = wrk(BASE + path.format(**ids), cookie if logged_in else "", 8)
        ratio = eight["rps"] / quiet[name]["c8"]["rps"] if quiet[name]["c8"]["rps"] else 0
        rows[name] = {"c8": eight, "ratio": round(ratio, 2)}
        print(
            f"| {name} | {quiet[name]['c8']['rps']} | {eight['rps']} | {ratio:.2f} "
            f"| {eight['p95_ms']} |",
            flush=True,
        )
    writer.terminate()
    output, _ = writer.communicate(timeout=30)
    lines = [line for line in (output or "").splitlines() if line.startswith("{")]
    rows["writer"] = json.loads(lines[-1]) if lines else {"saves": "not reported"}
    print(f"writer: {rows['writer']}")
    return rows


if __name__ == "__main__":
    main()
