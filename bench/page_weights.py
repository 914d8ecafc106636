"""Weight of every page: its HTML plus the styles, scripts and images it loads, raw and gzipped.

Run: DEBUG=0 .venv/bin/python bench/page_weights.py [--members 60]
Builds a throwaway SQLite demo database (seed_demo, create_demo_accounts), fetches each page with
Django's test client as the manager, follows its /static/ links once per page and prints a
Markdown table for bench/README.md. "gzip" is each file compressed at level 6, what a compressing
front server or whitenoise's pre-compressed files send; the GeoJSON is compressed by the app.
"""

import argparse
import gzip
import io
import os
import re
import sys
import tempfile
from contextlib import redirect_stdout

ROOT = os.path.join(os.path.dirname(__file__), "..")
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(__file__))
TMP = tempfile.mkdtemp(prefix="acopagro-weights-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/weights.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acopagro.settings_test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from pages import PAGES  # noqa: E402

from members.models import Member, Plot  # noqa: E402

ASSET = re.compile(r'(?:href|src)="(/static/[^"?#]+)"')
EXTRA_PAGES = [
    ("plot page", "/plots/{plot}/"),
    ("plantings", "/plantings/"),
    ("visit form", "/monitoring/add/?plot={plot}"),
    ("statement", "/credits/members/{member}/statement/"),
    ("payment form", "/credits/payments/new/"),
]


def body(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=60)
    args = parser.parse_args()
    with redirect_stdout(io.StringIO()):
        call_command("migrate", verbosity=0)
        call_command("seed_demo", members=args.members, seed=7)
        call_command("create_demo_accounts")
    member = Member.objects.order_by("code").first()
    plot = Plot.objects.filter(member=member).first() or Plot.objects.first()
    setup_test_environment()  # lets the test client's host "testserver" in
    client = Client(raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="manager"))
    pages = [(name, path) for name, path, _logged_in in PAGES] + EXTRA_PAGES
    print("| page | HTML (kB) | with assets (kB) | gzip: HTML | gzip: with assets | files |")
    print("|---|---:|---:|---:|---:|---:|")
    for name, path in pages:
        url = path.format(member=member.pk, community=member.community_id, plot=plot.pk)
        response = client.get(url, HTTP_ACCEPT_ENCODING="identity")
        if response.status_code != 200:
            print(f"| {name} | {response.status_code} | | | | |")
            continue
        html = body(response)
        raw, packed, files = len(html), len(gzip.compress(html, 6)), 1
        total_raw, total_packed = raw, packed
        if response["Content-Type"].startswith("text/html"):
            for asset in sorted(set(ASSET.findall(html.decode("utf-8", "replace")))):
                content = body(client.get(asset))
                total_raw += len(content)
                total_packed += len(gzip.compress(content, 6))
                files += 1
        print(
            f"| {name} | {raw / 1000:.1f} | {total_raw / 1000:.1f} | {packed / 1000:.1f} "
            f"| {total_packed / 1000:.1f} | {files} |"
        )


if __name__ == "__main__":
    main()
