"""Cold time of every benchmarked page, and its time right after one save of a visit.

`python bench/cold_pages.py [OUT.json]` with DATABASE_URL (and REDIS_URL) of a seeded database:
each page is requested through Django's test client as the demo manager, once with the cache
cleared and no stored year-end stock (a new database, or a change to every year), three times
with the cache cleared (the median kept: the first request after a deploy or a cache loss), once
warm, and once right after a visit saved through the services (bench/writer.py: what every
request pays after each save of a clerk, only for the parts that read visits). The budget is
1 s cold for every report at 10x the cooperative's size (bench/README.md).
"""

import json
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acopagro.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402

from credits.models import YearEndStamp  # noqa: E402
from members.models import Member  # noqa: E402
from plantings.models import MonitoringVisit  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pages import PAGES  # noqa: E402
from writer import save_once  # noqa: E402


def main() -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="manager"))
    member = Member.objects.order_by("code").first()
    ids = {"member": member.pk, "community": member.community_id}
    results = {}
    rng = random.Random(11)
    plot_ids = list(MonitoringVisit.objects.order_by().values_list("plot_id", flat=True).distinct())
    print(
        "| page | nothing stored (s) | cold (s), median of 3 | warm (ms) "
        "| after a saved visit (ms) |"
    )
    print("|---|---|---|---|---|")
    for name, path, _logged_in in PAGES:
        url = path.format(**ids)
        # First, as on a new database or after a change to every year: no cache and no stored
        # year-end stock (credits/year_ends.py); the cold requests below find it stored.
        # Rolled back after: the stored stock is there again for what follows.
        cache.clear()
        with transaction.atomic():
            YearEndStamp.objects.all().delete()
            started = time.perf_counter()
            assert client.get(url).status_code == 200, url
            first_s = time.perf_counter() - started
            transaction.set_rollback(True)
        cache.clear()
        cold = []
        for _ in range(3):
            cache.clear()
            started = time.perf_counter()
            response = client.get(url)
            cold.append(time.perf_counter() - started)
            assert response.status_code == 200, (url, response.status_code)
        started = time.perf_counter()
        client.get(url)
        warm_ms = 1000 * (time.perf_counter() - started)
        save_once(rng, plot_ids)
        started = time.perf_counter()
        client.get(url)
        after_ms = 1000 * (time.perf_counter() - started)
        results[name] = {
            "nothing_stored_s": round(first_s, 3),
            "cold_s": round(statistics.median(cold), 3),
            "warm_ms": round(warm_ms, 1),
            "after_save_ms": round(after_ms, 1),
        }
        print(
            f"| {name} | {first_s:.2f} | {statistics.median(cold):.2f} | {warm_ms:.1f} "
            f"| {after_ms:.1f} |",
            flush=True,
        )
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w") as out:
            json.dump(results, out, indent=1)


if __name__ == "__main__":
    main()
