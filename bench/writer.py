"""One clerk saving twice a second through the services, for as long as the benchmark runs.

Run by bench/load.py beside wrk (`python bench/writer.py SECONDS`, the app's settings and
DATABASE_URL/REDIS_URL from the environment). Each save is a real monitoring visit recorded with
`plantings.services.record_visit` on a random plot (its latest counts again, a day after its
latest visit, never in the future), or, where the plot was visited today already, a correction of
one count through `update_visit`: both write field data, refresh the summaries and move the
"field" generation, so every field report and the dashboard must compute again.
Prints one JSON line: saves, refusals, mean and p95 save time.
"""

import datetime
import json
import os
import random
import signal
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acopagro.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from plantings import services  # noqa: E402
from plantings.models import MonitoringVisit  # noqa: E402
from plantings.services import VisitErrors  # noqa: E402

RATE_PER_S = float(os.environ.get("BENCH_WRITES_PER_S", "2"))


def save_once(rng: random.Random, plot_ids: list[int]) -> bool:
    today = timezone.localdate()
    latest = (
        MonitoringVisit.objects.filter(plot_id=rng.choice(plot_ids))
        .prefetch_related("survival_counts")
        .order_by("-visited_on")
        .first()
    )
    if latest is None:
        return False
    counts = [
        {"species": c.species, "trees_alive": c.trees_alive, "trees_dead": c.trees_dead}
        for c in latest.survival_counts.all()
    ]
    if latest.visited_on < today:
        day = min(latest.visited_on + datetime.timedelta(days=1), today)
        services.record_visit(
            plot=latest.plot,
            visited_on=day,
            technician="Bench Writer",
            counts=counts,
            measurements=[],
        )
        return True
    if not counts:
        return False
    rows = [
        {"id": c.pk, "trees_alive": c.trees_alive, "trees_dead": c.trees_dead}
        for c in latest.survival_counts.all()
    ]
    if rows[0]["trees_alive"] > 0:  # one more tree found dead
        rows[0]["trees_alive"] -= 1
        rows[0]["trees_dead"] += 1
    # Every row sent with its id: nothing is deleted, so no delete permission is needed.
    services.update_visit(visit=latest, user=None, counts=rows)
    return True


def main(seconds: float) -> None:
    rng = random.Random(7)
    plot_ids = list(MonitoringVisit.objects.order_by().values_list("plot_id", flat=True).distinct())
    saves = refused = 0
    durations = []
    interval = 1 / RATE_PER_S
    end = time.monotonic() + seconds
    next_at = time.monotonic()
    stopped = []
    signal.signal(signal.SIGTERM, lambda *_: stopped.append(True))  # stop, then report
    while time.monotonic() < end and not stopped:
        started = time.perf_counter()
        try:
            saves += save_once(rng, plot_ids)
        except VisitErrors:
            refused += 1
        durations.append(time.perf_counter() - started)
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))
    durations.sort()
    print(
        json.dumps(
            {
                "saves": saves,
                "refused": refused,
                "per_s": round(saves / (time.monotonic() - end + seconds), 2),
                "mean_ms": round(1000 * sum(durations) / max(len(durations), 1), 1),
                "p95_ms": round(1000 * durations[int(0.95 * (len(durations) - 1))], 1)
                if durations
                else None,
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 60)
