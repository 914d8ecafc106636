"""After a load run: is every acknowledged write in the database, and is every visit whole?

Usage: python bench/load/check_writes.py ACK_LOG RUN   (exit 1 on a loss or a half-written visit)
"""

import os
import sys
from collections import defaultdict

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acopagro.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402

from plantings.models import MonitoringVisit, Planting  # noqa: E402

acks = defaultdict(dict)
with open(sys.argv[1]) as log:
    for line in log:
        kind, marker, rows = line.split()
        acks[kind][marker] = int(rows)

plantings = set(
    Planting.objects.filter(nursery_batch__in=list(acks["planting"])).values_list(
        "nursery_batch", flat=True
    )
)
visits = dict(
    MonitoringVisit.objects.filter(notes__startswith=f"load-{sys.argv[2]}-")
    .annotate(rows=Count("survival_counts"))
    .values_list("notes", "rows")
)
lost_plantings = [m for m in acks["planting"] if m not in plantings]
lost_visits = [m for m in acks["visit"] if m not in visits]
# Whole: the visit has the survival rows that were posted with it, whether or not the client
# heard back (a worker killed after the commit saves a visit nobody was told about).
half_written = [m for m, rows in visits.items() if rows == 0 or rows < acks["visit"].get(m, 0)]
unacknowledged = len(set(visits) - set(acks["visit"]))
print(
    f"acknowledged plantings: {len(acks['planting'])}, in the database: "
    f"{len(acks['planting']) - len(lost_plantings)}"
)
print(
    f"acknowledged visits: {len(acks['visit'])}, in the database: "
    f"{len(acks['visit']) - len(lost_visits)}; saved but not acknowledged: {unacknowledged}"
)
print(f"half-written visits: {len(half_written)}")
sys.exit(1 if lost_plantings or lost_visits or half_written else 0)
