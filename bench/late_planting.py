"""What a planting entered late costs the next reader of carbon over time.

`python bench/late_planting.py [N]` with DATABASE_URL (and REDIS_URL) of a seeded database: N
times (default 5), a planting dated in the last year that has ended is saved through the planting
form as the demo technician (as the load test's staff do, bench/load/locustfile.py), then carbon
over time is requested as the demo manager and timed, and so is the save itself. That planting
moves the stored year end of its year: since session 14 the save recomputes its plot's rows of
it (credits/year_end_writes.py), before that the request computed the whole year again. Every
planting is deleted at the end.
"""

import os
import random
import re
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acopagro.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from members.models import Plot  # noqa: E402
from plantings.models import Planting, Species  # noqa: E402

URL = "/reports/carbon-over-time/"


def client_for(username: str) -> Client:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username=username))
    return client


def hidden_fields(html: str) -> dict[str, str]:
    """The hidden inputs of the page (the CSRF and the double-submit tokens)."""
    tags = re.findall(r'<input type="hidden"[^>]*>', html)
    return dict(re.search(r'name="([^"]+)" value="([^"]*)"', tag).groups() for tag in tags)


def main(times: int) -> None:
    staff, manager = client_for("staff"), client_for("manager")
    rng = random.Random(13)
    year = timezone.localdate().year - 1
    plots = list(Plot.objects.order_by("code").values_list("pk", "code")[:200])
    species = list(Species.objects.values_list("pk", flat=True))
    started = time.perf_counter()
    assert manager.get(URL).status_code == 200
    print(f"carbon over time before the plantings: {time.perf_counter() - started:.2f} s")
    marker = f"bench-late-{rng.randrange(10**9)}"
    seconds, saves = [], []
    try:
        for _ in range(times):
            plot_id, plot_code = rng.choice(plots)
            path = f"/plantings/add/?plot={plot_id}"
            form = staff.get(path).content.decode()
            saving = time.perf_counter()
            response = staff.post(
                path,
                {
                    **hidden_fields(form),
                    "plot": plot_code,
                    "species": rng.choice(species),
                    "planted_on": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    "trees_planted": 2,
                    "nursery_batch": marker,
                    "arrangement": Planting.Arrangement.DISPERSED,
                },
            )
            errors = re.findall(r"invalid-feedback[^<]*<[^>]*>[^<]*", response.content.decode())
            assert response.status_code == 302, errors
            saves.append(time.perf_counter() - saving)
            started = time.perf_counter()
            assert manager.get(URL).status_code == 200
            seconds.append(time.perf_counter() - started)
    finally:
        for planting in Planting.objects.filter(nursery_batch=marker):
            planting.delete()
    print(
        f"carbon over time after a planting of {year}: median {statistics.median(seconds):.2f} s, "
        f"min {min(seconds):.2f} s, max {max(seconds):.2f} s ({times} plantings)"
    )
    print(
        f"the planting's save itself: median {statistics.median(saves) * 1000:.0f} ms, "
        f"max {max(saves) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
