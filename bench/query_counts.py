"""Query count of every benchmarked page on the database of DATABASE_URL, cold and warm cache.

Run: DATABASE_URL=... DEBUG=0 SECRET_KEY=x .venv/bin/python bench/query_counts.py > out.json
Prints {"page name": [cold, warm], ...}; a page that does not exist (yet) gets its status code.
"""

import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acopagro.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from pages import PAGES  # noqa: E402

from members.models import Member  # noqa: E402


def main():
    member = Member.objects.get(code="ACO-00001")
    client = Client(HTTP_HOST="127.0.0.1", raise_request_exception=False)
    client.force_login(get_user_model().objects.get(username="manager"))
    counts = {}
    for name, path, _logged_in in PAGES:
        url = path.format(member=member.pk, community=member.community_id)
        cache.clear()
        result = []
        for _attempt in ("cold", "warm"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            result.append(len(queries) if response.status_code == 200 else response.status_code)
        counts[name] = result
    json.dump(counts, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
