"""Write the ids the load test picks from (plots with plantings, species, members, reports).

Usage: python bench/load/targets.py OUT.json   (Django settings from the environment)
"""

import json
import os
import sys

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "acopagro.settings")

import django  # noqa: E402

django.setup()

from members.models import Member, Plot  # noqa: E402
from plantings.models import Species  # noqa: E402
from reports import catalogue  # noqa: E402

plots = list(
    Plot.objects.filter(plantings__isnull=False).distinct().order_by("?").values("id", "code")[:400]
)
targets = {
    "plots": plots,
    "species": list(Species.objects.values_list("id", flat=True)),
    "members": list(Member.objects.order_by("?").values_list("id", flat=True)[:400]),
    "reports": [report.slug for report in catalogue.REPORTS],
}
with open(sys.argv[1], "w") as out:
    json.dump(targets, out)
print(f"{len(plots)} plots, {len(targets['reports'])} reports")
