"""The stock at 31 December of past years, stored (credits.YearEndStock): the points of the
carbon-over-time report.

A past year's stock reads only rows dated up to its last day, so it changes only when a write
dated up to that day is made (a late visit, a planting entered late, a correction of an old
count), when a plot's area or the carbon parameters change, or when the summaries are rebuilt. The
"since" counters of core/changes.py say exactly that: a year's rows are kept with the key of
those counters (YearEndStamp) and computed again, from the raw rows by credits/stock.py, on the
first read after the key has moved. A visit of this year leaves every past year as it is; a
deploy or a cache loss finds them in the database, not to be computed again.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet, Sum
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from core import changes
from credits import selectors
from credits.models import CarbonProject, YearEndStamp, YearEndStock
from credits.models.summaries import GRAMS_PER_TONNE
from credits.summary_rows import tonnes
from members.models import Plot

Kind = YearEndStock.Kind

# What the stock reads of the members' data is their plots: each plot's area (the root ratio
# goes by biomass per hectare) and whether it exists. A plot's write moves "plots" as well as
# "members"; an edit of a member's name or phone leaves the stored years as they are.
PLOTS = "plots"
# What each kind reads: the projected stock only what was planted, where, and the parameters.
TOPICS = {
    Kind.VERIFIED: (PLOTS, "plantings", "visits", "parameters"),
    Kind.PROJECTED: (PLOTS, "plantings", "parameters"),
}


def connect() -> None:
    """Move the "plots" generation on every write of a plot, bulk writes included."""
    signals = {"save": post_save, "delete": post_delete, "bulk": changes.rows_changed}
    for name, signal in signals.items():
        signal.connect(_plot_written, sender=Plot, dispatch_uid=f"year-ends-plot-{name}")


def _plot_written(sender, **kwargs) -> None:
    changes.touch(PLOTS)


def is_stored(day: datetime.date) -> bool:
    """Whether the stock on `day` is kept here: a 31 December of a year already over."""
    return (day.month, day.day) == (12, 31) and day < timezone.localdate()


def year_end_stock(year: int, kind: str) -> QuerySet[YearEndStock]:
    """The stock rows (one per plot and species) at 31 December of `year`, a past year, as of
    every write made so far: stored ones, or computed and stored first."""
    day = datetime.date(year, 12, 31)
    if not is_stored(day):
        raise ValueError(f"{day} has not ended yet: its stock is not stored.")
    kind = Kind(kind)
    key = changes.generations_key(TOPICS[kind], as_of=day)
    if not YearEndStamp.objects.filter(year=year, kind=kind, generations=key).exists():
        _store(day, kind, key)
    return YearEndStock.objects.filter(year=year, kind=kind)


def total_co2e_t(rows: QuerySet[YearEndStock]) -> Decimal:
    """The tCO2e of year-end rows (narrowed by a report filter), summed exactly in grams."""
    return tonnes(rows.aggregate(g=Sum("co2e_g"))["g"] or 0)


@transaction.atomic
def _store(day: datetime.date, kind: str, key: str) -> None:
    # The stamp row is made if missing, then locked: two workers asking at once compute the
    # year once. (The same queries whether it was there or not.)
    YearEndStamp.objects.bulk_create(
        [YearEndStamp(year=day.year, kind=kind)], ignore_conflicts=True
    )
    stamp = YearEndStamp.objects.select_for_update().get(year=day.year, kind=kind)
    if stamp.generations == key:  # another worker stored it while this one waited
        return
    project = CarbonProject.current()
    rows = [] if project is None else selectors.stock_rows(on_date=day, kind=kind, project=project)
    YearEndStock.objects.filter(year=day.year, kind=kind).delete()
    YearEndStock.objects.bulk_create(
        [
            YearEndStock(
                plot_id=row.plot_id,
                species_id=row.species_id,
                year=day.year,
                kind=kind,
                trees_alive=row.trees_alive,
                co2e_g=round(row.co2e_t * GRAMS_PER_TONNE),
            )
            for row in rows
        ]
    )  # one INSERT on PostgreSQL, whatever the number of plots (SQLite splits it by its limits)
    stamp.generations = key
    stamp.save(update_fields=["generations", "computed_at"])
