"""Closing a monitoring period at full scale (issue 13's budget: 10 s), rolled back after.

Opens the period that follows the project's last one (to the end of last year, or to yesterday
when that is already covered), closes it through `credits.services`, as the admin does, and
rolls everything back, so it can run again on the same database. Prints one JSON line.

    DATABASE_URL=... .venv/bin/python bench/period_close.py
"""

import datetime
import json
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acopagro.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from credits import services  # noqa: E402
from credits.models import CarbonProject  # noqa: E402


def main() -> None:
    project = CarbonProject.current()
    last = project.periods.order_by("-end_date").first()
    start = last.end_date + datetime.timedelta(days=1) if last else project.crediting_start
    today = timezone.localdate()
    end = datetime.date(today.year - 1, 12, 31)
    if end < start:
        end = today - datetime.timedelta(days=1)
    with transaction.atomic():
        period = services.open_period(
            project=project, start_date=start, end_date=end, vintage=f"bench-{start.year}"
        )
        began = time.perf_counter()
        closed = services.close_period(period=period)
        seconds = time.perf_counter() - began
        result = {
            "period": f"{start} to {end}",
            "close_s": round(seconds, 2),
            "members": closed.member_results.count(),
            "net_removals_co2e_t": str(closed.net_removals_co2e_t),
        }
        transaction.set_rollback(True)  # measured, not kept
    print(json.dumps(result))


if __name__ == "__main__":
    main()
