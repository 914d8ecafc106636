"""The container's HEALTHCHECK: `python -m acopagro.healthcheck` exits 0 when /healthz says ok.

Python rather than curl (the slim image has none). The request carries a Host the application
accepts (the first of ALLOWED_HOSTS) and X-Forwarded-Proto https, as the load balancer's would.
"""

import os
import sys
import urllib.error
import urllib.request


def host_header() -> str:
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = hosts[0] if hosts else "localhost"
    if host == "*":
        return "localhost"
    return host.lstrip(".")  # ".example.org" allows example.org and its subdomains


def healthy(url: str, timeout_s: float = 4.0) -> bool:
    request = urllib.request.Request(
        url, headers={"Host": host_header(), "X-Forwarded-Proto": "https"}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def main() -> int:
    port = os.environ.get("PORT", "8000")
    return 0 if healthy(f"http://127.0.0.1:{port}/healthz") else 1


if __name__ == "__main__":
    sys.exit(main())
